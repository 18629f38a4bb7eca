#include "plugins/slackwebhook.h"

#include "latch/money.h"
#include "plugins/httpclient.h"
#include "plugins/retrypolicy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <spdlog/spdlog.h>

namespace latch::plugins {

namespace {

// Slack's error strings are short snake_case words; anything else (a proxy's HTML page) is
// reported by its status instead.
std::string slackError(const HttpResponse& response)
{
    std::string body = response.body;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' '))
        body.pop_back();
    const bool word = !body.empty() && body.size() <= 64
        && std::all_of(body.begin(), body.end(), [](unsigned char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
           });
    return word ? body : "http_" + std::to_string(response.status);
}

bool stoppingNow(const std::atomic<bool>* stopping)
{
    return stopping && stopping->load();
}

} // namespace

SlackDelivery postToSlack(
    const SlackTarget& target, const std::string& body, const std::atomic<bool>* stopping)
{
    SlackDelivery out;
    HttpRequest request;
    request.method = "POST";
    request.url = target.webhookUrl;
    request.headers = { { "Content-Type", "application/json; charset=utf-8" } };
    request.body = body;
    request.timeout = target.timeout;

    RetryPolicy retry(target.maxAttempts, target.retryBase, stopping);
    std::string lastProblem;
    std::string lastError; // Slack's own error string when it answered
    while (retry.next()) {
        const HttpResponse response = httpCall(request);
        out.attempts = retry.attempts();
        std::chrono::milliseconds hint(0);
        if (response.transport == HttpResponse::Transport::Connect) {
            lastProblem = response.error;
            lastError.clear();
        } else if (response.transport == HttpResponse::Transport::Sent) {
            // Slack may have posted it; sending again could post it twice.
            out.state = v1::ACTION_STATE_UNKNOWN;
            out.code = "slack.outcome_unknown";
            out.message = "Slack did not answer (" + response.error
                + "); the message may have been posted and is not sent again: check the channel";
            return out;
        } else {
            out.httpStatus = response.status;
            out.response = response.body;
            if (response.status >= 200 && response.status < 300) {
                if (slackError(response) == "ok") {
                    out.state = v1::ACTION_STATE_SUCCEEDED;
                    out.message = "Slack posted the message";
                } else {
                    out.state = v1::ACTION_STATE_UNKNOWN;
                    out.code = "slack.bad_response";
                    out.message = "Slack answered " + std::to_string(response.status)
                        + " without its \"ok\"; check the channel";
                }
                return out;
            }
            lastError = slackError(response);
            if (response.status != 429 && response.status < 500) {
                out.state = v1::ACTION_STATE_FAILED;
                out.code = "slack." + lastError;
                out.message = "Slack refused the message: " + lastError + " (HTTP "
                    + std::to_string(response.status) + ")";
                return out;
            }
            // 429: slow down; 5xx: Slack says it did not post it. Both are worth another try.
            lastProblem = "HTTP " + std::to_string(response.status) + " " + lastError;
            hint = RetryPolicy::retryAfter(response.header("retry-after"));
        }
        spdlog::warn("slack: attempt {} to post a message: {}", retry.attempts(), lastProblem);
        if (retry.attempts() >= target.maxAttempts || !retry.wait(hint))
            break;
    }
    if (stoppingNow(stopping))
        return out; // nothing was posted (every answer said so); it may be sent again later
    out.state = v1::ACTION_STATE_FAILED;
    if (!lastError.empty()) {
        out.code = "slack." + lastError;
        out.message = "Slack did not post the message after " + std::to_string(out.attempts)
            + " attempts (" + lastProblem + ")";
    } else {
        out.code = "slack.unreachable";
        out.message = "Slack could not be reached after " + std::to_string(out.attempts)
            + " attempts (" + lastProblem + "); nothing was sent";
    }
    return out;
}

std::string slackEscape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        if (ch == '&')
            out += "&amp;";
        else if (ch == '<')
            out += "&lt;";
        else if (ch == '>')
            out += "&gt;";
        else
            out += ch;
    }
    return out;
}

std::string caseLink(const std::string& urlTemplate, const std::string& caseId)
{
    std::string id;
    for (const char ch : caseId) {
        const auto u = static_cast<unsigned char>(ch);
        if (std::isalnum(u) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            id += ch;
        } else {
            std::array<char, 4> buf {};
            std::snprintf(buf.data(), buf.size(), "%%%02X", unsigned(u));
            id += buf.data();
        }
    }
    std::string out = urlTemplate;
    for (auto at = out.find("{id}"); at != std::string::npos; at = out.find("{id}", at + id.size()))
        out.replace(at, 4, id);
    return out;
}

std::string clipText(const std::string& text, std::size_t max)
{
    if (text.size() <= max)
        return text;
    std::size_t cut = max > 3 ? max - 3 : 0;
    // Never split a UTF-8 sequence: back up to the start of a character.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return text.substr(0, cut) + "\xE2\x80\xA6";
}

std::string fieldText(const std::string& label, const std::string& value)
{
    return "*" + label + "*\n" + (value.empty() ? "—" : slackEscape(clipText(value, 500)));
}

std::string caseAmountText(const v1::Case& c)
{
    if (!c.has_amount() || c.amount().currency().empty())
        return {};
    return formatMoney(Money { c.amount().minor(), c.amount().currency() });
}

} // namespace latch::plugins
