#pragma once
// Optional triage by a language model: asks an OpenAI-compatible chat-completions endpoint
// (llama.cpp's llama-server, Ollama, vLLM), set by triage.llm in the config, to suggest a case's
// type, priority and facts as JSON that must pass llmAnswerSchema(). It only suggests; a person
// decides. Every way it can go wrong (no answer in time, no connection, a status other than 2xx,
// an answer that is not JSON, breaks the schema or is empty) comes back as an LlmOutcome with a
// code, so the caller records the local model's suggestion instead, with the prompt and response
// this call produced. docs/triage.md describes the request, the schema and the fallback.
//
// Threading: immutable once built; ask() may run on any thread, several at once. Each ask() is
// one blocking HTTP request that gives up after the configured time-out.
// Ownership: keeps a copy of the config and of the API key, which is read from the environment
// once, when the LlmTriage is built (as the server reads every secret when it starts).
#include "core/config.h"
#include "latch/expected.h"
#include "triage/llm/llmanswer.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::triage {

// What one ask() came to. The prompt and response are set whenever there were any, on failure as
// on success, so a fallback can record what the model was asked and what it said.
struct LlmOutcome {
    std::optional<LlmAnswer> answer; // set when the answer passed the schema
    std::string code; // otherwise: llm.timeout, llm.unreachable, llm.http, llm.invalid, llm.empty
    std::string message; // one sentence saying what went wrong
    int status = 0; // the HTTP status, when an answer came
    std::string prompt; // the request body as sent
    std::string response; // the response body as received (cut to kMaxRecordedBytes); "" if none

    bool ok() const { return answer.has_value(); }
    // The answer, or Failure{code, message}.
    Expected<LlmAnswer> expected() const;
};

class LlmTriage {
public:
    // Recorded responses are cut here (at a character boundary); so are the case texts sent.
    static constexpr std::size_t kMaxRecordedBytes = 64 * 1024;
    static constexpr std::size_t kMaxCaseTextBytes = 32 * 1024;

    explicit LlmTriage(core::TriageLlmConfig config);

    // Off by default: on only when triage.llm.url is set.
    bool enabled() const { return !m_config.url.empty(); }
    const core::TriageLlmConfig& config() const { return m_config; }
    bool hasApiKey() const { return !m_apiKey.empty(); }
    // TriageSuggested.model for an answer from this endpoint: "llm:<model>".
    std::string modelLabel() const { return "llm:" + m_config.model; }

    // Asks about one case. `caseText`: what the case says (subject and body, or the payload's
    // text); `types`: the case types the config knows, the only ones the answer may name.
    // Blocks for at most the configured time-out. Must not be called unless enabled().
    LlmOutcome ask(std::string_view caseText, const std::vector<std::string>& types) const;

    // The request ask() sends, as JSON text: model, the system prompt, the case text as the user's
    // message, temperature 0, response_format json_object, no streaming.
    std::string requestBody(std::string_view caseText, const std::vector<std::string>& types) const;
    // The instructions sent as the system message: the job, the allowed values and the schema.
    static std::string systemPrompt(const std::vector<std::string>& types);

private:
    core::TriageLlmConfig m_config;
    std::string m_apiKey; // "" when api_key_env is not set or names an unset variable
};

} // namespace latch::triage
