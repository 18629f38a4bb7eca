#pragma once
// The contract between Latch and a language model asked to triage a case: the JSON Schema its
// answer must pass, and the reading of a chat-completions response against it. Nothing the model
// says is taken on trust: an answer is either wholly valid or a Failure naming the first thing
// wrong, and the caller falls back to the local model. docs/triage.md describes the schema.
//
// Pure functions over strings; safe from any thread.
#include "latch/expected.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::triage {

// A model's suggestion for one case, checked against the schema.
struct LlmAnswer {
    std::string type; // one of the allowed types; "" when the model was unsure
    std::string priority; // "low", "normal", "high" or "urgent"
    double confidence = 0; // 0..1, the model's own estimate for `type`
    // Found in the text, in this order when present: "amount" (as formatMoney writes it,
    // "2,400.00 USD"), "customer", "order", "email". Facts the model left out or gave as "" are
    // absent.
    std::vector<std::pair<std::string, std::string>> facts;
    std::string prompt; // the request body as sent: no secret, the key travels in a header
    std::string response; // the response body as received, cut to LlmTriage::kMaxRecordedBytes
};

// The priorities an answer may name, lowest first.
const std::vector<std::string>& llmPriorities();

// The facts an answer may carry, in the order LlmAnswer::facts keeps them.
const std::vector<std::string>& llmFactKeys();

// Longest fact value accepted, in bytes; a model that writes more is not extracting.
inline constexpr std::size_t kMaxLlmFactBytes = 256;

// The JSON Schema (draft 2020-12) an answer must pass, as compact JSON text: `type` is one of
// `types` or "", `priority` one of llmPriorities(), `confidence` a number from 0 to 1, `facts` an
// object with optional string members amount, customer, order and email; all four top-level keys
// required, no other keys anywhere. readLlmAnswer() checks exactly this, plus what a schema
// cannot say: the amount must be one parseMoney reads, the e-mail must look like one.
std::string llmAnswerSchema(const std::vector<std::string>& types);

// The content without a Markdown code fence around it (```json ... ``` or ``` ... ```), and
// without surrounding white space. Content that is not wholly one fence comes back trimmed only.
std::string_view stripJsonFence(std::string_view content);

// Checks one answer (the message content, fenced or not) against the schema. Failure codes:
// llm.empty (nothing but white space), llm.invalid (not JSON, or what breaks the schema).
// prompt and response are left empty.
Expected<LlmAnswer> readLlmAnswer(std::string_view content, const std::vector<std::string>& types);

// Reads a chat-completions response body (choices[0].message.content) and checks its content.
// Failure codes: llm.invalid (the body is not a chat completion, or the content fails
// readLlmAnswer), llm.empty (no choice, or a missing, null or blank content).
Expected<LlmAnswer> readChatCompletion(
    std::string_view body, const std::vector<std::string>& types);

} // namespace latch::triage
