// The queue and timeline models and the case controller, fed the way AppSession feeds them (its
// signals, emitted from the test) or through their setters, each model under
// QAbstractItemModelTester: filters, search, counts, "waiting for my approval", incremental
// updates without resets (also at 100,000 rows), the intake channel of each row, the timeline's
// sentences and its pending and refused commands, action runs (requested, finished, updated) with
// their request and response, intake and triage events, the approve hint the case screen shows,
// the plugin actions panel's offers and plan, and the triage card (Case.triage, decide_triage).
#include "latch/casefold.h"
#include "models/casecontroller.h"
#include "models/queuemodel.h"
#include "models/timelinemodel.h"
#include "models/uitext.h"
#include "sync/appsession.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace latch;
using latch::app::AppSession;
using latch::app::CaseController;
using latch::app::OutboxEntry;
using latch::app::QueueModel;
using latch::app::QueueRow;
using latch::app::TimelineModel;

namespace {

// Times in the rows are offsets from a fixed moment (2026-11-18), so ages are real durations.
constexpr qint64 kBaseMs = 1'795'000'000'000;

QueueRow row(const QString& id, const QString& status, qint64 updatedMs)
{
    updatedMs += kBaseMs;
    QueueRow r;
    r.id = id;
    r.title = QStringLiteral("Case %1").arg(id);
    r.type = QStringLiteral("refund");
    r.status = status;
    r.customer = QStringLiteral("Customer %1").arg(id);
    r.orderRef = QStringLiteral("#%1").arg(id);
    r.requester = QStringLiteral("jlee");
    r.amountMinor = 240000;
    r.currency = QStringLiteral("USD");
    r.createdMs = updatedMs - 3 * 3600 * 1000;
    r.updatedMs = updatedMs;
    r.searchText
        = (r.title + QLatin1Char(' ') + r.customer + QLatin1Char(' ') + r.orderRef).toLower();
    return r;
}

// The story's refund, marked ready by mkim under a one-stage finance rule.
QueueRow refundAwaitingFinance(const QString& id, qint64 updatedMs)
{
    QueueRow r = row(id, QStringLiteral("awaiting_approval"), updatedMs);
    r.requester = QStringLiteral("mkim");
    r.preparer = QStringLiteral("mkim");
    r.stages = { { 1, { QStringLiteral("finance") } } };
    return r;
}

QStringList visibleIds(const QueueModel& model)
{
    QStringList ids;
    for (int i = 0; i < model.rowCount(); ++i)
        ids << model.caseIdAt(i);
    return ids;
}

v1::Event makeEvent(quint64 seq, const std::string& actor)
{
    v1::Event e;
    e.set_seq(seq);
    e.set_case_id("c1");
    e.set_actor(actor);
    e.set_time_ms(1700000000000 + qint64(seq) * 60000);
    return e;
}

OutboxEntry outboxEntry(std::int64_t seq, const std::string& caseId, v1::Command command)
{
    OutboxEntry e;
    e.localSeq = seq;
    e.commandId = "cmd-" + std::to_string(seq);
    e.caseId = caseId;
    command.set_command_id(e.commandId);
    e.command = std::move(command);
    e.createdMs = 1700000000000;
    return e;
}

} // namespace

class ModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void queueFiltersSearchAndCounts();
    void waitingForMyApproval_data();
    void waitingForMyApproval();
    void queueUpdatesIncrementallyFromTheSession();
    void queueShowsPendingCommandsFromTheOutbox();
    void queueStaysFastWith100kRows();
    void queueShowsTheIntakeChannel();
    void timelineSentences();
    void timelineIntakeAndTriage();
    void timelineActionRuns();
    void timelineNotifications();
    void timelineAppendsEventsAndShowsCommandsApart();
    void caseControllerExplainsApproveAndActions();
    void triageCardShowsTheSuggestion();
    void triageAnswersAreDecideTriageCommands();
    void triageWithoutATypeCanOnlyBeOverridden();
    void triageCardGoesOnceDecided();

private:
    std::unique_ptr<AppSession> newSession();
    QTemporaryDir m_dir;
};

void ModelTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("modeltest"));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

// A session that never signs in: the test emits its signals as the worker would.
std::unique_ptr<AppSession> ModelTest::newSession()
{
    app::SessionOptions options;
    options.dataDir = m_dir.path();
    options.useKeychain = false;
    options.deviceId = QStringLiteral("modeltest");
    return std::make_unique<AppSession>(options);
}

