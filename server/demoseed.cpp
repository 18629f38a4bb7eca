#include "demoseed.h"

#include "core/accounts.h"
#include "core/engine.h"
#include "intake/intakeendpoint.h"
#include "latch/ids.h"

#include <spdlog/spdlog.h>
#include <string>
#include <utility>
#include <vector>

namespace latch {

namespace {

struct DemoUser {
    const char* username;
    const char* displayName;
    std::vector<std::string> roles;
};

core::Actor actorFor(core::Service& service, const std::string& username)
{
    auto actor = service.accounts().findActor(username);
    return actor ? *actor : core::Actor{username, username, {}};
}

std::string runAs(core::Service& service, const core::Actor& actor, v1::Command command)
{
    command.set_command_id(newUuid());
    auto result = service.engine().submitAndWait(actor, command);
    if (!result.accepted())
        spdlog::warn("demo seed: {} refused: {}", actor.id, result.message());
    return result.case_id();
}

std::string run(core::Service& service, const std::string& username, v1::Command command)
{
    return runAs(service, actorFor(service, username), std::move(command));
}

// A delivery as an intake endpoint records it: through the "intake" service actor, with the
// payload kept as evidence.
std::string deliver(core::Service& service, v1::Intake delivery, const std::string& evidenceName,
                    const std::string& contentType, const std::string& payload)
{
    *delivery.mutable_received()->add_evidence() = intake::makeEvidence(
        evidenceName, contentType, payload, service.config().intake.maxAttachmentBytes);
    v1::Command c;
    *c.mutable_intake() = std::move(delivery);
    return runAs(service, core::Actor{"intake", "intake", {}}, c);
}

v1::Field fact(const std::string& key, const std::string& value)
{
    v1::Field f;
    f.set_key(key);
    f.set_value(value);
    return f;
}

// The story's refund as it first arrives: an email from Acme Co's accounts payable, no type yet.
// The server's triage suggests refund on it and finds the amount, customer, order and email in the
// text; the suggestion waits on the case for a person to accept or override it.
void seedEmailedRefund(core::Service& service)
{
    const std::string subject = "Charged twice, please refund";
    const std::string text = "Hello,\n\nplease refund $2,400 for order #4821 — Acme Co was charged "
                             "twice for it.\n\nThanks,\nDana Whitfield\nAcme Co\n"
                             "billing@acme.example";
    const std::string messageId = "<demo-4821.1@mail.acme.example>";
    const std::string sender = "Dana Whitfield <billing@acme.example>";
    v1::Intake in;
    in.set_delivery_key(intake::deliveryKey("email", "support-mailbox", messageId));
    in.add_thread_keys("msg:" + messageId);
    in.mutable_create()->set_title(subject);
    in.mutable_create()->set_description(text);
    auto* r = in.mutable_received();
    r->set_channel("email");
    r->set_source("support-mailbox");
    r->set_delivery_id(messageId);
    r->set_summary(subject);
    r->set_text(text);
    r->set_sender(sender);
    const std::string eml = "From: " + sender + "\r\nTo: support@latch.example\r\nSubject: "
        + subject + "\r\nMessage-ID: " + messageId
        + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    deliver(service, in, "message.eml", "message/rfc822", eml);
}

// An Alertmanager alert, as /intake/alertmanager records one: an escalation, still firing.
void seedAlert(core::Service& service)
{
    const std::string fingerprint = "5f1c0a9d3e7b2c44";
    const std::string headline
        = "PaymentWebhookFailures: Stripe webhook deliveries failing for 15 minutes";
    const std::string description
        = "More than 20 % of Stripe webhook deliveries to billing-api returned 5xx in the last 15 "
          "minutes.\n\nLabels: alertname=PaymentWebhookFailures, service=billing-api, "
          "severity=critical";
    v1::Intake in;
    in.set_delivery_key(intake::deliveryKey("alertmanager", "prometheus", fingerprint + ":firing"));
    in.add_thread_keys("alert:prometheus:" + fingerprint);
    auto* create = in.mutable_create();
    create->set_type("escalation");
    create->set_title(headline);
    create->set_description(description);
    *create->add_fields() = fact("alert.fingerprint", fingerprint);
    *create->add_fields() = fact("alert.name", "PaymentWebhookFailures");
    *create->add_fields() = fact("alert.severity", "critical");
    auto* r = in.mutable_received();
    r->set_channel("alertmanager");
    r->set_source("prometheus");
    r->set_delivery_id(fingerprint);
    r->set_summary(headline);
    r->set_text(description);
    r->set_sender("latch");
    r->set_alert_status("firing");
    deliver(service, in, "alert.json", "application/json",
            R"({"status":"firing","labels":{"alertname":"PaymentWebhookFailures",)"
            R"("service":"billing-api","severity":"critical"},"fingerprint":")"
                + fingerprint + R"("})");
}

