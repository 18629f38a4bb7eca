#include "plugins/stripeplugin.h"

#include "latch/casefold.h"
#include "latch/money.h"
#include "plugins/httpclient.h"
#include "plugins/retrypolicy.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <thread>

namespace latch::plugins {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kRefund = "stripe.refund";
// Stripe keeps an idempotency key for 24 hours; past 23 a repeat might not be recognised, so the
// plugin looks the refund up instead of sending again.
constexpr std::int64_t kKeyWindowMs = 23LL * 3600 * 1000;

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char ch) { return char(std::tolower(ch)); });
    return text;
}

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char ch) { return char(std::toupper(ch)); });
    return text;
}

// Where the refund goes: the payment_intent field, else the charge field.
std::pair<std::string, std::string> target(const v1::Case& c)
{
    if (const std::string* pi = findField(c, "payment_intent"); pi && !pi->empty())
        return { "payment_intent", *pi };
    if (const std::string* ch = findField(c, "charge"); ch && !ch->empty())
        return { "charge", *ch };
    return {};
}

bool isFinal(const std::string& status)
{
    return status == "succeeded" || status == "failed" || status == "canceled";
}

} // namespace

struct StripePlugin::Call {
    HttpResponse response;
    json body; // parsed when the body was JSON
};

StripePlugin::StripePlugin(core::StripePluginConfig config, std::string apiKey)
    : m_config(std::move(config))
    , m_apiKey(std::move(apiKey))
{
}

std::vector<core::ActionSpec> StripePlugin::offers(const v1::Case& c) const
{
    const bool typeFits = std::find(m_config.caseTypes.begin(), m_config.caseTypes.end(), c.type())
        != m_config.caseTypes.end();
    if (!typeFits || !c.has_amount() || c.amount().minor() <= 0 || target(c).first.empty())
        return {};
    core::ActionSpec spec;
    spec.action = kRefund;
    spec.label = "Refund via Stripe";
    spec.plugin = name();
    spec.roles = m_config.roles;
    json schema = {
        { "type", "object" },
        { "properties",
            { { "amount",
                  { { "type", "integer" }, { "description", "minor units" },
                      { "default", c.amount().minor() } } },
                { "currency",
                    { { "type", "string" }, { "default", lower(c.amount().currency()) } } },
                { target(c).first, { { "type", "string" }, { "default", target(c).second } } },
                { "reason",
                    { { "type", "string" },
                        { "enum", { "requested_by_customer", "duplicate", "fraudulent" } },
                        { "default", "requested_by_customer" } } } } },
    };
    spec.inputSchema = schema.dump();
    return { spec };
}

std::optional<std::vector<std::string>> StripePlugin::rolesFor(const std::string& action) const
{
    if (action != kRefund)
        return std::nullopt;
    return m_config.roles;
}

Expected<core::PlannedAction> StripePlugin::plan(const v1::Case& c, const std::string& action) const
{
    if (action != kRefund)
        return fail("action.unavailable", "the Stripe plugin offers stripe.refund only");
    const auto [param, id] = target(c);
    if (param.empty())
        return fail("stripe.no_payment",
            "the case names no payment_intent or charge field; add the Stripe payment to refund");
    if (!c.has_amount() || c.amount().minor() <= 0)
        return fail("stripe.no_amount", "the case has no amount to refund");
    // Everything that decides what the refund does is in the plan, and the plan is bound to the
    // approval's facts: the amount and the payment are material fields of the case.
    json plan = {
        { "method", "POST" },
        { "url", m_config.baseUrl + "/v1/refunds" },
        { "params",
            json::array({ json::array({ param, id }),
                json::array({ "amount", std::to_string(c.amount().minor()) }),
                json::array({ "reason", "requested_by_customer" }),
                json::array({ "metadata[latch_case]", c.id() }) }) },
        { "currency", lower(c.amount().currency()) },
    };
    core::PlannedAction planned;
    planned.plan = plan.dump();
    planned.summary = "Refund " + formatMoney(Money { c.amount().minor(), c.amount().currency() })
        + " of " + id + " via Stripe";
    return planned;
}

StripePlugin::Call StripePlugin::post(
    const std::string& url, const std::string& form, const std::string& key) const
{
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = { { "Authorization", "Bearer " + m_apiKey },
        { "Content-Type", "application/x-www-form-urlencoded" }, { "Idempotency-Key", key } };
    request.body = form;
    request.timeout = m_config.timeout;
    Call call { httpCall(request), {} };
    call.body = json::parse(call.response.body, nullptr, false);
    return call;
}

