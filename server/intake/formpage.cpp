#include "intake/formpage.h"

namespace latch::intake {

namespace {

using core::FormFieldConfig;
using core::FormFieldKind;

constexpr std::string_view kStyle = R"css(
:root{color-scheme:light dark;--fg:#1c2230;--muted:#5a6376;--bg:#eef1f5;--card:#fff;--line:#b9c0cc;
--accent:#1f55c7;--accent-fg:#fff;--err:#b3261e;--err-bg:#fdecea;--ok:#1b6e3a;--ok-bg:#e7f4ec}
@media (prefers-color-scheme:dark){:root{--fg:#e7e9ee;--muted:#a4acba;--bg:#12151b;--card:#1d2129;
--line:#465063;--accent:#8fb0ff;--accent-fg:#10131a;--err:#ff9c94;--err-bg:#3a1f1f;--ok:#8fd9a8;
--ok-bg:#17301f}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:38rem;margin:2.5rem auto;padding:2rem 2.25rem;background:var(--card);
border:1px solid var(--line);border-radius:12px}
@media (max-width:40rem){main{margin:0;border-radius:0;border-width:0 0 1px;padding:1.5rem 1.1rem}}
h1{font-size:1.65rem;line-height:1.25;margin:0 0 .6rem}
h2{font-size:1.15rem;margin:1.75rem 0 .6rem}
p{margin:0 0 1rem}
.intro{color:var(--muted)}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{font-size:1.15rem;font-weight:650;padding:0;margin:0 0 1rem}
.field{margin:0 0 1.3rem}
label{display:block;font-weight:600;margin:0 0 .3rem}
.optional{font-weight:400;color:var(--muted)}
.hint{color:var(--muted);font-size:.93rem;margin:-.15rem 0 .4rem}
.error{color:var(--err);font-weight:600;margin:0 0 .4rem}
input,select,textarea{font:inherit;color:inherit;background:var(--card);width:100%;
padding:.55rem .7rem;border:1px solid var(--line);border-radius:7px}
textarea{min-height:8.5rem;resize:vertical}
[aria-invalid="true"]{border:2px solid var(--err)}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid var(--accent);
outline-offset:2px}
.amount{display:flex;gap:.6rem;align-items:stretch}
.amount input{flex:1 1 auto}.amount select{flex:0 0 auto;width:auto}
.unit{align-self:center;font-weight:600;color:var(--muted)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.trap{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-weight:650;color:var(--accent-fg);background:var(--accent);border:0;
border-radius:7px;padding:.7rem 1.5rem;cursor:pointer;margin-top:.4rem}
.notice{border-left:5px solid var(--err);background:var(--err-bg);padding:.8rem 1rem;
border-radius:6px;margin:0 0 1.5rem}
.notice h2{margin:0 0 .4rem;font-size:1.05rem}.notice ul{margin:.3rem 0 0;padding-left:1.2rem}
.notice a{color:inherit}
.done{border-left:5px solid var(--ok);background:var(--ok-bg);padding:1rem 1.1rem;border-radius:6px;
margin:0 0 1.5rem}
.done p:last-child{margin-bottom:0}
.ref{font:700 1.45rem/1.3 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;
letter-spacing:.03em;display:block;margin:.25rem 0}
.full{color:var(--muted);font-size:.88rem;word-break:break-all}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.45rem 1.1rem;margin:0}
dt{font-weight:600}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
a{color:var(--accent)}
.again{margin-top:1.5rem}
)css";

std::string page(const std::string& title, const std::string& body)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"robots\" content=\"noindex\">\n<title>";
    out += htmlEscape(title);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<main>\n";
    out += body;
    out += "</main>\n</body>\n</html>\n";
    return out;
}

std::string fieldId(const FormFieldConfig& field)
{
    return "f-" + field.name; // field names are [a-z][a-z0-9_]*: safe in an id
}

std::string attribute(std::string_view name, std::string_view value)
{
    return " " + std::string(name) + "=\"" + htmlEscape(value) + "\"";
}

std::string inputType(FormFieldKind kind)
{
    return kind == FormFieldKind::Email ? "email" : "text";
}

std::string control(const FormFieldConfig& field, const FormSubmission& submission,
    const std::string& describedBy, bool invalid)
{
    const std::string id = fieldId(field);
    const std::string value = submission.value(field.name);
    std::string common = attribute("id", id) + attribute("name", field.name);
    if (field.required)
        common += " required";
    if (!describedBy.empty())
        common += attribute("aria-describedby", describedBy);
    if (invalid)
        common += " aria-invalid=\"true\"";
    switch (field.kind) {
    case FormFieldKind::Textarea:
        return "<textarea" + common + attribute("maxlength", std::to_string(field.maxLength))
            + " rows=\"6\">" + htmlEscape(value) + "</textarea>\n";
    case FormFieldKind::Select: {
        std::string out = "<select" + common + ">\n<option value=\"\">Choose…</option>\n";
        for (const auto& option : field.options) {
            out += "<option" + attribute("value", option) + (option == value ? " selected" : "")
                + ">" + htmlEscape(option) + "</option>\n";
        }
        return out + "</select>\n";
    }
    case FormFieldKind::Amount: {
        std::string out = "<div class=\"amount\">\n<input type=\"text\" inputmode=\"decimal\""
                          " autocomplete=\"off\""
            + common + " maxlength=\"32\"" + attribute("value", value) + ">\n";
        if (!field.currency.empty()) {
            out += "<span class=\"unit\"" + attribute("id", id + "-unit") + ">"
                + htmlEscape(field.currency) + "</span>\n";
        } else {
            const std::string name = FormSubmission::currencyName(field);
            const std::string chosen = submission.value(name);
            out += "<label class=\"sr\"" + attribute("for", id + "-currency")
                + ">Currency</label>\n" + "<select" + attribute("id", id + "-currency")
                + attribute("name", name) + ">\n";
            for (const auto& code : field.currencies) {
                out += "<option" + attribute("value", code) + (code == chosen ? " selected" : "")
                    + ">" + htmlEscape(code) + "</option>\n";
            }
            out += "</select>\n";
        }
        return out + "</div>\n";
    }
    case FormFieldKind::Text:
    case FormFieldKind::Email:
        break;
    }
    return "<input" + attribute("type", inputType(field.kind)) + common
        + (field.kind == FormFieldKind::Email ? " autocomplete=\"email\"" : "")
        + attribute("maxlength", std::to_string(field.maxLength)) + attribute("value", value)
        + ">\n";
}

std::string fieldBlock(const FormFieldConfig& field, const FormSubmission& submission)
{
    const std::string id = fieldId(field);
    const auto error = submission.errors().find(field.name);
    const bool invalid = error != submission.errors().end();
    std::string describedBy;
    std::string out = std::string("<div class=\"field") + (invalid ? " invalid" : "") + "\">\n";
    out += "<label" + attribute("for", id) + ">" + htmlEscape(field.label);
    if (!field.required)
        out += " <span class=\"optional\">(optional)</span>";
    out += "</label>\n";
    if (!field.hint.empty()) {
        out += "<p class=\"hint\"" + attribute("id", id + "-hint") + ">" + htmlEscape(field.hint)
            + "</p>\n";
        describedBy = id + "-hint";
    }
    if (invalid) {
        out += "<p class=\"error\"" + attribute("id", id + "-error")
            + "><span class=\"sr\">Error: "
              "</span>"
            + htmlEscape(error->second) + "</p>\n";
        describedBy += (describedBy.empty() ? "" : " ") + id + "-error";
    }
    if (field.kind == FormFieldKind::Amount && !field.currency.empty())
        describedBy += (describedBy.empty() ? "" : " ") + id + "-unit";
    out += control(field, submission, describedBy, invalid);
    return out + "</div>\n";
}

} // namespace

