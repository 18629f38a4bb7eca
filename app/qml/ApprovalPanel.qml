import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Which rule applies, each stage with who approved and who still may, what is missing, and the
// approve / deny controls. When the app reads the case as "you may not approve" the reason is
// shown and Approve is disabled; "Ask the server anyway" still sends it, because the server, not
// the app, decides, and a refused attempt is part of the case's record.
Card {
    id: panel
    required property CaseController controller

    function approve() {
        if (controller.approve(commentField.text))
            commentField.text = ""
    }
    function focusDenyReason() {
        denyField.forceActiveFocus()
    }

    ColumnLayout {
        width: parent.width
        spacing: Theme.spacing

        SectionHeading { text: qsTr("Approval") }

        Label {
            objectName: "ruleLabel"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            font.bold: true
            text: !panel.controller.rulesKnown ? qsTr("Checking which rule applies…")
                : panel.controller.ruleMatched ? qsTr("Rule %1").arg(panel.controller.ruleName)
                : qsTr("No approval rule applies")
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: Theme.muted
            text: panel.controller.ruleExplanation
        }
        Label {
            objectName: "rulesMessage"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: Theme.warning
            text: panel.controller.rulesMessage
        }

        Repeater {
            model: panel.controller.stages
            delegate: Rectangle {
                required property var modelData
                Layout.fillWidth: true
                implicitHeight: stageColumn.implicitHeight + 12
                radius: 4
                color: modelData.satisfied ? Theme.successBg : Theme.alternateBase
                border.color: modelData.satisfied ? Theme.success : Theme.border
                ColumnLayout {
                    id: stageColumn
                    anchors.fill: parent
                    anchors.margins: 6
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        font.bold: true
                        text: qsTr("Stage %1: %n approval(s) from %2", "", modelData.required)
                                  .arg(modelData.number).arg(modelData.roles)
                    }
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: modelData.satisfied ? Theme.success : Theme.muted
                        text: modelData.satisfied ? qsTr("Done: approved by %1").arg(modelData.approvedBy)
                            : modelData.approvedBy !== "" ? qsTr("Approved so far by %1").arg(modelData.approvedBy)
                            : qsTr("No approvals yet")
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: !modelData.satisfied && modelData.eligible !== ""
                        wrapMode: Text.Wrap
                        color: Theme.muted
                        text: qsTr("Can approve now: %1").arg(modelData.eligible)
                    }
                }
            }
        }

        Repeater {
            model: panel.controller.missing
            delegate: Label {
                required property string modelData
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.warning
                text: qsTr("• %1").arg(modelData)
            }
        }
        Repeater {
            model: panel.controller.ruleNotes
            delegate: Label {
                required property string modelData
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.muted
                text: qsTr("Note: %1").arg(modelData)
            }
        }
        Label {
            visible: panel.controller.rulesKnown && panel.controller.ruleMatched
                     && panel.controller.ruleSatisfied
            text: qsTr("✓ Every approval the rule needs is in")
            color: Theme.success
            font.bold: true
        }

        // --- approve ---
        ColumnLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing
            visible: panel.controller.awaitingApproval
            spacing: Theme.spacing

            TextField {
                id: commentField
                objectName: "approveComment"
                Layout.fillWidth: true
                placeholderText: qsTr("Comment (optional)")
                Accessible.name: qsTr("Approval comment")
                onAccepted: if (panel.controller.canApprove) panel.approve()
            }
            Button {
                objectName: "approveButton"
                Layout.fillWidth: true
                text: qsTr("Approve (A)")
                highlighted: true
                enabled: panel.controller.canApprove
                Accessible.name: qsTr("Approve the case")
                onClicked: panel.approve()
            }
            Label {
                objectName: "approveReason"
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.Wrap
                color: Theme.warning
                text: panel.controller.approveDisabledReason
            }
            Button {
                objectName: "tryApproveButton"
                visible: !panel.controller.canApprove && !panel.controller.decisionPending
                flat: true
                text: qsTr("Ask the server anyway")
                Accessible.name: qsTr("Send the approval to the server anyway")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("The server decides. A refused attempt is recorded on the case.")
                onClicked: panel.approve()
            }

            TextField {
                id: denyField
                objectName: "denyReason"
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                placeholderText: qsTr("Reason for denying (D)")
                Accessible.name: qsTr("Reason for denying")
                onAccepted: denyButton.clicked()
            }
            Button {
                id: denyButton
                objectName: "denyButton"
                Layout.fillWidth: true
                text: qsTr("Deny")
                enabled: panel.controller.canApprove && denyField.text.trim() !== ""
                Accessible.name: qsTr("Deny the case")
                onClicked: if (panel.controller.deny(denyField.text)) denyField.text = ""
            }
        }
        Label {
            Layout.fillWidth: true
            visible: !panel.controller.awaitingApproval && panel.controller.approveDisabledReason !== ""
            wrapMode: Text.Wrap
            color: Theme.muted
            text: panel.controller.approveDisabledReason
        }
    }
}
