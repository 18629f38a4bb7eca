#pragma once
// Stripe's refund API as Latch's payment plugin meets it, on 127.0.0.1: POST /v1/refunds
// (form-encoded, Bearer or Basic auth with a secret key), GET /v1/refunds/{id}, GET /v1/refunds
// with payment_intent/charge/limit filters; Stripe's error bodies; Stripe's idempotency rules
// (the first answer saved per Idempotency-Key and replayed with Idempotent-Replayed: true, a key
// reused with other parameters refused); and refund.updated events to a webhook endpoint signed
// the way Stripe signs them (Stripe-Signature: t=...,v1=HMAC-SHA256). Tests seed payment intents,
// move refunds to their final state with settle(), and inject faults (FakeHttpServer).
//
// How injected faults meet idempotency: an injected answer stands in for what the endpoint
// returned, so it is given after authentication and the key lookup, and saved under the request's
// Idempotency-Key (Stripe saves and replays even a 500). An injected 429 is the exception: rate
// limiting happens before Stripe looks at the request, so it is neither saved nor replayed. A
// request dropped before handling saves nothing; one dropped after handling saved its answer.
//
// Threading: as FakeHttpServer. settle() and the webhook calls block the calling thread until the
// endpoint answered; that endpoint must be served by another thread (or process).
#include "fakehttpserver.h"
#include "formencoding.h"
#include "stripewebhooks.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace latch::fakes {

class FakeStripe final : public FakeHttpServer {
public:
    struct PaymentIntent {
        std::string id; // "pi_..."
        std::string charge; // "ch_...", made up when seeded
        std::int64_t amount = 0;
        std::string currency;
    };
    struct Refund {
        std::string id; // "re_..."
        std::int64_t amount = 0;
        std::string currency;
        std::string paymentIntent;
        std::string charge;
        std::string status; // pending, requires_action, succeeded, failed, canceled
        std::string reason; // "" for null
        std::string failureReason; // set when failed
        std::map<std::string, std::string> metadata;
        std::int64_t created = 0; // unix seconds
        std::string idempotencyKey; // of the request that created it, "" when none
    };
    using WebhookDelivery = StripeWebhooks::Delivery;

    static constexpr const char* kDefaultApiKey = "sk_test_latchfake0000000000000000";

    FakeStripe();
    ~FakeStripe() override;

    void setApiKey(std::string key);
    std::string apiKey() const;
    // Seeds a succeeded payment intent and its charge; returns the charge id.
    std::string addPaymentIntent(
        std::string id, std::int64_t amountMinor, std::string currency = "usd");
    std::optional<PaymentIntent> paymentIntent(const std::string& id) const;
    // The status new refunds start in: "succeeded" (the default), "pending" or "requires_action".
    void setInitialRefundStatus(std::string status);
    // Where refund.updated events go ("http://127.0.0.1:PORT/path"), signed with `secret`.
    void setWebhook(std::string url, std::string secret)
    {
        m_webhooks.setEndpoint(std::move(url), std::move(secret));
    }
    // Forgets every saved Idempotency-Key, as Stripe does after 24 hours: a retry with an old key
    // then makes a new refund, which is why clients reconcile with GET /v1/refunds.
    void forgetIdempotencyKeys();

    // Moves a refund to `status` (succeeded, failed, canceled, pending, requires_action) and, when
    // a webhook is set, posts refund.updated and waits for the answer. False for an unknown
    // refund or status. `failureReason` is used for "failed".
    bool settle(const std::string& refundId, const std::string& status,
        const std::string& failureReason = "unknown");
    // Sends the last event again, re-signed with the current time as Stripe's retries are: the
    // same event id, for de-duplication tests. nullopt when nothing was sent yet.
    std::optional<WebhookDelivery> resendLastWebhook() { return m_webhooks.resendLast(); }
    // Posts `payload` with `signature` as its Stripe-Signature to the webhook URL, as is: for
    // forged, replayed or expired signatures.
    WebhookDelivery postWebhook(const std::string& payload, const std::string& signature)
    {
        return m_webhooks.post(payload, signature);
    }
    // "t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<payload>")>"
    static std::string signatureHeader(
        std::string_view secret, std::string_view payload, std::int64_t timestamp)
    {
        return StripeWebhooks::signatureHeader(secret, payload, timestamp);
    }

    std::vector<Refund> refunds() const; // in creation order
    std::optional<Refund> refund(const std::string& id) const;
    std::vector<WebhookDelivery> webhookDeliveries() const { return m_webhooks.deliveries(); }
    // A refund as the API shows it.
    static nlohmann::ordered_json toJson(const Refund& refund);
    // A Stripe error answer: {"error":{"type":..,"message":..,"code":..,"param":..}}; code and
    // param are left out when empty. For injecting faults with Stripe's shape.
    static Response errorResponse(unsigned status, const std::string& type,
        const std::string& message, const std::string& code = {}, const std::string& param = {});

private:
    // The first answer given under an Idempotency-Key, and what it answered.
    struct SavedAnswer {
        std::string method;
        std::string path;
        FormParams params; // sorted: Stripe compares parameters, not their order
        Response response;
        std::string requestId;
    };
    // An endpoint's answer, and whether Stripe would save it under the key: not when the
    // parameters failed validation, as execution never began.
    struct EndpointResult {
        Response response;
        bool save = true;
    };

    Response handle(const Request& request, const std::optional<Response>& injected);
    std::optional<Response> authenticate(const Request& request) const;
    Response createRefund(const Request& request, const std::optional<Response>& injected);
    EndpointResult refundFromParams(const Request& request);
    Response listRefunds(const Request& request) const;
    std::string refundEvent(const Refund& refund, const std::string& previousStatus);
    Response retrieveRefund(const std::string& id) const;
    std::string newId(const char* prefix, std::size_t length);
    std::int64_t refundable(const PaymentIntent& intent) const;

    mutable std::mutex m_stateMutex;
    std::string m_apiKey = kDefaultApiKey;
    std::string m_initialStatus = "succeeded";
    std::map<std::string, PaymentIntent> m_intents;
    std::vector<Refund> m_refunds;
    std::map<std::string, SavedAnswer> m_saved; // by Idempotency-Key
    std::mt19937_64 m_random;
    StripeWebhooks m_webhooks;
};

} // namespace latch::fakes
