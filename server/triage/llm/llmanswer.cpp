#include "triage/llm/llmanswer.h"

#include "latch/money.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace latch::triage {

namespace {

using nlohmann::json;

constexpr std::string_view kWhiteSpace = " \t\r\n";

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(kWhiteSpace);
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(kWhiteSpace);
    return text.substr(first, last - first + 1);
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x))
            == std::tolower(static_cast<unsigned char>(y));
    });
}

Failure invalid(const std::string& what)
{
    return fail("llm.invalid", "The model's answer does not fit the schema: " + what + ".");
}

std::string jsonQuoted(std::string_view text)
{
    // json's own quoting, so control characters and quotes in what a model wrote stay readable.
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + jsonQuoted(item);
    return out;
}

// nlohmann's parse error without its "[json.exception.parse_error.101] " prefix.
std::string parseProblem(const json::parse_error& error)
{
    std::string text = error.what();
    if (const auto close = text.find("] ");
        text.starts_with("[json.exception") && close != std::string::npos)
        text.erase(0, close + 2);
    return text;
}

// A plain check of the address's shape: one '@' with something either side and no white space.
// Whether it is the customer's is for the person deciding.
bool looksLikeEmail(std::string_view text)
{
    const auto at = text.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < text.size()
        && text.find('@', at + 1) == std::string_view::npos
        && text.find_first_of(" \t\r\n") == std::string_view::npos;
}

Expected<std::string> readFact(const std::string& key, const json& value)
{
    const std::string name = jsonQuoted("facts." + key);
    if (!value.is_string())
        return invalid(name + " must be a string");
    const std::string text(trim(value.get_ref<const std::string&>()));
    if (text.size() > kMaxLlmFactBytes)
        return invalid(name + " is longer than " + std::to_string(kMaxLlmFactBytes) + " bytes");
    if (text.empty())
        return text;
    if (key == "amount") {
        const Expected<Money> money = parseMoney(text);
        if (!money) {
            std::string why = money.failure().message;
            if (why.ends_with('.'))
                why.pop_back();
            return invalid(
                name + " is " + jsonQuoted(text) + ", not an amount with a currency (" + why + ")");
        }
        return formatMoney(*money);
    }
    if (key == "email" && !looksLikeEmail(text))
        return invalid(name + " is " + jsonQuoted(text) + ", not an e-mail address");
    return text;
}

Expected<std::vector<std::pair<std::string, std::string>>> readFacts(const json& facts)
{
    if (!facts.is_object())
        return invalid("\"facts\" must be an object");
    for (const auto& [key, value] : facts.items()) {
        const auto& keys = llmFactKeys();
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            return invalid("\"facts\" has a key the schema does not allow: " + jsonQuoted(key));
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& key : llmFactKeys()) {
        const auto it = facts.find(key);
        if (it == facts.end())
            continue;
        Expected<std::string> value = readFact(key, *it);
        if (!value)
            return value.failure();
        if (!value->empty())
            out.emplace_back(key, std::move(*value));
    }
    return out;
}

Expected<std::string> readChoice(const json& answer, const char* key,
    const std::vector<std::string>& allowed, bool unsureAllowed, const char* what)
{
    const auto& value = answer.at(key);
    if (!value.is_string())
        return invalid(jsonQuoted(key) + " must be a string");
    const auto& text = value.get_ref<const std::string&>();
    if (unsureAllowed && text.empty())
        return text;
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end())
        return invalid(jsonQuoted(key) + " is " + jsonQuoted(text) + ", not " + what + " ("
            + joined(allowed) + (unsureAllowed ? ", or \"\" when unsure" : "") + ")");
    return text;
}

} // namespace

const std::vector<std::string>& llmPriorities()
{
    static const std::vector<std::string> priorities { "low", "normal", "high", "urgent" };
    return priorities;
}

const std::vector<std::string>& llmFactKeys()
{
    static const std::vector<std::string> keys { "amount", "customer", "order", "email" };
    return keys;
}

