import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Says the app works from its local copy while the server is out of reach, and how many of the
// user's commands wait to be sent (they go out, in order, when the connection is back).
Rectangle {
    id: banner
    objectName: "offlineBanner"
    visible: AppSession.state === AppSession.Offline
    implicitHeight: row.implicitHeight + 12
    color: Theme.warningBg
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.warning
        opacity: 0.4
    }

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.pagePadding
        anchors.rightMargin: Theme.pagePadding
        spacing: Theme.spacing

        Label {
            text: qsTr("Offline")
            font.bold: true
            color: Theme.warning
        }
        Label {
            id: message
            objectName: "offlineText"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.warning
            text: AppSession.pendingCount > 0
                  ? qsTr("Working from this computer's copy. %n command(s) waiting to be sent.", "",
                         AppSession.pendingCount)
                  : qsTr("Working from this computer's copy. Changes you make are sent when the server is back.")
        }
        Button {
            text: qsTr("Reconnect")
            Accessible.name: qsTr("Reconnect to the server")
            onClicked: AppSession.goOnline()
        }
    }
}
