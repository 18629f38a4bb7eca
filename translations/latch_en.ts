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
        <location filename="../app/qml/CasePage.qml" line="+183"/>
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
    <name>latch::app::SyncWorker</name>
    <message numerus="yes">
        <location filename="../app/sync/syncworker.cpp" line="+264"/>
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
        <location filename="../app/models/timelinemodel.cpp" line="+510"/>
        <source>%n evidence file(s) kept</source>
        <translation>
            <numerusform>%n evidence file kept</numerusform>
            <numerusform>%n evidence files kept</numerusform>
        </translation>
    </message>
</context>
</TS>
