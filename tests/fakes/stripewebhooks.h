#pragma once
// Stripe's side of webhook delivery to one endpoint: each event is POSTed as JSON with
// Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>, and every
// delivery attempt is recorded. Used by FakeStripe; tests reach it through FakeStripe.
//
// Threading: every member is thread-safe. Sending blocks the calling thread until the endpoint
// answered (5 s at most), so the endpoint must be served by another thread or process.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::fakes {

class StripeWebhooks {
public:
    struct Delivery {
        std::string eventId; // "" when the payload was not an event
        std::string payload; // the exact bytes posted
        std::string signature; // the Stripe-Signature header sent
        unsigned status = 0; // the endpoint's answer, 0 when none
        std::string responseBody;
        std::string error; // why there is no answer, "" when the endpoint answered
        bool delivered() const { return error.empty() && status >= 200 && status < 300; }
    };

    // "http://127.0.0.1:PORT/path" and the endpoint's signing secret ("whsec_...").
    void setEndpoint(std::string url, std::string secret);
    bool hasEndpoint() const;

    // Signs `payload` with the current time, posts it and remembers it as the last event.
    Delivery send(const std::string& payload);
    // The last event again, signed afresh (as Stripe's retries are); nullopt before any.
    std::optional<Delivery> resendLast();
    // `payload` with `signature` as given: forged, replayed or expired signatures.
    Delivery post(const std::string& payload, const std::string& signature);
    std::vector<Delivery> deliveries() const;

    static std::string signatureHeader(
        std::string_view secret, std::string_view payload, std::int64_t timestamp);

private:
    Delivery postTo(
        const std::string& url, const std::string& payload, const std::string& signature);

    mutable std::mutex m_mutex;
    std::string m_url;
    std::string m_secret;
    std::string m_lastEvent;
    std::vector<Delivery> m_deliveries;
};

} // namespace latch::fakes
