#include "core/commands.h"

#include "core/decisionkit.h"
#include "core/intakecommands.h"

#include "latch/casefold.h"
#include "core/rules.h"
#include "core/service.h"
#include "latch/hashing.h"
#include "latch/ids.h"
#include "latch/money.h"

#include <algorithm>
#include <map>

namespace latch::core {

using namespace decision;

namespace {

constexpr std::size_t maxTitle = 200;
constexpr std::size_t maxText = 10'000;
constexpr std::size_t maxShort = 200;
constexpr int maxFields = 50;
constexpr std::size_t maxFieldKey = 64;
constexpr std::size_t maxFieldValue = 1000;

std::string displayName(const DecideContext& ctx, const std::string& username)
{
    if (ctx.findPerson) {
        if (auto p = ctx.findPerson(username); p && !p->displayName.empty())
            return p->displayName;
    }
    return username;
}

std::string moneyText(const v1::Case& c)
{
    if (!c.has_amount() || c.amount().currency().empty())
        return "(none)";
    return formatMoney(Money{c.amount().minor(), c.amount().currency()});
}

// Checks a money value from a client: known currency, nothing else to guess.
std::optional<Failure> checkMoney(const v1::Money& m)
{
    if (m.currency().empty())
        return std::nullopt; // "no amount"
    if (currencyExponent(m.currency()) < 0)
        return fail("case.bad_amount", "'" + m.currency() + "' is not an ISO 4217 currency code");
    return std::nullopt;
}

std::optional<Failure> checkFields(const google::protobuf::RepeatedPtrField<v1::Field>& fields)
{
    if (fields.size() > maxFields)
        return fail("case.too_many_fields", "a case holds at most 50 free fields");
    for (const auto& f : fields) {
        if (f.key().empty() || f.key().size() > maxFieldKey)
            return fail("case.bad_field", "field names must be 1 to 64 characters");
        if (f.value().size() > maxFieldValue)
            return fail("case.bad_field", "field '" + f.key() + "' is longer than 1000 characters");
    }
    return std::nullopt;
}

bool visibleOrRefuse(const DecideContext& ctx, const Actor& actor, const v1::Case& c)
{
    return canSee(ctx.config, actor, c, ctx.nowMs);
}

// Appends approvals_voided when the case had approvals or was past review, and explains why.
void voidIfNeeded(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                  const v1::Case& c, const std::vector<std::string>& materialChanges,
                  std::vector<v1::Event>& events)
{
    const bool pastReview = c.status() == v1::CASE_STATUS_AWAITING_APPROVAL
                            || c.status() == v1::CASE_STATUS_APPROVED
                            || c.status() == v1::CASE_STATUS_DENIED;
    if (materialChanges.empty() || (!pastReview && c.approvals_size() == 0))
        return;
    v1::Event e = newEvent(actor, command, c.id());
    auto* voided = e.mutable_approvals_voided();
    std::string reason;
    for (const auto& change : materialChanges)
        reason += (reason.empty() ? "" : "; ") + change;
    std::string who;
    for (const auto& a : c.approvals()) {
        voided->add_approvers(a.approver());
        who += (who.empty() ? "" : ", ") + displayName(ctx, a.approver());
    }
    if (!who.empty())
        reason += "; the approval by " + who + " no longer applies";
    reason += "; the case is back in review";
    voided->set_reason(reason);
    voided->set_previous_status(c.status());
    events.push_back(std::move(e));
}

Decision decideApproval(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                        const v1::Case& c, bool approve)
{
    const std::string verb = approve ? "approve" : "deny";
    if (approve && command.approve().expected_version() != 0
        && command.approve().expected_version() != c.version())
        return refuse(c.id(), "case.moved_on",
                      "the case changed since you loaded it; review it again before approving");
    if (!approve && command.deny().reason().empty())
        return refuse(c.id(), "case.reason_required", "say why you deny the case");

    const ApprovalCheck check = checkApprover(ctx.config, c, actor, ctx.nowMs);
    if (!check.allowed) {
        // Refused approvals are part of the case's story: record who tried what, and why not.
        Decision d = refuse(c.id(), check.code, check.reason);
        v1::Event e = newEvent(actor, command, c.id());
        auto* blocked = e.mutable_attempt_blocked();
        blocked->set_command(verb);
        blocked->set_rule(c.rule());
        blocked->set_code(check.code);
        blocked->set_reason(check.reason);
        d.events.push_back(std::move(e));
        return d;
    }

    v1::Event e = newEvent(actor, command, c.id());
    if (approve) {
        auto* granted = e.mutable_approval_granted();
        granted->set_role(check.role);
        granted->set_stage(check.stage);
        granted->set_comment(command.approve().comment());
        granted->set_facts_hash(c.facts_hash());
        // Would the rule be satisfied with this approval added?
        v1::Case with = c;
        auto* a = with.add_approvals();
        a->set_approver(actor.id);
        a->set_role(check.role);
        a->set_stage(check.stage);
        a->set_time_ms(ctx.nowMs);
        a->set_facts_hash(c.facts_hash());
        const RuleMatchResult match = governingRule(ctx.config, with);
        granted->set_rule_satisfied(match.rule && ruleSatisfied(*match.rule, with, ctx.nowMs));
    } else {
        auto* denied = e.mutable_approval_denied();
        denied->set_role(check.role);
        denied->set_stage(check.stage);
        denied->set_reason(command.deny().reason());
    }
    return accept(c.id(), {std::move(e)});
}

Decision blockedAttempt(const Actor& actor, const v1::Command& command, const v1::Case& c,
                        const std::string& action, const std::string& rule,
                        const std::string& code, const std::string& reason)
{
    Decision d = refuse(c.id(), code, reason);
    v1::Event e = newEvent(actor, command, c.id());
    auto* blocked = e.mutable_attempt_blocked();
    blocked->set_command("action:" + action);
    blocked->set_rule(rule);
    blocked->set_code(code);
    blocked->set_reason(reason);
    d.events.push_back(std::move(e));
    return d;
}

Decision decideAction(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const v1::Case& c)
{
    const auto& request = command.request_action();
    const std::string& action = request.action();
    if (action.empty() || action.size() > maxShort)
        return refuse(c.id(), "action.bad_name", "name the action to run, e.g. stripe.refund");
    if (!actor.isPerson())
        return refuse(c.id(), "command.not_allowed", actor.id + " cannot run actions");
    if (c.status() == v1::CASE_STATUS_CLOSED)
        return refuse(c.id(), "case.closed", "the case is closed; nothing runs from it");

    const RuleMatchResult match = governingRule(ctx.config, c);
    const Rule* rule = match.rule;
    if (rule && rule->gates(action) && !ruleSatisfied(*rule, c, ctx.nowMs)) {
        // The gate held: the attempt is part of the case's story, like a refused approval.
        std::string reason = action + " is gated by rule " + rule->name + " (" +
                             describeRequirement(*rule) + ")";
        if (c.status() == v1::CASE_STATUS_IN_REVIEW)
            reason += "; the case is still in review and has no approval that counts";
        else
            reason += "; the approvals it needs for the case's current facts are not all given";
        return blockedAttempt(actor, command, c, action, rule->name, "action.gated", reason);
    }
    if (c.status() == v1::CASE_STATUS_DENIED)
        return refuse(c.id(), "case.denied", "the case was denied; reopen it before running actions");

    const ActionSpec* spec = nullptr;
    std::vector<ActionSpec> offers;
    if (ctx.actions) {
        offers = ctx.actions->offers(c);
        for (const auto& o : offers) {
            if (o.action == action)
                spec = &o;
        }
    }
    if (!spec)
        return refuse(c.id(), "action.unavailable",
                      "no plugin on this server offers " + action
                          + " for this case; nothing was run");
    // The roles an action allows bind admins too: running a refund is not administration.
    if (!spec->roles.empty()
        && std::none_of(spec->roles.begin(), spec->roles.end(),
                        [&](const std::string& r) { return actor.hasRole(r); })) {
        std::string roles;
        for (const auto& r : spec->roles)
            roles += (roles.empty() ? "" : " or ") + r;
        return blockedAttempt(actor, command, c, action, {}, "action.forbidden",
                              action + " may only be run by " + roles + "; "
                                  + displayName(ctx, actor.id) + " has neither role");
    }
    // Exactly once: a run that is owed or done is not started again.
    if (const v1::ActionRun* last = latestActionRun(c, action)) {
        switch (last->state()) {
        case v1::ACTION_STATE_REQUESTED:
            return refuse(c.id(), "action.in_progress",
                          action + " is already running for this case; its result will appear on "
                                   "the timeline");
        case v1::ACTION_STATE_SUCCEEDED:
            return refuse(c.id(), "action.already_done",
                          action + " already ran for this case and succeeded; it runs once");
        case v1::ACTION_STATE_UNKNOWN:
            return refuse(c.id(), "action.outcome_unknown",
                          "the last " + action + " has an outcome that could not be established; "
                                                 "check the external system before running again");
        default:
            break; // a failed run may be tried again, with a new key
        }
    }
    auto planned = ctx.actions->plan(c, action);
    if (!planned)
        return refuse(c.id(), planned.failure().code, planned.failure().message);
    const std::string planHash = digestBytes(sha256(planned->plan));
    if (!request.plan_hash().empty() && request.plan_hash() != planHash)
        return refuse(c.id(), "action.plan_changed",
                      "the case changed since the plan was shown; look at the new plan and run it "
                      "again");

    v1::Event e = newEvent(actor, command, c.id());
    auto* r = e.mutable_action_requested();
    r->set_action(action);
    r->set_plugin(spec->plugin);
    // Stable for this run and unique per case: the external system sees the same key however
    // often the call is repeated (retries, a restart), so it acts at most once.
    r->set_idempotency_key("latch-" + c.id() + "-" + std::to_string(c.version() + 1));
    r->set_plan(planned->plan);
    r->set_plan_hash(planHash);
    r->set_facts_hash(c.facts_hash());
    r->set_summary(planned->summary);
    return accept(c.id(), {std::move(e)});
}

const v1::ActionRun* findRunByExternalId(const v1::Case& c, const std::string& externalId)
{
    for (const auto& run : c.actions()) {
        if (!externalId.empty() && run.external_id() == externalId)
            return &run;
    }
    return nullptr;
}

// A later change at the external system (a webhook, a follow-up): recorded when it tells
// something new. The run is named by its key or, failing that, by the external system's id.
Decision decideActionUpdate(const Actor& actor, const v1::Command& command, const v1::Case& c)
{
    const auto& update = command.record_action().updated();
    const v1::ActionRun* run
        = update.idempotency_key().empty() ? nullptr : findActionRun(c, update.idempotency_key());
    if (!run)
        run = findRunByExternalId(c, update.external_id());
    if (!run)
        return refuse(c.id(), "action.unknown_run",
                      "no action run on this case has key '" + update.idempotency_key()
                          + "' or external id '" + update.external_id() + "'");
    const auto state = update.state();
    if (state != v1::ACTION_STATE_UNSPECIFIED && state != v1::ACTION_STATE_SUCCEEDED
        && state != v1::ACTION_STATE_FAILED)
        return refuse(c.id(), "action.bad_result",
                      "an update reports succeeded, failed or no change of state");
    if (!update.external_id().empty() && !run->external_id().empty()
        && update.external_id() != run->external_id())
        return refuse(c.id(), "action.external_mismatch",
                      "run " + run->idempotency_key() + " is " + run->external_id()
                          + " at the external system, not " + update.external_id());
    const bool sameStatus = update.external_status() == run->external_status()
                            && (update.external_id().empty()
                                || update.external_id() == run->external_id());
    const auto current
        = run->state() == v1::ACTION_STATE_REQUESTED ? run->reported_state() : run->state();
    if (sameStatus && (state == v1::ACTION_STATE_UNSPECIFIED || state == current))
        return refuse(c.id(), "action.no_change",
                      "run " + run->idempotency_key() + " is already " + run->external_status()
                          + " at the external system; nothing new to record");
    v1::Event e = newEvent(actor, command, c.id());
    auto* updated = e.mutable_action_updated();
    *updated = update;
    updated->set_action(run->action());
    updated->set_idempotency_key(run->idempotency_key());
    return accept(c.id(), {std::move(e)});
}

// Results come from the plugin host only, as a service actor; people cannot write them. A plugin
// records results of its own actions only ("plugin:stripe" of "stripe.*").
Decision decideRecordAction(const Actor& actor, const v1::Command& command, const v1::Case& c)
{
    if (actor.id.rfind("plugin:", 0) != 0)
        return refuse(c.id(), "command.not_allowed", "only a plugin records action results");
    const auto& record = command.record_action();
    if (record.has_notification()) {
        // A notification is a fact about the case, not a run: nothing to match it against.
        const auto state = record.notification().state();
        if (state != v1::ACTION_STATE_SUCCEEDED && state != v1::ACTION_STATE_FAILED
            && state != v1::ACTION_STATE_UNKNOWN)
            return refuse(c.id(), "action.bad_result",
                          "a notification was sent, failed or has an unknown outcome");
        v1::Event e = newEvent(actor, command, c.id());
        *e.mutable_notification() = record.notification();
        return accept(c.id(), {std::move(e)});
    }
    if (!record.has_finished() && !record.has_updated())
        return refuse(c.id(), "action.bad_result", "the record names no result");
    const std::string& action
        = record.has_finished() ? record.finished().action() : record.updated().action();
    const std::string plugin = actor.id.substr(7);
    // An update naming its run by external id alone may leave the action empty.
    if (!action.empty() && action.rfind(plugin + ".", 0) != 0)
        return refuse(c.id(), "command.not_allowed",
                      actor.id + " records results of " + plugin + " actions only");
    if (record.has_updated()) {
        Decision d = decideActionUpdate(actor, command, c);
        if (d.accepted
            && d.events.front().action_updated().action().rfind(plugin + ".", 0) != 0)
            return refuse(c.id(), "command.not_allowed",
                          actor.id + " records results of " + plugin + " actions only");
        return d;
    }
    const std::string& key = record.finished().idempotency_key();
    const v1::ActionRun* run = findActionRun(c, key);
    if (!run)
        return refuse(c.id(), "action.unknown_run", "no action run with key " + key);
    if (run->state() != v1::ACTION_STATE_REQUESTED)
        return refuse(c.id(), "action.already_recorded", "run " + key + " already has a result");
    const auto state = record.finished().state();
    if (state != v1::ACTION_STATE_SUCCEEDED && state != v1::ACTION_STATE_FAILED
        && state != v1::ACTION_STATE_UNKNOWN)
        return refuse(c.id(), "action.bad_result", "a result is succeeded, failed or unknown");
    v1::Event e = newEvent(actor, command, c.id());
    *e.mutable_action_finished() = record.finished();
    return accept(c.id(), {std::move(e)});
}

// Asks the plugin host to stop the run in progress. The host decides what stopping can still
// mean (docs/plugins.md): a cancel never un-sends a call.
Decision decideCancel(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const v1::Case& c)
{
    const auto& cancel = command.cancel_action();
    const std::string& action = cancel.action();
    if (action.empty() || action.size() > maxShort)
        return refuse(c.id(), "action.bad_name", "name the action to cancel, e.g. stripe.refund");
    if (cancel.reason().size() > maxText)
        return refuse(c.id(), "action.bad_reason", "a reason is at most 10,000 characters");
    if (!actor.isPerson())
        return refuse(c.id(), "command.not_allowed", actor.id + " cannot cancel actions");
    const auto roles = ctx.actions ? ctx.actions->runRoles(c, action) : std::nullopt;
    if (!roles)
        return refuse(c.id(), "action.unavailable",
                      "no plugin on this server runs " + action + "; there is no run to cancel");
    // Whoever may run an action may stop it; nobody else, admins included.
    if (!roles->empty()
        && std::none_of(roles->begin(), roles->end(),
                        [&](const std::string& r) { return actor.hasRole(r); })) {
        std::string names;
        for (const auto& r : *roles)
            names += (names.empty() ? "" : " or ") + r;
        Decision d = blockedAttempt(actor, command, c, action, {}, "action.forbidden",
                                    action + " may only be canceled by " + names + "; "
                                        + displayName(ctx, actor.id) + " has neither role");
        d.events.front().mutable_attempt_blocked()->set_command("cancel:" + action);
        return d;
    }
    const v1::ActionRun* run = latestActionRun(c, action);
    if (!run || run->state() != v1::ACTION_STATE_REQUESTED)
        return refuse(c.id(), "action.not_running",
                      "no run of " + action + " is in progress on this case"
                          + (run ? " (the last one " + actionStateName(run->state()) + ")"
                                 : std::string())
                          + "; there is nothing to cancel");
    if (run->cancel_seq() != 0)
        return refuse(c.id(), "action.cancel_pending",
                      displayName(ctx, run->canceled_by())
                          + " already asked to cancel this run; its outcome will appear on the "
                            "timeline");
    v1::Event e = newEvent(actor, command, c.id());
    auto* requested = e.mutable_action_cancel_requested();
    requested->set_action(action);
    requested->set_idempotency_key(run->idempotency_key());
    requested->set_reason(cancel.reason());
    return accept(c.id(), {std::move(e)});
}

Decision decideOnCase(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const v1::Case& c)
{
    const std::string& id = c.id();
    const bool closed = c.status() == v1::CASE_STATUS_CLOSED;
    v1::Event e = newEvent(actor, command, id);
    switch (command.kind_case()) {
    case v1::Command::kAddNote: {
        const auto& text = command.add_note().text();
        if (closed)
            return refuse(id, "case.closed", "the case is closed; reopen it to add notes");
        if (text.empty() || text.size() > maxText)
            return refuse(id, "case.bad_note", "a note needs 1 to 10,000 characters");
        e.mutable_note_added()->set_text(text);
        return accept(id, {std::move(e)});
    }
    case v1::Command::kSetFields:
        return decideSetFields(ctx, actor, command, c);
    case v1::Command::kAssign: {
        if (closed)
            return refuse(id, "case.closed", "the case is closed; reopen it to assign it");
        const std::string& who = command.assign().assignee();
        if (!who.empty()) {
            auto person = ctx.findPerson ? ctx.findPerson(who) : std::nullopt;
            if (!person)
                return refuse(id, "user.unknown", "there is no active user named '" + who + "'");
        }
        if (who == c.assignee())
            return refuse(id, "case.no_change", "the case is already assigned that way");
        e.mutable_assigned()->set_assignee(who);
        e.mutable_assigned()->set_previous(c.assignee());
        return accept(id, {std::move(e)});
    }
    case v1::Command::kMarkReady: {
        if (c.status() != v1::CASE_STATUS_IN_REVIEW)
            return refuse(id, "case.not_in_review",
                          "only a case in review can be marked ready; this one is "
                              + statusName(c.status()));
        if (c.type().empty())
            return refuse(id, "case.no_type", "set the case type before marking it ready");
        auto* ready = e.mutable_marked_ready();
        ready->set_facts_hash(c.facts_hash());
        const RuleMatchResult match = matchRule(ctx.config, c);
        if (match.rule) {
            ready->set_rule(match.rule->name);
            ready->set_rule_summary(describeRequirement(*match.rule));
            for (const auto& stage : match.rule->stages) {
                auto* s = ready->add_stages();
                s->set_approvals(stage.approvals);
                for (const auto& role : stage.approverRoles)
                    s->add_roles(role);
            }
            ready->set_new_status(v1::CASE_STATUS_AWAITING_APPROVAL);
        } else {
            ready->set_rule_summary(match.explanation);
            ready->set_new_status(v1::CASE_STATUS_APPROVED);
        }
        return accept(id, {std::move(e)});
    }
    case v1::Command::kApprove:
        return decideApproval(ctx, actor, command, c, true);
    case v1::Command::kDeny:
        return decideApproval(ctx, actor, command, c, false);
    case v1::Command::kClose:
        if (closed)
            return refuse(id, "case.closed", "the case is already closed");
        e.mutable_closed()->set_reason(command.close().reason());
        return accept(id, {std::move(e)});
    case v1::Command::kRequestAction:
        return decideAction(ctx, actor, command, c);
    case v1::Command::kRecordAction:
        return decideRecordAction(actor, command, c);
    case v1::Command::kCancelAction:
        return decideCancel(ctx, actor, command, c);
    case v1::Command::kDecideTriage:
        return decideTriageAnswer(ctx, actor, command, c);
    case v1::Command::kReopen:
        if (!closed && c.status() != v1::CASE_STATUS_DENIED)
            return refuse(id, "case.not_closed", "only a closed or denied case can be reopened");
        e.mutable_reopened()->set_reason(command.reopen().reason());
        return accept(id, {std::move(e)});
    default:
        return refuse(id, "command.unknown", "the command names no known action");
    }
}

} // namespace

Decision decideCreate(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const std::optional<v1::Case>& current)
{
    const auto& cmd = command.create_case();
    std::string id = cmd.case_id();
    if (!id.empty() && !isUuid(id))
        return refuse(id, "case.bad_id", "a client-chosen case id must be a lower-case UUID");
    if (current)
        return refuse(id, "case.exists", "a case with id " + id + " already exists");
    if (id.empty())
        id = newUuid();
    if (cmd.title().empty() || cmd.title().size() > maxTitle)
        return refuse(id, "case.bad_title", "a case needs a title of 1 to 200 characters");
    if (cmd.customer().size() > maxShort || cmd.order_ref().size() > maxShort
        || cmd.type().size() > 64)
        return refuse(id, "case.bad_field", "type, customer and order are limited in length");
    if (cmd.description().size() > maxText)
        return refuse(id, "case.bad_field", "the description is longer than 10,000 characters");
    if (auto f = checkMoney(cmd.amount()))
        return refuse(id, f->code, f->message);
    if (auto f = checkFields(cmd.fields()))
        return refuse(id, f->code, f->message);
    std::string queue = cmd.queue().empty() ? ctx.config.queueForType(cmd.type()) : cmd.queue();
    if (!ctx.config.queue(queue))
        return refuse(id, "case.bad_queue", "there is no queue named '" + queue + "'");

    v1::Event e = newEvent(actor, command, id);
    auto* created = e.mutable_created();
    created->set_type(cmd.type());
    created->set_title(cmd.title());
    created->set_customer(cmd.customer());
    created->set_order_ref(cmd.order_ref());
    if (!cmd.amount().currency().empty())
        *created->mutable_amount() = cmd.amount();
    created->set_queue(queue);
    created->set_description(cmd.description());
    // Free fields are kept sorted (and unique) so the fold and the hash are deterministic.
    std::map<std::string, std::string> sorted;
    for (const auto& f : cmd.fields())
        sorted[f.key()] = f.value();
    for (const auto& [k, v] : sorted) {
        auto* f = created->add_fields();
        f->set_key(k);
        f->set_value(v);
    }
    return accept(id, {std::move(e)});
}

Decision decideSetFields(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                         const v1::Case& c)
{
    const auto& cmd = command.set_fields();
    if (c.status() == v1::CASE_STATUS_CLOSED)
        return refuse(c.id(), "case.closed", "the case is closed; reopen it before changing it");
    if (cmd.expected_version() != 0 && cmd.expected_version() != c.version())
        return refuse(c.id(), "case.moved_on",
                      "the case changed since you loaded it; reload it and try again");
    if (cmd.has_title() && (cmd.title().empty() || cmd.title().size() > maxTitle))
        return refuse(c.id(), "case.bad_title", "a case needs a title of 1 to 200 characters");
    if (cmd.has_amount()) {
        if (auto f = checkMoney(cmd.amount()))
            return refuse(c.id(), f->code, f->message);
    }
    if (auto f = checkFields(cmd.set_fields()))
        return refuse(c.id(), f->code, f->message);

    v1::Event e = newEvent(actor, command, c.id());
    auto* fc = e.mutable_fields_changed();
    std::vector<std::string> material;
    auto change = [&](const std::string& name, const std::string& before, const std::string& after,
                      bool isMaterial) {
        auto* ch = fc->add_changes();
        ch->set_name(name);
        ch->set_before(before);
        ch->set_after(after);
        if (isMaterial) {
            material.push_back(name + " changed from " + (before.empty() ? "(none)" : before)
                               + " to " + (after.empty() ? "(none)" : after));
        }
    };
    if (cmd.has_type() && cmd.type() != c.type()) {
        change("type", c.type(), cmd.type(), true);
        fc->set_type(cmd.type());
    }
    if (cmd.has_title() && cmd.title() != c.title()) {
        change("title", c.title(), cmd.title(), false);
        fc->set_title(cmd.title());
    }
    if (cmd.has_customer() && cmd.customer() != c.customer()) {
        change("customer", c.customer(), cmd.customer(), true);
        fc->set_customer(cmd.customer());
    }
    if (cmd.has_order_ref() && cmd.order_ref() != c.order_ref()) {
        change("order", c.order_ref(), cmd.order_ref(), true);
        fc->set_order_ref(cmd.order_ref());
    }
    if (cmd.has_amount()) {
        const v1::Money before = c.has_amount() ? c.amount() : v1::Money{};
        if (before.minor() != cmd.amount().minor() || before.currency() != cmd.amount().currency()) {
            v1::Case after;
            *after.mutable_amount() = cmd.amount();
            change("amount", moneyText(c) == "(none)" ? "" : moneyText(c),
                   moneyText(after) == "(none)" ? "" : moneyText(after), true);
            *fc->mutable_amount() = cmd.amount();
        }
    }
    if (cmd.has_description() && cmd.description() != c.description()) {
        change("description", "", "", false);
        fc->set_description(cmd.description());
    }
    for (const auto& f : cmd.set_fields()) {
        const std::string* old = findField(c, f.key());
        if (old && *old == f.value())
            continue;
        // Free fields are material: plugin actions take their parameters from them (the charge
        // to refund, the account to pay), so an approval must not survive their change.
        change("field." + f.key(), old ? *old : "", f.value(), true);
        *fc->add_set_fields() = f;
    }
    for (const auto& key : cmd.remove_fields()) {
        if (const std::string* old = findField(c, key)) {
            change("field." + key, *old, "", true);
            fc->add_removed_fields(key);
        }
    }
    if (fc->changes_size() == 0)
        return refuse(c.id(), "case.no_change", "nothing to change: the case already has these values");
    fc->set_material(!material.empty());

    std::vector<v1::Event> events;
    events.push_back(e);
    voidIfNeeded(ctx, actor, command, c, material, events);
    return accept(c.id(), std::move(events));
}

std::string commandCaseId(const v1::Command& command)
{
    switch (command.kind_case()) {
    case v1::Command::kCreateCase:
        return command.create_case().case_id();
    case v1::Command::kAddNote:
        return command.add_note().case_id();
    case v1::Command::kSetFields:
        return command.set_fields().case_id();
    case v1::Command::kAssign:
        return command.assign().case_id();
    case v1::Command::kMarkReady:
        return command.mark_ready().case_id();
    case v1::Command::kApprove:
        return command.approve().case_id();
    case v1::Command::kDeny:
        return command.deny().case_id();
    case v1::Command::kClose:
        return command.close().case_id();
    case v1::Command::kReopen:
        return command.reopen().case_id();
    case v1::Command::kRequestAction:
        return command.request_action().case_id();
    case v1::Command::kRecordAction:
        return command.record_action().case_id();
    case v1::Command::kCancelAction:
        return command.cancel_action().case_id();
    case v1::Command::kRecordTriage:
        return command.record_triage().case_id();
    case v1::Command::kDecideTriage:
        return command.decide_triage().case_id();
    case v1::Command::kIntake: // the engine resolves the case from the delivery's thread keys
    case v1::Command::KIND_NOT_SET:
        break;
    }
    return {};
}

std::string commandKindName(const v1::Command& command)
{
    const auto* oneof = v1::Command::descriptor()->FindOneofByName("kind");
    const auto* field = v1::Command::GetReflection()->GetOneofFieldDescriptor(command, oneof);
    return field ? field->name() : std::string("none");
}

Decision decide(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                const std::optional<v1::Case>& current)
{
    if (command.kind_case() == v1::Command::kCreateCase) {
        if (!actor.isPerson() && actor.id != "system")
            return refuse({}, "command.not_allowed", actor.id + " cannot create cases");
        return decideCreate(ctx, actor, command, current);
    }
    if (command.kind_case() == v1::Command::kIntake)
        return decideIntake(ctx, actor, command, current);
    const std::string id = commandCaseId(command);
    if (command.kind_case() == v1::Command::KIND_NOT_SET)
        return refuse(id, "command.unknown", "the command names no known action");
    if (!current)
        return refuse(id, "case.not_found", "there is no case " + id + " that you can see");
    // The plugin host records results on cases it has no roles for.
    if (command.kind_case() == v1::Command::kRecordAction)
        return decideRecordAction(actor, command, *current);
    // Triage suggests on every case, whichever queue it is in; only a person answers it.
    if (command.kind_case() == v1::Command::kRecordTriage)
        return decideRecordTriage(actor, command, *current);
    if (command.kind_case() == v1::Command::kDecideTriage && !actor.isPerson())
        return refuse(id, "command.not_allowed", actor.id + " cannot decide on triage; a person does");
    const bool approval = command.kind_case() == v1::Command::kApprove
                          || command.kind_case() == v1::Command::kDeny;
    // Approval attempts are always judged (and recorded when refused); everything else needs the
    // case to be visible, and an invisible case is reported as missing.
    if (!approval && !visibleOrRefuse(ctx, actor, *current))
        return refuse(id, "case.not_found", "there is no case " + id + " that you can see");
    return decideOnCase(ctx, actor, command, *current);
}

} // namespace latch::core
