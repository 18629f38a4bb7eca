#pragma once
// Splits one line into word and punctuation tokens for the order and customer scanners. A word is
// a run of letters, digits and UTF-8 bytes, joined across '-', '/' and '_' ("A-4821",
// "PO-2024-118", "12/03/2024"); every other non-space character is a token of its own.
#include <cstddef>
#include <string_view>
#include <vector>

namespace latch::triage {

struct Token {
    std::string_view text; // a view into the scanned line
    std::size_t pos = 0; // byte offset in that line
    bool word = false;

    std::size_t end() const { return pos + text.size(); }
    bool is(char c) const { return !word && text.size() == 1 && text[0] == c; }
    bool hasDigit() const;
};

std::vector<Token> tokenize(std::string_view line);

} // namespace latch::triage
