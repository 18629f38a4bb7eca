// The Slack plugin end to end: the real latch-server with plugins.slack pointed at a local fake
// Slack incoming webhook, driven over the protocol. Covers slack.post (the plan is the message
// posted, with the case's summary and link; Slack's refusals; 429 with Retry-After; an unanswered
// call and a resumed run recorded as unknown, never posted twice), the webhook URL kept out of
// plans, timelines and logs, and the approval-waiting notification: it mentions exactly the
// eligible approvers, is recorded on the case, and is sent once.
#include "actionharness.h"
#include "fakeslack.h"
#include "serverprocess.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace latch;
using namespace actionharness;
using latch::fakes::FakeSlack;

namespace {

const char* kWebhookEnv = "LATCH_TEST_SLACK_WEBHOOK";
const char* kUrlTemplate = "https://latch.example/case/{id}";
const char* kAtorresId = "U0ATORRES1";

std::string text(const nlohmann::json& message)
{
    return message.dump();
}

} // namespace

class SlackActionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void planIsTheMessagePosted();
    void refusalIsRecordedWithSlacksError();
    void rateLimitIsRetriedAfterRetryAfter();
    void unansweredPostIsUnknownAndNotRepeated();
    void webhookNeverRecordedOrLogged();
    void approvalWaitingMentionsTheEligibleApprovers();
    void preparerAndApproverAreNotNotified();
    void notificationIsSentOncePerReady();
    void missingWebhookStopsTheStart();
    void killDuringPostRecordsUnknown();
    void cleanupTestCase();

private:
    QString config(const QString& name, bool notify = true);
    std::string newCase(std::int64_t minor, const QString& by = QStringLiteral("mkim"));
    // Slack messages whose JSON mentions `needle`.
    std::vector<nlohmann::json> messagesAbout(const std::string& needle) const;
    // The case's notification events, waiting up to `timeoutMs` for at least one.
    std::vector<v1::Event> waitNotifications(const std::string& caseId, int timeoutMs = 15000);

    FakeSlack m_slack;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    int m_cases = 0;
};

QString SlackActionTest::config(const QString& name, bool notify)
{
    QString yaml = QStringLiteral("plugins:\n  slack:\n    enabled: true\n"
                                  "    webhook_url_env: %1\n    case_url_template: \"%2\"\n"
                                  "    members: {atorres: %3, mkim: U0MKIM0001}\n"
                                  "    timeout_ms: 1500\n    max_attempts: 3\n"
                                  "    retry_base_ms: 20\n")
                       .arg(QLatin1String(kWebhookEnv), QLatin1String(kUrlTemplate),
                           QLatin1String(kAtorresId));
    if (notify)
        yaml += QStringLiteral("    notify: {approval_waiting: true, case_types: [refund, "
                               "vendor_bank_change]}\n");
    return writeConfig(m_dir.filePath(name + QStringLiteral(".yaml")), yaml);
}

void SlackActionTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
    m_slack.start();
    qputenv(kWebhookEnv, QByteArray::fromStdString(m_slack.webhookUrl()));
    const QString path = config(QStringLiteral("latch"));
    QVERIFY(!path.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), path, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    // The demo cases waiting for approval are announced at start; let that finish before the
    // tests queue faults for the requests to come.
    QTest::qWait(1500);
}

std::string SlackActionTest::newCase(std::int64_t minor, const QString& by)
{
    return createCase(*m_server, by, "refund",
        "Refund request <#" + std::to_string(5100 + ++m_cases) + "> & more", "Acme Co", minor,
        { { "payment_intent", "pi_slack" } });
}

std::vector<nlohmann::json> SlackActionTest::messagesAbout(const std::string& needle) const
{
    std::vector<nlohmann::json> out;
    for (const auto& m : m_slack.messages()) {
        if (text(m).find(needle) != std::string::npos)
            out.push_back(m);
    }
    return out;
}

std::vector<v1::Event> SlackActionTest::waitNotifications(const std::string& caseId, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    std::vector<v1::Event> out;
    while (clock.elapsed() < timeoutMs) {
        out.clear();
        for (const auto& e : timeline(*m_server, caseId)) {
            if (e.has_notification())
                out.push_back(e);
        }
        if (!out.empty())
            return out;
        QTest::qWait(100);
    }
    return out;
}

