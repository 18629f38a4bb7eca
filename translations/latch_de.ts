<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ActionsPanel</name>
    <message>
        <location filename="../app/qml/ActionsPanel.qml" line="+19"/>
        <source>Plugin actions</source>
        <translation>Plugin-Aktionen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No plugin offers an action for this case</source>
        <translation>Kein Plugin bietet für diesen Fall eine Aktion an</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 · gated by the approval rule</source>
        <translation>%1 · durch die Freigaberegel gesperrt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Show plan</source>
        <translation>Plan zeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show what %1 would send</source>
        <translation>Zeigen, was %1 senden würde</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run %1</source>
        <translation>%1 ausführen</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Plan for %1</source>
        <translation>Plan für %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the plan</source>
        <translation>Den Plan schließen</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Parameters: %1</source>
        <translation>Parameter: %1</translation>
    </message>
</context>
<context>
    <name>ApprovalPanel</name>
    <message>
        <location filename="../app/qml/ApprovalPanel.qml" line="+26"/>
        <source>Approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checking which rule applies…</source>
        <translation>Prüfe, welche Regel gilt …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule %1</source>
        <translation>Regel %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No approval rule applies</source>
        <translation>Keine Freigaberegel trifft zu</translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source>Stage %1: %n approval(s) from %2</source>
        <translation>
            <numerusform>Stufe %1: %n Freigabe von %2</numerusform>
            <numerusform>Stufe %1: %n Freigaben von %2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Done: approved by %1</source>
        <translation>Erledigt: freigegeben von %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved so far by %1</source>
        <translation>Bisher freigegeben von %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No approvals yet</source>
        <translation>Noch keine Freigaben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Can approve now: %1</source>
        <translation>Kann jetzt freigeben: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>• %1</source>
        <translation>• %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Note: %1</source>
        <translation>Notiz: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>✓ Every approval the rule needs is in</source>
        <translation>✓ Alle Freigaben, die die Regel verlangt, liegen vor</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Comment (optional)</source>
        <translation>Kommentar (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approval comment</source>
        <translation>Kommentar zur Freigabe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Approve (A)</source>
        <translation>Freigeben (A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approve the case</source>
        <translation>Den Fall freigeben</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ask the server anyway</source>
        <translation>Trotzdem beim Server anfragen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the approval to the server anyway</source>
        <translation>Die Freigabe trotzdem an den Server senden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server decides. A refused attempt is recorded on the case.</source>
        <translation>Der Server entscheidet. Ein abgelehnter Versuch wird im Fall festgehalten.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reason for denying (D)</source>
        <translation>Grund für die Ablehnung (D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for denying</source>
        <translation>Grund für die Ablehnung</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deny the case</source>
        <translation>Den Fall ablehnen</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../app/qml/AuditPage.qml" line="+37"/>
        <source>‹ Back</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the queue</source>
        <translation>Zurück zur Liste</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+150"/>
        <source>Kind</source>
        <translation>Ereignisart</translation>
    </message>
    <message>
        <location line="-142"/>
        <source>Event kind</source>
        <translation>Art des Ereignisses</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Time range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <location line="+120"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location line="-121"/>
        <source>anyone (a user, intake, triage, plugin:stripe)</source>
        <translation>alle (ein Benutzername, intake, triage, plugin:stripe)</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>Case type</source>
        <translation>Fallart</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>any type (refund, vendor_bank_change, …)</source>
        <translation>jede Art (refund, vendor_bank_change, …)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>2026-09-01</source>
        <translation>2026-09-01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From date</source>
        <translation>Startdatum</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>To (inclusive)</source>
        <translation>Bis (einschließlich)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>2026-09-30</source>
        <translation>2026-09-30</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To date</source>
        <translation>Enddatum</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Searching…</source>
        <translation>Suche …</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search the history</source>
        <translation>Die Historie durchsuchen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Save CSV…</source>
        <translation>Als CSV speichern …</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save JSON…</source>
        <translation>Als JSON speichern …</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What happened</source>
        <translation>Was geschah</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Audit events</source>
        <translation>Audit-Ereignisse</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1, %2, %3: %4</source>
        <translation>%1, %2, %3: %4</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (case %2)</source>
        <translation>%1 (Fall %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No events match these filters.</source>
        <translation>Keine Ereignisse passen zu diesen Filtern.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose filters and search.</source>
        <translation>Wählen Sie Filter aus und suchen Sie.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save the events as CSV</source>
        <translation>Die Ereignisse als CSV speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the events as JSON</source>
        <translation>Die Ereignisse als JSON speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <location filename="../app/qml/CasePage.qml" line="+52"/>
        <source>Select a case in the queue (Up/Down, Enter).</source>
        <translation>Wählen Sie einen Fall in der Liste (Auf/Ab, Eingabe).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+2"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Requested by</source>
        <translation>Angefragt von</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prepared by</source>
        <translation>Vorbereitet von</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not yet</source>
        <translation>noch nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unassigned</source>
        <translation>niemand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The server refused: %1</source>
        <translation>Der Server hat abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss the refusal</source>
        <translation>Die Ablehnung ausblenden</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+35"/>
        <source>Timeline</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Proof ✔</source>
        <translation>Nachweis ✔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proof ✖</source>
        <translation>Nachweis ✖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proof</source>
        <translation>Nachweis</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n sending</source>
        <translation>
            <numerusform>%n wird gesendet</numerusform>
            <numerusform>%n werden gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Add a note (N), send with Ctrl+Enter</source>
        <translation>Notiz schreiben (N), senden mit Strg+Eingabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This case is closed</source>
        <translation>Dieser Fall ist geschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add the note</source>
        <translation>Die Notiz hinzufügen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mark ready</source>
        <translation>Bereit melden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark the case ready for approval</source>
        <translation>Den Fall zur Freigabe bereit melden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ends your review; the approval rule decides who approves next.</source>
        <translation>Beendet Ihre Prüfung; die Freigaberegel bestimmt, wer als Nächstes freigibt.</translation>
    </message>
</context>
<context>
    <name>FilterButton</name>
    <message>
        <location filename="../app/qml/FilterButton.qml" line="+14"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1, %n case(s)</source>
        <translation>
            <numerusform>%1, %n Fall</numerusform>
            <numerusform>%1, %n Fälle</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../app/qml/Main.qml" line="+18"/>
        <source>Latch — %1</source>
        <translation>Latch — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+84"/>
        <source>Latch</source>
        <translation>Latch</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the audit: events across your cases</source>
        <translation>Das Audit öffnen: Ereignisse aus all Ihren Fällen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <location filename="../app/qml/OfflineBanner.qml" line="+33"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Working from this computer&apos;s copy. %n command(s) waiting to be sent.</source>
        <translation>
            <numerusform>Sie arbeiten mit der Kopie auf diesem Computer. %n Befehl wartet auf das Senden.</numerusform>
            <numerusform>Sie arbeiten mit der Kopie auf diesem Computer. %n Befehle warten auf das Senden.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Working from this computer&apos;s copy. Changes you make are sent when the server is back.</source>
        <translation>Sie arbeiten mit der Kopie auf diesem Computer. Ihre Änderungen werden gesendet, sobald der Server wieder erreichbar ist.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reconnect to the server</source>
        <translation>Neu mit dem Server verbinden</translation>
    </message>
</context>
<context>
    <name>ProofPanel</name>
    <message>
        <location filename="../app/qml/ProofPanel.qml" line="+65"/>
        <source>Check again</source>
        <translation>Erneut prüfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the proof again</source>
        <translation>Den Nachweis erneut prüfen</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Events in the log</source>
        <translation>Ereignisse im Protokoll</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Events of this case</source>
        <translation>Ereignisse dieses Falls</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Root hash</source>
        <translation>Root-Hash</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Signed by</source>
        <translation>Signiert von</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no key this computer trusts</source>
        <translation>kein Schlüssel, dem dieser Computer vertraut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rules version</source>
        <translation>Regelversion</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+33"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Writes the case&apos;s events with their proofs, the signed checkpoint and a readable report to a folder. Anyone can check it offline with `latchctl verify FOLDER --key KEY` and the server&apos;s log key.</source>
        <translation>Schreibt die Ereignisse des Falls mit ihren Nachweisen, den signierten Checkpoint und einen lesbaren Bericht in einen Ordner. Alle können ihn offline mit `latchctl verify FOLDER --key KEY` und dem Protokollschlüssel des Servers prüfen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder to export to</source>
        <translation>Zielordner für den Export</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation>Auswählen …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the folder to export to</source>
        <translation>Den Zielordner für den Export auswählen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export the case bundle</source>
        <translation>Das Paket des Falls exportieren</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open the report</source>
        <translation>Den Bericht öffnen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Signed checkpoint</source>
        <translation>Signierter Checkpoint</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Export the case to</source>
        <translation>Den Fall exportieren nach</translation>
    </message>
</context>
<context>
    <name>QueueDelegate</name>
    <message>
        <location filename="../app/qml/QueueDelegate.qml" line="+33"/>
        <source>%1, %2, %3, %4</source>
        <translation>%1, %2, %3, %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2, %3</source>
        <translation>%1, %2, %3</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Assigned to %1</source>
        <translation>Zugewiesen an %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for you</source>
        <translation>Wartet auf Sie</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n sending</source>
        <translation>
            <numerusform>%n wird gesendet</numerusform>
            <numerusform>%n werden gesendet</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <location filename="../app/qml/QueuePage.qml" line="+58"/>
        <source>Search title, customer, order, notes  ( / )</source>
        <translation>Titel, Kunde, Bestellung, Notizen durchsuchen  ( / )</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search cases</source>
        <translation>Fälle durchsuchen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Waiting for my approval</source>
        <translation>Warten auf meine Freigabe</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Filter by status</source>
        <translation>Nach Status filtern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any status (%1)</source>
        <translation>Jeder Status (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Filter by type</source>
        <translation>Nach Art filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any type</source>
        <translation>Jede Art</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No cases yet. New cases appear here as they arrive.</source>
        <translation>Noch keine Fälle. Neue Fälle erscheinen hier, sobald sie eintreffen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No cases match these filters.</source>
        <translation>Keine Fälle passen zu diesen Filtern.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../app/qml/SettingsPage.qml" line="+20"/>
        <source>‹ Back</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+8"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Changes apply at once. Case contents (notes, reasons from the server) stay in the language they were written in.</source>
        <translation>Änderungen gelten sofort. Inhalte der Fälle (Notizen, Begründungen des Servers) bleiben in der Sprache, in der sie geschrieben wurden.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed in as %1 on %2</source>
        <translation>Angemeldet als %1 auf %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This computer&apos;s copy is locked with a key kept in the system keychain.</source>
        <translation>Die Kopie auf diesem Computer ist mit einem Schlüssel aus dem Schlüsselbund des Systems gesichert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer&apos;s copy is locked with your passphrase.</source>
        <translation>Die Kopie auf diesem Computer ist mit Ihrer Passphrase gesichert.</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Desktop notifications</source>
        <translation>Desktop-Benachrichtigungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show notifications on the desktop</source>
        <translation>Benachrichtigungen auf dem Desktop zeigen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New cases in your queue and approvals waiting on you are also shown by the desktop while Latch is in the background. Inside Latch they always appear in the corner of the window.</source>
        <translation>Neue Fälle in Ihrer Liste und Freigaben, die auf Sie warten, zeigt auch der Desktop, solange Latch im Hintergrund ist. In Latch erscheinen sie immer in der Ecke des Fensters.</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../app/qml/SignInPage.qml" line="+25"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Sign in to Latch</source>
        <translation>Bei Latch anmelden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cases, approvals and their record in one place.</source>
        <translation>Fälle, Freigaben und ihr Nachweis an einem Ort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>wss://latch.example.com/sync</source>
        <translation>wss://latch.example.com/sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+7"/>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+6"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+6"/>
        <source>Passphrase for this computer&apos;s copy</source>
        <translation>Passphrase für die Kopie auf diesem Computer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This computer has no keychain, so your local copy of the cases is locked with a passphrase. You need it each time you sign in; it never leaves this computer.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund, daher wird Ihre lokale Kopie der Fälle mit einer Passphrase gesichert. Sie brauchen sie bei jeder Anmeldung; sie verlässt diesen Computer nie.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Signing in…</source>
        <translation>Anmeldung läuft …</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
</context>
<context>
    <name>TimelineDelegate</name>
    <message>
        <location filename="../app/qml/TimelineDelegate.qml" line="+37"/>
        <source>%1 by %2 at %3: %4</source>
        <translation>%1 von %2 um %3: %4</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Hide request and response</source>
        <translation>Anfrage und Antwort ausblenden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show request and response</source>
        <translation>Anfrage und Antwort zeigen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Request:
%1</source>
        <translation>Anfrage:
%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Response:
%1</source>
        <translation>Antwort:
%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1: %2 — %3</source>
        <translation>%1: %2 — %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss the refused command</source>
        <translation>Den abgelehnten Befehl ausblenden</translation>
    </message>
</context>
<context>
    <name>Toast</name>
    <message>
        <location filename="../app/qml/Toast.qml" line="+64"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the case</source>
        <translation>Den Fall öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dismiss the notification</source>
        <translation>Die Benachrichtigung ausblenden</translation>
    </message>
</context>
<context>
    <name>TriageCard</name>
    <message>
        <location filename="../app/qml/TriageCard.qml" line="+39"/>
        <source>Triage suggests: %1</source>
        <translation>Triage schlägt vor: %1</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Accept</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>Triage suggestion</source>
        <translation>Triage-Vorschlag</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Triage could not tell the type</source>
        <translation>Die Triage konnte die Art nicht bestimmen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 % confident</source>
        <translation>%1 % sicher</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Priority: %1</source>
        <translation>Priorität: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No type reached the model&apos;s confidence threshold. Choose one below.</source>
        <translation>Keine Art hat die Sicherheitsschwelle des Modells erreicht. Wählen Sie unten eine aus.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Found in the message</source>
        <translation>In der Nachricht gefunden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Suggested by %1. Nothing changes until you decide.</source>
        <translation>Vorgeschlagen von %1. Es ändert sich nichts, bevor Sie entscheiden.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sending your answer…</source>
        <translation>Ihre Antwort wird gesendet …</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Accept the suggested type %1</source>
        <translation>Die vorgeschlagene Art %1 übernehmen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Type to use instead</source>
        <translation>Stattdessen zu verwendende Art</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Override</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set type</source>
        <translation>Art festlegen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use %1 as the case&apos;s type</source>
        <translation>%1 als Art des Falls verwenden</translation>
    </message>
</context>
<context>
    <name>TriageView</name>
    <message>
        <location filename="../app/models/triageview.cpp" line="+26"/>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No approval rule would apply</source>
        <translation>Keine Freigaberegel würde zutreffen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule %1 would apply</source>
        <translation>Regel %1 würde zutreffen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule %1 would apply: %2</source>
        <translation>Regel %1 würde zutreffen: %2</translation>
    </message>
</context>
<context>
    <name>latch::app::AppSettings</name>
    <message>
        <location filename="../app/models/appsettings.cpp" line="+100"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
<context>
    <name>latch::app::AuditModel</name>
    <message>
        <location filename="../app/models/auditmodel.cpp" line="+65"/>
        <source>Any kind</source>
        <translation>Jede Ereignisart</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All time</source>
        <translation>Gesamter Zeitraum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Between dates…</source>
        <translation>Zwischen zwei Daten …</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>&quot;%1&quot; is not a date; write it as 2026-09-01.</source>
        <translation>„%1“ ist kein Datum; schreiben Sie es als 2026-09-01.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The range ends before it starts.</source>
        <translation>Der Zeitraum endet, bevor er beginnt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in first.</source>
        <translation>Melden Sie sich zuerst an.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>No events match.</source>
        <translation>Keine passenden Ereignisse.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>The newest %n event(s); more match (narrow the filters).</source>
        <translation>
            <numerusform>Nur das neueste Ereignis (%n) wird gezeigt; weitere passen (schränken Sie die Filter ein).</numerusform>
            <numerusform>Die neuesten %n Ereignisse werden gezeigt; weitere passen (schränken Sie die Filter ein).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n event(s), newest first</source>
        <translation>
            <numerusform>%n Ereignis, neueste zuerst</numerusform>
            <numerusform>%n Ereignisse, neueste zuerst</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Search first: the file holds the rows shown.</source>
        <translation>Suchen Sie zuerst: Die Datei enthält die angezeigten Zeilen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a file to save to.</source>
        <translation>Wählen Sie eine Datei zum Speichern.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 lässt sich nicht schreiben: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Saved %n row(s) to %1.</source>
        <translation>
            <numerusform>%n Zeile in %1 gespeichert.</numerusform>
            <numerusform>%n Zeilen in %1 gespeichert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>latch::app::CaseController</name>
    <message>
        <location filename="../app/models/casecontroller.cpp" line="+216"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+184"/>
        <source>Your decision is on its way to the server</source>
        <translation>Ihre Entscheidung ist unterwegs zum Server</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The case must be marked ready before it can be approved</source>
        <translation>Der Fall muss bereit gemeldet sein, bevor er freigegeben werden kann</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This case is already approved</source>
        <translation>Dieser Fall ist bereits freigegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This case was denied</source>
        <translation>Dieser Fall wurde abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This case is closed</source>
        <translation>Dieser Fall ist geschlossen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This case is not awaiting approval</source>
        <translation>Dieser Fall wartet nicht auf Freigabe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You prepared this case: the two-person rule needs someone else</source>
        <translation>Sie haben diesen Fall vorbereitet: Das Vier-Augen-Prinzip verlangt eine andere Person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You requested this case: the two-person rule needs someone else</source>
        <translation>Sie haben diesen Fall angefragt: Das Vier-Augen-Prinzip verlangt eine andere Person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You have already approved this case</source>
        <translation>Sie haben diesen Fall bereits freigegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No approval rule applies to this case</source>
        <translation>Für diesen Fall gilt keine Freigaberegel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every approval this case needs is already in</source>
        <translation>Alle nötigen Freigaben für diesen Fall liegen vor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs the %1 role</source>
        <translation>Braucht die Rolle %1</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>Offline: plugin actions need the server. They can be planned and run once it is reachable.</source>
        <translation>Offline: Plugin-Aktionen brauchen den Server. Sie können geplant und ausgeführt werden, sobald er erreichbar ist.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Needs the server</source>
        <translation>Braucht den Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A run is on its way; its result appears on the timeline</source>
        <translation>Eine Ausführung läuft; ihr Ergebnis erscheint im Verlauf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the plan first: Run sends exactly what it shows</source>
        <translation>Zuerst den Plan zeigen: „Ausführen“ sendet genau, was er zeigt</translation>
    </message>
</context>
<context>
    <name>latch::app::ProofController</name>
    <message>
        <location filename="../app/models/proofcontroller.cpp" line="+41"/>
        <source>%1 by %2 at %3</source>
        <translation>%1 von %2 um %3</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>The server gave no proof (%1).</source>
        <translation>Der Server hat keinen Nachweis geliefert (%1).</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>This computer knows no log key of this server to check the checkpoint&apos;s signature with.</source>
        <translation>Dieser Computer kennt keinen Protokollschlüssel dieses Servers, mit dem er die Signatur des Checkpoints prüfen könnte.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (key id %2), trusted by this computer since %3</source>
        <translation>%1 (Schlüssel-ID %2), dieser Computer vertraut ihm seit %3</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The checkpoint is signed by a key this computer first saw on %1 (key id %2), beside the key it trusted before: the server says it has a new log key. Compare the key id with what `latch-server key` prints before relying on it.</source>
        <translation>Der Checkpoint ist mit einem Schlüssel signiert, den dieser Computer am %1 zum ersten Mal gesehen hat (Schlüssel-ID %2), neben dem Schlüssel, dem er bisher vertraut hat: Der Server gibt an, einen neuen Protokollschlüssel zu haben. Vergleichen Sie die Schlüssel-ID mit der Ausgabe von `latch-server key`, bevor Sie sich darauf verlassen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This computer has trusted this server&apos;s log key (key id %1) since its first proof, on %2. Compare the key id with what `latch-server key` prints.</source>
        <translation>Dieser Computer vertraut dem Protokollschlüssel dieses Servers (Schlüssel-ID %1) seit dem ersten Nachweis am %2. Vergleichen Sie die Schlüssel-ID mit der Ausgabe von `latch-server key`.</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>All %n event(s) of this case, versions 1 to %1, are in the signed log %2, and their hash chain is whole. This computer&apos;s copy matches them.</source>
        <translation>
            <numerusform>Das einzige Ereignis dieses Falls, Version %1, ist im signierten Protokoll %2 enthalten, und die Kopie auf diesem Computer stimmt damit überein.</numerusform>
            <numerusform>Alle %n Ereignisse dieses Falls, Versionen 1 bis %1, sind im signierten Protokoll %2 enthalten, und ihre Hash-Kette ist lückenlos. Die Kopie auf diesem Computer stimmt mit ihnen überein.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>The server has %n newer event(s) than this computer; they arrive with the next sync.</source>
        <translation>
            <numerusform>Der Server hat %n neueres Ereignis als dieser Computer; es kommt mit der nächsten Synchronisierung.</numerusform>
            <numerusform>Der Server hat %n neuere Ereignisse als dieser Computer; sie kommen mit der nächsten Synchronisierung.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This case&apos;s history does not match the server&apos;s signed log. A stored event was changed, removed or added after it was logged, or the proof was damaged on its way. Tell your administrator: `latch-server verify` names the first bad event.</source>
        <translation>Die Historie dieses Falls stimmt nicht mit dem signierten Protokoll des Servers überein. Ein gespeichertes Ereignis wurde nach der Protokollierung geändert, entfernt oder hinzugefügt, oder der Nachweis wurde unterwegs beschädigt. Informieren Sie Ihre Administration: `latch-server verify` nennt das erste fehlerhafte Ereignis.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>This computer has version %1 of the case (%2), but the server&apos;s proof ends at version %3: the server&apos;s history is shorter than what this computer was sent.</source>
        <translation>Dieser Computer hat Version %1 des Falls (%2), aber der Nachweis des Servers endet bei Version %3: Die Historie des Servers ist kürzer als das, was dieser Computer erhalten hat.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Version %1 differs: this computer was sent %2, the signed log holds %3.</source>
        <translation>Version %1 weicht ab: Dieser Computer hat %2 erhalten, das signierte Protokoll enthält %3.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking…</source>
        <translation>Prüfe …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verified</source>
        <translation>Verifiziert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not verified</source>
        <translation>Nicht verifiziert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot check now</source>
        <translation>Derzeit nicht prüfbar</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Checked at %1</source>
        <translation>Geprüft um %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>There is no proof to export yet: check the proof first (it needs the server).</source>
        <translation>Es gibt noch keinen Nachweis zum Exportieren: Prüfen Sie zuerst den Nachweis (dafür wird der Server gebraucht).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a folder to write the bundle to.</source>
        <translation>Wählen Sie einen Ordner, in den das Paket geschrieben wird.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 already holds other files; choose an empty or new folder.</source>
        <translation>%1 enthält bereits andere Dateien; wählen Sie einen leeren oder neuen Ordner.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Exported to %1: bundle.json (the events and their proofs), checkpoint.note and report.html. Anyone can check it with `latchctl verify` and the server&apos;s log key.</source>
        <translation>Nach %1 exportiert: bundle.json (die Ereignisse und ihre Nachweise), checkpoint.note und report.html. Alle können das Paket mit `latchctl verify` und dem Protokollschlüssel des Servers prüfen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported to %1. It does not verify; the bundle shows your administrator where.</source>
        <translation>Nach %1 exportiert. Die Verifizierung schlägt fehl; das Paket zeigt Ihrer Administration, an welcher Stelle.</translation>
    </message>
</context>
<context>
    <name>latch::app::SyncWorker</name>
    <message>
        <location filename="../app/sync/syncworker.cpp" line="+106"/>
        <source>That is not a server address. Use the form wss://latch.example.com or localhost:7443.</source>
        <translation>Das ist keine Serveradresse. Verwenden Sie die Form wss://latch.example.com oder localhost:7443.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Enter your user name.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enter your password to sign in on this computer.</source>
        <translation>Geben Sie Ihr Passwort ein, um sich auf diesem Computer anzumelden.</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>This computer has no keychain service: enter a passphrase to protect the copy of your cases kept here.</source>
        <translation>Dieser Computer hat keinen Schlüsselbund-Dienst: Geben Sie eine Passphrase ein, um die hier gespeicherte Kopie Ihrer Fälle zu schützen.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>That passphrase does not open the copy of your cases on this computer. Try again, or start fresh to download your cases again (commands not yet sent from this computer would be lost).</source>
        <translation>Diese Passphrase öffnet die Kopie Ihrer Fälle auf diesem Computer nicht. Versuchen Sie es erneut oder beginnen Sie neu, um Ihre Fälle erneut herunterzuladen (noch nicht gesendete Befehle dieses Computers gingen dabei verloren).</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The copy of your cases on this computer could not be opened (%1). It was set aside and is being downloaded again.</source>
        <translation>Die Kopie Ihrer Fälle auf diesem Computer ließ sich nicht öffnen (%1). Sie wurde beiseitegelegt und wird erneut heruntergeladen.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n unsent command(s) were kept and will be sent.</source>
        <translation>
            <numerusform>%n nicht gesendeter Befehl wurde aufbewahrt und wird gesendet.</numerusform>
            <numerusform>%n nicht gesendete Befehle wurden aufbewahrt und werden gesendet.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A copy of them is in %1.</source>
        <translation>Eine Kopie davon liegt in %1.</translation>
    </message>
    <message>
        <location line="+232"/>
        <source>This case is no longer in your view (%1).</source>
        <translation>Dieser Fall ist für Sie nicht mehr sichtbar (%1).</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Sign in first.</source>
        <translation>Melden Sie sich zuerst an.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Sign in to see this case.</source>
        <translation>Melden Sie sich an, um diesen Fall zu sehen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This case is not among your cases.</source>
        <translation>Dieser Fall gehört nicht zu Ihren Fällen.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Offline: which rule applies and who may approve is shown when the server is reachable.</source>
        <translation>Offline: Welche Regel gilt und wer freigeben darf, wird angezeigt, sobald der Server erreichbar ist.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Offline: plugin actions need the server. They are listed again when it is reachable.</source>
        <translation>Offline: Plugin-Aktionen brauchen den Server. Sie werden wieder aufgelistet, sobald er erreichbar ist.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Offline: the plan of an action comes from the server.</source>
        <translation>Offline: Der Plan einer Aktion kommt vom Server.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Offline: the proof comes from the server&apos;s signed log. It is checked again when the server is reachable.</source>
        <translation>Offline: Der Nachweis kommt aus dem signierten Protokoll des Servers. Er wird erneut geprüft, sobald der Server erreichbar ist.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Offline: the audit searches the server&apos;s history. Search again when the server is reachable.</source>
        <translation>Offline: Das Audit durchsucht die Historie des Servers. Suchen Sie erneut, sobald der Server erreichbar ist.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The server&apos;s log keys could not be fetched (%1); the keys this computer already knows were used.</source>
        <translation>Die Protokollschlüssel des Servers konnten nicht abgerufen werden (%1); es wurden die Schlüssel verwendet, die dieser Computer bereits kennt.</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>Approval waiting on you</source>
        <translation>Eine Freigabe wartet auf Sie</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>New case in your queue</source>
        <translation>Neuer Fall in Ihrer Liste</translation>
    </message>
</context>
<context>
    <name>latch::app::SystemNotifier</name>
    <message>
        <location filename="../app/notify/systemnotifier.cpp" line="+103"/>
        <source>Open case</source>
        <translation>Fall öffnen</translation>
    </message>
</context>
<context>
    <name>latch::app::TimelineModel</name>
    <message>
        <location filename="../app/models/timelinemodel.cpp" line="+130"/>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+12"/>
        <source>Sending…</source>
        <translation>Wird gesendet …</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Refused by the server</source>
        <translation>Vom Server abgelehnt</translation>
    </message>
    <message>
        <location line="+181"/>
        <source>Opened</source>
        <translation>Eröffnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Assigned</source>
        <translation>Zugewiesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Marked ready</source>
        <translation>Bereit gemeldet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Blocked attempt</source>
        <translation>Blockierter Versuch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approvals voided</source>
        <translation>Freigaben ungültig</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+98"/>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+99"/>
        <source>Reopened</source>
        <translation>Wieder geöffnet</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Action requested</source>
        <translation>Aktion angefordert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action finished</source>
        <translation>Aktion beendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action updated</source>
        <translation>Aktion aktualisiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notified</source>
        <translation>Benachrichtigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel requested</source>
        <translation>Abbruch angefordert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received</source>
        <translation>Eingegangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Triage</source>
        <translation>Triage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Triage decided</source>
        <translation>Triage entschieden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Action succeeded</source>
        <translation>Aktion erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action failed</source>
        <translation>Aktion fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outcome unknown</source>
        <translation>Ergebnis unbekannt</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Case opened: %1</source>
        <translation>Fall eröffnet: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 case opened: %2</source>
        <translation>%1-Fall eröffnet: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changed %1</source>
        <translation>Geändert: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned to %1</source>
        <translation>Zugewiesen an %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Marked ready; no approval rule applies</source>
        <translation>Bereit gemeldet; keine Freigaberegel trifft zu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marked ready; rule %1: %2</source>
        <translation>Bereit gemeldet; Regel %1: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Approved as %1</source>
        <translation>Freigegeben als %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: “%2”</source>
        <translation>%1: „%2“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (rule satisfied)</source>
        <translation>%1 (Regel erfüllt)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Denied as %1: %2</source>
        <translation>Abgelehnt als %1: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>BLOCKED %1: %2 — %3</source>
        <translation>BLOCKIERT %1: %2 — %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Approvals voided: %1</source>
        <translation>Freigaben ungültig: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closed: %1</source>
        <translation>Geschlossen: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reopened: %1</source>
        <translation>Wieder geöffnet: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 requested</source>
        <translation>%1 angefordert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 succeeded</source>
        <translation>%1 erfolgreich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 succeeded: %2 is %3</source>
        <translation>%1 erfolgreich: %2 ist %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: %2 — %3</source>
        <translation>%1 fehlgeschlagen: %2 — %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: outcome unknown (%2 — %3); check before running it again</source>
        <translation>%1: Ergebnis unbekannt (%2 — %3); vor einer erneuten Ausführung prüfen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 finished</source>
        <translation>%1 beendet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is now %2 at the external system</source>
        <translation>%1 ist im externen System jetzt %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 notification not confirmed: %2 — %3</source>
        <translation>Benachrichtigung über %1 nicht bestätigt: %2 — %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Told %1 the approval is waiting; nobody can approve it now</source>
        <translation>%1 mitgeteilt, dass die Freigabe wartet; derzeit kann niemand sie freigeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Told %1 the approval is waiting for %2</source>
        <translation>%1 mitgeteilt, dass die Freigabe auf %2 wartet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Asked to cancel %1</source>
        <translation>Abbruch von %1 angefordert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asked to cancel %1: %2</source>
        <translation>Abbruch von %1 angefordert: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Received by %1 from %2</source>
        <translation>Eingegangen per %1 von %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert resolved</source>
        <translation>Alarm aufgehoben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert firing</source>
        <translation>Alarm ausgelöst</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n evidence file(s) kept</source>
        <translation>
            <numerusform>%n Nachweisdatei gespeichert</numerusform>
            <numerusform>%n Nachweisdateien gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Triage (%1) could not tell the type</source>
        <translation>Triage (%1) konnte die Art nicht bestimmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Triage (%1) suggests %2 at %3 %</source>
        <translation>Triage (%1) schlägt %2 vor, zu %3 % sicher</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1, priority %2</source>
        <translation>%1, Priorität %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Accepted triage&apos;s suggestion: %1</source>
        <translation>Vorschlag der Triage übernommen: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overrode triage: %1 instead of %2</source>
        <translation>Vorschlag der Triage ersetzt: %1 statt %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no type</source>
        <translation>keine Art</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An event this version of Latch does not know</source>
        <translation>Ein Ereignis, das diese Latch-Version nicht kennt</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Create case: %1</source>
        <translation>Fall anlegen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note: %1</source>
        <translation>Notiz: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change the case&apos;s fields</source>
        <translation>Felder des Falls ändern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unassign</source>
        <translation>Zuweisung aufheben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign to %1</source>
        <translation>An %1 zuweisen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark ready for approval</source>
        <translation>Zur Freigabe bereit melden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve: “%1”</source>
        <translation>Freigeben: „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deny: %1</source>
        <translation>Ablehnen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close: %1</source>
        <translation>Schließen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reopen: %1</source>
        <translation>Wieder öffnen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1</source>
        <translation>%1 ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record how %1 ended</source>
        <translation>Festhalten, wie %1 ausging</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel %1</source>
        <translation>%1 abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record a delivery</source>
        <translation>Eine Zustellung festhalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Record a triage suggestion</source>
        <translation>Einen Triage-Vorschlag festhalten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accept triage&apos;s suggestion</source>
        <translation>Vorschlag der Triage übernehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the type to %1</source>
        <translation>Art auf %1 setzen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A command</source>
        <translation>Ein Befehl</translation>
    </message>
</context>
<context>
    <name>latch::app::UiText</name>
    <message>
        <location filename="../app/models/uitext.cpp" line="+29"/>
        <source>In review</source>
        <translation>In Prüfung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Awaiting approval</source>
        <translation>Wartet auf Freigabe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vendor bank change</source>
        <translation>Bankdatenänderung Lieferant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Escalation</source>
        <translation>Eskalation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Invoice dispute</source>
        <translation>Rechnungsreklamation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Arrived by email</source>
        <translation>Per E-Mail eingegangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arrived by webhook</source>
        <translation>Per Webhook eingegangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arrived as an alert</source>
        <translation>Als Alarm eingegangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arrived through a form</source>
        <translation>Über ein Formular eingegangen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arrived by %1</source>
        <translation>Eingegangen über %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wrong user name or password</source>
        <translation>Falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account is locked for now</source>
        <translation>Dieses Konto ist vorübergehend gesperrt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account is disabled</source>
        <translation>Dieses Konto ist deaktiviert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter your user name and password</source>
        <translation>Geben Sie Benutzername und Passwort ein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot reach the server</source>
        <translation>Der Server ist nicht erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s certificate is not trusted</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That is not a server address</source>
        <translation>Das ist keine Serveradresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a longer passphrase</source>
        <translation>Wählen Sie eine längere Passphrase</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key for this computer&apos;s copy is not available</source>
        <translation>Der Schlüssel für die Kopie auf diesem Computer ist nicht verfügbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This computer&apos;s copy cannot be opened</source>
        <translation>Die Kopie auf diesem Computer lässt sich nicht öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign-in failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Syncing…</source>
        <translation>Synchronisiere …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Requested: waiting for the result</source>
        <translation>Angefordert: wartet auf das Ergebnis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outcome unknown: check the external system</source>
        <translation>Ergebnis unbekannt: im externen System prüfen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 Min.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h</source>
        <translation>%1 Std.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d</source>
        <translation>%1 T.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 or %2</source>
        <translation>%1 oder %2</translation>
    </message>
</context>
<context>
    <name>latch::app::WsConnection</name>
    <message>
        <location filename="../app/sync/wsconnection.cpp" line="+18"/>
        <source>The server did not answer in time. Check the address and your network.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet. Prüfen Sie die Adresse und Ihr Netzwerk.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server sent something this app does not understand.</source>
        <translation>Der Server hat etwas gesendet, das diese App nicht versteht.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The server&apos;s certificate is not trusted (%1). Check the address, or ask your administrator for the right certificate.</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut (%1). Prüfen Sie die Adresse oder fragen Sie Ihre Administration nach dem richtigen Zertifikat.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot reach the server (%1). Check the address and your network.</source>
        <translation>Der Server ist nicht erreichbar (%1). Prüfen Sie die Adresse und Ihr Netzwerk.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The connection to the server was closed (%1).</source>
        <translation>Die Verbindung zum Server wurde geschlossen (%1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot reach the server. Check the address and your network.</source>
        <translation>Der Server ist nicht erreichbar. Prüfen Sie die Adresse und Ihr Netzwerk.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>That is not a server address. Use the form wss://latch.example.com or localhost:7443.</source>
        <translation>Das ist keine Serveradresse. Verwenden Sie die Form wss://latch.example.com oder localhost:7443.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The certificate file %1 holds no PEM certificate to trust.</source>
        <translation>Die Zertifikatsdatei %1 enthält kein PEM-Zertifikat, dem vertraut werden könnte.</translation>
    </message>
</context>
</TS>
