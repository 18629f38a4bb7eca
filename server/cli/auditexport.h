#pragma once
// An audit query's answer (QueryResult.audit_rows) as CSV and as JSON, the two forms `latchctl
// audit events` prints and the app's audit screen saves, so a file from either reads the same.
#include "latch.pb.h"
#include "people.h"

#include <nlohmann/json.hpp>
#include <string>

namespace latch::cli {

using AuditRows = google::protobuf::RepeatedPtrField<v1::AuditRow>;

// RFC 4180, CRLF line ends, a header line: time,seq,case_id,case_type,case_title,kind,actor,
// blocked,summary. Times are UTC (ISO 8601).
std::string auditCsv(const AuditRows& rows, const People& people);

// {"events": [each event as latchctl --json shows one, plus case_type and case_title],
//  "truncated": more matched than were returned}
nlohmann::json auditJson(const AuditRows& rows, const People& people, bool truncated);

} // namespace latch::cli
