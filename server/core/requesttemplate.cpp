#include "core/requesttemplate.h"

#include "latch/casefold.h"
#include "latch/money.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace latch::core {

namespace {

constexpr std::array<const char*, 15> kCaseNames { "id", "type", "title", "customer", "order_ref",
    "description", "amount", "amount_minor", "currency", "status", "queue", "assignee", "requester",
    "preparer", "rule" };

bool isLower(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

bool isNameChar(char ch)
{
    return ch != '{' && ch != '}' && ch != '"' && ch != '\'' && ch != ' ' && ch != '\t'
        && ch != '\r' && ch != '\n';
}

bool isEnvName(const std::string& name)
{
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
        return false;
    return std::all_of(
        name.begin(), name.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
}

std::string caseNames()
{
    std::string out;
    for (const char* name : kCaseNames)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// "2400.00" for 240000 USD; "500" for 500 JPY. Unknown currencies keep two decimals.
std::string decimalAmount(const v1::Money& m)
{
    int exponent = currencyExponent(m.currency());
    if (exponent < 0)
        exponent = 2;
    const bool negative = m.minor() < 0;
    const auto raw = static_cast<std::uint64_t>(m.minor());
    std::string digits = std::to_string(negative ? std::uint64_t(0) - raw : raw);
    if (exponent == 0)
        return (negative ? "-" : "") + digits;
    if (digits.size() <= std::size_t(exponent))
        digits.insert(0, std::size_t(exponent) + 1 - digits.size(), '0');
    digits.insert(digits.size() - std::size_t(exponent), ".");
    return (negative ? "-" : "") + digits;
}

std::string where(const std::string& text, std::size_t at)
{
    return "at character " + std::to_string(at + 1) + " of \"" + text + "\"";
}

Failure badPlaceholder(
    const std::string& ns, const std::string& name, const std::string& text, std::size_t at)
{
    std::string message = "the placeholder {" + ns + ".";
    message += name.empty() ? " " + where(text, at) + " has no name"
                            : name + " " + where(text, at) + " is not closed";
    message += "; write it as {" + ns + ".<name>}";
    return fail("template.bad_variable", message);
}

Failure unknownPlaceholder(const std::string& ns, const std::string& name)
{
    std::string message = "unknown template variable {" + ns + "." + name + "}";
    if (ns == "case")
        message += "; the case offers " + caseNames() + " (free fields are {fields.<key>})";
    else
        message += "; use {case.<name>}, {fields.<key>} or {env.<NAME>}";
    return fail("template.unknown_variable", message);
}

} // namespace

Expected<RequestTemplate> RequestTemplate::parse(const std::string& text)
{
    RequestTemplate t;
    t.m_source = text;
    std::string literal;
    std::size_t i = 0;
    while (i < text.size()) {
        // A placeholder starts "{word."; any other '{' is text (JSON bodies are full of them).
        std::size_t dot = i + 1;
        while (dot < text.size() && isLower(text[dot]))
            ++dot;
        if (text[i] != '{' || dot == i + 1 || dot >= text.size() || text[dot] != '.') {
            literal += text[i++];
            continue;
        }
        std::size_t end = dot + 1;
        while (end < text.size() && isNameChar(text[end]))
            ++end;
        const std::string ns = text.substr(i + 1, dot - i - 1);
        const std::string name = text.substr(dot + 1, end - dot - 1);
        if (name.empty() || end >= text.size() || text[end] != '}')
            return badPlaceholder(ns, name, text, i);
        Part part;
        part.text = name;
        if (ns == "case") {
            if (std::find_if(
                    kCaseNames.begin(), kCaseNames.end(), [&](const char* n) { return name == n; })
                == kCaseNames.end())
                return unknownPlaceholder(ns, name);
            part.kind = Part::Kind::Case;
        } else if (ns == "fields") {
            part.kind = Part::Kind::Field;
        } else if (ns == "env") {
            if (!isEnvName(name))
                return fail("template.bad_variable",
                    "{env." + name
                        + "} does not name an environment variable (letters, digits and _)");
            part.kind = Part::Kind::Env;
        } else {
            return unknownPlaceholder(ns, name);
        }
        if (!literal.empty())
            t.m_parts.push_back({ Part::Kind::Text, std::move(literal) });
        literal.clear();
        t.m_parts.push_back(std::move(part));
        i = end + 1;
    }
    if (!literal.empty())
        t.m_parts.push_back({ Part::Kind::Text, std::move(literal) });
    return t;
}

std::vector<std::string> RequestTemplate::fields() const
{
    std::vector<std::string> out;
    for (const Part& p : m_parts) {
        if (p.kind == Part::Kind::Field && std::find(out.begin(), out.end(), p.text) == out.end())
            out.push_back(p.text);
    }
    return out;
}

std::vector<std::string> RequestTemplate::envs() const
{
    std::vector<std::string> out;
    for (const Part& p : m_parts) {
        if (p.kind == Part::Kind::Env && std::find(out.begin(), out.end(), p.text) == out.end())
            out.push_back(p.text);
    }
    return out;
}

bool RequestTemplate::hasPlaceholderBefore(std::size_t offset) const
{
    std::size_t at = 0;
    for (const Part& p : m_parts) {
        if (at >= offset)
            return false;
        if (p.kind != Part::Kind::Text)
            return true;
        at += p.text.size();
    }
    return false;
}

bool RequestTemplate::caseValue(const v1::Case& c, const std::string& name, std::string& value)
{
    const bool hasAmount = c.has_amount() && !c.amount().currency().empty();
    if (name == "id")
        value = c.id();
    else if (name == "type")
        value = c.type();
    else if (name == "title")
        value = c.title();
    else if (name == "customer")
        value = c.customer();
    else if (name == "order_ref")
        value = c.order_ref();
    else if (name == "description")
        value = c.description();
    else if (name == "amount")
        value = hasAmount ? decimalAmount(c.amount()) : std::string();
    else if (name == "amount_minor")
        value = hasAmount ? std::to_string(c.amount().minor()) : std::string();
    else if (name == "currency")
        value = hasAmount ? c.amount().currency() : std::string();
    else if (name == "status")
        value = statusName(c.status());
    else if (name == "queue")
        value = c.queue();
    else if (name == "assignee")
        value = c.assignee();
    else if (name == "requester")
        value = c.requester();
    else if (name == "preparer")
        value = c.preparer();
    else if (name == "rule")
        value = c.rule();
    else
        return false;
    return true;
}

std::string RequestTemplate::escape(const std::string& value, TemplateEscape how)
{
    std::string out;
    switch (how) {
    case TemplateEscape::None:
        return value;
    case TemplateEscape::Json:
        for (const char ch : value) {
            const auto u = static_cast<unsigned char>(ch);
            if (ch == '"' || ch == '\\') {
                out += '\\';
                out += ch;
            } else if (ch == '\n') {
                out += "\\n";
            } else if (ch == '\r') {
                out += "\\r";
            } else if (ch == '\t') {
                out += "\\t";
            } else if (u < 0x20 || u == 0x7f) {
                std::array<char, 8> buf {};
                std::snprintf(buf.data(), buf.size(), "\\u%04x", unsigned(u));
                out += buf.data();
            } else {
                out += ch;
            }
        }
        return out;
    case TemplateEscape::Form:
    case TemplateEscape::Url:
        for (const char ch : value) {
            const auto u = static_cast<unsigned char>(ch);
            if (std::isalnum(u) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
                out += ch;
            } else if (ch == ' ' && how == TemplateEscape::Form) {
                out += '+';
            } else {
                std::array<char, 4> buf {};
                std::snprintf(buf.data(), buf.size(), "%%%02X", unsigned(u));
                out += buf.data();
            }
        }
        return out;
    }
    return value;
}

Expected<ExpandedText> RequestTemplate::expand(const v1::Case& c, TemplateEscape how) const
{
    ExpandedText out;
    for (const Part& p : m_parts) {
        std::string value;
        switch (p.kind) {
        case Part::Kind::Text:
            out.text += p.text;
            continue;
        case Part::Kind::Env:
            out.secrets.push_back({ out.text.size(), p.text });
            out.text += kRedacted;
            continue;
        case Part::Kind::Case:
            caseValue(c, p.text, value);
            if (value.empty())
                return fail("http.missing_field",
                    "the case has no " + p.text + ", which {case." + p.text
                        + "} needs; fill it in before planning this action");
            break;
        case Part::Kind::Field:
            if (const std::string* field = findField(c, p.text))
                value = *field;
            if (value.empty())
                return fail("http.missing_field",
                    "the case has no field " + p.text + ", which {fields." + p.text
                        + "} needs; add it to the case before planning this action");
            break;
        }
        if (how == TemplateEscape::None
            && value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
            return fail("http.bad_value",
                "the case's " + p.text
                    + " holds a line break, which cannot go into a header; nothing is sent");
        out.text += escape(value, how);
    }
    return out;
}

} // namespace latch::core
