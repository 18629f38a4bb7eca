// The refund story through the real screens against a real latch-server (--demo): M. Kim signs in
// on the sign-in page, opens the Acme Co refund from the queue with the keyboard, adds the note,
// marks the case ready, and tries to approve it herself: the screen shows the server's refusal
// (approval.self_approval) and the blocked attempt in the timeline. A. Torres (finance) then signs
// in with her own app and data, finds the case under "Waiting for my approval" and approves it.
// Also: a wrong password and an unreachable server are explained on the sign-in page; the queue
// shows how each case arrived; and J. Lee accepts triage's suggestion on the emailed refund from
// its card (first offline, where it waits as a pending command), which makes the case a refund
// with the facts triage found.
#include "serverprocess.h"
#include "sync/appsession.h"
#include "uidriver.h"

#include <QAbstractItemModel>
#include <QQuickItem>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(LatchPlugin)

using latch::app::AppSession;

namespace {

const QString kNote = QStringLiteral("Verified — product defect confirmed by warehouse");

std::unique_ptr<AppSession> newSession(const QString& dataDir)
{
    return newTestSession(dataDir, QStringLiteral("uiflowtest"));
}

bool rowsContain(const QStringList& rows, const QString& part)
{
    for (const auto& row : rows) {
        if (row.contains(part))
            return true;
    }
    return false;
}

// The queue row whose title is `title` (-1 when none).
int queueRowTitled(QAbstractItemModel* model, const QString& title)
{
    const int titleRole = model->roleNames().key("title");
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data(titleRole).toString() == title)
            return i;
    }
    return -1;
}

// The case ids of the queue rows drawn highlighted.
QStringList highlightedCases(UiDriver& ui)
{
    QStringList ids;
    auto* list = ui.item(QStringLiteral("queueList"));
    if (!list)
        return ids;
    const int count = list->property("count").toInt();
    for (int row = 0; row < count; ++row) {
        QQuickItem* delegate = nullptr;
        QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate),
            Q_ARG(int, row));
        if (delegate && delegate->property("highlighted").toBool())
            ids << delegate->property("caseId").toString();
    }
    return ids;
}

} // namespace

class UiFlowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signInExplainsFailures();
    void preparerIsRefusedAndFinanceApproves();
    void triageSuggestionAcceptedOnTheCard();

private:
    ServerProcess m_server;
    QTemporaryDir m_dirs;
};

void UiFlowTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("uiflowtest"));
    QStandardPaths::setTestModeEnabled(true);
    UiDriver::prepareApplication();
    QVERIFY(m_dirs.isValid());
    QVERIFY2(m_server.start({ QStringLiteral("--demo") }), qPrintable(m_server.lastError()));
}

