#include "stripewebhooks.h"

#include "hmac.h"
#include "httpclient.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace latch::fakes {

void StripeWebhooks::setEndpoint(std::string url, std::string secret)
{
    std::lock_guard lock(m_mutex);
    m_url = std::move(url);
    m_secret = std::move(secret);
}

bool StripeWebhooks::hasEndpoint() const
{
    std::lock_guard lock(m_mutex);
    return !m_url.empty();
}

StripeWebhooks::Delivery StripeWebhooks::send(const std::string& payload)
{
    std::string url, secret;
    {
        std::lock_guard lock(m_mutex);
        url = m_url;
        secret = m_secret;
        m_lastEvent = payload;
    }
    return postTo(url, payload, signatureHeader(secret, payload, std::time(nullptr)));
}

std::optional<StripeWebhooks::Delivery> StripeWebhooks::resendLast()
{
    std::string url, secret, payload;
    {
        std::lock_guard lock(m_mutex);
        if (m_lastEvent.empty())
            return std::nullopt;
        url = m_url;
        secret = m_secret;
        payload = m_lastEvent;
    }
    return postTo(url, payload, signatureHeader(secret, payload, std::time(nullptr)));
}

StripeWebhooks::Delivery StripeWebhooks::post(
    const std::string& payload, const std::string& signature)
{
    std::string url;
    {
        std::lock_guard lock(m_mutex);
        url = m_url;
    }
    return postTo(url, payload, signature);
}

std::vector<StripeWebhooks::Delivery> StripeWebhooks::deliveries() const
{
    std::lock_guard lock(m_mutex);
    return m_deliveries;
}

std::string StripeWebhooks::signatureHeader(
    std::string_view secret, std::string_view payload, std::int64_t timestamp)
{
    const std::string t = std::to_string(timestamp);
    return "t=" + t + ",v1=" + hmacSha256Hex(secret, t + "." + std::string(payload));
}

StripeWebhooks::Delivery StripeWebhooks::postTo(
    const std::string& url, const std::string& payload, const std::string& signature)
{
    Delivery delivery;
    delivery.payload = payload;
    delivery.signature = signature;
    const auto event = nlohmann::json::parse(payload, nullptr, false);
    if (event.is_object() && event.contains("id") && event["id"].is_string())
        delivery.eventId = event["id"].get<std::string>();
    if (url.empty()) {
        delivery.error = "no webhook endpoint set";
    } else {
        // No lock held: the endpoint may take its time, and tests read deliveries meanwhile.
        const auto answer = HttpClient::send("POST", url, payload,
            { { "Content-Type", "application/json; charset=utf-8" },
                { "User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
                { "Stripe-Signature", signature } });
        delivery.status = answer.status;
        delivery.responseBody = answer.body;
        delivery.error = answer.error;
    }
    std::lock_guard lock(m_mutex);
    m_deliveries.push_back(delivery);
    return delivery;
}

} // namespace latch::fakes
