#pragma once
// application/x-www-form-urlencoded, as a browser sends a form (the WHATWG URL standard's
// parser): pairs split on '&', name and value on the first '=', '+' is a space and %XX a byte.
// Plus the UTF-8 checks the web forms need, since a form's text goes onto a case as is.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::intake {

// Name/value pairs in the order sent; duplicates kept.
using UrlEncodedPairs = std::vector<std::pair<std::string, std::string>>;

// nullopt when a '%' is not followed by two hex digits (a browser never sends that). Empty
// pieces ("a=1&&b=2") are skipped. Bytes are returned as decoded; check them with validUtf8.
std::optional<UrlEncodedPairs> parseUrlEncoded(std::string_view body);

// Decodes '+' and %XX; nullopt on a malformed escape.
std::optional<std::string> percentDecode(std::string_view text);

// Well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool validUtf8(std::string_view text);

// Code points in well-formed UTF-8 text.
std::size_t utf8Length(std::string_view text);

// The longest prefix of `text` of at most `bytes` bytes that does not split a character.
std::string_view utf8Prefix(std::string_view text, std::size_t bytes);

} // namespace latch::intake
