import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// One timeline entry. Confirmed events are solid cards with a stripe in their kind's colour;
// blocked attempts, and action runs that failed or whose outcome is unknown, stand out in red; the
// user's commands not yet accepted are faded with "Sending…", or red with the server's refusal.
// A finished action run can be opened to read the request sent and the response received.
Rectangle {
    id: entry
    required property string kind
    required property string kindText
    required property string actor
    required property string timeText
    required property string summary
    required property bool blocked
    required property bool pending
    required property bool rejected
    required property string stateText
    required property string code
    required property string message
    required property string commandId
    required property bool failed
    required property string request
    required property string response

    readonly property bool alarming: blocked || rejected || failed
    property bool expanded: false
    implicitHeight: column.implicitHeight + 16
    radius: Theme.radius
    color: alarming ? Theme.dangerBg : pending ? Theme.alternateBase : Theme.card
    border.color: alarming ? Theme.danger : Theme.border
    border.width: alarming ? 2 : 1
    opacity: pending ? 0.8 : 1
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("%1 by %2 at %3: %4").arg(kindText).arg(actor).arg(timeText).arg(summary)

    Rectangle {
        width: 4
        height: parent.height - 2 * entry.border.width
        x: entry.border.width
        y: entry.border.width
        radius: 2
        color: entry.pending ? Theme.muted : entry.rejected ? Theme.danger : Theme.kindColor(entry.kind)
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 8
        anchors.leftMargin: 14
        spacing: 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                text: entry.kindText
                font.bold: true
                font.capitalization: entry.alarming ? Font.AllUppercase : Font.MixedCase
                color: entry.alarming ? Theme.danger : entry.pending ? Theme.muted : Theme.kindColor(entry.kind)
            }
            Label {
                Layout.fillWidth: true
                text: entry.actor
                color: Theme.muted
                elide: Text.ElideRight
            }
            Label {
                text: entry.timeText
                color: Theme.muted
                font.pixelSize: 12
            }
        }
        Label {
            Layout.fillWidth: true
            text: entry.summary
            wrapMode: Text.Wrap
            font.italic: entry.pending
            color: entry.alarming ? Theme.danger : Theme.text
        }
        Button {
            objectName: "exchangeToggle"
            visible: entry.request.length > 0 || entry.response.length > 0
            flat: true
            padding: 2
            text: entry.expanded ? qsTr("Hide request and response") : qsTr("Show request and response")
            Accessible.name: text
            onClicked: entry.expanded = !entry.expanded
        }
        Label {
            objectName: "exchangeRequest"
            Layout.fillWidth: true
            visible: entry.expanded && entry.request.length > 0
            text: qsTr("Request:\n%1").arg(entry.request)
            wrapMode: Text.WrapAnywhere
            font.family: "monospace"
            font.pixelSize: 12
            color: Theme.muted
        }
        Label {
            objectName: "exchangeResponse"
            Layout.fillWidth: true
            visible: entry.expanded && entry.response.length > 0
            text: qsTr("Response:\n%1").arg(entry.response)
            wrapMode: Text.WrapAnywhere
            font.family: "monospace"
            font.pixelSize: 12
            color: Theme.muted
        }
        RowLayout {
            Layout.fillWidth: true
            visible: entry.pending || entry.rejected
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: entry.rejected ? Theme.danger : Theme.muted
                text: entry.rejected ? qsTr("%1: %2 — %3").arg(entry.stateText).arg(entry.code).arg(entry.message)
                                     : entry.stateText
            }
            Button {
                visible: entry.rejected
                flat: true
                text: qsTr("Dismiss")
                Accessible.name: qsTr("Dismiss the refused command")
                onClicked: AppSession.dismiss(entry.commandId)
            }
        }
    }
}
