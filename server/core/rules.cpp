#include "core/rules.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <map>

namespace latch::core {

namespace {

std::string joined(
    const std::vector<std::string>& items, const std::string& sep, const std::string& last)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += i + 1 == items.size() ? last : sep;
        }
        out += items[i];
    }
    return out;
}

// "finance", "finance or admin", "finance, legal or admin".
std::string anyOf(const std::vector<std::string>& roles)
{
    return joined(roles, ", ", " or ");
}

// "1 approval from finance"; with `more`, "2 more approvals from finance or legal".
std::string approvalsFrom(
    std::uint32_t count, const std::vector<std::string>& roles, bool more = false)
{
    return std::to_string(count) + (more ? " more" : "") + (count == 1 ? " approval" : " approvals")
        + " from " + anyOf(roles);
}

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string formatUtc(std::int64_t ms)
{
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    std::array<char, 32> buffer {};
    std::strftime(buffer.data(), buffer.size(), "%Y-%m-%d %H:%M UTC", &tm);
    return buffer.data();
}

std::string formatExpiry(std::chrono::milliseconds expiry)
{
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(expiry).count();
    return minutes % 60 == 0 ? std::to_string(minutes / 60) + "h" : std::to_string(minutes) + "m";
}

std::string statusWords(v1::CaseStatus status)
{
    switch (status) {
    case v1::CASE_STATUS_IN_REVIEW:
        return "in review";
    case v1::CASE_STATUS_AWAITING_APPROVAL:
        return "awaiting approval";
    case v1::CASE_STATUS_APPROVED:
        return "already approved";
    case v1::CASE_STATUS_DENIED:
        return "denied";
    case v1::CASE_STATUS_CLOSED:
        return "closed";
    default:
        return "in no known state";
    }
}

std::string nameOf(const Actor& actor)
{
    return actor.displayName.empty() ? actor.id : actor.displayName;
}

// Facts a rule can compare a field against: customer and order_ref are case facts, everything
// else is a free field. nullopt when the case has no such field.
std::optional<std::string> fieldValue(const v1::Case& c, const std::string& key)
{
    if (key == "customer") {
        return c.customer();
    }
    if (key == "order_ref") {
        return c.order_ref();
    }
    for (const v1::Field& f : c.fields()) {
        if (f.key() == key) {
            return f.value();
        }
    }
    return std::nullopt;
}

// Whether one rule's `when` matches, with the reasons as clauses ("type is refund", ...).
struct WhenResult {
    bool matched = false;
    std::vector<std::string> clauses; // why it matched
    std::string miss; // why not, when it did not
    bool typeMatched = false;
};

WhenResult evaluate(const Rule& rule, const v1::Case& c)
{
    WhenResult r;
    const RuleMatch& when = rule.when;
    if (!when.types.empty()) {
        if (!contains(when.types, c.type())) {
            r.miss = "type " + c.type() + " is not " + anyOf(when.types);
            return r;
        }
        r.clauses.push_back("type is " + c.type());
    }
    r.typeMatched = true;

    if (!when.amountOver.empty() || !when.amountAtLeast.empty()) {
        const Money amount { c.amount().minor(), c.amount().currency() };
        if (amount.empty()) {
            r.miss = "the case has no amount and the rule has amount thresholds";
            return r;
        }
        const std::string shown = formatMoney(amount);
        if (const auto over = when.amountOver.find(amount.currency);
            over != when.amountOver.end()) {
            if (compareMoney(amount, over->second) <= 0) {
                r.miss = shown + " is not over " + formatMoney(over->second);
                return r;
            }
            r.clauses.push_back(shown + " is over " + formatMoney(over->second));
        } else if (const auto least = when.amountAtLeast.find(amount.currency);
                   least != when.amountAtLeast.end()) {
            if (compareMoney(amount, least->second) < 0) {
                r.miss = shown + " is less than " + formatMoney(least->second);
                return r;
            }
            r.clauses.push_back(shown + " is at least " + formatMoney(least->second));
        } else {
            // An unlisted currency must not slip past a threshold meant for every amount.
            r.clauses.push_back(
                "no threshold for " + amount.currency + " is configured, so the rule applies");
        }
    }

    for (const auto& [key, expected] : when.fields) {
        const std::optional<std::string> value = fieldValue(c, key);
        if (!value || *value != expected) {
            r.miss = value ? key + " is " + *value + ", not " + expected
                           : "the case has no field " + key;
            return r;
        }
        r.clauses.push_back(key + " is " + expected);
    }
    r.matched = true;
    return r;
}

std::string matchedExplanation(const Rule& rule, const WhenResult& r)
{
    return rule.name + ": "
        + (r.clauses.empty() ? "the rule applies to every case"
                             : joined(r.clauses, " and ", " and "));
}

std::vector<std::uint32_t> liveCounts(const Rule& rule, const std::vector<v1::Approval>& live)
{
    std::vector<std::uint32_t> counts(rule.stages.size(), 0);
    for (const v1::Approval& a : live) {
        ++counts[static_cast<std::size_t>(a.stage())];
    }
    return counts;
}

