#pragma once
// An OpenAI-compatible chat-completions endpoint on 127.0.0.1, as llama-server, Ollama (/v1) and
// vLLM serve it: POST /v1/chat/completions with {"model", "messages", ...} gets a
// "chat.completion" whose choices[0].message.content is what the test scripted next (valid JSON,
// broken JSON, JSON in a code fence, "" or null), or the default content when nothing is
// scripted. A request those servers refuse (a body that is not a JSON object, no model, no
// messages, a temperature or response_format they reject) gets 400 in OpenAI's error shape,
// {"error": {"message", "type", "param", "code"}}. With an API key set, requests without
// "Authorization: Bearer <key>" get 401; with models set, any other model gets 404. failNext()
// injects the refusals a working request can still meet (401, 404, 429, 500); delayNext() (from
// FakeHttpServer) holds the next answer back, for time-outs. Streaming is not simulated: a
// request with "stream": true gets 400 saying so.
//
// Threading and ownership: as FakeHttpServer.
#include "fakehttpserver.h"

#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace latch::fakes {

class FakeLlm final : public FakeHttpServer {
public:
    enum class Refusal {
        Unauthorized, // 401 invalid_api_key
        ModelNotFound, // 404 model_not_found
        RateLimited, // 429 rate_limit_exceeded, Retry-After: 1
        ServerError, // 500 server_error
    };

    static constexpr const char* kPath = "/v1/chat/completions";

    FakeLlm();
    ~FakeLlm() override;

    std::string completionsUrl() const { return url(kPath); }

    // The next completion's content and finish_reason; nullopt sends "content": null. Scripted
    // replies are used in order, one per answered request.
    void replyNext(std::optional<std::string> content, std::string finishReason = "stop");
    // What a request gets when nothing is scripted; "{}" until set.
    void setDefaultContent(std::string content);
    std::size_t pendingReplies() const;

    // Required as "Authorization: Bearer <key>"; "" (the default) requires none.
    void setApiKey(std::string key);
    // The models served; empty (the default) serves any model name.
    void setModels(std::vector<std::string> models);

    // The next request is refused the way OpenAI-compatible servers refuse it.
    void failNext(Refusal refusal);
    static Response refusal(Refusal refusal);
    // {"error": {"message", "type", "param": null, "code"}}; `code` "" sends null.
    static Response error(unsigned status, const std::string& message, const std::string& type,
        const std::string& code = {});

    // The bodies of the requests received at kPath, parsed (null when not JSON), in arrival
    // order, refused ones too.
    std::vector<nlohmann::json> chatRequests() const;

private:
    struct Reply {
        std::optional<std::string> content;
        std::string finishReason;
    };

    Response handle(const Request& request);
    std::optional<Response> refuseRequest(const Request& request, const nlohmann::json& body) const;
    Response completion(const nlohmann::json& body, const Reply& reply);

    mutable std::mutex m_stateMutex;
    std::deque<Reply> m_replies;
    std::string m_defaultContent = "{}";
    std::string m_apiKey;
    std::vector<std::string> m_models;
    std::uint64_t m_completions = 0;
};

} // namespace latch::fakes