void ModelTest::queueFiltersSearchAndCounts()
{
    QueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setUser(QStringLiteral("atorres"), { QStringLiteral("finance") });

    QueueRow mine = row(QStringLiteral("a"), QStringLiteral("in_review"), 3000);
    mine.assignee = QStringLiteral("atorres");
    mine.searchText += QStringLiteral(" warehouse confirmed the defect");
    QueueRow vendor = row(QStringLiteral("b"), QStringLiteral("approved"), 2000);
    vendor.type = QStringLiteral("vendor_bank_change");
    vendor.currency.clear();
    const QueueRow waiting = refundAwaitingFinance(QStringLiteral("c"), 1000);
    model.setRows({ mine, vendor, waiting });

    // Newest activity first; counts cover every row whatever the filter.
    QCOMPARE(visibleIds(model), (QStringList { "a", "b", "c" }));
    QCOMPARE(model.allCount(), 3);
    QCOMPARE(model.mineCount(), 1);
    QCOMPARE(model.waitingCount(), 1);
    QCOMPARE(model.inReviewCount(), 1);
    QCOMPARE(model.approvedCount(), 1);
    QCOMPARE(model.awaitingApprovalCount(), 1);
    QCOMPARE(model.types(), (QStringList { "refund", "vendor_bank_change" }));

    const QModelIndex first = model.index(0);
    QCOMPARE(first.data(QueueModel::AmountTextRole).toString(), QStringLiteral("2,400.00 USD"));
    QCOMPARE(first.data(QueueModel::StatusTextRole).toString(), QStringLiteral("In review"));
    QCOMPARE(model.index(1).data(QueueModel::AmountTextRole).toString(), QString());
    model.setNow(kBaseMs + 3000 + 2 * 3600 * 1000); // created 3 h before update, now 2 h after
    QCOMPARE(first.data(QueueModel::AgeTextRole).toString(), QStringLiteral("5 h"));
    model.setNow(kBaseMs + 3000 + 3 * 24 * 3600 * 1000LL);
    QCOMPARE(first.data(QueueModel::AgeTextRole).toString(), QStringLiteral("3 d"));

    model.setFilter(QueueModel::Filter::Mine);
    QCOMPARE(visibleIds(model), QStringList { "a" });
    model.setFilter(QueueModel::Filter::Waiting);
    QCOMPARE(visibleIds(model), QStringList { "c" });
    QVERIFY(model.index(0).data(QueueModel::WaitingForMeRole).toBool());
    model.setFilter(QueueModel::Filter::All);

    model.setStatusFilter(QStringLiteral("approved"));
    QCOMPARE(visibleIds(model), QStringList { "b" });
    model.setStatusFilter({});
    model.setTypeFilter(QStringLiteral("refund"));
    QCOMPARE(visibleIds(model), (QStringList { "a", "c" }));
    model.setTypeFilter({});

    // Search: every word must appear in title, customer, order or notes, case-insensitively.
    model.setSearchText(QStringLiteral("WAREHOUSE defect"));
    QCOMPARE(visibleIds(model), QStringList { "a" });
    model.setSearchText(QStringLiteral("#c"));
    QCOMPARE(visibleIds(model), QStringList { "c" });
    model.setSearchText(QStringLiteral("nothing like this"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.allCount(), 3);
    model.setSearchText({});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(QStringLiteral("c")), 2);
    QCOMPARE(model.rowOf(QStringLiteral("zz")), -1);
}

void ModelTest::waitingForMyApproval_data()
{
    QTest::addColumn<QueueRow>("caseRow");
    QTest::addColumn<QString>("me");
    QTest::addColumn<QStringList>("myRoles");
    QTest::addColumn<bool>("waiting");

    const QueueRow refund = refundAwaitingFinance(QStringLiteral("r"), 1000);
    const QStringList finance { QStringLiteral("finance") };
    QTest::newRow("finance, not involved") << refund << "atorres" << finance << true;
    QTest::newRow("preparer") << refund << "mkim" << QStringList { "finance" } << false;
    QueueRow requested = refund;
    requested.preparer = QStringLiteral("jlee");
    QTest::newRow("requester") << requested << "mkim" << finance << false;
    QTest::newRow("wrong role") << refund << "jlee" << QStringList { "operator" } << false;
    QueueRow approved = refund;
    approved.approvers = { QStringLiteral("atorres") };
    QTest::newRow("already approved") << approved << "atorres" << finance << false;
    QueueRow review = refund;
    review.status = QStringLiteral("in_review");
    QTest::newRow("not awaiting") << review << "atorres" << finance << false;

    // Two stages, finance then admin: admin waits only once finance is in.
    QueueRow vendor = refund;
    vendor.stages = { { 1, { QStringLiteral("finance") } }, { 1, { QStringLiteral("admin") } } };
    QTest::newRow("admin before stage 1") << vendor << "admin" << QStringList { "admin" } << false;
    QTest::newRow("finance at stage 1") << vendor << "rpatel" << finance << true;
    vendor.approvers = { QStringLiteral("rpatel") };
    QTest::newRow("admin at stage 2") << vendor << "admin" << QStringList { "admin" } << true;
    QTest::newRow("finance at stage 2") << vendor << "atorres" << finance << false;
}

void ModelTest::waitingForMyApproval()
{
    QFETCH(QueueRow, caseRow);
    QFETCH(QString, me);
    QFETCH(QStringList, myRoles);
    QFETCH(bool, waiting);

    QueueModel model;
    model.setRows({ caseRow });
    model.setUser(me, myRoles);
    QCOMPARE(model.index(0).data(QueueModel::WaitingForMeRole).toBool(), waiting);
    QCOMPARE(model.waitingCount(), waiting ? 1 : 0);
    model.setFilter(QueueModel::Filter::Waiting);
    QCOMPARE(model.rowCount(), waiting ? 1 : 0);
}

void ModelTest::queueUpdatesIncrementallyFromTheSession()
{
    auto session = newSession();
    QueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    model.setUser(QStringLiteral("atorres"), { QStringLiteral("finance") });

    Q_EMIT session->queueReset(
        { row("a", "in_review", 3000), row("b", "in_review", 2000), row("c", "in_review", 1000) });
    QCOMPARE(visibleIds(model), (QStringList { "a", "b", "c" }));

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    // Same position: just that row's data.
    QueueRow b = row("b", "in_review", 2000);
    b.title = QStringLiteral("Renamed");
    Q_EMIT session->queueChanged({ b }, {});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1).data(QueueModel::TitleRole).toString(), QStringLiteral("Renamed"));

    // New activity moves a row to the top.
    Q_EMIT session->queueChanged({ refundAwaitingFinance("c", 4000) }, {});
    QCOMPARE(moved.count(), 1);
    QCOMPARE(visibleIds(model), (QStringList { "c", "a", "b" }));
    QCOMPARE(model.waitingCount(), 1);
    QCOMPARE(model.awaitingApprovalCount(), 1);

    // A new case arrives, one leaves the view.
    Q_EMIT session->queueChanged({ row("d", "in_review", 2500) }, { QStringLiteral("a") });
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(visibleIds(model), (QStringList { "c", "d", "b" }));
    QCOMPARE(model.allCount(), 3);

    // Under a filter, a change that stops matching removes the row; one that starts, inserts it.
    model.setFilter(QueueModel::Filter::Waiting);
    resets.clear();
    QueueRow cApproved = refundAwaitingFinance("c", 5000);
    cApproved.approvers = { QStringLiteral("atorres") };
    Q_EMIT session->queueChanged({ cApproved }, {});
    QCOMPARE(model.rowCount(), 0);
    Q_EMIT session->queueChanged({ refundAwaitingFinance("b", 6000) }, {});
    QCOMPARE(visibleIds(model), QStringList { "b" });
    QCOMPARE(resets.count(), 0);

    // Signing out empties the queue.
    model.setFilter(QueueModel::Filter::All);
    Q_EMIT session->queueReset({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.allCount(), 0);
}

