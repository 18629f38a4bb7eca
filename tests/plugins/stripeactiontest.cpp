// The Stripe plugin end to end: the real latch-server with plugins.stripe pointed at a local fake
// Stripe (which keeps refunds and honours Idempotency-Key as Stripe does), driven over the
// protocol as the app and latchctl drive it. Covers the gate, the story to a confirmed refund,
// exactly-once through retries, a lost response and a kill -9 mid-refund, refusals that are not
// retried, following a pending refund, secrets kept out of the timeline, and cancelling a run:
// stopped while nothing Stripe acted on was sent, never un-sent once a call may have acted.
#include "fakestripe.h"
#include "serverprocess.h"
#include "wsclient.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

using namespace latch;
using latch::fakes::FakeStripe;

namespace {

const QString kPassword = QStringLiteral("latch-demo");
const char* kKeyEnv = "LATCH_TEST_STRIPE_KEY";

} // namespace

class StripeActionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runBeforeApprovalIsBlockedAndRecorded();
    void storyEndsWithAConfirmedRefund();
    void changedAmountAfterApprovalDoesNotRun();
    void planShownIsThePlanRun();
    void refusalIsRecordedAndNotRetried();
    void rateLimitIsRetriedAndServerErrorReconciled();
    void lostResponseIsRecoveredWithTheSameKey();
    void pendingRefundIsFollowedToItsFinalState();
    void operatorWithoutTheRoleIsBlocked();
    void resultsFromPeopleAreRefused();
    void missingKeyStopsTheStart();
    void cancelInBackOffBeforeStripeActedStopsTheRun();
    void cancelAfterServerErrorsLooksTheRefundUp();
    void cancelCannotUnsendACallInFlight();
    void cancelWithNothingRunningIsRefused();
    void cancelByARoleThatMayNotRunIsBlocked();
    void killDuringRefundRecordsOneResult();

private:
    QString writeConfig(const QString& roles = {});
    std::string createRefund(std::int64_t minor, const std::string& paymentIntent);
    void approve(const std::string& caseId);
    v1::CommandResult run(
        const std::string& caseId, const QString& user = "mkim", const std::string& planHash = {});
    std::vector<v1::Event> timeline(const std::string& caseId);
    // Waits for the run's action_finished event on the case.
    std::optional<v1::ActionFinished> waitFinished(
        const std::string& caseId, int timeoutMs = 20000);
    std::optional<v1::CommandResult> as(const QString& user, v1::Command command);
    v1::CommandResult cancel(
        const std::string& caseId, const QString& user = "mkim", const std::string& reason = {});
    // Runs latchctl against the active server as `user` (logged in first), with --json.
    QJsonObject latchctl(const QString& user, const QStringList& args, int* exitCode);
    // A run that stays in back-off for `retryAfterSeconds` after Stripe answered `status`.
    std::string runIntoBackOff(const std::string& paymentIntent, unsigned status,
        const QString& runner = "mkim");
    int refundsFor(const std::string& paymentIntent) const;

    FakeStripe m_stripe;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    ServerProcess* m_active = nullptr; // the server the helpers talk to
    int m_orders = 0;
};