void UiFlowTest::signInExplainsFailures()
{
    auto session = newSession(m_dirs.filePath(QStringLiteral("failures")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    QVERIFY(ui.waitForItem(QStringLiteral("signInPage")));
    // No keychain: the passphrase is asked for.
    QVERIFY(ui.waitForItem(QStringLiteral("passphraseField")));

    ui.setText(QStringLiteral("serverField"), m_server.url());
    ui.setText(QStringLiteral("userField"), QStringLiteral("mkim"));
    ui.setText(QStringLiteral("passwordField"), QStringLiteral("not the password"));
    ui.setText(QStringLiteral("passphraseField"), kTestPassphrase);
    QVERIFY(ui.click(QStringLiteral("signInButton")));
    QVERIFY(ui.waitForItem(QStringLiteral("signInError"), 20000));
    QCOMPARE(session->errorCode(), QStringLiteral("auth.failed"));
    QCOMPARE(ui.property(QStringLiteral("signInErrorTitle"), "text").toString(),
        QStringLiteral("Wrong user name or password"));
    QVERIFY(!ui.property(QStringLiteral("signInErrorText"), "text").toString().isEmpty());

    // A port nobody listens on.
    ui.setText(QStringLiteral("serverField"), QStringLiteral("ws://127.0.0.1:9/sync"));
    ui.setText(QStringLiteral("passwordField"), kDemoPassword);
    QVERIFY(waitFor([&] { return ui.click(QStringLiteral("signInButton")); }));
    QVERIFY(
        waitFor([&] { return session->errorCode() == QLatin1String("net.unreachable"); }, 30000));
    QCOMPARE(ui.property(QStringLiteral("signInErrorTitle"), "text").toString(),
        QStringLiteral("Cannot reach the server"));
    QVERIFY(!session->signedIn());
}

void UiFlowTest::preparerIsRefusedAndFinanceApproves()
{
    QString caseId;
    {
        // --- M. Kim prepares the case and tries to approve it herself ---
        auto session = newSession(m_dirs.filePath(QStringLiteral("mkim")));
        UiDriver ui(session.get());
        QVERIFY(ui.loaded());
        QVERIFY2(ui.signIn(m_server.url(), QStringLiteral("mkim"), kDemoPassword, kTestPassphrase),
            qPrintable(session->errorCode() + QLatin1Char(' ') + session->errorMessage()));
        caseId = ui.openCaseBySearch(QStringLiteral("#4821"));
        QVERIFY2(!caseId.isEmpty(), "the story's refund is not in M. Kim's queue");
        QObject* controller = ui.caseController();
        QVERIFY(controller->property("title").toString().contains(QStringLiteral("#4821")));
        QCOMPARE(controller->property("status").toString(), QStringLiteral("in_review"));

        // With the search cleared the whole queue shows again, and the open case's row, and only
        // that one, is the highlighted one.
        ui.setText(QStringLiteral("searchField"), QString());
        QTRY_VERIFY(highlightedCases(ui) == QStringList { caseId });

        // N focuses the composer; Ctrl+Enter sends.
        ui.focus(QStringLiteral("queueList"));
        ui.key(Qt::Key_N);
        QTRY_VERIFY(ui.item(QStringLiteral("noteField"))->hasActiveFocus());
        ui.setText(QStringLiteral("noteField"), kNote);
        ui.key(Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(ui.property(QStringLiteral("noteField"), "text").toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(
            rowsContain(ui.timelineRows(), QStringLiteral("note_added|") + kNote + "||"), 15000);

        QVERIFY(ui.click(QStringLiteral("markReadyButton")));
        QTRY_COMPARE_WITH_TIMEOUT(
            controller->property("status").toString(), QStringLiteral("awaiting_approval"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(controller->property("rulesKnown").toBool(), 15000);
        QCOMPARE(
            controller->property("ruleName").toString(), QStringLiteral("refund-above-threshold"));

        // The app already says why she may not approve; Approve is disabled...
        QTRY_COMPARE(ui.property(QStringLiteral("approveReason"), "text").toString(),
            QStringLiteral("You prepared this case: the two-person rule needs someone else"));
        QVERIFY(!ui.click(QStringLiteral("approveButton")));
        // ...but the server decides: asking anyway is refused and recorded.
        QVERIFY(ui.click(QStringLiteral("tryApproveButton")));
        QVERIFY(ui.waitForItem(QStringLiteral("refusalBanner"), 15000));
        QVERIFY(ui.property(QStringLiteral("refusalText"), "text")
                    .toString()
                    .startsWith(QStringLiteral("approval.self_approval — ")));
        QTRY_VERIFY_WITH_TIMEOUT(rowsContain(ui.timelineRows(),
                                     QStringLiteral("attempt_blocked|BLOCKED approve: "
                                                    "approval.self_approval")),
            15000);
        QCOMPARE(controller->property("status").toString(), QStringLiteral("awaiting_approval"));

        QVERIFY(ui.click(QStringLiteral("signOutButton")));
        QTRY_VERIFY_WITH_TIMEOUT(!session->signedIn(), 15000);
        QVERIFY(ui.waitForItem(QStringLiteral("signInPage")));
    }

    // --- A. Torres (finance) approves from her own computer ---
    auto session = newSession(m_dirs.filePath(QStringLiteral("atorres")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    QVERIFY2(ui.signIn(m_server.url(), QStringLiteral("atorres"), kDemoPassword, kTestPassphrase),
        qPrintable(session->errorCode() + QLatin1Char(' ') + session->errorMessage()));
    QObject* queue = ui.find(QStringLiteral("queuePage"));
    auto* model = queue->property("model").value<QAbstractItemModel*>();
    QTRY_VERIFY_WITH_TIMEOUT(
        queue->property("model").value<QObject*>()->property("waitingCount").toInt() >= 1, 15000);
    QVERIFY(ui.click(QStringLiteral("filterWaiting")));
    QTRY_VERIFY(model->rowCount() >= 1);
    ui.call(QStringLiteral("workspacePage"), "openCase", { caseId });
    QObject* controller = ui.caseController();
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("loaded").toBool(), 15000);
    // Her view of the case shows M. Kim's note and blocked attempt.
    QVERIFY(rowsContain(ui.timelineRows(), kNote));
    QVERIFY(rowsContain(ui.timelineRows(), QStringLiteral("attempt_blocked|")));
    QTRY_VERIFY(controller->property("canApprove").toBool());
    QCOMPARE(ui.property(QStringLiteral("approveReason"), "visible").toBool(), false);

    ui.setText(QStringLiteral("approveComment"), QStringLiteral("Refund reason checked"));
    QVERIFY(ui.click(QStringLiteral("approveButton")));
    QTRY_COMPARE_WITH_TIMEOUT(
        controller->property("status").toString(), QStringLiteral("approved"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        rowsContain(ui.timelineRows(), QStringLiteral("approval_granted|Approved as finance")),
        15000);
    QCOMPARE(ui.property(QStringLiteral("refusalBanner"), "visible").toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("ruleSatisfied").toBool(), 15000);
}

void UiFlowTest::triageSuggestionAcceptedOnTheCard()
{
    const QString emailed = QStringLiteral("Charged twice, please refund");
    auto session = newSession(m_dirs.filePath(QStringLiteral("jlee")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    QVERIFY2(ui.signIn(m_server.url(), QStringLiteral("jlee"), kDemoPassword, kTestPassphrase),
        qPrintable(session->errorCode() + QLatin1Char(' ') + session->errorMessage()));

    // The queue says how each case arrived: the demo's email, alert and in-app cases.
    QObject* queue = ui.find(QStringLiteral("queuePage"));
    auto* model = queue->property("model").value<QAbstractItemModel*>();
    QTRY_VERIFY_WITH_TIMEOUT(queueRowTitled(model, emailed) >= 0, 15000);
    const int channelRole = model->roleNames().key("channel");
    const int channelTextRole = model->roleNames().key("channelText");
    const int emailRow = queueRowTitled(model, emailed);
    QCOMPARE(model->index(emailRow, 0).data(channelRole).toString(), QStringLiteral("email"));
    QCOMPARE(model->index(emailRow, 0).data(channelTextRole).toString(),
        QStringLiteral("Arrived by email"));
    const int alertRow = queueRowTitled(model,
        QStringLiteral("PaymentWebhookFailures: Stripe webhook deliveries failing for 15 minutes"));
    QVERIFY(alertRow >= 0);
    QCOMPARE(
        model->index(alertRow, 0).data(channelRole).toString(), QStringLiteral("alertmanager"));
    const int inAppRow = queueRowTitled(model, QStringLiteral("Refund — Globex order #1193"));
    QVERIFY(inAppRow >= 0);
    QCOMPARE(model->index(inAppRow, 0).data(channelRole).toString(), QString());
    // Drawn as an icon whose accessible name says it.
    auto* list = ui.item(QStringLiteral("queueList"));
    QQuickItem* delegate = nullptr;
    QMetaObject::invokeMethod(
        list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate), Q_ARG(int, emailRow));
    QVERIFY(delegate);
    auto* icon = delegate->findChild<QQuickItem*>(QStringLiteral("channelIcon"));
    QVERIFY(icon && icon->isVisible());
    QCOMPARE(icon->property("text").toString(), QStringLiteral("Arrived by email"));

    // The emailed refund: no type yet, and triage's suggestion on its card.
    const QString caseId = ui.openCaseBySearch(emailed);
    QVERIFY(!caseId.isEmpty());
    QObject* controller = ui.caseController();
    QCOMPARE(controller->property("type").toString(), QString());
    QTRY_VERIFY(controller->property("triageVisible").toBool());
    QVERIFY(ui.waitForItem(QStringLiteral("triageCard")));
    QCOMPARE(ui.property(QStringLiteral("triageHeading"), "text").toString(),
        QStringLiteral("Triage suggests: Refund"));
    QVERIFY(ui.property(QStringLiteral("triageRule"), "text")
                .toString()
                .startsWith(QStringLiteral("Rule refund-above-threshold would apply: 1 approval "
                                           "from finance")));
    QCOMPARE(controller->property("triageFacts").toList().size(), 4);
    QVERIFY(ui.item(QStringLiteral("triageFacts"))->isVisible());
    QVERIFY(rowsContain(ui.timelineRows(), QStringLiteral("intake_received|Received by email")));
    QVERIFY(rowsContain(ui.timelineRows(),
        QStringLiteral("triage_suggested|Triage (fasttext) "
                       "suggests Refund at")));

    // Offline, Accept waits in the outbox as decide_triage for the suggestion on screen.
    auto* timeline = controller->property("timeline").value<QAbstractItemModel*>();
    quint64 suggestionSeq = 0;
    for (int i = 0; i < timeline->rowCount(); ++i) {
        const QModelIndex at = timeline->index(i, 0);
        if (at.data(timeline->roleNames().key("kind")).toString()
            == QLatin1String("triage_suggested"))
            suggestionSeq = at.data(timeline->roleNames().key("seq")).toULongLong();
    }
    QVERIFY(suggestionSeq != 0);
    session->goOffline();
    QVERIFY(ui.waitForItem(QStringLiteral("offlineBanner")));
    QVERIFY(ui.click(QStringLiteral("triageAcceptButton")));
    QTRY_COMPARE(session->pendingCount(), 1);
    const auto& entry = session->outbox().front();
    QVERIFY(entry.command.has_decide_triage());
    QCOMPARE(QString::fromStdString(entry.command.decide_triage().case_id()), caseId);
    QVERIFY(entry.command.decide_triage().accept());
    QCOMPARE(entry.command.decide_triage().suggestion_seq(), suggestionSeq);
    QVERIFY(ui.waitForItem(QStringLiteral("triagePendingLabel")));
    QVERIFY(!ui.click(QStringLiteral("triageAcceptButton"))); // one answer is enough
    QTRY_VERIFY(rowsContain(
        ui.timelineRows(), QStringLiteral("decide_triage|Accept triage's suggestion|pending|")));

    // Back online: the server records the decision; the case is a refund with the facts triage
    // found, the card is gone, and the timeline shows the suggestion and the decision.
    session->goOnline();
    QTRY_COMPARE_WITH_TIMEOUT(session->pendingCount(), 0, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        controller->property("type").toString(), QStringLiteral("refund"), 15000);
    QTRY_VERIFY(!controller->property("triageVisible").toBool());
    QTRY_VERIFY(!ui.item(QStringLiteral("triageCard"))->isVisible());
    QCOMPARE(controller->property("customer").toString(), QStringLiteral("Acme Co"));
    QCOMPARE(controller->property("orderRef").toString(), QStringLiteral("4821"));
    QCOMPARE(controller->property("amountText").toString(), QStringLiteral("2,400.00 USD"));
    QCOMPARE(controller->property("priority").toString(), QStringLiteral("high"));
    QTRY_VERIFY(rowsContain(ui.timelineRows(),
        QStringLiteral("triage_decided|Accepted triage's suggestion: Refund||")));
    QVERIFY(rowsContain(ui.timelineRows(), QStringLiteral("triage_suggested|")));
    QVERIFY(!rowsContain(ui.timelineRows(), QStringLiteral("decide_triage|")));
    QCOMPARE(ui.property(QStringLiteral("refusalBanner"), "visible").toBool(), false);
}

QTEST_MAIN(UiFlowTest)
#include "uiflowtest.moc"