void ModelTest::queueShowsPendingCommandsFromTheOutbox()
{
    QueueModel model;
    model.setRows({ row("a", "in_review", 2000), row("b", "in_review", 1000) });
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPending({ { QStringLiteral("b"), 2 } });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(1).data(QueueModel::PendingRole).toInt(), 2);
    QCOMPARE(model.index(0).data(QueueModel::PendingRole).toInt(), 0);
    model.setPending({});
    QCOMPARE(model.index(1).data(QueueModel::PendingRole).toInt(), 0);
}

void ModelTest::queueShowsTheIntakeChannel()
{
    QueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QueueRow emailed = row("a", "in_review", 3000);
    emailed.channel = QStringLiteral("email");
    QueueRow alert = row("b", "in_review", 2000);
    alert.channel = QStringLiteral("alertmanager");
    QueueRow inApp = row("c", "in_review", 1000);
    model.setRows({ emailed, alert, inApp });

    QVERIFY(model.roleNames().value(QueueModel::ChannelRole) == "channel");
    QVERIFY(model.roleNames().value(QueueModel::ChannelTextRole) == "channelText");
    QCOMPARE(model.index(0).data(QueueModel::ChannelRole).toString(), QStringLiteral("email"));
    QCOMPARE(model.index(0).data(QueueModel::ChannelTextRole).toString(),
        QStringLiteral("Arrived by email"));
    QCOMPARE(model.index(1).data(QueueModel::ChannelTextRole).toString(),
        QStringLiteral("Arrived as an alert"));
    // Made in the app: no channel, no icon, no words.
    QCOMPARE(model.index(2).data(QueueModel::ChannelRole).toString(), QString());
    QCOMPARE(model.index(2).data(QueueModel::ChannelTextRole).toString(), QString());

    // A webhook delivery joining the in-app case later: that row changes, in place.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    inApp.channel = QStringLiteral("webhook");
    model.applyChanges({ inApp }, {});
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(2).data(QueueModel::ChannelTextRole).toString(),
        QStringLiteral("Arrived by webhook"));
    QCOMPARE(latch::app::UiText::channelText(QStringLiteral("form")),
        QStringLiteral("Arrived through a form"));
}

void ModelTest::queueStaysFastWith100kRows()
{
    constexpr int n = 100000;
    QVector<QueueRow> rows;
    rows.reserve(n);
    for (int i = 0; i < n; ++i) {
        QueueRow r = row(
            QStringLiteral("case-%1").arg(i), i % 3 ? "in_review" : "awaiting_approval", 1000 + i);
        if (i % 3 == 0)
            r.stages = { { 1, { QStringLiteral("finance") } } };
        rows.push_back(std::move(r));
    }
    QueueModel model;
    model.setUser(QStringLiteral("atorres"), { QStringLiteral("finance") });
    QElapsedTimer timer;
    timer.start();
    model.setRows(rows);
    const qint64 loadMs = timer.elapsed();
    QCOMPARE(model.rowCount(), n);
    QCOMPARE(model.waitingCount(), (n + 2) / 3);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    timer.restart();
    for (int i = 0; i < 100; ++i) {
        QueueRow r = rows[i * 997];
        r.updatedMs = kBaseMs + 10000000 + i;
        model.applyChanges({ r }, {});
    }
    const qint64 updateMs = timer.elapsed();
    QCOMPARE(resets.count(), 0);
    QCOMPARE(model.caseIdAt(0), rows[99 * 997].id);

    timer.restart();
    model.setSearchText(QStringLiteral("customer case-99999"));
    const qint64 searchMs = timer.elapsed();
    QCOMPARE(model.rowCount(), 1);
    timer.restart();
    model.setFilter(QueueModel::Filter::Waiting);
    model.setSearchText({});
    const qint64 filterMs = timer.elapsed();
    QCOMPARE(model.rowCount(), (n + 2) / 3);
    // Timings are printed for a look, never asserted: speed targets live in tests/bench.
    qInfo("100k rows: load %lld ms, 100 single-row updates %lld ms, search %lld ms, filter %lld ms",
        loadMs, updateMs, searchMs, filterMs);
}

