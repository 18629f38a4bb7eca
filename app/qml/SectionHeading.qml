import QtQuick
import QtQuick.Controls
import Latch

// The heading above a block of the case screen.
Label {
    font.pixelSize: 12
    font.bold: true
    font.capitalization: Font.AllUppercase
    color: Theme.muted
    Accessible.role: Accessible.Heading
}
