#pragma once
// Deciding the intake and triage commands. Intake (service actor "intake") records a delivery and
// opens a case for it or joins the case it belongs to; triage (service actor "triage") records a
// suggestion; a person accepts or overrides it. Triage never changes a case by itself: only the
// person's decision does, and a suggestion that arrives after one is refused. Pure, like decide().
#include "core/commands.h"

#include <optional>

namespace latch::core {

inline constexpr std::size_t kMaxIntakeText = 200'000;

// `joined`: the case a thread key named (the engine resolves keys), nullopt to open a new one.
Decision decideIntake(const DecideContext& ctx, const Actor& actor, const v1::Command& command,
                      const std::optional<v1::Case>& joined);

Decision decideRecordTriage(const Actor& actor, const v1::Command& command, const v1::Case& c);

Decision decideTriageAnswer(const DecideContext& ctx, const Actor& actor,
                            const v1::Command& command, const v1::Case& c);

// The priorities a case can have, lowest first.
bool validPriority(const std::string& priority);

} // namespace latch::core
