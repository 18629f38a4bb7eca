#pragma once
// Money as integer minor units plus an ISO 4217 currency. Parsing never guesses: input that could
// mean two amounts, has more decimals than the currency allows, or would overflow is a Failure.
#include "latch/expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace latch {

struct Money {
    std::int64_t minor = 0;
    std::string currency; // upper-case ISO 4217 code; empty means "no amount"

    bool empty() const { return currency.empty(); }
    friend bool operator==(const Money&, const Money&) = default;
};

// Number of minor-unit digits for an ISO 4217 code (USD 2, JPY 0, BHD 3); -1 when unknown.
int currencyExponent(std::string_view code);

// Accepts "2,400.00 USD", "USD 2400", "2400 usd", "$2,400", "$2,400.50", "€1,000", "£12.5",
// "-15.00 EUR". Symbols: $ = USD, € = EUR, £ = GBP, ¥ = JPY. Grouping commas must be in threes;
// '.' is the only decimal mark. With defaultCurrency set, a bare number ("2400.00") is allowed.
// Failure codes: money.empty, money.syntax, money.ambiguous, money.currency, money.precision,
// money.overflow.
Expected<Money> parseMoney(std::string_view text, std::string_view defaultCurrency = {});

// "1000.00" or "1,000" in the given currency.
Expected<Money> parseAmount(std::string_view number, std::string_view currency);

// "2,400.00 USD"; "-15.00 EUR"; "500 JPY".
std::string formatMoney(const Money& money);

// Compares amounts of the same currency: <0, 0, >0. Asserts the currencies match.
int compareMoney(const Money& a, const Money& b);

} // namespace latch
