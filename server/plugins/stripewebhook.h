#pragma once
// Stripe's webhook endpoint for the Stripe plugin (POST /hooks/stripe): refund.updated,
// refund.failed and charge.refund.updated events, signed with the endpoint's secret, become
// RecordAction updates from "plugin:stripe" on the run that made the refund, found by the
// refund's metadata (latch_case, and latch_key or else the refund's id). The command id derives
// from the event id, so an event Stripe delivers twice, also across a restart, is recorded once.
//
// Answers: 400 for a missing, malformed, wrong or stale signature, or a body that is not a
// Stripe event; 200 for what is recorded and for what is deliberately ignored (other event
// types, refunds Latch did not make, nothing new), so Stripe stops sending it; 503 when the
// server could not record it (stopping, store failure), so Stripe sends it again.
//
// Threading: immutable after construction; receive() and answer() from any thread.
#include "core/webhook.h"

#include <chrono>
#include <string>

namespace latch::plugins {

class StripeWebhook final : public core::Webhook {
public:
    static constexpr const char* kPath = "/hooks/stripe";
    static constexpr std::size_t kMaxBodyBytes = 64 * 1024;

    StripeWebhook(std::string secret, std::chrono::seconds tolerance);

    std::string path() const override { return kPath; }
    std::size_t maxBodyBytes() const override { return kMaxBodyBytes; }
    core::WebhookDecision receive(const core::WebhookCall& call) const override;
    core::WebhookReply answer(const std::vector<v1::CommandResult>& results) const override;

    // The command id an event is recorded under: the same for every delivery of the event.
    static std::string commandIdFor(const std::string& eventId);

private:
    std::string m_secret;
    std::chrono::seconds m_tolerance;
};

} // namespace latch::plugins
