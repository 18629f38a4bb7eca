// The Stripe webhook without a server: the Stripe-Signature check against signatures made the way
// Stripe makes them (tests/fakes, an HMAC of its own), and how events become commands and
// command results become answers.
#include "plugins/stripesignature.h"

#include "hmac.h"
#include "plugins/stripewebhook.h"
#include "stripewebhooks.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace latch;
using latch::fakes::StripeWebhooks;
using latch::plugins::SignatureCheck;
using latch::plugins::verifyStripeSignature;

namespace {

const std::string kSecret = "whsec_unit0123456789";
const std::string kBody = R"({"id":"evt_1","type":"refund.updated"})";
constexpr std::int64_t kNow = 1700000000;
constexpr std::chrono::seconds kTolerance { 300 };

SignatureCheck check(
    const std::string& header, const std::string& body = kBody, std::int64_t now = kNow)
{
    return verifyStripeSignature(header, body, kSecret, now, kTolerance);
}

std::string signatureOf(
    std::int64_t t, const std::string& body = kBody, const std::string& secret = kSecret)
{
    return fakes::hmacSha256Hex(secret, std::to_string(t) + "." + body);
}

std::string refundEvent(const std::string& id, const std::string& status,
    const nlohmann::json& metadata, int pendingWebhooks = 1,
    const std::string& type = "refund.updated")
{
    nlohmann::ordered_json event;
    event["id"] = id;
    event["object"] = "event";
    event["type"] = type;
    event["data"]["object"] = { { "id", "re_123" }, { "object", "refund" }, { "status", status },
        { "metadata", metadata } };
    event["pending_webhooks"] = pendingWebhooks;
    return event.dump();
}

core::WebhookDecision receive(const plugins::StripeWebhook& hook, const std::string& body,
    std::optional<std::string> signature = std::nullopt, std::int64_t now = kNow)
{
    if (!signature)
        signature = StripeWebhooks::signatureHeader(kSecret, body, now);
    core::WebhookCall call;
    call.body = body;
    call.header = [&](std::string_view name) -> std::optional<std::string> {
        if (name == "Stripe-Signature" && !signature->empty())
            return *signature;
        return std::nullopt;
    };
    call.nowMs = now * 1000;
    return hook.receive(call);
}

const std::string kCase = "0190163d-8694-739b-aea5-966c26f8ad91";

} // namespace

class StripeSignatureTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validSignature();
    void anyV1MayMatch();
    void otherSchemesAreIgnored();
    void malformedHeaders_data();
    void malformedHeaders();
    void wrongSecretOrBody();
    void timestampTolerance();
    void eventBecomesAnUpdate();
    void everyDeliveryMakesTheSameCommand();
    void eventsThatAreNotOursAreAnswered();
    void badEventsAreRefused();
    void resultsBecomeAnswers();
    void longEventIdsStayWithinCommandIds();
};

void StripeSignatureTest::validSignature()
{
    QCOMPARE(check(StripeWebhooks::signatureHeader(kSecret, kBody, kNow)), SignatureCheck::Valid);
    // Spaces after the commas, and upper-case hex, are still the same signature.
    const std::string hex = signatureOf(kNow);
    QCOMPARE(check("t=" + std::to_string(kNow) + ", v1=" + hex), SignatureCheck::Valid);
    QString upper = QString::fromStdString(hex).toUpper();
    QCOMPARE(
        check("t=" + std::to_string(kNow) + ",v1=" + upper.toStdString()), SignatureCheck::Valid);
}

void StripeSignatureTest::anyV1MayMatch()
{
    const std::string t = "t=" + std::to_string(kNow);
    const std::string right = signatureOf(kNow);
    const std::string wrong = signatureOf(kNow, kBody, "whsec_old");
    QCOMPARE(check(t + ",v1=" + wrong + ",v1=" + right), SignatureCheck::Valid);
    QCOMPARE(check(t + ",v1=" + right + ",v1=" + wrong), SignatureCheck::Valid);
    QCOMPARE(check(t + ",v1=" + wrong + ",v1=" + std::string(64, '0')), SignatureCheck::Mismatch);
    // Not hex, or not 32 bytes, matches nothing.
    QCOMPARE(check(t + ",v1=" + right.substr(0, 63)), SignatureCheck::Mismatch);
    QCOMPARE(check(t + ",v1=" + right + "00"), SignatureCheck::Mismatch);
    QCOMPARE(check(t + ",v1=" + std::string(64, 'g')), SignatureCheck::Mismatch);
}

