#pragma once
// Triage at work on the server: every case that arrives through intake (or is opened without a
// type) gets a suggestion — type and confidence from the fastText classifier, the facts the
// extractor finds, a priority, and the approval rule that would apply — recorded as
// triage_suggested by the service actor "triage" through the same command path as everyone else.
// It never decides: the type changes only when a person accepts or overrides (triage_decided),
// and the core refuses a suggestion that arrives after that.
//
// With triage.llm set, an OpenAI-compatible endpoint is asked first; when it times out, fails or
// answers off the schema, the local model's suggestion is recorded instead, saying why
// (`fallback`). Either way the prompt and the response are recorded.
//
// The model: loaded from its file at start; when there is none (first start) or it cannot be
// read, trained from the starter set and saved. train() retrains from the starter set plus every
// case whose type a person confirmed and swaps the new model in; evaluate() scores the current
// model on labelled examples.
//
// Threading: the batch listener runs on the writer thread and only queues; one worker thread
// classifies and submits. train() and evaluate() may run on any thread; the model in use is
// swapped under a mutex and shared by pointer, so a suggestion in progress keeps its model.
#include "core/config.h"
#include "core/service.h"
#include "core/store.h"
#include "core/triagecontrol.h"
#include "triage/classifier.h"
#include "triage/extractor.h"
#include "triage/llm/llmtriage.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace latch::triage {

class TriageService final : public core::TriageControl {
public:
    // `modelPath`: where the model is kept. `starter`: the labelled starter set (JSONL text;
    // starterSetText() is the one shipped).
    TriageService(core::Service& service, core::Store& store, const core::Config& config,
                  std::string modelPath, std::string starter);
    ~TriageService() override;
    TriageService(const TriageService&) = delete;
    TriageService& operator=(const TriageService&) = delete;

    // Loads or trains the model, then starts listening. Before Service::start().
    Expected<bool> start();
    // Finishes the suggestion in progress, drops what is still queued, and joins the worker.
    void stop();

    Expected<v1::TriageReport> train() override;
    Expected<v1::TriageReport> evaluate(const std::vector<v1::TriageExample>& examples) override;

    // The suggestion for a case and its text, as the worker records it.
    v1::TriageSuggested suggest(const v1::Case& c, const std::string& text) const;

    // The text triage reads for a case: title, description and the first delivery's text.
    static std::string caseText(const v1::Case& c, const std::vector<v1::Event>& events);
    // "urgent", "high", "normal" or "low", from the text's words, the type and whether a rule
    // applies.
    static std::string priorityFor(const std::string& text, const std::string& type,
                                   bool ruleApplies);

private:
    struct Job {
        v1::Case state;
        std::string text;
    };

    void onBatch(const std::shared_ptr<const core::CommittedBatch>& batch);
    // Queues the cases a stop left without a suggestion (see start()).
    void catchUp();
    void run();
    std::shared_ptr<const Classifier> model() const;
    Expected<std::vector<Example>> starterExamples() const;
    // Trains with the starter set's per-type thresholds.
    static Expected<Classifier> trainModel(const std::vector<Example>& examples);

    core::Service& m_service;
    core::Store& m_store;
    const core::Config& m_config;
    std::string m_modelPath;
    std::string m_starter;
    Extractor m_extractor;
    LlmTriage m_llm; // asked first when triage.llm.url is set

    mutable std::mutex m_modelMutex;
    std::shared_ptr<const Classifier> m_model;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::thread m_worker;
    std::uint64_t m_listener = 0;
};

} // namespace latch::triage