QString StripeActionTest::writeConfig(const QString& roles)
{
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    if (!sample.open(QIODevice::ReadOnly))
        return {};
    QString yaml = QString::fromUtf8(sample.readAll());
    yaml += QStringLiteral("\nplugins:\n  stripe:\n    enabled: true\n    base_url: %1\n"
                           "    api_key_env: %2\n    timeout_ms: 5000\n    max_attempts: 3\n"
                           "    retry_base_ms: 20\n    follow_ms: 5000\n")
                .arg(QString::fromStdString(m_stripe.baseUrl()), QLatin1String(kKeyEnv));
    if (!roles.isEmpty())
        yaml += QStringLiteral("    roles: [%1]\n").arg(roles);
    const QString path
        = m_dir.filePath(QStringLiteral("latch-%1.yaml").arg(roles.isEmpty() ? "any" : "roles"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(yaml.toUtf8());
    return path;
}

void StripeActionTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
    m_stripe.start();
    qputenv(kKeyEnv, FakeStripe::kDefaultApiKey);
    const QString config = writeConfig();
    QVERIFY(!config.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), config, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    m_active = m_server.get();
}

std::optional<v1::CommandResult> StripeActionTest::as(const QString& user, v1::Command command)
{
    WsClient client;
    if (!client.open(m_active->url()))
        return std::nullopt;
    const QString token = client.login(user, kPassword);
    if (token.isEmpty() || !client.hello(token))
        return std::nullopt;
    if (command.command_id().empty())
        command.set_command_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    return client.command(command);
}

v1::CommandResult StripeActionTest::cancel(
    const std::string& caseId, const QString& user, const std::string& reason)
{
    v1::Command c;
    c.mutable_cancel_action()->set_case_id(caseId);
    c.mutable_cancel_action()->set_action("stripe.refund");
    c.mutable_cancel_action()->set_reason(reason);
    return as(user, c).value_or(v1::CommandResult {});
}

QJsonObject StripeActionTest::latchctl(const QString& user, const QStringList& args, int* exitCode)
{
    const auto runCtl = [&](const QStringList& more, QByteArray* out) {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("LATCHCTL_CONFIG", m_dir.filePath(user + "-latchctl.json"));
        env.insert("NO_COLOR", "1");
        p.setProcessEnvironment(env);
        p.start(ServerProcess::latchctlBinary(),
            QStringList { "--server", m_active->url(), "--json" } + more);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return -1;
        }
        *out = p.readAllStandardOutput();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    };
    QByteArray out;
    if (runCtl({ "login", user, "--password", kPassword }, &out) != 0) {
        *exitCode = -1;
        return {};
    }
    *exitCode = runCtl(args, &out);
    return QJsonDocument::fromJson(out).object();
}

std::string StripeActionTest::runIntoBackOff(
    const std::string& paymentIntent, unsigned status, const QString& runner)
{
    m_stripe.addPaymentIntent(paymentIntent, 240000);
    const std::string id = createRefund(240000, paymentIntent);
    approve(id);
    // Stripe answers `status` and asks for 30 s before the next attempt: the run waits there.
    auto answer = FakeStripe::errorResponse(status,
        status == 429 ? "rate_limit_error" : "api_error", "Try again later",
        status == 429 ? "rate_limit" : "");
    answer.setHeader("Retry-After", "30");
    m_stripe.inject(latch::fakes::Fault::respond(answer).onlyFor("/v1/refunds"));
    const std::size_t before = m_stripe.requestCount();
    const auto r = run(id, runner);
    if (!r.accepted() || !m_stripe.waitForRequests(before + 1, std::chrono::milliseconds(10000)))
        return {};
    QTest::qWait(200); // the answer is read and the back-off begun
    return id;
}

int StripeActionTest::refundsFor(const std::string& paymentIntent) const
{
    int made = 0;
    for (const auto& refund : m_stripe.refunds())
        made += refund.paymentIntent == paymentIntent;
    return made;
}

std::string StripeActionTest::createRefund(std::int64_t minor, const std::string& paymentIntent)
{
    v1::Command c;
    auto* create = c.mutable_create_case();
    create->set_type("refund");
    create->set_title("Refund request — order #" + std::to_string(4800 + ++m_orders));
    create->set_customer("Acme Co");
    create->mutable_amount()->set_minor(minor);
    create->mutable_amount()->set_currency("USD");
    auto* field = create->add_fields();
    field->set_key("payment_intent");
    field->set_value(paymentIntent);
    const auto r = as("mkim", c);
    return r && r->accepted() ? r->case_id() : std::string();
}

void StripeActionTest::approve(const std::string& caseId)
{
    v1::Command ready;
    ready.mutable_mark_ready()->set_case_id(caseId);
    auto r = as("mkim", ready);
    QVERIFY(r && r->accepted());
    v1::Command ok;
    ok.mutable_approve()->set_case_id(caseId);
    ok.mutable_approve()->set_comment("checked the order");
    r = as("atorres", ok);
    QVERIFY2(r && r->accepted(), r ? r->message().c_str() : "no answer");
}

v1::CommandResult StripeActionTest::run(
    const std::string& caseId, const QString& user, const std::string& planHash)
{
    v1::Command c;
    c.mutable_request_action()->set_case_id(caseId);
    c.mutable_request_action()->set_action("stripe.refund");
    c.mutable_request_action()->set_plan_hash(planHash);
    return as(user, c).value_or(v1::CommandResult {});
}