void StripeSignatureTest::otherSchemesAreIgnored()
{
    const std::string t = "t=" + std::to_string(kNow);
    // A v0 (test-mode) signature with the right value does not count; only v1 does.
    QCOMPARE(check(t + ",v0=" + signatureOf(kNow)), SignatureCheck::Malformed);
    QCOMPARE(check(t + ",v0=" + std::string(64, '0') + ",v1=" + signatureOf(kNow)),
        SignatureCheck::Valid);
}

void StripeSignatureTest::malformedHeaders_data()
{
    QTest::addColumn<QString>("header");
    const QString hex = QString::fromStdString(signatureOf(kNow));
    const QString t = QString::number(kNow);
    QTest::newRow("empty") << QString();
    QTest::newRow("garbage") << QStringLiteral("not a signature");
    QTest::newRow("no timestamp") << "v1=" + hex;
    QTest::newRow("no signature") << "t=" + t;
    QTest::newRow("empty timestamp") << "t=,v1=" + hex;
    QTest::newRow("timestamp not a number") << "t=12ab,v1=" + hex;
    QTest::newRow("negative timestamp") << "t=-5,v1=" + hex;
    QTest::newRow("two timestamps") << "t=" + t + ",t=" + t + ",v1=" + hex;
    QTest::newRow("no equals signs") << "t" + t + ",v1" + hex;
}

void StripeSignatureTest::malformedHeaders()
{
    QFETCH(QString, header);
    QCOMPARE(check(header.toStdString()), SignatureCheck::Malformed);
}

void StripeSignatureTest::wrongSecretOrBody()
{
    QCOMPARE(check(StripeWebhooks::signatureHeader("whsec_other", kBody, kNow)),
        SignatureCheck::Mismatch);
    const std::string header = StripeWebhooks::signatureHeader(kSecret, kBody, kNow);
    QCOMPARE(check(header, kBody + " "), SignatureCheck::Mismatch);
    QCOMPARE(check(header, R"({"id":"evt_2","type":"refund.updated"})"), SignatureCheck::Mismatch);
    // The timestamp is signed too: moving it breaks the signature.
    QCOMPARE(check("t=" + std::to_string(kNow + 1) + ",v1=" + signatureOf(kNow)),
        SignatureCheck::Mismatch);
}

void StripeSignatureTest::timestampTolerance()
{
    const auto at
        = [](std::int64_t t) { return StripeWebhooks::signatureHeader(kSecret, kBody, t); };
    QCOMPARE(check(at(kNow - 300)), SignatureCheck::Valid);
    QCOMPARE(check(at(kNow + 300)), SignatureCheck::Valid);
    QCOMPARE(check(at(kNow - 301)), SignatureCheck::Expired);
    QCOMPARE(check(at(kNow + 301)), SignatureCheck::Expired);
    QCOMPARE(verifyStripeSignature(at(kNow - 301), kBody, kSecret, kNow, std::chrono::seconds(400)),
        SignatureCheck::Valid);
}

void StripeSignatureTest::eventBecomesAnUpdate()
{
    const plugins::StripeWebhook hook(kSecret, kTolerance);
    const std::string body = refundEvent(
        "evt_abc", "succeeded", { { "latch_case", kCase }, { "latch_key", "latch-x-7" } });
    const auto d = receive(hook, body);
    QVERIFY(!d.reply);
    QCOMPARE(d.actor.id, std::string("plugin:stripe"));
    QCOMPARE(d.commands.at(0).command_id(), std::string("stripe-event-evt_abc"));
    const auto& record = d.commands.at(0).record_action();
    QCOMPARE(record.case_id(), kCase);
    const auto& u = record.updated();
    QCOMPARE(u.action(), std::string("stripe.refund"));
    QCOMPARE(u.idempotency_key(), std::string("latch-x-7"));
    QCOMPARE(u.external_id(), std::string("re_123"));
    QCOMPARE(u.external_status(), std::string("succeeded"));
    QCOMPARE(u.source(), std::string("webhook:evt_abc"));
    QCOMPARE(u.state(), v1::ACTION_STATE_SUCCEEDED);
    QVERIFY(u.detail().find("\"re_123\"") != std::string::npos);

    const auto state = [&](const std::string& status) {
        return receive(hook, refundEvent("evt_s", status, { { "latch_case", kCase } }))
            .commands.at(0).record_action()
            .updated()
            .state();
    };
    QCOMPARE(state("failed"), v1::ACTION_STATE_FAILED);
    QCOMPARE(state("canceled"), v1::ACTION_STATE_FAILED);
    QCOMPARE(state("pending"), v1::ACTION_STATE_UNSPECIFIED);
    QCOMPARE(state("requires_action"), v1::ACTION_STATE_UNSPECIFIED);
    // Without latch_key the run is found by the refund's id.
    QCOMPARE(receive(hook, refundEvent("evt_k", "failed", { { "latch_case", kCase } }))
                 .commands.at(0).record_action()
                 .updated()
                 .idempotency_key(),
        std::string());
    for (const char* type : { "refund.failed", "charge.refund.updated" })
        QVERIFY(!receive(hook, refundEvent("evt_t", "failed", { { "latch_case", kCase } }, 1, type))
                     .reply);
}

