#include "render.h"

#include "latch/casefold.h"
#include "latch/hashing.h"
#include "latch/money.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <sstream>

namespace latch::cli {

namespace {

constexpr const char* kRed = "\033[31;1m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kReset = "\033[0m";

std::string pad(const std::string& text, std::size_t width, bool right = false)
{
    const std::size_t w = displayWidth(text);
    if (w >= width)
        return text;
    const std::string fill(width - w, ' ');
    return right ? fill + text : text + fill;
}

std::string truncate(const std::string& text, std::size_t maxWidth)
{
    if (displayWidth(text) <= maxWidth)
        return text;
    std::string out;
    std::size_t width = 0;
    for (const char c : text) {
        const bool start = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (start && ++width > maxWidth - 1)
            break;
        out += c;
    }
    return out + "…";
}

std::string join(const std::vector<std::string>& parts, const std::string& sep)
{
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty())
            out += sep;
        out += p;
    }
    return out;
}

template <typename Repeated> std::vector<std::string> toVector(const Repeated& repeated)
{
    return { repeated.begin(), repeated.end() };
}

std::string fieldLabel(const std::string& name)
{
    if (name.rfind("field.", 0) == 0)
        return name.substr(6);
    return name;
}

std::string fieldsSummary(const v1::FieldsChanged& f)
{
    std::vector<std::string> parts;
    for (const auto& change : f.changes()) {
        const std::string before = change.before().empty() ? "(none)" : change.before();
        const std::string after = change.after().empty() ? "(none)" : change.after();
        parts.push_back(fieldLabel(change.name()) + ": " + before + " → " + after);
    }
    if (parts.empty())
        return "fields changed";
    return join(parts, "; ");
}

void factLine(std::ostream& out, const std::string& label, const std::string& value)
{
    if (!value.empty())
        out << pad(label, 13) << value << '\n';
}

} // namespace

std::string statusName(v1::CaseStatus status)
{
    std::string name = v1::CaseStatus_Name(status);
    const std::string prefix = "CASE_STATUS_";
    if (name.rfind(prefix, 0) == 0)
        name = name.substr(prefix.size());
    std::transform(name.begin(), name.end(), name.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

std::string moneyText(const v1::Money& money)
{
    if (money.currency().empty())
        return {};
    return formatMoney(Money { money.minor(), money.currency() });
}

std::string localTime(std::int64_t ms)
{
    if (ms <= 0)
        return {};
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    ::localtime_r(&seconds, &tm);
    std::array<char, 32> buf {};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%d %H:%M:%S", &tm);
    return buf.data();
}

std::string isoTime(std::int64_t ms)
{
    if (ms <= 0)
        return {};
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    ::gmtime_r(&seconds, &tm);
    std::array<char, 40> buf {};
    const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf.data() + n, buf.size() - n, ".%03dZ", static_cast<int>(ms % 1000));
    return buf.data();
}

std::string shortId(const std::string& id)
{
    return id.substr(0, 13); // a UUIDv7's time to the millisecond; 8 would be one minute
}

std::size_t displayWidth(const std::string& utf8)
{
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(),
        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void printTable(std::ostream& out, const std::vector<std::string>& headers,
    const std::vector<std::vector<std::string>>& rows, const std::vector<std::size_t>& rightAligned)
{
    std::vector<std::size_t> widths;
    for (const auto& h : headers)
        widths.push_back(displayWidth(h));
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
            const bool right
                = std::find(rightAligned.begin(), rightAligned.end(), i) != rightAligned.end();
            const bool last = i + 1 == cells.size();
            text += (last && !right) ? cells[i] : pad(cells[i], widths[i], right);
            if (!last)
                text += "  ";
        }
        out << text << '\n';
    };
    line(headers);
    for (const auto& row : rows)
        line(row);
}

bool isBlocked(const v1::Event& event)
{
    return event.payload_case() == v1::Event::kAttemptBlocked;
}

bool isVoided(const v1::Event& event)
{
    return event.payload_case() == v1::Event::kApprovalsVoided;
}

