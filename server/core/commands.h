#pragma once
// Deciding a command: given who acts, the case as it stands and the rules, which events to append
// or why not. Pure: no I/O, no clock, no locks. The Engine sequences, hashes and stores the result.
#include "core/actioncatalog.h"
#include "core/actor.h"
#include "core/config.h"
#include "latch.pb.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace latch::core {

struct DecideContext {
    const Config& config;
    std::int64_t nowMs = 0;
    // Looks up a person by username (for assignment and display names); nullopt when unknown.
    std::function<std::optional<Actor>(const std::string&)> findPerson;
    // The actions plugins offer; null when the server runs none.
    const ActionCatalog* actions = nullptr;
};

struct Decision {
    bool accepted = false;
    std::string caseId;
    std::string code;    // stable code when refused
    std::string message; // one sentence
    // Events to append, unsequenced (payload, case_id, actor and command_id set). A refused approval
    // or deny still carries its attempt_blocked event: refusals are recorded on the case.
    std::vector<v1::Event> events;
    // Intake: the thread keys (and "delivery:<key>") that name caseId from now on.
    std::vector<std::string> threadKeys;
};

// `current` is the case the command names (nullopt when it does not exist or for create_case).
// For intake it is the open case a thread key names (nullopt: the delivery opens a new case).
Decision decide(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                const std::optional<v1::Case>& current);

// The case id a command refers to (empty for create_case without a client-chosen id).
std::string commandCaseId(const v1::Command& command);

// "create_case", "add_note", ... as used in logs and attempt_blocked.command.
std::string commandKindName(const v1::Command& command);

} // namespace latch::core
