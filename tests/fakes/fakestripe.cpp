#include "fakestripe.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <openssl/evp.h>
#include <set>

namespace latch::fakes {

namespace {

const std::set<std::string, std::less<>> kRefundStatuses
    = { "pending", "requires_action", "succeeded", "failed", "canceled" };
// Statuses whose amount is spoken for: a failed or canceled refund gives its amount back.
const std::set<std::string, std::less<>> kHoldingStatuses
    = { "pending", "requires_action", "succeeded" };
const std::set<std::string, std::less<>> kReasons
    = { "duplicate", "fraudulent", "requested_by_customer" };
// Parameters of POST /v1/refunds that Stripe knows; the fake acts on the first four.
const std::set<std::string, std::less<>> kCreateParams
    = { "payment_intent", "charge", "amount", "reason", "currency", "customer",
          "instructions_email", "origin", "refund_application_fee", "reverse_transfer" };

constexpr const char* kNoKeyMessage
    = "You did not provide an API key. You need to provide your API key in the Authorization "
      "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
      "https://stripe.com/docs/api#authentication for details, or we can help at "
      "https://support.stripe.com/.";

std::int64_t unixNow()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

// Stripe repeats a wrong key with its middle starred out: the "sk_test_" prefix and the last
// four characters stay.
std::string maskKey(const std::string& key)
{
    std::size_t prefix = 0;
    if (key.size() > 3 && key[2] == '_') {
        const auto second = key.find('_', 3);
        if (second != std::string::npos)
            prefix = second + 1;
    }
    const std::size_t keep = key.size() >= prefix + 8 ? 4 : 0;
    return key.substr(0, prefix) + std::string(key.size() - prefix - keep, '*')
        + key.substr(key.size() - keep);
}

std::optional<std::string> base64Decode(std::string_view in)
{
    if (in.empty() || in.size() % 4 != 0)
        return std::nullopt;
    std::string out(in.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    if (written < 0)
        return std::nullopt;
    const std::size_t padding = in.ends_with("==") ? 2 : in.ends_with('=') ? 1 : 0;
    out.resize(static_cast<std::size_t>(written) - padding);
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return text;
}

// "$15.00" for Stripe's amount messages (two-decimal currencies).
std::string money(std::int64_t minor, const std::string& currency)
{
    const std::string symbol = currency == "usd" ? "$"
        : currency == "eur"                      ? "€"
        : currency == "gbp"                      ? "£"
                                                 : currency + " ";
    char digits[48];
    std::snprintf(digits, sizeof digits, "%lld.%02lld", static_cast<long long>(minor / 100),
        static_cast<long long>(minor % 100));
    return symbol + digits;
}

std::optional<std::int64_t> parseInteger(const std::string& text)
{
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// POST /v1/refunds parameters once read and checked.
struct RefundParams {
    std::string intentId;
    std::string chargeId;
    std::optional<std::int64_t> amount; // nullopt: whatever is left to refund
    std::string reason;
    std::map<std::string, std::string> metadata;
};

Response invalidRequest(
    const std::string& message, const std::string& code = {}, const std::string& param = {})
{
    return FakeStripe::errorResponse(400, "invalid_request_error", message, code, param);
}

// Stripe's parameter validation, which runs before the endpoint does: the refusal, if any.
std::optional<Response> readRefundParams(const FormParams& form, RefundParams& out)
{
    std::optional<std::string> amountText;
    for (const auto& [name, value] : form) {
        if (name.starts_with("metadata[") && name.ends_with(']')) {
            const auto field = name.substr(9, name.size() - 10);
            if (value.empty())
                out.metadata.erase(field); // an empty value unsets a key
            else
                out.metadata[field] = value;
        } else if (name == "metadata" && value.empty()) {
            out.metadata.clear();
        } else if (name.starts_with("expand[")) {
            continue;
        } else if (!kCreateParams.contains(name)) {
            return invalidRequest("Received unknown parameter: " + name, "parameter_unknown", name);
        } else if (name == "payment_intent") {
            out.intentId = value;
        } else if (name == "charge") {
            out.chargeId = value;
        } else if (name == "amount") {
            amountText = value;
        } else if (name == "reason") {
            out.reason = value;
        }
    }
    if (out.intentId.empty() && out.chargeId.empty())
        return invalidRequest("One of the following params should be provided for this request: "
                              "payment_intent or charge.",
            "parameter_missing");
    if (!out.intentId.empty() && !out.chargeId.empty())
        return invalidRequest(
            "You may only specify one of these parameters: charge, payment_intent.");
    if (amountText) {
        out.amount = parseInteger(*amountText);
        if (!out.amount)
            return invalidRequest(
                "Invalid integer: " + *amountText, "parameter_invalid_integer", "amount");
        if (*out.amount <= 0)
            return invalidRequest("This value must be greater than or equal to 1.",
                "parameter_invalid_integer", "amount");
    }
    if (!out.reason.empty() && !kReasons.contains(out.reason))
        return invalidRequest(
            "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", {},
            "reason");
    return std::nullopt;
}

// Where a page of a newest-first list starts and ends, Stripe's cursor style: the `limit` items
// after `startingAfter` or, when `endingBefore` is set, the `limit` items just before it.
// nullopt when the cursor names no item of the list.
struct PageBounds {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool hasMore = false;
};

template <class Item>
std::optional<PageBounds> pageBounds(const std::vector<const Item*>& items,
    const std::string& startingAfter, const std::string& endingBefore, std::size_t limit)
{
    const auto position = [&](const std::string& id) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i]->id == id)
                return i;
        return std::nullopt;
    };
    PageBounds page { 0, items.size(), false };
    if (!endingBefore.empty()) {
        const auto at = position(endingBefore);
        if (!at)
            return std::nullopt;
        page.end = *at;
        page.begin = page.end > limit ? page.end - limit : 0;
        page.hasMore = page.begin > 0;
        return page;
    }
    if (!startingAfter.empty()) {
        const auto at = position(startingAfter);
        if (!at)
            return std::nullopt;
        page.begin = *at + 1;
    }
    page.hasMore = page.end - page.begin > limit;
    page.end = std::min(page.end, page.begin + limit);
    return page;
}

} // namespace

