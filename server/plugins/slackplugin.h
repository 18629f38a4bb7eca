#pragma once
// Built-in plugin "slack", action slack.post: posts a case to a Slack channel through an incoming
// webhook, as Block Kit blocks (the title, type, amount, customer, status and a link to the case)
// with a plain-text fallback. The plan is the message exactly as it will be posted; the webhook
// URL, a secret, appears in it only as "[redacted]".
//
// Slack's webhooks take no idempotency key, so this plugin never sends a message twice on its
// own account: a call that may have reached Slack unanswered, and a run resumed after a crash or a
// stop, are recorded as unknown (check the channel) rather than sent again. See slackwebhook.h.
//
// Threading: see Plugin. Holds only its configuration and the webhook URL.
#include "core/config.h"
#include "plugins/plugin.h"

namespace latch::plugins {

class SlackPlugin final : public Plugin {
public:
    SlackPlugin(core::SlackPluginConfig config, std::string webhookUrl);

    std::string name() const override { return "slack"; }
    std::vector<core::ActionSpec> offers(const v1::Case& c) const override;
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string& action) const override;
    v1::ActionFinished run(const RunRequest& request) override;
    std::vector<std::string> secrets() const override { return { m_webhookUrl }; }

private:
    core::SlackPluginConfig m_config;
    std::string m_webhookUrl;
};

} // namespace latch::plugins