std::vector<v1::Event> StripeActionTest::timeline(const std::string& caseId)
{
    WsClient client;
    if (!client.open(m_active->url()))
        return {};
    const QString token = client.login(QStringLiteral("admin"), kPassword);
    if (token.isEmpty() || !client.hello(token))
        return {};
    v1::Query q;
    q.set_query_id("timeline");
    q.mutable_get_timeline()->set_case_id(caseId);
    const auto r = client.query(q);
    return r ? std::vector<v1::Event>(r->events().begin(), r->events().end())
             : std::vector<v1::Event> {};
}

std::optional<v1::ActionFinished> StripeActionTest::waitFinished(
    const std::string& caseId, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        for (const auto& e : timeline(caseId)) {
            if (e.has_action_finished())
                return e.action_finished();
        }
        QTest::qWait(100);
    }
    return std::nullopt;
}

void StripeActionTest::runBeforeApprovalIsBlockedAndRecorded()
{
    m_stripe.addPaymentIntent("pi_gate", 240000);
    const std::string id = createRefund(240000, "pi_gate");
    QVERIFY(!id.empty());
    const std::size_t before = m_stripe.requestCount();
    const auto r = run(id);
    QVERIFY(!r.accepted());
    QCOMPARE(r.code(), std::string("action.gated"));
    const auto events = timeline(id);
    QVERIFY(!events.empty());
    QVERIFY(events.back().has_attempt_blocked());
    QCOMPARE(events.back().attempt_blocked().command(), std::string("action:stripe.refund"));
    QCOMPARE(m_stripe.requestCount(), before); // Stripe never heard of it
}

void StripeActionTest::storyEndsWithAConfirmedRefund()
{
    m_stripe.addPaymentIntent("pi_story", 240000);
    const std::string id = createRefund(240000, "pi_story");
    QVERIFY(!id.empty());
    approve(id);

    const auto r = run(id);
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->external_status(), std::string("succeeded"));

    // Stripe holds exactly one refund, for the case's amount, under the run's key.
    std::vector<FakeStripe::Refund> refunds;
    for (const auto& refund : m_stripe.refunds()) {
        if (refund.paymentIntent == "pi_story")
            refunds.push_back(refund);
    }
    QCOMPARE(refunds.size(), std::size_t(1));
    QCOMPARE(refunds[0].amount, std::int64_t(240000));
    QCOMPARE(refunds[0].idempotencyKey, finished->idempotency_key());
    QCOMPARE(refunds[0].metadata.at("latch_case"), id);
    QCOMPARE(finished->external_id(), refunds[0].id);

    // The timeline holds the request, what was sent and Stripe's answer; never the key.
    const auto events = timeline(id);
    const v1::Event* requested = nullptr;
    for (const auto& e : events) {
        if (e.has_action_requested())
            requested = &e;
        QVERIFY2(e.DebugString().find(FakeStripe::kDefaultApiKey) == std::string::npos,
            "the Stripe key is on the timeline");
    }
    QVERIFY(requested);
    QCOMPARE(requested->actor(), std::string("mkim"));
    QVERIFY(requested->action_requested().summary().find("2,400.00 USD") != std::string::npos);
    QVERIFY(finished->request().find("Idempotency-Key: " + finished->idempotency_key())
        != std::string::npos);
    QVERIFY(finished->response().find(refunds[0].id) != std::string::npos);
    QCOMPARE(events.back().actor(), std::string("plugin:stripe"));

    QVERIFY2(!m_active->output().contains(QLatin1String(FakeStripe::kDefaultApiKey)),
        "the Stripe key is in the server's log");

    // It runs once.
    const auto again = run(id);
    QVERIFY(!again.accepted());
    QCOMPARE(again.code(), std::string("action.already_done"));
}

void StripeActionTest::changedAmountAfterApprovalDoesNotRun()
{
    m_stripe.addPaymentIntent("pi_changed", 500000);
    const std::string id = createRefund(240000, "pi_changed");
    approve(id);
    v1::Command change;
    change.mutable_set_fields()->set_case_id(id);
    change.mutable_set_fields()->mutable_amount()->set_minor(480000);
    change.mutable_set_fields()->mutable_amount()->set_currency("USD");
    const auto changed = as("mkim", change);
    QVERIFY(changed && changed->accepted());
    const auto r = run(id);
    QVERIFY(!r.accepted());
    QCOMPARE(r.code(), std::string("action.gated"));
    for (const auto& refund : m_stripe.refunds())
        QVERIFY(refund.paymentIntent != "pi_changed");
}

