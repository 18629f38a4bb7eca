import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Triage's suggestion for the case (Case.triage): the type and how sure the model is, the
// priority, the rule that would apply, the facts it found in the text, and the answer: Accept, or
// Override with another type. Shown while a suggestion waits for a person; the answer goes
// through the outbox as decide_triage, and the card goes once the server has recorded it. When
// triage could not tell the type, only a chosen type can answer it.
Rectangle {
    id: card
    required property CaseController controller

    objectName: "triageCard"
    implicitHeight: column.implicitHeight + 20
    radius: Theme.radius
    color: Theme.triageBg
    border.color: Theme.triage
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Triage suggestion")

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 10
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                objectName: "triageHeading"
                Layout.fillWidth: true
                font.bold: true
                color: Theme.triage
                wrapMode: Text.Wrap
                text: card.controller.triageHasType
                      ? qsTr("Triage suggests: %1").arg(card.controller.triageTypeText)
                      : qsTr("Triage could not tell the type")
                Accessible.role: Accessible.Heading
            }
            Badge {
                objectName: "triageConfidence"
                visible: card.controller.triageHasType
                text: qsTr("%1 % confident").arg(card.controller.triageConfidence)
                tint: Theme.triage
                fill: Theme.card
            }
            Badge {
                objectName: "triagePriority"
                visible: card.controller.triagePriority !== ""
                text: qsTr("Priority: %1").arg(card.controller.triagePriorityText)
                tint: Theme.priorityColor(card.controller.triagePriority)
                fill: Theme.card
            }
        }

        Label {
            objectName: "triageRule"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            text: card.controller.triageRuleText
        }
        Label {
            Layout.fillWidth: true
            visible: !card.controller.triageHasType
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("No type reached the model's confidence threshold. Choose one below.")
        }

        // What the model found in the text; accepting fills the case's empty facts with it.
        ColumnLayout {
            objectName: "triageFacts"
            Layout.fillWidth: true
            visible: card.controller.triageFacts.length > 0
            spacing: 2
            Label {
                text: qsTr("Found in the message")
                color: Theme.muted
                font.pixelSize: 12
            }
            Repeater {
                model: card.controller.triageFacts
                delegate: RowLayout {
                    id: fact
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("%1: %2").arg(modelData.label).arg(modelData.value)
                    Label {
                        Layout.preferredWidth: 80
                        text: fact.modelData.label
                        color: Theme.muted
                    }
                    Label {
                        Layout.fillWidth: true
                        text: fact.modelData.value
                        font.bold: true
                        elide: Text.ElideRight
                    }
                }
            }
        }

        Label {
            objectName: "triageModel"
            Layout.fillWidth: true
            visible: card.controller.triageModel !== ""
            color: Theme.muted
            font.pixelSize: 11
            text: qsTr("Suggested by %1. Nothing changes until you decide.")
                  .arg(card.controller.triageModel)
        }

        Label {
            objectName: "triagePendingLabel"
            Layout.fillWidth: true
            visible: card.controller.triagePending
            wrapMode: Text.Wrap
            color: Theme.muted
            text: qsTr("Sending your answer…")
        }

        RowLayout {
            spacing: Theme.spacing
            enabled: !card.controller.triagePending
            Button {
                objectName: "triageAcceptButton"
                visible: card.controller.triageHasType
                text: qsTr("Accept")
                highlighted: true
                Accessible.name: qsTr("Accept the suggested type %1").arg(card.controller.triageTypeText)
                onClicked: card.controller.acceptTriage()
            }
            ComboBox {
                id: overrideBox
                objectName: "triageTypeBox"
                model: card.controller.triageTypeChoices
                textRole: "text"
                valueRole: "type"
                implicitContentWidthPolicy: ComboBox.WidestText
                Accessible.name: qsTr("Type to use instead")
            }
            Button {
                objectName: "triageOverrideButton"
                text: card.controller.triageHasType ? qsTr("Override") : qsTr("Set type")
                flat: card.controller.triageHasType
                enabled: overrideBox.currentIndex >= 0
                Accessible.name: qsTr("Use %1 as the case's type").arg(overrideBox.currentText)
                onClicked: card.controller.overrideTriage(overrideBox.currentValue)
            }
        }
    }
}
