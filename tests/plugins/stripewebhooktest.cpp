// Stripe's webhook endpoint end to end: the real latch-server with plugins.stripe and its webhook
// secret, FakeStripe making refunds and posting refund.updated events signed as Stripe signs
// them. A late status resolves a run recorded unknown; an event delivered twice, also across a
// restart, is recorded once; bad, stale, tampered and missing signatures are refused and record
// nothing; events for refunds Latch did not make are acknowledged and ignored; bodies past the
// limit are refused.
#include "actionharness.h"
#include "fakestripe.h"
#include "httpclient.h"
#include "serverprocess.h"
#include "wsclient.h"

#include <QTemporaryDir>
#include <QtTest>
#include <ctime>
#include <nlohmann/json.hpp>

using namespace latch;
using latch::fakes::FakeStripe;

namespace {

const QString kPassword = QStringLiteral("latch-demo");
const char* kKeyEnv = "LATCH_TEST_STRIPE_KEY";
const char* kSecretEnv = "LATCH_TEST_STRIPE_WEBHOOK_SECRET";
const std::string kSecret = "whsec_latchtest0123456789abcdefghij";

std::int64_t unixNow()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

// A Stripe event about `refund`, as Stripe shapes them.
std::string eventFor(const FakeStripe::Refund& refund, const std::string& id,
    const std::string& type = "refund.updated")
{
    nlohmann::ordered_json event;
    event["id"] = id;
    event["object"] = "event";
    event["api_version"] = "2024-06-20";
    event["created"] = unixNow();
    event["data"]["object"] = FakeStripe::toJson(refund);
    event["livemode"] = false;
    event["pending_webhooks"] = 1;
    event["type"] = type;
    return event.dump();
}

} // namespace

class StripeWebhookTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void lateStatusResolvesAnUnknownRun();
    void sameEventTwiceRecordsOneUpdate();
    void laterFailureIsRecordedAsFailed();
    void badSignaturesRecordNothing();
    void eventsLatchDidNotCauseAreAcknowledged();
    void oversizedBodyIsRefused();
    void onlyPostIsAccepted();
    void missingSecretStopsTheStart();
    void secretIsNeverLogged();

private:
    QString writeConfig(bool webhook = true);
    QString hookUrl() const
    {
        return QStringLiteral("http://127.0.0.1:%1/hooks/stripe").arg(m_server->port());
    }
    std::optional<v1::CommandResult> as(const QString& user, v1::Command command);
    std::string createRefund(const std::string& paymentIntent);
    void approve(const std::string& caseId);
    v1::CommandResult run(const std::string& caseId);
    std::vector<v1::Event> timeline(const std::string& caseId);
    std::optional<v1::Case> loadCase(const std::string& caseId);
    std::uint64_t headSeq();
    v1::ActionState runState(const std::string& caseId);
    int updates(const std::string& caseId);
    // A refund whose run was recorded unknown because Stripe still reported it pending.
    std::pair<std::string, FakeStripe::Refund> pendingRun(const std::string& paymentIntent);

    FakeStripe m_stripe;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    std::string m_lateCase; // lateStatusResolvesAnUnknownRun's case, read again later
    std::string m_lateRefund;
    int m_orders = 0;
};

QString StripeWebhookTest::writeConfig(bool webhook)
{
    // A pending refund is followed for 300 ms only, then recorded unknown.
    QString plugins = QStringLiteral("plugins:\n  stripe:\n    enabled: true\n    base_url: %1\n"
                                     "    api_key_env: %2\n    timeout_ms: 5000\n    max_attempts: 3\n"
                                     "    retry_base_ms: 20\n    follow_ms: 300\n")
                          .arg(QString::fromStdString(m_stripe.baseUrl()), QLatin1String(kKeyEnv));
    if (webhook)
        plugins += QStringLiteral("    webhook_secret_env: %1\n").arg(QLatin1String(kSecretEnv));
    return actionharness::writeConfig(
        m_dir.filePath(webhook ? "latch.yaml" : "latch-unset.yaml"), plugins);
}

void StripeWebhookTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
    m_stripe.start();
    qputenv(kKeyEnv, FakeStripe::kDefaultApiKey);
    qputenv(kSecretEnv, QByteArray::fromStdString(kSecret));
    const QString config = writeConfig();
    QVERIFY(!config.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), config, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    m_stripe.setWebhook(hookUrl().toStdString(), kSecret);
}

std::optional<v1::CommandResult> StripeWebhookTest::as(const QString& user, v1::Command command)
{
    return actionharness::as(*m_server, user, std::move(command));
}

