import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Latch

// The audit screen: events across the cases the user can see, newest first, filtered by actor,
// kind, case type and time range, as a table; saved as CSV or JSON (the same files `latchctl audit
// events` writes). Enter or a double click on a row opens its case.
Page {
    id: page
    objectName: "auditPage"
    signal done()
    signal openCase(string caseId)
    property alias model: audit
    property alias table: table
    background: Rectangle { color: Theme.window }

    // Column widths of the table, shared by its header and its rows.
    readonly property var columns: [130, 210, 120, 150, 130]
    // The last column takes what is left of the row (margin, spacing, scroll bar).
    readonly property real summaryWidth: Math.max(160, table.width - 8 - 5 * 8 - 14
                                                  - columns.reduce((sum, w) => sum + w, 0))

    AuditModel {
        id: audit
        session: AppSession
    }

    header: ToolBar {
        background: Rectangle { color: Theme.card }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            ToolButton {
                objectName: "auditBackButton"
                text: qsTr("‹ Back")
                Accessible.name: qsTr("Back to the queue")
                onClicked: page.done()
            }
            Label {
                text: qsTr("Audit")
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
        anchors.fill: parent
        anchors.margins: Theme.pagePadding
        spacing: Theme.spacing * 1.5

        // --- the filters ---
        Card {
            Layout.fillWidth: true
            GridLayout {
                width: parent.width
                columns: 4
                columnSpacing: Theme.spacing * 1.5
                rowSpacing: Theme.spacing

                Label { text: qsTr("Kind"); color: Theme.muted }
                ComboBox {
                    id: kindBox
                    objectName: "auditKind"
                    Layout.fillWidth: true
                    model: audit.kindChoices
                    textRole: "text"
                    valueRole: "kind"
                    Accessible.name: qsTr("Event kind")
                    onActivated: audit.kind = currentValue
                    // New texts after a change of language: keep the choice.
                    onModelChanged: currentIndex = Math.max(0, indexOfValue(audit.kind))
                }
                Label { text: qsTr("When"); color: Theme.muted }
                ComboBox {
                    id: rangeBox
                    objectName: "auditRange"
                    Layout.fillWidth: true
                    model: audit.rangeChoices
                    textRole: "text"
                    valueRole: "range"
                    Accessible.name: qsTr("Time range")
                    Component.onCompleted: currentIndex = indexOfValue(audit.range)
                    onActivated: audit.range = currentValue
                    onModelChanged: currentIndex = Math.max(0, indexOfValue(audit.range))
                }
                Label { text: qsTr("Actor"); color: Theme.muted }
                TextField {
                    objectName: "auditActor"
                    Layout.fillWidth: true
                    placeholderText: qsTr("anyone (a user, intake, triage, plugin:stripe)")
                    Accessible.name: qsTr("Actor")
                    onTextChanged: audit.actor = text
                    onAccepted: audit.search()
                }
                Label { text: qsTr("Case type"); color: Theme.muted }
                TextField {
                    objectName: "auditType"
                    Layout.fillWidth: true
                    placeholderText: qsTr("any type (refund, vendor_bank_change, …)")
                    Accessible.name: qsTr("Case type")
                    onTextChanged: audit.caseType = text
                    onAccepted: audit.search()
                }
                Label {
                    visible: audit.range === "custom"
                    text: qsTr("From")
                    color: Theme.muted
                }
                TextField {
                    objectName: "auditFrom"
                    visible: audit.range === "custom"
                    Layout.fillWidth: true
                    placeholderText: qsTr("2026-09-01")
                    Accessible.name: qsTr("From date")
                    onTextChanged: audit.fromDate = text
                    onAccepted: audit.search()
                }
                Label {
                    visible: audit.range === "custom"
                    text: qsTr("To (inclusive)")
                    color: Theme.muted
                }
                TextField {
                    objectName: "auditTo"
                    visible: audit.range === "custom"
                    Layout.fillWidth: true
                    placeholderText: qsTr("2026-09-30")
                    Accessible.name: qsTr("To date")
                    onTextChanged: audit.toDate = text
                    onAccepted: audit.search()
                }
                Item { Layout.columnSpan: 3; Layout.fillWidth: true }
                Button {
                    objectName: "auditSearchButton"
                    Layout.alignment: Qt.AlignRight
                    text: audit.busy ? qsTr("Searching…") : qsTr("Search")
                    highlighted: true
                    enabled: !audit.busy
                    Accessible.name: qsTr("Search the history")
                    onClicked: audit.search()
                }
            }
        }

        // --- what came back, and saving it ---
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                objectName: "auditResultText"
                Layout.fillWidth: true
                text: audit.message !== "" ? audit.message : audit.resultText
                color: audit.message !== "" ? Theme.danger : audit.truncated ? Theme.warning : Theme.muted
                wrapMode: Text.Wrap
            }
            Button {
                objectName: "auditSaveCsv"
                text: qsTr("Save CSV…")
                enabled: audit.searched
                onClicked: {
                    saveDialog.format = "csv"
                    saveDialog.selectedFile = "file://" + audit.suggestedFile("csv")
                    saveDialog.open()
                }
            }
            Button {
                objectName: "auditSaveJson"
                text: qsTr("Save JSON…")
                enabled: audit.searched
                onClicked: {
                    saveDialog.format = "json"
                    saveDialog.selectedFile = "file://" + audit.suggestedFile("json")
                    saveDialog.open()
                }
            }
        }
        Label {
            objectName: "auditSaveMessage"
            Layout.fillWidth: true
            visible: text !== ""
            text: audit.saveMessage
            color: audit.saveFailed ? Theme.danger : Theme.success
            wrapMode: Text.Wrap
        }

        // --- the table ---
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.base
            border.color: Theme.border
            radius: Theme.radius
            clip: true

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 1
                spacing: 0

                Rectangle {
                    Layout.fillWidth: true
                    implicitHeight: headerRow.implicitHeight + 12
                    color: Theme.alternateBase
                    Row {
                        id: headerRow
                        x: 8
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 8
                        Repeater {
                            model: [qsTr("Time"), qsTr("Case"), qsTr("Type"), qsTr("Kind"),
                                    qsTr("Actor"), qsTr("What happened")]
                            delegate: Label {
                                required property string modelData
                                required property int index
                                width: index < page.columns.length ? page.columns[index]
                                                                   : page.summaryWidth
                                text: modelData
                                font.bold: true
                                color: Theme.muted
                                elide: Text.ElideRight
                            }
                        }
                    }
                }

                ListView {
                    id: table
                    objectName: "auditTable"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: audit
                    boundsBehavior: Flickable.StopAtBounds
                    keyNavigationEnabled: true
                    focus: true
                    Accessible.role: Accessible.Table
                    Accessible.name: qsTr("Audit events")
                    ScrollBar.vertical: ScrollBar {}
                    Keys.onReturnPressed: if (currentIndex >= 0) page.openCase(currentItem.caseId)
                    Keys.onEnterPressed: if (currentIndex >= 0) page.openCase(currentItem.caseId)

                    delegate: Rectangle {
                        id: rowItem
                        required property int index
                        required property string timeText
                        required property string caseId
                        required property string caseShort
                        required property string caseTitle
                        required property string caseTypeText
                        required property string kindText
                        required property string actor
                        required property string summary
                        required property bool blocked
                        width: ListView.view.width
                        implicitHeight: Math.max(rowCells.implicitHeight, 20) + 10
                        color: ListView.isCurrentItem ? Theme.infoBg
                             : blocked ? Theme.dangerBg
                             : index % 2 ? Theme.alternateBase : Theme.base
                        Accessible.role: Accessible.Row
                        Accessible.name: qsTr("%1, %2, %3: %4").arg(timeText).arg(kindText).arg(actor).arg(summary)

                        Row {
                            id: rowCells
                            x: 8
                            anchors.verticalCenter: parent.verticalCenter
                            spacing: 8
                            Label { width: page.columns[0]; text: rowItem.timeText; elide: Text.ElideRight }
                            Label {
                                width: page.columns[1]
                                text: rowItem.caseTitle || rowItem.caseShort
                                elide: Text.ElideRight
                                ToolTip.visible: caseHover.hovered
                                ToolTip.text: qsTr("%1 (case %2)").arg(rowItem.caseTitle).arg(rowItem.caseId)
                                HoverHandler { id: caseHover }
                            }
                            Label {
                                width: page.columns[2]
                                text: rowItem.caseTypeText || qsTr("—")
                                color: rowItem.caseTypeText ? Theme.text : Theme.muted
                                elide: Text.ElideRight
                            }
                            Label {
                                width: page.columns[3]
                                text: rowItem.kindText
                                color: rowItem.blocked ? Theme.danger : Theme.text
                                font.bold: rowItem.blocked
                                elide: Text.ElideRight
                            }
                            Label { width: page.columns[4]; text: rowItem.actor; elide: Text.ElideRight }
                            Label {
                                width: page.summaryWidth
                                text: rowItem.summary
                                wrapMode: Text.Wrap
                                maximumLineCount: 3
                                elide: Text.ElideRight
                            }
                        }
                        MouseArea {
                            anchors.fill: parent
                            onClicked: table.currentIndex = rowItem.index
                            onDoubleClicked: page.openCase(rowItem.caseId)
                        }
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                visible: table.count === 0
                color: Theme.muted
                text: audit.searched ? qsTr("No events match these filters.")
                                     : qsTr("Choose filters and search.")
            }
        }
    }

    FileDialog {
        id: saveDialog
        property string format: "csv"
        fileMode: FileDialog.SaveFile
        title: format === "csv" ? qsTr("Save the events as CSV") : qsTr("Save the events as JSON")
        nameFilters: format === "csv" ? [qsTr("CSV files (*.csv)")] : [qsTr("JSON files (*.json)")]
        onAccepted: {
            if (format === "csv")
                audit.saveCsv(selectedFile.toString())
            else
                audit.saveJson(selectedFile.toString())
        }
    }

    Component.onCompleted: audit.search()
}
