import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Triage's suggestion for the case type, to accept or override. Shown only when the case carries
// a triage.type field that nobody has decided on yet.
Rectangle {
    id: card
    required property CaseController controller

    objectName: "triageCard"
    implicitHeight: column.implicitHeight + 20
    radius: Theme.radius
    color: Theme.infoBg
    border.color: Theme.info

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 10
        spacing: 4
        Label {
            Layout.fillWidth: true
            font.bold: true
            color: Theme.info
            wrapMode: Text.Wrap
            text: qsTr("Triage suggests: %1").arg(card.controller.triageTypeText)
                  + (card.controller.triagePriority !== ""
                     ? qsTr(", priority %1").arg(card.controller.triagePriority) : "")
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: Theme.muted
            text: card.controller.triageReason
        }
        RowLayout {
            spacing: Theme.spacing
            Button {
                text: qsTr("Accept")
                Accessible.name: qsTr("Accept the suggested type")
                onClicked: card.controller.acceptTriage()
            }
            ComboBox {
                id: overrideBox
                model: ["refund", "vendor_bank_change", "escalation"]
                displayText: UiText.typeText(currentText)
                Accessible.name: qsTr("Type to use instead")
            }
            Button {
                text: qsTr("Override")
                flat: true
                Accessible.name: qsTr("Use the chosen type instead")
                onClicked: card.controller.overrideTriage(overrideBox.currentText)
            }
        }
    }
}
