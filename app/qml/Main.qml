import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// The window: sign-in until a session is open, then the queue and the open case side by side.
// Settings and the audit are pushed on top of either. Banners for offline work and a rebuilt replica sit above
// the pages; notifications from the session appear as a toast (and, through SystemNotifier, on the
// desktop when the window is in the background).
ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    minimumWidth: 900
    minimumHeight: 600
    visible: true
    title: AppSession.signedIn ? qsTr("Latch — %1").arg(AppSession.displayName || AppSession.username)
                               : qsTr("Latch")
    color: Theme.window

    // Set from the command line (--server): offered on the sign-in page instead of the last one.
    property string serverUrl

    // Controls draw with these; Theme switches them between light and dark.
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.base
    palette.alternateBase: Theme.alternateBase
    palette.text: Theme.text
    palette.button: Theme.button
    palette.buttonText: Theme.text
    palette.brightText: Theme.accentText
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.muted
    palette.toolTipBase: Theme.card
    palette.toolTipText: Theme.text
    palette.link: Theme.accent
    palette.mid: Theme.border
    palette.midlight: Theme.alternateBase
    palette.light: Theme.card
    palette.dark: Theme.border
    palette.shadow: Theme.dark ? "#000000" : "#9aa0a8"
    palette.disabled.buttonText: Theme.muted
    palette.disabled.windowText: Theme.muted
    palette.disabled.text: Theme.muted

    // For tests and the screenshot tool: the pages by name.
    function openSettings() {
        if (stack.currentItem.objectName !== "settingsPage")
            stack.push(settingsComponent)
    }
    function closeSettings() {
        if (stack.currentItem.objectName === "settingsPage")
            stack.pop()
    }
    function openAudit() {
        if (stack.currentItem.objectName === "settingsPage")
            stack.pop()
        if (stack.currentItem.objectName !== "auditPage")
            stack.push(auditComponent)
    }
    function closeAudit() {
        if (stack.currentItem.objectName === "auditPage")
            stack.pop()
    }
    // From the toast's "Open", a click on a desktop notification or a row of the audit: the case
    // beside the queue.
    function openCase(caseId) {
        closeSettings()
        closeAudit()
        if (stack.get(0) && stack.get(0).objectName === "workspacePage")
            stack.get(0).openCase(caseId)
    }
    function showPageForSession() {
        const wanted = AppSession.signedIn ? workspaceComponent : signInComponent
        const name = AppSession.signedIn ? "workspacePage" : "signInPage"
        if (stack.depth > 0 && stack.get(0).objectName === name)
            return
        stack.clear()
        stack.push(wanted)
    }

    header: ToolBar {
        visible: AppSession.signedIn
        background: Rectangle {
            color: Theme.card
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 1
                color: Theme.border
            }
        }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.pagePadding
            anchors.rightMargin: Theme.spacing
            spacing: Theme.spacing * 1.5

            Label {
                text: qsTr("Latch")
                font.pixelSize: 18
                font.bold: true
            }
            Rectangle {
                width: 10
                height: 10
                radius: 5
                color: AppSession.state === AppSession.Live ? Theme.success
                     : AppSession.state === AppSession.Offline ? Theme.danger : Theme.warning
            }
            Label {
                objectName: "connectionLabel"
                text: UiText.connectionText(AppSession.state)
                color: Theme.muted
            }
            Item { Layout.fillWidth: true }
            Label {
                text: AppSession.roles.length > 0
                      ? qsTr("%1 (%2)").arg(AppSession.displayName || AppSession.username)
                                       .arg(AppSession.roles.join(", "))
                      : (AppSession.displayName || AppSession.username)
                color: Theme.muted
            }
            ToolButton {
                objectName: "auditButton"
                text: qsTr("Audit")
                Accessible.name: qsTr("Open the audit: events across your cases")
                onClicked: window.openAudit()
            }
            ToolButton {
                objectName: "settingsButton"
                text: qsTr("Settings")
                Accessible.name: qsTr("Open settings")
                onClicked: window.openSettings()
            }
            ToolButton {
                objectName: "signOutButton"
                text: qsTr("Sign out")
                Accessible.name: qsTr("Sign out")
                onClicked: AppSession.signOut()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        OfflineBanner {
            Layout.fillWidth: true
        }
        Rectangle {
            objectName: "replicaNotice"
            Layout.fillWidth: true
            visible: AppSession.replicaNotice !== ""
            implicitHeight: noticeLabel.implicitHeight + 16
            color: Theme.warningBg
            Label {
                id: noticeLabel
                anchors.fill: parent
                anchors.margins: 8
                anchors.leftMargin: Theme.pagePadding
                wrapMode: Text.Wrap
                color: Theme.warning
                text: AppSession.replicaNotice
            }
        }
        StackView {
            id: stack
            objectName: "stack"
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }

    Component {
        id: signInComponent
        SignInPage {}
    }
    Component {
        id: workspaceComponent
        WorkspacePage {}
    }
    Component {
        id: auditComponent
        AuditPage {
            onDone: window.closeAudit()
            onOpenCase: caseId => window.openCase(caseId)
        }
    }
    Component {
        id: settingsComponent
        SettingsPage {
            onDone: window.closeSettings()
        }
    }

    Toast {
        id: toast
        objectName: "toast"
        onOpenCase: caseId => window.openCase(caseId)
    }

    Shortcut {
        sequence: "Ctrl+,"
        onActivated: window.openSettings()
    }

    Connections {
        target: AppSession
        function onStateChanged() { window.showPageForSession() }
        function onNotify(title, text, caseId) { toast.show(title, text, caseId) }
    }
    Connections {
        target: SystemNotifier
        function onOpenCaseRequested(caseId) { window.openCase(caseId) }
    }

    Component.onCompleted: showPageForSession()
}
