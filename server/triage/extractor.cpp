#include "triage/extractor.h"

#include "triage/amountfinder.h"
#include "triage/chars.h"
#include "triage/customerfinder.h"
#include "triage/orderfinder.h"
#include "triage/textlines.h"

#include <algorithm>

namespace latch::triage {
namespace {

bool isLocalByte(char c)
{
    return chars::isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool isDomainByte(char c)
{
    return chars::isAsciiAlnum(c) || c == '.' || c == '-';
}

// Addresses as people paste them: bare, in <angle brackets>, after "mailto:", in HTML remnants.
// Only ASCII addresses; the domain needs a dot and a TLD of two or more letters.
std::vector<std::string> findEmails(const std::string& text)
{
    std::vector<std::string> out;
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && isLocalByte(text[begin - 1])) {
            --begin;
        }
        while (begin < at && (text[begin] == '.' || text[begin] == '-')) {
            ++begin;
        }
        std::size_t end = at + 1;
        while (end < text.size() && isDomainByte(text[end])) {
            ++end;
        }
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
            --end;
        }
        if (begin == at || end == at + 1) {
            continue;
        }
        const std::string local = text.substr(begin, at - begin);
        const std::string domain = chars::lower(text.substr(at + 1, end - at - 1));
        const std::size_t lastDot = domain.rfind('.');
        if (lastDot == std::string::npos || lastDot == 0 || local.back() == '.'
            || domain.find("..") != std::string::npos || local.find("..") != std::string::npos) {
            continue;
        }
        const std::string tld = domain.substr(lastDot + 1);
        if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), chars::isAsciiAlpha)) {
            continue;
        }
        std::string address = local;
        address.append("@").append(domain);
        if (std::find(out.begin(), out.end(), address) == out.end()) {
            out.push_back(std::move(address));
        }
    }
    return out;
}

} // namespace

std::vector<std::pair<std::string, std::string>> Extracted::fields() const
{
    std::vector<std::pair<std::string, std::string>> out;
    if (amount) {
        out.emplace_back("amount", formatMoney(*amount));
    }
    if (!orderRef.empty()) {
        out.emplace_back("order", orderRef);
    }
    if (!customer.empty()) {
        out.emplace_back("customer", customer);
    }
    for (const std::string& email : emails) {
        out.emplace_back("email", email);
    }
    return out;
}

Extracted Extractor::extract(std::string_view text) const
{
    const TextLines lines(text);
    Extracted out;
    if (auto found = AmountFinder().best(lines)) {
        out.amount = found->money;
    }
    out.orderRef = OrderFinder().find(lines);
    out.customer = CustomerFinder().find(lines);
    out.emails = findEmails(lines.joined());
    return out;
}

} // namespace latch::triage
