#pragma once
// Posting one message to a Slack incoming webhook, for the Slack plugin's action and its
// notifications, plus the small pieces both messages are built from. Slack answers 200 "ok", or a
// status and a bare error string ("channel_not_found", "invalid_payload", ...).
//
// An incoming webhook takes no idempotency key, so a message sent twice is posted twice. Hence:
// a call that fails before reaching Slack, a 5xx and a 429 are sent again (Retry-After honoured);
// a call that may have reached Slack but got no answer (a time-out, a dropped connection) is not,
// and its outcome is reported as unknown rather than guessed.
//
// Threading: postToSlack blocks; call it from a worker thread. Everything here is stateless.
#include "latch.pb.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace latch::plugins {

struct SlackTarget {
    std::string webhookUrl; // a secret: never logged or recorded
    std::chrono::milliseconds timeout { 10000 };
    std::uint32_t maxAttempts = 3;
    std::chrono::milliseconds retryBase { 500 };
};

struct SlackDelivery {
    // SUCCEEDED, FAILED, UNKNOWN; UNSPECIFIED when `stopping` cut it short before any call that
    // may have reached Slack.
    v1::ActionState state = v1::ACTION_STATE_UNSPECIFIED;
    std::string code; // "slack.channel_not_found", "slack.unreachable", "slack.outcome_unknown"
    std::string message; // one sentence
    int httpStatus = 0; // of the last answer; 0 when none came
    std::string response; // the last answer's body
    std::uint32_t attempts = 0;
};

// Posts `body` (a JSON message) to the webhook, retrying as described above.
SlackDelivery postToSlack(
    const SlackTarget& target, const std::string& body, const std::atomic<bool>* stopping);

// Text for Slack's mrkdwn and for a message's fallback `text`: &, < and > escaped, so nothing a
// case holds can become a link or a mention (<!channel>).
std::string slackEscape(const std::string& text);

// The link to a case: `urlTemplate` with {id} replaced (the id percent-encoded).
std::string caseLink(const std::string& urlTemplate, const std::string& caseId);

// At most `max` bytes of `text`, cut at a character boundary, "…" added when cut.
std::string clipText(const std::string& text, std::size_t max);

// A Block Kit field's mrkdwn: the label in bold over the value (escaped, clipped; "—" when empty).
std::string fieldText(const std::string& label, const std::string& value);

// "2,400.00 USD", or "" when the case has no amount.
std::string caseAmountText(const v1::Case& c);

} // namespace latch::plugins
