import QtQuick
import QtQuick.Controls
import Latch

// A case status as a small coloured pill ("Awaiting approval").
Rectangle {
    id: chip
    property string status
    property string text

    implicitWidth: label.implicitWidth + 14
    implicitHeight: label.implicitHeight + 4
    radius: height / 2
    color: Theme.statusBackground(status)
    border.color: Theme.statusColor(status)
    border.width: 1
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    Label {
        id: label
        anchors.centerIn: parent
        text: chip.text
        color: Theme.statusColor(chip.status)
        font.pixelSize: 11
        font.bold: true
    }
}