std::string StripeWebhookTest::createRefund(const std::string& paymentIntent)
{
    return actionharness::createCase(*m_server, "mkim", "refund",
        "Refund request — order #" + std::to_string(5100 + ++m_orders), "Acme Co", 240000,
        { { "payment_intent", paymentIntent } });
}

void StripeWebhookTest::approve(const std::string& caseId)
{
    QVERIFY(actionharness::markReady(*m_server, "mkim", caseId));
    QVERIFY(actionharness::approve(*m_server, "atorres", caseId));
}

v1::CommandResult StripeWebhookTest::run(const std::string& caseId)
{
    return actionharness::run(*m_server, "mkim", caseId, "stripe.refund");
}

std::vector<v1::Event> StripeWebhookTest::timeline(const std::string& caseId)
{
    return actionharness::timeline(*m_server, caseId);
}

std::optional<v1::Case> StripeWebhookTest::loadCase(const std::string& caseId)
{
    WsClient client;
    if (!client.open(m_server->url()) || !client.hello(client.login("admin", kPassword)))
        return std::nullopt;
    v1::Query q;
    q.set_query_id("case");
    q.mutable_get_case()->set_case_id(caseId);
    const auto r = client.query(q);
    if (!r || r->cases_size() != 1)
        return std::nullopt;
    return r->cases(0);
}

std::uint64_t StripeWebhookTest::headSeq()
{
    WsClient client;
    if (!client.open(m_server->url()))
        return 0;
    const auto welcome = client.hello(client.login("admin", kPassword));
    return welcome && welcome->has_welcome() ? welcome->welcome().head_seq() : 0;
}

v1::ActionState StripeWebhookTest::runState(const std::string& caseId)
{
    const auto c = loadCase(caseId);
    return c && c->actions_size() > 0 ? c->actions(c->actions_size() - 1).state()
                                      : v1::ACTION_STATE_UNSPECIFIED;
}

int StripeWebhookTest::updates(const std::string& caseId)
{
    int count = 0;
    for (const auto& e : timeline(caseId))
        count += e.has_action_updated();
    return count;
}

std::pair<std::string, FakeStripe::Refund> StripeWebhookTest::pendingRun(
    const std::string& paymentIntent)
{
    m_stripe.addPaymentIntent(paymentIntent, 240000);
    const std::string id = createRefund(paymentIntent);
    approve(id);
    m_stripe.setInitialRefundStatus("pending");
    auto restore = qScopeGuard([this] { m_stripe.setInitialRefundStatus("succeeded"); });
    if (!run(id).accepted())
        return {};
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000) {
        for (const auto& e : timeline(id)) {
            if (!e.has_action_finished())
                continue;
            for (const auto& refund : m_stripe.refunds()) {
                if (refund.paymentIntent == paymentIntent)
                    return { id, refund };
            }
        }
        QTest::qWait(100);
    }
    return {};
}

void StripeWebhookTest::lateStatusResolvesAnUnknownRun()
{
    const auto [id, refund] = pendingRun("pi_late");
    QVERIFY(!id.empty());
    QCOMPARE(runState(id), v1::ACTION_STATE_UNKNOWN);

    QVERIFY(m_stripe.settle(refund.id, "succeeded"));
    const auto delivery = m_stripe.webhookDeliveries().back();
    QCOMPARE(delivery.status, 200u);
    QCOMPARE(delivery.responseBody, std::string("recorded\n"));

    const auto events = timeline(id);
    QVERIFY(events.back().has_action_updated());
    const auto& update = events.back().action_updated();
    QCOMPARE(events.back().actor(), std::string("plugin:stripe"));
    QCOMPARE(update.source(), "webhook:" + delivery.eventId);
    QCOMPARE(update.external_id(), refund.id);
    QCOMPARE(update.external_status(), std::string("succeeded"));
    QCOMPARE(update.state(), v1::ACTION_STATE_SUCCEEDED);
    QVERIFY(update.detail().find(delivery.eventId) != std::string::npos);
    QCOMPARE(runState(id), v1::ACTION_STATE_SUCCEEDED);
    // Resolved: the refund is done and runs once.
    QCOMPARE(run(id).code(), std::string("action.already_done"));
    m_lateCase = id;
    m_lateRefund = refund.id;
}

