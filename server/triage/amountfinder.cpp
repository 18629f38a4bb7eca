#include "triage/amountfinder.h"

#include "triage/chars.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace latch::triage {
namespace {

using chars::isAsciiAlpha;
using chars::isDigit;
using chars::isWordByte;

struct Marker {
    std::string_view text;
    std::string_view code;
};

// Before the number. Longest first, so "US$" is found before "$".
constexpr std::array<Marker, 15> kPrefixSymbols { {
    { "US$", "USD" }, { "CA$", "CAD" }, { "AU$", "AUD" }, { "NZ$", "NZD" }, { "HK$", "HKD" },
    { "C$", "CAD" }, { "A$", "AUD" }, { "S$", "SGD" }, { "R$", "BRL" }, { "$", "USD" },
    { "\xE2\x82\xAC", "EUR" }, // €
    { "\xC2\xA3", "GBP" }, // £
    { "\xC2\xA5", "JPY" }, // ¥
    { "\xE2\x82\xB9", "INR" }, // ₹
    { "\xE2\x82\xA9", "KRW" }, // ₩
} };

// After the number ("2.400,00 €", "20$", "150 zł").
constexpr std::array<Marker, 5> kSuffixSymbols { {
    { "\xE2\x82\xAC", "EUR" },
    { "$", "USD" },
    { "\xC2\xA3", "GBP" },
    { "\xC2\xA5", "JPY" },
    { "z\xC5\x82", "PLN" },
} };

// Currency words after a number, in lower case.
constexpr std::array<Marker, 11> kWords { {
    { "dollars", "USD" },
    { "dollar", "USD" },
    { "bucks", "USD" },
    { "euros", "EUR" },
    { "euro", "EUR" },
    { "pounds", "GBP" },
    { "pound", "GBP" },
    { "quid", "GBP" },
    { "yen", "JPY" },
    { "francs", "CHF" },
    { "franken", "CHF" },
} };

// ISO codes people also type in lower case ("200 usd"). Only common ones: many codes are words.
constexpr std::array<std::string_view, 18> kLowerCodes { "usd", "eur", "gbp", "chf", "cad", "aud",
    "jpy", "sek", "nok", "dkk", "pln", "czk", "mxn", "inr", "brl", "nzd", "sgd", "hkd" };

// Upper-case ISO codes that are also everyday words or acronyms ("ALL 3 ITEMS", "CVE 2024",
// "AMD 7950"): never read as a currency.
constexpr std::array<std::string_view, 17> kCodeWords { "ALL", "TOP", "CUP", "SOS", "BOB", "PEN",
    "TRY", "MAD", "GEL", "CVE", "AMD", "RON", "NAD", "BAM", "DOP", "LAK", "MOP" };

// Shorthand multipliers: "1,2k", "3M", "2 mio" are not amounts we can state exactly.
constexpr std::array<std::string_view, 9> kMultipliers { "k", "K", "m", "M", "mn", "bn", "mio",
    "Mio", "tsd" };

template <std::size_t N>
bool isOneOf(std::string_view word, const std::array<std::string_view, N>& list)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

// The ISO code a written code means ("USD", "usd"); "" when it is none.
std::string codeFor(std::string_view word)
{
    if (word.size() != 3) {
        return {};
    }
    const std::string lowered = chars::lower(word);
    if (isOneOf(lowered, kLowerCodes)) {
        return upper(word);
    }
    std::string up = upper(word);
    if (up == word && currencyExponent(up) >= 0 && !isOneOf(word, kCodeWords)) {
        return up;
    }
    return {};
}

// A code, or a currency word ("dollars"), after a number.
std::string suffixCodeFor(std::string_view word)
{
    const std::string lowered = chars::lower(word);
    for (const Marker& m : kWords) {
        if (lowered == m.text) {
            return std::string(m.code);
        }
    }
    return codeFor(word);
}

struct Side {
    std::string code;
    std::size_t at = 0; // where the marker starts (prefix) or ends (suffix)
};

// The currency marker ending at `end` (the number's start), one space allowed in between.
std::optional<Side> prefixAt(std::string_view line, std::size_t end)
{
    std::size_t k = end;
    if (k > 0 && line[k - 1] == ' ') {
        --k;
    }
    const std::string_view before = line.substr(0, k);
    for (const Marker& m : kPrefixSymbols) {
        if (before.ends_with(m.text)) {
            Side side { std::string(m.code), k - m.text.size() };
            // "EUR $500" names two currencies: no amount (an empty code says so).
            if (auto code = prefixAt(line, side.at); code && code->code != side.code) {
                side.code.clear();
            }
            return side;
        }
    }
    std::size_t j = k;
    while (j > 0 && isAsciiAlpha(line[j - 1])) {
        --j;
    }
    if (j < k && (j == 0 || !isWordByte(line[j - 1]))) {
        if (std::string code = codeFor(line.substr(j, k - j)); !code.empty()) {
            return Side { std::move(code), j };
        }
    }
    return std::nullopt;
}

// The number's digits and separators. A space groups only "1 250" style thousands and is only
// tried when the caller allows it (see findInLine).
std::size_t scanNumber(std::string_view s, std::size_t i, bool allowSpace, bool& spaced)
{
    std::size_t j = i;
    std::size_t groupLen = 0;
    spaced = false;
    while (j < s.size()) {
        const char c = s[j];
        if (isDigit(c)) {
            ++j;
            ++groupLen;
        } else if ((c == ',' || c == '.' || c == '\'') && j + 1 < s.size() && isDigit(s[j + 1])) {
            ++j;
            groupLen = 0;
        } else if (allowSpace && c == ' ' && groupLen > 0 && groupLen <= 3 && j + 3 < s.size()
            && isDigit(s[j + 1]) && isDigit(s[j + 2]) && isDigit(s[j + 3])
            && (j + 4 == s.size() || !isDigit(s[j + 4]))) {
            ++j;
            groupLen = 0;
            spaced = true;
        } else {
            break;
        }
    }
    return j;
}

// Minor units for a written number under the rules in the header; nullopt when it is not one.
std::optional<std::int64_t> toMinor(std::string_view number, int exponent)
{
    std::vector<std::string_view> segments;
    std::vector<char> seps;
    std::size_t start = 0;
    for (std::size_t k = 0; k < number.size(); ++k) {
        if (!isDigit(number[k])) {
            segments.push_back(number.substr(start, k - start));
            seps.push_back(number[k]);
            start = k + 1;
        }
    }
    segments.push_back(number.substr(start));

    std::optional<std::size_t> decimalAt; // index into seps
    if (!seps.empty() && (seps.back() == ',' || seps.back() == '.')) {
        const char last = seps.back();
        const char other = last == ',' ? '.' : ',';
        const auto lastCount = std::count(seps.begin(), seps.end(), last);
        const bool hasOther = std::find(seps.begin(), seps.end(), other) != seps.end();
        const std::string_view tail = segments.back();
        if (hasOther) {
            if (lastCount != 1) {
                return std::nullopt;
            }
            decimalAt = seps.size() - 1;
        } else if (lastCount == 1) {
            // "1.250" groups thousands except where the currency has three decimals; "99.5" and
            // "12,50" are decimals; "0.500" can only be a decimal (and is then too precise).
            const bool threeDecimals = exponent == 3 || segments.front() == "0";
            if (tail.size() == 3 && !threeDecimals) {
                decimalAt.reset();
            } else if (tail.size() <= 3) {
                decimalAt = seps.size() - 1;
            } else {
                return std::nullopt;
            }
        }
    }

    std::string digits(segments.front());
    const std::size_t groups = decimalAt ? *decimalAt : seps.size();
    if (groups > 0 && (segments.front().empty() || segments.front().size() > 3)) {
        return std::nullopt;
    }
    char groupChar = 0;
    for (std::size_t k = 0; k < groups; ++k) {
        const char sep = seps[k];
        if (sep == ',' || sep == '.') {
            if (groupChar != 0 && groupChar != sep) {
                return std::nullopt;
            }
            groupChar = sep;
        }
        if (segments[k + 1].size() != 3) {
            return std::nullopt;
        }
        digits.append(segments[k + 1]);
    }
    std::string_view fraction;
    if (decimalAt) {
        if (seps[*decimalAt] == groupChar) {
            return std::nullopt;
        }
        fraction = segments.back();
        if (fraction.empty() || fraction.size() > static_cast<std::size_t>(exponent)) {
            return std::nullopt;
        }
    }
    digits.append(fraction);
    digits.append(static_cast<std::size_t>(exponent) - fraction.size(), '0');
    if (digits.size() > 17) {
        return std::nullopt; // far beyond any real payment; also keeps int64 safe
    }
    std::int64_t minor = 0;
    for (char c : digits) {
        minor = minor * 10 + (c - '0');
    }
    return minor;
}

struct Keyword {
    std::string_view word; // lower case; matched at a word start, so "refund" finds "refunded"
    double weight; // at distance 0; falls linearly to nothing at `reach` characters
    double reach;
    bool whole = false; // must also end the word ("fee", not "feedback")
};

// What a refund or credit request is about. Closeness to these decides first.
constexpr std::array<Keyword, 12> kRefundWords { {
    { "refund", 1, 150 },
    { "reimburs", 1, 150 },
    { "money back", 1, 150 },
    { "credit back", 1, 150 },
    { "erstatt", 1, 150 },
    { "rückerstatt", 1, 150 },
    { "rückzahl", 1, 150 },
    { "gutschrift", 1, 150 },
    { "reembols", 1, 150 },
    { "devoluci", 1, 150 },
    { "devolver", 1, 150 },
    { "rembours", 1, 150 },
} };

// Then the amount at stake in a charge, dispute or invoice, minus side amounts.
constexpr std::array<Keyword, 19> kContextWords { {
    { "charge", 1, 60 },
    { "amount", 1, 60 },
    { "total", 1, 60 },
    { "invoice", 1, 60 },
    { "paid", 1, 60 },
    { "payment", 1, 60 },
    { "billed", 1, 60 },
    { "owe", 1, 60 },
    { "dispute", 1, 60 },
    { "betrag", 1, 60 },
    { "rechnung", 1, 60 },
    { "importe", 1, 60 },
    { "cobr", 1, 60 },
    { "tax", -1, 20, true },
    { "vat", -1, 20, true },
    { "shipping", -1, 20 },
    { "fee", -1, 20, true },
    { "fees", -1, 20, true },
    { "mwst", -1, 20, true },
} };

// Sum over the words of the nearest occurrence's weight, fading with distance in characters.
template <std::size_t N>
double scoreAt(const std::array<Keyword, N>& words, const std::string& lowered, std::size_t begin,
    std::size_t end)
{
    double score = 0;
    for (const Keyword& k : words) {
        double best = 0;
        for (std::size_t at = lowered.find(k.word); at != std::string::npos;
             at = lowered.find(k.word, at + 1)) {
            const std::size_t kEnd = at + k.word.size();
            if ((at > 0 && chars::isAsciiAlpha(lowered[at - 1]))
                || (k.whole && kEnd < lowered.size() && chars::isAsciiAlpha(lowered[kEnd]))) {
                continue;
            }
            const std::size_t distance = kEnd <= begin ? begin - kEnd : (end <= at ? at - end : 0);
            const double value
                = k.weight * std::max(0.0, 1.0 - static_cast<double>(distance) / k.reach);
            if (std::abs(value) > std::abs(best)) {
                best = value;
            }
        }
        score += best;
    }
    return score;
}

void findInLine(const TextLine& line, std::vector<FoundAmount>& out)
{
    const std::string_view s = line.text;
    std::size_t i = 0;
    while (i < s.size()) {
        if (!isDigit(s[i])) {
            ++i;
            continue;
        }
        const auto skipNumber = [&] {
            while (i < s.size() && (isWordByte(s[i]) || s[i] == ',' || s[i] == '.')) {
                ++i;
            }
        };
        const std::optional<Side> prefix = prefixAt(s, i);
        if (i > 0) {
            const char before = s[i - 1];
            const bool gluedToWord = isAsciiAlpha(before) && !(prefix && prefix->at + 3 == i);
            const bool joined = before == '#' || before == '/' || before == '+' || before == '_'
                || (before == '-' && i > 1 && isWordByte(s[i - 2])) || before == '.'
                || before == ',';
            if (gluedToWord || joined) {
                skipNumber(); // "A4821", "#4821", "12/03", "+49", "2024-118"
                continue;
            }
        }

        // Try "1 250,00 €" style grouping only when a currency follows: "$20 100 times" is $20.
        bool spaced = false;
        std::size_t end = scanNumber(s, i, true, spaced);
        std::optional<Side> suffix;
        bool rejected = false;
        for (int attempt = 0; attempt < 2; ++attempt) {
            suffix.reset();
            rejected = false;
            std::size_t t = end;
            if (t < s.size() && isAsciiAlpha(s[t])) {
                std::size_t w = t;
                while (w < s.size() && isAsciiAlpha(s[w])) {
                    ++w;
                }
                const std::string_view word = s.substr(t, w - t);
                std::string code = (w == s.size() || !isWordByte(s[w])) ? suffixCodeFor(word) : "";
                if (code.empty()) {
                    rejected = true; // "1,2k", "10am", "3rd", "4821abc"
                } else {
                    suffix = Side { std::move(code), w };
                }
            } else if (t < s.size()
                && (s[t] == '%'
                    || ((s[t] == '/' || s[t] == '-' || s[t] == ':') && t + 1 < s.size()
                        && isDigit(s[t + 1])))) {
                rejected = true; // percentages, dates, ranges, times
            } else {
                if (t < s.size() && s[t] == ' ') {
                    ++t;
                }
                const std::string_view after = s.substr(t);
                for (const Marker& m : kSuffixSymbols) {
                    if (after.starts_with(m.text)) {
                        suffix = Side { std::string(m.code), t + m.text.size() };
                        break;
                    }
                }
                if (!suffix && t > end) {
                    std::size_t w = t;
                    while (w < s.size() && isWordByte(s[w])) {
                        ++w;
                    }
                    const std::string_view word = s.substr(t, w - t);
                    if (std::string code = suffixCodeFor(word); !code.empty()) {
                        suffix = Side { std::move(code), w };
                    } else if (isOneOf(word, kMultipliers)) {
                        rejected = true; // "1,2 k"
                    }
                }
            }
            if (!spaced || suffix) {
                break;
            }
            end = scanNumber(s, i, false, spaced);
        }

        if (!rejected && (prefix || suffix)) {
            const bool conflict = (prefix && prefix->code.empty())
                || (prefix && suffix && prefix->code != suffix->code);
            const std::string code = prefix ? prefix->code : suffix->code;
            const std::optional<std::int64_t> minor
                = conflict ? std::nullopt : toMinor(s.substr(i, end - i), currencyExponent(code));
            if (minor) {
                FoundAmount found;
                found.money = Money { *minor, code };
                found.begin = line.offset + (prefix ? prefix->at : i);
                found.end = line.offset + (suffix ? suffix->at : end);
                found.quoted = line.quoted;
                out.push_back(std::move(found));
            }
        }
        i = end;
        skipNumber();
    }
}

} // namespace

std::vector<FoundAmount> AmountFinder::findAll(const TextLines& text) const
{
    std::vector<FoundAmount> out;
    for (const TextLine& line : text.lines()) {
        findInLine(line, out);
    }
    const std::string lowered = chars::lower(text.joined());
    for (FoundAmount& found : out) {
        found.nearRefund = std::min(1.0, scoreAt(kRefundWords, lowered, found.begin, found.end));
        found.context = scoreAt(kContextWords, lowered, found.begin, found.end);
    }
    return out;
}

std::optional<FoundAmount> AmountFinder::best(const TextLines& text) const
{
    const std::vector<FoundAmount> all = findAll(text);
    const auto better = [](const FoundAmount& a, const FoundAmount& b) {
        if (a.quoted != b.quoted) {
            return !a.quoted;
        }
        if (a.nearRefund != b.nearRefund) {
            return a.nearRefund > b.nearRefund;
        }
        if (a.context != b.context) {
            return a.context > b.context;
        }
        return a.begin < b.begin;
    };
    const auto it = std::min_element(all.begin(), all.end(), better);
    if (it == all.end()) {
        return std::nullopt;
    }
    return *it;
}

} // namespace latch::triage
