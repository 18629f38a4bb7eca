#pragma once
// The approval rules engine: which rule applies to a case, whether a person may approve or deny it
// now, and what is still missing. Pure functions of (config, case, people, time): no I/O, no locks.
#include "core/actor.h"
#include "core/config.h"
#include "latch.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latch::core {

// The first rule (in file order) whose `when` matches the case, or nullptr. A case in a currency
// for which a matching rule names no threshold is matched (failing safe) and the explanation says so.
struct RuleMatchResult {
    const Rule* rule = nullptr;
    std::string explanation;
};
RuleMatchResult matchRule(const Config& config, const v1::Case& c);

// The rule that governs the case: the one recorded when it was marked ready (Case.rule) while it
// still matches the facts, otherwise whichever matches now.
RuleMatchResult governingRule(const Config& config, const v1::Case& c);

// Approvals that still count: given for the current facts hash and not expired at `nowMs`.
std::vector<v1::Approval> liveApprovals(const Rule& rule, const v1::Case& c, std::int64_t nowMs,
                                        std::vector<std::string>* notes = nullptr);

// Whether `actor` may approve (or deny) the case now. When allowed, `stage` and `role` say what the
// approval counts for. When refused, `code` and `reason` say why, in stable code + one sentence:
//   approval.not_awaiting   the case is not awaiting approval
//   approval.self_approval  the actor prepared the case (two-person rule)
//   approval.requester      the actor requested the case (two-person rule)
//   approval.assignee       the rule excludes the assignee
//   approval.role           the actor has none of the roles the current stage needs
//   approval.duplicate      the actor already approved this case
//   approval.no_rule        no rule applies, there is nothing to approve
struct ApprovalCheck {
    bool allowed = false;
    int stage = -1;
    std::string role;
    std::string code;
    std::string reason;
};
ApprovalCheck checkApprover(const Config& config, const v1::Case& c, const Actor& actor,
                            std::int64_t nowMs);

// True when the rule is satisfied by the live approvals.
bool ruleSatisfied(const Rule& rule, const v1::Case& c, std::int64_t nowMs);

// What `latchctl rules check` shows: the rule, each stage, who approved, who is still eligible
// (among `people`), what is missing, and which gated actions may run now.
v1::RuleCheck explain(const Config& config, const v1::Case& c, const std::vector<v1::User>& people,
                      std::int64_t nowMs);

// A one-line summary such as "1 approval from finance; never the preparer or the requester".
std::string describeRequirement(const Rule& rule);

} // namespace latch::core
