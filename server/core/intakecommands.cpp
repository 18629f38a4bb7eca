#include "core/intakecommands.h"

#include "core/decisionkit.h"
#include "latch/casefold.h"
#include "latch/money.h"

#include <array>

namespace latch::core {

using namespace decision;

namespace {

constexpr std::size_t kMaxKey = 300;
constexpr int kMaxThreadKeys = 64;
constexpr int kMaxScores = 64;
constexpr std::size_t kMaxLlmText = 64 * 1024;

std::optional<std::string> extractedValue(const v1::TriageState& t, const std::string& key)
{
    for (const auto& f : t.extracted()) {
        if (f.key() == key && !f.value().empty())
            return f.value();
    }
    return std::nullopt;
}

} // namespace

bool validPriority(const std::string& priority)
{
    static constexpr std::array<std::string_view, 4> all{"low", "normal", "high", "urgent"};
    return std::find(all.begin(), all.end(), priority) != all.end();
}

Decision decideIntake(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const std::optional<v1::Case>& joined)
{
    const auto& in = command.intake();
    if (actor.id != "intake")
        return refuse({}, "command.not_allowed", actor.id + " cannot record intake deliveries");
    if (in.delivery_key().empty() || in.delivery_key().size() > kMaxKey)
        return refuse({}, "intake.bad_delivery", "a delivery needs a key of 1 to 300 characters");
    if (in.thread_keys_size() > kMaxThreadKeys)
        return refuse({}, "intake.bad_delivery", "a delivery names at most 64 thread keys");
    for (const auto& key : in.thread_keys()) {
        if (key.empty() || key.size() > kMaxKey)
            return refuse({}, "intake.bad_delivery", "thread keys are 1 to 300 characters");
    }
    if (in.received().channel().empty())
        return refuse({}, "intake.bad_delivery", "a delivery names its channel");
    if (in.received().text().size() > kMaxIntakeText)
        return refuse({}, "intake.too_large", "the message text is longer than 200,000 bytes");

    Decision d;
    if (joined) {
        d = accept(joined->id(), {});
    } else {
        v1::Command create;
        create.set_command_id(command.command_id());
        *create.mutable_create_case() = in.create();
        d = decideCreate(ctx, actor, create, std::nullopt);
        if (!d.accepted)
            return d;
    }
    v1::Event e = newEvent(actor, command, d.caseId);
    *e.mutable_intake_received() = in.received();
    d.events.push_back(std::move(e));
    d.threadKeys.push_back("delivery:" + in.delivery_key());
    // A message that quotes the case's reference ("[Latch #<id>]" in a subject) finds it.
    if (!joined)
        d.threadKeys.push_back("case:" + d.caseId);
    for (const auto& key : in.thread_keys())
        d.threadKeys.push_back(key);
    d.code = joined ? "intake.appended" : "intake.opened";
    d.message = joined ? "added to case " + d.caseId : "opened case " + d.caseId;
    return d;
}

Decision decideRecordTriage(const Actor& actor, const v1::Command& command, const v1::Case& c)
{
    const auto& s = command.record_triage().suggestion();
    if (actor.id != "triage")
        return refuse(c.id(), "command.not_allowed", "only triage records triage suggestions");
    if (!c.triage().decision().empty())
        return refuse(c.id(), "triage.decided",
                      "a person already decided on this case's type; the suggestion was not "
                      "recorded");
    if (c.status() == v1::CASE_STATUS_CLOSED)
        return refuse(c.id(), "case.closed", "the case is closed");
    if (s.model().empty() || s.model().size() > 200 || s.model_version().size() > 200
        || s.type().size() > 64 || s.scores_size() > kMaxScores || s.extracted_size() > 50
        || s.prompt().size() > kMaxLlmText || s.response().size() > kMaxLlmText
        || (!s.priority().empty() && !validPriority(s.priority())))
        return refuse(c.id(), "triage.bad_suggestion", "the triage suggestion is malformed");
    v1::Event e = newEvent(actor, command, c.id());
    *e.mutable_triage_suggested() = s;
    return accept(c.id(), {std::move(e)});
}

Decision decideTriageAnswer(const DecideContext& ctx, const Actor& actor,
                            const v1::Command& command, const v1::Case& c)
{
    const auto& cmd = command.decide_triage();
    const auto& t = c.triage();
    if (!actor.isPerson())
        return refuse(c.id(), "command.not_allowed",
                      actor.id + " cannot decide on triage; a person does");
    if (c.status() == v1::CASE_STATUS_CLOSED)
        return refuse(c.id(), "case.closed", "the case is closed; reopen it before changing it");
    if (t.suggestion_seq() == 0)
        return refuse(c.id(), "triage.none", "triage has made no suggestion for this case");
    if (!t.decision().empty())
        return refuse(c.id(), "triage.decided",
                      "triage on this case was already " + t.decision() + " by "
                          + t.decided_by());
    if (cmd.suggestion_seq() != 0 && cmd.suggestion_seq() != t.suggestion_seq())
        return refuse(c.id(), "triage.moved_on",
                      "triage made a newer suggestion since you loaded the case; look at it again");
    const std::string type = cmd.accept() ? t.type() : cmd.type();
    if (type.empty())
        return refuse(c.id(), "triage.no_type",
                      cmd.accept() ? "triage suggested no type; choose one to override it"
                                   : "choose the type the case should have");
    if (type.size() > 64)
        return refuse(c.id(), "case.bad_field", "a type is at most 64 characters");
    const std::string priority = cmd.priority().empty() ? t.priority() : cmd.priority();
    if (!priority.empty() && !validPriority(priority))
        return refuse(c.id(), "triage.bad_priority",
                      "priority must be one of low, normal, high or urgent");

    v1::Event e = newEvent(actor, command, c.id());
    auto* decided = e.mutable_triage_decided();
    decided->set_accepted(cmd.accept());
    decided->set_type(type);
    decided->set_suggested_type(t.type());
    decided->set_suggestion_seq(t.suggestion_seq());
    decided->set_priority(priority);
    std::vector<v1::Event> events{std::move(e)};

    // The person's decision is what changes the case: the chosen type, and the facts triage found
    // where the case has none yet. Facts someone already set are never overwritten.
    v1::Command set;
    set.set_command_id(command.command_id());
    auto* fields = set.mutable_set_fields();
    fields->set_case_id(c.id());
    if (type != c.type())
        fields->set_type(type);
    if (c.customer().empty()) {
        if (auto v = extractedValue(t, "customer"); v && v->size() <= 200)
            fields->set_customer(*v);
    }
    if (c.order_ref().empty()) {
        if (auto v = extractedValue(t, "order"); v && v->size() <= 200)
            fields->set_order_ref(*v);
    }
    if (c.amount().currency().empty()) {
        if (auto v = extractedValue(t, "amount")) {
            if (auto money = parseMoney(*v); money.ok()) {
                fields->mutable_amount()->set_minor(money.value().minor);
                fields->mutable_amount()->set_currency(money.value().currency);
            }
        }
    }
    Decision changes = decideSetFields(ctx, actor, set, c);
    if (changes.accepted) {
        for (auto& ev : changes.events)
            events.push_back(std::move(ev));
    }
    return accept(c.id(), std::move(events));
}

} // namespace latch::core
