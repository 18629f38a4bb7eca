#include "demoseed.h"

#include "core/accounts.h"
#include "core/engine.h"
#include "latch/ids.h"

#include <spdlog/spdlog.h>

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

std::string run(core::Service& service, const std::string& username, v1::Command command)
{
    command.set_command_id(newUuid());
    auto result = service.engine().submitAndWait(actorFor(service, username), command);
    if (!result.accepted())
        spdlog::warn("demo seed: {} refused: {}", username, result.message());
    return result.case_id();
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
    spdlog::info("demo data seeded: 4 cases; users admin, mkim, atorres, jlee, rpatel (password "
                 "\"{}\")",
                 demoPassword);
}

} // namespace latch
