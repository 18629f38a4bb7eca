#include "intake/alertmanagerintake.h"

#include "latch/ids.h"

#include <nlohmann/json.hpp>

namespace latch::intake {

namespace {

using json = nlohmann::json;

std::string member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string clip(std::string text, std::size_t limit)
{
    if (text.size() > limit) {
        text.resize(limit - 3);
        // Never cut a UTF-8 sequence in half.
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
            text.pop_back();
        if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
            text.pop_back();
        text += "...";
    }
    return text;
}

} // namespace

AlertmanagerIntake::AlertmanagerIntake(const core::Config& config,
                                       std::map<std::string, SourceSecrets> secrets)
    : IntakeEndpoint(config, std::move(secrets), core::IntakeChannel::Alertmanager, kPath)
{
}

core::WebhookDecision AlertmanagerIntake::deliver(const core::IntakeSourceConfig& source,
                                                  const core::WebhookCall& call) const
{
    const json body = json::parse(call.body.begin(), call.body.end(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return errorDecision(400, "intake.malformed", "the body is not an Alertmanager notification (JSON object)");
    const auto alerts = body.find("alerts");
    if (alerts == body.end() || !alerts->is_array() || alerts->empty())
        return errorDecision(400, "intake.malformed", "the notification has no alerts");
    if (alerts->size() > kMaxAlerts)
        return errorDecision(413, "intake.too_large",
                             "a notification carries at most " + std::to_string(kMaxAlerts)
                                 + " alerts; lower max_alerts in Alertmanager's webhook_config");
    const std::string version = member(body, "version");
    if (!version.empty() && version != "4")
        return errorDecision(400, "intake.malformed",
                             "payload version " + version + " is not supported; expected 4");

    core::WebhookDecision d;
    for (std::size_t i = 0; i < alerts->size(); ++i) {
        const json& alert = (*alerts)[i];
        const std::string at = "alerts[" + std::to_string(i) + "]";
        if (!alert.is_object())
            return errorDecision(400, "intake.malformed", at + " is not an object");
        const std::string fingerprint = member(alert, "fingerprint");
        const std::string status = member(alert, "status");
        if (fingerprint.empty() || fingerprint.size() > 200)
            return errorDecision(400, "intake.malformed", at + " has no fingerprint");
        if (status != "firing" && status != "resolved")
            return errorDecision(400, "intake.malformed",
                                 at + ".status must be firing or resolved");
        const json labels = alert.value("labels", json::object());
        const json annotations = alert.value("annotations", json::object());
        if (!labels.is_object() || !annotations.is_object())
            return errorDecision(400, "intake.malformed", at + ": labels and annotations must be objects");
        const std::string name = member(labels, "alertname");
        const std::string summary = member(annotations, "summary");
        const std::string headline = clip(
            (name.empty() ? std::string("Alert") : name) + (summary.empty() ? "" : ": " + summary),
            190);

        std::string description = member(annotations, "description");
        std::string labelText;
        for (const auto& [key, value] : labels.items()) {
            if (value.is_string())
                labelText += (labelText.empty() ? "" : ", ") + key + "=" + value.get<std::string>();
        }
        if (!labelText.empty())
            description += (description.empty() ? "" : "\n\n") + std::string("Labels: ") + labelText;
        if (const std::string url = member(alert, "generatorURL"); !url.empty())
            description += "\nSource: " + url;

        v1::Command command;
        command.set_command_id(newUuid());
        auto* intake = command.mutable_intake();
        // Every notification is its own delivery (a repeat is news: still firing); the
        // fingerprint threads them onto one case.
        intake->set_delivery_key(deliveryKey(
            "alertmanager", source.name,
            fingerprint + ":" + status + ":" + member(alert, "startsAt") + ":" + command.command_id()));
        intake->add_thread_keys("alert:" + source.name + ":" + fingerprint);
        intake->set_join_closed(status == "resolved");
        auto* create = intake->mutable_create();
        create->set_title(headline);
        create->set_type(source.type.empty() ? "escalation" : source.type);
        create->set_queue(source.queue);
        create->set_description(clip(description, 10'000));
        auto field = [&](const char* key, const std::string& value) {
            if (value.empty())
                return;
            auto* f = create->add_fields();
            f->set_key(key);
            f->set_value(clip(value, 1000));
        };
        field("alert.fingerprint", fingerprint);
        field("alert.name", name);
        field("alert.severity", member(labels, "severity"));

        auto* received = intake->mutable_received();
        received->set_channel("alertmanager");
        received->set_source(source.name);
        received->set_delivery_id(fingerprint);
        received->set_summary(headline);
        received->set_text(clip(description, 10'000));
        received->set_sender(member(body, "receiver").empty() ? source.name : member(body, "receiver"));
        received->set_alert_status(status);
        json evidence = alert;
        for (const char* key : {"groupKey", "receiver", "externalURL", "status"}) {
            if (body.contains(key))
                evidence["notification"][key] = body[key];
        }
        *received->add_evidence() = makeEvidence("alert.json", "application/json",
                                                 evidence.dump(2), m_config.intake.maxAttachmentBytes);
        d.commands.push_back(std::move(command));
    }
    return d;
}

} // namespace latch::intake
