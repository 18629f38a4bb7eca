#pragma once
// Byte-level character tests shared by the extractor's scanners. Text is UTF-8; these look at ASCII
// and treat every byte of a multi-byte sequence as part of a word, which is what keeps "Müller" and
// "número" whole. Latin-1 capitals (À..Þ) count as upper case so "Ökotech GmbH" is a name.
#include <string>
#include <string_view>

namespace latch::triage::chars {

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool isAsciiAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool isAsciiAlnum(char c)
{
    return isDigit(c) || isAsciiAlpha(c);
}

inline bool isHighByte(char c)
{
    return static_cast<unsigned char>(c) >= 0x80;
}

// A byte that can be part of a word: ASCII letters and digits, and any byte of a UTF-8 sequence.
inline bool isWordByte(char c)
{
    return isAsciiAlnum(c) || isHighByte(c);
}

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// True when s starts with an upper-case letter: A-Z, or a two-byte UTF-8 capital À..Þ (not ×).
inline bool startsUpper(std::string_view s)
{
    if (s.empty()) {
        return false;
    }
    if (s[0] >= 'A' && s[0] <= 'Z') {
        return true;
    }
    if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC3) {
        const auto b = static_cast<unsigned char>(s[1]);
        return b >= 0x80 && b <= 0x9E && b != 0x97;
    }
    return false;
}

// ASCII lower case plus the Latin-1 capitals (À..Þ become à..þ); other bytes are kept.
inline std::string lower(std::string_view s)
{
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
        char& c = out[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < out.size()) {
            const auto b = static_cast<unsigned char>(out[i + 1]);
            if (b >= 0x80 && b <= 0x9E && b != 0x97) {
                out[i + 1] = static_cast<char>(b + 0x20);
            }
            ++i;
        }
    }
    return out;
}

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace latch::triage::chars
