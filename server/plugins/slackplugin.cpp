#include "plugins/slackplugin.h"

#include "latch/casefold.h"
#include "plugins/slackwebhook.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace latch::plugins {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kPost = "slack.post";

json field(const std::string& label, const std::string& value)
{
    return { { "type", "mrkdwn" }, { "text", fieldText(label, value) } };
}

// The message slack.post posts: Block Kit blocks and the plain-text fallback Slack shows in
// notifications and where blocks cannot be drawn.
json caseMessage(const core::SlackPluginConfig& config, const v1::Case& c)
{
    const std::string title = c.title().empty() ? "Case " + c.id() : c.title();
    const std::string link = caseLink(config.caseUrlTemplate, c.id());
    const std::string amount = caseAmountText(c);
    const std::string status = statusName(c.status());
    std::string fallback = "Latch case: " + slackEscape(clipText(title, 300)) + " (" + c.type();
    for (const auto& part : { amount, c.customer(), status }) {
        if (!part.empty())
            fallback += ", " + slackEscape(clipText(part, 200));
    }
    fallback += ") <" + link + ">";
    return {
        { "text", fallback },
        { "blocks",
            json::array({
                { { "type", "header" },
                    { "text",
                        { { "type", "plain_text" }, { "text", clipText(title, 150) },
                            { "emoji", true } } } },
                { { "type", "section" },
                    { "fields",
                        json::array({ field("Type", c.type()), field("Amount", amount),
                            field("Customer", c.customer()), field("Status", status) }) } },
                { { "type", "section" },
                    { "text",
                        { { "type", "mrkdwn" },
                            { "text", "<" + link + "|Open the case in Latch>" } } } },
            }) },
    };
}

} // namespace

SlackPlugin::SlackPlugin(core::SlackPluginConfig config, std::string webhookUrl)
    : m_config(std::move(config))
    , m_webhookUrl(std::move(webhookUrl))
{
}

std::vector<core::ActionSpec> SlackPlugin::offers(const v1::Case& c) const
{
    const auto& types = m_config.caseTypes;
    if (!types.empty() && std::find(types.begin(), types.end(), c.type()) == types.end())
        return {};
    core::ActionSpec spec;
    spec.action = kPost;
    spec.label = "Post to Slack";
    spec.plugin = name();
    spec.roles = m_config.roles;
    spec.inputSchema = json { { "type", "object" }, { "properties", json::object() } }.dump();
    return { spec };
}

Expected<core::PlannedAction> SlackPlugin::plan(const v1::Case& c, const std::string& action) const
{
    if (action != kPost)
        return fail("action.unavailable", "the Slack plugin offers slack.post only");
    // The message as posted; the webhook is a secret and is named, never shown.
    const json plan = {
        { "method", "POST" },
        { "url", "[redacted]" },
        { "webhook_env", m_config.webhookUrlEnv },
        { "content_type", "application/json" },
        { "message", caseMessage(m_config, c) },
    };
    core::PlannedAction planned;
    planned.plan = plan.dump();
    planned.summary
        = "Post \"" + clipText(c.title().empty() ? c.id() : c.title(), 80) + "\" to Slack";
    return planned;
}

v1::ActionFinished SlackPlugin::run(const RunRequest& request)
{
    v1::ActionFinished out;
    out.set_action(request.requested.action());
    out.set_idempotency_key(request.requested.idempotency_key());
    const json plan = json::parse(request.requested.plan(), nullptr, false);
    if (!plan.is_object() || !plan.contains("message") || !plan["message"].is_object()) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("slack.bad_plan");
        out.set_message("the recorded plan is not readable; nothing was sent");
        return out;
    }
    const std::string body = plan["message"].dump();
    out.set_request("POST [redacted] (the webhook in " + m_config.webhookUrlEnv
        + ")\nContent-Type: application/json; charset=utf-8\n\n" + body);
    if (request.resumed) {
        // An earlier start may have posted it before it stopped; Slack cannot tell us, and a
        // second post cannot be taken back.
        out.set_state(v1::ACTION_STATE_UNKNOWN);
        out.set_code("slack.outcome_unknown");
        out.set_message("the server stopped before this post's result was recorded; it may have "
                        "been posted and is not sent again: check the channel");
        return out;
    }
    const SlackDelivery delivery
        = postToSlack({ m_webhookUrl, m_config.timeout, m_config.maxAttempts, m_config.retryBase },
            body, request.stopping);
    out.set_state(delivery.state);
    out.set_code(delivery.code);
    out.set_message(delivery.message);
    out.set_http_status(delivery.httpStatus);
    out.set_response(delivery.response);
    out.set_attempts(delivery.attempts);
    return out;
}

} // namespace latch::plugins
