#pragma once
// Pulls the facts a case needs out of messy free text (email bodies, form submissions, pasted
// HTML): the amount at stake, the order reference, the customer and every email address. Each
// part is a heuristic and says so: when it is unsure it returns nothing rather than a guess, and a
// person confirms what it found before anything acts on it. See amountfinder.h, orderfinder.h and
// customerfinder.h for the rules each one follows.
//
// Extractor is stateless; one instance may be shared by any number of threads.
#include "latch/money.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::triage {

// Minor units plus an ISO 4217 code, the same type the rest of Latch uses for money.
using Amount = Money;

struct Extracted {
    std::optional<Amount> amount;
    std::string orderRef; // as written: "4821", "A-4821", "PO-2024-118"; "" if none
    std::string customer; // "Acme Co"; "" when unsure
    std::vector<std::string> emails; // in order of appearance, domain lower-cased, no duplicates

    // As key/value pairs for case fields, only what was found, in this order:
    //   "amount"   formatMoney's text, "2,400.00 USD" (what latch::parseMoney reads back)
    //   "order", "customer"
    //   "email"    once per address
    std::vector<std::pair<std::string, std::string>> fields() const;

    friend bool operator==(const Extracted&, const Extracted&) = default;
};

class Extractor {
public:
    Extracted extract(std::string_view text) const;
};

} // namespace latch::triage
