import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Latch

// The user's cases: filters with counts, a search over title, customer, order and notes, and the
// list. Keyboard: Up/Down move, Enter opens, "/" jumps to the search field.
Page {
    id: page
    objectName: "queuePage"
    signal openCase(string caseId)
    property alias model: queueModel
    property alias list: list
    background: Rectangle { color: Theme.base }

    // The case open beside the list: its row is the highlighted one, wherever filters, a search
    // or new events move it.
    property string openCaseId: ""

    // Selects a case in the list (e.g. from a notification) without changing the filters.
    function select(caseId) {
        openCaseId = caseId
        const row = queueModel.rowOf(caseId)
        if (row >= 0)
            list.currentIndex = row
    }
    function openCurrent() {
        const id = queueModel.caseIdAt(list.currentIndex)
        if (id !== "")
            page.openCase(id)
    }

    QueueModel {
        id: queueModel
        session: AppSession
    }

    header: Pane {
        padding: Theme.spacing * 1.5
        background: Rectangle {
            color: Theme.card
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 1
                color: Theme.border
            }
        }

        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing

            TextField {
                id: search
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Search title, customer, order, notes  ( / )")
                Accessible.name: qsTr("Search cases")
                onTextChanged: queueModel.searchText = text
                Keys.onDownPressed: list.forceActiveFocus()
                Keys.onEscapePressed: {
                    text = ""
                    list.forceActiveFocus()
                }
                onAccepted: list.forceActiveFocus()
            }

            Flow {
                Layout.fillWidth: true
                spacing: 4
                ButtonGroup { id: filterGroup }
                FilterButton {
                    objectName: "filterAll"
                    label: qsTr("All")
                    count: queueModel.allCount
                    checked: queueModel.filter === QueueModel.All
                    ButtonGroup.group: filterGroup
                    onClicked: queueModel.filter = QueueModel.All
                }
                FilterButton {
                    objectName: "filterMine"
                    label: qsTr("Mine")
                    count: queueModel.mineCount
                    checked: queueModel.filter === QueueModel.Mine
                    ButtonGroup.group: filterGroup
                    onClicked: queueModel.filter = QueueModel.Mine
                }
                FilterButton {
                    objectName: "filterWaiting"
                    label: qsTr("Waiting for my approval")
                    count: queueModel.waitingCount
                    checked: queueModel.filter === QueueModel.Waiting
                    ButtonGroup.group: filterGroup
                    onClicked: queueModel.filter = QueueModel.Waiting
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                ComboBox {
                    id: statusBox
                    objectName: "statusFilter"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "value"
                    Accessible.name: qsTr("Filter by status")
                    model: [
                        { value: "", text: qsTr("Any status (%1)").arg(queueModel.allCount) },
                        { value: "in_review", text: qsTr("%1 (%2)").arg(UiText.statusText("in_review")).arg(queueModel.inReviewCount) },
                        { value: "awaiting_approval", text: qsTr("%1 (%2)").arg(UiText.statusText("awaiting_approval")).arg(queueModel.awaitingApprovalCount) },
                        { value: "approved", text: qsTr("%1 (%2)").arg(UiText.statusText("approved")).arg(queueModel.approvedCount) },
                        { value: "denied", text: qsTr("%1 (%2)").arg(UiText.statusText("denied")).arg(queueModel.deniedCount) },
                        { value: "closed", text: qsTr("%1 (%2)").arg(UiText.statusText("closed")).arg(queueModel.closedCount) }
                    ]
                    // The model is rebuilt when a count changes: keep the chosen status selected.
                    onModelChanged: Qt.callLater(() => { if (queueModel) currentIndex = Math.max(0, indexOfValue(queueModel.statusFilter)) })
                    onActivated: queueModel.statusFilter = currentValue
                }
                ComboBox {
                    id: typeBox
                    objectName: "typeFilter"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "value"
                    Accessible.name: qsTr("Filter by type")
                    model: [{ value: "", text: qsTr("Any type") }].concat(
                               queueModel.types.map(t => ({ value: t, text: UiText.typeText(t) })))
                    onModelChanged: Qt.callLater(() => { if (queueModel) currentIndex = Math.max(0, indexOfValue(queueModel.typeFilter)) })
                    onActivated: queueModel.typeFilter = currentValue
                }
            }
        }
    }

    ListView {
        id: list
        objectName: "queueList"
        anchors.fill: parent
        clip: true
        focus: true
        model: queueModel
        keyNavigationEnabled: true
        currentIndex: 0
        boundsBehavior: Flickable.StopAtBounds
        highlightMoveDuration: 0
        reuseItems: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Cases")
        ScrollBar.vertical: ScrollBar {}

        Keys.onReturnPressed: page.openCurrent()
        Keys.onEnterPressed: page.openCurrent()

        delegate: QueueDelegate {
            width: ListView.view.width
            highlighted: caseId === page.openCaseId
            keyboardCurrent: ListView.isCurrentItem && ListView.view.activeFocus
            onClicked: {
                list.currentIndex = index
                list.forceActiveFocus()
                page.openCase(caseId)
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 48
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            visible: list.count === 0
            color: Theme.muted
            text: queueModel.allCount === 0 ? qsTr("No cases yet. New cases appear here as they arrive.")
                                            : qsTr("No cases match these filters.")
        }
    }

    Shortcut {
        sequence: "/"
        enabled: page.visible
        onActivated: search.forceActiveFocus()
    }
}
