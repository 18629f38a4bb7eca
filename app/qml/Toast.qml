import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// An in-app notification in the bottom right corner: a new case in the queue, an approval waiting
// on the user. Hides itself after a few seconds; "Open" goes to the case.
Popup {
    id: toast
    signal openCase(string caseId)

    property string heading
    property string body
    property string caseId

    function show(title, text, id) {
        heading = title
        body = text
        caseId = id
        open()
        hideTimer.restart()
    }

    parent: Overlay.overlay
    x: parent ? parent.width - width - 24 : 0
    y: parent ? parent.height - height - 24 : 0
    width: 360
    padding: 12
    closePolicy: Popup.CloseOnEscape

    background: Rectangle {
        color: Theme.card
        border.color: Theme.accent
        radius: Theme.radius
    }

    Timer {
        id: hideTimer
        interval: 8000
        onTriggered: toast.close()
    }

    contentItem: ColumnLayout {
        // A Popup is not an Item: screen readers hear the alert through its content.
        Accessible.role: Accessible.AlertMessage
        Accessible.name: toast.heading
        spacing: 4
        Label {
            objectName: "toastTitle"
            Layout.fillWidth: true
            text: toast.heading
            font.bold: true
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            text: toast.body
            wrapMode: Text.Wrap
            color: Theme.muted
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button {
                text: qsTr("Open")
                visible: toast.caseId !== ""
                Accessible.name: qsTr("Open the case")
                onClicked: {
                    toast.openCase(toast.caseId)
                    toast.close()
                }
            }
            Button {
                text: qsTr("Dismiss")
                flat: true
                Accessible.name: qsTr("Dismiss the notification")
                onClicked: toast.close()
            }
        }
    }
}
