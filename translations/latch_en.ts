<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApprovalPanel</name>
    <message numerus="yes">
        <location filename="../app/qml/ApprovalPanel.qml" line="+71"/>
        <source>Stage %1: %n approval(s) from %2</source>
        <translation>
            <numerusform>Stage %1: %n approval from %2</numerusform>
            <numerusform>Stage %1: %n approvals from %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message numerus="yes">
        <location filename="../app/qml/CasePage.qml" line="+206"/>
        <source>%n sending</source>
        <translation>
            <numerusform>%n sending</numerusform>
            <numerusform>%n sending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterButton</name>
    <message numerus="yes">
        <location filename="../app/qml/FilterButton.qml" line="+15"/>
        <source>%1, %n case(s)</source>
        <translation>
            <numerusform>%1, %n case</numerusform>
            <numerusform>%1, %n cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message numerus="yes">
        <location filename="../app/qml/OfflineBanner.qml" line="+44"/>
        <source>Working from this computer&apos;s copy. %n command(s) waiting to be sent.</source>
        <translation>
            <numerusform>Working from this computer&apos;s copy. %n command waiting to be sent.</numerusform>
            <numerusform>Working from this computer&apos;s copy. %n commands waiting to be sent.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueDelegate</name>
    <message numerus="yes">
        <location filename="../app/qml/QueueDelegate.qml" line="+109"/>
        <source>%n sending</source>
        <translation>
            <numerusform>%n sending</numerusform>
            <numerusform>%n sending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latch::app::AuditModel</name>
    <message numerus="yes">
        <location filename="../app/models/auditmodel.cpp" line="+227"/>
        <source>The newest %n event(s); more match (narrow the filters).</source>
        <translation>
            <numerusform>The newest %n event; more match (narrow the filters).</numerusform>
            <numerusform>The newest %n events; more match (narrow the filters).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n event(s), newest first</source>
        <translation>
            <numerusform>%n event, newest first</numerusform>
            <numerusform>%n events, newest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+33"/>
        <source>Saved %n row(s) to %1.</source>
        <translation>
            <numerusform>Saved %n row to %1.</numerusform>
            <numerusform>Saved %n rows to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latch::app::ProofController</name>
    <message numerus="yes">
        <location filename="../app/models/proofcontroller.cpp" line="+251"/>
        <source>All %n event(s) of this case, versions 1 to %1, are in the signed log %2, and their hash chain is whole. This computer&apos;s copy matches them.</source>
        <translation>
            <numerusform>This case&apos;s only event, version %1, is in the signed log %2, and this computer&apos;s copy matches it.</numerusform>
            <numerusform>All %n events of this case, versions 1 to %1, are in the signed log %2, and their hash chain is whole. This computer&apos;s copy matches them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>The server has %n newer event(s) than this computer; they arrive with the next sync.</source>
        <translation>
            <numerusform>The server has %n newer event than this computer; it arrives with the next sync.</numerusform>
            <numerusform>The server has %n newer events than this computer; they arrive with the next sync.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latch::app::SyncWorker</name>
    <message numerus="yes">
        <location filename="../app/sync/syncworker.cpp" line="+269"/>
        <source>%n unsent command(s) were kept and will be sent.</source>
        <translation>
            <numerusform>%n unsent command was kept and will be sent.</numerusform>
            <numerusform>%n unsent commands were kept and will be sent.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latch::app::TimelineModel</name>
    <message numerus="yes">
        <location filename="../app/models/timelinemodel.cpp" line="+507"/>
        <source>%n evidence file(s) kept</source>
        <translation>
            <numerusform>%n evidence file kept</numerusform>
            <numerusform>%n evidence files kept</numerusform>
        </translation>
    </message>
</context>
</TS>
