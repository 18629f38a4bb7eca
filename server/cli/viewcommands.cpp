// latchctl case list, case show, timeline, rules check and watch: the read-only commands.
#include "commands.h"
#include "context.h"
#include "jsonview.h"
#include "render.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

namespace latch::cli {

namespace {

struct ViewOptions {
    std::string caseRef;
    std::string status;
    std::string type;
    bool mine = false;
    std::uint32_t limit = 0;
    std::uint64_t cursor = 0;
    CLI::Option* cursorOpt = nullptr;
};

int listCases(Context& ctx, const ViewOptions& o)
{
    v1::Query q;
    auto* list = q.mutable_list_cases();
    list->set_status(o.status);
    list->set_type(o.type);
    list->set_mine(o.mine);
    list->set_limit(o.limit);
    const auto result = ctx.query(q);
    std::vector<v1::Case> cases(result.cases().begin(), result.cases().end());
    if (ctx.json()) {
        auto out = nlohmann::json::array();
        for (const auto& c : cases)
            out.push_back(toJson(c));
        ctx.printJson(out);
    } else {
        printCaseTable(std::cout, cases, People(result.people()));
    }
    return 0;
}

v1::QueryResult timelineOf(Context& ctx, const std::string& caseId)
{
    v1::Query q;
    q.mutable_get_timeline()->set_case_id(caseId);
    return ctx.query(q);
}

v1::QueryResult rulesOf(Context& ctx, const std::string& caseId)
{
    v1::Query q;
    q.mutable_check_rules()->set_case_id(caseId);
    return ctx.query(q);
}

nlohmann::json eventsJson(const v1::QueryResult& result, const People& people)
{
    auto out = nlohmann::json::array();
    for (const auto& e : result.events())
        out.push_back(toJson(e, people));
    return out;
}

int showCase(Context& ctx, const ViewOptions& o)
{
    const std::string id = ctx.resolveCase(o.caseRef);
    v1::Query q;
    q.mutable_get_case()->set_case_id(id);
    const auto found = ctx.query(q);
    if (found.cases_size() == 0)
        raise(fail("case.not_found", "case " + id + " was not found"));
    const auto rules = rulesOf(ctx, id);
    const auto timeline = timelineOf(ctx, id);
    People people(found.people());
    people.add(rules.people());
    people.add(timeline.people());
    if (ctx.json()) {
        ctx.printJson(
            { { "case", toJson(found.cases(0)) }, { "rule_check", toJson(rules.rule_check()) },
                { "timeline", eventsJson(timeline, people) } });
        return 0;
    }
    printCaseFacts(std::cout, found.cases(0), people);
    std::cout << '\n';
    printRuleCheck(std::cout, rules.rule_check(), people);
    std::cout << "\nTimeline\n";
    std::vector<v1::Event> events(timeline.events().begin(), timeline.events().end());
    printTimeline(std::cout, events, people, ctx.color());
    return 0;
}

int showTimeline(Context& ctx, const ViewOptions& o)
{
    const auto result = timelineOf(ctx, ctx.resolveCase(o.caseRef));
    const People people(result.people());
    if (ctx.json()) {
        ctx.printJson(eventsJson(result, people));
        return 0;
    }
    std::vector<v1::Event> events(result.events().begin(), result.events().end());
    printTimeline(std::cout, events, people, ctx.color());
    return 0;
}

int checkRules(Context& ctx, const ViewOptions& o)
{
    const std::string id = ctx.resolveCase(o.caseRef);
    const auto result = rulesOf(ctx, id);
    if (ctx.json()) {
        auto out = toJson(result.rule_check());
        out["case_id"] = id;
        ctx.printJson(out);
        return 0;
    }
    printRuleCheck(std::cout, result.rule_check(), People(result.people()));
    return 0;
}

// Prints the events not shown yet, in seq order, and remembers how far it got.
void printNew(Context& ctx, std::map<std::uint64_t, v1::Event>& pending, std::uint64_t& shown)
{
    const People nobody; // pushes carry no display names; ids are shown
    for (const auto& [seq, event] : pending) {
        if (seq <= shown)
            continue;
        if (ctx.json()) {
            std::cout << toJson(event, nobody)
                             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } else {
            // "! seq 42  0190abcd  2026-11-24 09:20:11  jlee  attempt_blocked  BLOCKED approve ..."
            const std::string line = timelineLine(event, nobody);
            const std::string text = line.substr(0, 2) + "seq " + std::to_string(seq) + "  "
                + shortId(event.case_id()) + "  " + line.substr(2);
            if (ctx.color() && (isBlocked(event) || isVoided(event)))
                std::cout << (isBlocked(event) ? "\033[31;1m" : "\033[33m") << text << "\033[0m";
            else
                std::cout << text;
        }
        std::cout << std::endl; // a watcher reads line by line: flush each one
        shown = seq;
    }
    pending.clear();
}

void printRevoke(Context& ctx, const std::string& caseId, const std::string& reason)
{
    if (ctx.json())
        std::cout << nlohmann::json {
            { "revoke", { { "case_id", caseId }, { "reason", reason } } }
        }.dump();
    else
        std::cout << "  revoked " << caseId << ": "
                  << (reason.empty() ? "no longer visible to you" : reason);
    std::cout << std::endl;
}

int watch(Context& ctx, const ViewOptions& o)
{
    std::uint64_t cursor = o.cursor;
    if (!(o.cursorOpt && o.cursorOpt->count() > 0)) {
        // Only what happens from now on: ask where the log ends, then catch up from there.
        ctx.authenticated();
        cursor = ctx.welcome().head_seq();
        ctx.disconnect();
    }
    Client& client = ctx.authenticated(true, cursor);
    std::cerr << "latchctl: watching " << ctx.serverUrl() << " as "
              << ctx.welcome().user().username() << " from seq " << cursor << "; Ctrl-C to stop\n";
    std::uint64_t shown = cursor;
    std::map<std::uint64_t, v1::Event> pending;
    for (;;) {
        auto envelope = client.readEnvelope(std::chrono::milliseconds(0));
        if (!envelope)
            raise(envelope.failure());
        if (envelope->has_snapshot()) {
            for (const auto& snapshot : envelope->snapshot().cases())
                for (const auto& e : snapshot.events())
                    pending.emplace(e.seq(), e);
            for (const auto& id : envelope->snapshot().revoked())
                printRevoke(ctx, id, {});
            if (envelope->snapshot().last())
                printNew(ctx, pending, shown);
        } else if (envelope->has_events()) {
            for (const auto& e : envelope->events().events())
                pending.emplace(e.seq(), e);
            for (const auto& snapshot : envelope->events().cases())
                for (const auto& e : snapshot.events())
                    pending.emplace(e.seq(), e);
            printNew(ctx, pending, shown);
        } else if (envelope->has_revoke()) {
            printRevoke(ctx, envelope->revoke().case_id(), envelope->revoke().reason());
        }
    }
}

CLI::App* view(CLI::App* parent, Context& ctx, Action& action, const char* name, const char* help,
    int (*fn)(Context&, const ViewOptions&), std::shared_ptr<ViewOptions>& o, bool takesCase)
{
    o = std::make_shared<ViewOptions>();
    auto* sub = parent->add_subcommand(name, help);
    if (takesCase)
        sub->add_option("case", o->caseRef, "Case id, or a unique prefix of 8+ characters")
            ->required();
    auto keep = o;
    sub->callback(
        [&ctx, &action, keep, fn] { action = [&ctx, keep, fn] { return fn(ctx, *keep); }; });
    return sub;
}

} // namespace

void addViewCommands(CLI::App& app, Context& ctx, Action& action)
{
    std::shared_ptr<ViewOptions> o;
    CLI::App* cases = app.get_subcommand("case");

    auto* list
        = view(cases, ctx, action, "list", "List the cases you can see", listCases, o, false);
    list->add_option("--status", o->status, "Only this status")
        ->check(
            CLI::IsMember({ "in_review", "awaiting_approval", "approved", "denied", "closed" }));
    list->add_option("--type", o->type, "Only this case type");
    list->add_flag("--mine", o->mine, "Only cases assigned to me");
    list->add_option("--limit", o->limit, "At most N cases");

    view(cases, ctx, action, "show", "Facts, rule check and timeline of a case", showCase, o, true);

    view(&app, ctx, action, "timeline", "The case's history, oldest first", showTimeline, o, true);

    auto* rules = app.add_subcommand("rules", "Approval rules");
    rules->require_subcommand(1);
    view(rules, ctx, action, "check", "Which rule applies to a case and what it still needs",
        checkRules, o, true);

    auto* watchCmd = view(&app, ctx, action, "watch",
        "Print events as they happen, one line each (Ctrl-C stops)", watch, o, false);
    o->cursorOpt = watchCmd->add_option(
        "--cursor", o->cursor, "Start after this seq (replays what came after it)");
}

} // namespace latch::cli