void StripeWebhookTest::sameEventTwiceRecordsOneUpdate()
{
    QVERIFY(!m_lateCase.empty());
    // Stripe sends the event again (re-signed, as its retries are).
    auto again = m_stripe.resendLastWebhook();
    QVERIFY(again);
    QCOMPARE(again->status, 200u);
    QCOMPARE(again->responseBody, std::string("already recorded\n"));
    QCOMPARE(updates(m_lateCase), 1);

    // The same after a restart: the event's id is stored with what it recorded.
    const quint16 port = m_server->port();
    QCOMPARE(m_server->stop(), 0);
    m_server->setListenPort(port);
    QVERIFY2(
        m_server->start({ QStringLiteral("--config"), writeConfig(), QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    again = m_stripe.resendLastWebhook();
    QVERIFY(again);
    QCOMPARE(again->status, 200u);
    QCOMPARE(again->responseBody, std::string("already recorded\n"));
    QCOMPARE(updates(m_lateCase), 1);

    // Another event telling the same (charge.refund.updated) adds nothing either.
    const auto refund = m_stripe.refund(m_lateRefund);
    QVERIFY(refund);
    const std::string payload = eventFor(*refund, "evt_same_news", "charge.refund.updated");
    const auto same
        = m_stripe.postWebhook(payload, FakeStripe::signatureHeader(kSecret, payload, unixNow()));
    QCOMPARE(same.status, 200u);
    QVERIFY2(
        same.responseBody.rfind("ignored: action.no_change", 0) == 0, same.responseBody.c_str());
    QCOMPARE(updates(m_lateCase), 1);
}

void StripeWebhookTest::laterFailureIsRecordedAsFailed()
{
    // A refund Stripe reported succeeded can still fail (the bank returns it): the case says so.
    QVERIFY(!m_lateCase.empty());
    QVERIFY(m_stripe.settle(m_lateRefund, "failed", "expired_or_canceled_card"));
    QCOMPARE(m_stripe.webhookDeliveries().back().status, 200u);
    QCOMPARE(runState(m_lateCase), v1::ACTION_STATE_FAILED);
    const auto events = timeline(m_lateCase);
    QCOMPARE(events.back().action_updated().state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(events.back().action_updated().external_status(), std::string("failed"));
    QCOMPARE(updates(m_lateCase), 2);
}

void StripeWebhookTest::badSignaturesRecordNothing()
{
    auto [id, refund] = pendingRun("pi_forged_hook");
    QVERIFY(!id.empty());
    refund.status = "succeeded";
    const std::string payload = eventFor(refund, "evt_forged_1");
    const std::size_t before = timeline(id).size();
    const auto now = unixNow();
    const auto expect400 = [&](const latch::fakes::StripeWebhooks::Delivery& d, const char* why) {
        QVERIFY2(d.status == 400,
            qPrintable(QStringLiteral("%1: %2 %3")
                           .arg(why)
                           .arg(d.status)
                           .arg(QString::fromStdString(d.responseBody))));
    };

    expect400(
        m_stripe.postWebhook(payload, FakeStripe::signatureHeader("whsec_other", payload, now)),
        "wrong secret");
    const auto stale
        = m_stripe.postWebhook(payload, FakeStripe::signatureHeader(kSecret, payload, now - 301));
    expect400(stale, "stale timestamp");
    QVERIFY2(stale.responseBody.find("timestamp") != std::string::npos, stale.responseBody.c_str());
    expect400(
        m_stripe.postWebhook(payload, FakeStripe::signatureHeader(kSecret, payload, now + 301)),
        "timestamp from the future");
    std::string tampered = payload;
    tampered.replace(tampered.find("\"succeeded\""), 11, "\"failed\"");
    expect400(m_stripe.postWebhook(tampered, FakeStripe::signatureHeader(kSecret, payload, now)),
        "tampered body");
    expect400(m_stripe.postWebhook(payload, "v1=" + std::string(64, '0')), "no timestamp");
    const auto missing = latch::fakes::HttpClient::send("POST", hookUrl().toStdString(), payload,
        { { "Content-Type", "application/json; charset=utf-8" } });
    QCOMPARE(missing.status, 400u);
    QVERIFY2(
        missing.body.find("missing Stripe-Signature") != std::string::npos, missing.body.c_str());
    const std::string notJson = "{\"id\": \"evt_broken\", ";
    expect400(m_stripe.postWebhook(notJson, FakeStripe::signatureHeader(kSecret, notJson, now)),
        "malformed JSON");

    QCOMPARE(timeline(id).size(), before);
    QCOMPARE(runState(id), v1::ACTION_STATE_UNKNOWN);

    // The very same event, signed right (one of two v1 values, as while a secret rolls), counts.
    const auto good = m_stripe.postWebhook(payload,
        FakeStripe::signatureHeader(kSecret, payload, now) + ",v1=" + std::string(64, 'a'));
    QCOMPARE(good.status, 200u);
    QCOMPARE(runState(id), v1::ACTION_STATE_SUCCEEDED);
}

void StripeWebhookTest::eventsLatchDidNotCauseAreAcknowledged()
{
    const std::string someCase = createRefund("pi_not_refunded");
    QVERIFY(!someCase.empty());
    const std::uint64_t head = headSeq();
    QVERIFY(head > 0);
    const auto now = unixNow();
    const auto send = [&](const std::string& payload) {
        return m_stripe.postWebhook(payload, FakeStripe::signatureHeader(kSecret, payload, now));
    };
    FakeStripe::Refund foreign;
    foreign.id = "re_madeelsewhere0000000001";
    foreign.amount = 1500;
    foreign.currency = "usd";
    foreign.paymentIntent = "pi_elsewhere";
    foreign.charge = "ch_elsewhere";
    foreign.status = "succeeded";
    foreign.created = now;

    // No Latch metadata at all.
    auto d = send(eventFor(foreign, "evt_foreign_1"));
    QCOMPARE(d.status, 200u);
    QVERIFY2(d.responseBody.rfind("ignored", 0) == 0, d.responseBody.c_str());
    // A case id no case has.
    foreign.metadata["latch_case"] = "0190163d-8694-739b-aea5-966c26f8ad91";
    d = send(eventFor(foreign, "evt_foreign_2"));
    QCOMPARE(d.status, 200u);
    QVERIFY2(d.responseBody.find("case.not_found") != std::string::npos, d.responseBody.c_str());
    // A real case, but no run of it made this refund.
    foreign.metadata["latch_case"] = someCase;
    foreign.metadata["latch_key"] = "latch-" + someCase + "-99";
    d = send(eventFor(foreign, "evt_foreign_3"));
    QCOMPARE(d.status, 200u);
    QVERIFY2(
        d.responseBody.find("action.unknown_run") != std::string::npos, d.responseBody.c_str());
    // An event type Latch does not use.
    d = send(eventFor(foreign, "evt_foreign_4", "charge.succeeded"));
    QCOMPARE(d.status, 200u);
    QVERIFY2(d.responseBody.rfind("ignored: charge.succeeded", 0) == 0, d.responseBody.c_str());

    QCOMPARE(headSeq(), head);
}

void StripeWebhookTest::oversizedBodyIsRefused()
{
    const std::uint64_t head = headSeq();
    FakeStripe::Refund big;
    big.id = "re_big";
    big.status = "succeeded";
    big.metadata["latch_case"] = m_lateCase;
    big.metadata["padding"] = std::string(70 * 1024, 'x');
    const std::string payload = eventFor(big, "evt_too_big");
    const auto d
        = m_stripe.postWebhook(payload, FakeStripe::signatureHeader(kSecret, payload, unixNow()));
    QCOMPARE(d.status, 413u);
    QCOMPARE(headSeq(), head);
}

void StripeWebhookTest::onlyPostIsAccepted()
{
    const auto answer = latch::fakes::HttpClient::send("GET", hookUrl().toStdString(), {}, {});
    QCOMPARE(answer.status, 405u);
    QCOMPARE(answer.header("Allow").value_or(""), std::string("POST"));
}

void StripeWebhookTest::missingSecretStopsTheStart()
{
    const QByteArray secret = qgetenv(kSecretEnv);
    qunsetenv(kSecretEnv);
    auto restore = qScopeGuard([&] { qputenv(kSecretEnv, secret); });
    ServerProcess server(m_dir.filePath(QStringLiteral("no-secret")));
    QVERIFY(!server.start({ QStringLiteral("--config"), writeConfig() }, 10000));
    QVERIFY2(server.output().contains(QLatin1String(kSecretEnv)), qPrintable(server.output()));

    // Without webhook_secret_env there is no endpoint at all.
    ServerProcess plain(m_dir.filePath(QStringLiteral("no-hook")));
    QVERIFY2(plain.start({ QStringLiteral("--config"), writeConfig(false) }),
        qPrintable(plain.lastError()));
    const auto answer = latch::fakes::HttpClient::send("POST",
        QStringLiteral("http://127.0.0.1:%1/hooks/stripe").arg(plain.port()).toStdString(), "{}",
        {});
    QCOMPARE(answer.status, 404u);
}

void StripeWebhookTest::secretIsNeverLogged()
{
    QVERIFY(m_server->output().contains(QLatin1String("webhook /hooks/stripe")));
    QVERIFY2(!m_server->output().contains(QString::fromStdString(kSecret)),
        "the webhook secret is in the server's log");
}

QTEST_GUILESS_MAIN(StripeWebhookTest)
#include "stripewebhooktest.moc"
