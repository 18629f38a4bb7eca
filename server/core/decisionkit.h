#pragma once
// What the command deciders share: building a refusal or an acceptance, a new unsequenced event,
// and the two deciders other commands reuse (intake opens cases like create_case; a triage
// decision fills in facts like set_fields). Internal to core.
#include "core/commands.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace latch::core::decision {

inline Decision refuse(std::string caseId, std::string code, std::string message)
{
    Decision d;
    d.caseId = std::move(caseId);
    d.code = std::move(code);
    d.message = std::move(message);
    return d;
}

inline v1::Event newEvent(const Actor& actor, const v1::Command& command, const std::string& caseId)
{
    v1::Event e;
    e.set_case_id(caseId);
    e.set_actor(actor.id);
    e.set_command_id(command.command_id());
    return e;
}

inline Decision accept(std::string caseId, std::vector<v1::Event> events)
{
    Decision d;
    d.accepted = true;
    d.caseId = std::move(caseId);
    d.events = std::move(events);
    return d;
}

} // namespace latch::core::decision

namespace latch::core {

// `command` holds a create_case.
Decision decideCreate(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const std::optional<v1::Case>& current);
// `command` holds a set_fields for `c`.
Decision decideSetFields(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                         const v1::Case& c);

} // namespace latch::core