FakeStripe::FakeStripe()
    : FakeHttpServer([this](const Request& request) { return handle(request, std::nullopt); },
        [this](const Request& request, Response injected) {
            return handle(request, std::move(injected));
        })
    , m_random(std::random_device {}())
{
}

FakeStripe::~FakeStripe()
{
    stop(); // the handler reads members below; no request may run while they go
}

void FakeStripe::setApiKey(std::string key)
{
    std::lock_guard lock(m_stateMutex);
    m_apiKey = std::move(key);
}

std::string FakeStripe::apiKey() const
{
    std::lock_guard lock(m_stateMutex);
    return m_apiKey;
}

std::string FakeStripe::addPaymentIntent(
    std::string id, std::int64_t amountMinor, std::string currency)
{
    std::lock_guard lock(m_stateMutex);
    PaymentIntent intent { id, newId("ch_", 24), amountMinor, std::move(currency) };
    m_intents[std::move(id)] = intent;
    return intent.charge;
}

std::optional<FakeStripe::PaymentIntent> FakeStripe::paymentIntent(const std::string& id) const
{
    std::lock_guard lock(m_stateMutex);
    const auto it = m_intents.find(id);
    return it == m_intents.end() ? std::nullopt : std::optional(it->second);
}

void FakeStripe::setInitialRefundStatus(std::string status)
{
    std::lock_guard lock(m_stateMutex);
    m_initialStatus = std::move(status);
}

void FakeStripe::forgetIdempotencyKeys()
{
    std::lock_guard lock(m_stateMutex);
    m_saved.clear();
}

std::vector<FakeStripe::Refund> FakeStripe::refunds() const
{
    std::lock_guard lock(m_stateMutex);
    return m_refunds;
}

