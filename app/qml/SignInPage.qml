import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Server, user name and password; a passphrase for the local copy only where no keychain can keep
// its key. Errors come from the session (wrong password, unreachable server, bad certificate) with
// a heading from UiText and the session's own sentence.
Page {
    id: page
    objectName: "signInPage"
    background: Rectangle { color: Theme.window }

    function submit() {
        if (AppSession.busy)
            return
        AppSession.signIn(serverField.text.trim(), userField.text.trim(), passwordField.text,
                          passphraseField.text)
    }

    ToolButton {
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.spacing
        text: qsTr("Settings")
        Accessible.name: qsTr("Open settings")
        onClicked: page.ApplicationWindow.window.openSettings()
    }

    Card {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 420)
        padding: 24

        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing

            Label {
                text: qsTr("Sign in to Latch")
                font.pixelSize: 22
                font.bold: true
                Accessible.role: Accessible.Heading
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Cases, approvals and their record in one place.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.bottomMargin: Theme.spacing
            }

            Label { text: qsTr("Server") }
            TextField {
                id: serverField
                objectName: "serverField"
                Layout.fillWidth: true
                text: page.ApplicationWindow.window && page.ApplicationWindow.window.serverUrl !== ""
                      ? page.ApplicationWindow.window.serverUrl : AppSession.rememberedServerUrl()
                placeholderText: qsTr("wss://latch.example.com/sync")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                Accessible.name: qsTr("Server address")
                onAccepted: userField.forceActiveFocus()
            }
            Label { text: qsTr("User name") }
            TextField {
                id: userField
                objectName: "userField"
                Layout.fillWidth: true
                text: AppSession.rememberedUsername()
                inputMethodHints: Qt.ImhNoAutoUppercase
                Accessible.name: qsTr("User name")
                onAccepted: passwordField.forceActiveFocus()
            }
            Label { text: qsTr("Password") }
            TextField {
                id: passwordField
                objectName: "passwordField"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                Accessible.name: qsTr("Password")
                onAccepted: AppSession.keychainAvailable ? page.submit() : passphraseField.forceActiveFocus()
            }

            ColumnLayout {
                objectName: "passphraseBlock"
                Layout.fillWidth: true
                visible: !AppSession.keychainAvailable
                spacing: Theme.spacing
                Label { text: qsTr("Passphrase for this computer's copy") }
                TextField {
                    id: passphraseField
                    objectName: "passphraseField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    Accessible.name: qsTr("Passphrase for this computer's copy")
                    onAccepted: page.submit()
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    font.pixelSize: 12
                    text: qsTr("This computer has no keychain, so your local copy of the cases is locked with a passphrase. You need it each time you sign in; it never leaves this computer.")
                }
            }

            Rectangle {
                objectName: "signInError"
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                visible: AppSession.errorCode !== ""
                implicitHeight: errorColumn.implicitHeight + 16
                radius: Theme.radius
                color: Theme.dangerBg
                border.color: Theme.danger
                Accessible.role: Accessible.AlertMessage
                Accessible.name: errorTitle.text + ". " + errorText.text

                ColumnLayout {
                    id: errorColumn
                    anchors.fill: parent
                    anchors.margins: 8
                    spacing: 2
                    Label {
                        id: errorTitle
                        objectName: "signInErrorTitle"
                        Layout.fillWidth: true
                        text: UiText.signInErrorTitle(AppSession.errorCode)
                        color: Theme.danger
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Label {
                        id: errorText
                        objectName: "signInErrorText"
                        Layout.fillWidth: true
                        text: AppSession.errorMessage
                        color: Theme.danger
                        wrapMode: Text.Wrap
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacing
                BusyIndicator {
                    running: AppSession.busy
                    visible: running
                    implicitWidth: 28
                    implicitHeight: 28
                }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "signInButton"
                    text: AppSession.busy ? qsTr("Signing in…") : qsTr("Sign in")
                    enabled: !AppSession.busy && userField.text.trim() !== ""
                    highlighted: true
                    Accessible.name: qsTr("Sign in")
                    onClicked: page.submit()
                }
            }
        }
    }

    Component.onCompleted: (userField.text === "" ? userField : passwordField).forceActiveFocus()
}
