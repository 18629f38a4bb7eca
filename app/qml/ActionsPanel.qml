import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// The plugin actions the rule check lists for this case: gated ones wait for the approvals the
// rule needs; allowed ones can run now. Running one asks the server, which applies the gate again.
Card {
    id: panel
    required property CaseController controller

    ColumnLayout {
        width: parent.width
        spacing: Theme.spacing

        SectionHeading { text: qsTr("Plugin actions") }

        Label {
            objectName: "noActionsLabel"
            Layout.fillWidth: true
            visible: panel.controller.actions.length === 0
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No plugin actions for this case yet")
        }

        Repeater {
            model: panel.controller.actions
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        text: modelData.name
                        font.bold: true
                    }
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: modelData.allowed ? Theme.success : Theme.warning
                        text: modelData.allowed ? qsTr("Approved: can run now")
                                                : qsTr("Waiting for the approvals the rule needs")
                    }
                }
                Button {
                    text: qsTr("Run")
                    enabled: modelData.allowed
                    Accessible.name: qsTr("Run %1").arg(modelData.name)
                    onClicked: panel.controller.runAction(modelData.name)
                }
            }
        }
    }
}
