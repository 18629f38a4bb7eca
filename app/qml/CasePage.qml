import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// One case: facts, the triage suggestion, the server's latest refusal, and two tabs on the left —
// the timeline with the note composer, and the proof (verified badge, checkpoint, export); the
// approval panel and plugin actions on the right.
// Keyboard: N writes a note, Ctrl+Enter sends it, A approves, D goes to the deny reason.
Page {
    id: page
    objectName: "casePage"
    property string caseId
    property alias controller: ctrl
    property alias proof: proofCtrl
    // 0: the timeline, 1: the proof
    function showTab(index) { tabs.currentIndex = index }
    background: Rectangle { color: Theme.window }

    component FactName: Label { color: Theme.muted }
    component FactValue: Label {
        Layout.fillWidth: true
        elide: Text.ElideRight
        font.bold: true
    }

    function sendNote() {
        if (ctrl.addNote(noteField.text))
            noteField.text = ""
    }

    CaseController {
        id: ctrl
        session: AppSession
        caseId: page.caseId
    }
    ProofController {
        id: proofCtrl
        session: AppSession
        caseId: page.caseId
        active: tabs.currentIndex === 1 && page.visible
    }

    Label {
        anchors.centerIn: parent
        visible: !ctrl.loaded
        width: parent.width - 64
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        color: Theme.muted
        text: ctrl.goneReason !== "" ? ctrl.goneReason
            : page.caseId === "" ? qsTr("Select a case in the queue (Up/Down, Enter).")
            : qsTr("Loading…")
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.pagePadding
        spacing: Theme.pagePadding
        visible: ctrl.loaded

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 1.5

            // --- heading and facts ---
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Label {
                    objectName: "caseTitle"
                    Layout.fillWidth: true
                    text: ctrl.title
                    font.pixelSize: 20
                    font.bold: true
                    wrapMode: Text.Wrap
                    Accessible.role: Accessible.Heading
                }
                ChannelIcon {
                    objectName: "caseChannel"
                    channel: ctrl.channel
                    text: ctrl.channelText
                }
                StatusChip {
                    objectName: "caseStatus"
                    status: ctrl.status
                    text: ctrl.statusText
                }
            }
            Card {
                Layout.fillWidth: true
                GridLayout {
                    width: parent.width
                    columns: 4
                    columnSpacing: Theme.pagePadding
                    rowSpacing: 4
                    FactName { text: qsTr("Type") }
                    FactValue { text: ctrl.typeText || qsTr("—") }
                    FactName { text: qsTr("Amount") }
                    FactValue { objectName: "caseAmount"; text: ctrl.amountText || qsTr("—") }
                    FactName { text: qsTr("Customer") }
                    FactValue { text: ctrl.customer || qsTr("—") }
                    FactName { text: qsTr("Order") }
                    FactValue { text: ctrl.orderRef || qsTr("—") }
                    FactName { text: qsTr("Requested by") }
                    FactValue { text: ctrl.requester || qsTr("—") }
                    FactName { text: qsTr("Prepared by") }
                    FactValue { text: ctrl.preparer || qsTr("not yet") }
                    FactName { text: qsTr("Assignee") }
                    FactValue { text: ctrl.assignee || qsTr("unassigned") }
                    FactName { text: qsTr("Rule") }
                    FactValue { text: ctrl.rule || qsTr("none yet") }
                    FactName { text: qsTr("Priority"); visible: ctrl.priority !== "" }
                    FactValue { text: ctrl.priorityText; visible: ctrl.priority !== "" }
                    Repeater {
                        model: ctrl.fields
                        delegate: Label {
                            required property var modelData
                            Layout.columnSpan: 2
                            text: qsTr("%1: %2").arg(modelData.key).arg(modelData.value)
                            color: Theme.muted
                        }
                    }
                }
            }

            TriageCard {
                Layout.fillWidth: true
                controller: ctrl
                visible: ctrl.triageVisible
            }

            // --- the server's latest refusal on this case ---
            Rectangle {
                id: refusalBanner
                objectName: "refusalBanner"
                Layout.fillWidth: true
                visible: ctrl.lastRefusalCode !== ""
                // Plain positioning inside: the wrapped text gets its width from the banner and
                // its height back from the text, with no layout in between to cache a stale one.
                implicitHeight: Math.max(refusalColumn.height, dismissRefusal.implicitHeight) + 16
                radius: Theme.radius
                color: Theme.dangerBg
                border.color: Theme.danger
                Accessible.role: Accessible.AlertMessage
                Accessible.name: refusalText.text

                Column {
                    id: refusalColumn
                    x: 8
                    y: 8
                    // From the column the banner fills, not the banner: that width is final before
                    // the column lays out, so the text has wrapped when its height is read.
                    width: refusalBanner.parent.width - dismissRefusal.width - 24
                    spacing: 2
                    Label {
                        width: parent.width
                        text: qsTr("The server refused: %1").arg(ctrl.lastRefusalSummary)
                        color: Theme.danger
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Label {
                        id: refusalText
                        objectName: "refusalText"
                        width: parent.width
                        text: qsTr("%1 — %2").arg(ctrl.lastRefusalCode).arg(ctrl.lastRefusalMessage)
                        color: Theme.danger
                        wrapMode: Text.Wrap
                    }
                }
                Button {
                    id: dismissRefusal
                    anchors.right: parent.right
                    anchors.rightMargin: 8
                    y: 8
                    text: qsTr("Dismiss")
                    Accessible.name: qsTr("Dismiss the refusal")
                    onClicked: ctrl.dismissRefusal()
                }
            }

            // --- the timeline and the proof, as tabs ---
            RowLayout {
                Layout.fillWidth: true
                TabBar {
                    id: tabs
                    objectName: "caseTabs"
                    Layout.fillWidth: true
                    TabButton {
                        objectName: "timelineTab"
                        text: qsTr("Timeline")
                        width: implicitWidth
                    }
                    TabButton {
                        objectName: "proofTab"
                        text: proofCtrl.state === ProofController.Verified ? qsTr("Proof \u2714")
                            : proofCtrl.state === ProofController.NotVerified ? qsTr("Proof \u2716")
                            : qsTr("Proof")
                        width: implicitWidth
                    }
                }
                Label {
                    visible: ctrl.pendingCount > 0
                    text: qsTr("%n sending", "", ctrl.pendingCount)
                    color: Theme.muted
                }
            }
            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: tabs.currentIndex

                ColumnLayout {
                    spacing: Theme.spacing * 1.5
                    ListView {
                        id: timeline
                        objectName: "timelineList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        Layout.minimumHeight: 120
                        clip: true
                        spacing: 6
                        model: ctrl.timeline
                        boundsBehavior: Flickable.StopAtBounds
                        Accessible.role: Accessible.List
                        Accessible.name: qsTr("Timeline")
                        ScrollBar.vertical: ScrollBar {}
                        delegate: TimelineDelegate {
                            width: ListView.view.width - 12
                        }
                        // The newest entry is the one the user just acted on: keep it in sight.
                        onCountChanged: Qt.callLater(positionViewAtEnd)
                    }

                    // --- note composer ---
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        ScrollView {
                            Layout.fillWidth: true
                            Layout.preferredHeight: Math.min(120, Math.max(60, noteField.implicitHeight))
                            TextArea {
                                id: noteField
                                objectName: "noteField"
                                placeholderText: ctrl.canAddNote ? qsTr("Add a note (N), send with Ctrl+Enter")
                                                                 : qsTr("This case is closed")
                                enabled: ctrl.canAddNote
                                wrapMode: TextEdit.Wrap
                                Accessible.name: qsTr("Note")
                                Keys.onPressed: event => {
                                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                            && (event.modifiers & Qt.ControlModifier)) {
                                        page.sendNote()
                                        event.accepted = true
                                    } else if (event.key === Qt.Key_Escape) {
                                        timeline.forceActiveFocus()
                                        event.accepted = true
                                    }
                                }
                            }
                        }
                        ColumnLayout {
                            Button {
                                objectName: "addNoteButton"
                                Layout.fillWidth: true
                                text: qsTr("Add note")
                                enabled: ctrl.canAddNote && noteField.text.trim() !== ""
                                Accessible.name: qsTr("Add the note")
                                onClicked: page.sendNote()
                            }
                            Button {
                                objectName: "markReadyButton"
                                Layout.fillWidth: true
                                text: qsTr("Mark ready")
                                enabled: ctrl.canMarkReady
                                Accessible.name: qsTr("Mark the case ready for approval")
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Ends your review; the approval rule decides who approves next.")
                                onClicked: ctrl.markReady()
                            }
                        }
                    }
                }

                ProofPanel {
                    objectName: "proofPanel"
                    proof: proofCtrl
                }
            }
        }

        ScrollView {
            Layout.preferredWidth: 360
            Layout.fillHeight: true
            contentWidth: availableWidth
            clip: true
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing * 1.5
                ApprovalPanel {
                    id: approval
                    Layout.fillWidth: true
                    controller: ctrl
                }
                ActionsPanel {
                    Layout.fillWidth: true
                    controller: ctrl
                }
            }
        }
    }

    Shortcut {
        sequence: "N"
        enabled: page.visible && ctrl.canAddNote
        onActivated: noteField.forceActiveFocus()
    }
    Shortcut {
        sequence: "A"
        enabled: page.visible && ctrl.canApprove
        onActivated: approval.approve()
    }
    Shortcut {
        sequence: "D"
        enabled: page.visible && ctrl.awaitingApproval
        onActivated: approval.focusDenyReason()
    }
}
