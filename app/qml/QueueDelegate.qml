import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// One queue row: how the case arrived (an icon; none for cases made in the app), title and amount,
// then status, type, customer, order, age and assignee, with badges for commands still being sent
// and for an approval waiting on the user.
ItemDelegate {
    id: row
    required property int index
    required property string caseId
    required property string title
    required property string status
    required property string statusText
    required property string typeText
    required property string customer
    required property string orderRef
    required property string amountText
    required property string ageText
    required property string assignee
    required property int pending
    required property bool waitingForMe
    required property string channel
    required property string channelText
    // The row the keyboard is on (Up/Down move it, Enter opens it); drawn as a frame, apart from
    // the highlighted row, which is the case open beside the list.
    property bool keyboardCurrent: false

    padding: 10
    leftPadding: 14
    Accessible.name: channelText !== ""
        ? qsTr("%1, %2, %3, %4").arg(title).arg(statusText).arg(customer).arg(channelText)
        : qsTr("%1, %2, %3").arg(title).arg(statusText).arg(customer)

    background: Rectangle {
        color: row.highlighted ? Theme.selection : (row.hovered ? Theme.alternateBase : Theme.base)
        border.width: row.keyboardCurrent ? 2 : 0
        border.color: Theme.accent
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.border
            opacity: 0.6
        }
        Rectangle {
            visible: row.waitingForMe
            width: 3
            height: parent.height
            color: Theme.warning
        }
    }

    contentItem: ColumnLayout {
        spacing: 4
        RowLayout {
            spacing: Theme.spacing
            ChannelIcon {
                objectName: "channelIcon"
                channel: row.channel
                text: row.channelText
            }
            Label {
                Layout.fillWidth: true
                text: row.title
                font.bold: true
                elide: Text.ElideRight
            }
            Label {
                text: row.amountText
                font.bold: true
            }
        }
        RowLayout {
            spacing: Theme.spacing
            StatusChip {
                status: row.status
                text: row.statusText
            }
            Label {
                Layout.fillWidth: true
                text: [row.typeText, row.customer, row.orderRef].filter(s => s !== "").join(" · ")
                color: Theme.muted
                elide: Text.ElideRight
            }
            Label {
                text: row.ageText
                color: Theme.muted
            }
        }
        RowLayout {
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: row.assignee !== "" ? qsTr("Assigned to %1").arg(row.assignee) : qsTr("Unassigned")
                color: Theme.muted
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Badge {
                visible: row.waitingForMe
                text: qsTr("Waiting for you")
                tint: Theme.warning
                fill: Theme.warningBg
            }
            Badge {
                visible: row.pending > 0
                text: qsTr("%n sending", "", row.pending)
                tint: Theme.muted
                fill: Theme.neutralBg
            }
        }
    }
}
