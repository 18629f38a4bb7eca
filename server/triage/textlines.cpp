#include "triage/textlines.h"

#include "triage/chars.h"

#include <array>
#include <cstdint>

namespace latch::triage {
namespace {

using chars::isAsciiAlpha;
using chars::isDigit;

struct Entity {
    std::string_view name;
    std::string_view text;
};

// The entities that survive into pasted mail; anything else is left as written.
constexpr std::array<Entity, 11> kEntities { {
    { "amp", "&" },
    { "lt", "<" },
    { "gt", ">" },
    { "quot", "\"" },
    { "apos", "'" },
    { "nbsp", " " },
    { "euro", "\xE2\x82\xAC" },
    { "pound", "\xC2\xA3" },
    { "yen", "\xC2\xA5" },
    { "ndash", "-" },
    { "mdash", "-" },
} };

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Decodes the entity at s (which starts with '&'); returns the bytes consumed, 0 when it is not
// one.
std::size_t decodeEntity(std::string_view s, std::string& out)
{
    const std::size_t semi = s.find(';');
    if (semi == std::string_view::npos || semi < 2 || semi > 10) {
        return 0;
    }
    const std::string_view body = s.substr(1, semi - 1);
    if (body[0] == '#') {
        std::uint32_t cp = 0;
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const std::string_view digits = body.substr(hex ? 2 : 1);
        if (digits.empty()) {
            return 0;
        }
        for (char c : digits) {
            int v = -1;
            if (isDigit(c)) {
                v = c - '0';
            } else if (hex && c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            } else if (hex && c >= 'A' && c <= 'F') {
                v = c - 'A' + 10;
            }
            if (v < 0) {
                return 0;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
            if (cp > 0x10FFFF) {
                return 0;
            }
        }
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        appendUtf8(out, cp == 0xA0 ? ' ' : cp);
        return semi + 1;
    }
    for (const Entity& e : kEntities) {
        if (body == e.name) {
            out.append(e.text);
            return semi + 1;
        }
    }
    return 0;
}

bool isBlockTag(std::string_view name)
{
    for (std::string_view block :
        { "br", "p", "div", "tr", "li", "table", "blockquote", "h1", "h2", "h3", "hr" }) {
        if (name == block) {
            return true;
        }
    }
    return false;
}

// Length of the tag at s (which starts with '<'), 0 when it is not a tag. "<jane@acme.com>" is an
// address in angle brackets, not a tag, and is kept.
std::size_t tagLength(std::string_view s, std::string& name)
{
    if (s.size() < 3) {
        return 0;
    }
    std::size_t i = 1;
    if (s[i] == '/' || s[i] == '!') {
        ++i;
    }
    if (i >= s.size() || (!isAsciiAlpha(s[i]) && s[1] != '!')) {
        return 0;
    }
    const std::size_t close = s.find('>');
    if (close == std::string_view::npos || close > 2000) {
        return 0;
    }
    const std::string_view inside = s.substr(1, close - 1);
    if (inside.find('<') != std::string_view::npos || inside.find('@') != std::string_view::npos) {
        return 0;
    }
    std::size_t end = i;
    while (end < close && chars::isAsciiAlnum(s[end])) {
        ++end;
    }
    name = chars::lower(s.substr(i, end - i));
    return close + 1;
}

// Tags out, entities decoded, odd spaces and line ends made plain.
std::string clean(std::string_view raw)
{
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const char c = raw[i];
        const std::string_view rest = raw.substr(i);
        if (c == '<') {
            std::string name;
            if (const std::size_t n = tagLength(rest, name); n > 0) {
                // Style and script bodies are not text anyone wrote.
                if ((name == "style" || name == "script") && rest[1] != '/') {
                    const std::size_t endTag = chars::lower(rest).find("</" + name);
                    i += endTag == std::string::npos ? rest.size() : endTag;
                    continue;
                }
                out.push_back(isBlockTag(name) ? '\n' : ' ');
                i += n;
                continue;
            }
        } else if (c == '&') {
            if (const std::size_t n = decodeEntity(rest, out); n > 0) {
                i += n;
                continue;
            }
        } else if (c == '\r') {
            out.push_back('\n');
            i += rest.starts_with("\r\n") ? 2 : 1;
            continue;
        } else if (rest.starts_with("\xC2\xA0")) { // no-break space
            out.push_back(' ');
            i += 2;
            continue;
        } else if (rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x89")) {
            out.push_back(' '); // narrow no-break and thin space, used to group digits
            i += 3;
            continue;
        } else if (c == '\t' || c == '\f' || c == '\v') {
            out.push_back(' ');
            ++i;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    return out;
}

bool startsReplyHistory(std::string_view line)
{
    const std::string lowered = chars::lower(chars::trim(line));
    return lowered.starts_with("-----original message")
        || lowered.starts_with("----- original message")
        || lowered.starts_with("-----ursprüngliche nachricht")
        || lowered.starts_with("-----mensaje original");
}

// "On Tue, 4 Jun 2024 at 10:12, Jane <jane@acme.com> wrote:" introduces quoted text.
bool isAttribution(std::string_view line)
{
    const std::string lowered = chars::lower(chars::trim(line));
    return lowered.ends_with("wrote:") || lowered.ends_with("schrieb:")
        || lowered.ends_with("escribió:");
}

} // namespace

TextLines::TextLines(std::string_view raw)
{
    const std::string text = clean(raw);
    bool inHistory = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view line(text.data() + start, end - start);
        TextLine out;
        if (startsReplyHistory(line)) {
            inHistory = true;
        }
        std::string_view body = line;
        while (!body.empty() && (body.front() == ' ' || body.front() == '>')) {
            out.quoted = out.quoted || body.front() == '>';
            body.remove_prefix(1);
        }
        out.quoted = out.quoted || inHistory || isAttribution(line);
        out.text.assign(out.quoted ? body : line);
        out.offset = m_joined.size();
        m_joined.append(out.text);
        m_joined.push_back('\n');
        m_lines.push_back(std::move(out));
        start = end + 1;
    }
    if (!m_joined.empty()) {
        m_joined.pop_back();
    }
}

} // namespace latch::triage
