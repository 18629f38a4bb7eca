// The test fakes against what the real services do: Stripe's refund API, its idempotency and
// its signed webhooks; a Slack incoming webhook; a recording JSON API. If a fake drifts from its
// service, the plugin suites built on it prove nothing, so each behaviour a plugin relies on is
// pinned here. Spoken to with HttpClient, which never retries, so a dropped connection shows.
#include "fakeerp.h"
#include "fakellm.h"
#include "fakeslack.h"
#include "fakestripe.h"
#include "formencoding.h"
#include "hmac.h"
#include "httpclient.h"

#include <QElapsedTimer>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace latch::fakes;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

QString q(const std::optional<std::string>& text)
{
    return text ? QString::fromStdString(*text) : QStringLiteral("<absent>");
}

// A JSON string as a QString; anything else as its JSON text.
QString s(const nlohmann::json& value)
{
    return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
}

nlohmann::json parsed(const ClientResponse& response)
{
    return nlohmann::json::parse(response.body, nullptr, false);
}

// POST /v1/refunds as a Stripe client sends it.
ClientResponse createRefund(HttpClient& client, const std::string& key, const FormParams& params,
    const std::string& idempotencyKey = {})
{
    Headers headers = { { "Authorization", "Bearer " + key },
        { "Content-Type", "application/x-www-form-urlencoded" } };
    if (!idempotencyKey.empty())
        headers.emplace_back("Idempotency-Key", idempotencyKey);
    return client.post("/v1/refunds", formEncode(params), headers);
}

ClientResponse getWithKey(HttpClient& client, const std::string& key, const std::string& target)
{
    return client.get(target, { { "Authorization", "Bearer " + key } });
}

// The t and v1 of a Stripe-Signature header ("t=...,v1=...").
std::pair<std::string, std::string> signatureParts(const std::string& header)
{
    std::string t, v1;
    std::size_t start = 0;
    while (start <= header.size()) {
        const auto comma = std::min(header.find(',', start), header.size());
        const auto part = header.substr(start, comma - start);
        if (part.starts_with("t="))
            t = part.substr(2);
        else if (part.starts_with("v1="))
            v1 = part.substr(3);
        start = comma + 1;
    }
    return { t, v1 };
}

} // namespace

class FakesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The shared server: keep-alive, faults, records.
    void keepsConnectionsAlive();
    void delayHoldsTheAnswer();
    void faultsCanTargetOnePath();
    void restartsOnTheSamePort();

    // FakeStripe
    void stripeCreatesRefund();
    void stripeRefusesWrongOrMissingKey();
    void stripeAcceptsBasicAuth();
    void stripeReplaysSameKeySameParams();
    void stripeRefusesSameKeyOtherParams();
    void stripeReplaysInjected500();
    void stripeDoesNotSaveInjected429();
    void stripeDoesNotSaveValidationErrors();
    void stripeDropBeforeHandlingSavesNothing();
    void stripeDropAfterHandlingRefundsOnce();
    void stripeRefusesTooLargeAndAlreadyRefunded();
    void stripeRefusesUnknownPaymentIntent();
    void stripeListsAndRetrievesRefunds();
    void stripeSettleSendsSignedWebhook();
    void stripeFailedRefundGivesAmountBack();

    // FakeSlack
    void slackAcceptsMessages();
    void slackRefusesBadPayloadsAndPaths();
    void slackInjectedRefusals();

    // FakeErp
    void erpRoutesAndRecords();

    // FakeLlm
    void llmAnswersAsAChatCompletion();
    void llmRefusesWhatRealServersRefuse();
    void llmInjectedRefusals();
};

void FakesTest::keepsConnectionsAlive()
{
    FakeHttpServer server(
        [](const Request& request) { return Response::text(200, request.target); });
    server.start();
    HttpClient client("127.0.0.1", server.port());
    QCOMPARE(q(client.get("/a").body), QStringLiteral("/a"));
    QCOMPARE(q(client.get("/b?x=1").body), QStringLiteral("/b?x=1"));
    QCOMPARE(client.connectionsOpened(), 1u);
    QCOMPARE(server.connectionCount(), 1u);
    const auto requests = server.requests();
    QCOMPARE(requests.size(), 2u);
    QCOMPARE(requests[0].connection, requests[1].connection);
    QCOMPARE(q(requests[1].path()), QStringLiteral("/b"));
    QCOMPARE(q(requests[1].query()), QStringLiteral("x=1"));
}

