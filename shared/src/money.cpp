#include "latch/money.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <limits>
#include <utility>

namespace latch {
namespace {

struct CurrencyInfo {
    std::string_view code;
    int exponent;
};

// ISO 4217 List One, the active codes that have minor units (the metals and XDR/XSU/XUA have none
// and are left out). Withdrawn codes (HRK, CUC, SLL, ZWL, ...) are left out on purpose, so a stale
// code is refused rather than silently accepted. Sorted by code: looked up by binary search.
// clang-format off
constexpr std::array kCurrencies = std::to_array<CurrencyInfo>({
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3},
    {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2},
    {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2},
    {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
    {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2},
    {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2},
    {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2},
    {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3},
    {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2},
    {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2},
    {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2},
    {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
    {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0},
    {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2},
    {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2},
    {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0},
    {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0},
    {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
});
// clang-format on

constexpr bool byCode(const CurrencyInfo& a, const CurrencyInfo& b)
{
    return a.code < b.code;
}
static_assert(std::is_sorted(kCurrencies.begin(), kCurrencies.end(), byCode),
    "kCurrencies must stay sorted for the binary search");

struct Symbol {
    std::string_view text; // UTF-8
    std::string_view code;
};

constexpr std::array<Symbol, 4> kSymbols { {
    { "$", "USD" }, { "\xE2\x82\xAC", "EUR" }, // €
    { "\xC2\xA3", "GBP" }, // £
    { "\xC2\xA5", "JPY" }, // ¥
} };

constexpr std::string_view kNbsp = "\xC2\xA0"; // pasted amounts often carry non-breaking spaces

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the whitespace (ASCII or NBSP) at the start of s.
std::size_t leadingSpace(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        if (isAsciiSpace(s[i])) {
            ++i;
        } else if (s.substr(i).starts_with(kNbsp)) {
            i += kNbsp.size();
        } else {
            break;
        }
    }
    return i;
}

std::string_view trim(std::string_view s)
{
    s.remove_prefix(leadingSpace(s));
    while (!s.empty()) {
        if (isAsciiSpace(s.back())) {
            s.remove_suffix(1);
        } else if (s.ends_with(kNbsp)) {
            s.remove_suffix(kNbsp.size());
        } else {
            break;
        }
    }
    return s;
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

Expected<std::string> normaliseCode(std::string_view code)
{
    std::string up = upper(code);
    if (currencyExponent(up) < 0) {
        return fail("money.currency",
            "\"" + std::string(code) + "\" is not a known ISO 4217 currency code.");
    }
    return up;
}

Failure ambiguous(std::string_view number)
{
    return fail("money.ambiguous",
        "\"" + std::string(number)
            + "\" could be read two ways; use ',' only to group thousands and '.' for "
              "decimals, e.g. 1,234.56.");
}

// Parses an optionally negative number with optional thousands grouping into minor units of a
// currency with the given exponent. Never rounds and never guesses between decimal conventions.
Expected<std::int64_t> parseNumber(std::string_view number, int exponent)
{
    const std::string_view original = number;
    bool negative = false;
    if (number.starts_with('-')) {
        negative = true;
        number.remove_prefix(1);
    }
    if (number.empty() || !isDigit(number.front())) {
        return fail("money.syntax", "\"" + std::string(original) + "\" is not a number.");
    }
    for (char c : number) {
        if (!isDigit(c) && c != ',' && c != '.') {
            return fail("money.syntax", "\"" + std::string(original) + "\" is not a number.");
        }
    }

    const std::size_t dot = number.find('.');
    std::string_view whole = number.substr(0, dot);
    std::string_view fraction
        = dot == std::string_view::npos ? std::string_view {} : number.substr(dot + 1);
    // "1.234,56" and "1.234.567" are the European convention (or a typo): either way two readings.
    if (fraction.find_first_of(",.") != std::string_view::npos) {
        return ambiguous(original);
    }
    if (dot != std::string_view::npos && fraction.empty()) {
        return fail("money.syntax",
            "\"" + std::string(original) + "\" ends in '.'; write the decimals or drop the point.");
    }

    std::string digits; // the whole part without grouping commas
    if (whole.find(',') != std::string_view::npos) {
        std::size_t start = 0;
        bool first = true;
        while (start <= whole.size()) {
            const std::size_t comma = std::min(whole.find(',', start), whole.size());
            const std::string_view group = whole.substr(start, comma - start);
            if (group.empty()) {
                return fail("money.syntax",
                    "\"" + std::string(original) + "\" has an empty group between commas.");
            }
            // A lead of "0" or of more than three digits, or a group that is not three digits,
            // is what a decimal comma would look like ("0,50", "12,34", "1234,567").
            const bool leadOk = group.size() <= 3 && group.front() != '0';
            if ((first && !leadOk) || (!first && group.size() != 3)) {
                return ambiguous(original);
            }
            digits.append(group);
            first = false;
            start = comma + 1;
        }
    } else {
        digits.assign(whole);
    }

    if (fraction.size() > static_cast<std::size_t>(exponent)) {
        // Even "2400.000 USD" is refused: extra zeros suggest the author meant another currency.
        return fail("money.precision",
            "\"" + std::string(original) + "\" has " + std::to_string(fraction.size())
                + " decimal places; the currency allows " + std::to_string(exponent) + ".");
    }

    std::string all = digits;
    all.append(fraction);
    all.append(static_cast<std::size_t>(exponent) - fraction.size(), '0');

    std::uint64_t magnitude = 0;
    bool overflow = false;
    for (char c : all) {
        overflow = overflow || __builtin_mul_overflow(magnitude, 10U, &magnitude)
            || __builtin_add_overflow(magnitude, static_cast<unsigned>(c - '0'), &magnitude);
    }
    // INT64_MIN has no positive counterpart, so the negative limit is one larger.
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (overflow || magnitude > kMax + (negative ? 1 : 0)) {
        return fail("money.overflow", "\"" + std::string(original) + "\" is too large an amount.");
    }
    if (!negative) {
        return static_cast<std::int64_t>(magnitude);
    }
    return magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                 : -static_cast<std::int64_t>(magnitude);
}

} // namespace

int currencyExponent(std::string_view code)
{
    const auto it = std::lower_bound(
        kCurrencies.begin(), kCurrencies.end(), CurrencyInfo { code, 0 }, byCode);
    return it != kCurrencies.end() && it->code == code ? it->exponent : -1;
}

Expected<Money> parseAmount(std::string_view number, std::string_view currency)
{
    number = trim(number);
    if (number.empty()) {
        return fail("money.empty", "No amount was given.");
    }
    auto code = normaliseCode(trim(currency));
    if (!code) {
        return code.failure();
    }
    auto minor = parseNumber(number, currencyExponent(*code));
    if (!minor) {
        return minor.failure();
    }
    return Money { *minor, std::move(*code) };
}

Expected<Money> parseMoney(std::string_view text, std::string_view defaultCurrency)
{
    const std::string_view original = trim(text);
    std::string_view rest = original;
    if (rest.empty()) {
        return fail("money.empty", "No amount was given.");
    }
    const auto syntax = [&] {
        return fail("money.syntax",
            "\"" + std::string(original) + "\" is not an amount; write it like 2,400.00 USD.");
    };

    // Shape: [CODE] [-] [symbol] number [CODE]; a '-' may also come first ("-$15").
    std::string_view prefixCode;
    std::size_t letters = 0;
    while (letters < rest.size() && isAlpha(rest[letters])) {
        ++letters;
    }
    if (letters > 0) {
        prefixCode = rest.substr(0, letters);
        rest.remove_prefix(letters);
        rest.remove_prefix(leadingSpace(rest));
    }

    bool negative = false;
    if (rest.starts_with('-')) {
        negative = true;
        rest.remove_prefix(1);
    }
    std::string_view symbolCode;
    for (const Symbol& s : kSymbols) {
        if (rest.starts_with(s.text)) {
            symbolCode = s.code;
            rest.remove_prefix(s.text.size());
            rest.remove_prefix(leadingSpace(rest));
            break;
        }
    }

    std::size_t numberLen = 0;
    while (numberLen < rest.size()
        && (isDigit(rest[numberLen]) || rest[numberLen] == ',' || rest[numberLen] == '.')) {
        ++numberLen;
    }
    const std::string_view number = rest.substr(0, numberLen);
    rest.remove_prefix(numberLen);
    const std::size_t gap = leadingSpace(rest);
    rest.remove_prefix(gap);

    std::string_view suffixCode;
    if (!rest.empty()) {
        std::size_t n = 0;
        while (n < rest.size() && isAlpha(rest[n])) {
            ++n;
        }
        if (n == 0 || n != rest.size()) {
            return syntax();
        }
        suffixCode = rest;
    }
    if (number.empty() || (!prefixCode.empty() && !suffixCode.empty())) {
        return syntax();
    }

    std::string_view written = prefixCode.empty() ? suffixCode : prefixCode;
    std::string code;
    if (!written.empty()) {
        auto normalised = normaliseCode(written);
        if (!normalised) {
            return normalised.failure();
        }
        code = std::move(*normalised);
        if (!symbolCode.empty() && symbolCode != code) {
            return fail("money.ambiguous",
                "\"" + std::string(original) + "\" has a symbol for " + std::string(symbolCode)
                    + " but says " + code + "; write just one currency.");
        }
    } else if (!symbolCode.empty()) {
        code = symbolCode;
    } else if (!trim(defaultCurrency).empty()) {
        auto normalised = normaliseCode(trim(defaultCurrency));
        if (!normalised) {
            return normalised.failure();
        }
        code = std::move(*normalised);
    } else {
        return fail("money.currency",
            "\"" + std::string(original) + "\" has no currency; add a code, e.g. 2,400.00 USD.");
    }

    std::string signedNumber = negative ? "-" : "";
    signedNumber.append(number);
    auto minor = parseNumber(signedNumber, currencyExponent(code));
    if (!minor) {
        return minor.failure();
    }
    return Money { *minor, std::move(code) };
}

std::string formatMoney(const Money& money)
{
    if (money.empty()) {
        return {};
    }
    // An unknown code (say from a newer peer) is shown in raw minor units rather than guessed.
    const int exponent = std::max(currencyExponent(money.currency), 0);
    const bool negative = money.minor < 0;
    // Negating in unsigned arithmetic keeps INT64_MIN representable.
    const std::uint64_t magnitude = negative ? 0U - static_cast<std::uint64_t>(money.minor)
                                             : static_cast<std::uint64_t>(money.minor);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= static_cast<std::size_t>(exponent)) {
        digits.insert(0, static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
    }
    const std::size_t wholeLen = digits.size() - static_cast<std::size_t>(exponent);

    std::string out = negative ? "-" : "";
    for (std::size_t i = 0; i < wholeLen; ++i) {
        if (i > 0 && (wholeLen - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    if (exponent > 0) {
        out.push_back('.');
        out.append(digits, wholeLen);
    }
    out.push_back(' ');
    out.append(money.currency);
    return out;
}

int compareMoney(const Money& a, const Money& b)
{
    assert(a.currency == b.currency && "compareMoney needs amounts in the same currency");
    return a.minor < b.minor ? -1 : (a.minor > b.minor ? 1 : 0);
}

} // namespace latch
