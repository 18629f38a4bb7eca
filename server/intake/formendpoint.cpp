#include "intake/formendpoint.h"

#include "intake/formpage.h"
#include "intake/formsubmission.h"
#include "intake/urlencoded.h"
#include "latch/ids.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

namespace latch::intake {

namespace {

constexpr std::string_view kTokenName = "latch_token";
constexpr std::string_view kTrapName = "latch_website";

// Pages only style themselves inline, post only to themselves and are never framed.
const std::vector<std::pair<std::string, std::string>>& pageHeaders()
{
    static const std::vector<std::pair<std::string, std::string>> headers {
        { "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'" },
        { "X-Content-Type-Options", "nosniff" },
        { "X-Frame-Options", "DENY" },
        { "Referrer-Policy", "no-referrer" },
    };
    return headers;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size()
        && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a))
                   == std::tolower(static_cast<unsigned char>(b));
           });
}

bool retryable(const std::string& code)
{
    return code == "server.stopping" || code == "store.write" || code == "store.read";
}

// A name from the URL, safe to put in the log.
std::string logName(std::string_view name)
{
    static const std::regex plain("[a-z0-9-]{1,64}");
    const std::string text(name);
    return std::regex_match(text, plain) ? text : std::string("(not a form name)");
}

// What a submission carries, or why it cannot be read (`problem` for the log, `sentence` for
// the visitor).
struct Sent {
    std::map<std::string, std::string> values;
    std::string token;
    std::string trap;
    std::string problem;
    std::string sentence;
};

Sent readSent(const core::FormConfig& form, std::string_view body)
{
    Sent sent;
    const auto pairs = parseUrlEncoded(body);
    if (!pairs) {
        sent.problem = "malformed percent-encoding";
        sent.sentence = "The submission was not encoded as a browser encodes a form.";
        return sent;
    }
    std::set<std::string> seen;
    for (const auto& [name, value] : *pairs) {
        if (!validUtf8(name) || !validUtf8(value)) {
            sent.problem = "text is not UTF-8";
            sent.sentence = "The text was not UTF-8. Send the form from its page in a current "
                            "browser.";
            return sent;
        }
        const bool known = name == kTokenName || name == kTrapName || form.field(name)
            || std::any_of(form.fields.begin(), form.fields.end(), [&](const auto& f) {
                   return f.kind == core::FormFieldKind::Amount && f.currency.empty()
                       && FormSubmission::currencyName(f) == name;
               });
        if (!known || !seen.insert(name).second) {
            sent.problem = known ? "a name is sent twice" : "an unknown name is sent";
            sent.sentence = "The submission had an answer this form does not ask for, or one "
                            "answer twice. Send the form from its page.";
            return sent;
        }
        if (name == kTokenName)
            sent.token = value;
        else if (name == kTrapName)
            sent.trap = value;
        else
            sent.values[name] = value;
    }
    return sent;
}

} // namespace

struct FormEndpoint::Visitor {
    std::string cookie;
    bool fresh = false; // made now: the reply sets it
    bool secure = false;
};

FormEndpoint::FormEndpoint(const core::Config& config, std::unique_ptr<FormTokens> tokens)
    : m_config(config)
    , m_tokens(std::move(tokens))
{
}

bool FormEndpoint::serves(std::string_view target) const
{
    return target.substr(0, kPrefix.size()) == kPrefix;
}

core::WebhookReply FormEndpoint::tooLarge(std::size_t limit) const
{
    return page(413,
        FormPage::message("Too much to send",
            "The form was larger than " + std::to_string(limit / 1024)
                + " KiB, so nothing was recorded. Shorten the longest "
                  "answer and send it again."),
        "form: body larger than " + std::to_string(limit) + " bytes, refused");
}

core::WebhookReply FormEndpoint::page(
    unsigned status, std::string html, std::string logText, const Visitor* visitor) const
{
    core::WebhookReply reply;
    reply.status = status;
    reply.contentType = "text/html; charset=utf-8";
    reply.text = std::move(html);
    reply.logText = std::move(logText);
    reply.headers = pageHeaders();
    if (status == 429)
        reply.headers.emplace_back("Retry-After", "60");
    if (visitor && visitor->fresh) {
        reply.headers.emplace_back("Set-Cookie",
            std::string(FormTokens::kCookieName) + "=" + visitor->cookie
                + "; Path=" + std::string(kPrefix) + "; HttpOnly; SameSite=Strict"
                + (visitor->secure ? "; Secure" : ""));
    }
    return reply;
}