void FakesTest::delayHoldsTheAnswer()
{
    FakeHttpServer server([](const Request&) { return Response::text(200, "late"); });
    server.start();
    server.delayNext(150ms);
    HttpClient client("127.0.0.1", server.port());
    QElapsedTimer timer;
    timer.start();
    const auto answer = client.get("/");
    QVERIFY2(answer.received(), answer.error.c_str());
    QVERIFY(timer.elapsed() >= 150);
    QCOMPARE(q(answer.body), QStringLiteral("late"));

    // A client that gives up first sees no answer, yet the handler ran.
    server.delayNext(300ms);
    HttpClient impatient("127.0.0.1", server.port());
    impatient.setTimeout(50ms);
    QVERIFY(!impatient.get("/").received());
    QCOMPARE(server.requestCount(), 2u);
    QCOMPARE(server.requests().back().outcome, Outcome::Answered);
}

void FakesTest::faultsCanTargetOnePath()
{
    FakeHttpServer server([](const Request&) { return Response::text(200, "fine"); });
    server.start();
    server.inject(Fault::respond(503, "down").onlyFor("/b"));
    HttpClient client("127.0.0.1", server.port());
    QCOMPARE(client.get("/a").status, 200u);
    QCOMPARE(server.pendingFaults(), 1u);
    QCOMPARE(client.get("/b").status, 503u);
    QCOMPARE(client.get("/b").status, 200u);
    QCOMPARE(server.requests()[1].outcome, Outcome::Injected);
}

void FakesTest::restartsOnTheSamePort()
{
    FakeHttpServer server([](const Request&) { return Response::text(200, "up"); });
    server.start();
    const auto port = server.port();
    QVERIFY(port != 0);
    server.stop();
    QVERIFY(!server.isRunning());
    QVERIFY(!HttpClient::send("GET", server.url("/"), {}, {}, 500ms).received());
    server.start(port);
    QCOMPARE(server.port(), port);
    QCOMPARE(HttpClient::send("GET", server.url("/"), {}, {}).status, 200u);
}

void FakesTest::stripeCreatesRefund()
{
    FakeStripe stripe;
    stripe.start();
    const auto charge = stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    const auto answer = createRefund(client, stripe.apiKey(),
        { { "payment_intent", "pi_1" }, { "amount", "1500" }, { "reason", "requested_by_customer" },
            { "metadata[latch_case]", "C-17" } });
    QCOMPARE(answer.status, 200u);
    const auto refund = parsed(answer);
    QVERIFY(s(refund["id"]).startsWith("re_"));
    QCOMPARE(s(refund["object"]), QStringLiteral("refund"));
    QCOMPARE(refund["amount"].get<int>(), 1500);
    QCOMPARE(s(refund["currency"]), QStringLiteral("usd"));
    QCOMPARE(s(refund["payment_intent"]), QStringLiteral("pi_1"));
    QCOMPARE(s(refund["charge"]), q(charge));
    QCOMPARE(s(refund["status"]), QStringLiteral("succeeded"));
    QCOMPARE(s(refund["reason"]), QStringLiteral("requested_by_customer"));
    QCOMPARE(s(refund["metadata"]["latch_case"]), QStringLiteral("C-17"));
    QVERIFY(refund["created"].get<std::int64_t>() > 1'600'000'000);
    QVERIFY(q(answer.header("Request-Id")).startsWith("req_"));
    QVERIFY(!answer.header("Idempotent-Replayed"));
    QCOMPARE(stripe.refunds().size(), 1u);
    QCOMPARE(q(stripe.refunds()[0].id), s(refund["id"]));
}

void FakesTest::stripeRefusesWrongOrMissingKey()
{
    FakeStripe stripe;
    stripe.setApiKey("sk_test_rightkey000000000000");
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());

    const auto wrong
        = createRefund(client, "sk_test_wrongkey1234567xyz9", { { "payment_intent", "pi_1" } });
    QCOMPARE(wrong.status, 401u);
    const auto error = parsed(wrong)["error"];
    QCOMPARE(s(error["type"]), QStringLiteral("invalid_request_error"));
    const auto message = s(error["message"]);
    QVERIFY2(message.startsWith("Invalid API Key provided: sk_test_*"), qPrintable(message));
    QVERIFY2(message.endsWith("xyz9"), qPrintable(message));
    QVERIFY2(!message.contains("wrongkey"), qPrintable(message)); // the key itself is masked

    const auto missing = client.post("/v1/refunds", "payment_intent=pi_1",
        { { "Content-Type", "application/x-www-form-urlencoded" } });
    QCOMPARE(missing.status, 401u);
    QVERIFY(s(parsed(missing)["error"]["message"]).startsWith("You did not provide an API key."));
    QVERIFY(stripe.refunds().empty());
}

