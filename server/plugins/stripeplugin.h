#pragma once
// Built-in plugin "stripe": stripe.refund refunds a case's amount on the Stripe payment_intent (or
// charge) named in the case's fields, over Stripe's REST API: form-encoded POST /v1/refunds with a
// Bearer key and an Idempotency-Key, so repeating the call after a time-out, a 5xx or a restart
// never refunds twice. A refund Stripe reports as pending or requires_action is followed up
// (GET /v1/refunds/<id>) until it is final or config.followFor has passed. Where the outcome of a
// call is unknown and retries are used up, or the request is older than Stripe keeps idempotency
// keys, it reconciles (lists the payment's refunds and looks for its key) instead of guessing.
// Canceled, it sends nothing more: with no call Stripe could have acted on, the run fails as
// "action.canceled"; otherwise it reconciles the same way (a resumed run may have sent before).
//
// Threading: see Plugin. Holds only its configuration and key.
#include "core/config.h"
#include "plugins/plugin.h"

namespace latch::plugins {

class StripePlugin final : public Plugin {
public:
    StripePlugin(core::StripePluginConfig config, std::string apiKey);

    std::string name() const override { return "stripe"; }
    std::vector<core::ActionSpec> offers(const v1::Case& c) const override;
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string& action) const override;
    v1::ActionFinished run(const RunRequest& request) override;
    std::optional<std::vector<std::string>> rolesFor(const std::string& action) const override;
    std::vector<std::string> secrets() const override { return { m_apiKey }; }

private:
    struct Call;
    Call post(const std::string& url, const std::string& form, const std::string& key) const;
    Call get(const std::string& pathAndQuery) const;

    core::StripePluginConfig m_config;
    std::string m_apiKey;
};

} // namespace latch::plugins
