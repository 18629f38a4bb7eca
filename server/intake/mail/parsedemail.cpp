#include "intake/mail/parsedemail.h"

#include <algorithm>

namespace latch::intake::mail {

std::vector<std::string> ParsedEmail::threadKeys() const
{
    std::vector<std::string> keys;
    const auto add = [&keys](std::string key) {
        // A reply usually names its parent in both In-Reply-To and References.
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            keys.push_back(std::move(key));
    };
    if (!messageId.empty())
        add("msg:" + messageId);
    if (!inReplyTo.empty())
        add("msg:" + inReplyTo);
    for (const std::string& reference : references) {
        if (!reference.empty())
            add("msg:" + reference);
    }
    if (!caseId.empty())
        add("case:" + caseId);
    return keys;
}

} // namespace latch::intake::mail