std::string FormPage::reference(const std::string& caseId)
{
    return caseId.substr(0, 13);
}

std::string FormPage::form(const core::FormConfig& form, const FormSubmission& submission,
    const std::string& token, const std::string& notice)
{
    std::string body = "<h1>" + htmlEscape(form.title) + "</h1>\n";
    if (!form.intro.empty())
        body += "<p class=\"intro\">" + htmlEscape(form.intro) + "</p>\n";
    const auto& errors = submission.errors();
    if (!notice.empty() || !errors.empty()) {
        body += "<div class=\"notice\" role=\"alert\" id=\"problem\">\n";
        if (!notice.empty())
            body += "<p>" + htmlEscape(notice) + "</p>\n";
        if (!errors.empty()) {
            body += "<h2>Please check "
                + std::string(errors.size() == 1 ? "this field" : "these fields") + "</h2>\n<ul>\n";
            for (const auto& field : form.fields) {
                const auto error = errors.find(field.name);
                if (error == errors.end())
                    continue;
                body += "<li><a" + attribute("href", "#" + fieldId(field)) + ">"
                    + htmlEscape(field.label) + "</a>: " + htmlEscape(error->second) + "</li>\n";
            }
            body += "</ul>\n";
        }
        body += "</div>\n";
    }
    body += "<form method=\"post\"" + attribute("action", "/forms/" + form.name)
        + " accept-charset=\"UTF-8\">\n";
    body += "<input type=\"hidden\" name=\"latch_token\"" + attribute("value", token) + ">\n";
    body += "<fieldset>\n<legend>" + htmlEscape(form.legend) + "</legend>\n";
    for (const auto& field : form.fields)
        body += fieldBlock(field, submission);
    body += "</fieldset>\n";
    // The spam trap: off-screen, out of the tab order and hidden from assistive technology, so
    // a person never fills it in; a bot filling in every input does.
    body += "<div class=\"trap\" aria-hidden=\"true\">\n<label for=\"f-latch-website\">Leave this "
            "field empty</label>\n<input type=\"text\" id=\"f-latch-website\" "
            "name=\"latch_website\" "
            "value=\"\" tabindex=\"-1\" autocomplete=\"off\">\n</div>\n";
    body += "<button type=\"submit\">" + htmlEscape(form.submitLabel) + "</button>\n</form>\n";
    return page(
        errors.empty() && notice.empty() ? form.title : "Check your request: " + form.title, body);
}

