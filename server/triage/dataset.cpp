#include "triage/dataset.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace latch::triage {
namespace {

// Longer texts are not messages a person wrote; refusing them keeps training files sane.
constexpr std::size_t kMaxTextBytes = std::size_t { 64 } * 1024;

Failure lineFailure(const std::string& source, std::size_t line, const std::string& what)
{
    return fail("triage.jsonl", source + ":" + std::to_string(line) + ": " + what);
}

} // namespace

const std::vector<std::string>& starterTypes()
{
    static const std::vector<std::string> types { "access_request", "account_closure", "chargeback",
        "escalation", "invoice_dispute", "other", "refund", "vendor_bank_change" };
    return types;
}

bool isValidTypeName(std::string_view type)
{
    if (type.empty() || type.size() > 64 || type[0] < 'a' || type[0] > 'z') {
        return false;
    }
    for (char c : type) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

Expected<std::vector<Example>> parseExamples(std::string_view jsonl, const std::string& source)
{
    std::vector<Example> out;
    std::size_t lineNo = 0;
    std::size_t start = 0;
    while (start < jsonl.size()) {
        std::size_t end = jsonl.find('\n', start);
        if (end == std::string_view::npos) {
            end = jsonl.size();
        }
        std::string_view line = jsonl.substr(start, end - start);
        start = end + 1;
        ++lineNo;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            continue;
        }
        nlohmann::json object;
        try {
            object = nlohmann::json::parse(line);
        } catch (const nlohmann::json::parse_error& e) {
            return lineFailure(source, lineNo,
                "not valid JSON (" + std::string(e.what()) + "); each line must be one object");
        }
        if (!object.is_object()) {
            return lineFailure(source, lineNo, R"(must be a JSON object with "type" and "text")");
        }
        for (const auto& item : object.items()) {
            if (item.key() != "type" && item.key() != "text") {
                return lineFailure(source, lineNo,
                    "unknown key \"" + item.key() + R"("; an example has only "type" and "text")");
            }
        }
        const auto type = object.find("type");
        const auto text = object.find("text");
        if (type == object.end() || !type->is_string()) {
            return lineFailure(source, lineNo, "\"type\" is missing or not a string");
        }
        if (text == object.end() || !text->is_string()) {
            return lineFailure(source, lineNo, "\"text\" is missing or not a string");
        }
        Example example { type->get<std::string>(), text->get<std::string>() };
        if (!isValidTypeName(example.type)) {
            return lineFailure(source, lineNo,
                "type \"" + example.type
                    + "\" is not a type name (lower-case letters, digits and '_', starting with a "
                      "letter)");
        }
        if (example.text.find_first_not_of(" \t\r\n") == std::string::npos) {
            return lineFailure(source, lineNo, "\"text\" is empty");
        }
        if (example.text.size() > kMaxTextBytes) {
            return lineFailure(source, lineNo,
                "\"text\" is longer than " + std::to_string(kMaxTextBytes / 1024) + " KiB");
        }
        out.push_back(std::move(example));
    }
    if (out.empty()) {
        return fail("triage.jsonl_empty", source + " has no examples.");
    }
    return out;
}

Expected<std::vector<Example>> loadExamples(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail("triage.io", "Cannot read " + path + ": " + std::strerror(errno) + ".");
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        return fail("triage.io", "Reading " + path + " failed.");
    }
    return parseExamples(content.str(), path);
}

} // namespace latch::triage
