#include "triage/customerfinder.h"

#include "triage/chars.h"
#include "triage/tokens.h"

#include <algorithm>
#include <array>
#include <optional>

namespace latch::triage {
namespace {

using chars::startsUpper;

template <std::size_t N>
bool isOneOf(std::string_view word, const std::array<std::string_view, N>& list)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

// Legal-form suffixes, matched case-sensitively: "Co" is a suffix, "CO" and "co" are not.
constexpr std::array<std::string_view, 31> kSuffixes { "Inc", "INC", "LLC", "Ltd", "LTD", "Limited",
    "GmbH", "GMBH", "Co", "Corp", "CORP", "Corporation", "SA", "AG", "BV", "NV", "plc", "PLC", "SL",
    "SAS", "SARL", "KG", "LLP", "Oy", "AB", "Srl", "SpA", "Pty", "SE", "ApS", "UG" };
// Suffixes that may follow a comma: "Initech, Inc.".
constexpr std::array<std::string_view, 6> kCommaSuffixes { "Inc", "INC", "LLC", "Ltd", "LTD",
    "Corp" };

// Lower case. Words that can open a capitalised run but are never part of a company's name.
constexpr std::array<std::string_view, 83> kStopWords { "hi", "hello", "hey", "dear", "thanks",
    "thank", "regards", "from", "to", "re", "fwd", "fw", "aw", "wg", "subject", "the", "a", "an",
    "our", "your", "my", "we", "i", "please", "pls", "customer", "client", "company", "vendor",
    "supplier", "account", "order", "invoice", "refund", "urgent", "note", "attn", "attention",
    "team", "hallo", "liebe", "lieber", "hola", "estimado", "estimada", "mr", "ms", "mrs", "dr",
    "sehr", "geehrte", "as", "at", "for", "with", "by", "and", "or", "but", "via", "cc", "per",
    "yesterday", "today", "also", "however", "unfortunately", "sorry", "since", "when", "if",
    "this", "that", "it", "so", "hopefully", "just", "fyi", "ps", "btw", "ok", "okay", "new" };

// Join name words: "Smith & Sons Ltd", "Bank of Ireland plc". Not "von" or "de": German nouns
// are capitalised, and "Die Rechnung von Schmidt GmbH" must give "Schmidt GmbH".
constexpr std::array<std::string_view, 4> kConnectors { "&", "and", "of", "und" };

constexpr std::array<std::string_view, 27> kLabels { "customer", "customer name", "client",
    "client name", "company", "company name", "account name", "organisation", "organization",
    "business name", "merchant", "vendor", "vendor name", "supplier", "supplier name", "kunde",
    "kundenname", "firma", "firmenname", "lieferant", "cliente", "empresa", "proveedor",
    "nombre del cliente", "razón social", "customer/company", "payee" };

constexpr std::array<std::string_view, 7> kBehalf { "on behalf of ", "im auftrag von ",
    "im namen von ", "en nombre de ", "de parte de ", "au nom de ", "acting for " };

// Lower-case words skipped between "on behalf of" and the name: "on behalf of our client Acme".
constexpr std::array<std::string_view, 14> kBehalfLeadIns { "the", "our", "my", "client",
    "customer", "company", "firm", "unseres", "unserem", "unseren", "kunden", "mandanten",
    "cliente", "nuestro" };

constexpr std::array<std::string_view, 42> kSignOffs { "thanks", "thank you", "thanks so much",
    "thanks a lot", "many thanks", "thanks again", "thanks in advance", "thx", "ty", "best",
    "best regards", "regards", "kind regards", "warm regards", "warmest regards", "best wishes",
    "cheers", "sincerely", "yours sincerely", "yours truly", "respectfully", "all the best", "br",
    "mfg", "viele grüße", "beste grüße", "mit freundlichen grüßen", "freundliche grüße",
    "liebe grüße", "lg", "vg", "gruß", "grüße", "saludos", "un saludo", "saludos cordiales",
    "atentamente", "gracias", "muchas gracias", "cordialement", "bien à vous", "danke" };

// Lower case. A signature line with one of these is a job title, not a company.
constexpr std::array<std::string_view, 60> kTitleWords { "ceo", "cfo", "cto", "coo", "cio", "vp",
    "svp", "evp", "president", "director", "manager", "head", "lead", "officer", "assistant",
    "associate", "specialist", "analyst", "accountant", "controller", "clerk", "coordinator",
    "administrator", "admin", "engineer", "developer", "consultant", "representative", "agent",
    "owner", "founder", "partner", "finance", "financial", "accounts", "accounting", "payable",
    "receivable", "billing", "procurement", "purchasing", "operations", "support", "service",
    "sales", "department", "dept", "hr", "legal", "treasury", "bookkeeper", "buchhaltung",
    "geschäftsführer", "leiter", "leiterin", "gerente", "sent", "iphone", "android", "mobile" };

bool isNameWord(const Token& t)
{
    if (!t.word || !(startsUpper(t.text) || chars::isDigit(t.text[0]))) {
        return false;
    }
    return std::any_of(t.text.begin(), t.text.end(), chars::isAsciiAlpha)
        || chars::isHighByte(t.text[0]);
}

bool isConnector(const Token& t)
{
    return isOneOf(chars::lower(t.text), kConnectors);
}

bool isSingleCapital(const Token& t)
{
    return t.word && t.text.size() == 1 && t.text[0] >= 'A' && t.text[0] <= 'Z';
}

// The index of the suffix's last token when a suffix starts at k: "GmbH", "S.A.", "Pty Ltd",
// "GmbH & Co. KG".
std::optional<std::size_t> suffixEnd(const std::vector<Token>& tokens, std::size_t k)
{
    std::optional<std::size_t> last;
    if (tokens[k].word && isOneOf(tokens[k].text, kSuffixes)) {
        last = k;
        if (tokens[k].text == "Pty" && k + 1 < tokens.size() && tokens[k + 1].text == "Ltd") {
            last = k + 1;
        }
    } else if (k + 3 < tokens.size() && isSingleCapital(tokens[k]) && tokens[k + 1].is('.')
        && isSingleCapital(tokens[k + 2]) && tokens[k + 3].is('.')) {
        last = k + 3; // S.A., B.V., N.V., S.L., and L.L.C. below
        if (k + 5 < tokens.size() && isSingleCapital(tokens[k + 4]) && tokens[k + 5].is('.')) {
            last = k + 5;
        }
    }
    if (!last) {
        return std::nullopt;
    }
    // "GmbH & Co. KG" / "GmbH & Co KG"
    std::size_t j = *last + 1;
    if (j + 2 < tokens.size() && tokens[j].is('&') && tokens[j + 1].text == "Co") {
        std::size_t kg = j + 2;
        if (tokens[kg].is('.') && kg + 1 < tokens.size()) {
            ++kg;
        }
        if (tokens[kg].text == "KG") {
            last = kg;
        }
    }
    return last;
}

std::string collapseSpaces(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (chars::isSpace(c)) {
            if (!out.empty() && out.back() != ' ') {
                out.push_back(' ');
            }
        } else {
            out.push_back(c);
        }
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

// A capitalised run ending just before the suffix at k, with stop words dropped from its front.
std::optional<std::string> suffixedNameAt(
    const std::string& line, const std::vector<Token>& tokens, std::size_t k)
{
    const std::optional<std::size_t> last = suffixEnd(tokens, k);
    if (!last || k == 0) {
        return std::nullopt;
    }
    std::size_t m = k;
    if (tokens[m - 1].is(',') && isOneOf(tokens[k].text, kCommaSuffixes)) {
        --m;
    }
    std::size_t first = m;
    int names = 0;
    while (first > 0 && names < 5) {
        const Token& t = tokens[first - 1];
        if (isNameWord(t)) {
            --first;
            ++names;
        } else if (names > 0 && isConnector(t) && first >= 2 && isNameWord(tokens[first - 2])) {
            --first;
        } else {
            break;
        }
    }
    while (first < m
        && (isOneOf(chars::lower(tokens[first].text), kStopWords) || isConnector(tokens[first]))) {
        ++first;
    }
    if (first == m) {
        return std::nullopt;
    }
    return collapseSpaces(
        std::string_view(line).substr(tokens[first].pos, tokens[*last].end() - tokens[first].pos));
}

std::optional<std::string> suffixedName(const std::string& line)
{
    const std::vector<Token> tokens = tokenize(line);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (auto name = suffixedNameAt(line, tokens, k)) {
            return name;
        }
    }
    return std::nullopt;
}

// A plausible company or customer name given as a field's value.
bool plausibleValue(std::string_view value)
{
    if (value.size() < 2 || value.size() > 80
        || !(startsUpper(value) || chars::isDigit(value[0]))) {
        return false;
    }
    const std::string lowered = chars::lower(value);
    if (lowered.find('@') != std::string::npos || lowered.find("http") != std::string::npos
        || lowered.find("www.") != std::string::npos) {
        return false;
    }
    const auto letters = std::count_if(value.begin(), value.end(), chars::isAsciiAlpha);
    const auto digits = std::count_if(value.begin(), value.end(), chars::isDigit);
    const std::vector<Token> tokens = tokenize(value);
    const auto words
        = std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.word; });
    return letters >= 2 && digits <= letters && words <= 8;
}

