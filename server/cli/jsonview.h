#pragma once
// The --json output of latchctl: protocol messages as plain JSON objects with snake_case keys,
// statuses as lower-case names ("awaiting_approval"), money as {minor, currency, display} and
// times as both Unix milliseconds and ISO-8601 UTC. Scripts and the end-to-end tests read these
// shapes; docs/latchctl.md documents them. Add keys freely; never rename or remove one.
#include "latch.pb.h"
#include "people.h"

#include <nlohmann/json.hpp>

namespace latch::cli {

nlohmann::json toJson(const v1::Money& money);
nlohmann::json toJson(const v1::Case& c);
nlohmann::json toJson(const v1::Event& event, const People& people);
nlohmann::json toJson(const v1::RuleCheck& check);
nlohmann::json toJson(const v1::User& user);
nlohmann::json toJson(const v1::AdminAuditEntry& entry);
nlohmann::json toJson(const v1::CommandResult& result);

// Any protobuf message through protobuf's JSON mapping, with the .proto field names.
nlohmann::json messageJson(const google::protobuf::Message& message);

} // namespace latch::cli