core::WebhookReply FormEndpoint::formAgain(unsigned status, const core::FormConfig& form,
    const FormSubmission& submission, const std::string& notice, const Visitor& visitor,
    std::int64_t nowMs, std::string logText) const
{
    return page(status,
        FormPage::form(form, submission, m_tokens->issue(form.name, visitor.cookie, nowMs), notice),
        std::move(logText), &visitor);
}

core::WebhookDecision FormEndpoint::receive(const core::WebhookCall& call) const
{
    const std::string_view name = call.path.substr(std::min(call.path.size(), kPrefix.size()));
    const core::FormConfig* form = m_config.intake.form(std::string(name));
    core::WebhookDecision d;
    if (!form || !form->enabled) {
        d.reply = page(404,
            FormPage::message("There is no form here",
                "No form is published at this address. Check the link "
                "you followed."),
            "form " + logName(name) + ": no such form, or switched off");
        return d;
    }
    return call.method == "GET" ? show(*form, call) : submit(*form, call);
}

core::WebhookDecision FormEndpoint::show(
    const core::FormConfig& form, const core::WebhookCall& call) const
{
    Visitor visitor;
    visitor.secure = call.secure;
    visitor.cookie = cookieValue(call.header("Cookie").value_or(""), FormTokens::kCookieName);
    if (!FormTokens::wellFormedCookie(visitor.cookie)) {
        visitor.cookie = FormTokens::newCookie();
        visitor.fresh = true;
    }
    core::WebhookDecision d;
    d.reply = page(200,
        FormPage::form(form, FormSubmission::blank(form),
            m_tokens->issue(form.name, visitor.cookie, call.nowMs)),
        "form " + form.name + ": page served", &visitor);
    return d;
}

core::WebhookReply FormEndpoint::refuseToken(const TokenCheck& check, const core::FormConfig& form,
    const FormSubmission& submission, const Visitor& visitor, std::int64_t nowMs) const
{
    const std::string what = "form " + form.name + ": ";
    switch (check.status) {
    case TokenStatus::Missing:
        return formAgain(403, form, submission,
            "This form could not be checked. Look over your answers and send it "
            "again.",
            visitor, nowMs, what + "refused, no form token");
    case TokenStatus::NoCookie:
        return formAgain(403, form, submission,
            "Your browser did not send this form's cookie. Allow cookies for this "
            "site, then send the form again.",
            visitor, nowMs, what + "refused, no form cookie");
    case TokenStatus::Forged:
    case TokenStatus::Expired:
        return formAgain(403, form, submission,
            "This form expired: it was open for too long, or the service was "
            "restarted. Your answers are below; check them and send the form "
            "again.",
            visitor, nowMs,
            what
                + (check.status == TokenStatus::Expired
                        ? "refused, token expired"
                        : "refused, token does not verify (another page, another "
                          "cookie, or issued before a restart)"));
    case TokenStatus::TooFast:
        return formAgain(400, form, submission,
            "The form was sent very quickly after it opened, the way automated "
            "spam is. Check your answers and send it again.",
            visitor, nowMs,
            what + "refused, sent " + std::to_string(nowMs - check.issuedMs)
                + " ms after the page was issued (minimum " + std::to_string(form.minFillSeconds)
                + " s)");
    case TokenStatus::Valid:
        break;
    }
    return formAgain(403, form, submission, {}, visitor, nowMs, what + "refused");
}

