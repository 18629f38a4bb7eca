import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// Theme, language and desktop notifications. All apply at once and are remembered.
Page {
    id: page
    objectName: "settingsPage"
    signal done()
    background: Rectangle { color: Theme.window }

    header: ToolBar {
        background: Rectangle { color: Theme.card }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            ToolButton {
                objectName: "settingsBackButton"
                text: qsTr("‹ Back")
                Accessible.name: qsTr("Back")
                onClicked: page.done()
            }
            Label {
                text: qsTr("Settings")
                font.pixelSize: 18
                font.bold: true
                Layout.fillWidth: true
            }
        }
    }

    Shortcut {
        sequence: StandardKey.Cancel
        onActivated: page.done()
    }

    ColumnLayout {
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 24
        width: Math.min(parent.width - 48, 560)
        spacing: 16

        Card {
            Layout.fillWidth: true
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Appearance") }
                ButtonGroup { id: themeGroup }
                RadioButton {
                    objectName: "themeSystem"
                    text: qsTr("Follow the system")
                    ButtonGroup.group: themeGroup
                    checked: AppSettings.theme === AppSettings.System
                    onClicked: AppSettings.theme = AppSettings.System
                }
                RadioButton {
                    objectName: "themeLight"
                    text: qsTr("Light")
                    ButtonGroup.group: themeGroup
                    checked: AppSettings.theme === AppSettings.Light
                    onClicked: AppSettings.theme = AppSettings.Light
                }
                RadioButton {
                    objectName: "themeDark"
                    text: qsTr("Dark")
                    ButtonGroup.group: themeGroup
                    checked: AppSettings.theme === AppSettings.Dark
                    onClicked: AppSettings.theme = AppSettings.Dark
                }
            }
        }

        Card {
            Layout.fillWidth: true
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Language") }
                ComboBox {
                    id: languageBox
                    objectName: "languageBox"
                    Layout.fillWidth: true
                    model: AppSettings.languages
                    textRole: "name"
                    valueRole: "code"
                    Accessible.name: qsTr("Language")
                    Component.onCompleted: currentIndex = indexOfValue(AppSettings.language)
                    onActivated: AppSettings.language = currentValue
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: qsTr("Changes apply at once. Case contents (notes, reasons from the server) stay in the language they were written in.")
                }
            }
        }

        Card {
            Layout.fillWidth: true
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Notifications") }
                CheckBox {
                    objectName: "desktopNotificationsBox"
                    text: qsTr("Desktop notifications")
                    Accessible.name: qsTr("Show notifications on the desktop")
                    checked: AppSettings.desktopNotifications
                    onToggled: AppSettings.desktopNotifications = checked
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: qsTr("New cases in your queue and approvals waiting on you are also shown by the desktop while Latch is in the background. Inside Latch they always appear in the corner of the window.")
                }
            }
        }

        Card {
            Layout.fillWidth: true
            visible: AppSession.signedIn
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Account") }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("Signed in as %1 on %2").arg(AppSession.username).arg(AppSession.serverUrl)
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: AppSession.keychainAvailable
                          ? qsTr("This computer's copy is locked with a key kept in the system keychain.")
                          : qsTr("This computer's copy is locked with your passphrase.")
                }
            }
        }
    }
}
