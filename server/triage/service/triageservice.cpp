#include "triage/service/triageservice.h"

#include "core/eachcase.h"
#include "core/rules.h"
#include "latch/ids.h"
#include "triage/evaluation.h"
#include "latch/money.h"
#include "triage/service/starterset.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace latch::triage {

namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return char(std::tolower(ch)); });
    return text;
}

// Suggestions only for cases nobody has typed yet, or that arrived by themselves.
bool needsTriage(const core::CaseChange& change)
{
    const bool created = std::any_of(change.events.begin(), change.events.end(),
                                     [](const v1::Event& e) { return e.has_created(); });
    return created && (change.after.requester() == "intake" || change.after.type().empty());
}

v1::Field field(const std::string& key, const std::string& value)
{
    v1::Field f;
    f.set_key(key);
    f.set_value(value);
    return f;
}

} // namespace

TriageService::TriageService(core::Service& service, core::Store& store,
                             const core::Config& config, std::string modelPath,
                             std::string starter)
    : m_service(service)
    , m_store(store)
    , m_config(config)
    , m_modelPath(std::move(modelPath))
    , m_starter(std::move(starter))
    , m_llm(config.triage.llm)
{
}

TriageService::~TriageService()
{
    stop();
}

Expected<std::vector<Example>> TriageService::starterExamples() const
{
    return parseExamples(m_starter, "the starter set");
}

Expected<Classifier> TriageService::trainModel(const std::vector<Example>& examples)
{
    auto thresholds = parseThresholds(starterThresholdsText(), "the starter thresholds");
    if (!thresholds)
        return thresholds.failure();
    TrainOptions options;
    options.thresholds = *thresholds;
    return Classifier::train(examples, options);
}

Expected<bool> TriageService::start()
{
    auto loaded = Classifier::load(m_modelPath);
    if (loaded) {
        spdlog::info("triage: model {} loaded from {}", loaded->version(), m_modelPath);
        m_model = std::make_shared<const Classifier>(std::move(*loaded));
    } else {
        if (loaded.failure().code != "triage.model_missing")
            spdlog::warn("triage: {}; training a new model from the starter set",
                         loaded.failure().message);
        auto examples = starterExamples();
        if (!examples)
            return examples.failure();
        auto trained = trainModel(*examples);
        if (!trained)
            return trained.failure();
        if (auto saved = trained->save(m_modelPath); !saved)
            spdlog::warn("triage: the model could not be saved ({}); it is trained again at the "
                         "next start", saved.failure().message);
        spdlog::info("triage: model {} trained on {} starter examples", trained->version(),
                     examples->size());
        m_model = std::make_shared<const Classifier>(std::move(*trained));
    }
    m_listener = m_service.addListener(
        [this](const std::shared_ptr<const core::CommittedBatch>& batch) { onBatch(batch); });
    catchUp();
    m_worker = std::thread([this] { run(); });
    return true;
}

void TriageService::catchUp()
{
    // Suggestions still queued at a stop are not made; their cases are found here instead: open,
    // opened by intake or without a type, with no suggestion and no decision. Listening started
    // first, so a case committed during the scan is queued by onBatch (and may be found here
    // too: its second suggestion then replaces the first, both from the same model).
    auto view = m_store.read();
    std::size_t found = 0;
    core::forEachCase(*view, [&](const v1::Case& c) {
        const bool waiting = c.triage().suggestion_seq() == 0 && c.triage().decision().empty()
            && c.status() != v1::CASE_STATUS_CLOSED
            && (c.requester() == "intake" || c.type().empty());
        if (!waiting)
            return;
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(Job{c, caseText(c, view->caseEvents(c.id()))});
        ++found;
    });
    if (found > 0)
        spdlog::info("triage: {} case(s) waiting for a suggestion since before this start", found);
}

void TriageService::stop()
{
    if (m_listener != 0) {
        m_service.removeListener(m_listener);
        m_listener = 0;
    }
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    if (m_worker.joinable())
        m_worker.join();
}

std::shared_ptr<const Classifier> TriageService::model() const
{
    std::lock_guard lock(m_modelMutex);
    return m_model;
}

void TriageService::onBatch(const std::shared_ptr<const core::CommittedBatch>& batch)
{
    std::lock_guard lock(m_mutex);
    if (m_stopping)
        return;
    for (const auto& change : batch->changes) {
        if (needsTriage(change))
            m_jobs.push_back(Job{change.after, caseText(change.after, change.events)});
    }
    m_wake.notify_one();
}

void TriageService::run()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        v1::Command command;
        command.set_command_id(newUuid());
        command.mutable_record_triage()->set_case_id(job.state.id());
        *command.mutable_record_triage()->mutable_suggestion() = suggest(job.state, job.text);
        const core::Actor actor{"triage", "triage", {}};
        m_service.submit(actor, command, [id = job.state.id()](const v1::CommandResult& r) {
            // A person may have decided first; that is the rule working, not a failure.
            if (!r.accepted() && r.code() != "triage.decided")
                spdlog::warn("triage: suggestion for case {} not recorded: {} {}", id, r.code(),
                             r.message());
        });
    }
}

std::string TriageService::caseText(const v1::Case& c, const std::vector<v1::Event>& events)
{
    std::string text = c.title();
    if (!c.description().empty())
        text += "\n" + c.description();
    for (const auto& e : events) {
        if (e.has_intake_received()) {
            const auto& body = e.intake_received().text();
            if (!body.empty() && body != c.description())
                text += "\n" + body;
            break;
        }
    }
    return text;
}

