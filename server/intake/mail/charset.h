#pragma once
// Text in the charset a MIME part declared, as UTF-8. Mail mislabels charsets often, so this
// reads the way mail clients do rather than failing:
//   - no charset, or us-ascii: UTF-8 if the bytes are valid UTF-8 (many senders never say),
//     else windows-1252;
//   - iso-8859-1 is read as windows-1252, its superset (the WHATWG encoding standard does the
//     same): Outlook labels text with “curly quotes” and € that way;
//   - a charset iconv does not know, or bytes invalid in the declared one, fall back to
//     windows-1252 and then to Latin-1 byte for byte; declared UTF-8 that is not valid keeps
//     the valid parts and shows U+FFFD for the rest.
// The result is always valid UTF-8.
//
// Threading: a pure function (GLib's iconv wrappers are thread-safe).
#include <string>
#include <string_view>

namespace latch::intake::mail {

std::string toUtf8(std::string_view bytes, std::string_view charset);

} // namespace latch::intake::mail