std::optional<FakeStripe::Refund> FakeStripe::refund(const std::string& id) const
{
    std::lock_guard lock(m_stateMutex);
    const auto it = std::find_if(
        m_refunds.begin(), m_refunds.end(), [&](const Refund& r) { return r.id == id; });
    return it == m_refunds.end() ? std::nullopt : std::optional(*it);
}

nlohmann::ordered_json FakeStripe::toJson(const Refund& refund)
{
    nlohmann::ordered_json json;
    json["id"] = refund.id;
    json["object"] = "refund";
    json["amount"] = refund.amount;
    json["balance_transaction"] = refund.status == "requires_action"
        ? nlohmann::ordered_json()
        : nlohmann::ordered_json("txn_" + refund.id.substr(3));
    json["charge"] = refund.charge;
    json["created"] = refund.created;
    json["currency"] = refund.currency;
    if (refund.status == "failed")
        json["failure_reason"] = refund.failureReason;
    json["metadata"] = nlohmann::ordered_json::object();
    for (const auto& [key, value] : refund.metadata)
        json["metadata"][key] = value;
    json["payment_intent"] = refund.paymentIntent;
    json["reason"]
        = refund.reason.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(refund.reason);
    json["receipt_number"] = nullptr;
    json["source_transfer_reversal"] = nullptr;
    json["status"] = refund.status;
    json["transfer_reversal"] = nullptr;
    return json;
}

Response FakeStripe::errorResponse(unsigned status, const std::string& type,
    const std::string& message, const std::string& code, const std::string& param)
{
    nlohmann::json error = { { "type", type }, { "message", message } };
    if (!code.empty()) {
        error["code"] = code;
        std::string page = code;
        std::replace(page.begin(), page.end(), '_', '-');
        error["doc_url"] = "https://stripe.com/docs/error-codes/" + page;
    }
    if (!param.empty())
        error["param"] = param;
    nlohmann::json body;
    body["error"] = std::move(error);
    return Response::json(status, body);
}

std::string FakeStripe::newId(const char* prefix, std::size_t length)
{
    static constexpr char alphabet[]
        = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 2);
    std::string id = prefix;
    for (std::size_t i = 0; i < length; ++i)
        id.push_back(alphabet[pick(m_random)]);
    return id;
}

std::int64_t FakeStripe::refundable(const PaymentIntent& intent) const
{
    std::int64_t left = intent.amount;
    for (const auto& refund : m_refunds)
        if (refund.paymentIntent == intent.id && kHoldingStatuses.contains(refund.status))
            left -= refund.amount;
    return left;
}

std::optional<Response> FakeStripe::authenticate(const Request& request) const
{
    std::string key;
    if (const auto header = request.header("Authorization")) {
        const std::string_view value = trim(*header);
        const auto space = value.find(' ');
        const auto scheme = value.substr(0, space);
        const auto credentials
            = space == std::string_view::npos ? std::string_view() : trim(value.substr(space));
        if (equalsIgnoringCase(scheme, "Bearer")) {
            key = std::string(credentials);
        } else if (equalsIgnoringCase(scheme, "Basic")) {
            // curl -u sk_test_...: sends the key as the user name and no password.
            if (const auto decoded = base64Decode(credentials))
                key = decoded->substr(0, decoded->find(':'));
        }
    }
    if (key == m_apiKey)
        return std::nullopt;
    auto refused = errorResponse(401, "invalid_request_error",
        key.empty() ? std::string(kNoKeyMessage) : "Invalid API Key provided: " + maskKey(key));
    refused.setHeader("WWW-Authenticate", "Basic realm=\"Stripe\"");
    return refused;
}