void FakesTest::stripeAcceptsBasicAuth()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    // curl -u sk_test_...: — the key as user name, an empty password.
    const std::string userPass = std::string(FakeStripe::kDefaultApiKey) + ":";
    const auto basic = QByteArray::fromStdString(userPass).toBase64().toStdString();
    HttpClient client("127.0.0.1", stripe.port());
    const auto answer = client.post(
        "/v1/refunds", "payment_intent=pi_1&amount=100", { { "Authorization", "Basic " + basic } });
    QCOMPARE(answer.status, 200u);
}

void FakesTest::stripeReplaysSameKeySameParams()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    const FormParams params = { { "payment_intent", "pi_1" }, { "amount", "700" } };
    const auto first = createRefund(client, stripe.apiKey(), params, "latch-action-1");
    // The same parameters in another order are the same request.
    const auto again
        = createRefund(client, stripe.apiKey(), { params[1], params[0] }, "latch-action-1");
    QCOMPARE(first.status, 200u);
    QCOMPARE(again.status, 200u);
    QCOMPARE(q(again.body), q(first.body));
    QCOMPARE(q(again.header("Idempotent-Replayed")), QStringLiteral("true"));
    QCOMPARE(q(again.header("Original-Request")), q(first.header("Request-Id")));
    QVERIFY(!first.header("Idempotent-Replayed"));
    QCOMPARE(stripe.refunds().size(), 1u);
}

void FakesTest::stripeRefusesSameKeyOtherParams()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    QCOMPARE(createRefund(client, stripe.apiKey(),
                 { { "payment_intent", "pi_1" }, { "amount", "700" } }, "k-1")
                 .status,
        200u);
    const auto other = createRefund(
        client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amount", "800" } }, "k-1");
    QCOMPARE(other.status, 400u);
    const auto error = parsed(other)["error"];
    QCOMPARE(s(error["type"]), QStringLiteral("idempotency_error"));
    QCOMPARE(s(error["message"]),
        QStringLiteral("Keys for idempotent requests can only be used with the same "
                       "parameters they were first used with. Try using a key other than "
                       "'k-1' if you meant to execute a different request."));
    QCOMPARE(stripe.refunds().size(), 1u);
}

void FakesTest::stripeReplaysInjected500()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    stripe.inject(
        Fault::respond(FakeStripe::errorResponse(500, "api_error", "An unknown error occurred")));
    HttpClient client("127.0.0.1", stripe.port());
    const FormParams params = { { "payment_intent", "pi_1" }, { "amount", "700" } };
    const auto first = createRefund(client, stripe.apiKey(), params, "k-500");
    QCOMPARE(first.status, 500u);
    QCOMPARE(s(parsed(first)["error"]["type"]), QStringLiteral("api_error"));
    const auto retry = createRefund(client, stripe.apiKey(), params, "k-500");
    QCOMPARE(retry.status, 500u);
    QCOMPARE(q(retry.body), q(first.body));
    QCOMPARE(q(retry.header("Idempotent-Replayed")), QStringLiteral("true"));
    QVERIFY(stripe.refunds().empty());
    // Only a new key gets past the saved 500.
    QCOMPARE(createRefund(client, stripe.apiKey(), params, "k-500-b").status, 200u);
    QCOMPARE(stripe.refunds().size(), 1u);
}

void FakesTest::stripeDoesNotSaveInjected429()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    stripe.respondNext(429, R"({"error":{"type":"invalid_request_error","code":"rate_limit"}})",
        { { "Retry-After", "1" }, { "Content-Type", "application/json" } });
    HttpClient client("127.0.0.1", stripe.port());
    const FormParams params = { { "payment_intent", "pi_1" }, { "amount", "700" } };
    const auto limited = createRefund(client, stripe.apiKey(), params, "k-429");
    QCOMPARE(limited.status, 429u);
    QCOMPARE(q(limited.header("Retry-After")), QStringLiteral("1"));
    const auto retry = createRefund(client, stripe.apiKey(), params, "k-429");
    QCOMPARE(retry.status, 200u);
    QVERIFY(!retry.header("Idempotent-Replayed"));
    QCOMPARE(stripe.refunds().size(), 1u);
}

