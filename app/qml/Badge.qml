import QtQuick
import QtQuick.Controls
import Latch

// A small label on a tinted background: "2 sending", "Waiting for you".
Rectangle {
    id: badge
    property alias text: label.text
    property color tint: Theme.accent
    property color fill: Theme.infoBg

    implicitWidth: label.implicitWidth + 12
    implicitHeight: label.implicitHeight + 4
    radius: 3
    color: fill
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    Label {
        id: label
        anchors.centerIn: parent
        color: badge.tint
        font.pixelSize: 11
    }
}
