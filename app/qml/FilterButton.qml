import QtQuick
import QtQuick.Controls
import Latch

// One of the queue's filters with its count: "Waiting for me  3".
Button {
    id: control
    property int count: 0
    property string label

    checkable: true
    autoExclusive: true
    flat: !checked
    text: qsTr("%1 (%2)").arg(label).arg(count)
    Accessible.name: qsTr("%1, %n case(s)", "", count).arg(label)
}