void StripeActionTest::planShownIsThePlanRun()
{
    m_stripe.addPaymentIntent("pi_plan", 300000);
    const std::string id = createRefund(150000, "pi_plan");
    approve(id);
    WsClient client;
    QVERIFY(client.open(m_active->url()));
    QVERIFY(client.hello(client.login("mkim", kPassword)));
    v1::Query list;
    list.set_query_id("list");
    list.mutable_list_actions()->set_case_id(id);
    const auto offers = client.query(list);
    QVERIFY(offers && offers->ok());
    QCOMPARE(offers->actions_size(), 1);
    QCOMPARE(offers->actions(0).action(), std::string("stripe.refund"));
    QVERIFY(offers->actions(0).gated());
    QVERIFY2(offers->actions(0).allowed_now(), offers->actions(0).blocked_reason().c_str());

    v1::Query plan;
    plan.set_query_id("plan");
    plan.mutable_plan_action()->set_case_id(id);
    plan.mutable_plan_action()->set_action("stripe.refund");
    const auto shown = client.query(plan);
    QVERIFY(shown && shown->ok());
    QVERIFY(shown->plan().plan().find("\"pi_plan\"") != std::string::npos);
    QVERIFY(shown->plan().plan().find("\"150000\"") != std::string::npos);
    QVERIFY(shown->plan().plan().find(FakeStripe::kDefaultApiKey) == std::string::npos);

    // A plan hash that is not the current plan's is refused, and nothing runs.
    std::string stale = shown->plan().plan_hash();
    stale[0] = char(stale[0] ^ 1);
    const auto refused = run(id, "mkim", stale);
    QCOMPARE(refused.code(), std::string("action.plan_changed"));
    const auto r = run(id, "mkim", shown->plan().plan_hash());
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
}

void StripeActionTest::refusalIsRecordedAndNotRetried()
{
    // The case asks for more than the payment holds: Stripe says amount_too_large.
    m_stripe.addPaymentIntent("pi_small", 100000);
    const std::string id = createRefund(240000, "pi_small");
    approve(id);
    const std::size_t before = m_stripe.requestCount();
    QVERIFY(run(id).accepted());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("stripe.amount_too_large"));
    QCOMPARE(finished->http_status(), 400);
    QCOMPARE(finished->attempts(), 1u);
    QCOMPARE(m_stripe.requestCount(), before + 1);
}

void StripeActionTest::rateLimitIsRetriedAndServerErrorReconciled()
{
    // 429 is not saved under the key: the retry goes through.
    m_stripe.addPaymentIntent("pi_busy", 240000);
    std::string id = createRefund(240000, "pi_busy");
    approve(id);
    m_stripe.inject(latch::fakes::Fault::respond(
        FakeStripe::errorResponse(429, "rate_limit_error", "Too many requests", "rate_limit"))
                        .onlyFor("/v1/refunds"));
    QVERIFY(run(id).accepted());
    auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->attempts(), 2u);

    // A 500 is saved under the key, so every retry gets it again; the plugin then looks the
    // refund up, finds none, and records a failure that says nothing was refunded.
    m_stripe.addPaymentIntent("pi_500", 240000);
    id = createRefund(240000, "pi_500");
    approve(id);
    m_stripe.inject(latch::fakes::Fault::respond(
        FakeStripe::errorResponse(500, "api_error", "Something went wrong on Stripe's end"))
                        .onlyFor("/v1/refunds"));
    QVERIFY(run(id).accepted());
    finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("stripe.unavailable"));
    QCOMPARE(finished->attempts(), 3u);
    for (const auto& refund : m_stripe.refunds())
        QVERIFY(refund.paymentIntent != "pi_500");
    // A failed run may be run again, with a new key; this time Stripe answers.
    const auto again = run(id);
    QVERIFY2(again.accepted(), again.message().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto& refund : m_stripe.refunds()) {
                if (refund.paymentIntent == "pi_500")
                    return true;
            }
            return false;
        }(),
        20000);
}

