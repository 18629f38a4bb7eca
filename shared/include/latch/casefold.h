#pragma once
// A case's state is a fold over its events. The server's writer folds each new event into the row it
// stores beside the events; the app folds pushed events into its replica the same way; a test folds
// whole histories and compares with the stored row.
#include "latch.pb.h"

#include <string>
#include <vector>

namespace latch {

// Applies one event (already sequenced and hashed) to the case state.
void applyEvent(v1::Case& c, const v1::Event& event);

// Folds a whole history, in order, from an empty case.
v1::Case foldEvents(const std::vector<v1::Event>& events);

// "in_review", "awaiting_approval", "approved", "denied", "closed"; "" for unspecified.
std::string statusName(v1::CaseStatus status);
// "requested", "succeeded", "failed", "unknown" ("" when unspecified).
std::string actionStateName(v1::ActionState state);
// The inverse; CASE_STATUS_UNSPECIFIED for an unknown name.
v1::CaseStatus statusFromName(const std::string& name);

// Free fields as the sorted repeated Field list the schema keeps.
void setField(v1::Case& c, const std::string& key, const std::string& value);
void removeField(v1::Case& c, const std::string& key);
const std::string* findField(const v1::Case& c, const std::string& key);
// The action run with this idempotency key, and the latest run of an action; null when none.
const v1::ActionRun* findActionRun(const v1::Case& c, const std::string& idempotencyKey);
const v1::ActionRun* latestActionRun(const v1::Case& c, const std::string& action);

} // namespace latch
