import QtQuick
import QtQuick.Controls
import Latch

// A bordered block on the case screen (facts, approval, actions).
Frame {
    padding: 12
    background: Rectangle {
        color: Theme.card
        border.color: Theme.border
        radius: Theme.radius
    }
}