void ModelTest::timelineSentences()
{
    v1::Event e = makeEvent(1, "mkim");
    e.mutable_note_added()->set_text("Verified — product defect confirmed by warehouse");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Verified — product defect confirmed by warehouse"));

    e = makeEvent(2, "atorres");
    e.mutable_approval_granted()->set_role("finance");
    QCOMPARE(TimelineModel::eventSummary(e), QStringLiteral("Approved as finance"));
    e.mutable_approval_granted()->set_rule_satisfied(true);
    QCOMPARE(
        TimelineModel::eventSummary(e), QStringLiteral("Approved as finance (rule satisfied)"));

    e = makeEvent(3, "mkim");
    auto* blocked = e.mutable_attempt_blocked();
    blocked->set_command("approve");
    blocked->set_code("approval.self_approval");
    blocked->set_reason(
        "M. Kim prepared this case; the two-person rule needs someone else to approve it");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("BLOCKED approve: approval.self_approval — M. Kim prepared this case; "
                       "the two-person rule needs someone else to approve it"));
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("attempt_blocked"));

    e = makeEvent(4, "mkim");
    e.mutable_approvals_voided()->set_reason("the amount changed");
    QCOMPARE(
        TimelineModel::eventSummary(e), QStringLiteral("Approvals voided: the amount changed"));

    e = makeEvent(5, "mkim");
    auto* change = e.mutable_fields_changed()->add_changes();
    change->set_name("amount");
    change->set_before("2,400.00 USD");
    change->set_after("2,500.00 USD");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Changed amount: 2,400.00 USD → 2,500.00 USD"));

    e = makeEvent(6, "mkim");
    e.mutable_marked_ready()->set_rule("refund-above-threshold");
    e.mutable_marked_ready()->set_rule_summary("1 approval from finance");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Marked ready; rule refund-above-threshold: 1 approval from finance"));

    e = makeEvent(7, "jlee");
    auto* created = e.mutable_created();
    created->set_type("refund");
    created->set_title("Refund request — Acme Co order #4821");
    created->set_customer("Acme Co");
    created->mutable_amount()->set_minor(240000);
    created->mutable_amount()->set_currency("USD");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Refund case opened: Refund request — Acme Co order #4821 (Acme Co, "
                       "2,400.00 USD)"));
}

void ModelTest::timelineIntakeAndTriage()
{
    // Intake leaves the type to triage: the case opens without one.
    v1::Event opened = makeEvent(1, "intake");
    opened.mutable_created()->set_title("Double charged on our last invoice");
    QCOMPARE(TimelineModel::eventSummary(opened),
        QStringLiteral("Case opened: Double charged on our last invoice"));

    v1::Event e = makeEvent(1, "intake");
    auto* r = e.mutable_intake_received();
    r->set_channel("email");
    r->set_source("support-mailbox");
    r->set_sender("Dana Whitfield <billing@acme.example>");
    r->set_summary("Double charged on our last invoice");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("intake_received"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Received"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Received by email from Dana Whitfield <billing@acme.example>: Double "
                       "charged on our last invoice"));

    e = makeEvent(2, "triage");
    auto* s = e.mutable_triage_suggested();
    s->set_model("fasttext");
    s->set_type("refund");
    s->set_confidence(0.906);
    s->set_priority("high");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("triage_suggested"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Triage (fasttext) suggests Refund at 91 %, priority High"));
    s->clear_type();
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Triage (fasttext) could not tell the type"));

    e = makeEvent(3, "mkim");
    auto* d = e.mutable_triage_decided();
    d->set_accepted(true);
    d->set_type("refund");
    d->set_suggested_type("refund");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("triage_decided"));
    QCOMPARE(
        TimelineModel::eventSummary(e), QStringLiteral("Accepted triage's suggestion: Refund"));
    d->set_accepted(false);
    d->set_type("vendor_bank_change");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Overrode triage: Vendor bank change instead of Refund"));

    // The answer while it waits for the server.
    v1::Command c;
    c.mutable_decide_triage()->set_case_id("c1");
    c.mutable_decide_triage()->set_accept(true);
    QCOMPARE(TimelineModel::commandKind(c), QStringLiteral("decide_triage"));
    QCOMPARE(TimelineModel::commandSummary(c), QStringLiteral("Accept triage's suggestion"));
    c.mutable_decide_triage()->set_accept(false);
    c.mutable_decide_triage()->set_type("escalation");
    QCOMPARE(TimelineModel::commandSummary(c), QStringLiteral("Set the type to Escalation"));

    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCaseId(QStringLiteral("c1"));
    model.setEvents({ makeEvent(1, "intake"), e });
    model.setOutbox({ outboxEntry(1, "c1", c) });
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(
        model.index(2).data(TimelineModel::KindRole).toString(), QStringLiteral("decide_triage"));
    QVERIFY(model.index(2).data(TimelineModel::PendingRole).toBool());
    QCOMPARE(
        model.index(1).data(TimelineModel::KindRole).toString(), QStringLiteral("triage_decided"));
    QVERIFY(!model.index(1).data(TimelineModel::PendingRole).toBool());
}

