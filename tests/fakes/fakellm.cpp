#include "fakellm.h"

#include <algorithm>
#include <ctime>

namespace latch::fakes {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// What the usage block counts: about four characters a token, as OpenAI's rule of thumb has it.
int roughTokens(std::size_t characters)
{
    return static_cast<int>((characters + 3) / 4);
}

Response badRequest(const std::string& message, const std::string& param = {})
{
    auto response = FakeLlm::error(400, message, "invalid_request_error");
    if (!param.empty()) {
        auto body = ordered_json::parse(response.body);
        body["error"]["param"] = param;
        response = Response::json(400, body);
    }
    return response;
}

bool isRole(const json& role)
{
    static const std::vector<std::string> roles { "system", "developer", "user", "assistant",
        "tool" };
    return role.is_string()
        && std::find(roles.begin(), roles.end(), role.get<std::string>()) != roles.end();
}

} // namespace

FakeLlm::FakeLlm()
    : FakeHttpServer([this](const Request& request) { return handle(request); })
{
}

FakeLlm::~FakeLlm()
{
    stop(); // the handler reads members below
}

void FakeLlm::replyNext(std::optional<std::string> content, std::string finishReason)
{
    std::lock_guard lock(m_stateMutex);
    m_replies.push_back({ std::move(content), std::move(finishReason) });
}

void FakeLlm::setDefaultContent(std::string content)
{
    std::lock_guard lock(m_stateMutex);
    m_defaultContent = std::move(content);
}

std::size_t FakeLlm::pendingReplies() const
{
    std::lock_guard lock(m_stateMutex);
    return m_replies.size();
}

void FakeLlm::setApiKey(std::string key)
{
    std::lock_guard lock(m_stateMutex);
    m_apiKey = std::move(key);
}

void FakeLlm::setModels(std::vector<std::string> models)
{
    std::lock_guard lock(m_stateMutex);
    m_models = std::move(models);
}

void FakeLlm::failNext(Refusal refusal)
{
    inject(Fault::respond(FakeLlm::refusal(refusal)));
}

Response FakeLlm::refusal(Refusal refusal)
{
    switch (refusal) {
    case Refusal::Unauthorized:
        return error(
            401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    case Refusal::ModelNotFound:
        return error(404, "The model does not exist or you do not have access to it.",
            "invalid_request_error", "model_not_found");
    case Refusal::RateLimited: {
        auto response = error(429, "Rate limit reached for requests. Please try again in 1s.",
            "requests", "rate_limit_exceeded");
        response.setHeader("Retry-After", "1");
        return response;
    }
    case Refusal::ServerError:
        break;
    }
    return error(500, "The server had an error while processing your request.", "server_error");
}

Response FakeLlm::error(
    unsigned status, const std::string& message, const std::string& type, const std::string& code)
{
    ordered_json error;
    error["message"] = message;
    error["type"] = type;
    error["param"] = nullptr;
    error["code"] = code.empty() ? ordered_json(nullptr) : ordered_json(code);
    return Response::json(status, ordered_json { { "error", error } });
}

std::vector<nlohmann::json> FakeLlm::chatRequests() const
{
    std::vector<nlohmann::json> out;
    for (const auto& request : requests()) {
        if (request.path() != kPath)
            continue;
        json body = json::parse(request.body, nullptr, false);
        out.push_back(body.is_discarded() ? json(nullptr) : std::move(body));
    }
    return out;
}

Response FakeLlm::handle(const Request& request)
{
    std::lock_guard lock(m_stateMutex);
    if (request.path() != kPath)
        return error(404, "Unknown request URL: " + request.method + " " + request.path() + ".",
            "invalid_request_error", "unknown_url");
    if (request.method != "POST") {
        auto refused = error(405, "Method not allowed: use POST.", "invalid_request_error");
        refused.setHeader("Allow", "POST");
        return refused;
    }
    const json body = json::parse(request.body, nullptr, false);
    if (auto refused = refuseRequest(request, body))
        return *refused;
    Reply reply { m_defaultContent, "stop" };
    if (!m_replies.empty()) {
        reply = std::move(m_replies.front());
        m_replies.pop_front();
    }
    return completion(body, reply);
}

// The checks llama-server, Ollama and vLLM make before they run a model, in the order a request
// meets them. Called with m_stateMutex held.
std::optional<Response> FakeLlm::refuseRequest(const Request& request, const json& body) const
{
    if (!m_apiKey.empty() && request.header("Authorization") != "Bearer " + m_apiKey)
        return refusal(Refusal::Unauthorized);
    if (!body.is_object())
        return badRequest("We could not parse the JSON body of your request.");
    if (!body.contains("model") || !body["model"].is_string() || body["model"] == "")
        return badRequest("You must provide a model parameter.", "model");
    const auto model = body["model"].get<std::string>();
    if (!m_models.empty() && std::find(m_models.begin(), m_models.end(), model) == m_models.end())
        return error(404, "The model `" + model + "` does not exist.", "invalid_request_error",
            "model_not_found");
    if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
        return badRequest("'messages' must be a non-empty array.", "messages");
    for (const auto& message : body["messages"])
        if (!message.is_object() || !isRole(message.value("role", json()))
            || !message.contains("content")
            || !(message["content"].is_string() || message["content"].is_array()))
            return badRequest("Each message needs a role and a content.", "messages");
    if (body.contains("temperature")) {
        const auto& temperature = body["temperature"];
        if (!temperature.is_number() || temperature.get<double>() < 0
            || temperature.get<double>() > 2)
            return badRequest("'temperature' must be a number from 0 to 2.", "temperature");
    }
    if (body.contains("response_format")) {
        const auto& format = body["response_format"];
        const auto type = format.is_object() ? format.value("type", json()) : json();
        if (type != "text" && type != "json_object" && type != "json_schema")
            return badRequest("response_format type must be one of \"text\", \"json_object\" or "
                              "\"json_schema\".",
                "response_format");
    }
    if (body.contains("stream") && body["stream"] == true)
        return badRequest("This fake does not stream; send \"stream\": false.", "stream");
    return std::nullopt;
}

// Called with m_stateMutex held.
Response FakeLlm::completion(const json& body, const Reply& reply)
{
    std::size_t promptCharacters = 0;
    for (const auto& message : body["messages"])
        if (message["content"].is_string())
            promptCharacters += message["content"].get_ref<const std::string&>().size();
    const int promptTokens = roughTokens(promptCharacters);
    const int completionTokens = roughTokens(reply.content ? reply.content->size() : 0);

    ordered_json message;
    message["role"] = "assistant";
    message["content"] = reply.content ? ordered_json(*reply.content) : ordered_json(nullptr);
    ordered_json choice;
    choice["index"] = 0;
    choice["message"] = std::move(message);
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = reply.finishReason;
    ordered_json out;
    out["id"] = "chatcmpl-fake" + std::to_string(++m_completions);
    out["object"] = "chat.completion";
    out["created"] = static_cast<std::int64_t>(std::time(nullptr));
    out["model"] = body["model"].get<std::string>();
    out["system_fingerprint"] = "fp_fake";
    out["choices"] = ordered_json::array({ std::move(choice) });
    out["usage"] = { { "prompt_tokens", promptTokens }, { "completion_tokens", completionTokens },
        { "total_tokens", promptTokens + completionTokens } };
    return Response::json(200, out);
}

} // namespace latch::fakes
