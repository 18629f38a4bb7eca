#include "triage/tokens.h"

#include "triage/chars.h"

#include <array>

namespace latch::triage {
namespace {

// Typographic punctuation is multi-byte UTF-8 but not part of a word: “Acme Co”, 4821—Acme.
constexpr std::array<std::string_view, 12> kPunctuation { "\xE2\x80\x9C", "\xE2\x80\x9D",
    "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA6", "\xC2\xAB",
    "\xC2\xBB", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5" };

std::size_t punctuationAt(std::string_view s)
{
    for (std::string_view p : kPunctuation) {
        if (s.starts_with(p)) {
            return p.size();
        }
    }
    return 0;
}

} // namespace

bool Token::hasDigit() const
{
    for (char c : text) {
        if (chars::isDigit(c)) {
            return true;
        }
    }
    return false;
}

std::vector<Token> tokenize(std::string_view line)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        if (chars::isSpace(line[i])) {
            ++i;
            continue;
        }
        if (const std::size_t n = punctuationAt(line.substr(i)); n > 0) {
            tokens.push_back(Token { line.substr(i, n), i, false });
            i += n;
            continue;
        }
        if (!chars::isWordByte(line[i])) {
            tokens.push_back(Token { line.substr(i, 1), i, false });
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < line.size()) {
            const bool wordByte = chars::isWordByte(line[j]) && punctuationAt(line.substr(j)) == 0;
            const bool joiner = (line[j] == '-' || line[j] == '/' || line[j] == '_')
                && j + 1 < line.size() && chars::isWordByte(line[j + 1]);
            if (!wordByte && !joiner) {
                break;
            }
            ++j;
        }
        tokens.push_back(Token { line.substr(i, j - i), i, true });
        i = j;
    }
    return tokens;
}

} // namespace latch::triage