core::WebhookDecision FormEndpoint::submit(
    const core::FormConfig& form, const core::WebhookCall& call) const
{
    const std::string back = std::string(kPrefix) + form.name;
    const std::string what = "form " + form.name + ": ";
    core::WebhookDecision d;
    const auto refuse = [&](unsigned status, const std::string& heading,
                            const std::string& sentence, const std::string& why) {
        d.reply = page(status, FormPage::message(heading, sentence, back), what + why);
        return d;
    };
    // A browser says when a request comes from another site's page; such a POST is never ours.
    if (call.header("Sec-Fetch-Site").value_or("") == "cross-site")
        return refuse(403, "This form cannot be sent from another site",
            "Open the form itself and send it from there.",
            "refused, sent from another site (Sec-Fetch-Site: cross-site)");
    if (!startsWithNoCase(
            call.header("Content-Type").value_or(""), "application/x-www-form-urlencoded"))
        return refuse(415, "This is not a form submission",
            "The form takes application/x-www-form-urlencoded, as a browser sends it.",
            "refused, Content-Type is not application/x-www-form-urlencoded");
    if (!m_limiter.allow(
            form.name + "|" + std::string(call.peerAddress), form.maxPerMinute, call.nowMs))
        return refuse(429, "Too many requests",
            "Too many forms were sent from your address in the last minute. Wait a "
            "minute, then go back and send it again.",
            "refused, more than " + std::to_string(form.maxPerMinute)
                + " submissions a minute from " + std::string(call.peerAddress));

    Sent sent = readSent(form, call.body);
    if (!sent.problem.empty())
        return refuse(400, "The form could not be read", sent.sentence, "refused, " + sent.problem);

    Visitor visitor;
    visitor.secure = call.secure;
    visitor.cookie = cookieValue(call.header("Cookie").value_or(""), FormTokens::kCookieName);
    const TokenCheck check = m_tokens->check(sent.token, form.name, visitor.cookie, call.nowMs,
        std::int64_t(form.minFillSeconds) * 1000);
    FormSubmission submission = FormSubmission::check(form, std::move(sent.values));
    if (check.status == TokenStatus::NoCookie || !FormTokens::wellFormedCookie(visitor.cookie)) {
        visitor.cookie = FormTokens::newCookie();
        visitor.fresh = true;
    }
    if (check.status != TokenStatus::Valid) {
        d.reply = refuseToken(check, form, submission, visitor, call.nowMs);
        return d;
    }
    if (!sent.trap.empty()) {
        d.reply = formAgain(400, form, submission,
            "The form was not sent: the field \"Leave this field empty\" was "
            "filled in, the way automated spam does. Clear it and send the form "
            "again.",
            visitor, call.nowMs, what + "refused, the spam trap was filled in");
        return d;
    }
    if (!submission.ok()) {
        std::string names;
        for (const auto& [name, sentence] : submission.errors())
            names += (names.empty() ? "" : ", ") + name;
        // The same token: the resend is the same delivery, and its time already counts.
        d.reply = page(422, FormPage::form(form, submission, sent.token),
            what + "fields refused: " + names, &visitor);
        return d;
    }

    v1::Command command
        = submission.command(check.nonce, call.body, m_config.intake.maxAttachmentBytes);
    command.set_command_id(newUuid());
    d.actor = core::Actor { "intake", "intake", {} };
    d.commands.push_back(std::move(command));
    d.answer = [this, &form, submission = std::move(submission), token = sent.token, visitor](
                   const std::vector<v1::CommandResult>& results) {
        const v1::CommandResult& r = results.front();
        const std::string what = "form " + form.name + ": ";
        if (!r.accepted()) {
            if (retryable(r.code()))
                return page(503,
                    FormPage::form(form, submission, token,
                        "Your request could not be stored just now, so "
                        "nothing was saved. Please send it again."),
                    what + "not stored (" + r.code() + ")", &visitor);
            return page(422,
                FormPage::form(
                    form, submission, token, "We could not accept this request: " + r.message()),
                what + "refused by the core (" + r.code() + ")", &visitor);
        }
        const bool duplicate = r.code() == "intake.duplicate";
        return page(200, FormPage::confirmation(form, submission, r.case_id(), duplicate),
            what + (duplicate ? "sent again, already case " : "opened case ") + r.case_id(),
            &visitor);
    };
    return d;
}

core::WebhookReply FormEndpoint::answer(const std::vector<v1::CommandResult>& results) const
{
    // Every submission's decision answers for itself (it knows the form and the values).
    const bool ok = !results.empty() && results.front().accepted();
    return page(ok ? 200 : 500,
        FormPage::message(ok ? "Received" : "Not received",
            ok ? "Your request was recorded." : "Nothing was recorded."),
        "form: answered without its submission");
}

} // namespace latch::intake
