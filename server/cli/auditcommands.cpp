// latchctl audit events: the case history across cases (Query{audit_query}), filtered by actor,
// event kind, case type and time, as a table, CSV or JSON.
#include "auditexport.h"
#include "commands.h"
#include "context.h"
#include "people.h"
#include "render.h"
#include "latch/hashing.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>

namespace latch::cli {

namespace {

struct AuditOptions {
    std::string actor;
    std::vector<std::string> kinds;
    std::string type;
    std::string since;
    std::string until;
    std::uint32_t limit = 0;
    bool csv = false;
};

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// "90d", "12h", "30m" before now, or a UTC date "2026-09-01" / time "2026-09-01T10:00:00Z".
std::optional<std::int64_t> parseWhen(const std::string& text)
{
    static const std::regex relative(R"(^(\d{1,6})([dhm])$)");
    static const std::regex absolute(
        R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?$)");
    std::smatch m;
    if (std::regex_match(text, m, relative)) {
        const std::int64_t n = std::stoll(m[1]);
        const std::int64_t unit = m[2] == "d" ? 86'400'000 : m[2] == "h" ? 3'600'000 : 60'000;
        return nowMs() - n * unit;
    }
    if (std::regex_match(text, m, absolute)) {
        std::tm tm{};
        tm.tm_year = std::stoi(m[1]) - 1900;
        tm.tm_mon = std::stoi(m[2]) - 1;
        tm.tm_mday = std::stoi(m[3]);
        tm.tm_hour = m[4].matched ? std::stoi(m[4]) : 0;
        tm.tm_min = m[5].matched ? std::stoi(m[5]) : 0;
        tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
        if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23
            || tm.tm_min > 59 || tm.tm_sec > 60)
            return std::nullopt;
        return std::int64_t(timegm(&tm)) * 1000;
    }
    return std::nullopt;
}

int auditEvents(Context& ctx, const AuditOptions& o)
{
    v1::Query q;
    auto* aq = q.mutable_audit_query();
    aq->set_actor(o.actor);
    for (const auto& k : o.kinds)
        aq->add_kinds(k);
    aq->set_case_type(o.type);
    aq->set_limit(o.limit);
    if (!o.since.empty()) {
        const auto from = parseWhen(o.since);
        if (!from)
            usageError("--since " + o.since + ": give 90d, 12h, 30m or a date as 2026-09-01");
        aq->set_from_ms(*from);
    }
    if (!o.until.empty()) {
        const auto to = parseWhen(o.until);
        if (!to)
            usageError("--until " + o.until + ": give 90d, 12h, 30m or a date as 2026-09-01");
        aq->set_to_ms(*to);
    }
    const auto result = ctx.query(q);
    const People people(result.people());
    if (ctx.json()) {
        ctx.printJson(auditJson(result.audit_rows(), people, result.audit_truncated()));
        return 0;
    }
    if (o.csv) {
        std::cout << auditCsv(result.audit_rows(), people);
    } else if (result.audit_rows().empty()) {
        std::cout << "No events match.\n";
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const auto& row : result.audit_rows()) {
            const auto& e = row.event();
            rows.push_back({localTime(e.time_ms()), shortId(e.case_id()), row.case_type(),
                            eventKindName(e), e.actor(), eventSummary(e, people)});
        }
        printTable(std::cout, {"TIME", "CASE", "TYPE", "KIND", "ACTOR", "WHAT"}, rows);
    }
    if (result.audit_truncated())
        std::cerr << "latchctl: more events match; showing the newest " << result.audit_rows_size()
                  << " (--limit raises it, up to 10000)\n";
    return 0;
}

} // namespace

void addAuditEventsCommand(CLI::App& audit, Context& ctx, Action& action)
{
    auto o = std::make_shared<AuditOptions>();
    auto* sub = audit.add_subcommand(
        "events", "Events across the cases you can see, newest first: by actor, kind, case type "
                  "and time (e.g. --kind attempt_blocked --since 90d)");
    sub->add_option("--actor", o->actor, "Only events by this user (or intake, triage, plugin:...)");
    sub->add_option("--kind", o->kinds, "Only this event kind (repeat for several)")
        ->allow_extra_args(false);
    sub->add_option("--type", o->type, "Only cases of this type (their current type)");
    sub->add_option("--since", o->since, "From: 90d, 12h, 30m ago, or a UTC date 2026-09-01");
    sub->add_option("--until", o->until, "Before: the same forms");
    sub->add_option("--limit", o->limit, "At most N events (default 500, at most 10000)");
    sub->add_flag("--csv", o->csv, "CSV (RFC 4180) instead of a table");
    sub->callback([&ctx, &action, o] { action = [&ctx, o] { return auditEvents(ctx, *o); }; });
}

} // namespace latch::cli
