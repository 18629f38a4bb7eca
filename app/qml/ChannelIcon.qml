import QtQuick
import QtQuick.Controls
import Latch

// How a case reached Latch, as a small line drawing: an envelope (email), three linked nodes
// (webhook), a warning triangle (an Alertmanager alert), a sheet with lines (form). Drawn rather
// than taken from a font or an image file, so it looks the same on every machine. Nothing for a
// case made in the app. `text` ("Arrived by email", from UiText) is its accessible name and
// tooltip.
Canvas {
    id: icon
    property string channel
    property string text
    property color tint: Theme.muted

    visible: channel !== ""
    implicitWidth: 16
    implicitHeight: 16
    Accessible.role: Accessible.Graphic
    Accessible.name: text
    ToolTip.visible: hover.hovered && text !== ""
    ToolTip.text: text
    ToolTip.delay: 500

    onChannelChanged: requestPaint()
    onTintChanged: requestPaint()

    HoverHandler { id: hover }

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        // Drawn on a 16 × 16 grid, scaled to the item.
        ctx.scale(width / 16, height / 16)
        ctx.strokeStyle = tint
        ctx.fillStyle = tint
        ctx.lineWidth = 1.4
        ctx.lineJoin = "round"
        ctx.lineCap = "round"
        ctx.beginPath()
        switch (channel) {
        case "email":
            ctx.rect(1.5, 3.5, 13, 9)
            ctx.moveTo(1.5, 3.5)
            ctx.lineTo(8, 9)
            ctx.lineTo(14.5, 3.5)
            ctx.stroke()
            break
        case "webhook":
            ctx.moveTo(8, 4.5)
            ctx.lineTo(4, 11.5)
            ctx.lineTo(12, 11.5)
            ctx.closePath()
            ctx.stroke()
            ctx.beginPath()
            ctx.arc(8, 4, 2.4, 0, 2 * Math.PI)
            ctx.moveTo(6.4, 11.5)
            ctx.arc(4, 11.5, 2.4, 0, 2 * Math.PI)
            ctx.moveTo(14.4, 11.5)
            ctx.arc(12, 11.5, 2.4, 0, 2 * Math.PI)
            ctx.fill()
            break
        case "alertmanager":
            ctx.moveTo(8, 1.5)
            ctx.lineTo(15, 14.2)
            ctx.lineTo(1, 14.2)
            ctx.closePath()
            ctx.moveTo(8, 6)
            ctx.lineTo(8, 9.6)
            ctx.stroke()
            ctx.beginPath()
            ctx.arc(8, 12, 0.9, 0, 2 * Math.PI)
            ctx.fill()
            break
        case "form":
            ctx.rect(3, 1.5, 10, 13)
            ctx.moveTo(5.5, 5)
            ctx.lineTo(10.5, 5)
            ctx.moveTo(5.5, 8)
            ctx.lineTo(10.5, 8)
            ctx.moveTo(5.5, 11)
            ctx.lineTo(8.5, 11)
            ctx.stroke()
            break
        default:
            // A channel this version does not know: a plain dot still says "arrived from outside".
            ctx.arc(8, 8, 3, 0, 2 * Math.PI)
            ctx.fill()
        }
    }
}