void StripeActionTest::lostResponseIsRecoveredWithTheSameKey()
{
    // Stripe makes the refund but the answer never arrives: the retry, with the same key, gets
    // the saved answer. One refund.
    m_stripe.addPaymentIntent("pi_lost", 240000);
    const std::string id = createRefund(240000, "pi_lost");
    approve(id);
    m_stripe.inject(latch::fakes::Fault::dropAfterHandling().onlyFor("/v1/refunds"));
    QVERIFY(run(id).accepted());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    int made = 0;
    for (const auto& refund : m_stripe.refunds())
        made += refund.paymentIntent == "pi_lost";
    QCOMPARE(made, 1);
    QCOMPARE(finished->attempts(), 2u);
}

void StripeActionTest::pendingRefundIsFollowedToItsFinalState()
{
    m_stripe.addPaymentIntent("pi_pending", 240000);
    const std::string id = createRefund(240000, "pi_pending");
    approve(id);
    m_stripe.setInitialRefundStatus("pending");
    QVERIFY(run(id).accepted());
    std::string refundId;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto& refund : m_stripe.refunds()) {
                if (refund.paymentIntent == "pi_pending")
                    refundId = refund.id;
            }
            return !refundId.empty();
        }(),
        10000);
    m_stripe.setInitialRefundStatus("succeeded");
    QTest::qWait(300); // the plugin sees it pending at least once
    QVERIFY(m_stripe.settle(refundId, "succeeded"));
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->external_id(), refundId);
}

void StripeActionTest::operatorWithoutTheRoleIsBlocked()
{
    // A server where only finance may refund through Stripe.
    ServerProcess restricted(m_dir.filePath(QStringLiteral("restricted")));
    QVERIFY2(restricted.start({ QStringLiteral("--config"), writeConfig(QStringLiteral("finance")),
                 QStringLiteral("--demo") }),
        qPrintable(restricted.lastError()));
    m_active = &restricted;
    auto back = qScopeGuard([this] { m_active = m_server.get(); });
    m_stripe.addPaymentIntent("pi_roles", 240000);
    const std::string id = createRefund(240000, "pi_roles");
    approve(id);
    const auto r = run(id, "mkim");
    QCOMPARE(r.code(), std::string("action.forbidden"));
    const auto events = timeline(id);
    QVERIFY(events.back().has_attempt_blocked());
    QCOMPARE(events.back().attempt_blocked().code(), std::string("action.forbidden"));
    const auto byFinance = run(id, "atorres");
    QVERIFY2(byFinance.accepted(), byFinance.message().c_str());
    QVERIFY(waitFinished(id));
}

void StripeActionTest::resultsFromPeopleAreRefused()
{
    // A person cannot write a run's result: only the plugin host records them.
    m_stripe.addPaymentIntent("pi_forged", 240000);
    const std::string id = createRefund(240000, "pi_forged");
    approve(id);
    m_stripe.setInitialRefundStatus("pending"); // the run stays open long enough to forge over
    QVERIFY(run(id).accepted());
    std::string key;
    for (const auto& e : timeline(id)) {
        if (e.has_action_requested())
            key = e.action_requested().idempotency_key();
    }
    QVERIFY(!key.empty());
    v1::Command forged;
    forged.mutable_record_action()->set_case_id(id);
    auto* finished = forged.mutable_record_action()->mutable_finished();
    finished->set_action("stripe.refund");
    finished->set_idempotency_key(key);
    finished->set_state(v1::ACTION_STATE_SUCCEEDED);
    for (const QString& who : { QStringLiteral("mkim"), QStringLiteral("admin") }) {
        const auto r = as(who, forged);
        QVERIFY(r);
        QVERIFY(!r->accepted());
        QCOMPARE(r->code(), std::string("command.not_allowed"));
    }
    std::string refundId;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto& refund : m_stripe.refunds()) {
                if (refund.paymentIntent == "pi_forged")
                    refundId = refund.id;
            }
            return !refundId.empty();
        }(),
        10000);
    m_stripe.setInitialRefundStatus("succeeded");
    QVERIFY(m_stripe.settle(refundId, "succeeded"));
    const auto result = waitFinished(id);
    QVERIFY(result);
    int results = 0;
    for (const auto& e : timeline(id)) {
        if (e.has_action_finished()) {
            ++results;
            QCOMPARE(e.actor(), std::string("plugin:stripe"));
        }
    }
    QCOMPARE(results, 1);
}