Response FakeStripe::handle(const Request& request, const std::optional<Response>& injected)
{
    if (injected && injected->status == 429)
        return *injected; // refused at the door: never reaches the idempotency layer
    std::lock_guard lock(m_stateMutex);
    const auto path = request.path();
    Response response;
    if (auto refused = authenticate(request)) {
        response = std::move(*refused);
    } else if (request.method == "POST" && path == "/v1/refunds") {
        return createRefund(request, injected); // sets its own Request-Id
    } else if (injected) {
        response = *injected;
    } else if (request.method == "GET" && path == "/v1/refunds") {
        response = listRefunds(request);
    } else if (request.method == "GET" && path.starts_with("/v1/refunds/")
        && path.find('/', 12) == std::string::npos) {
        response = retrieveRefund(path.substr(12));
    } else {
        response = errorResponse(404, "invalid_request_error",
            "Unrecognized request URL (" + request.method + ": " + path
                + "). Please see https://stripe.com/docs or we can help at "
                  "https://support.stripe.com/.");
    }
    response.setHeader("Request-Id", newId("req_", 14));
    return response;
}

Response FakeStripe::createRefund(const Request& request, const std::optional<Response>& injected)
{
    const auto key = request.header("Idempotency-Key");
    FormParams params = parseForm(request.body);
    std::sort(params.begin(), params.end());
    if (key && key->size() > 255) {
        auto refused = errorResponse(400, "invalid_request_error",
            "Invalid Idempotency-Key: must be at most 255 characters.");
        refused.setHeader("Request-Id", newId("req_", 14));
        return refused;
    }
    if (key) {
        if (const auto saved = m_saved.find(*key); saved != m_saved.end()) {
            const SavedAnswer& first = saved->second;
            if (first.method != request.method || first.path != request.path()
                || first.params != params) {
                auto refused = errorResponse(400, "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters they "
                    "were first used with. Try using a key other than '"
                        + *key + "' if you meant to execute a different request.");
                refused.setHeader("Request-Id", newId("req_", 14));
                return refused;
            }
            Response replay = first.response;
            replay.setHeader("Request-Id", newId("req_", 14));
            replay.setHeader("Original-Request", first.requestId);
            replay.setHeader("Idempotent-Replayed", "true");
            return replay;
        }
    }

    const std::string requestId = newId("req_", 14);
    EndpointResult result
        = injected ? EndpointResult { *injected, true } : refundFromParams(request);
    result.response.setHeader("Request-Id", requestId);
    if (key) {
        result.response.setHeader("Idempotency-Key", *key);
        if (result.save)
            m_saved[*key] = { request.method, request.path(), params, result.response, requestId };
    }
    return result.response;
}

FakeStripe::EndpointResult FakeStripe::refundFromParams(const Request& request)
{
    RefundParams params;
    if (auto refused = readRefundParams(parseForm(request.body), params))
        return { std::move(*refused), false };

    // From here on the endpoint runs: its answers are saved under the key.
    const PaymentIntent* intent = nullptr;
    if (!params.intentId.empty()) {
        const auto it = m_intents.find(params.intentId);
        if (it == m_intents.end())
            return { invalidRequest("No such payment_intent: '" + params.intentId + "'",
                "resource_missing", "payment_intent") };
        intent = &it->second;
    } else {
        const auto it = std::find_if(m_intents.begin(), m_intents.end(),
            [&](const auto& entry) { return entry.second.charge == params.chargeId; });
        if (it == m_intents.end())
            return { invalidRequest(
                "No such charge: '" + params.chargeId + "'", "resource_missing", "charge") };
        intent = &it->second;
    }
    const std::int64_t left = refundable(*intent);
    if (left <= 0)
        return { invalidRequest("Charge " + intent->charge + " has already been refunded.",
            "charge_already_refunded") };
    if (params.amount && *params.amount > left)
        return { invalidRequest("Refund amount (" + money(*params.amount, intent->currency)
                + ") is greater than unrefunded amount on charge (" + money(left, intent->currency)
                + ")",
            "amount_too_large", "amount") };

    Refund refund;
    refund.id = newId("re_", 24);
    refund.amount = params.amount.value_or(left);
    refund.currency = intent->currency;
    refund.paymentIntent = intent->id;
    refund.charge = intent->charge;
    refund.status = m_initialStatus;
    refund.reason = params.reason;
    refund.metadata = std::move(params.metadata);
    refund.created = unixNow();
    refund.idempotencyKey = request.header("Idempotency-Key").value_or("");
    m_refunds.push_back(refund);
    return { Response::json(200, toJson(refund)) };
}