void ModelTest::timelineActionRuns()
{
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVector<v1::Event> events;

    v1::Event e = makeEvent(1, "mkim");
    auto* requested = e.mutable_action_requested();
    requested->set_action("stripe.refund");
    requested->set_plugin("stripe");
    requested->set_idempotency_key("latch-c1-1");
    requested->set_summary("Refund 2,400.00 USD of pi_123 via Stripe");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("action_requested"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Refund 2,400.00 USD of pi_123 via Stripe requested"));
    events << e;

    e = makeEvent(2, "plugin:stripe");
    auto* done = e.mutable_action_finished();
    done->set_action("stripe.refund");
    done->set_idempotency_key("latch-c1-1");
    done->set_state(v1::ACTION_STATE_SUCCEEDED);
    done->set_request("POST /v1/refunds\nIdempotency-Key: latch-c1-1\n\namount=240000");
    done->set_response(R"({"id":"re_1","status":"succeeded"})");
    done->set_http_status(200);
    done->set_external_id("re_1");
    done->set_external_status("succeeded");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("action_finished"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("stripe.refund succeeded: re_1 is succeeded"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Action succeeded"));
    events << e;

    e = makeEvent(3, "plugin:stripe");
    done = e.mutable_action_finished();
    done->set_action("stripe.refund");
    done->set_state(v1::ACTION_STATE_FAILED);
    done->set_request("POST /v1/refunds");
    done->set_response(R"({"error":{"code":"charge_already_refunded"}})");
    done->set_code("stripe.charge_already_refunded");
    done->set_message("Stripe says the charge was already refunded");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("stripe.refund failed: stripe.charge_already_refunded — Stripe says the "
                       "charge was already refunded"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Action failed"));
    events << e;

    e = makeEvent(4, "plugin:stripe");
    done = e.mutable_action_finished();
    done->set_action("stripe.refund");
    done->set_state(v1::ACTION_STATE_UNKNOWN);
    done->set_code("action.timeout");
    done->set_message("Stripe did not answer in time");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("stripe.refund: outcome unknown (action.timeout — Stripe did not answer in "
                       "time); check before running it again"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Outcome unknown"));
    events << e;

    e = makeEvent(5, "plugin:stripe");
    auto* updated = e.mutable_action_updated();
    updated->set_action("stripe.refund");
    updated->set_external_id("re_2");
    updated->set_external_status("succeeded");
    updated->set_source("webhook:evt_1");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("action_updated"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("re_2 is now succeeded at the external system"));
    events << e;

    model.setEvents(events);
    QCOMPARE(model.rowCount(), 5);
    const auto value = [&](int row, TimelineModel::Role role) {
        return model.data(model.index(row), role);
    };
    // Only finished runs carry the exchange; failed and unknown ones are alarms, success is not.
    QCOMPARE(value(0, TimelineModel::RequestRole).toString(), QString());
    QVERIFY(value(1, TimelineModel::RequestRole).toString().contains("Idempotency-Key"));
    QVERIFY(value(1, TimelineModel::ResponseRole).toString().contains("re_1"));
    QCOMPARE(value(1, TimelineModel::FailedRole).toBool(), false);
    QCOMPARE(value(2, TimelineModel::FailedRole).toBool(), true);
    QCOMPARE(value(2, TimelineModel::CodeRole).toString(),
        QStringLiteral("stripe.charge_already_refunded"));
    QCOMPARE(value(3, TimelineModel::FailedRole).toBool(), true);
    QCOMPARE(value(4, TimelineModel::FailedRole).toBool(), false);
    QCOMPARE(value(0, TimelineModel::BlockedRole).toBool(), false);
    QCOMPARE(value(0, TimelineModel::KindTextRole).toString(), QStringLiteral("Action requested"));

    // Asking to cancel is its own entry; what became of the run follows as its result.
    e = makeEvent(6, "mkim");
    auto* cancel = e.mutable_action_cancel_requested();
    cancel->set_action("stripe.refund");
    cancel->set_idempotency_key("latch-c1-1");
    cancel->set_reason("customer withdrew");
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("action_cancel_requested"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Cancel requested"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Asked to cancel stripe.refund: customer withdrew"));
}

void ModelTest::timelineNotifications()
{
    v1::Event e = makeEvent(1, "plugin:slack");
    auto* n = e.mutable_notification();
    n->set_channel("slack");
    n->set_reason("approval_waiting");
    n->add_mentioned("atorres");
    n->add_named("rpatel");
    n->set_state(v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(TimelineModel::eventKind(e), QStringLiteral("notification"));
    QCOMPARE(TimelineModel::eventKindText(e), QStringLiteral("Notified"));
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("Told slack the approval is waiting for atorres, rpatel"));
    n->set_state(v1::ACTION_STATE_FAILED);
    n->set_code("slack.channel_not_found");
    n->set_message("Slack refused the message: channel_not_found (HTTP 404)");
    QCOMPARE(TimelineModel::eventSummary(e),
        QStringLiteral("slack notification not confirmed: slack.channel_not_found — Slack refused "
                       "the message: channel_not_found (HTTP 404)"));
}

void ModelTest::timelineAppendsEventsAndShowsCommandsApart()
{
    auto session = newSession();
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(session.get());
    model.setCaseId(QStringLiteral("c1"));

    v1::Event created = makeEvent(1, "mkim");
    created.mutable_created()->set_title("Refund");
    v1::Event note = makeEvent(2, "mkim");
    note.mutable_note_added()->set_text("first note");
    Q_EMIT session->caseLoaded(QStringLiteral("c1"), {}, { created, note });
    QCOMPARE(model.rowCount(), 2);
    // Another case's timeline is not ours.
    Q_EMIT session->caseLoaded(QStringLiteral("other"), {}, { created });
    QCOMPARE(model.rowCount(), 2);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    v1::Event blocked = makeEvent(3, "mkim");
    blocked.mutable_attempt_blocked()->set_command("approve");
    blocked.mutable_attempt_blocked()->set_code("approval.self_approval");
    Q_EMIT session->caseLoaded(QStringLiteral("c1"), {}, { created, note, blocked });
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex b = model.index(2);
    QVERIFY(b.data(TimelineModel::BlockedRole).toBool());
    QCOMPARE(b.data(TimelineModel::CodeRole).toString(), QStringLiteral("approval.self_approval"));
    QVERIFY(!b.data(TimelineModel::PendingRole).toBool());

    // Commands on this case follow the events; commands on other cases do not appear.
    v1::Command addNote;
    addNote.mutable_add_note()->set_case_id("c1");
    addNote.mutable_add_note()->set_text("second note");
    v1::Command approve;
    approve.mutable_approve()->set_case_id("c1");
    v1::Command elsewhere;
    elsewhere.mutable_mark_ready()->set_case_id("c2");
    std::vector<OutboxEntry> outbox { outboxEntry(1, "c1", addNote), outboxEntry(2, "c1", approve),
        outboxEntry(3, "c2", elsewhere) };
    model.setOutbox(outbox);
    QCOMPARE(model.rowCount(), 5);
    const QModelIndex pending = model.index(3);
    QVERIFY(pending.data(TimelineModel::PendingRole).toBool());
    QVERIFY(!pending.data(TimelineModel::RejectedRole).toBool());
    QCOMPARE(pending.data(TimelineModel::StateTextRole).toString(), QStringLiteral("Sending…"));
    QCOMPARE(
        pending.data(TimelineModel::SummaryRole).toString(), QStringLiteral("Note: second note"));
    QCOMPARE(pending.data(TimelineModel::SeqRole).toULongLong(), 0ULL);

    // The server refuses the approval: same row, now refused with its code and sentence.
    outbox[1].state = OutboxEntry::State::Rejected;
    outbox[1].code = "approval.self_approval";
    outbox[1].message = "M. Kim prepared this case";
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setOutbox(outbox);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(changed.count(), 1);
    const QModelIndex refused = model.index(4);
    QVERIFY(refused.data(TimelineModel::RejectedRole).toBool());
    QVERIFY(!refused.data(TimelineModel::PendingRole).toBool());
    QCOMPARE(
        refused.data(TimelineModel::CodeRole).toString(), QStringLiteral("approval.self_approval"));
    QCOMPARE(refused.data(TimelineModel::MessageRole).toString(),
        QStringLiteral("M. Kim prepared this case"));

    // The note is accepted: it leaves the outbox and arrives as an event.
    outbox.erase(outbox.begin());
    model.setOutbox(outbox);
    v1::Event note2 = makeEvent(4, "mkim");
    note2.mutable_note_added()->set_text("second note");
    Q_EMIT session->caseLoaded(QStringLiteral("c1"), {}, { created, note, blocked, note2 });
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(3).data(TimelineModel::KindRole).toString(), QStringLiteral("note_added"));
    QVERIFY(!model.index(3).data(TimelineModel::PendingRole).toBool());
    QVERIFY(model.index(4).data(TimelineModel::RejectedRole).toBool());
    QCOMPARE(resets.count(), 0);
}

void ModelTest::caseControllerExplainsApproveAndActions()
{
    CaseController controller;
    controller.setCaseId(QStringLiteral("c1"));
    v1::Case c;
    c.set_id("c1");
    c.set_version(4);
    c.set_status(v1::CASE_STATUS_AWAITING_APPROVAL);
    c.set_type("refund");
    c.set_title("Refund request — Acme Co order #4821");
    c.mutable_amount()->set_minor(240000);
    c.mutable_amount()->set_currency("USD");
    c.set_requester("mkim");
    c.set_preparer("mkim");
    c.set_rule("refund-above-threshold");
    auto* stage = c.add_stages();
    stage->set_approvals(1);
    stage->add_roles("finance");
    controller.setCase(c);
    QVERIFY(controller.loaded());
    QCOMPARE(controller.amountText(), QStringLiteral("2,400.00 USD"));
    QCOMPARE(controller.statusText(), QStringLiteral("Awaiting approval"));

    controller.setUser(QStringLiteral("mkim"), { QStringLiteral("support_lead") });
    QVERIFY(!controller.canApprove());
    QCOMPARE(controller.approveDisabledReason(),
        QStringLiteral("You prepared this case: the two-person rule needs someone else"));
    controller.setUser(QStringLiteral("jlee"), { QStringLiteral("operator") });
    QCOMPARE(controller.approveDisabledReason(), QStringLiteral("Needs the finance role"));
    controller.setUser(QStringLiteral("atorres"), { QStringLiteral("finance") });
    QVERIFY(controller.canApprove());
    QCOMPARE(controller.approveDisabledReason(), QString());

    c.set_status(v1::CASE_STATUS_IN_REVIEW);
    controller.setCase(c);
    QVERIFY(!controller.canApprove());
    QVERIFY(controller.canMarkReady());

    // The rule check says which rule applies and what is missing.
    v1::RuleCheck check;
    check.set_matched(true);
    check.set_rule("refund-above-threshold");
    check.add_gated_actions("stripe.refund");
    check.add_missing("1 approval from finance");
    auto* s = check.add_stages();
    s->set_required(1);
    s->add_approver_roles("finance");
    s->add_eligible("atorres");
    s->add_eligible("rpatel");
    controller.setRuleCheck(true, check, {});
    QVERIFY(controller.rulesKnown());
    QCOMPARE(controller.ruleName(), QStringLiteral("refund-above-threshold"));
    QCOMPARE(controller.missing(), QStringList { "1 approval from finance" });
    QCOMPARE(controller.eligible(), (QStringList { "atorres", "rpatel" }));

    // No action list yet: no actions. Then the server's offers: the refund, gated, not yet.
    QCOMPARE(controller.actions().size(), 0);
    QVERIFY(!controller.actionsKnown());
    v1::ActionOffer offer;
    offer.set_action("stripe.refund");
    offer.set_label("Refund via Stripe");
    offer.set_plugin("stripe");
    offer.set_gated(true);
    offer.set_allowed_now(false);
    offer.set_blocked_reason("stripe.refund waits for 1 approval from finance");
    controller.setActions(true, { offer }, {});
    QVERIFY(controller.actionsKnown());
    QCOMPARE(controller.actions().size(), 1);
    QVariantMap action = controller.actions().at(0).toMap();
    QCOMPARE(action.value("action").toString(), QStringLiteral("stripe.refund"));
    QCOMPARE(action.value("label").toString(), QStringLiteral("Refund via Stripe"));
    QCOMPARE(action.value("gated").toBool(), true);
    QCOMPARE(action.value("allowedNow").toBool(), false);
    QCOMPARE(action.value("canRun").toBool(), false);
    QCOMPARE(action.value("lastState").toString(), QString());
    // No session here, so "offline" does not apply: the reason is the server's, unchanged.
    QCOMPARE(action.value("runDisabledReason").toString(),
        QStringLiteral("stripe.refund waits for 1 approval from finance"));

    // Allowed now, but Run sends a plan the user has seen: without one it stays disabled.
    offer.set_allowed_now(true);
    offer.clear_blocked_reason();
    offer.set_last_state(v1::ACTION_STATE_FAILED);
    controller.setActions(true, { offer }, {});
    action = controller.actions().at(0).toMap();
    QCOMPARE(action.value("canRun").toBool(), false);
    QCOMPARE(action.value("lastState").toString(), QStringLiteral("failed"));
    QCOMPARE(action.value("stateText").toString(), QStringLiteral("Failed"));
    QCOMPARE(action.value("runDisabledReason").toString(),
        QStringLiteral("Show the plan first: Run sends exactly what it shows"));

    // The plan's exact parameters, in the order the plugin sends them, then its other keys.
    QCOMPARE(CaseController::planParameterText(
                 R"({"method":"POST","url":"http://127.0.0.1:1/v1/refunds",)"
                 R"("params":[["payment_intent","pi_123"],["amount","240000"]],"currency":"usd"})"),
        QStringLiteral("payment_intent = pi_123\namount = 240000\ncurrency = usd"));
    QCOMPARE(CaseController::planParameterText("not json"), QStringLiteral("not json"));
    // A plan answer nobody asked for (or one for a plan since closed) is not shown.
    v1::ActionPlan plan;
    plan.set_action("stripe.refund");
    plan.set_plan_hash(std::string(32, 'h'));
    plan.set_summary("Refund 2,400.00 USD of pi_123 via Stripe");
    controller.setPlan(QStringLiteral("stripe.refund"), true, plan, {}, {});
    QCOMPARE(controller.planSummary(), QString());
    QVERIFY(!controller.runAction(QStringLiteral("stripe.refund")));

    // Offline: the last good list stays, with the reason it is not fresh.
    controller.setActions(false, {}, QStringLiteral("Offline: plugin actions need the server."));
    QCOMPARE(controller.actions().size(), 1);
    QCOMPARE(controller.actionsMessage(), QStringLiteral("Offline: plugin actions need the server."));

    // Offline: the last good check stays, with the reason it is not fresh.
    controller.setRuleCheck(false, {}, QStringLiteral("Offline"));
    QCOMPARE(controller.ruleName(), QStringLiteral("refund-above-threshold"));
    QCOMPARE(controller.rulesMessage(), QStringLiteral("Offline"));

    // No triage suggestion on this case: no card. Free fields are all listed, whatever their key.
    QVERIFY(!controller.triageVisible());
    latch::setField(c, "triage.note", "kept");
    controller.setCase(c);
    QVERIFY(!controller.triageVisible());
    QCOMPARE(controller.fields().size(), 1);
    QCOMPARE(
        controller.fields().at(0).toMap().value("key").toString(), QStringLiteral("triage.note"));
}

namespace {

// The story's refund as it arrives by email: no type yet, triage's suggestion at seq 7.
v1::Case emailedRefund()
{
    v1::Case c;
    c.set_id("c9");
    c.set_version(3);
    c.set_status(v1::CASE_STATUS_IN_REVIEW);
    c.set_title("Double charged on our last invoice");
    c.set_requester("intake");
    c.set_channel("email");
    auto* t = c.mutable_triage();
    t->set_suggestion_seq(7);
    t->set_model("fasttext");
    t->set_type("refund");
    t->set_confidence(0.906);
    t->set_priority("high");
    t->set_rule("refund-above-threshold");
    t->set_rule_summary("1 approval from finance, never the preparer or the requester");
    for (const auto& [key, value] :
        std::vector<std::pair<std::string, std::string>> { { "amount", "2,400.00 USD" },
            { "customer", "Acme Co" }, { "order", "4821" }, { "email", "billing@acme.example" } }) {
        auto* f = t->add_extracted();
        f->set_key(key);
        f->set_value(value);
    }
    return c;
}

} // namespace

void ModelTest::triageCardShowsTheSuggestion()
{
    CaseController controller;
    controller.setCaseId(QStringLiteral("c9"));
    QSignalSpy facts(&controller, &CaseController::factsChanged);
    controller.setCase(emailedRefund());
    QCOMPARE(facts.count(), 1);

    QVERIFY(controller.triageVisible());
    QVERIFY(controller.triageHasType());
    QCOMPARE(controller.triageType(), QStringLiteral("refund"));
    QCOMPARE(controller.triageTypeText(), QStringLiteral("Refund"));
    QCOMPARE(controller.triageConfidence(), 91);
    QCOMPARE(controller.triagePriority(), QStringLiteral("high"));
    QCOMPARE(controller.triagePriorityText(), QStringLiteral("High"));
    QCOMPARE(controller.triageModel(), QStringLiteral("fasttext"));
    QCOMPARE(controller.triageRule(), QStringLiteral("refund-above-threshold"));
    QCOMPARE(controller.triageRuleText(),
        QStringLiteral("Rule refund-above-threshold would apply: 1 approval from finance, never "
                       "the preparer or the requester"));
    QCOMPARE(controller.channel(), QStringLiteral("email"));
    QCOMPARE(controller.channelText(), QStringLiteral("Arrived by email"));

    // The extracted facts, in triage's order, with labels for the screen.
    const QVariantList found = controller.triageFacts();
    QCOMPARE(found.size(), 4);
    const auto factAt = [&](int i, const char* what) {
        return found.at(i).toMap().value(QLatin1String(what)).toString();
    };
    QCOMPARE(factAt(0, "key"), QStringLiteral("amount"));
    QCOMPARE(factAt(0, "label"), QStringLiteral("Amount"));
    QCOMPARE(factAt(0, "value"), QStringLiteral("2,400.00 USD"));
    QCOMPARE(factAt(1, "label"), QStringLiteral("Customer"));
    QCOMPARE(factAt(1, "value"), QStringLiteral("Acme Co"));
    QCOMPARE(factAt(2, "label"), QStringLiteral("Order"));
    QCOMPARE(factAt(2, "value"), QStringLiteral("4821"));
    QCOMPARE(factAt(3, "label"), QStringLiteral("Email"));

    // An override offers every other type; the suggested one is what Accept is for.
    QStringList choices;
    for (const auto& choice : controller.triageTypeChoices())
        choices << choice.toMap().value(QStringLiteral("type")).toString();
    QVERIFY(!choices.contains(QStringLiteral("refund")));
    QVERIFY(choices.contains(QStringLiteral("escalation")));
    QVERIFY(choices.contains(QStringLiteral("invoice_dispute")));
    QCOMPARE(controller.triageTypeChoices().at(0).toMap().value("text").toString(),
        latch::app::UiText::typeText(choices.at(0)));

    // No rule named: said so only when a type was suggested.
    v1::Case noRule = emailedRefund();
    noRule.mutable_triage()->clear_rule();
    noRule.mutable_triage()->clear_rule_summary();
    controller.setCase(noRule);
    QCOMPARE(controller.triageRuleText(), QStringLiteral("No approval rule would apply"));
}

void ModelTest::triageAnswersAreDecideTriageCommands()
{
    CaseController controller;
    controller.setCaseId(QStringLiteral("c9"));
    controller.setCase(emailedRefund());

    // Accept: the suggestion answered is named, so a newer one makes the server refuse it.
    v1::Command accept = controller.triageDecision(true);
    QVERIFY(accept.has_decide_triage());
    QCOMPARE(accept.decide_triage().case_id(), std::string("c9"));
    QVERIFY(accept.decide_triage().accept());
    QCOMPARE(accept.decide_triage().suggestion_seq(), quint64(7));
    QVERIFY(accept.decide_triage().type().empty());
    QVERIFY(accept.decide_triage().priority().empty()); // the suggested one

    // Override: the chosen type.
    v1::Command override = controller.triageDecision(false, QStringLiteral("escalation"));
    QVERIFY(override.has_decide_triage());
    QVERIFY(!override.decide_triage().accept());
    QCOMPARE(override.decide_triage().type(), std::string("escalation"));
    QCOMPARE(override.decide_triage().suggestion_seq(), quint64(7));
    QVERIFY(!controller.triageDecision(false, {}).has_decide_triage());
    QVERIFY(!controller.overrideTriage({}));

    // Without a session nothing is sent.
    QVERIFY(!controller.acceptTriage());
    QVERIFY(!controller.triagePending());

    // With one, the answer goes to the session's outbox, and the card says it is on its way
    // (and takes no second answer) until the server has recorded it.
    auto session = newSession();
    controller.setSession(session.get());
    controller.setCase(emailedRefund()); // setSession asked the (empty) replica again
    QSignalSpy outboxState(&controller, &CaseController::outboxStateChanged);
    QVERIFY(controller.acceptTriage());
    QVERIFY(controller.triagePending());
    QVERIFY(outboxState.count() >= 1);
    QVERIFY(!controller.acceptTriage());
    QVERIFY(!controller.overrideTriage(QStringLiteral("escalation")));
}

void ModelTest::triageWithoutATypeCanOnlyBeOverridden()
{
    CaseController controller;
    controller.setCaseId(QStringLiteral("c9"));
    v1::Case c = emailedRefund();
    c.mutable_triage()->clear_type();
    c.mutable_triage()->set_confidence(0.31);
    c.mutable_triage()->clear_rule();
    controller.setCase(c);

    QVERIFY(controller.triageVisible());
    QVERIFY(!controller.triageHasType());
    QCOMPARE(controller.triageRuleText(), QString());
    QVERIFY(!controller.triageDecision(true).has_decide_triage());
    QVERIFY(!controller.acceptTriage());
    // Every known type is a choice.
    QCOMPARE(controller.triageTypeChoices().size(), 5);
    const v1::Command chosen = controller.triageDecision(false, QStringLiteral("refund"));
    QVERIFY(chosen.has_decide_triage());
    QCOMPARE(chosen.decide_triage().type(), std::string("refund"));
    QCOMPARE(chosen.decide_triage().suggestion_seq(), quint64(7));
}

void ModelTest::triageCardGoesOnceDecided()
{
    CaseController controller;
    controller.setCaseId(QStringLiteral("c9"));
    v1::Case c = emailedRefund();
    controller.setCase(c);
    QVERIFY(controller.triageVisible());

    // triage_decided folded in: the card goes, and the case's priority is the decided one.
    c.mutable_triage()->set_decision("accepted");
    c.mutable_triage()->set_decided_type("refund");
    c.mutable_triage()->set_decided_by("mkim");
    c.set_type("refund");
    c.set_priority("high");
    controller.setCase(c);
    QVERIFY(!controller.triageVisible());
    QVERIFY(!controller.triageDecision(true).has_decide_triage());
    QVERIFY(!controller.acceptTriage());
    QCOMPARE(controller.priorityText(), QStringLiteral("High"));

    // Overridden: gone as well. A case triage never looked at has no card either.
    c.mutable_triage()->set_decision("overridden");
    controller.setCase(c);
    QVERIFY(!controller.triageVisible());
    c.clear_triage();
    controller.setCase(c);
    QVERIFY(!controller.triageVisible());
}

QTEST_GUILESS_MAIN(ModelTest)
#include "modeltest.moc"
