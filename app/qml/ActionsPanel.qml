import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// The plugin actions the server offers on this case. Each says whether it may run now and, when
// not, the server's reason; "Show plan" shows exactly what running it would send, and "Run" sends
// that plan (the server checks the gate again and refuses if the case changed since). A run's
// progress and the external system's reply appear on the timeline. Everything decided here comes
// from CaseController.
Card {
    id: panel
    required property CaseController controller

    ColumnLayout {
        width: parent.width
        spacing: Theme.spacing

        SectionHeading { text: qsTr("Plugin actions") }

        Label {
            objectName: "actionsMessage"
            Layout.fillWidth: true
            visible: text.length > 0
            wrapMode: Text.Wrap
            color: Theme.warning
            text: panel.controller.actionsMessage
        }

        Label {
            objectName: "noActionsLabel"
            Layout.fillWidth: true
            visible: panel.controller.actionsKnown && panel.controller.actions.length === 0
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No plugin offers an action for this case")
        }

        Repeater {
            objectName: "actionRows"
            model: panel.controller.actions
            delegate: ColumnLayout {
                id: row
                required property var modelData
                required property int index
                Layout.fillWidth: true
                spacing: 2

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            objectName: "actionLabel_" + row.modelData.action
                            Layout.fillWidth: true
                            text: row.modelData.label
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            text: row.modelData.gated ? qsTr("%1 · gated by the approval rule").arg(row.modelData.action)
                                                      : row.modelData.action
                            color: Theme.muted
                            font.pixelSize: 12
                            elide: Text.ElideRight
                        }
                    }
                    Button {
                        objectName: "showPlanButton_" + row.modelData.action
                        text: qsTr("Show plan")
                        enabled: row.modelData.canPlan
                        Accessible.name: qsTr("Show what %1 would send").arg(row.modelData.label)
                        onClicked: panel.controller.showPlan(row.modelData.action)
                    }
                    Button {
                        objectName: "runButton_" + row.modelData.action
                        text: qsTr("Run")
                        highlighted: row.modelData.canRun
                        enabled: row.modelData.canRun
                        Accessible.name: qsTr("Run %1").arg(row.modelData.label)
                        onClicked: panel.controller.runAction(row.modelData.action)
                    }
                }
                Label {
                    objectName: "actionState_" + row.modelData.action
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.Wrap
                    color: Theme.actionStateColor(row.modelData.lastState)
                    text: row.modelData.stateText
                }
                Label {
                    objectName: "actionReason_" + row.modelData.action
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.Wrap
                    color: row.modelData.allowedNow ? Theme.muted : Theme.warning
                    text: row.modelData.runDisabledReason
                }
            }
        }

        // The plan asked for: the plugin's summary and the exact parameters it would send.
        Rectangle {
            objectName: "planBox"
            Layout.fillWidth: true
            visible: panel.controller.planAction.length > 0
            implicitHeight: planColumn.implicitHeight + 2 * Theme.spacing
            radius: Theme.radius
            color: Theme.alternateBase
            border.color: Theme.border

            ColumnLayout {
                id: planColumn
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: 4

                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Plan for %1").arg(panel.controller.planAction)
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Button {
                        objectName: "closePlanButton"
                        flat: true
                        text: qsTr("Close")
                        Accessible.name: qsTr("Close the plan")
                        onClicked: panel.controller.closePlan()
                    }
                }
                BusyIndicator {
                    visible: panel.controller.planBusy
                    running: visible
                    Layout.preferredHeight: 24
                    Layout.preferredWidth: 24
                }
                Label {
                    objectName: "planError"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.Wrap
                    color: Theme.danger
                    text: panel.controller.planError
                }
                Label {
                    objectName: "planSummary"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.Wrap
                    text: panel.controller.planSummary
                }
                Label {
                    objectName: "planRequest"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    color: Theme.muted
                    text: panel.controller.planRequest
                }
                Label {
                    objectName: "planParameters"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.WrapAnywhere
                    font.family: "monospace"
                    text: panel.controller.planParameters
                    Accessible.name: qsTr("Parameters: %1").arg(text)
                }
            }
        }
    }
}