void FakesTest::stripeDoesNotSaveValidationErrors()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    const auto bad = createRefund(
        client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amout", "700" } }, "k-v");
    QCOMPARE(bad.status, 400u);
    QCOMPARE(s(parsed(bad)["error"]["code"]), QStringLiteral("parameter_unknown"));
    QCOMPARE(s(parsed(bad)["error"]["param"]), QStringLiteral("amout"));
    // Execution never began, so the key is still free for the corrected request.
    const auto fixed = createRefund(
        client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amount", "700" } }, "k-v");
    QCOMPARE(fixed.status, 200u);
}

void FakesTest::stripeDropBeforeHandlingSavesNothing()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    stripe.dropNextBeforeHandling();
    HttpClient client("127.0.0.1", stripe.port());
    const FormParams params = { { "payment_intent", "pi_1" }, { "amount", "700" } };
    QVERIFY(!createRefund(client, stripe.apiKey(), params, "k-drop").received());
    QVERIFY(stripe.refunds().empty());
    const auto retry = createRefund(client, stripe.apiKey(), params, "k-drop");
    QCOMPARE(retry.status, 200u);
    QVERIFY(!retry.header("Idempotent-Replayed"));
    QCOMPARE(stripe.refunds().size(), 1u);
    QCOMPARE(stripe.requests()[0].outcome, Outcome::DroppedBeforeHandling);
}

void FakesTest::stripeDropAfterHandlingRefundsOnce()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    stripe.dropNextAfterHandling();
    HttpClient client("127.0.0.1", stripe.port());
    const FormParams params = { { "payment_intent", "pi_1" }, { "amount", "700" } };
    const auto lost = createRefund(client, stripe.apiKey(), params, "k-lost");
    QVERIFY(!lost.received());
    QCOMPARE(stripe.refunds().size(), 1u); // it happened; the client just never heard
    const auto retry = createRefund(client, stripe.apiKey(), params, "k-lost");
    QCOMPARE(retry.status, 200u);
    QCOMPARE(q(retry.header("Idempotent-Replayed")), QStringLiteral("true"));
    QCOMPARE(s(parsed(retry)["id"]), q(stripe.refunds()[0].id));
    QCOMPARE(stripe.refunds().size(), 1u);
    QCOMPARE(q(stripe.refunds()[0].idempotencyKey), QStringLiteral("k-lost"));
    QCOMPARE(stripe.requests()[0].outcome, Outcome::DroppedAfterHandling);

    // Once Stripe has pruned the key, the same retry is a new refund: hence reconciliation.
    stripe.forgetIdempotencyKeys();
    QCOMPARE(createRefund(client, stripe.apiKey(), params, "k-lost").status, 200u);
    QCOMPARE(stripe.refunds().size(), 2u);
}

