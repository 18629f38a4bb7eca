#include "intake/mail/htmltext.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <utility>

namespace latch::intake::mail {

namespace {

// The named references seen in real mail. HTML defines over 2,000; a name not listed here is
// left as written, which still reads.
// clang-format off
constexpr auto kNamed = std::to_array<std::pair<std::string_view, std::string_view>>({
    { "AElig", "Æ" }, { "Aacute", "Á" }, { "Agrave", "À" }, { "Aring", "Å" }, { "Auml", "Ä" },
    { "Ccedil", "Ç" }, { "Eacute", "É" }, { "Ntilde", "Ñ" }, { "Oacute", "Ó" }, { "Oslash", "Ø" },
    { "Ouml", "Ö" }, { "Uuml", "Ü" }, { "aacute", "á" }, { "acirc", "â" }, { "aelig", "æ" },
    { "agrave", "à" }, { "amp", "&" }, { "apos", "'" }, { "aring", "å" }, { "auml", "ä" },
    { "bdquo", "„" }, { "bull", "•" }, { "ccedil", "ç" }, { "cent", "¢" }, { "copy", "©" },
    { "dagger", "†" }, { "deg", "°" }, { "eacute", "é" }, { "ecirc", "ê" }, { "egrave", "è" },
    { "euml", "ë" }, { "euro", "€" }, { "frac12", "½" }, { "gt", ">" }, { "hellip", "…" },
    { "iacute", "í" }, { "iexcl", "¡" }, { "iquest", "¿" }, { "laquo", "«" }, { "larr", "←" },
    { "ldquo", "“" }, { "lsaquo", "‹" }, { "lsquo", "‘" }, { "lt", "<" }, { "mdash", "—" },
    { "middot", "·" }, { "nbsp", "\u00A0" }, { "ndash", "–" }, { "ntilde", "ñ" }, { "oacute", "ó" },
    { "ocirc", "ô" }, { "oslash", "ø" }, { "ouml", "ö" }, { "para", "¶" }, { "pound", "£" },
    { "quot", "\"" }, { "raquo", "»" }, { "rdquo", "”" }, { "reg", "®" }, { "rsaquo", "›" },
    { "rarr", "→" }, { "rsquo", "’" }, { "sbquo", "‚" }, { "sect", "§" }, { "shy", "\u00AD" },
    { "times", "×" }, { "trade", "™" }, { "uacute", "ú" }, { "ucirc", "û" }, { "uuml", "ü" },
    { "szlig", "ß" }, { "yen", "¥" }, { "zwj", "\u200D" }, { "zwnj", "\u200C" },
});
// clang-format on

// &#128; .. &#159; name C1 controls, but every browser reads them as windows-1252, and so did
// the authors who wrote them.
constexpr std::array<char32_t, 32> kCp1252High { 0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026,
    0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018,
    0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD,
    0x017E, 0x0178 };

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isAlnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
}

// Decodes the reference starting at text[0] == '&'. Returns how many bytes it used, 0 when it is
// not one (the '&' is then an ordinary character).
std::size_t decodeReference(std::string_view text, std::string& out)
{
    if (text.size() > 2 && text[1] == '#') {
        const bool hex = text[2] == 'x' || text[2] == 'X';
        const std::size_t start = hex ? 3 : 2;
        std::uint32_t value = 0;
        const char* first = text.data() + start;
        const char* last = text.data() + text.size();
        const auto [end, ec] = std::from_chars(first, last, value, hex ? 16 : 10);
        if (end == first)
            return 0;
        auto used = static_cast<std::size_t>(end - text.data());
        if (used < text.size() && text[used] == ';')
            ++used;
        char32_t cp = ec == std::errc() ? value : 0xFFFD;
        if (cp >= 0x80 && cp <= 0x9F)
            cp = kCp1252High[cp - 0x80];
        appendUtf8(out, cp);
        return used;
    }
    std::size_t end = 1;
    while (end < text.size() && end < 12 && isAlnum(text[end]))
        ++end;
    const std::string_view name = text.substr(1, end - 1);
    const bool terminated = end < text.size() && text[end] == ';';
    // Old HTML let the commonest five go without the ';'; mail generators still do.
    const bool legacy
        = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp";
    if (!terminated && !legacy)
        return 0;
    const auto it = std::find_if(
        kNamed.begin(), kNamed.end(), [name](const auto& entry) { return entry.first == name; });
    if (it == kNamed.end())
        return 0;
    out += it->second;
    return end + (terminated ? 1 : 0);
}

std::string decodeReferences(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            const std::size_t used = decodeReference(text.substr(i), out);
            if (used > 0) {
                i += used;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

// Builds the text: collapses whitespace the way a browser does and turns block boundaries into
// line breaks, never more than one blank line, never a space at either end of a line.
class TextSink {
public:
    void text(std::string_view utf8, bool preformatted)
    {
        for (std::size_t i = 0; i < utf8.size(); ++i) {
            const char ch = utf8[i];
            if (const std::size_t skip = invisibleAt(utf8.substr(i))) {
                i += skip - 1;
                continue;
            }
            if (utf8.substr(i, 2) == "\u00A0") {
                ++i;
                space(preformatted);
                continue;
            }
            if (ch == '\n' && preformatted) {
                lineBreak(1);
            } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                space(preformatted);
            } else {
                put(ch);
            }
        }
    }

    // 1 ends the line, 2 leaves a blank line. Nothing at the start of the text.
    void lineBreak(int lines)
    {
        m_breaks = std::max(m_breaks, lines);
        m_space = false;
    }

    void separate() { m_space = true; }

    // Put before the next visible character, after any pending line break: the "- " of a list item.
    void prefix(std::string_view text) { m_prefix = text; }

    std::string finish() { return std::move(m_out); }

private:
    // Zero-width space/non-joiner/joiner, BOM, soft hyphen, combining grapheme joiner: the padding
    // mailing tools put after a preview line so the client shows no more of the body.
    static std::size_t invisibleAt(std::string_view s)
    {
        for (const std::string_view seq :
            { "\u200B", "\u200C", "\u200D", "\uFEFF", "\u00AD", "\u034F" }) {
            if (s.substr(0, seq.size()) == seq)
                return seq.size();
        }
        return 0;
    }

    void space(bool preformatted)
    {
        if (preformatted)
            put(' ');
        else
            m_space = true;
    }

    void put(char ch)
    {
        if (m_breaks > 0) {
            if (!m_out.empty())
                m_out.append(static_cast<std::size_t>(m_breaks), '\n');
            m_breaks = 0;
        } else if (m_space && !m_out.empty() && m_out.back() != '\n') {
            m_out += ' ';
        }
        m_space = false;
        if (!m_prefix.empty()) {
            m_out += m_prefix;
            m_prefix.clear();
        }
        m_out += ch;
    }

    std::string m_out;
    int m_breaks = 0;
    bool m_space = false;
    std::string m_prefix;
};

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == y; });
}

