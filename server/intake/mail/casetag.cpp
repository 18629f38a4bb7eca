#include "intake/mail/casetag.h"

#include "latch/ids.h"

namespace latch::intake::mail {

namespace {

char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != prefix[i])
            return false;
    }
    return true;
}

std::string_view trimSpaces(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace

std::string formatCaseTag(std::string_view caseId)
{
    return "[Latch #" + std::string(caseId) + "]";
}

std::optional<std::string> findCaseTag(std::string_view subject)
{
    for (std::size_t open = subject.find('['); open != std::string_view::npos;
         open = subject.find('[', open + 1)) {
        std::string_view rest = trimSpaces(subject.substr(open + 1));
        if (!startsWithNoCase(rest, "latch"))
            continue;
        rest = trimSpaces(rest.substr(5));
        if (rest.empty() || rest.front() != '#')
            continue;
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos)
            return std::nullopt; // no later tag can be closed either
        std::string id(trimSpaces(rest.substr(1, close - 1)));
        for (char& ch : id)
            ch = lower(ch);
        if (isUuid(id))
            return id;
    }
    return std::nullopt;
}

} // namespace latch::intake::mail
