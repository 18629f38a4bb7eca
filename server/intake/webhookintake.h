#pragma once
// POST /intake/webhook: a case from another system, as JSON (schema in docs/intake.md).
// {"idempotency_key": "...", "title": "...", "type", "description", "customer", "order_ref",
//  "amount": "2,400.00 USD", "sender", "thread", "fields": {"key": "value"}}
// idempotency_key (or an Idempotency-Key header) and title are required; unknown keys are
// refused so a misspelt one is never dropped silently. Deliveries naming the same thread join
// the open case that thread started.
//
// Threading: immutable after construction; from any network thread.
#include "intake/intakeendpoint.h"

namespace latch::intake {

class WebhookIntake final : public IntakeEndpoint {
public:
    static constexpr const char* kPath = "/intake/webhook";

    WebhookIntake(const core::Config& config, std::map<std::string, SourceSecrets> secrets);

protected:
    core::WebhookDecision deliver(const core::IntakeSourceConfig& source,
                                  const core::WebhookCall& call) const override;
};

} // namespace latch::intake
