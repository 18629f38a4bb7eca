#pragma once
// Internal to latch_intake_mail: walks a parsed message's MIME tree for EmailParser and collects
// the body text and the attachments, decoding each part once, in bounded pieces. The rules it
// follows are documented in emailparser.h.
//
// Threading and ownership: one per parse, used by one thread; borrows the GMime tree it is given.
#include "intake/mail/emailparser.h"
#include "intake/mail/parsedemail.h"

#include <cstdint>
#include <string>
#include <vector>

using GMimeObject = struct _GMimeObject;
using GMimePart = struct _GMimePart;
using GMimeMessagePart = struct _GMimeMessagePart;

namespace latch::intake::mail {

class MimeBody {
public:
    explicit MimeBody(const ParseLimits& limits)
        : m_limits(limits)
    {
    }

    struct Content {
        std::string text; // trimmed, "\n" line ends
        bool textFromHtml = false;
        std::vector<Attachment> attachments;
    };

    // `root` is the message's top-level MIME part (nullptr for a message that is only a header).
    Content read(GMimeObject* root);

private:
    struct Text {
        std::string text;
        bool fromHtml = false;
    };

    Text textOf(GMimeObject* object, int depth);
    Text alternativeText(GMimeObject* alternative, int depth);
    void collect(GMimeObject* object, int depth, std::vector<Attachment>& out);
    Attachment fromPart(GMimePart* part);
    Attachment fromMessage(GMimeMessagePart* part);
    // Whether the next attachment may keep its bytes (the count limit); counts it.
    bool admit();
    std::string tooMany() const;

    const ParseLimits& m_limits;
    std::uint32_t m_seen = 0;
};

} // namespace latch::intake::mail