std::string FormPage::confirmation(const core::FormConfig& form, const FormSubmission& submission,
    const std::string& caseId, bool duplicate)
{
    std::string body = "<h1>"
        + std::string(
            duplicate ? "We already have this request" : "Thank you, we have your request")
        + "</h1>\n";
    body += "<div class=\"done\" role=\"status\">\n<p>Your reference is\n<strong class=\"ref\" "
            "id=\"reference\">"
        + htmlEscape(reference(caseId)) + "</strong>\n<span class=\"full\">Case "
        + htmlEscape(caseId) + "</span></p>\n";
    body += "<p>Quote the reference if you contact us about this request.</p>\n</div>\n";
    if (duplicate) {
        body += "<p>This form was sent before, so nothing new was recorded. To tell us more, "
                "send the form again from a fresh page.</p>\n";
    } else {
        body += "<h2>What we received</h2>\n<dl>\n";
        for (const auto& field : form.fields) {
            const std::string shown = submission.display(field);
            body += "<dt>" + htmlEscape(field.label) + "</dt><dd>"
                + (shown.empty() ? std::string("—") : htmlEscape(shown)) + "</dd>\n";
        }
        body += "</dl>\n";
    }
    body += "<p class=\"again\"><a" + attribute("href", "/forms/" + form.name)
        + ">Send another request</a></p>\n";
    return page((duplicate ? "Already received: " : "Received: ") + form.title, body);
}

std::string FormPage::message(
    const std::string& heading, const std::string& sentence, const std::string& backTo)
{
    std::string body
        = "<h1>" + htmlEscape(heading) + "</h1>\n<p>" + htmlEscape(sentence) + "</p>\n";
    if (!backTo.empty())
        body += "<p><a" + attribute("href", backTo) + ">Back to the form</a></p>\n";
    return page(heading, body);
}

} // namespace latch::intake
