#include "triage/orderfinder.h"

#include "triage/chars.h"
#include "triage/tokens.h"

#include <algorithm>
#include <array>
#include <optional>

namespace latch::triage {
namespace {

// Lower case. "order" also covers "purchase order", "order ID" and "your order".
constexpr std::array<std::string_view, 14> kOrderWords { "order", "bestellung", "bestellnummer",
    "bestellnr", "bestell-nr", "auftrag", "auftragsnummer", "auftragsnr", "pedido", "commande",
    "ordernumber", "order-id", "order-nr", "order-no" };

// Words between the order word and the reference ("order number: A-4821").
constexpr std::array<std::string_view, 16> kFillerWords { "number", "no", "nr", "num", "id", "ref",
    "reference", "is", "was", "nummer", "número", "numero", "n°", "nº", "nro", "ref-no" };

constexpr std::size_t kMaxFillers = 4;
constexpr std::size_t kHashWindow = 40; // how close an order word must be to a bare "#4821"

template <std::size_t N>
bool isOneOf(std::string_view word, const std::array<std::string_view, N>& list)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

bool isFiller(const Token& t)
{
    if (t.word) {
        return isOneOf(chars::lower(t.text), kFillerWords);
    }
    return t.is('#') || t.is(':') || t.is('.') || t.is('-') || t.is('(') || t.is('=');
}

// "12/03/2024", "2024-03-12", "3-4": a date or range, not a reference.
bool looksLikeDate(std::string_view s)
{
    int groups = 1;
    for (char c : s) {
        if (c == '/' || c == '-') {
            ++groups;
        } else if (!chars::isDigit(c)) {
            return false;
        }
    }
    if (groups < 2 || groups > 3) {
        return false;
    }
    std::size_t start = 0;
    std::size_t longest = 0;
    for (std::size_t k = 0; k <= s.size(); ++k) {
        if (k == s.size() || s[k] == '/' || s[k] == '-') {
            longest = std::max(longest, k - start);
            start = k + 1;
        }
    }
    return longest <= 4;
}

bool isReference(const Token& t, bool afterFiller)
{
    if (!t.word || !t.hasDigit() || t.text.size() < 3 || t.text.size() > 40
        || looksLikeDate(t.text)) {
        return false;
    }
    const bool allDigits = std::all_of(t.text.begin(), t.text.end(), chars::isDigit);
    // Right after the verb, "order 500 units" is a quantity; "order 4821" is a reference.
    return afterFiller || !allDigits || t.text.size() >= 4;
}

// "PO-2024-118", "PO2024118", "ORD-4821": a reference that names itself.
bool isSelfNamedReference(const Token& t)
{
    for (std::string_view prefix : { "PO", "ORD" }) {
        if (t.word && t.text.starts_with(prefix) && t.text.size() > prefix.size() + 2) {
            std::string_view rest = t.text.substr(prefix.size());
            if (rest.front() == '-' || rest.front() == '_') {
                rest.remove_prefix(1);
            }
            if (!rest.empty() && chars::isDigit(rest.front())) {
                return true;
            }
        }
    }
    return false;
}

std::optional<std::string> findInLine(const std::string& line)
{
    const std::vector<Token> tokens = tokenize(line);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const Token& t = tokens[k];
        if (isSelfNamedReference(t)) {
            return std::string(t.text);
        }
        const bool orderWord
            = t.word && (isOneOf(chars::lower(t.text), kOrderWords) || t.text == "PO");
        if (!orderWord) {
            continue;
        }
        std::size_t j = k + 1;
        std::size_t fillers = 0;
        while (j < tokens.size() && fillers < kMaxFillers && isFiller(tokens[j])) {
            ++j;
            ++fillers;
        }
        if (j < tokens.size() && isReference(tokens[j], fillers > 0)) {
            return std::string(tokens[j].text);
        }
    }
    // "#4821" with an order word nearby: "Re: your order (#4821)", "#4821 - order never arrived".
    const std::string lowered = chars::lower(line);
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
        if (!tokens[k].is('#') || tokens[k + 1].pos != tokens[k].end()
            || !isReference(tokens[k + 1], true)) {
            continue;
        }
        const std::size_t from = tokens[k].pos > kHashWindow ? tokens[k].pos - kHashWindow : 0;
        const std::string window = lowered.substr(from, tokens[k + 1].end() + kHashWindow - from);
        for (std::string_view word : kOrderWords) {
            if (window.find(word) != std::string::npos) {
                return std::string(tokens[k + 1].text);
            }
        }
    }
    return std::nullopt;
}

} // namespace

std::string OrderFinder::find(const TextLines& text) const
{
    for (const bool quoted : { false, true }) {
        for (const TextLine& line : text.lines()) {
            if (line.quoted != quoted) {
                continue;
            }
            if (auto found = findInLine(line.text)) {
                return *found;
            }
        }
    }
    return {};
}

} // namespace latch::triage
