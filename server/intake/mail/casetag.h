#pragma once
// The case tag Latch puts in the subject of mail about a case, so that a reply finds its case even
// when the mail client dropped In-Reply-To and References (some do, and people forward and
// re-send): "[Latch #<case id>]" with the case's full id, a UUID in canonical lower-case form,
// e.g. "Re: Refund for order 1182 [Latch #0190163d-8694-739b-aea5-966c26f8ad91]".
//
// Reading is lenient where mail clients are: "latch"/"LATCH" and an upper-cased id are accepted,
// and so are spaces inside the brackets. The id must be a whole UUID: a prefix would need the store
// to resolve it, and this library knows nothing of the store.
//
// Threading: pure functions.
#include <optional>
#include <string>
#include <string_view>

namespace latch::intake::mail {

// "[Latch #<caseId>]", for the subject of outgoing mail.
std::string formatCaseTag(std::string_view caseId);

// The case id (lower case) of the first well-formed tag in `subject`, or nullopt. Tags whose id
// is not a UUID are skipped, so "[Latch #draft]" before a real tag does not hide it.
std::optional<std::string> findCaseTag(std::string_view subject);

} // namespace latch::intake::mail
