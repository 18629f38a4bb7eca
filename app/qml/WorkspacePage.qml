import QtQuick
import QtQuick.Controls
import Latch

// The signed-in screen: the queue on the left, the selected case on the right.
Page {
    id: page
    objectName: "workspacePage"
    background: Rectangle { color: Theme.window }

    function openCase(caseId) {
        queue.select(caseId)
        casePage.caseId = caseId
    }

    SplitView {
        anchors.fill: parent
        orientation: Qt.Horizontal

        QueuePage {
            id: queue
            SplitView.preferredWidth: 460
            SplitView.minimumWidth: 320
            onOpenCase: caseId => {
                openCaseId = caseId
                casePage.caseId = caseId
                casePage.forceActiveFocus()
            }
        }
        CasePage {
            id: casePage
            SplitView.fillWidth: true
            SplitView.minimumWidth: 480
        }
    }
}