void StripeSignatureTest::everyDeliveryMakesTheSameCommand()
{
    // Stripe's count of endpoints still owed the event changes between deliveries; the command
    // must not, or a repeat would not be recognised as one.
    const plugins::StripeWebhook hook(kSecret, kTolerance);
    const nlohmann::json meta = { { "latch_case", kCase }, { "latch_key", "latch-x-7" } };
    const auto first = receive(hook, refundEvent("evt_same", "succeeded", meta, 2));
    const auto second
        = receive(hook, refundEvent("evt_same", "succeeded", meta, 1), std::nullopt, kNow + 3600);
    QVERIFY(!first.reply && !second.reply);
    QCOMPARE(first.commands.at(0).SerializeAsString(), second.commands.at(0).SerializeAsString());
}

void StripeSignatureTest::eventsThatAreNotOursAreAnswered()
{
    const plugins::StripeWebhook hook(kSecret, kTolerance);
    auto d = receive(hook, refundEvent("evt_1", "succeeded", nlohmann::json::object()));
    QVERIFY(d.reply);
    QCOMPARE(d.reply->status, 200u);
    d = receive(hook, refundEvent("evt_1", "succeeded", { { "latch_case", "not-a-uuid" } }));
    QVERIFY(d.reply);
    QCOMPARE(d.reply->status, 200u);
    d = receive(hook,
        refundEvent(
            "evt_1", "succeeded", { { "latch_case", kCase } }, 1, "payment_intent.succeeded"));
    QVERIFY(d.reply);
    QCOMPARE(d.reply->status, 200u);
    QCOMPARE(d.reply->text, std::string("ignored: payment_intent.succeeded events are not used"));
}

void StripeSignatureTest::badEventsAreRefused()
{
    const plugins::StripeWebhook hook(kSecret, kTolerance);
    const std::string good = refundEvent("evt_1", "succeeded", { { "latch_case", kCase } });
    const auto status
        = [&](const std::string& body, std::optional<std::string> signature = std::nullopt) {
              const auto d = receive(hook, body, std::move(signature));
              return d.reply ? d.reply->status : 0u;
          };
    QCOMPARE(status(good, std::string()), 400u); // no header
    QCOMPARE(status(good, std::string("t=1,v1=00")), 400u);
    QCOMPARE(status(good, StripeWebhooks::signatureHeader(kSecret, good, kNow - 301)), 400u);
    QCOMPARE(status("{\"id\": "), 400u);
    QCOMPARE(status("[1, 2]"), 400u);
    QCOMPARE(status(R"({"type":"refund.updated"})"), 400u);
    QCOMPARE(status(R"({"id":"evt 1","type":"refund.updated"})"), 400u);
    QCOMPARE(
        status(R"({"id":"evt_1","type":"refund.updated","data":{"object":{"object":"charge"}}})"),
        400u);
    QCOMPARE(status(good), 0u); // and the good one is taken
}

void StripeSignatureTest::resultsBecomeAnswers()
{
    const plugins::StripeWebhook hook(kSecret, kTolerance);
    v1::CommandResult r;
    r.set_accepted(true);
    QCOMPARE(hook.answer({ r }).status, 200u);
    QCOMPARE(hook.answer({ r }).text, std::string("recorded"));
    r.set_replayed(true);
    QCOMPARE(hook.answer({ r }).text, std::string("already recorded"));
    r.set_accepted(false);
    for (const char* transient : { "server.stopping", "store.write", "store.read" }) {
        r.set_code(transient);
        QCOMPARE(hook.answer({ r }).status, 503u);
    }
    for (const char* settled : { "action.unknown_run", "case.not_found", "action.no_change" }) {
        r.set_code(settled);
        QCOMPARE(hook.answer({ r }).status, 200u);
    }
}

void StripeSignatureTest::longEventIdsStayWithinCommandIds()
{
    const std::string longId = "evt_" + std::string(200, 'z');
    const std::string id = plugins::StripeWebhook::commandIdFor(longId);
    QVERIFY(id.size() <= 64);
    QCOMPARE(plugins::StripeWebhook::commandIdFor(longId), id);
    QVERIFY(plugins::StripeWebhook::commandIdFor(longId + "y") != id);
    QCOMPARE(
        plugins::StripeWebhook::commandIdFor("evt_1NG8"), std::string("stripe-event-evt_1NG8"));
}

QTEST_GUILESS_MAIN(StripeSignatureTest)
#include "stripesignaturetest.moc"
