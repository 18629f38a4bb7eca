#pragma once
// Finds amounts of money in message text and picks the one the message is about.
//
// Only a number with a currency counts: a symbol ("$2,400", "2.400,00 €", "£99.5"), an ISO code
// before or after it ("USD 2,400.00", "1250 EUR") or a currency word ("2400 dollars"). That rule
// is what keeps order numbers, phone numbers, dates and IBANs out. Both decimal conventions are
// read, "2,400.00" and "2.400,00"; a single separator followed by exactly three digits groups
// thousands ("EUR 1.250" is 1,250.00 EUR), one or two digits are decimals. Shorthand such as
// "1,2k" is skipped rather than guessed, and so is a number whose decimals the currency does not
// have ("¥12.5"). A bare "$" is taken as USD.
//
// Stateless; safe to share between threads.
#include "latch/money.h"
#include "triage/textlines.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace latch::triage {

struct FoundAmount {
    Money money;
    std::size_t begin = 0; // span in TextLines::joined(), currency marker included
    std::size_t end = 0;
    bool quoted = false; // on a line quoted from an earlier message
    double nearRefund = 0; // 1 next to a refund word ("refund", "erstatten", "reembolso" ...),
                           // falling to 0 at 150 characters
    double context = 0; // charge/total/invoice words nearby add, tax/shipping/fee subtract
};

class AmountFinder {
public:
    // Every amount, in text order.
    std::vector<FoundAmount> findAll(const TextLines& text) const;

    // The amount the message is most likely about: new text beats quoted text, then the amount
    // nearest a refund word, then the one with more charge/total/invoice words around it, then
    // the first one.
    std::optional<FoundAmount> best(const TextLines& text) const;
};

} // namespace latch::triage