// Where the tag that starts at html[from] ends (just past '>'), stepping over quoted attribute
// values, which may contain '>'.
std::size_t tagEnd(std::string_view html, std::size_t from)
{
    char quote = 0;
    for (std::size_t i = from; i < html.size(); ++i) {
        const char ch = html[i];
        if (quote != 0) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '>') {
            return i + 1;
        }
    }
    return html.size();
}

// Just past "</name ...>" at or after `from`, or the end of the input when it is never closed.
std::size_t skipElement(std::string_view html, std::size_t from, std::string_view name)
{
    for (std::size_t i = html.find("</", from); i != std::string_view::npos;
         i = html.find("</", i + 2)) {
        const std::string_view candidate = html.substr(i + 2, name.size());
        const std::size_t after = i + 2 + name.size();
        if (equalsNoCase(candidate, name) && (after >= html.size() || !isAlnum(html[after])))
            return tagEnd(html, after);
    }
    return html.size();
}

bool isOneOf(std::string_view name, std::initializer_list<std::string_view> names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

void applyTag(TextSink& sink, std::string_view name, bool closing, bool& preformatted)
{
    if (name == "br" || name == "li") {
        sink.lineBreak(1);
        if (name == "li" && !closing)
            sink.prefix("- ");
    } else if (isOneOf(name,
                   { "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "hr",
                       "pre" })) {
        sink.lineBreak(2);
        if (name == "pre")
            preformatted = !closing;
    } else if (isOneOf(name,
                   { "div", "tr", "table", "dt", "dd", "section", "article", "header", "footer",
                       "center", "address", "form", "caption", "nav", "aside", "main", "figure",
                       "figcaption", "fieldset", "body", "html" })) {
        sink.lineBreak(1);
    } else if (name == "td" || name == "th") {
        sink.separate();
    }
}

} // namespace

std::string htmlToText(std::string_view html)
{
    TextSink sink;
    bool preformatted = false;
    std::size_t i = 0;
    while (i < html.size()) {
        if (html[i] != '<') {
            const std::size_t next = std::min(html.find('<', i), html.size());
            sink.text(decodeReferences(html.substr(i, next - i)), preformatted);
            i = next;
            continue;
        }
        if (html.substr(i, 4) == "<!--") {
            const std::size_t close = html.find("-->", i + 4);
            i = close == std::string_view::npos ? html.size() : close + 3;
            continue;
        }
        const bool closing = i + 1 < html.size() && html[i + 1] == '/';
        std::size_t nameEnd = i + (closing ? 2 : 1);
        const std::size_t nameStart = nameEnd;
        while (nameEnd < html.size() && isAlnum(html[nameEnd]))
            ++nameEnd;
        const bool declaration = i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?');
        if (nameEnd == nameStart && !declaration) {
            sink.text("<", preformatted); // "a < b": not a tag
            ++i;
            continue;
        }
        std::string name(html.substr(nameStart, nameEnd - nameStart));
        for (char& ch : name)
            ch = lower(ch);
        i = tagEnd(html, nameEnd);
        if (declaration)
            continue; // <!DOCTYPE ...>, <?xml ...?>
        if (!closing && isOneOf(name, { "script", "style", "title", "template", "noscript" })) {
            i = skipElement(html, i, name);
            continue;
        }
        applyTag(sink, name, closing, preformatted);
    }
    return sink.finish();
}

} // namespace latch::intake::mail
