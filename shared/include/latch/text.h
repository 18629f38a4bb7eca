#pragma once
// Small text helpers several parts need: HTML escaping (the web forms' pages, the case report)
// and hex digits (percent-decoding, signature parsing).
#include <string>
#include <string_view>

namespace latch {

// &, <, >, " and ' as entities: safe in element text and in quoted attribute values.
std::string htmlEscape(std::string_view text);

// 0-15 for 0-9, a-f, A-F; -1 for anything else.
int hexDigitValue(char ch);

} // namespace latch
