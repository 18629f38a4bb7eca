import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Latch

// The case view's Proof tab: the verified badge (checked on this computer against the server's
// signed log and this computer's own copy), the checkpoint it rests on, and the export of the case
// as a bundle anyone can verify offline with `latchctl verify`.
ScrollView {
    id: panel
    required property ProofController proof
    contentWidth: availableWidth
    clip: true

    function exportNow() {
        proof.exportTo(folderField.text)
    }

    ColumnLayout {
        width: panel.availableWidth - 12
        spacing: Theme.spacing * 1.5

        // --- the badge ---
        Rectangle {
            id: badge
            objectName: "proofBadge"
            Layout.fillWidth: true
            implicitHeight: badgeColumn.implicitHeight + 24
            radius: Theme.radius
            readonly property bool good: panel.proof.state === ProofController.Verified
            readonly property bool bad: panel.proof.state === ProofController.NotVerified
            color: good ? Theme.successBg : bad ? Theme.dangerBg
                 : panel.proof.state === ProofController.Unavailable ? Theme.warningBg : Theme.alternateBase
            border.color: good ? Theme.success : bad ? Theme.danger
                        : panel.proof.state === ProofController.Unavailable ? Theme.warning : Theme.border
            Accessible.role: Accessible.StaticText
            Accessible.name: panel.proof.headline + ". " + panel.proof.summary

            ColumnLayout {
                id: badgeColumn
                x: 12
                y: 12
                width: parent.width - 24
                spacing: 4
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Label {
                        // A check mark, a cross or an ellipsis in a circle.
                        text: badge.good ? "\u2714" : badge.bad ? "\u2716" : "\u2026"
                        font.pixelSize: 20
                        color: badge.good ? Theme.success : badge.bad ? Theme.danger : Theme.muted
                    }
                    Label {
                        objectName: "proofHeadline"
                        Layout.fillWidth: true
                        text: panel.proof.headline
                        font.pixelSize: 18
                        font.bold: true
                        color: badge.good ? Theme.success : badge.bad ? Theme.danger : Theme.text
                    }
                    Button {
                        objectName: "checkProofButton"
                        text: qsTr("Check again")
                        enabled: panel.proof.state !== ProofController.Checking
                        Accessible.name: qsTr("Check the proof again")
                        onClicked: panel.proof.check()
                    }
                }
                Label {
                    objectName: "proofSummary"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: panel.proof.summary
                    visible: text !== ""
                }
                Label {
                    Layout.fillWidth: true
                    visible: text !== ""
                    text: panel.proof.checkedAtText
                    color: Theme.muted
                }
                Repeater {
                    model: panel.proof.problems
                    delegate: Label {
                        required property string modelData
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: Theme.danger
                        text: "\u2022 " + modelData
                    }
                }
            }
        }

        Label {
            objectName: "proofKeyWarning"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: Theme.warning
            text: panel.proof.keyWarning
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: Theme.warning
            text: panel.proof.keysNote
        }

        // --- what it rests on ---
        Card {
            Layout.fillWidth: true
            visible: panel.proof.checkpointSize > 0
            GridLayout {
                width: parent.width
                columns: 2
                columnSpacing: Theme.pagePadding
                rowSpacing: 4
                SectionHeading {
                    Layout.columnSpan: 2
                    text: qsTr("Checkpoint")
                }
                Label { text: qsTr("Log"); color: Theme.muted }
                Label { Layout.fillWidth: true; text: panel.proof.origin; elide: Text.ElideRight }
                Label { text: qsTr("Events in the log"); color: Theme.muted }
                Label {
                    objectName: "proofCheckpointSize"
                    Layout.fillWidth: true
                    text: Number(panel.proof.checkpointSize).toLocaleString(Qt.locale(), "f", 0)
                }
                Label { text: qsTr("Events of this case"); color: Theme.muted }
                Label { Layout.fillWidth: true; text: panel.proof.eventCount }
                Label { text: qsTr("Root hash"); color: Theme.muted }
                Label {
                    Layout.fillWidth: true
                    text: panel.proof.checkpointRoot
                    font.family: "monospace"
                    wrapMode: Text.WrapAnywhere
                }
                Label { text: qsTr("Signed by"); color: Theme.muted; Layout.alignment: Qt.AlignTop }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: panel.proof.signers.length > 0 ? panel.proof.signers.join("\n")
                                                         : qsTr("no key this computer trusts")
                }
                Label { text: qsTr("Rules version"); color: Theme.muted }
                Label {
                    Layout.fillWidth: true
                    text: panel.proof.rulesVersion.substring(0, 16)
                    font.family: "monospace"
                    ToolTip.visible: rulesHover.hovered
                    ToolTip.text: panel.proof.rulesVersion
                    HoverHandler { id: rulesHover }
                }
            }
        }

        // --- export ---
        Card {
            Layout.fillWidth: true
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Export") }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.muted
                    text: qsTr("Writes the case's events with their proofs, the signed checkpoint and "
                               + "a readable report to a folder. Anyone can check it offline with "
                               + "`latchctl verify FOLDER --key KEY` and the server's log key.")
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    TextField {
                        id: folderField
                        objectName: "exportFolderField"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Folder")
                        Accessible.name: qsTr("Folder to export to")
                        Component.onCompleted: text = panel.proof.suggestedExportDir()
                        Connections {
                            target: panel.proof
                            function onCaseIdChanged() {
                                folderField.text = panel.proof.suggestedExportDir()
                            }
                        }
                    }
                    Button {
                        text: qsTr("Choose…")
                        Accessible.name: qsTr("Choose the folder to export to")
                        onClicked: folderDialog.open()
                    }
                    Button {
                        objectName: "exportButton"
                        text: qsTr("Export")
                        enabled: (panel.proof.state === ProofController.Verified
                                  || panel.proof.state === ProofController.NotVerified)
                                 && folderField.text.trim() !== ""
                        Accessible.name: qsTr("Export the case bundle")
                        onClicked: panel.exportNow()
                    }
                }
                Label {
                    objectName: "exportMessage"
                    Layout.fillWidth: true
                    visible: text !== ""
                    wrapMode: Text.Wrap
                    color: panel.proof.exportFailed ? Theme.danger : Theme.success
                    text: panel.proof.exportMessage
                }
                Button {
                    visible: panel.proof.exportDir !== ""
                    text: qsTr("Open the report")
                    onClicked: Qt.openUrlExternally(panel.proof.reportUrl)
                }
            }
        }

        // --- the signed note itself, for whoever wants to see it ---
        Card {
            Layout.fillWidth: true
            visible: panel.proof.checkpointText !== ""
            ColumnLayout {
                width: parent.width
                spacing: Theme.spacing
                SectionHeading { text: qsTr("Signed checkpoint") }
                Label {
                    Layout.fillWidth: true
                    text: panel.proof.checkpointText
                    font.family: "monospace"
                    font.pixelSize: 11
                    wrapMode: Text.WrapAnywhere
                    textFormat: Text.PlainText
                }
            }
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Export the case to")
        onAccepted: {
            // A new folder inside the one chosen, so an export never mixes with other files.
            const chosen = decodeURIComponent(selectedFolder.toString().replace(/^file:\/\//, ""))
            folderField.text = chosen + "/" + panel.proof.suggestedExportDir().split("/").pop()
        }
    }
}