std::string TriageService::priorityFor(const std::string& text, const std::string& type,
                                       bool ruleApplies)
{
    static const std::regex urgent(
        R"(\b(urgent|asap|immediately|outage|is down|severity[=: ]+critical|critical|emergency|fraud)\b)",
        std::regex::icase);
    if (std::regex_search(text, urgent))
        return "urgent";
    if (type == "chargeback" || type == "escalation" || type == "vendor_bank_change" || ruleApplies)
        return "high";
    if (type == "other" || type.empty())
        return "low";
    return "normal";
}

v1::TriageSuggested TriageService::suggest(const v1::Case& c, const std::string& text) const
{
    v1::TriageSuggested s;
    const auto classifier = model();
    const Prediction prediction = classifier ? classifier->predict(text) : Prediction{};
    s.set_model(classifier ? std::string(classifier->modelId()) : "none");
    s.set_model_version(classifier ? classifier->version() : std::string());
    for (const auto& score : prediction.scores) {
        auto* out = s.add_scores();
        out->set_type(score.type);
        out->set_score(score.score);
    }
    s.set_type(prediction.type);
    s.set_confidence(prediction.confidence);

    Extracted facts = m_extractor.extract(text);
    std::vector<std::pair<std::string, std::string>> found = facts.fields();
    std::string llmPriority;
    if (m_llm.enabled()) {
        const auto types = classifier ? classifier->types() : starterTypes();
        const LlmOutcome outcome = m_llm.ask(text, types);
        s.set_prompt(outcome.prompt);
        s.set_response(outcome.response);
        if (outcome.ok()) {
            const LlmAnswer& answer = *outcome.answer;
            s.set_model(m_llm.modelLabel());
            s.set_model_version(m_llm.config().model);
            s.set_type(answer.type);
            s.set_confidence(answer.confidence);
            llmPriority = answer.priority;
            found = answer.facts;
            // The facts the rule is checked with come from the answer too.
            facts = Extracted{};
            for (const auto& [key, value] : answer.facts) {
                if (key == "amount") {
                    if (auto money = parseMoney(value))
                        facts.amount = *money;
                } else if (key == "customer") {
                    facts.customer = value;
                } else if (key == "order") {
                    facts.orderRef = value;
                }
            }
        } else {
            s.set_fallback(outcome.code + ": " + outcome.message + "; the local model answered");
        }
    }
    for (const auto& [key, value] : found)
        *s.add_extracted() = field(key, value);

    // The rule that would apply once a person accepts: the suggested type, and the facts found
    // where the case has none.
    v1::Case would = c;
    if (!s.type().empty())
        would.set_type(s.type());
    if (would.customer().empty())
        would.set_customer(facts.customer);
    if (would.order_ref().empty())
        would.set_order_ref(facts.orderRef);
    if (would.amount().currency().empty() && facts.amount) {
        would.mutable_amount()->set_minor(facts.amount->minor);
        would.mutable_amount()->set_currency(facts.amount->currency);
    }
    const auto match = core::matchRule(m_config, would);
    if (match.rule) {
        s.set_rule(match.rule->name);
        s.set_rule_summary(core::describeRequirement(*match.rule));
    } else {
        s.set_rule_summary(match.explanation);
    }
    s.set_priority(!llmPriority.empty() ? llmPriority
                                        : priorityFor(text, would.type(), match.rule != nullptr));
    return s;
}

Expected<v1::TriageReport> TriageService::train()
{
    auto examples = starterExamples();
    if (!examples)
        return examples.failure();
    // Every case whose type a person confirmed, in the words triage read.
    std::uint32_t fromHistory = 0;
    auto view = m_store.read();
    core::forEachCase(*view, [&](const v1::Case& c) {
        if (c.triage().decision().empty() || !isValidTypeName(c.triage().decided_type()))
            return;
        examples->push_back(Example{c.triage().decided_type(), caseText(c, view->caseEvents(c.id()))});
        ++fromHistory;
    });
    auto trained = trainModel(*examples);
    if (!trained)
        return trained.failure();
    if (auto saved = trained->save(m_modelPath); !saved)
        return saved.failure();
    v1::TriageReport report;
    report.set_model(std::string(trained->modelId()));
    report.set_model_version(trained->version());
    report.set_examples(std::uint32_t(examples->size()));
    report.set_from_history(fromHistory);
    {
        std::lock_guard lock(m_modelMutex);
        m_model = std::make_shared<const Classifier>(std::move(*trained));
    }
    spdlog::info("triage: retrained model {} on {} examples ({} confirmed cases)",
                 report.model_version(), report.examples(), fromHistory);
    return report;
}

Expected<v1::TriageReport> TriageService::evaluate(const std::vector<v1::TriageExample>& examples)
{
    if (examples.empty())
        return fail("triage.no_examples", "send at least one labelled example to evaluate");
    std::vector<Example> labelled;
    labelled.reserve(examples.size());
    for (const auto& e : examples) {
        if (!isValidTypeName(e.type()))
            return fail("triage.bad_example", "'" + e.type() + "' is not a case type name");
        labelled.push_back(Example{e.type(), e.text()});
    }
    const auto classifier = model();
    if (!classifier)
        return fail("triage.off", "triage has no model loaded");
    const Evaluation evaluation = triage::evaluate(*classifier, labelled);
    v1::TriageReport report;
    report.set_model(std::string(classifier->modelId()));
    report.set_model_version(classifier->version());
    report.set_examples(std::uint32_t(labelled.size()));
    report.set_accuracy(evaluation.accuracy);
    report.set_report(renderEvaluation(evaluation));
    return report;
}

} // namespace latch::triage
