#include "report.h"

#include "bundle.h"
#include "latch/casefold.h"
#include "latch/hashing.h"
#include "latch/merkle.h"
#include "latch/signednote.h"
#include "render.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace latch::cli {

namespace {

constexpr const char* kStyle = R"css(
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
       max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .2rem; }
.sub { color: #5b6577; margin-top: 0; }
table.facts { border-collapse: collapse; }
table.facts th { text-align: left; font-weight: 600; padding: .15rem 1.2rem .15rem 0;
                 vertical-align: top; color: #3b4456; white-space: nowrap; }
table.facts td { padding: .15rem 0; vertical-align: top; word-break: break-word; }
ol.story { list-style: none; padding: 0; }
ol.story li { border-left: 3px solid #c4cbd8; padding: .3rem 0 .5rem .9rem; margin-bottom: .6rem; }
ol.story li.blocked { border-color: #c62828; background: #fdf0f0; }
ol.story li.voided { border-color: #ef8f00; background: #fff7e8; }
ol.story li.approved { border-color: #2e7d32; }
ol.story li.action { border-color: #1565c0; }
.when { color: #5b6577; font-size: .85rem; }
.tag { font-weight: 700; color: #c62828; }
blockquote { margin: .4rem 0; padding: .3rem .8rem; background: #f4f6f9; border-radius: 4px;
             white-space: pre-wrap; }
pre { background: #f4f6f9; padding: .5rem .8rem; border-radius: 4px; white-space: pre-wrap;
      word-break: break-all; font-size: .82rem; margin: .3rem 0; }
code, .hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem;
              word-break: break-all; }
.label { font-weight: 600; margin-top: .4rem; }
)css";

std::string esc(const std::string& text)
{
    return htmlEscape(text);
}

// "2026-11-24 09:18:03 UTC"
std::string when(std::int64_t ms)
{
    std::string iso = isoTime(ms);
    if (iso.size() < 19)
        return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
}

std::string join(const std::vector<std::string>& parts, const std::string& sep)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

// A person by name and id ("A. Torres (atorres)"); the server's own actors in words.
std::string who(const People& people, const std::string& id)
{
    if (id == "system")
        return "The server";
    if (id == "triage")
        return "Triage";
    if (id == "intake")
        return "Intake";
    if (id.rfind("plugin:", 0) == 0)
        return "The " + id.substr(7) + " plugin";
    const std::string name = people.name(id);
    if (name.empty() || name == id)
        return id;
    return name + " (" + id + ")";
}

std::string quote(const std::string& text)
{
    return "<blockquote>" + esc(text) + "</blockquote>";
}

std::string pre(const std::string& label, const std::string& text)
{
    if (text.empty())
        return {};
    return "<div class=\"label\">" + esc(label) + "</div><pre>" + esc(text) + "</pre>";
}

// A plan is compact JSON; indented, a reader can follow it.
std::string readablePlan(const std::string& plan)
{
    const auto json = nlohmann::ordered_json::parse(plan, nullptr, false);
    if (json.is_discarded())
        return plan;
    return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string percent(double confidence)
{
    return std::to_string(static_cast<int>(std::lround(confidence * 100))) + " %";
}

std::string fieldName(const std::string& name)
{
    if (name.rfind("field.", 0) == 0)
        return name.substr(6);
    if (name == "order_ref")
        return "order";
    return name;
}

std::string attempted(const std::string& command)
{
    if (command == "approve")
        return "approve the case";
    if (command == "deny")
        return "deny the case";
    if (command.rfind("action:", 0) == 0)
        return "run " + command.substr(7);
    if (command == "cancel_action")
        return "cancel an action";
    return command;
}

std::string factsSentence(const v1::CaseCreated& c)
{
    std::vector<std::string> facts;
    if (!c.type().empty())
        facts.push_back("type " + esc(c.type()));
    if (c.has_amount())
        facts.push_back(esc(moneyText(c.amount())));
    if (!c.customer().empty())
        facts.push_back("customer " + esc(c.customer()));
    if (!c.order_ref().empty())
        facts.push_back("order " + esc(c.order_ref()));
    if (!c.queue().empty())
        facts.push_back("queue " + esc(c.queue()));
    return facts.empty() ? std::string() : " (" + join(facts, ", ") + ")";
}

struct Entry {
    std::string css; // blocked, voided, approved, action or ""
    std::string headline; // HTML
    std::string detail; // HTML, may be empty
};

Entry intakeEntry(const v1::IntakeReceived& r)
{
    Entry e;
    std::string how = r.channel() == "email" ? "An email"
        : r.channel() == "form"              ? "A web form"
        : r.channel() == "alertmanager"      ? "An alert"
                                             : "A " + r.channel() + " delivery";
    e.headline = esc(how) + " came in through " + esc(r.source());
    if (!r.sender().empty())
        e.headline += ", from " + esc(r.sender());
    if (!r.summary().empty())
        e.headline += ": “" + esc(r.summary()) + "”";
    if (!r.alert_status().empty())
        e.headline += " (" + esc(r.alert_status()) + ")";
    e.headline += ".";
    if (!r.text().empty())
        e.detail += quote(r.text());
    for (const auto& ev : r.evidence()) {
        e.detail += "<div>Evidence: <code>" + esc(ev.name()) + "</code> (" + esc(ev.content_type())
            + ", " + std::to_string(ev.size()) + " bytes, SHA-256 <span class=\"hash\">"
            + toHex(ev.sha256()) + "</span>)"
            + (ev.kept() ? std::string(", kept on the case")
                         : ", not kept" + (ev.note().empty() ? "" : ": " + esc(ev.note())))
            + "</div>";
    }
    return e;
}

Entry triageEntry(const v1::TriageSuggested& t)
{
    Entry e;
    const std::string model
        = esc(t.model() + (t.model_version().empty() ? "" : " " + t.model_version()));
    if (t.type().empty())
        e.headline = "Triage (" + model + ") could not tell the type with enough confidence";
    else
        e.headline = "Triage (" + model + ") suggested the type <b>" + esc(t.type()) + "</b> ("
            + percent(t.confidence()) + " confident)";
    if (!t.priority().empty())
        e.headline += ", priority " + esc(t.priority());
    e.headline += ". A suggestion only: nothing changes until a person accepts or overrides it.";
    if (!t.rule().empty())
        e.detail += "<div>The rule that would apply: " + esc(t.rule())
            + (t.rule_summary().empty() ? "" : " — " + esc(t.rule_summary())) + "</div>";
    std::vector<std::string> found;
    for (const auto& f : t.extracted())
        found.push_back(esc(f.key()) + " <b>" + esc(f.value()) + "</b>");
    if (!found.empty())
        e.detail += "<div>Found in the text: " + join(found, ", ") + "</div>";
    std::vector<std::string> scores;
    for (const auto& s : t.scores())
        scores.push_back(esc(s.type()) + " " + percent(s.score()));
    if (!scores.empty())
        e.detail += "<div class=\"when\">Scores: " + join(scores, ", ") + "</div>";
    if (!t.fallback().empty())
        e.detail += "<div class=\"when\">" + esc(t.fallback()) + "</div>";
    e.detail += pre("Prompt", t.prompt()) + pre("Answer", t.response());
    return e;
}

Entry actionFinishedEntry(const v1::ActionFinished& f)
{
    Entry e { "action", {}, {} };
    const std::string state = f.state() == v1::ACTION_STATE_SUCCEEDED ? "succeeded"
        : f.state() == v1::ACTION_STATE_FAILED                        ? "failed"
                                               : "ended with an unknown outcome";
    e.headline = "<b>" + esc(f.action()) + "</b> " + state;
    if (!f.message().empty())
        e.headline += ": " + esc(f.message());
    if (!f.code().empty())
        e.headline += " [" + esc(f.code()) + "]";
    e.headline += ".";
    std::vector<std::string> facts;
    if (f.http_status() != 0)
        facts.push_back("HTTP status " + std::to_string(f.http_status()));
    if (f.attempts() > 0)
        facts.push_back(std::to_string(f.attempts()) + (f.attempts() == 1 ? " call" : " calls"));
    if (!f.external_id().empty())
        facts.push_back("external id <code>" + esc(f.external_id()) + "</code>"
            + (f.external_status().empty() ? "" : " (" + esc(f.external_status()) + ")"));
    if (!f.canceled_by().empty())
        facts.push_back("canceled by " + esc(f.canceled_by()));
    if (!facts.empty())
        e.detail += "<div>" + join(facts, "; ") + "</div>";
    e.detail += pre("Request, as sent", f.request()) + pre("Response, as received", f.response());
    return e;
}

Entry describe(const v1::Event& event, const People& people)
{
    const std::string actor = esc(who(people, event.actor()));
    switch (event.payload_case()) {
    case v1::Event::kCreated: {
        const auto& c = event.created();
        Entry e { {}, actor + " opened the case “" + esc(c.title()) + "”" + factsSentence(c) + ".",
            {} };
        // A case intake opens takes its description from the delivery, which follows in full.
        if (!c.description().empty() && event.actor() != "intake")
            e.detail = quote(c.description());
        return e;
    }
    case v1::Event::kIntakeReceived:
        return intakeEntry(event.intake_received());
    case v1::Event::kTriageSuggested:
        return triageEntry(event.triage_suggested());
    case v1::Event::kTriageDecided: {
        const auto& d = event.triage_decided();
        std::string text = d.accepted()
            ? actor + " accepted triage's suggestion: the case is a <b>" + esc(d.type()) + "</b>"
            : actor + " overrode triage: the case is a <b>" + esc(d.type()) + "</b>, not "
                + (d.suggested_type().empty() ? std::string("untyped") : esc(d.suggested_type()));
        if (!d.priority().empty())
            text += ", priority " + esc(d.priority());
        return { {}, text + ".", {} };
    }
    case v1::Event::kNoteAdded:
        return { {}, actor + " added a note:", quote(event.note_added().text()) };
    case v1::Event::kFieldsChanged: {
        const auto& f = event.fields_changed();
        std::vector<std::string> changes;
        for (const auto& c : f.changes()) {
            const std::string name = esc(fieldName(c.name()));
            if (c.before().empty())
                changes.push_back("set " + name + " to “" + esc(c.after()) + "”");
            else if (c.after().empty())
                changes.push_back("cleared " + name + " (it was “" + esc(c.before()) + "”)");
            else
                changes.push_back("changed " + name + " from “" + esc(c.before()) + "” to “"
                    + esc(c.after()) + "”");
        }
        std::string text = actor + " "
            + (changes.empty() ? std::string("changed the facts") : join(changes, "; "));
        text += ".";
        if (f.material())
            text += " A material fact changed.";
        return { {}, text, {} };
    }
    case v1::Event::kAssigned: {
        const auto& a = event.assigned();
        if (a.assignee().empty())
            return { {},
                actor + " unassigned the case (it was " + esc(who(people, a.previous())) + ").",
                {} };
        return { {}, actor + " assigned the case to " + esc(who(people, a.assignee())) + ".", {} };
    }
    case v1::Event::kMarkedReady: {
        const auto& m = event.marked_ready();
        if (m.rule().empty())
            return { "approved",
                actor + " marked the case ready. No approval rule applies, so it is approved.",
                {} };
        std::string text
            = actor + " marked the case ready. Rule <b>" + esc(m.rule()) + "</b> applies";
        if (!m.rule_summary().empty())
            text += ": " + esc(m.rule_summary());
        return { {}, text + ". The case now awaits approval.", {} };
    }
    case v1::Event::kApprovalGranted: {
        const auto& a = event.approval_granted();
        std::string text = actor + " <b>approved</b> as " + esc(a.role()) + " (stage "
            + std::to_string(a.stage() + 1) + ")";
        text += a.comment().empty() ? "." : ": “" + esc(a.comment()) + "”.";
        if (a.rule_satisfied())
            text += " This completed the rule: the case is approved.";
        return { "approved", text, {} };
    }
    case v1::Event::kApprovalDenied: {
        const auto& d = event.approval_denied();
        return { "blocked",
            actor + " <b>denied</b> the case as " + esc(d.role()) + ": “" + esc(d.reason()) + "”.",
            {} };
    }
    case v1::Event::kAttemptBlocked: {
        const auto& b = event.attempt_blocked();
        std::string text = "<span class=\"tag\">Refused.</span> " + actor + " tried to "
            + esc(attempted(b.command())) + ". " + esc(b.reason());
        if (!b.code().empty())
            text += " [" + esc(b.code()) + "]";
        if (!b.rule().empty())
            text += " (rule " + esc(b.rule()) + ")";
        return { "blocked", text, {} };
    }
    case v1::Event::kApprovalsVoided: {
        const auto& v = event.approvals_voided();
        std::vector<std::string> names;
        for (const auto& id : v.approvers())
            names.push_back(esc(who(people, id)));
        std::string text = "Approvals voided: " + esc(v.reason());
        if (!names.empty())
            text += ". No longer counting: " + join(names, ", ");
        return { "voided", text + ".", {} };
    }
    case v1::Event::kClosed:
        return { {},
            actor + " closed the case"
                + (event.closed().reason().empty() ? "."
                                                   : ": “" + esc(event.closed().reason()) + "”."),
            {} };
    case v1::Event::kReopened:
        return { {},
            actor + " reopened the case"
                + (event.reopened().reason().empty()
                        ? "."
                        : ": “" + esc(event.reopened().reason()) + "”."),
            {} };
    case v1::Event::kActionRequested: {
        const auto& r = event.action_requested();
        Entry e { "action",
            actor + " asked to run <b>" + esc(r.action()) + "</b>: " + esc(r.summary()) + ".", {} };
        e.detail = "<div class=\"when\">Plan hash <span class=\"hash\">" + toHex(r.plan_hash())
            + "</span>, idempotency key <code>" + esc(r.idempotency_key()) + "</code></div>"
            + pre("What it will send", readablePlan(r.plan()));
        return e;
    }
    case v1::Event::kActionFinished:
        return actionFinishedEntry(event.action_finished());
    case v1::Event::kActionUpdated: {
        const auto& u = event.action_updated();
        return { "action",
            esc(u.action()) + ": the external system now reports “" + esc(u.external_status())
                + "” (" + esc(u.source()) + ").",
            pre("As received", u.detail()) };
    }
    case v1::Event::kActionCancelRequested: {
        const auto& c = event.action_cancel_requested();
        return { "action",
            actor + " asked to stop " + esc(c.action())
                + (c.reason().empty() ? "." : ": “" + esc(c.reason()) + "”."),
            {} };
    }
    default:
        return { {}, actor + ": " + esc(eventSummary(event, people)), {} };
    }
}

void factRow(std::ostringstream& out, const std::string& label, const std::string& html)
{
    if (!html.empty())
        out << "<tr><th>" << esc(label) << "</th><td>" << html << "</td></tr>\n";
}

void writeFacts(std::ostringstream& out, const v1::Case& c, const People& people)
{
    out << "<h2>The case</h2>\n<table class=\"facts\">\n";
    factRow(out, "Case", "<code>" + esc(c.id()) + "</code>");
    factRow(out, "Status", esc(statusName(c.status())));
    factRow(out, "Type", esc(c.type()));
    factRow(out, "Amount", esc(moneyText(c.amount())));
    factRow(out, "Customer", esc(c.customer()));
    factRow(out, "Order", esc(c.order_ref()));
    factRow(out, "Queue", esc(c.queue()));
    factRow(out, "Came in by", esc(c.channel()));
    factRow(out, "Priority", esc(c.priority()));
    factRow(out, "Requester", c.requester().empty() ? "" : esc(who(people, c.requester())));
    factRow(out, "Assignee", c.assignee().empty() ? "" : esc(who(people, c.assignee())));
    factRow(out, "Prepared by", c.preparer().empty() ? "" : esc(who(people, c.preparer())));
    factRow(out, "Rule", esc(c.rule()));
    for (const auto& f : c.fields())
        factRow(out, f.key(), esc(f.value()));
    factRow(out, "Opened", esc(when(c.created_ms())));
    factRow(out, "Last change",
        esc(when(c.updated_ms())) + " (version " + std::to_string(c.version()) + ")");
    out << "</table>\n";
    if (!c.description().empty())
        out << quote(c.description()) << '\n';
}

void writeStory(std::ostringstream& out, const v1::CaseProof& proof, const People& people)
{
    out << "<h2>What happened</h2>\n<ol class=\"story\">\n";
    for (const auto& event : proof.events()) {
        const Entry e = describe(event, people);
        out << "<li" << (e.css.empty() ? "" : " class=\"" + e.css + "\"") << " id=\"seq-"
            << event.seq() << "\"><div class=\"when\">" << esc(when(event.time_ms()))
            << " · event seq " << event.seq() << ", version " << event.case_version() << "</div>"
            << "<div>" << e.headline << "</div>" << e.detail << "</li>\n";
    }
    out << "</ol>\n";
}

void writeResult(
    std::ostringstream& out, const v1::Case& c, const v1::CaseProof& proof, const People& people)
{
    out << "<h2>Result</h2>\n<p>The case is <b>" << esc(statusName(c.status())) << "</b>";
    if (!c.rule().empty())
        out << " under rule " << esc(c.rule());
    out << ".";
    std::vector<std::string> approvers;
    for (const auto& a : c.approvals())
        approvers.push_back(esc(who(people, a.approver())) + " as " + esc(a.role()));
    if (!approvers.empty())
        out << " Approvals in force: " << join(approvers, "; ") << ".";
    int refused = 0;
    for (const auto& e : proof.events())
        refused += e.has_attempt_blocked() ? 1 : 0;
    if (refused > 0)
        out << " The rules refused " << refused << (refused == 1 ? " attempt" : " attempts")
            << " on the way.";
    out << "</p>\n";
    if (c.actions_size() > 0) {
        out << "<ul>\n";
        for (const auto& run : c.actions()) {
            out << "<li><b>" << esc(run.action()) << "</b>: " << esc(actionStateName(run.state()));
            if (!run.external_id().empty())
                out << " — <code>" << esc(run.external_id()) << "</code>"
                    << (run.external_status().empty() ? ""
                                                      : " (" + esc(run.external_status()) + ")");
            out << "</li>\n";
        }
        out << "</ul>\n";
    } else {
        out << "<p>No action was run from the case.</p>\n";
    }
}

void writeProof(std::ostringstream& out, const v1::CaseProof& proof, const ReportContext& context)
{
    out << "<h2>Proof</h2>\n<p>Every event above is hashed over its canonical bytes and chained to "
           "the one before it; each is a leaf of the server's audit log, and the log's root is "
           "signed in the checkpoint below. The bundle beside this page holds the bytes and the "
           "proofs.</p>\n<table class=\"facts\">\n";
    const auto& events = proof.events();
    if (!events.empty())
        factRow(out, "Events",
            std::to_string(events.size()) + " (seq " + std::to_string(events[0].seq()) + " to "
                + std::to_string(events[events.size() - 1].seq()) + ", versions 1 to "
                + std::to_string(events[events.size() - 1].case_version()) + ")");
    if (!events.empty())
        factRow(out, "Head of the chain",
            "<span class=\"hash\">" + toHex(events[events.size() - 1].hash()) + "</span>");
    factRow(out, "Log", "<code>" + esc(proof.origin()) + "</code>");
    const std::size_t blank = proof.checkpoint().find("\n\n");
    const auto body = note::parseCheckpoint(
        blank == std::string::npos ? proof.checkpoint() : proof.checkpoint().substr(0, blank + 1));
    if (body) {
        factRow(out, "Checkpoint size", std::to_string(body->size) + " events");
        factRow(out, "Checkpoint root",
            "<span class=\"hash\">" + esc(merkle::toBase64(body->root)) + "</span> (hex "
                + "<span class=\"hash\">" + toHex(body->root) + "</span>)");
    }
    std::vector<std::string> signers;
    for (const auto& s : noteSigners(proof.checkpoint()))
        signers.push_back("<code>" + esc(s) + "</code>");
    factRow(out, "Signed by", join(signers, ", "));
    factRow(out, "Rules version", "<span class=\"hash\">" + esc(proof.rules_version()) + "</span>");
    factRow(out, "Exported", esc(when(context.exportedMs)) + " from " + esc(context.server));
    out << "</table>\n<p>Check it without the server: <code>latchctl verify "
        << esc(context.bundleDir.empty() ? "BUNDLE" : context.bundleDir)
        << " --key KEY</code>, with the server's public key (<code>GET "
           "/.well-known/latch/log-keys</code>, or <code>latch-server key</code> on the "
           "server).</p>\n";
    out << "<pre>" << esc(proof.checkpoint()) << "</pre>\n";
}

} // namespace

std::string caseReportHtml(
    const v1::CaseProof& proof, const People& people, const ReportContext& context)
{
    const std::vector<v1::Event> events(proof.events().begin(), proof.events().end());
    const v1::Case c = foldEvents(events);
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>" << esc(c.title()) << " — Latch case report</title>\n<style>" << kStyle
        << "</style>\n</head>\n<body>\n";
    out << "<h1>" << esc(c.title()) << "</h1>\n<p class=\"sub\">Case <code>" << esc(c.id())
        << "</code>, as the server's signed audit log holds it</p>\n";
    writeFacts(out, c, people);
    writeStory(out, proof, people);
    writeResult(out, c, proof, people);
    writeProof(out, proof, context);
    out << "</body>\n</html>\n";
    return out.str();
}

} // namespace latch::cli