void StripeActionTest::missingKeyStopsTheStart()
{
    // Enabled without its secret: the server says which variable is missing and does not start.
    const QByteArray key = qgetenv(kKeyEnv);
    qunsetenv(kKeyEnv);
    auto restore = qScopeGuard([&] { qputenv(kKeyEnv, key); });
    ServerProcess server(m_dir.filePath(QStringLiteral("no-key")));
    QVERIFY(!server.start({ QStringLiteral("--config"), writeConfig() }, 10000));
    QVERIFY2(server.output().contains(QLatin1String(kKeyEnv)), qPrintable(server.output()));
}

void StripeActionTest::cancelInBackOffBeforeStripeActedStopsTheRun()
{
    // Stripe turned the only call away at the door (429): nothing it could act on was sent, so
    // the cancel stops the run, through latchctl.
    const std::string id = runIntoBackOff("pi_cancel_429", 429);
    QVERIFY(!id.empty());
    const std::size_t before = m_stripe.requestCount();
    int exitCode = 0;
    const auto out = latchctl("mkim",
        { "action", "cancel", QString::fromStdString(id), "stripe.refund", "--reason",
            "customer withdrew" },
        &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY(out.value("accepted").toBool());
    const auto finished = waitFinished(id, 5000); // well before the 30 s back-off ends
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("action.canceled"));
    QCOMPARE(finished->canceled_by(), std::string("mkim"));
    QVERIFY2(finished->message().find("customer withdrew") != std::string::npos
            && finished->message().find("nothing was refunded") != std::string::npos,
        finished->message().c_str());
    QCOMPARE(finished->attempts(), 1u);
    QCOMPARE(refundsFor("pi_cancel_429"), 0);
    QCOMPARE(m_stripe.requestCount(), before); // nothing more was asked of Stripe

    // The story: requested, cancel asked by mkim with the reason, failed as canceled.
    const auto events = timeline(id);
    QVERIFY(events.size() >= 3);
    const auto& asked = events[events.size() - 2];
    QVERIFY(asked.has_action_cancel_requested());
    QCOMPARE(asked.actor(), std::string("mkim"));
    QCOMPARE(asked.action_cancel_requested().reason(), std::string("customer withdrew"));
    QCOMPARE(events.back().actor(), std::string("plugin:stripe"));
    // A canceled run is a failed one: it may be run again, with a new key.
    const auto again = run(id);
    QVERIFY2(again.accepted(), again.message().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(refundsFor("pi_cancel_429"), 1, 20000);
}

void StripeActionTest::cancelAfterServerErrorsLooksTheRefundUp()
{
    // A 500 may mean Stripe acted: the cancel stops the retries, and the outcome comes from
    // looking the refund up (none here), never from sending again.
    const std::string id = runIntoBackOff("pi_cancel_500", 500);
    QVERIFY(!id.empty());
    const std::size_t before = m_stripe.requestCount();
    QVERIFY(cancel(id).accepted());
    const auto finished = waitFinished(id, 5000);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("action.canceled"));
    QVERIFY2(finished->message().find("lists no refund") != std::string::npos,
        finished->message().c_str());
    QCOMPARE(refundsFor("pi_cancel_500"), 0);
    const auto requests = m_stripe.requests();
    QCOMPARE(requests.size(), before + 1);
    QCOMPARE(requests.back().method, std::string("GET")); // the look-up, no new POST
}

void StripeActionTest::cancelCannotUnsendACallInFlight()
{
    // Stripe takes two seconds over the refund; the cancel arrives meanwhile. The call cannot be
    // taken back: the run ends as Stripe says, and the cancel stays on the record beside it.
    m_stripe.addPaymentIntent("pi_cancel_late", 240000);
    const std::string id = createRefund(240000, "pi_cancel_late");
    approve(id);
    m_stripe.inject(
        latch::fakes::Fault::delayBy(std::chrono::milliseconds(2000)).onlyFor("/v1/refunds"));
    const std::size_t before = m_stripe.requestCount();
    QVERIFY(run(id).accepted());
    QVERIFY(m_stripe.waitForRequests(before + 1, std::chrono::milliseconds(10000)));
    QVERIFY(cancel(id, "mkim", "too late?").accepted());
    const auto twice = cancel(id, "atorres");
    QCOMPARE(twice.code(), std::string("action.cancel_pending"));
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->canceled_by(), std::string());
    QCOMPARE(refundsFor("pi_cancel_late"), 1);
    int asked = 0;
    for (const auto& e : timeline(id))
        asked += e.has_action_cancel_requested();
    QCOMPARE(asked, 1);
    // Done: there is nothing left to cancel.
    const auto after = cancel(id);
    QCOMPARE(after.code(), std::string("action.not_running"));
}