// The first stage still short of approvals, or -1 when every stage has what it needs.
int currentStage(const Rule& rule, const std::vector<std::uint32_t>& counts)
{
    for (std::size_t i = 0; i < rule.stages.size(); ++i) {
        if (counts[i] < rule.stages[i].approvals) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool excludedFor(const Rule& rule, const v1::Case& c, const std::string& id)
{
    return id == c.preparer() || id == c.requester()
        || (rule.approverNot.count(Exclusion::Assignee) != 0 && id == c.assignee());
}

bool hasApproved(const std::vector<v1::Approval>& live, const std::string& id)
{
    return std::any_of(
        live.begin(), live.end(), [&](const v1::Approval& a) { return a.approver() == id; });
}

} // namespace

RuleMatchResult matchRule(const Config& config, const v1::Case& c)
{
    const Rule* nearMiss = nullptr;
    std::string nearMissReason;
    for (const Rule& rule : config.rules) {
        WhenResult r = evaluate(rule, c);
        if (r.matched) {
            return { &rule, matchedExplanation(rule, r) };
        }
        if (r.typeMatched && !nearMiss) {
            nearMiss = &rule;
            nearMissReason = r.miss;
        }
    }
    if (config.rules.empty()) {
        return { nullptr, "no approval rules are configured" };
    }
    if (nearMiss) {
        return { nullptr,
            "no rule applies: " + nearMiss->name + " does not, because " + nearMissReason };
    }
    return { nullptr, "no rule applies to type " + (c.type().empty() ? "(none)" : c.type()) };
}

RuleMatchResult governingRule(const Config& config, const v1::Case& c)
{
    if (!c.rule().empty()) {
        for (const Rule& rule : config.rules) {
            if (rule.name == c.rule()) {
                WhenResult r = evaluate(rule, c);
                if (r.matched) {
                    return { &rule, matchedExplanation(rule, r) };
                }
            }
        }
    }
    return matchRule(config, c);
}

std::vector<v1::Approval> liveApprovals(
    const Rule& rule, const v1::Case& c, std::int64_t nowMs, std::vector<std::string>* notes)
{
    std::vector<v1::Approval> live;
    const auto note = [&](const std::string& text) {
        if (notes) {
            notes->push_back(text);
        }
    };
    for (const v1::Approval& a : c.approvals()) {
        const std::string by = "approval by " + a.approver();
        if (a.facts_hash() != c.facts_hash()) {
            note(by + " was given before the case's facts changed and no longer counts");
        } else if (rule.approvalExpiry && a.time_ms() + rule.approvalExpiry->count() <= nowMs) {
            note(by + " expired at " + formatUtc(a.time_ms() + rule.approvalExpiry->count()));
        } else if (a.stage() < 0 || static_cast<std::size_t>(a.stage()) >= rule.stages.size()) {
            note(by + " was for stage " + std::to_string(a.stage() + 1) + ", which rule "
                + rule.name + " does not have");
        } else if (hasApproved(live, a.approver())) {
            note(by + " is counted once");
        } else {
            live.push_back(a);
        }
    }
    return live;
}

ApprovalCheck checkApprover(
    const Config& config, const v1::Case& c, const Actor& actor, std::int64_t nowMs)
{
    ApprovalCheck check;
    const auto refuse = [&](std::string code, std::string reason) {
        check.code = std::move(code);
        check.reason = std::move(reason);
        return check;
    };
    if (c.status() != v1::CASE_STATUS_AWAITING_APPROVAL) {
        return refuse("approval.not_awaiting",
            "the case is " + statusWords(c.status()) + ", not awaiting approval");
    }
    const RuleMatchResult match = governingRule(config, c);
    if (!match.rule) {
        return refuse("approval.no_rule", "there is nothing to approve: " + match.explanation);
    }
    const Rule& rule = *match.rule;
    if (!actor.isPerson()) {
        return refuse("approval.not_person",
            actor.id + " is a service, not a person; only people approve cases");
    }
    const std::string who = nameOf(actor);
    if (actor.id == c.preparer()) {
        return refuse("approval.self_approval",
            who + " prepared this case; the two-person rule needs someone else to approve it");
    }
    if (actor.id == c.requester()) {
        return refuse("approval.requester",
            who + " requested this case; the two-person rule needs someone else to approve it");
    }
    if (rule.approverNot.count(Exclusion::Assignee) != 0 && actor.id == c.assignee()) {
        return refuse("approval.assignee",
            who + " is assigned to this case and rule " + rule.name
                + " does not let the assignee approve it");
    }
    const std::vector<v1::Approval> live = liveApprovals(rule, c, nowMs);
    if (hasApproved(live, actor.id)) {
        return refuse(
            "approval.duplicate", who + " has already approved this case; it needs someone else");
    }
    const std::vector<std::uint32_t> counts = liveCounts(rule, live);
    const int stage = currentStage(rule, counts);
    if (stage < 0) {
        return refuse(
            "approval.not_awaiting", "every approval rule " + rule.name + " needs is already in");
    }
    const ApprovalStage& current = rule.stages[static_cast<std::size_t>(stage)];
    for (const std::string& role : current.approverRoles) {
        if (actor.hasRole(role)) {
            check.allowed = true;
            check.stage = stage;
            check.role = role;
            return check;
        }
    }
    const std::string has = actor.roles.empty()
        ? who + " has no roles"
        : who + " has " + joined(actor.roles, ", ", " and ");
    // Holding a later stage's role is the likely confusion in a multi-stage rule: say so.
    for (std::size_t later = static_cast<std::size_t>(stage) + 1; later < rule.stages.size();
         ++later) {
        for (const std::string& role : rule.stages[later].approverRoles) {
            if (actor.hasRole(role)) {
                const std::uint32_t missing
                    = current.approvals - counts[static_cast<std::size_t>(stage)];
                return refuse("approval.role",
                    "stage " + std::to_string(stage + 1) + " is not done yet: it needs "
                        + approvalsFrom(missing, current.approverRoles) + " before " + role
                        + " can approve stage " + std::to_string(later + 1) + "; " + has);
            }
        }
    }
    return refuse(
        "approval.role", "approving needs the " + anyOf(current.approverRoles) + " role; " + has);
}

bool ruleSatisfied(const Rule& rule, const v1::Case& c, std::int64_t nowMs)
{
    return currentStage(rule, liveCounts(rule, liveApprovals(rule, c, nowMs))) < 0;
}

v1::RuleCheck explain(const Config& config, const v1::Case& c, const std::vector<v1::User>& people,
    std::int64_t nowMs)
{
    v1::RuleCheck out;
    const RuleMatchResult match = governingRule(config, c);
    out.set_explanation(match.explanation);
    if (!c.rule().empty() && (!match.rule || match.rule->name != c.rule())) {
        out.add_notes("rule " + c.rule()
            + " applied when the case was marked ready but no longer matches its facts");
    }
    if (!match.rule) {
        out.set_matched(false);
        out.set_satisfied(true);
        return out;
    }
    const Rule& rule = *match.rule;
    out.set_matched(true);
    out.set_rule(rule.name);

    std::vector<std::string> notes;
    const std::vector<v1::Approval> live = liveApprovals(rule, c, nowMs, &notes);
    const std::vector<std::uint32_t> counts = liveCounts(rule, live);
    for (std::size_t i = 0; i < rule.stages.size(); ++i) {
        const ApprovalStage& stage = rule.stages[i];
        v1::StageStatus* status = out.add_stages();
        status->set_index(static_cast<int>(i));
        status->set_required(stage.approvals);
        for (const std::string& role : stage.approverRoles) {
            status->add_approver_roles(role);
        }
        for (const v1::Approval& a : live) {
            if (static_cast<std::size_t>(a.stage()) == i) {
                status->add_approved_by(a.approver());
            }
        }
        status->set_satisfied(counts[i] >= stage.approvals);
        if (status->satisfied()) {
            continue;
        }
        // Eligible mirrors checkApprover's personal checks; stage order is left to `missing`.
        std::vector<std::string> eligible;
        for (const v1::User& u : people) {
            const Actor person { u.id(), u.display_name(), { u.roles().begin(), u.roles().end() } };
            const bool hasRole = std::any_of(stage.approverRoles.begin(), stage.approverRoles.end(),
                [&](const std::string& r) { return person.hasRole(r); });
            if (!u.disabled() && person.isPerson() && hasRole && !excludedFor(rule, c, u.id())
                && !hasApproved(live, u.id())) {
                eligible.push_back(u.username());
                status->add_eligible(u.username());
            }
        }
        out.add_missing("stage " + std::to_string(i + 1) + ": "
            + approvalsFrom(stage.approvals - counts[i], stage.approverRoles, true)
            + (eligible.empty() ? " (nobody is eligible now)"
                                : " (eligible: " + joined(eligible, ", ", ", ") + ")"));
    }
    const bool satisfied = currentStage(rule, counts) < 0;
    out.set_satisfied(satisfied);
    for (const std::string& action : rule.gatesActions) {
        out.add_gated_actions(action);
        if (satisfied && c.status() == v1::CASE_STATUS_APPROVED) {
            out.add_allowed_actions(action);
        }
    }
    if (c.status() == v1::CASE_STATUS_IN_REVIEW) {
        notes.emplace_back("the case is in review; approvals can be given once it is marked ready");
    }
    for (const std::string& n : notes) {
        out.add_notes(n);
    }
    return out;
}

std::string describeRequirement(const Rule& rule)
{
    std::vector<std::string> stages;
    for (const ApprovalStage& stage : rule.stages) {
        stages.push_back(approvalsFrom(stage.approvals, stage.approverRoles));
    }
    std::string out = joined(stages, ", then ", ", then ");
    out += rule.approverNot.count(Exclusion::Assignee) != 0
        ? ", never the preparer, the requester or the assignee"
        : ", never the preparer or the requester";
    if (rule.approvalExpiry) {
        out += "; approvals expire after " + formatExpiry(*rule.approvalExpiry);
    }
    return out;
}

} // namespace latch::core
