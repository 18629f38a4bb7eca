#pragma once
// Reads one raw RFC 5322 message (the bytes of a Maildir file, an .eml, an SMTP DATA) into a
// ParsedEmail with GMime 3.
//
// The body text prefers text/plain (in multipart/alternative too) and falls back to the HTML made
// readable (htmltext.h); every text is converted to UTF-8 from its declared charset (charset.h).
// Parts of a multipart/mixed that are body text are joined with a blank line. A forwarded
// message (message/rfc822) is both: its text follows the forwarder's under a
// "---------- Forwarded message ----------" block with its From, Date, Subject and To, and the
// whole forwarded message is one attachment ("<subject>.eml", message/rfc822), so the original
// stays available as it was sent; the files inside it are not listed separately.
//
// Attachments are every other leaf part: files, inline images (isInline, with their contentId),
// calendar invitations. An S/MIME or OpenPGP signature of a multipart/signed is not one.
// Parts nested deeper than 32 multiparts are ignored (no client nests so deep; a crafted message
// would otherwise exhaust the stack).
//
// Limits are not errors, except for the whole message: a part over maxAttachmentBytes, or past
// the first maxAttachments, is listed with its size and SHA-256 (hashed while decoding, without
// keeping the bytes), stored = false and a reason. A message larger than maxTotalBytes is refused
// before it is parsed. The decoded size of every part is bounded by the raw size, so
// maxTotalBytes also bounds what one parse keeps in memory (about three times the message).
//
// Expected failures, as Failure values:
//   email.malformed  empty input, or bytes that are not a message (no header, unreadable header)
//   email.too_large  more than maxTotalBytes
//   email.no_sender  no From mailbox, so there is no one to answer
//
// Threading: parse() is const and reentrant; several threads may parse at once, each its own
// message. GMime is initialised once per process on first use (std::call_once).
#include "intake/mail/parsedemail.h"
#include "latch/expected.h"

#include <cstdint>
#include <string_view>

namespace latch::intake::mail {

struct ParseLimits {
    std::uint32_t maxAttachments = 20; // later ones are listed, not stored
    std::uint64_t maxAttachmentBytes = std::uint64_t { 10 } << 20; // decoded, per attachment
    std::uint64_t maxTotalBytes = std::uint64_t { 25 } << 20; // the raw message, as most MTAs allow
};

class EmailParser {
public:
    explicit EmailParser(ParseLimits limits = {});

    Expected<ParsedEmail> parse(std::string_view raw) const;

    const ParseLimits& limits() const { return m_limits; }

private:
    ParseLimits m_limits;
};

} // namespace latch::intake::mail