Response FakeStripe::listRefunds(const Request& request) const
{
    std::string intentId, chargeId, after, before;
    std::int64_t limit = 10;
    for (const auto& [name, value] : parseForm(request.query())) {
        if (name == "payment_intent") {
            intentId = value;
        } else if (name == "charge") {
            chargeId = value;
        } else if (name == "starting_after") {
            after = value;
        } else if (name == "ending_before") {
            before = value;
        } else if (name == "limit") {
            const auto parsed = parseInteger(value);
            if (!parsed)
                return invalidRequest(
                    "Invalid integer: " + value, "parameter_invalid_integer", "limit");
            if (*parsed < 1 || *parsed > 100)
                return invalidRequest(
                    "This value must be between 1 and 100.", "parameter_invalid_integer", "limit");
            limit = *parsed;
        } else if (!name.starts_with("expand[") && !name.starts_with("created")) {
            return invalidRequest("Received unknown parameter: " + name, "parameter_unknown", name);
        }
    }
    std::vector<const Refund*> newestFirst;
    for (auto it = m_refunds.rbegin(); it != m_refunds.rend(); ++it)
        if ((intentId.empty() || it->paymentIntent == intentId)
            && (chargeId.empty() || it->charge == chargeId))
            newestFirst.push_back(&*it);

    const auto bounds = pageBounds(newestFirst, after, before, static_cast<std::size_t>(limit));
    if (!bounds)
        return invalidRequest("No such refund: '" + (before.empty() ? after : before) + "'",
            "resource_missing", before.empty() ? "starting_after" : "ending_before");
    nlohmann::ordered_json list;
    list["object"] = "list";
    list["data"] = nlohmann::ordered_json::array();
    for (std::size_t i = bounds->begin; i < bounds->end; ++i)
        list["data"].push_back(toJson(*newestFirst[i]));
    list["has_more"] = bounds->hasMore;
    list["url"] = "/v1/refunds";
    return Response::json(200, list);
}

Response FakeStripe::retrieveRefund(const std::string& id) const
{
    const auto it = std::find_if(
        m_refunds.begin(), m_refunds.end(), [&](const Refund& r) { return r.id == id; });
    if (it == m_refunds.end())
        return errorResponse(
            404, "invalid_request_error", "No such refund: '" + id + "'", "resource_missing", "id");
    return Response::json(200, toJson(*it));
}

bool FakeStripe::settle(
    const std::string& refundId, const std::string& status, const std::string& failureReason)
{
    std::string event;
    {
        std::lock_guard lock(m_stateMutex);
        const auto it = std::find_if(
            m_refunds.begin(), m_refunds.end(), [&](const Refund& r) { return r.id == refundId; });
        if (it == m_refunds.end() || !kRefundStatuses.contains(status))
            return false;
        const std::string previous = it->status;
        it->status = status;
        it->failureReason = status == "failed" ? failureReason : std::string();
        event = refundEvent(*it, previous);
    }
    if (m_webhooks.hasEndpoint())
        m_webhooks.send(event); // unlocked: the endpoint may call this fake back
    return true;
}

std::string FakeStripe::refundEvent(const Refund& refund, const std::string& previousStatus)
{
    nlohmann::ordered_json event;
    event["id"] = newId("evt_", 24);
    event["object"] = "event";
    event["api_version"] = "2024-06-20";
    event["created"] = unixNow();
    event["data"]["object"] = toJson(refund);
    event["data"]["previous_attributes"]["status"] = previousStatus;
    event["livemode"] = false;
    event["pending_webhooks"] = 1;
    event["request"]["id"] = nullptr;
    event["request"]["idempotency_key"] = nullptr;
    event["type"] = "refund.updated";
    return event.dump(2);
}

} // namespace latch::fakes
