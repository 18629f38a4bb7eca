#include "plugins/stripewebhook.h"

#include "latch/hashing.h"
#include "latch/ids.h"
#include "plugins/stripesignature.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace latch::plugins {

namespace {

using json = nlohmann::ordered_json;

constexpr std::array kHandled = { "refund.updated", "refund.failed", "charge.refund.updated" };
constexpr std::size_t kMaxEventId = 255;

core::WebhookDecision reply(unsigned status, std::string text)
{
    core::WebhookDecision d;
    d.reply = core::WebhookReply { status, std::move(text) };
    return d;
}

std::string text(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool usableEventId(const std::string& id)
{
    return !id.empty() && id.size() <= kMaxEventId
        && std::all_of(id.begin(), id.end(), [](char ch) { return ch > ' ' && ch < 0x7f; });
}

// What a refund's status means for the run that made it; UNSPECIFIED: not final yet.
v1::ActionState stateFor(const std::string& status)
{
    if (status == "succeeded")
        return v1::ACTION_STATE_SUCCEEDED;
    if (status == "failed" || status == "canceled")
        return v1::ACTION_STATE_FAILED;
    return v1::ACTION_STATE_UNSPECIFIED;
}

} // namespace

StripeWebhook::StripeWebhook(std::string secret, std::chrono::seconds tolerance)
    : m_secret(std::move(secret))
    , m_tolerance(tolerance)
{
}

std::string StripeWebhook::commandIdFor(const std::string& eventId)
{
    const std::string prefix = "stripe-event-";
    const bool plain = eventId.size() + prefix.size() <= 64
        && std::all_of(eventId.begin(), eventId.end(),
            [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
    // Command ids are at most 64 characters: a longer or odd id is represented by its hash.
    return prefix + (plain ? eventId : toHex(sha256(eventId)).substr(0, 48));
}

core::WebhookDecision StripeWebhook::receive(const core::WebhookCall& call) const
{
    const auto signature = call.header("Stripe-Signature");
    if (!signature || signature->empty())
        return reply(400, "missing Stripe-Signature header");
    const auto check
        = verifyStripeSignature(*signature, call.body, m_secret, call.nowMs / 1000, m_tolerance);
    if (check != SignatureCheck::Valid)
        return reply(400, std::string(describe(check)));

    json event = json::parse(call.body.begin(), call.body.end(), nullptr, false);
    if (event.is_discarded())
        return reply(400, "the body is not JSON");
    if (!event.is_object() || !usableEventId(text(event, "id")) || text(event, "type").empty())
        return reply(400, "the body is not a Stripe event (no id or type)");
    const std::string id = text(event, "id");
    const std::string type = text(event, "type");
    if (std::find(kHandled.begin(), kHandled.end(), type) == kHandled.end())
        return reply(200, "ignored: " + type + " events are not used");

    const json* refund = nullptr;
    if (const auto data = event.find("data"); data != event.end() && data->is_object()) {
        if (const auto object = data->find("object"); object != data->end() && object->is_object())
            refund = &*object;
    }
    if (!refund || text(*refund, "object") != "refund" || text(*refund, "id").empty()
        || text(*refund, "status").empty())
        return reply(400, "a " + type + " event without a refund (data.object)");
    const json metadata = refund->value("metadata", json::object());
    const std::string caseId = metadata.is_object() ? text(metadata, "latch_case") : std::string();
    if (!isUuid(caseId))
        return reply(200, "ignored: refund " + text(*refund, "id") + " was not made by Latch");
    const std::string status = text(*refund, "status");

    core::WebhookDecision d;
    d.actor = core::Actor { "plugin:stripe", "stripe", {} };
    v1::Command& command = d.commands.emplace_back();
    command.set_command_id(commandIdFor(id));
    auto* record = command.mutable_record_action();
    record->set_case_id(caseId);
    auto* updated = record->mutable_updated();
    updated->set_action("stripe.refund");
    updated->set_idempotency_key(text(metadata, "latch_key")); // empty: found by the refund's id
    updated->set_external_id(text(*refund, "id"));
    updated->set_external_status(status);
    updated->set_source("webhook:" + id);
    updated->set_state(stateFor(status));
    // The event as received, less the one field that changes between deliveries of it, so every
    // delivery makes the same command (and a repeat is recognised as one).
    event.erase("pending_webhooks");
    updated->set_detail(event.dump());
    return d;
}

core::WebhookReply StripeWebhook::answer(const std::vector<v1::CommandResult>& results) const
{
    const v1::CommandResult& result = results.front(); // one event, one command
    if (result.accepted())
        return { 200, result.replayed() ? "already recorded" : "recorded" };
    const std::string& code = result.code();
    // Not decided, not stored: Stripe sends it again later.
    if (code == "server.stopping" || code == "store.write" || code == "store.read")
        return { 503, "not recorded (" + code + "); send it again later" };
    // Decided and stored under the event's id: a repeat would be answered the same.
    return { 200, "ignored: " + code + ": " + result.message() };
}

} // namespace latch::plugins
