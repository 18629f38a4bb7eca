#pragma once
// Finds the order reference a message is about: the token after an order word ("order #4821",
// "Order No. 4821", "order number: A-4821", "Bestellung 4821", "pedido 4821"), a purchase-order
// token ("PO-2024-118"), or a "#4821" with an order word close by. New text is searched before
// quoted text; the first hit wins. Returns "" when nothing qualifies: amounts, dates and short
// numbers after the verb "order" ("order 500 units") do not.
//
// Stateless; safe to share between threads.
#include "triage/textlines.h"

#include <string>

namespace latch::triage {

class OrderFinder {
public:
    std::string find(const TextLines& text) const;
};

} // namespace latch::triage