void FakesTest::stripeRefusesTooLargeAndAlreadyRefunded()
{
    FakeStripe stripe;
    stripe.start();
    const auto charge = stripe.addPaymentIntent("pi_1", 1000);
    HttpClient client("127.0.0.1", stripe.port());
    QCOMPARE(
        createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amount", "600" } })
            .status,
        200u);
    const auto tooLarge = createRefund(
        client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amount", "500" } });
    QCOMPARE(tooLarge.status, 400u);
    const auto error = parsed(tooLarge)["error"];
    QCOMPARE(s(error["code"]), QStringLiteral("amount_too_large"));
    QCOMPARE(s(error["param"]), QStringLiteral("amount"));
    QCOMPARE(s(error["message"]),
        QStringLiteral("Refund amount ($5.00) is greater than unrefunded amount on charge "
                       "($4.00)"));
    // No amount: the rest. Then nothing is left.
    const auto rest = createRefund(client, stripe.apiKey(), { { "charge", charge } });
    QCOMPARE(rest.status, 200u);
    QCOMPARE(parsed(rest)["amount"].get<int>(), 400);
    const auto done = createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_1" } });
    QCOMPARE(done.status, 400u);
    QCOMPARE(s(parsed(done)["error"]["code"]), QStringLiteral("charge_already_refunded"));
    QCOMPARE(
        s(parsed(done)["error"]["message"]), q("Charge " + charge + " has already been refunded."));
}

void FakesTest::stripeRefusesUnknownPaymentIntent()
{
    FakeStripe stripe;
    stripe.start();
    HttpClient client("127.0.0.1", stripe.port());
    const auto answer = createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_x" } });
    QCOMPARE(answer.status, 400u);
    const auto error = parsed(answer)["error"];
    QCOMPARE(s(error["code"]), QStringLiteral("resource_missing"));
    QCOMPARE(s(error["param"]), QStringLiteral("payment_intent"));
    QCOMPARE(s(error["type"]), QStringLiteral("invalid_request_error"));
    QCOMPARE(s(error["message"]), QStringLiteral("No such payment_intent: 'pi_x'"));
}

void FakesTest::stripeListsAndRetrievesRefunds()
{
    FakeStripe stripe;
    stripe.start();
    stripe.addPaymentIntent("pi_a", 5000);
    stripe.addPaymentIntent("pi_b", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    for (const char* intent : { "pi_a", "pi_b", "pi_a", "pi_a" })
        QCOMPARE(createRefund(
                     client, stripe.apiKey(), { { "payment_intent", intent }, { "amount", "100" } })
                     .status,
            200u);
    const auto all = stripe.refunds();

    const auto list
        = parsed(getWithKey(client, stripe.apiKey(), "/v1/refunds?payment_intent=pi_a"));
    QCOMPARE(s(list["object"]), QStringLiteral("list"));
    QCOMPARE(s(list["url"]), QStringLiteral("/v1/refunds"));
    QCOMPARE(list["has_more"].get<bool>(), false);
    QCOMPARE(list["data"].size(), 3u);
    QCOMPARE(s(list["data"][0]["id"]), q(all[3].id)); // newest first
    QCOMPARE(s(list["data"][2]["id"]), q(all[0].id));

    const auto page
        = parsed(getWithKey(client, stripe.apiKey(), "/v1/refunds?payment_intent=pi_a&limit=2"));
    QCOMPARE(page["data"].size(), 2u);
    QCOMPARE(page["has_more"].get<bool>(), true);
    const auto next = parsed(getWithKey(client, stripe.apiKey(),
        "/v1/refunds?payment_intent=pi_a&limit=2&starting_after="
            + page["data"][1]["id"].get<std::string>()));
    QCOMPARE(next["data"].size(), 1u);
    QCOMPARE(next["has_more"].get<bool>(), false);

    const auto byCharge
        = parsed(getWithKey(client, stripe.apiKey(), "/v1/refunds?charge=" + all[1].charge));
    QCOMPARE(byCharge["data"].size(), 1u);

    const auto one = getWithKey(client, stripe.apiKey(), "/v1/refunds/" + all[1].id);
    QCOMPARE(one.status, 200u);
    QCOMPARE(s(parsed(one)["payment_intent"]), QStringLiteral("pi_b"));
    const auto none = getWithKey(client, stripe.apiKey(), "/v1/refunds/re_nope");
    QCOMPARE(none.status, 404u);
    QCOMPARE(s(parsed(none)["error"]["code"]), QStringLiteral("resource_missing"));
}

void FakesTest::stripeSettleSendsSignedWebhook()
{
    FakeErp receiver; // stands in for latch-server's webhook endpoint
    receiver.route("POST", "/webhooks/stripe", 200, nlohmann::json { { "received", true } });
    receiver.start();
    FakeStripe stripe;
    stripe.setInitialRefundStatus("pending");
    stripe.setWebhook(receiver.url("/webhooks/stripe"), "whsec_test_secret");
    stripe.start();
    stripe.addPaymentIntent("pi_1", 5000);
    HttpClient client("127.0.0.1", stripe.port());
    const auto created = parsed(createRefund(
        client, stripe.apiKey(), { { "payment_intent", "pi_1" }, { "amount", "900" } }));
    QCOMPARE(s(created["status"]), QStringLiteral("pending"));
    const auto id = created["id"].get<std::string>();

    QVERIFY(stripe.settle(id, "succeeded"));
    QVERIFY(!stripe.settle("re_unknown", "succeeded"));
    const auto posted = receiver.requestsTo("POST", "/webhooks/stripe");
    QCOMPARE(posted.size(), 1u);
    const auto signature = posted[0].header("Stripe-Signature");
    QVERIFY(signature);
    const auto [t, v1] = signatureParts(*signature);
    QVERIFY(!t.empty());
    QCOMPARE(q(v1), q(hmacSha256Hex("whsec_test_secret", t + "." + posted[0].body)));
    QCOMPARE(q(*signature),
        q(FakeStripe::signatureHeader("whsec_test_secret", posted[0].body, std::stoll(t))));
    QVERIFY(std::abs(std::stoll(t) - std::time(nullptr)) < 10);

    const auto event = nlohmann::json::parse(posted[0].body);
    QVERIFY(s(event["id"]).startsWith("evt_"));
    QCOMPARE(s(event["object"]), QStringLiteral("event"));
    QCOMPARE(s(event["type"]), QStringLiteral("refund.updated"));
    QCOMPARE(s(event["data"]["object"]["id"]), q(id));
    QCOMPARE(s(event["data"]["object"]["status"]), QStringLiteral("succeeded"));
    QCOMPARE(s(event["data"]["previous_attributes"]["status"]), QStringLiteral("pending"));
    const auto now = parsed(getWithKey(client, stripe.apiKey(), "/v1/refunds/" + id));
    QCOMPARE(s(now["status"]), QStringLiteral("succeeded"));

    // A redelivery: the same event, signed afresh.
    const auto again = stripe.resendLastWebhook();
    QVERIFY(again && again->delivered());
    QCOMPARE(q(again->eventId), s(event["id"]));
    QCOMPARE(receiver.requestsTo("POST", "/webhooks/stripe").size(), 2u);
    QCOMPARE(stripe.webhookDeliveries().size(), 2u);
    QVERIFY(stripe.webhookDeliveries()[0].delivered());

    // A forged signature goes out as given, for the receiver to refuse.
    const auto forged = stripe.postWebhook(posted[0].body, "t=1,v1=00");
    QVERIFY(forged.delivered()); // the fake receiver accepts anything; latch-server must not
    QCOMPARE(q(receiver.requests().back().header("Stripe-Signature")), QStringLiteral("t=1,v1=00"));
}

void FakesTest::stripeFailedRefundGivesAmountBack()
{
    FakeStripe stripe;
    stripe.setInitialRefundStatus("pending");
    stripe.start();
    stripe.addPaymentIntent("pi_1", 1000);
    HttpClient client("127.0.0.1", stripe.port());
    const auto first
        = parsed(createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_1" } }));
    QCOMPARE(first["amount"].get<int>(), 1000);
    // While pending, the amount is spoken for.
    QCOMPARE(createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_1" } }).status, 400u);
    QVERIFY(stripe.settle(first["id"].get<std::string>(), "failed", "expired_or_canceled_card"));
    QCOMPARE(q(stripe.refunds()[0].failureReason), QStringLiteral("expired_or_canceled_card"));
    QCOMPARE(createRefund(client, stripe.apiKey(), { { "payment_intent", "pi_1" } }).status, 200u);
}

void FakesTest::slackAcceptsMessages()
{
    FakeSlack slack;
    slack.start();
    HttpClient client("127.0.0.1", slack.port());
    const Headers json = { { "Content-Type", "application/json" } };
    const auto text = client.post(FakeSlack::kDefaultPath, R"({"text":"Refund approved"})", json);
    QCOMPARE(text.status, 200u);
    QCOMPARE(q(text.body), QStringLiteral("ok"));
    QVERIFY(q(text.header("Content-Type")).startsWith("text/plain"));
    const auto blocks = client.post(FakeSlack::kDefaultPath,
        R"({"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*C-17*"}}]})", json);
    QCOMPARE(blocks.status, 200u);
    const auto form = client.post(FakeSlack::kDefaultPath,
        formEncode({ { "payload", R"({"text":"from a form"})" } }),
        { { "Content-Type", "application/x-www-form-urlencoded" } });
    QCOMPARE(form.status, 200u);
    const auto messages = slack.messages();
    QCOMPARE(messages.size(), 3u);
    QCOMPARE(s(messages[0]["text"]), QStringLiteral("Refund approved"));
    QCOMPARE(s(messages[1]["blocks"][0]["type"]), QStringLiteral("section"));
    QCOMPARE(s(messages[2]["text"]), QStringLiteral("from a form"));
}

void FakesTest::slackRefusesBadPayloadsAndPaths()
{
    FakeSlack slack;
    slack.start();
    HttpClient client("127.0.0.1", slack.port());
    const Headers json = { { "Content-Type", "application/json" } };
    const auto broken = client.post(FakeSlack::kDefaultPath, R"({"text":)", json);
    QCOMPARE(broken.status, 400u);
    QCOMPARE(q(broken.body), QStringLiteral("invalid_payload"));
    const auto empty = client.post(FakeSlack::kDefaultPath, R"({"username":"latch"})", json);
    QCOMPARE(empty.status, 400u);
    QCOMPARE(q(empty.body), QStringLiteral("invalid_payload"));
    const auto elsewhere = client.post("/services/T000/B000/YYYY", R"({"text":"x"})", json);
    QCOMPARE(elsewhere.status, 404u);
    QCOMPARE(q(elsewhere.body), QStringLiteral("no_service"));
    QVERIFY(slack.messages().empty());
    QCOMPARE(slack.requestCount(), 3u);
}

void FakesTest::slackInjectedRefusals()
{
    FakeSlack slack;
    slack.start();
    HttpClient client("127.0.0.1", slack.port());
    const Headers json = { { "Content-Type", "application/json" } };
    const std::string message = R"({"text":"x"})";
    slack.failNext(FakeSlack::Refusal::ActionProhibited);
    slack.failNext(FakeSlack::Refusal::ChannelIsArchived);
    slack.rateLimitNext(1);
    const auto prohibited = client.post(FakeSlack::kDefaultPath, message, json);
    QCOMPARE(prohibited.status, 403u);
    QCOMPARE(q(prohibited.body), QStringLiteral("action_prohibited"));
    const auto archived = client.post(FakeSlack::kDefaultPath, message, json);
    QCOMPARE(archived.status, 410u);
    QCOMPARE(q(archived.body), QStringLiteral("channel_is_archived"));
    const auto limited = client.post(FakeSlack::kDefaultPath, message, json);
    QCOMPARE(limited.status, 429u);
    QCOMPARE(q(limited.header("Retry-After")), QStringLiteral("1"));
    QVERIFY(slack.messages().empty()); // refused messages were never posted
    QCOMPARE(client.post(FakeSlack::kDefaultPath, message, json).status, 200u);
    QCOMPARE(slack.messages().size(), 1u);
}

void FakesTest::erpRoutesAndRecords()
{
    FakeErp erp;
    erp.route("POST", "/api/v2/orders/{order}/refunds", 201,
        nlohmann::json { { "credit_note", "CN-1" } },
        { { "Location", "/api/v2/credit-notes/CN-1" } });
    erp.route("GET", "/api/v2/orders/*",
        [](const Request& request) { return Response::text(200, "order at " + request.path()); });
    erp.start();
    HttpClient client("127.0.0.1", erp.port());
    const std::string body = R"({"amount_minor":1500,"currency":"usd"})";
    const auto signature = hmacSha256Hex("erp-secret", body);
    const auto created = client.post("/api/v2/orders/SO-42/refunds?notify=false", body,
        { { "Content-Type", "application/json" }, { "X-Latch-Signature", signature } });
    QCOMPARE(created.status, 201u);
    QCOMPARE(s(parsed(created)["credit_note"]), QStringLiteral("CN-1"));
    QCOMPARE(q(created.header("Location")), QStringLiteral("/api/v2/credit-notes/CN-1"));
    QCOMPARE(q(client.get("/api/v2/orders/SO-42/lines").body),
        QStringLiteral("order at /api/v2/orders/SO-42/lines"));

    const auto missing = client.get("/api/v3/other");
    QCOMPARE(missing.status, 404u);
    QCOMPARE(s(parsed(missing)["error"]), QStringLiteral("not_found"));

    const auto posted = erp.requestsTo("POST", "/api/v2/orders/{order}/refunds");
    QCOMPARE(posted.size(), 1u);
    QCOMPARE(q(posted[0].target), QStringLiteral("/api/v2/orders/SO-42/refunds?notify=false"));
    QCOMPARE(q(posted[0].body), q(body));
    QCOMPARE(
        q(posted[0].header("x-latch-signature")), q(hmacSha256Hex("erp-secret", posted[0].body)));
    QCOMPARE(erp.requestsTo("", "/api/*").size(), 3u);
    QVERIFY(!FakeErp::matches("/api/v2/orders/{order}/refunds", "/api/v2/orders//refunds"));
}

void FakesTest::llmAnswersAsAChatCompletion()
{
    FakeLlm llm;
    llm.start();
    HttpClient client("127.0.0.1", llm.port());
    const Headers json = { { "Content-Type", "application/json" } };
    const std::string request = R"({"model":"qwen2.5:7b","temperature":0,)"
                                R"("response_format":{"type":"json_object"},)"
                                R"("messages":[{"role":"system","content":"Answer in JSON."},)"
                                R"({"role":"user","content":"Refund order 7"}]})";
    llm.replyNext(R"({"type":"refund"})");
    llm.replyNext(std::nullopt, "length");

    const auto first = client.post(FakeLlm::kPath, request, json);
    QCOMPARE(first.status, 200u);
    QCOMPARE(q(first.header("Content-Type")), QStringLiteral("application/json"));
    const auto completion = parsed(first);
    QVERIFY(s(completion["id"]).startsWith(QStringLiteral("chatcmpl-")));
    QCOMPARE(s(completion["object"]), QStringLiteral("chat.completion"));
    QVERIFY(completion["created"].is_number_integer());
    QCOMPARE(s(completion["model"]), QStringLiteral("qwen2.5:7b"));
    QCOMPARE(completion["choices"].size(), 1u);
    const auto& choice = completion["choices"][0];
    QCOMPARE(choice["index"].get<int>(), 0);
    QCOMPARE(s(choice["message"]["role"]), QStringLiteral("assistant"));
    QCOMPARE(s(choice["message"]["content"]), QStringLiteral(R"({"type":"refund"})"));
    QCOMPARE(s(choice["finish_reason"]), QStringLiteral("stop"));
    const auto& usage = completion["usage"];
    QCOMPARE(usage["total_tokens"].get<int>(),
        usage["prompt_tokens"].get<int>() + usage["completion_tokens"].get<int>());

    const auto second = parsed(client.post(FakeLlm::kPath, request, json));
    QVERIFY(second["choices"][0]["message"]["content"].is_null());
    QCOMPARE(s(second["choices"][0]["finish_reason"]), QStringLiteral("length"));
    QVERIFY(s(second["id"]) != s(completion["id"]));
    // Nothing scripted: the default content.
    QCOMPARE(
        s(parsed(client.post(FakeLlm::kPath, request, json))["choices"][0]["message"]["content"]),
        QStringLiteral("{}"));

    const auto recorded = llm.chatRequests();
    QCOMPARE(recorded.size(), 3u);
    QCOMPARE(s(recorded[0]["messages"][1]["content"]), QStringLiteral("Refund order 7"));
}

void FakesTest::llmRefusesWhatRealServersRefuse()
{
    FakeLlm llm;
    llm.setApiKey("sk-local");
    llm.setModels({ "llama3.1:8b" });
    llm.start();
    HttpClient client("127.0.0.1", llm.port());
    const Headers auth
        = { { "Content-Type", "application/json" }, { "Authorization", "Bearer sk-local" } };
    const auto body = [](const std::string& fields) {
        return R"({"model":"llama3.1:8b","messages":[{"role":"user","content":"hi"}])" + fields
            + "}";
    };
    const auto expectError
        = [&](const ClientResponse& response, unsigned status, const char* type) {
              QCOMPARE(response.status, status);
              const auto error = parsed(response)["error"];
              QVERIFY(error["message"].is_string());
              QCOMPARE(s(error["type"]), QString::fromLatin1(type));
              QVERIFY(error.contains("param") && error.contains("code"));
          };

    expectError(client.post(FakeLlm::kPath, body(""), { { "Content-Type", "application/json" } }),
        401, "invalid_request_error");
    expectError(client.post(FakeLlm::kPath, body(""), { { "Authorization", "Bearer sk-other" } }),
        401, "invalid_request_error");
    QCOMPARE(client.post(FakeLlm::kPath, body(""), auth).status, 200u);
    expectError(client.post(FakeLlm::kPath, "not json", auth), 400, "invalid_request_error");
    expectError(
        client.post(FakeLlm::kPath, R"({"messages":[]})", auth), 400, "invalid_request_error");
    const auto unknownModel = client.post(
        FakeLlm::kPath, R"({"model":"gpt-9","messages":[{"role":"user","content":"hi"}]})", auth);
    expectError(unknownModel, 404, "invalid_request_error");
    QCOMPARE(s(parsed(unknownModel)["error"]["code"]), QStringLiteral("model_not_found"));
    expectError(client.post(FakeLlm::kPath, body(R"(,"temperature":"0")"), auth), 400,
        "invalid_request_error");
    expectError(client.post(FakeLlm::kPath, body(R"(,"response_format":{"type":"xml"})"), auth),
        400, "invalid_request_error");
    QCOMPARE(client
                 .post(FakeLlm::kPath,
                     body(R"(,"response_format":{"type":"json_schema","json_schema":{}})"), auth)
                 .status,
        200u);
    expectError(
        client.post(FakeLlm::kPath, body(R"(,"stream":true)"), auth), 400, "invalid_request_error");
    expectError(client.post("/v1/completions", body(""), auth), 404, "invalid_request_error");
    QCOMPARE(llm.chatRequests().size(), 10u); // every request to the endpoint, refused ones too
}

void FakesTest::llmInjectedRefusals()
{
    FakeLlm llm;
    llm.start();
    HttpClient client("127.0.0.1", llm.port());
    const std::string request = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    llm.replyNext("scripted");
    llm.failNext(FakeLlm::Refusal::Unauthorized);
    llm.failNext(FakeLlm::Refusal::ModelNotFound);
    llm.failNext(FakeLlm::Refusal::RateLimited);
    llm.failNext(FakeLlm::Refusal::ServerError);
    const std::vector<std::pair<unsigned, std::string>> expected { { 401, "invalid_api_key" },
        { 404, "model_not_found" }, { 429, "rate_limit_exceeded" }, { 500, "" } };
    for (const auto& [status, code] : expected) {
        const auto refused = client.post(FakeLlm::kPath, request);
        QCOMPARE(refused.status, status);
        const auto error = parsed(refused)["error"];
        QCOMPARE(error["code"].is_null() ? QString() : s(error["code"]), q(code));
        if (status == 429)
            QCOMPARE(q(refused.header("Retry-After")), QStringLiteral("1"));
    }
    QCOMPARE(llm.pendingReplies(), 1u); // an injected refusal does not use up the script
    QCOMPARE(s(parsed(client.post(FakeLlm::kPath, request))["choices"][0]["message"]["content"]),
        QStringLiteral("scripted"));
}

QTEST_GUILESS_MAIN(FakesTest)
#include "fakestest.moc"