std::string llmAnswerSchema(const std::vector<std::string>& types)
{
    json typeEnum = json::array();
    for (const auto& type : types)
        typeEnum.push_back(type);
    typeEnum.push_back("");
    const json fact = { { "type", "string" }, { "maxLength", kMaxLlmFactBytes } };
    json factProperties = json::object();
    for (const auto& key : llmFactKeys())
        factProperties[key] = fact;
    const json schema = {
        { "$schema", "https://json-schema.org/draft/2020-12/schema" },
        { "type", "object" },
        { "properties",
            {
                { "type", { { "type", "string" }, { "enum", typeEnum } } },
                { "priority", { { "type", "string" }, { "enum", llmPriorities() } } },
                { "confidence", { { "type", "number" }, { "minimum", 0 }, { "maximum", 1 } } },
                { "facts",
                    { { "type", "object" }, { "properties", factProperties },
                        { "additionalProperties", false } } },
            } },
        { "required", { "type", "priority", "confidence", "facts" } },
        { "additionalProperties", false },
    };
    return schema.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string_view stripJsonFence(std::string_view content)
{
    content = trim(content);
    if (!content.starts_with("```"))
        return content;
    const auto lineEnd = content.find('\n');
    if (lineEnd == std::string_view::npos)
        return content;
    const auto info = trim(content.substr(3, lineEnd - 3));
    if (!info.empty() && !equalsIgnoringCase(info, "json"))
        return content;
    const auto inside = trim(content.substr(lineEnd + 1));
    if (!inside.ends_with("```"))
        return content;
    return trim(inside.substr(0, inside.size() - 3));
}

Expected<LlmAnswer> readLlmAnswer(std::string_view content, const std::vector<std::string>& types)
{
    const std::string_view text = stripJsonFence(content);
    if (text.empty())
        return fail("llm.empty", "The model's answer is empty.");
    json answer;
    try {
        answer = json::parse(text);
    } catch (const json::parse_error& error) {
        return fail("llm.invalid", "The model's answer is not JSON: " + parseProblem(error) + ".");
    }
    if (!answer.is_object())
        return invalid(std::string("it is a JSON ") + answer.type_name() + ", not an object");
    static const std::vector<std::string> keys { "type", "priority", "confidence", "facts" };
    for (const auto& [key, value] : answer.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            return invalid("it has a key the schema does not allow: " + jsonQuoted(key));
    for (const auto& key : keys)
        if (!answer.contains(key))
            return invalid("it lacks " + jsonQuoted(key));

    LlmAnswer out;
    Expected<std::string> type = readChoice(answer, "type", types, true, "one of the case types");
    if (!type)
        return type.failure();
    out.type = std::move(*type);
    Expected<std::string> priority
        = readChoice(answer, "priority", llmPriorities(), false, "a priority");
    if (!priority)
        return priority.failure();
    out.priority = std::move(*priority);
    const auto& confidence = answer.at("confidence");
    if (!confidence.is_number() || confidence.get<double>() < 0 || confidence.get<double>() > 1)
        return invalid("\"confidence\" is " + confidence.dump() + ", not a number from 0 to 1");
    out.confidence = confidence.get<double>();
    auto facts = readFacts(answer.at("facts"));
    if (!facts)
        return facts.failure();
    out.facts = std::move(*facts);
    return out;
}

Expected<LlmAnswer> readChatCompletion(std::string_view body, const std::vector<std::string>& types)
{
    if (trim(body).empty())
        return fail("llm.empty", "The endpoint answered with an empty body.");
    const json completion = json::parse(body, nullptr, false);
    if (completion.is_discarded())
        return fail("llm.invalid", "The endpoint's answer is not JSON.");
    if (!completion.is_object() || !completion.contains("choices")
        || !completion["choices"].is_array())
        return fail("llm.invalid",
            "The endpoint's answer is not a chat completion: it has no "
            "\"choices\" list.");
    const auto& choices = completion["choices"];
    if (choices.empty())
        return fail("llm.empty", "The endpoint answered with no choices.");
    const auto& choice = choices[0];
    if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
        return fail("llm.invalid", "The endpoint's answer has no choices[0].message object.");
    const auto& message = choice["message"];
    const auto content = message.find("content");
    if (content == message.end() || content->is_null())
        return fail("llm.empty", "The model's answer has no content.");
    if (!content->is_string())
        return fail("llm.invalid", "The model's answer content is not a string.");
    Expected<LlmAnswer> answer = readLlmAnswer(content->get_ref<const std::string&>(), types);
    if (answer || answer.failure().code != "llm.invalid")
        return answer;
    // A model that hit its token limit left its JSON unfinished: say so, it is the likely cause.
    const auto finish = choice.find("finish_reason");
    if (finish != choice.end() && *finish == "length")
        return fail("llm.invalid",
            answer.failure().message
                + " The model stopped at its token limit (finish_reason \"length\").");
    return answer;
}

} // namespace latch::triage
