#include "auditexport.h"

#include "jsonview.h"
#include "latch/hashing.h"
#include "render.h"

namespace latch::cli {

namespace {

std::string csvField(const std::string& value)
{
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string out = "\"";
    for (char c : value)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string auditCsv(const AuditRows& rows, const People& people)
{
    std::string out = "time,seq,case_id,case_type,case_title,kind,actor,blocked,summary\r\n";
    for (const auto& row : rows) {
        const auto& e = row.event();
        out += isoTime(e.time_ms()) + ',' + std::to_string(e.seq()) + ',' + csvField(e.case_id())
            + ',' + csvField(row.case_type()) + ',' + csvField(row.case_title()) + ','
            + eventKindName(e) + ',' + csvField(e.actor()) + ',' + (isBlocked(e) ? "yes" : "no")
            + ',' + csvField(eventSummary(e, people)) + "\r\n";
    }
    return out;
}

nlohmann::json auditJson(const AuditRows& rows, const People& people, bool truncated)
{
    auto events = nlohmann::json::array();
    for (const auto& row : rows) {
        auto j = toJson(row.event(), people);
        j["case_type"] = row.case_type();
        j["case_title"] = row.case_title();
        events.push_back(std::move(j));
    }
    return { { "events", events }, { "truncated", truncated } };
}

} // namespace latch::cli