// A webhook delivery from the ERP, as /intake/webhook records one: a disputed invoice.
void seedWebhook(core::Service& service)
{
    const std::string payload
        = R"({"idempotency_key":"inv-77","title":"Invoice 77 disputed — Initech Supplies",)"
          R"("type":"invoice_dispute","customer":"Initech Supplies","order_ref":"INV-77",)"
          R"("amount":"1,180.00 USD","description":"Initech disputes the freight line of )"
          R"(invoice 77: charged twice."})";
    v1::Intake in;
    in.set_delivery_key(intake::deliveryKey("webhook", "erp", "inv-77"));
    auto* create = in.mutable_create();
    create->set_type("invoice_dispute");
    create->set_title("Invoice 77 disputed — Initech Supplies");
    create->set_customer("Initech Supplies");
    create->set_order_ref("INV-77");
    create->mutable_amount()->set_minor(118000);
    create->mutable_amount()->set_currency("USD");
    create->set_description("Initech disputes the freight line of invoice 77: charged twice.");
    auto* r = in.mutable_received();
    r->set_channel("webhook");
    r->set_source("erp");
    r->set_delivery_id("inv-77");
    r->set_summary(create->title());
    r->set_text(create->description());
    r->set_sender("erp");
    deliver(service, in, "payload.json", "application/json", payload);
}

std::string createCase(core::Service& service, const std::string& by, const std::string& type,
                       const std::string& title, const std::string& customer,
                       const std::string& order, std::int64_t minor, const std::string& currency)
{
    v1::Command c;
    auto* cc = c.mutable_create_case();
    cc->set_type(type);
    cc->set_title(title);
    cc->set_customer(customer);
    cc->set_order_ref(order);
    if (!currency.empty()) {
        cc->mutable_amount()->set_minor(minor);
        cc->mutable_amount()->set_currency(currency);
    }
    return run(service, by, c);
}

void note(core::Service& service, const std::string& by, const std::string& id,
          const std::string& text)
{
    v1::Command c;
    c.mutable_add_note()->set_case_id(id);
    c.mutable_add_note()->set_text(text);
    run(service, by, c);
}

void ready(core::Service& service, const std::string& by, const std::string& id)
{
    v1::Command c;
    c.mutable_mark_ready()->set_case_id(id);
    run(service, by, c);
}

} // namespace

void seedDemoUsers(core::Service& service)
{
    const std::vector<DemoUser> users = {
        {"mkim", "M. Kim", {"support_lead"}},
        {"atorres", "A. Torres", {"finance"}},
        {"jlee", "J. Lee", {"operator"}},
        {"rpatel", "R. Patel", {"finance"}},
        {"admin", "Administrator", {"admin"}},
    };
    for (const auto& u : users) {
        if (service.accounts().findActor(u.username))
            continue;
        auto ok = service.accounts().createUser("system", u.username, u.displayName, u.roles,
                                                demoPassword);
        if (!ok)
            spdlog::warn("demo seed: user {}: {}", u.username, ok.failure().message);
    }

}

void seedDemoCases(core::Service& service)
{
    if (service.headSeq() > 0)
        return;
    // The refund from the story, waiting for M. Kim's review.
    const auto refund = createCase(service, "mkim", "refund", "Refund request — Acme Co order #4821",
                                   "Acme Co", "#4821", 240000, "USD");
    note(service, "mkim", refund, "Customer reports the unit arrived damaged; photos attached.");
    // A small refund that needs no second reviewer.
    const auto small = createCase(service, "jlee", "refund", "Refund — Globex order #1193",
                                  "Globex", "#1193", 4500, "USD");
    ready(service, "jlee", small);
    // A vendor bank change: two stages, finance then admin.
    const auto vendor = createCase(service, "mkim", "vendor_bank_change",
                                   "Vendor bank details change — Initech Supplies", "Initech Supplies",
                                   "", 0, "");
    note(service, "mkim", vendor, "Change requested by email; call-back to the known number done.");
    ready(service, "mkim", vendor);
    // An escalation with no approval rule.
    createCase(service, "jlee", "escalation", "Escalation — repeated delivery failures",
               "Umbrella Corp", "#5520", 0, "");
    // Cases that arrived by themselves: an email with triage's suggestion waiting for a person,
    // an alert and a webhook delivery.
    seedWebhook(service);
    seedAlert(service);
    seedEmailedRefund(service);
    spdlog::info("demo data seeded: 7 cases; users admin, mkim, atorres, jlee, rpatel (password "
                 "\"{}\")",
                 demoPassword);
}

} // namespace latch
