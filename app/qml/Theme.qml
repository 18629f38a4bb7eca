pragma Singleton
import QtQuick
import Latch

// Colours and sizes shared by every screen: one light and one dark set, picked by AppSettings.dark
// (which follows the system unless the user chose). Controls take their colours from the window
// palette Main.qml builds from these; the semantic colours (status, danger, pending) are used
// directly. Presentation only.
QtObject {
    readonly property bool dark: AppSettings.dark

    readonly property color window: dark ? "#1c1f24" : "#f3f4f6"
    readonly property color base: dark ? "#15171b" : "#ffffff"
    readonly property color alternateBase: dark ? "#20242a" : "#f8f9fb"
    readonly property color card: dark ? "#252a31" : "#ffffff"
    readonly property color text: dark ? "#e7e9ec" : "#1c2026"
    readonly property color muted: dark ? "#9aa3ae" : "#646d78"
    readonly property color border: dark ? "#363c45" : "#d9dde3"
    readonly property color button: dark ? "#2d323a" : "#eef0f3"
    readonly property color accent: dark ? "#5b9cf0" : "#2563c9"
    readonly property color accentText: "#ffffff"
    readonly property color selection: dark ? "#2b3f5c" : "#dce8fb"

    readonly property color danger: dark ? "#ff6b6b" : "#c0262d"
    readonly property color dangerBg: dark ? "#3b2024" : "#fdecec"
    readonly property color warning: dark ? "#f2b35b" : "#9a5b00"
    readonly property color warningBg: dark ? "#3a2f1b" : "#fff4df"
    readonly property color success: dark ? "#6cc47a" : "#23793a"
    readonly property color successBg: dark ? "#1f3324" : "#e6f4ea"
    readonly property color info: dark ? "#7fb2f5" : "#1d5fb8"
    readonly property color infoBg: dark ? "#1e2d42" : "#e7f0fc"
    readonly property color neutralBg: dark ? "#2c3138" : "#eceef1"
    // Triage's suggestions (the card, their timeline entries): apart from the status colours, so
    // a machine's guess never reads as a decision.
    readonly property color triage: dark ? "#b69cf2" : "#6941c6"
    readonly property color triageBg: dark ? "#2a2440" : "#f1ecfd"

    readonly property int spacing: 8
    readonly property int radius: 6
    readonly property int pagePadding: 16

    function statusColor(status) {
        switch (status) {
        case "in_review": return info
        case "awaiting_approval": return warning
        case "approved": return success
        case "denied": return danger
        default: return muted
        }
    }
    function statusBackground(status) {
        switch (status) {
        case "in_review": return infoBg
        case "awaiting_approval": return warningBg
        case "approved": return successBg
        case "denied": return dangerBg
        default: return neutralBg
        }
    }
    // The stripe beside a timeline entry: decisions in their status colours, blocked attempts red.
    function kindColor(kind) {
        switch (kind) {
        case "approval_granted": return success
        case "approval_denied":
        case "attempt_blocked": return danger
        case "approvals_voided": return warning
        case "marked_ready": return warning
        case "note_added": return accent
        case "created": return info
        case "action_requested": return info
        case "action_finished": return success  // failed and unknown runs are drawn as alarms
        case "action_updated": return info
        case "notification": return info
        case "action_cancel_requested": return warning
        case "intake_received": return info
        case "triage_suggested":
        case "triage_decided": return triage
        default: return muted
        }
    }
    // A case priority ("low", "normal", "high", "urgent").
    function priorityColor(priority) {
        switch (priority) {
        case "urgent": return danger
        case "high": return warning
        default: return muted
        }
    }
    // An action run's last state ("requested", "succeeded", "failed", "unknown").
    function actionStateColor(state) {
        switch (state) {
        case "succeeded": return success
        case "requested": return info
        case "failed":
        case "unknown": return danger
        default: return muted
        }
    }
}
