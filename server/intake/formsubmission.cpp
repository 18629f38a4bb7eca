#include "intake/formsubmission.h"

#include "intake/intakeendpoint.h"
#include "intake/urlencoded.h"

#include <algorithm>

namespace latch::intake {

namespace {

using core::FormFieldConfig;
using core::FormFieldKind;

constexpr std::size_t kMaxTitleBytes = 200;

// Bytes the value's place on the case holds (core/commands.cpp).
std::size_t byteLimit(const std::string& mapsTo)
{
    if (mapsTo == "title" || mapsTo == "customer" || mapsTo == "order_ref")
        return 200;
    if (mapsTo.rfind("field.", 0) == 0)
        return 1000;
    return 10'000;
}

bool isSpace(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

std::string trimmed(const std::string& text)
{
    auto begin = std::find_if_not(text.begin(), text.end(), isSpace);
    auto end = std::find_if_not(text.rbegin(), text.rend(), isSpace).base();
    return begin < end ? std::string(begin, end) : std::string();
}

// Line breaks as "\n": browsers send "\r\n" from a textarea.
std::string unixLines(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

bool hasControl(const std::string& text, bool linesAllowed)
{
    return std::any_of(text.begin(), text.end(), [&](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        if (linesAllowed && (c == '\n' || c == '\t'))
            return false;
        return c < 0x20 || c == 0x7F;
    });
}

bool looksLikeEmail(const std::string& text)
{
    const auto at = text.find('@');
    if (at == std::string::npos || at == 0 || at > 64
        || text.find('@', at + 1) != std::string::npos)
        return false;
    if (std::any_of(text.begin(), text.end(),
            [](char ch) { return isSpace(ch) || ch == '<' || ch == '>' || ch == ','; }))
        return false;
    const std::string domain = text.substr(at + 1);
    const auto dot = domain.find('.');
    return dot != std::string::npos && dot > 0 && domain.back() != '.'
        && domain.find("..") == std::string::npos;
}

std::string oneLine(const std::string& text)
{
    std::string out;
    bool space = false;
    for (const char ch : text) {
        if (isSpace(ch)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(ch);
    }
    return out;
}

} // namespace

FormSubmission FormSubmission::blank(const core::FormConfig& form)
{
    FormSubmission s(form);
    for (const auto& field : form.fields) {
        if (field.kind == FormFieldKind::Amount && !field.currencies.empty())
            s.m_values[currencyName(field)] = field.currencies.front();
    }
    return s;
}

FormSubmission FormSubmission::check(
    const core::FormConfig& form, std::map<std::string, std::string> values)
{
    FormSubmission s(form);
    for (const auto& field : form.fields) {
        auto& value = values[field.name];
        value = trimmed(field.kind == FormFieldKind::Textarea ? unixLines(value) : value);
        s.m_values[field.name] = value;
        if (field.kind == FormFieldKind::Amount && !field.currencies.empty())
            s.m_values[currencyName(field)] = trimmed(values[currencyName(field)]);
        s.checkField(field);
    }
    return s;
}

void FormSubmission::checkField(const FormFieldConfig& field)
{
    const std::string& value = m_values[field.name];
    const auto refuse = [&](std::string sentence) { m_errors[field.name] = std::move(sentence); };
    if (hasControl(value, field.kind == FormFieldKind::Textarea))
        return refuse("Remove the control characters from this field.");
    if (value.empty()) {
        if (field.required)
            refuse(field.kind == FormFieldKind::Select ? "Choose one of the options."
                                                       : "Fill in this field; it is required.");
        return;
    }
    switch (field.kind) {
    case FormFieldKind::Select:
        if (std::find(field.options.begin(), field.options.end(), value) == field.options.end())
            refuse("Choose one of the options.");
        return;
    case FormFieldKind::Amount: {
        std::string currency = field.currency;
        if (currency.empty()) {
            currency = m_values[currencyName(field)];
            if (std::find(field.currencies.begin(), field.currencies.end(), currency)
                == field.currencies.end())
                return refuse("Choose a currency from the list.");
        }
        if (value.size() > 32)
            return refuse("Write the amount like 2,400.00.");
        auto money = parseAmount(value, currency);
        if (!money) {
            // "$2,400" with USD chosen is the same amount; a symbol for another currency is not.
            auto written = parseMoney(value, currency);
            if (written && written->currency == currency)
                money = std::move(written);
        }
        if (!money)
            return refuse(money.failure().message + " Write the amount like 2,400.00.");
        if (money->minor <= 0)
            return refuse("The amount must be more than zero.");
        m_amounts[field.name] = *money;
        return;
    }
    case FormFieldKind::Email:
        if (!looksLikeEmail(value))
            return refuse("Enter an email address like name@example.com.");
        break;
    case FormFieldKind::Text:
    case FormFieldKind::Textarea:
        break;
    }
    const std::size_t length = utf8Length(value);
    if (length > field.maxLength)
        return refuse("This is " + std::to_string(length) + " characters long; the limit is "
            + std::to_string(field.maxLength) + ".");
    if (value.size() > byteLimit(field.mapsTo))
        refuse("This is too long to keep; shorten it.");
}

std::string FormSubmission::value(const std::string& name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::string() : it->second;
}

std::string FormSubmission::display(const FormFieldConfig& field) const
{
    if (const auto it = m_amounts.find(field.name); it != m_amounts.end())
        return formatMoney(it->second);
    return value(field.name);
}

std::string FormSubmission::caseTitle() const
{
    std::string title;
    for (const auto& field : m_form->fields) {
        if (field.mapsTo == "title")
            title = value(field.name);
    }
    if (title.empty() && !m_form->caseTitle.empty()) {
        const std::string& pattern = m_form->caseTitle;
        std::size_t at = 0;
        while (at < pattern.size()) {
            const auto open = pattern.find('{', at);
            title += pattern.substr(at, open - at);
            if (open == std::string::npos)
                break;
            const auto close = pattern.find('}', open);
            const auto* field = m_form->field(pattern.substr(open + 1, close - open - 1));
            if (field)
                title += display(*field);
            at = close + 1;
        }
    }
    title = oneLine(title);
    if (title.empty())
        title = oneLine(m_form->title);
    return std::string(utf8Prefix(title, kMaxTitleBytes));
}

std::string FormSubmission::text() const
{
    std::string out;
    for (const auto& field : m_form->fields) {
        const std::string shown = display(field);
        if (field.kind == FormFieldKind::Textarea)
            out += field.label + ":\n" + (shown.empty() ? "(empty)" : shown) + "\n";
        else
            out += field.label + ": " + (shown.empty() ? "(empty)" : shown) + "\n";
    }
    return out;
}

v1::Command FormSubmission::command(
    const std::string& nonce, std::string_view body, std::size_t evidenceLimit) const
{
    v1::Command command;
    auto* intake = command.mutable_intake();
    intake->set_delivery_key(deliveryKey("form", m_form->name, nonce));
    auto* create = intake->mutable_create();
    create->set_title(caseTitle());
    create->set_type(m_form->type);
    create->set_queue(m_form->queue);
    std::string sender;
    for (const auto& field : m_form->fields) {
        const std::string& v = value(field.name);
        if (field.kind == FormFieldKind::Email && sender.empty())
            sender = v;
        if (v.empty())
            continue;
        if (field.mapsTo == "description") {
            create->set_description(v);
        } else if (field.mapsTo == "customer") {
            create->set_customer(v);
        } else if (field.mapsTo == "order_ref") {
            create->set_order_ref(v);
        } else if (field.mapsTo == "amount") {
            const Money& money = m_amounts.at(field.name);
            create->mutable_amount()->set_minor(money.minor);
            create->mutable_amount()->set_currency(money.currency);
        } else if (field.mapsTo.rfind("field.", 0) == 0) {
            auto* f = create->add_fields();
            f->set_key(field.mapsTo.substr(6));
            f->set_value(display(field));
        }
    }
    auto* received = intake->mutable_received();
    received->set_channel("form");
    received->set_source(m_form->name);
    received->set_delivery_id(nonce);
    received->set_summary(create->title());
    received->set_text(text());
    received->set_sender(sender.empty() ? "web form " + m_form->name : sender);
    *received->add_evidence()
        = makeEvidence("form.urlencoded", "application/x-www-form-urlencoded", body, evidenceLimit);
    return command;
}

} // namespace latch::intake
