#pragma once
// application/x-www-form-urlencoded, as Stripe's API takes its parameters: "a=1&b=x%20y",
// nested keys spelled out ("metadata[case]=C-1"). Also used for query strings.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::fakes {

// Name/value pairs in the order given; duplicates kept.
using FormParams = std::vector<std::pair<std::string, std::string>>;

// Splits on '&' and '=', turns '+' into a space and decodes %XX. Empty pieces are skipped.
FormParams parseForm(std::string_view encoded);
// The inverse: unreserved characters as they are, everything else %XX (a space as %20).
std::string formEncode(const FormParams& params);
std::string percentDecode(std::string_view text, bool plusIsSpace = true);
std::string percentEncode(std::string_view text);

} // namespace latch::fakes