std::string eventSummary(const v1::Event& event, const People& people)
{
    switch (event.payload_case()) {
    case v1::Event::kCreated: {
        const auto& c = event.created();
        std::vector<std::string> facts { c.type() };
        if (c.has_amount())
            facts.push_back(moneyText(c.amount()));
        if (!c.customer().empty())
            facts.push_back(c.customer());
        if (!c.order_ref().empty())
            facts.push_back("order " + c.order_ref());
        return c.title() + " (" + join(facts, ", ") + ")";
    }
    case v1::Event::kNoteAdded:
        return event.note_added().text();
    case v1::Event::kFieldsChanged: {
        std::string text = fieldsSummary(event.fields_changed());
        if (event.fields_changed().material())
            text += " (material change)";
        return text;
    }
    case v1::Event::kAssigned: {
        const auto& a = event.assigned();
        if (a.assignee().empty())
            return "unassigned (was " + people.label(a.previous()) + ")";
        return "assigned to " + people.label(a.assignee());
    }
    case v1::Event::kMarkedReady: {
        const auto& m = event.marked_ready();
        if (m.rule().empty())
            return "marked ready; no approval rule applies — now " + statusName(m.new_status());
        std::string text = "marked ready under rule " + m.rule();
        if (!m.rule_summary().empty())
            text += " (" + m.rule_summary() + ")";
        return text + " — now " + statusName(m.new_status());
    }
    case v1::Event::kApprovalGranted: {
        const auto& a = event.approval_granted();
        std::string text
            = "approved as " + a.role() + " (stage " + std::to_string(a.stage() + 1) + ")";
        if (!a.comment().empty())
            text += ": " + a.comment();
        if (a.rule_satisfied())
            text += " — rule satisfied";
        return text;
    }
    case v1::Event::kApprovalDenied: {
        const auto& d = event.approval_denied();
        return "denied as " + d.role() + ": " + d.reason();
    }
    case v1::Event::kAttemptBlocked: {
        const auto& b = event.attempt_blocked();
        std::string text = "BLOCKED " + b.command() + " [" + b.code() + "]: " + b.reason();
        if (!b.rule().empty())
            text += " (rule " + b.rule() + ")";
        return text;
    }
    case v1::Event::kApprovalsVoided: {
        const auto& v = event.approvals_voided();
        std::vector<std::string> who;
        for (const auto& id : v.approvers())
            who.push_back(people.label(id));
        std::string text = "VOIDED approvals";
        if (!who.empty())
            text += " of " + join(who, ", ");
        return text + ": " + v.reason();
    }
    case v1::Event::kClosed:
        return event.closed().reason().empty() ? "closed" : "closed: " + event.closed().reason();
    case v1::Event::kReopened:
        return event.reopened().reason().empty() ? "reopened"
                                                 : "reopened: " + event.reopened().reason();
    case v1::Event::kActionRequested: {
        const auto& r = event.action_requested();
        return "ACTION " + r.action() + " requested: " + r.summary() + " (key " + r.idempotency_key()
            + ")";
    }
    case v1::Event::kActionFinished: {
        const auto& f = event.action_finished();
        std::string text = "ACTION " + f.action() + " " + latch::actionStateName(f.state());
        if (!f.code().empty())
            text += " [" + f.code() + "]";
        if (!f.message().empty())
            text += ": " + f.message();
        if (f.attempts() > 1)
            text += " (" + std::to_string(f.attempts()) + " attempts)";
        return text;
    }
    case v1::Event::kActionUpdated: {
        const auto& u = event.action_updated();
        std::string text = "ACTION " + u.action() + " now " + u.external_status()
            + " at the external system (" + u.source() + ")";
        if (u.state() != v1::ACTION_STATE_UNSPECIFIED)
            text += " — " + latch::actionStateName(u.state());
        return text;
    }
    case v1::Event::kActionCancelRequested: {
        const auto& r = event.action_cancel_requested();
        return "ACTION " + r.action() + " cancel requested (key " + r.idempotency_key() + ")"
            + (r.reason().empty() ? std::string() : ": " + r.reason());
    }
    case v1::Event::kNotification: {
        const auto& n = event.notification();
        std::vector<std::string> who;
        for (const auto& id : n.mentioned())
            who.push_back(people.label(id));
        for (const auto& id : n.named())
            who.push_back(people.label(id));
        std::string text = "NOTIFIED " + n.channel() + " (" + n.reason() + ")";
        if (n.state() != v1::ACTION_STATE_SUCCEEDED)
            text += " " + latch::actionStateName(n.state()) + " [" + n.code() + "]: " + n.message();
        else
            text += who.empty() ? ": nobody can approve it now" : " for " + join(who, ", ");
        return text;
    }
    case v1::Event::kIntakeReceived: {
        const auto& r = event.intake_received();
        std::string text = "INTAKE " + r.channel() + " from " + r.source();
        if (!r.sender().empty())
            text += " (" + r.sender() + ")";
        if (!r.alert_status().empty())
            text += " — " + r.alert_status();
        if (!r.summary().empty())
            text += ": " + r.summary();
        if (r.evidence_size() > 0)
            text += " [" + std::to_string(r.evidence_size()) + " evidence file(s)]";
        return text;
    }
    case v1::Event::kTriageSuggested: {
        const auto& t = event.triage_suggested();
        std::string text = "TRIAGE (" + t.model() + " " + t.model_version() + ") suggests ";
        text += t.type().empty() ? std::string("no type") : t.type();
        if (!t.type().empty())
            text += " (" + std::to_string(int(t.confidence() * 100 + 0.5)) + " %)";
        if (!t.priority().empty())
            text += ", priority " + t.priority();
        if (!t.rule().empty())
            text += ", rule " + t.rule();
        std::vector<std::string> facts;
        for (const auto& f : t.extracted())
            facts.push_back(f.key() + " " + f.value());
        if (!facts.empty())
            text += "; found " + join(facts, ", ");
        if (!t.fallback().empty())
            text += " (" + t.fallback() + ")";
        return text;
    }
    case v1::Event::kTriageDecided: {
        const auto& d = event.triage_decided();
        if (d.accepted())
            return "triage accepted: " + d.type();
        return "triage overridden: " + d.type() + " instead of "
            + (d.suggested_type().empty() ? std::string("no type") : d.suggested_type());
    }
    case v1::Event::PAYLOAD_NOT_SET:
        break;
    }
    return "(an event this latchctl does not know)";
}

