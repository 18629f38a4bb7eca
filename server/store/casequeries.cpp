#include "store/casequeries.h"

#include "store/connection.h"

#include <cstdint>
#include <map>

namespace latch::store {

namespace {

// SQLite reads a negative LIMIT as "no limit"; the interface's 0 means the same.
std::int64_t sqlLimit(std::uint32_t limit)
{
    return limit == 0 ? -1 : static_cast<std::int64_t>(limit);
}

// A cursor beyond INT64_MAX (only a broken or hostile client sends one) would wrap negative and
// select everything; clamped, it selects nothing, as it should.
std::int64_t sqlSeq(std::uint64_t seq)
{
    constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
    return static_cast<std::int64_t>(seq > kMax ? kMax : seq);
}

template <typename Message> std::vector<Message> collect(Connection::Use& query, const char* what)
{
    std::vector<Message> out;
    while (query->step()) {
        out.push_back(parseStored<Message>(query->columnBlob(0), what));
    }
    return out;
}

} // namespace

std::uint64_t CaseQueries::headSeq()
{
    auto query = m_connection.prepare("SELECT coalesce(max(seq), 0) FROM events");
    query->step();
    return static_cast<std::uint64_t>(query->columnInt64(0));
}

std::optional<v1::Case> CaseQueries::loadCase(const std::string& id)
{
    auto query = m_connection.prepare("SELECT data FROM cases WHERE id = ?1");
    query->bindText(1, id);
    if (!query->step()) {
        return std::nullopt;
    }
    return parseStored<v1::Case>(query->columnBlob(0), "case");
}

std::optional<core::CommandRecord> CaseQueries::findCommand(const std::string& commandId)
{
    auto query = m_connection.prepare(
        "SELECT actor, data, fingerprint FROM commands WHERE command_id = ?1");
    query->bindText(1, commandId);
    if (!query->step()) {
        return std::nullopt;
    }
    core::CommandRecord record;
    record.commandId = commandId;
    record.actor = query->columnText(0);
    record.result = parseStored<v1::CommandResult>(query->columnBlob(1), "command result");
    record.fingerprint = query->columnBlob(2);
    return record;
}

std::vector<v1::Event> CaseQueries::caseEvents(const std::string& id)
{
    auto query
        = m_connection.prepare("SELECT data FROM events WHERE case_id = ?1 ORDER BY case_version");
    query->bindText(1, id);
    return collect<v1::Event>(query, "event");
}

std::vector<v1::Case> CaseQueries::casesPage(const std::string& afterId, std::uint32_t limit)
{
    auto query = m_connection.prepare("SELECT data FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2");
    query->bindText(1, afterId);
    query->bindInt64(2, sqlLimit(limit));
    return collect<v1::Case>(query, "case");
}

std::vector<v1::Case> CaseQueries::listCases(const core::CaseFilter& filter)
{
    // Only the filters in use go into the SQL so each can use its index; at most eight distinct
    // texts, each prepared once per connection.
    std::string sql = "SELECT data FROM cases";
    std::vector<const std::string*> values;
    const auto where = [&](const char* column, const std::string& value) {
        if (value.empty()) {
            return;
        }
        sql += values.empty() ? " WHERE " : " AND ";
        sql += column;
        sql += " = ?" + std::to_string(values.size() + 1);
        values.push_back(&value);
    };
    where("status", filter.status);
    where("type", filter.type);
    where("assignee", filter.assignee);
    // Most recently changed first: what a queue shows at the top.
    sql += " ORDER BY last_seq DESC LIMIT ?" + std::to_string(values.size() + 1);

    auto query = m_connection.prepare(sql);
    for (std::size_t i = 0; i < values.size(); ++i) {
        query->bindText(static_cast<int>(i + 1), *values[i]);
    }
    query->bindInt64(static_cast<int>(values.size() + 1), sqlLimit(filter.limit));
    return collect<v1::Case>(query, "case");
}

std::vector<std::string> CaseQueries::casesTouchedAfter(std::uint64_t seq)
{
    auto query = m_connection.prepare(
        "SELECT DISTINCT case_id FROM events WHERE seq > ?1 ORDER BY case_id");
    query->bindInt64(1, sqlSeq(seq));
    std::vector<std::string> ids;
    while (query->step()) {
        ids.push_back(query->columnText(0));
    }
    return ids;
}

std::vector<v1::Event> CaseQueries::eventsAfter(std::uint64_t seq, std::uint32_t limit)
{
    auto query
        = m_connection.prepare("SELECT data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    query->bindInt64(1, sqlSeq(seq));
    query->bindInt64(2, sqlLimit(limit));
    return collect<v1::Event>(query, "event");
}

std::uint64_t CaseQueries::caseCount()
{
    auto query = m_connection.prepare("SELECT count(*) FROM cases");
    query->step();
    return static_cast<std::uint64_t>(query->columnInt64(0));
}

core::AuditResult CaseQueries::auditEvents(const core::AuditFilter& f)
{
    // Kinds as ",a,b," so one bound parameter holds the list. A scan of the events newest first:
    // audits are rare and the table keeps no index beyond its seq, which every command pays for.
    std::string kinds;
    for (const auto& k : f.kinds)
        kinds += "," + k;
    if (!kinds.empty())
        kinds += ",";
    auto query = m_connection.prepare(
        "SELECT e.time_ms, e.data, c.data FROM events e JOIN cases c ON c.id = e.case_id"
        " WHERE (?1 = '' OR e.actor = ?1) AND (?2 = '' OR instr(?2, ',' || e.kind || ',') > 0)"
        " AND (?3 = '' OR c.type = ?3) AND (?4 = 0 OR e.time_ms < ?4)"
        " ORDER BY e.seq DESC");
    query->bindText(1, f.actor);
    query->bindText(2, kinds);
    query->bindText(3, f.caseType);
    query->bindInt64(4, f.toMs);
    core::AuditResult out;
    std::map<std::string, std::optional<v1::Case>> cases; // parsed once, visible or not
    while (query->step()) {
        // Event times never go back as seqs go up (the writer sees to it), so the scan stops at
        // the first event older than the range instead of reading the rest of the history.
        if (query->columnInt64(0) < f.fromMs)
            break;
        auto event = parseStored<v1::Event>(query->columnBlob(1), "event");
        auto& c = cases[event.case_id()];
        if (!c) {
            auto parsed = parseStored<v1::Case>(query->columnBlob(2), "case");
            c = (!f.visible || f.visible(parsed)) ? std::optional<v1::Case>(std::move(parsed))
                                                  : std::optional<v1::Case>(v1::Case{});
        }
        if (c->id().empty())
            continue; // not visible to the asker
        if (out.rows.size() == f.limit) {
            out.truncated = true;
            break;
        }
        v1::AuditRow& row = out.rows.emplace_back();
        *row.mutable_event() = std::move(event);
        row.set_case_type(c->type());
        row.set_case_title(c->title());
    }
    return out;
}

} // namespace latch::store