void StripeActionTest::cancelWithNothingRunningIsRefused()
{
    m_stripe.addPaymentIntent("pi_cancel_none", 240000);
    const std::string id = createRefund(240000, "pi_cancel_none");
    QVERIFY(!id.empty());
    const auto before = timeline(id).size();
    int exitCode = 0;
    const auto out = latchctl(
        "mkim", { "action", "cancel", QString::fromStdString(id), "stripe.refund" }, &exitCode);
    QCOMPARE(exitCode, 2);
    QCOMPARE(out.value("code").toString(), QStringLiteral("action.not_running"));
    QCOMPARE(timeline(id).size(), before); // nothing recorded
    const auto other = cancel(id, "mkim");
    QCOMPARE(other.code(), std::string("action.not_running"));
    v1::Command unknown;
    unknown.mutable_cancel_action()->set_case_id(id);
    unknown.mutable_cancel_action()->set_action("erp.update_bank_details");
    const auto r = as("mkim", unknown);
    QVERIFY(r);
    QCOMPARE(r->code(), std::string("action.unavailable"));
}

void StripeActionTest::cancelByARoleThatMayNotRunIsBlocked()
{
    ServerProcess restricted(m_dir.filePath(QStringLiteral("restricted-cancel")));
    QVERIFY2(restricted.start({ QStringLiteral("--config"), writeConfig(QStringLiteral("finance")),
                 QStringLiteral("--demo") }),
        qPrintable(restricted.lastError()));
    m_active = &restricted;
    auto back = qScopeGuard([this] { m_active = m_server.get(); });
    const std::string id = runIntoBackOff("pi_cancel_roles", 429, "atorres");
    QVERIFY(!id.empty());
    const auto refused = cancel(id, "mkim");
    QCOMPARE(refused.code(), std::string("action.forbidden"));
    const auto events = timeline(id);
    QVERIFY(events.back().has_attempt_blocked());
    QCOMPARE(events.back().attempt_blocked().command(), std::string("cancel:stripe.refund"));
    // Admins are bound too: cancelling a refund is not administration.
    QCOMPARE(cancel(id, "admin").code(), std::string("action.forbidden"));
    QVERIFY(cancel(id, "atorres").accepted());
    const auto finished = waitFinished(id, 5000);
    QVERIFY(finished);
    QCOMPARE(finished->code(), std::string("action.canceled"));
    QCOMPARE(finished->canceled_by(), std::string("atorres"));
}

void StripeActionTest::killDuringRefundRecordsOneResult()
{
    m_stripe.addPaymentIntent("pi_kill", 240000);
    const std::string id = createRefund(240000, "pi_kill");
    approve(id);
    // Stripe takes two seconds over the refund; the server is killed while it waits.
    m_stripe.inject(
        latch::fakes::Fault::delayBy(std::chrono::milliseconds(2000)).onlyFor("/v1/refunds"));
    const std::size_t before = m_stripe.requestCount();
    QVERIFY(run(id).accepted());
    QVERIFY(m_stripe.waitForRequests(before + 1, std::chrono::milliseconds(10000)));
    m_server->kill();
    QTest::qWait(2500); // Stripe finishes the refund nobody is waiting for

    QVERIFY2(
        m_server->start({ QStringLiteral("--config"), writeConfig(), QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QVERIFY2(m_server->output().contains(QStringLiteral("resuming 1 action run")),
        qPrintable(m_server->output()));
    int made = 0;
    for (const auto& refund : m_stripe.refunds())
        made += refund.paymentIntent == "pi_kill";
    QCOMPARE(made, 1);
    int results = 0;
    for (const auto& e : timeline(id))
        results += e.has_action_finished();
    QCOMPARE(results, 1);
}

QTEST_GUILESS_MAIN(StripeActionTest)
#include "stripeactiontest.moc"