std::string timelineLine(const v1::Event& event, const People& people, std::size_t actorWidth,
    std::size_t kindWidth, bool color)
{
    const bool blocked = isBlocked(event);
    std::string kind = eventKindName(event);
    if (kind.empty())
        kind = "unknown";
    std::string line = blocked ? "! " : "  ";
    line += localTime(event.time_ms()) + "  " + pad(people.label(event.actor()), actorWidth) + "  "
        + pad(kind, kindWidth) + "  " + eventSummary(event, people);
    if (color && blocked)
        return kRed + line + kReset;
    if (color && isVoided(event))
        return kYellow + line + kReset;
    return line;
}

std::vector<std::string> uniquePrefixes(const std::vector<std::string>& ids)
{
    // UUIDv7 ids begin with the creation time, so ids made within a minute share their first 8
    // characters: show each one as long as it must be to stand for itself (at least 8).
    std::vector<std::string> out;
    for (const auto& id : ids) {
        std::size_t need = 8;
        for (const auto& other : ids) {
            if (&other == &id || other == id)
                continue;
            const auto diff = std::mismatch(id.begin(), id.end(), other.begin(), other.end());
            need = std::max(need, static_cast<std::size_t>(diff.first - id.begin()) + 1);
        }
        if (need < id.size() && id[need - 1] == '-')
            ++need;
        out.push_back(id.substr(0, need));
    }
    return out;
}

void printCaseTable(std::ostream& out, const std::vector<v1::Case>& cases, const People& people)
{
    if (cases.empty()) {
        out << "No cases.\n";
        return;
    }
    std::vector<std::string> ids;
    for (const auto& c : cases)
        ids.push_back(c.id());
    const auto shown = uniquePrefixes(ids);
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        rows.push_back({ shown[i], statusName(c.status()), c.type(), moneyText(c.amount()),
            truncate(c.customer(), 24), c.assignee().empty() ? "—" : c.assignee(),
            localTime(c.updated_ms()), truncate(c.title(), 48) });
    }
    printTable(out,
        { "ID", "STATUS", "TYPE", "AMOUNT", "CUSTOMER", "ASSIGNEE", "UPDATED", "TITLE" }, rows,
        { 3 });
}