void SlackActionTest::planIsTheMessagePosted()
{
    // 500.00 USD: under the refund rule's threshold, so nothing gates it.
    const std::string id = newCase(50000);
    QVERIFY(!id.empty());
    const auto shown = plan(*m_server, QStringLiteral("mkim"), id, "slack.post");
    QVERIFY(shown);
    QVERIFY2(shown->ok(), shown->message().c_str());
    const auto planJson = nlohmann::json::parse(shown->plan().plan());
    QCOMPARE(planJson["url"].get<std::string>(), std::string("[redacted]"));
    const nlohmann::json message = planJson["message"];

    // Block Kit: a header with the title, the summary as fields, and the link to the case. What
    // the case holds is escaped for Slack (no <...> links or mentions from a title).
    const std::string link = "https://latch.example/case/" + id;
    QVERIFY(message["blocks"].is_array());
    QCOMPARE(message["blocks"][0]["type"].get<std::string>(), std::string("header"));
    QVERIFY(message["blocks"][0]["text"]["text"].get<std::string>().find("Refund request <#") == 0);
    const std::string all = text(message);
    QVERIFY2(all.find("<" + link + "|") != std::string::npos, all.c_str());
    QVERIFY(all.find("500.00 USD") != std::string::npos);
    QVERIFY(all.find("Acme Co") != std::string::npos);
    QVERIFY(all.find("*Type*\\nrefund") != std::string::npos);
    QVERIFY(all.find("*Status*\\nin_review") != std::string::npos);
    QVERIFY(all.find("&lt;#") != std::string::npos); // the title inside mrkdwn, escaped
    QVERIFY(message["text"].get<std::string>().find(link) != std::string::npos);

    const auto r
        = run(*m_server, QStringLiteral("mkim"), id, "slack.post", shown->plan().plan_hash());
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->http_status(), 200);
    QCOMPARE(finished->attempts(), 1u);
    // Slack received exactly the planned message, once.
    const auto posted = messagesAbout(link);
    QCOMPARE(posted.size(), std::size_t(1));
    QVERIFY(posted[0] == message);
    const auto again = run(*m_server, QStringLiteral("mkim"), id, "slack.post");
    QCOMPARE(again.code(), std::string("action.already_done"));
}

void SlackActionTest::refusalIsRecordedWithSlacksError()
{
    const std::string id = newCase(40000);
    const std::size_t before = m_slack.requestCount();
    m_slack.failNext(FakeSlack::Refusal::ChannelNotFound);
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("slack.channel_not_found"));
    QCOMPARE(finished->http_status(), 404);
    QCOMPARE(finished->attempts(), 1u); // a refusal is not retried
    QCOMPARE(m_slack.requestCount(), before + 1);
    QVERIFY(messagesAbout("https://latch.example/case/" + id).empty());

    // A failed post may be run again; this time Slack takes it.
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    QTRY_COMPARE_WITH_TIMEOUT(
        messagesAbout("https://latch.example/case/" + id).size(), std::size_t(1), 15000);
}

void SlackActionTest::rateLimitIsRetriedAfterRetryAfter()
{
    const std::string id = newCase(30000);
    m_slack.rateLimitNext(1);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->attempts(), 2u);
    // The back-off is 20 ms; only Slack's Retry-After: 1 makes the run take a second.
    QVERIFY2(clock.elapsed() >= 950, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(messagesAbout("https://latch.example/case/" + id).size(), std::size_t(1));
}

void SlackActionTest::unansweredPostIsUnknownAndNotRepeated()
{
    // Slack posts it, but the answer never arrives: sending again could post it twice.
    const std::string id = newCase(20000);
    m_slack.dropNextAfterHandling();
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("slack.outcome_unknown"));
    QCOMPARE(finished->attempts(), 1u);
    QCOMPARE(messagesAbout("https://latch.example/case/" + id).size(), std::size_t(1));
    // Someone has to look at the channel before it is posted again.
    const auto again = run(*m_server, QStringLiteral("mkim"), id, "slack.post");
    QCOMPARE(again.code(), std::string("action.outcome_unknown"));
}

