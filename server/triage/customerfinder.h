#pragma once
// Finds the customer or company a message is about, by these heuristics, most trusted first:
//   1. a labelled field: "Customer: Acme Co", "Company name: Globex GmbH", "Kunde: ...";
//   2. "on behalf of Globex GmbH" (and "im Auftrag von", "en nombre de");
//   3. a name with a legal-form suffix in new text: "Acme Co", "Acme Corp.", "Initech, Inc.",
//      "Globex GmbH", "Umbrella S.A.", "Müller Bau GmbH & Co. KG" (Inc, LLC, Ltd, GmbH, Co, Corp,
//      SA, AG, BV and their relatives);
//   4. the company line of a signature ("Thanks,\nJane Doe\nInitech"), when the line before it
//      looks like a person's name and the line itself like a company, not a job title;
//   5. a suffixed name in quoted text.
// A person's name alone is never returned: in a forwarded or internal message the signer is often
// not the customer. When nothing is clear the answer is "".
//
// Stateless; safe to share between threads.
#include "triage/textlines.h"

#include <string>

namespace latch::triage {

class CustomerFinder {
public:
    std::string find(const TextLines& text) const;
};

} // namespace latch::triage