void printCaseFacts(std::ostream& out, const v1::Case& c, const People& people)
{
    factLine(out, "Case", c.id());
    factLine(out, "Title", c.title());
    factLine(out, "Status", statusName(c.status()));
    factLine(out, "Type", c.type());
    factLine(out, "Amount", moneyText(c.amount()));
    factLine(out, "Customer", c.customer());
    factLine(out, "Order", c.order_ref());
    factLine(out, "Queue", c.queue());
    factLine(out, "Assignee", people.label(c.assignee()));
    factLine(out, "Requester", people.label(c.requester()));
    if (!c.preparer().empty())
        factLine(out, "Preparer", people.label(c.preparer()));
    if (!c.rule().empty())
        factLine(out, "Rule", c.rule());
    factLine(out, "Created", localTime(c.created_ms()));
    factLine(out, "Updated",
        localTime(c.updated_ms()) + " (version " + std::to_string(c.version()) + ")");
    bool first = true;
    for (const auto& f : c.fields()) {
        factLine(out, first ? "Fields" : "", f.key() + " = " + f.value());
        first = false;
    }
    factLine(out, "Description", c.description());
    first = true;
    for (const auto& a : c.approvals()) {
        std::string text
            = people.label(a.approver()) + " as " + a.role() + ", " + localTime(a.time_ms());
        if (!a.comment().empty())
            text += ": " + a.comment();
        factLine(out, first ? "Approvals" : "", text);
        first = false;
    }
}

void printRuleCheck(std::ostream& out, const v1::RuleCheck& check, const People& people)
{
    if (!check.matched()) {
        out << "No approval rule applies";
        if (!check.explanation().empty())
            out << ": " << check.explanation();
        out << '\n';
        return;
    }
    out << "Rule " << check.rule() << ": " << (check.satisfied() ? "satisfied" : "not satisfied")
        << '\n';
    if (!check.explanation().empty())
        out << "  Why it applies: " << check.explanation() << '\n';
    for (const auto& stage : check.stages()) {
        out << "  Stage " << stage.index() + 1 << ": " << stage.required() << " approval"
            << (stage.required() == 1 ? "" : "s") << " from "
            << join(toVector(stage.approver_roles()), " or ") << " — "
            << (stage.satisfied() ? "satisfied" : "waiting") << '\n';
        if (stage.approved_by_size() > 0) {
            std::vector<std::string> who;
            for (const auto& id : stage.approved_by())
                who.push_back(people.label(id));
            out << "    approved by: " << join(who, ", ") << '\n';
        }
        if (!stage.satisfied()) {
            std::vector<std::string> eligible;
            for (const auto& id : stage.eligible())
                eligible.push_back(people.label(id));
            out << "    eligible now: "
                << (eligible.empty() ? std::string("nobody") : join(eligible, ", ")) << '\n';
        }
    }
    for (const auto& missing : check.missing())
        out << "  Missing: " << missing << '\n';
    for (const auto& note : check.notes())
        out << "  Note: " << note << '\n';
    if (check.allowed_actions_size() > 0)
        out << "Allowed actions: " << join(toVector(check.allowed_actions()), ", ") << '\n';
    std::vector<std::string> gated;
    for (const auto& action : check.gated_actions())
        if (std::find(check.allowed_actions().begin(), check.allowed_actions().end(), action)
            == check.allowed_actions().end())
            gated.push_back(action);
    if (!gated.empty())
        out << "Gated actions: " << join(gated, ", ") << " — not allowed until approved\n";
}

void printTimeline(
    std::ostream& out, const std::vector<v1::Event>& events, const People& people, bool color)
{
    std::size_t actorWidth = 0;
    std::size_t kindWidth = 0;
    for (const auto& e : events) {
        actorWidth = std::max(actorWidth, displayWidth(people.label(e.actor())));
        kindWidth = std::max(kindWidth, eventKindName(e).size());
    }
    for (const auto& e : events)
        out << timelineLine(e, people, actorWidth, kindWidth, color) << '\n';
}

void printUsers(std::ostream& out, const std::vector<v1::User>& users)
{
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : users)
        rows.push_back({ u.username(), u.display_name(), join(toVector(u.roles()), ","),
            u.disabled() ? "disabled" : "active" });
    printTable(out, { "USERNAME", "NAME", "ROLES", "STATUS" }, rows);
}

void printAudit(std::ostream& out, const std::vector<v1::AdminAuditEntry>& entries)
{
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : entries)
        rows.push_back({ localTime(e.time_ms()), e.actor(), e.action(), e.target(), e.detail() });
    printTable(out, { "TIME", "ACTOR", "ACTION", "TARGET", "DETAIL" }, rows);
}

} // namespace latch::cli