void SlackActionTest::webhookNeverRecordedOrLogged()
{
    const std::string id = newCase(10000);
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    const std::string hookPath = m_slack.path(); // the secret part of the URL
    QVERIFY(finished->request().find("[redacted]") != std::string::npos);
    for (const auto& e : timeline(*m_server, id))
        QVERIFY2(e.DebugString().find(hookPath) == std::string::npos, e.DebugString().c_str());
    const auto shown = plan(*m_server, QStringLiteral("mkim"), newCase(10000), "slack.post");
    QVERIFY(shown && shown->ok());
    QVERIFY(shown->plan().plan().find(hookPath) == std::string::npos);
    QVERIFY2(!m_server->output().contains(QString::fromStdString(hookPath)),
        "the webhook URL is in the server's log");
}

void SlackActionTest::approvalWaitingMentionsTheEligibleApprovers()
{
    // 2,400.00 USD needs one finance approval. mkim prepares it: atorres (mapped to a Slack id)
    // and rpatel (no id: by name) may approve; mkim, jlee and admin may not.
    const std::string id = newCase(240000);
    QVERIFY(markReady(*m_server, QStringLiteral("mkim"), id));
    const auto events = waitNotifications(id);
    QCOMPARE(events.size(), std::size_t(1));
    const v1::Notification& n = events[0].notification();
    QCOMPARE(events[0].actor(), std::string("plugin:slack"));
    QCOMPARE(n.channel(), std::string("slack"));
    QCOMPARE(n.reason(), std::string("approval_waiting"));
    QCOMPARE(n.state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(n.mentioned_size(), 1);
    QCOMPARE(n.mentioned(0), std::string("atorres"));
    QCOMPARE(n.named_size(), 1);
    QCOMPARE(n.named(0), std::string("rpatel"));
    std::uint64_t readySeq = 0;
    for (const auto& e : timeline(*m_server, id)) {
        if (e.has_marked_ready())
            readySeq = e.seq();
    }
    QCOMPARE(n.about_seq(), readySeq);

    const auto posted = messagesAbout("https://latch.example/case/" + id);
    QCOMPARE(posted.size(), std::size_t(1));
    const std::string message = text(posted[0]);
    QVERIFY2(message.find("Approval waiting") != std::string::npos, message.c_str());
    QVERIFY(message.find(std::string("<@") + kAtorresId + ">") != std::string::npos);
    QVERIFY(message.find("R. Patel") != std::string::npos);
    QVERIFY(message.find("U0MKIM0001") == std::string::npos); // the preparer
    QVERIFY(message.find("J. Lee") == std::string::npos); // no finance role
    QVERIFY(message.find("Administrator") == std::string::npos);
    QVERIFY(message.find("refund-above-threshold") != std::string::npos);
}

void SlackActionTest::preparerAndApproverAreNotNotified()
{
    // A vendor bank change (finance, then admin): mkim requests it, atorres prepares it. Only
    // rpatel may approve stage 1: atorres holds the role and a Slack id but prepared the case.
    const std::string id = createCase(*m_server, QStringLiteral("mkim"), "vendor_bank_change",
        "New bank account for Vendor 77", "Vendor 77", 0, { { "vendor_id", "V-77" } });
    QVERIFY(!id.empty());
    QVERIFY(markReady(*m_server, QStringLiteral("atorres"), id));
    const auto events = waitNotifications(id);
    QCOMPARE(events.size(), std::size_t(1));
    const v1::Notification& n = events[0].notification();
    QCOMPARE(n.mentioned_size(), 0);
    QCOMPARE(n.named_size(), 1);
    QCOMPARE(n.named(0), std::string("rpatel"));
    const auto posted = messagesAbout("https://latch.example/case/" + id);
    QCOMPARE(posted.size(), std::size_t(1));
    QVERIFY(text(posted[0]).find(kAtorresId) == std::string::npos);
}

void SlackActionTest::notificationIsSentOncePerReady()
{
    const std::string id = newCase(250000);
    QVERIFY(markReady(*m_server, QStringLiteral("mkim"), id));
    QCOMPARE(waitNotifications(id).size(), std::size_t(1));
    const std::string link = "https://latch.example/case/" + id;
    QTest::qWait(500);
    QCOMPARE(messagesAbout(link).size(), std::size_t(1));

    // A restart finds it recorded and does not post it again.
    QCOMPARE(m_server->stop(), 0);
    QVERIFY2(m_server->start({ QStringLiteral("--config"), config(QStringLiteral("latch")) }),
        qPrintable(m_server->lastError()));
    QTest::qWait(1000);
    QCOMPARE(messagesAbout(link).size(), std::size_t(1));
    QCOMPARE(waitNotifications(id).size(), std::size_t(1));

    // Approved: nothing more. Edited (approvals void) and marked ready again: one more.
    QVERIFY(approve(*m_server, QStringLiteral("atorres"), id));
    v1::Command change;
    change.mutable_set_fields()->set_case_id(id);
    change.mutable_set_fields()->mutable_amount()->set_minor(260000);
    change.mutable_set_fields()->mutable_amount()->set_currency("USD");
    const auto changed = as(*m_server, QStringLiteral("mkim"), change);
    QVERIFY(changed && changed->accepted());
    QVERIFY(markReady(*m_server, QStringLiteral("mkim"), id));
    QTRY_COMPARE_WITH_TIMEOUT(messagesAbout(link).size(), std::size_t(2), 15000);
    QTest::qWait(500);
    QCOMPARE(messagesAbout(link).size(), std::size_t(2));
    int recorded = 0;
    for (const auto& e : timeline(*m_server, id))
        recorded += e.has_notification();
    QCOMPARE(recorded, 2);

    // A server without notify posts nothing when a case becomes ready.
    ServerProcess quiet(m_dir.filePath(QStringLiteral("quiet")));
    QVERIFY2(quiet.start({ QStringLiteral("--config"), config(QStringLiteral("quiet"), false),
                 QStringLiteral("--demo") }),
        qPrintable(quiet.lastError()));
    const std::string other = createCase(
        quiet, QStringLiteral("mkim"), "refund", "Quiet refund", "Acme Co", 240000, {});
    QVERIFY(markReady(quiet, QStringLiteral("mkim"), other));
    QTest::qWait(1000);
    QVERIFY(messagesAbout("https://latch.example/case/" + other).empty());
}

void SlackActionTest::missingWebhookStopsTheStart()
{
    const QByteArray url = qgetenv(kWebhookEnv);
    qunsetenv(kWebhookEnv);
    auto restore = qScopeGuard([&] { qputenv(kWebhookEnv, url); });
    ServerProcess server(m_dir.filePath(QStringLiteral("no-webhook")));
    QVERIFY(!server.start({ QStringLiteral("--config"), config(QStringLiteral("latch")) }, 10000));
    QVERIFY2(server.output().contains(QLatin1String(kWebhookEnv)), qPrintable(server.output()));
}

void SlackActionTest::killDuringPostRecordsUnknown()
{
    // Slack takes two seconds over the post; the server is killed meanwhile. On restart the run
    // is resumed, but Slack may already have the message: it is recorded as unknown, not resent.
    const std::string id = newCase(15000);
    m_slack.inject(latch::fakes::Fault::delayBy(std::chrono::milliseconds(2000)));
    const std::size_t before = m_slack.requestCount();
    QVERIFY(run(*m_server, QStringLiteral("mkim"), id, "slack.post").accepted());
    QVERIFY(m_slack.waitForRequests(before + 1, std::chrono::milliseconds(10000)));
    m_server->kill();
    QTest::qWait(2500);
    QVERIFY2(m_server->start({ QStringLiteral("--config"), config(QStringLiteral("latch")) }),
        qPrintable(m_server->lastError()));
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("slack.outcome_unknown"));
    const std::string link = "https://latch.example/case/" + id;
    int sent = 0;
    for (const auto& request : m_slack.requests())
        sent += request.body.find(link) != std::string::npos;
    QCOMPARE(sent, 1);
    QCOMPARE(messagesAbout(link).size(), std::size_t(1));
}

void SlackActionTest::cleanupTestCase()
{
    // A clean exit: nothing the sanitizers object to, no leak.
    QCOMPARE(m_server->stop(), 0);
}

QTEST_GUILESS_MAIN(SlackActionTest)
#include "slackactiontest.moc"