std::string stripTrailingDot(std::string value)
{
    // Keep the dot of "S.A." and "B.V.", drop the sentence's full stop after "Acme Corp.".
    const std::size_t n = value.size();
    const bool dottedSuffix = n >= 3 && value[n - 1] == '.' && value[n - 2] >= 'A'
        && value[n - 2] <= 'Z' && value[n - 3] == '.';
    while (!value.empty() && (value.back() == '.' || value.back() == ',' || value.back() == ';')
        && !dottedSuffix) {
        value.pop_back();
    }
    return value;
}

std::optional<std::string> labelledValue(const std::string& line)
{
    const std::string lowered = chars::lower(line);
    for (std::string_view label : kLabels) {
        for (std::size_t at = lowered.find(label); at != std::string::npos;
             at = lowered.find(label, at + 1)) {
            if (at > 0 && chars::isWordByte(lowered[at - 1])) {
                continue;
            }
            std::size_t j = at + label.size();
            while (j < lowered.size() && lowered[j] == ' ') {
                ++j;
            }
            if (j >= lowered.size() || lowered[j] != ':') {
                continue;
            }
            std::string_view value = chars::trim(std::string_view(line).substr(j + 1));
            for (std::string_view stop : { ";", "|", " - ", " (", "\t" }) {
                value = value.substr(0, value.find(stop));
            }
            // A squashed form ("Customer: Acme Co Amount: $2,400") ends before the next label.
            if (const std::size_t colon = value.find(':'); colon != std::string_view::npos) {
                std::size_t cut = value.rfind(' ', colon);
                value = value.substr(0, cut == std::string_view::npos ? 0 : cut);
            }
            std::string cleaned = stripTrailingDot(collapseSpaces(chars::trim(value)));
            if (plausibleValue(cleaned)) {
                return cleaned;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> behalfOf(const std::string& line)
{
    const std::string lowered = chars::lower(line);
    for (std::string_view phrase : kBehalf) {
        const std::size_t at = lowered.find(phrase);
        if (at == std::string::npos) {
            continue;
        }
        const std::size_t from = at + phrase.size();
        const std::vector<Token> tokens = tokenize(std::string_view(line).substr(from));
        std::size_t k = 0;
        while (k < tokens.size() && k < 3 && isOneOf(chars::lower(tokens[k].text), kBehalfLeadIns)
            && !startsUpper(tokens[k].text)) {
            ++k;
        }
        const std::size_t first = k;
        std::size_t last = k;
        bool any = false;
        while (k < tokens.size()) {
            if (auto end = suffixEnd(tokens, k); end && any) {
                last = *end;
                break;
            }
            if (isNameWord(tokens[k])) {
                any = true;
                last = k++;
            } else if (any && k + 1 < tokens.size()
                && ((isConnector(tokens[k]) && isNameWord(tokens[k + 1]))
                    || (tokens[k].is(',') && isOneOf(tokens[k + 1].text, kCommaSuffixes)))) {
                ++k; // "Smith & Sons", "Initech, Inc."
            } else {
                break;
            }
        }
        if (!any) {
            continue;
        }
        const std::string_view rest = std::string_view(line).substr(from);
        std::string name = collapseSpaces(
            rest.substr(tokens[first].pos, tokens[last].end() - tokens[first].pos));
        if (!isOneOf(chars::lower(name), kStopWords) && plausibleValue(name)) {
            return name;
        }
    }
    return std::nullopt;
}

bool isSignOff(std::string_view line)
{
    std::string lowered = chars::lower(chars::trim(line));
    while (!lowered.empty()
        && (lowered.back() == ',' || lowered.back() == '!' || lowered.back() == '.'
            || lowered.back() == ' ')) {
        lowered.pop_back();
    }
    return !lowered.empty() && isOneOf(lowered, kSignOffs);
}

bool looksLikePerson(std::string_view line)
{
    const std::vector<Token> tokens = tokenize(line);
    if (tokens.empty() || tokens.size() > 4 || line.size() > 40) {
        return false;
    }
    return std::all_of(tokens.begin(), tokens.end(),
        [](const Token& t) { return (isNameWord(t) && !t.hasDigit()) || t.is('.'); });
}

bool hasTitleWord(const std::vector<Token>& tokens)
{
    return std::any_of(tokens.begin(), tokens.end(),
        [](const Token& t) { return t.word && isOneOf(chars::lower(t.text), kTitleWords); });
}

// "Initech" or "Head of Finance, Initech" or "Accounts Payable | Initech" -> "Initech".
std::optional<std::string> companyLine(std::string_view line)
{
    line = chars::trim(line);
    if (line.empty() || line.size() > 60) {
        return std::nullopt;
    }
    std::string_view candidate = line;
    if (hasTitleWord(tokenize(line))) {
        std::optional<std::string_view> right;
        for (std::string_view sep : { ", ", " | ", " at ", " @ ", " - ", " \xE2\x80\x93 " }) {
            if (const std::size_t at = line.rfind(sep); at != std::string_view::npos) {
                right = line.substr(at + sep.size());
                break;
            }
        }
        if (!right) {
            return std::nullopt;
        }
        candidate = chars::trim(*right);
    }
    const std::vector<Token> tokens = tokenize(candidate);
    const auto words
        = std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.word; });
    if (words == 0 || words > 5 || hasTitleWord(tokens) || !isNameWord(tokens.front())) {
        return std::nullopt;
    }
    for (const Token& t : tokens) {
        if (!(isNameWord(t) || isConnector(t) || t.is('.') || t.is('-'))) {
            return std::nullopt;
        }
    }
    std::string value = stripTrailingDot(collapseSpaces(candidate));
    if (!plausibleValue(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> signatureCompany(const std::vector<TextLine>& lines)
{
    for (std::size_t k = 0; k < lines.size(); ++k) {
        if (lines[k].quoted || !isSignOff(lines[k].text)) {
            continue;
        }
        std::size_t person = k + 1;
        while (person < lines.size() && chars::trim(lines[person].text).empty()) {
            ++person;
        }
        if (person >= lines.size() || lines[person].quoted
            || !looksLikePerson(lines[person].text)) {
            continue;
        }
        const std::size_t company = person + 1;
        if (company < lines.size() && !lines[company].quoted) {
            if (auto name = companyLine(lines[company].text)) {
                return name;
            }
        }
    }
    return std::nullopt;
}

} // namespace

std::string CustomerFinder::find(const TextLines& text) const
{
    const std::vector<TextLine>& lines = text.lines();
    for (const bool quoted : { false, true }) {
        for (const TextLine& line : lines) {
            if (line.quoted == quoted) {
                if (auto value = labelledValue(line.text)) {
                    return *value;
                }
            }
        }
    }
    for (const TextLine& line : lines) {
        if (auto name = behalfOf(line.text)) {
            return *name;
        }
    }
    for (const TextLine& line : lines) {
        if (!line.quoted) {
            if (auto name = suffixedName(line.text)) {
                return *name;
            }
        }
    }
    if (auto name = signatureCompany(lines)) {
        return *name;
    }
    for (const TextLine& line : lines) {
        if (line.quoted) {
            if (auto name = suffixedName(line.text)) {
                return *name;
            }
        }
    }
    return {};
}

} // namespace latch::triage
