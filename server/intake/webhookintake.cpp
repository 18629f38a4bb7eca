#include "intake/webhookintake.h"

#include "latch/money.h"

#include <nlohmann/json.hpp>

#include <set>

namespace latch::intake {

namespace {

using json = nlohmann::json;

const std::set<std::string>& knownKeys()
{
    static const std::set<std::string> keys{"idempotency_key", "title", "type", "description",
        "customer", "order_ref", "amount", "sender", "thread", "fields"};
    return keys;
}

// A string member, or an error naming it.
std::optional<std::string> stringAt(const json& body, const char* key, std::string& error)
{
    const auto it = body.find(key);
    if (it == body.end() || it->is_null())
        return std::string();
    if (!it->is_string()) {
        error = std::string(key) + " must be a string";
        return std::nullopt;
    }
    return it->get<std::string>();
}

} // namespace

WebhookIntake::WebhookIntake(const core::Config& config,
                             std::map<std::string, SourceSecrets> secrets)
    : IntakeEndpoint(config, std::move(secrets), core::IntakeChannel::Webhook, kPath)
{
}

core::WebhookDecision WebhookIntake::deliver(const core::IntakeSourceConfig& source,
                                             const core::WebhookCall& call) const
{
    const json body = json::parse(call.body.begin(), call.body.end(), nullptr, false);
    if (body.is_discarded())
        return errorDecision(400, "intake.malformed", "the body is not valid JSON");
    if (!body.is_object())
        return errorDecision(400, "intake.malformed", "the body must be a JSON object");
    for (const auto& [key, value] : body.items()) {
        if (!knownKeys().count(key))
            return errorDecision(400, "intake.malformed",
                                 "unknown key '" + key + "'; see docs/intake.md for the schema");
    }
    std::string error;
    std::map<std::string, std::string> text;
    for (const char* key : {"idempotency_key", "title", "type", "description", "customer",
                            "order_ref", "amount", "sender", "thread"}) {
        auto value = stringAt(body, key, error);
        if (!value)
            return errorDecision(400, "intake.malformed", error);
        text[key] = std::move(*value);
    }
    std::string key = text["idempotency_key"];
    if (key.empty()) {
        if (auto header = call.header("Idempotency-Key"))
            key = *header;
    }
    if (key.empty() || key.size() > 200)
        return errorDecision(400, "intake.malformed",
                             "idempotency_key (or an Idempotency-Key header) of 1 to 200 "
                             "characters is required, so a retried delivery is recognised");
    if (text["title"].empty())
        return errorDecision(400, "intake.malformed", "title is required");

    v1::Command command;
    auto* intake = command.mutable_intake();
    intake->set_delivery_key(deliveryKey("webhook", source.name, key));
    if (!text["thread"].empty())
        intake->add_thread_keys(deliveryKey("thread", source.name, text["thread"]));
    auto* create = intake->mutable_create();
    create->set_title(text["title"]);
    create->set_type(text["type"].empty() ? source.type : text["type"]);
    create->set_queue(source.queue);
    create->set_description(text["description"]);
    create->set_customer(text["customer"]);
    create->set_order_ref(text["order_ref"]);
    if (!text["amount"].empty()) {
        auto money = parseMoney(text["amount"]);
        if (!money)
            return errorDecision(400, "intake.malformed",
                                 "amount: " + money.failure().message
                                     + " (write it like \"2,400.00 USD\")");
        create->mutable_amount()->set_minor(money->minor);
        create->mutable_amount()->set_currency(money->currency);
    }
    if (const auto fields = body.find("fields"); fields != body.end() && !fields->is_null()) {
        if (!fields->is_object())
            return errorDecision(400, "intake.malformed", "fields must be an object of strings");
        for (const auto& [name, value] : fields->items()) {
            if (!value.is_string())
                return errorDecision(400, "intake.malformed",
                                     "fields." + name + " must be a string");
            auto* f = create->add_fields();
            f->set_key(name);
            f->set_value(value.get<std::string>());
        }
    }
    auto* received = intake->mutable_received();
    received->set_channel("webhook");
    received->set_source(source.name);
    received->set_delivery_id(key);
    received->set_summary(text["title"]);
    received->set_text(text["description"]);
    received->set_sender(text["sender"].empty() ? source.name : text["sender"]);
    *received->add_evidence() = makeEvidence("payload.json", "application/json", call.body,
                                             m_config.intake.maxAttachmentBytes);
    core::WebhookDecision d;
    d.commands.push_back(std::move(command));
    return d;
}

} // namespace latch::intake