StripePlugin::Call StripePlugin::get(const std::string& pathAndQuery) const
{
    HttpRequest request;
    request.url = m_config.baseUrl + pathAndQuery;
    request.headers = { { "Authorization", "Bearer " + m_apiKey } };
    request.timeout = m_config.timeout;
    Call call { httpCall(request), {} };
    call.body = json::parse(call.response.body, nullptr, false);
    return call;
}

v1::ActionFinished StripePlugin::run(const RunRequest& request)
{
    const std::string& key = request.requested.idempotency_key();
    v1::ActionFinished out;
    out.set_action(request.requested.action());
    out.set_idempotency_key(key);

    const json plan = json::parse(request.requested.plan(), nullptr, false);
    const std::string url = plan.is_object() && plan.contains("url") && plan["url"].is_string()
        ? plan["url"].get<std::string>()
        : std::string();
    if (url.empty() || !plan.contains("params") || !plan["params"].is_array()) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("stripe.bad_plan");
        out.set_message("the recorded plan is not readable; nothing was sent");
        return out;
    }
    std::vector<std::pair<std::string, std::string>> params;
    std::string paymentParam;
    std::string paymentId;
    for (const auto& p : plan["params"]) {
        params.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
        if (params.back().first == "payment_intent" || params.back().first == "charge") {
            paymentParam = params.back().first;
            paymentId = params.back().second;
        }
    }
    // The key travels in the metadata too, so a later look-up can find this run's refund.
    params.emplace_back("metadata[latch_key]", key);
    const std::string form = formEncode(params);
    // Exactly the planned request: the URL as planned, its parameters plus the key.
    out.set_request("POST " + url + "\nIdempotency-Key: " + key
        + "\nContent-Type: application/x-www-form-urlencoded\n\n" + form);

    RunControl* control = request.control;
    const auto canceled = [&] { return control && control->canceled(); };
    RetryPolicy retry(m_config.maxAttempts, m_config.retryBase, request.stopping);
    if (control)
        retry.stopAlsoOn(control->cancelFlag());
    auto record = [&](const Call& call) {
        out.set_http_status(call.response.status);
        out.set_response(call.response.body);
    };

    // Follows a refund to a final status (or until followFor) and fills the outcome from it.
    auto follow = [&](json refund) {
        const auto deadline = std::chrono::steady_clock::now() + m_config.followFor;
        std::string status = refund.value("status", "");
        const std::string id = refund.value("id", "");
        RetryPolicy poll(
            1000000, std::chrono::milliseconds(250), request.stopping, std::chrono::seconds(5));
        // Following only looks: a cancel ends it, and the refund's status as last seen stands.
        if (control)
            poll.stopAlsoOn(control->cancelFlag());
        while (!isFinal(status) && std::chrono::steady_clock::now() < deadline) {
            if (!poll.next() || !poll.wait(std::chrono::milliseconds(0), deadline))
                break;
            Call call = get("/v1/refunds/" + id);
            if (call.response.ok() && call.response.status == 200 && call.body.is_object()) {
                refund = call.body;
                status = refund.value("status", status);
                record(call);
            }
        }
        out.set_external_id(id);
        out.set_external_status(status);
        if (status == "succeeded") {
            out.set_state(v1::ACTION_STATE_SUCCEEDED);
            out.set_message("Stripe refunded "
                + formatMoney(Money {
                    refund.value("amount", std::int64_t(0)), upper(refund.value("currency", "")) })
                + " (" + id + ")");
        } else if (status == "failed" || status == "canceled") {
            out.set_state(v1::ACTION_STATE_FAILED);
            out.set_code("stripe.refund_" + status);
            out.set_message("Stripe reports refund " + id + " as " + status
                + (refund.contains("failure_reason") && refund["failure_reason"].is_string()
                        ? " (" + refund["failure_reason"].get<std::string>() + ")"
                        : std::string()));
        } else {
            out.set_state(v1::ACTION_STATE_UNKNOWN);
            out.set_code("stripe.refund_pending");
            out.set_message("Stripe accepted refund " + id
                + (canceled() ? " before the cancel" : "") + " but still reports it as " + status
                + "; its final status is not known yet");
        }
    };
    // Stopped by a cancel with nothing done at Stripe: the run failed, and says why.
    auto canceledResult = [&](const std::string& why) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("action.canceled");
        out.set_message(why);
        return out;
    };

    // Looks for this run's refund at Stripe: true when the look-up answered (found or not).
    auto reconcile = [&](json& found) {
        // The payment id comes from a case field: encoded, whatever it holds.
        Call call
            = get("/v1/refunds?" + formEncode({ { paymentParam, paymentId }, { "limit", "100" } }));
        if (!call.response.ok() || call.response.status != 200 || !call.body.is_object())
            return false;
        for (const auto& refund : call.body.value("data", json::array())) {
            if (refund.contains("metadata") && refund["metadata"].value("latch_key", "") == key)
                found = refund;
        }
        return true;
    };

    if (nowMs() - request.requestedMs > kKeyWindowMs) {
        json found;
        if (reconcile(found) && found.is_object()) {
            out.set_attempts(0);
            follow(found);
            return out;
        }
    }
    // A call may have reached Stripe without an answer we could use. A resumed run starts open:
    // the server that stopped may have sent it.
    bool outcomeOpen = control && control->callMade();
    std::string lastProblem = outcomeOpen ? "an earlier start of the server may have sent it" : "";
    while (retry.next()) {
        if (control && !control->beginCall())
            break; // canceled: this call is not made
        Call call = post(url, form, key);
        out.set_attempts(retry.attempts());
        std::chrono::milliseconds hint(0);
        if (call.response.transport == HttpResponse::Transport::Connect) {
            lastProblem = call.response.error;
        } else if (call.response.transport == HttpResponse::Transport::Sent) {
            outcomeOpen = true;
            lastProblem = call.response.error;
        } else if (call.response.status >= 200 && call.response.status < 300) {
            record(call);
            if (!call.body.is_object() || call.body.value("object", "") != "refund") {
                out.set_state(v1::ACTION_STATE_UNKNOWN);
                out.set_code("stripe.bad_response");
                out.set_message("Stripe answered " + std::to_string(call.response.status)
                    + " with something that is not a refund");
                return out;
            }
            follow(call.body);
            return out;
        } else if (call.response.status == 429 || call.response.status == 409
            || call.response.status >= 500) {
            // 5xx: Stripe may have acted; 409: the same key is being processed; 429: slow down.
            record(call);
            outcomeOpen = outcomeOpen || call.response.status != 429;
            lastProblem = "HTTP " + std::to_string(call.response.status);
            hint = RetryPolicy::retryAfter(call.response.header("retry-after"));
        } else {
            record(call);
            const json error
                = call.body.is_object() ? call.body.value("error", json::object()) : json::object();
            const std::string code = error.value(
                "code", error.value("type", "http_" + std::to_string(call.response.status)));
            out.set_state(v1::ACTION_STATE_FAILED);
            out.set_code("stripe." + code);
            out.set_message("Stripe refused the refund: "
                + error.value("message", "HTTP " + std::to_string(call.response.status)));
            return out;
        }
        spdlog::warn("stripe.refund {} attempt {}: {}", key, retry.attempts(), lastProblem);
        if (!retry.wait(hint))
            break;
    }
    if (request.stopping && request.stopping->load()) {
        out.set_state(v1::ACTION_STATE_UNSPECIFIED);
        return out;
    }
    if (!outcomeOpen && canceled()) {
        return canceledResult(out.attempts() == 0
                ? "nothing was sent to Stripe"
                : "Stripe did not act on the "
                    + (out.attempts() == 1 ? std::string("one call")
                                           : std::to_string(out.attempts()) + " calls")
                    + " made (" + lastProblem + "); nothing was refunded");
    }
    if (!outcomeOpen) {
        out.set_state(v1::ACTION_STATE_FAILED);
        out.set_code("stripe.unreachable");
        out.set_message("Stripe could not be reached after " + std::to_string(retry.attempts())
            + " attempts (" + lastProblem + "); nothing was sent");
        return out;
    }
    // From here the outcome is looked up, never sent for again: a cancel stopped the retries, or
    // they are used up.
    json found;
    if (!reconcile(found)) {
        out.set_state(v1::ACTION_STATE_UNKNOWN);
        out.set_code("stripe.outcome_unknown");
        out.set_message("Stripe did not answer the refund (" + lastProblem + ")"
            + (canceled() ? ", the run was canceled," : "")
            + " and could not be asked whether it happened; check the payment in Stripe");
        return out;
    }
    if (found.is_object()) {
        follow(found);
        return out;
    }
    if (canceled())
        return canceledResult("Stripe did not complete the refund before the cancel ("
            + lastProblem + "), and lists no refund for this run: nothing was refunded");
    out.set_state(v1::ACTION_STATE_FAILED);
    out.set_code("stripe.unavailable");
    out.set_message("Stripe did not complete the refund after " + std::to_string(retry.attempts())
        + " attempts (" + lastProblem
        + "), and lists no refund for this run: nothing was refunded");
    return out;
}

} // namespace latch::plugins
