// LLM triage against a local OpenAI-compatible endpoint (FakeLlm): the request Latch sends, the
// schema an answer must pass, and every way the exchange can fail (time-out, no connection, a
// refusal, JSON that is broken, off-schema or empty), each a value with its code that keeps the
// prompt and response for the record. The schema's edge cases are checked on readLlmAnswer()
// directly; the exchange through a real HTTP round trip.
#include "triage/llm/llmtriage.h"

#include "fakellm.h"

#include <QElapsedTimer>
#include <QTest>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

using namespace latch::triage;
using latch::fakes::FakeLlm;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kTypes { "refund", "access", "incident" };
const char* const kKeyVariable = "LATCH_TEST_LLM_KEY";
const char* const kCaseText = "Subject: Refund for order SO-1042\n\nHello, please refund the "
                              "$2,400 we were charged twice. Acme GmbH, ap@acme.example";

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

latch::core::TriageLlmConfig configFor(const FakeLlm& llm, std::chrono::milliseconds timeout = 5s)
{
    latch::core::TriageLlmConfig config;
    config.url = llm.completionsUrl();
    config.model = "qwen2.5:7b-instruct";
    config.timeout = timeout;
    return config;
}

std::string validAnswer()
{
    return R"({"type": "refund", "priority": "high", "confidence": 0.82,
        "facts": {"amount": "$2,400", "customer": "Acme GmbH", "order": "SO-1042",
                  "email": "ap@acme.example"}})";
}

// The valid answer with one key set to `value`, or removed when `value` is nullopt.
std::string answerWith(const std::string& pointer, const std::optional<nlohmann::json>& value)
{
    auto answer = nlohmann::json::parse(validAnswer());
    const nlohmann::json::json_pointer at(pointer);
    if (value)
        answer[at] = *value;
    else
        answer[at.parent_pointer()].erase(at.back());
    return answer.dump();
}

std::string fact(const LlmAnswer& answer, const std::string& key)
{
    for (const auto& [name, value] : answer.facts)
        if (name == key)
            return value;
    return "<absent>";
}

} // namespace

class LlmTriageTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    // The request
    void offByDefault();
    void requestCarriesModelTemperatureAndTheCase();
    void authorizationOnlyWhenTheKeyIsSet();
    void caseTextIsCutAndMadeUtf8();

    // Answers that pass
    void validAnswerGivesFields();
    void fencedJsonIsAccepted();
    void unsureTypeAndNoFacts();

    // Answers that do not
    void invalidJsonKeepsTheResponse();
    void typeOutsideTheListIsInvalid();
    void badAmountIsInvalid();
    void schemaViolations_data();
    void schemaViolations();
    void emptyContentIsEmpty_data();
    void emptyContentIsEmpty();
    void notAChatCompletion();
    void cutOffAnswerSaysSo();
    void longResponseIsCutForTheRecord();

    // The exchange failing
    void serverErrorIsHttp_data();
    void serverErrorIsHttp();
    void slowAnswerTimesOut();
    void unreachablePortIsUnreachable();

    // Contract and threads
    void schemaIsJsonSchema();
    void concurrentAsks();
};

void LlmTriageTest::init()
{
    ::unsetenv(kKeyVariable);
}

void LlmTriageTest::offByDefault()
{
    const LlmTriage triage(latch::core::TriageLlmConfig {});
    QVERIFY(!triage.enabled());
    QVERIFY(triage.config().timeout == 5000ms);
    FakeLlm llm;
    const LlmTriage on(configFor(llm));
    QVERIFY(on.enabled());
    QCOMPARE(q(on.modelLabel()), QStringLiteral("llm:qwen2.5:7b-instruct"));
}

void LlmTriageTest::requestCarriesModelTemperatureAndTheCase()
{
    FakeLlm llm;
    llm.setModels({ "qwen2.5:7b-instruct" }); // another model name would get 404
    llm.start();
    llm.replyNext(validAnswer());
    const LlmTriage triage(configFor(llm));
    const LlmOutcome outcome = triage.ask(kCaseText, kTypes);
    QVERIFY2(outcome.ok(), outcome.message.c_str());

    const auto requests = llm.requests();
    QCOMPARE(requests.size(), 1u);
    QCOMPARE(q(requests[0].method), QStringLiteral("POST"));
    QCOMPARE(
        q(requests[0].header("Content-Type").value_or("")), QStringLiteral("application/json"));
    QCOMPARE(q(requests[0].body), q(outcome.prompt)); // the prompt recorded is what was sent
    const auto body = nlohmann::json::parse(requests[0].body);
    QCOMPARE(q(body["model"].get<std::string>()), QStringLiteral("qwen2.5:7b-instruct"));
    QVERIFY(body["temperature"].is_number());
    QCOMPARE(body["temperature"].get<double>(), 0.0);
    QCOMPARE(q(body["response_format"].dump()), QStringLiteral(R"({"type":"json_object"})"));
    QVERIFY(body["stream"] == false);
    QCOMPARE(body["messages"].size(), 2u);
    QCOMPARE(q(body["messages"][0]["role"].get<std::string>()), QStringLiteral("system"));
    const auto system = body["messages"][0]["content"].get<std::string>();
    QCOMPARE(q(system), q(LlmTriage::systemPrompt(kTypes)));
    QVERIFY(system.find(llmAnswerSchema(kTypes)) != std::string::npos);
    QVERIFY(system.find(R"("refund", "access", "incident")") != std::string::npos);
    QCOMPARE(q(body["messages"][1]["role"].get<std::string>()), QStringLiteral("user"));
    QCOMPARE(q(body["messages"][1]["content"].get<std::string>()), q(kCaseText));
}

void LlmTriageTest::authorizationOnlyWhenTheKeyIsSet()
{
    FakeLlm llm;
    llm.start();
    llm.setDefaultContent(validAnswer());
    auto config = configFor(llm);

    // No api_key_env, and an api_key_env naming an unset variable: no header.
    QVERIFY(LlmTriage(config).ask(kCaseText, kTypes).ok());
    config.apiKeyEnv = kKeyVariable;
    const LlmTriage unset(config);
    QVERIFY(!unset.hasApiKey());
    QVERIFY(unset.ask(kCaseText, kTypes).ok());
    for (const auto& request : llm.requests())
        QVERIFY(!request.header("Authorization"));

    // Set: a Bearer token the endpoint checks, and never in the recorded prompt.
    ::setenv(kKeyVariable, "sk-local-0123456789", 1);
    llm.setApiKey("sk-local-0123456789");
    const LlmTriage keyed(config);
    QVERIFY(keyed.hasApiKey());
    const LlmOutcome outcome = keyed.ask(kCaseText, kTypes);
    QVERIFY2(outcome.ok(), outcome.message.c_str());
    QCOMPARE(q(llm.requests().back().header("Authorization").value_or("")),
        QStringLiteral("Bearer sk-local-0123456789"));
    QVERIFY(outcome.prompt.find("sk-local") == std::string::npos);

    // The key is read when the LlmTriage is built; a wrong one is the endpoint's 401.
    ::setenv(kKeyVariable, "sk-wrong", 1);
    const LlmOutcome refused = LlmTriage(config).ask(kCaseText, kTypes);
    QCOMPARE(q(refused.code), QStringLiteral("llm.http"));
    QCOMPARE(refused.status, 401);
    QVERIFY(refused.message.find("Incorrect API key") != std::string::npos);
}

void LlmTriageTest::caseTextIsCutAndMadeUtf8()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(validAnswer());
    // Not UTF-8 (a Latin-1 é), then a long text ending in a 3-byte character across the cut.
    std::string text = "Caf\xE9 order SO-1 ";
    text += std::string(LlmTriage::kMaxCaseTextBytes, 'x');
    text += "\xE2\x82\xAC";
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(text, kTypes);
    QVERIFY2(outcome.ok(), outcome.message.c_str());
    const auto sent = nlohmann::json::parse(llm.requests().at(0).body);
    const auto user = sent["messages"][1]["content"].get<std::string>();
    QVERIFY(user.size() <= LlmTriage::kMaxCaseTextBytes);
    QVERIFY(user.starts_with("Caf\xEF\xBF\xBD order SO-1 ")); // U+FFFD for the stray byte
}

void LlmTriageTest::validAnswerGivesFields()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(validAnswer());
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QVERIFY2(outcome.ok(), outcome.message.c_str());
    QVERIFY(outcome.code.empty());
    QCOMPARE(outcome.status, 200);
    const LlmAnswer& answer = *outcome.answer;
    QCOMPARE(q(answer.type), QStringLiteral("refund"));
    QCOMPARE(q(answer.priority), QStringLiteral("high"));
    QCOMPARE(answer.confidence, 0.82);
    QCOMPARE(answer.facts.size(), 4u);
    QCOMPARE(q(answer.facts[0].first), QStringLiteral("amount"));
    QCOMPARE(q(answer.facts[0].second), QStringLiteral("2,400.00 USD"));
    QCOMPARE(q(fact(answer, "customer")), QStringLiteral("Acme GmbH"));
    QCOMPARE(q(fact(answer, "order")), QStringLiteral("SO-1042"));
    QCOMPARE(q(fact(answer, "email")), QStringLiteral("ap@acme.example"));
    // Prompt and response are recorded on the answer and the outcome alike.
    QCOMPARE(q(answer.prompt), q(outcome.prompt));
    QCOMPARE(q(answer.response), q(outcome.response));
    const auto response = nlohmann::json::parse(outcome.response);
    QCOMPARE(q(response["object"].get<std::string>()), QStringLiteral("chat.completion"));
    QCOMPARE(q(response["choices"][0]["message"]["content"].get<std::string>()), q(validAnswer()));
    const auto expected = outcome.expected();
    QVERIFY(expected.ok());
    QCOMPARE(q(expected->type), QStringLiteral("refund"));
}

void LlmTriageTest::fencedJsonIsAccepted()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext("```json\n" + validAnswer() + "\n```");
    llm.replyNext("\n```\n" + validAnswer() + "\n```\n");
    llm.replyNext("```JSON\n" + validAnswer() + "```");
    const LlmTriage triage(configFor(llm));
    for (int i = 0; i < 3; ++i) {
        const LlmOutcome outcome = triage.ask(kCaseText, kTypes);
        QVERIFY2(outcome.ok(), outcome.message.c_str());
        QCOMPARE(q(outcome.answer->type), QStringLiteral("refund"));
        QVERIFY(outcome.response.find("```") != std::string::npos); // recorded as received
    }
    // A fence around something else, or prose around the fence, is not an answer.
    QCOMPARE(
        q(std::string(stripJsonFence("```python\n{}\n```"))), QStringLiteral("```python\n{}\n```"));
    QCOMPARE(q(readLlmAnswer("Here you go:\n```json\n" + validAnswer() + "\n```", kTypes)
                     .failure()
                     .code),
        QStringLiteral("llm.invalid"));
}

void LlmTriageTest::unsureTypeAndNoFacts()
{
    const auto answer = readLlmAnswer(
        R"({"type": "", "priority": "normal", "confidence": 0, "facts": {"customer": " "}})",
        kTypes);
    QVERIFY2(answer.ok(), answer.ok() ? "" : answer.failure().message.c_str());
    QVERIFY(answer->type.empty());
    QCOMPARE(q(answer->priority), QStringLiteral("normal"));
    QVERIFY(answer->facts.empty()); // a blank fact is no fact
    QVERIFY(readLlmAnswer(
        R"({"type":"incident","priority":"urgent","confidence":1,"facts":{}})", kTypes)
                .ok());
}

void LlmTriageTest::invalidJsonKeepsTheResponse()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext("Sure! This looks like a refund with high priority.");
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QVERIFY(!outcome.ok());
    QCOMPARE(q(outcome.code), QStringLiteral("llm.invalid"));
    QVERIFY2(outcome.message.find("not JSON") != std::string::npos, outcome.message.c_str());
    QCOMPARE(outcome.status, 200);
    QVERIFY(outcome.response.find("Sure! This looks like a refund") != std::string::npos);
    QCOMPARE(q(outcome.prompt), q(llm.requests().at(0).body));
    QCOMPARE(q(outcome.expected().failure().code), QStringLiteral("llm.invalid"));
}

void LlmTriageTest::typeOutsideTheListIsInvalid()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(answerWith("/type", "fraud"));
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.invalid"));
    QVERIFY2(
        outcome.message.find(R"("type" is "fraud")") != std::string::npos, outcome.message.c_str());
    QVERIFY(outcome.response.find("fraud") != std::string::npos);
    // Case matters: the type must be one of the config's names exactly.
    QVERIFY(!readLlmAnswer(answerWith("/type", "Refund"), kTypes).ok());
}

void LlmTriageTest::badAmountIsInvalid()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(answerWith("/facts/amount", "about two grand"));
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.invalid"));
    QVERIFY2(outcome.message.find("facts.amount") != std::string::npos, outcome.message.c_str());
    // A number without a currency is not an amount either: parseMoney never guesses one.
    QVERIFY(!readLlmAnswer(answerWith("/facts/amount", "2400.00"), kTypes).ok());
    QCOMPARE(q(fact(*readLlmAnswer(answerWith("/facts/amount", "EUR 1,000.5"), kTypes), "amount")),
        QStringLiteral("1,000.50 EUR"));
}

void LlmTriageTest::schemaViolations_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("named"); // what the message must name

    const auto row = [](const char* name, const std::string& content, const char* named) {
        QTest::newRow(name) << q(content) << QString::fromUtf8(named);
    };
    row("an array", "[1, 2]", "array");
    row("a string", R"("refund")", "string");
    row("extra key", answerWith("/reason", "because"), R"("reason")");
    row("no type", answerWith("/type", std::nullopt), R"(lacks "type")");
    row("no priority", answerWith("/priority", std::nullopt), R"(lacks "priority")");
    row("no confidence", answerWith("/confidence", std::nullopt), R"(lacks "confidence")");
    row("no facts", answerWith("/facts", std::nullopt), R"(lacks "facts")");
    row("type not a string", answerWith("/type", 3), R"("type" must be a string)");
    row("unknown priority", answerWith("/priority", "critical"), R"("critical")");
    row("empty priority", answerWith("/priority", ""), R"("priority")");
    row("confidence above 1", answerWith("/confidence", 1.5), "1.5");
    row("confidence below 0", answerWith("/confidence", -0.1), "-0.1");
    row("confidence as text", answerWith("/confidence", "high"), R"("confidence")");
    row("confidence as bool", answerWith("/confidence", true), R"("confidence")");
    row("facts not an object", answerWith("/facts", nlohmann::json::array()), R"("facts")");
    row("unknown fact", answerWith("/facts/phone", "+1 555"), R"("phone")");
    row("fact not a string", answerWith("/facts/order", 1042), "facts.order");
    row("null fact", answerWith("/facts/customer", nlohmann::json(nullptr)), "customer");
    row("overlong fact", answerWith("/facts/customer", std::string(300, 'a')), "256 bytes");
    row("not an e-mail", answerWith("/facts/email", "acme at example"), "facts.email");
}

void LlmTriageTest::schemaViolations()
{
    QFETCH(QString, content);
    QFETCH(QString, named);
    const auto answer = readLlmAnswer(content.toStdString(), kTypes);
    QVERIFY(!answer.ok());
    QCOMPARE(q(answer.failure().code), QStringLiteral("llm.invalid"));
    QVERIFY2(q(answer.failure().message).contains(named), answer.failure().message.c_str());
}

void LlmTriageTest::emptyContentIsEmpty_data()
{
    QTest::addColumn<bool>("null");
    QTest::addColumn<QString>("content");
    QTest::newRow("empty string") << false << QString();
    QTest::newRow("white space") << false << QStringLiteral(" \n\t ");
    QTest::newRow("empty fence") << false << QStringLiteral("```json\n```");
    QTest::newRow("null") << true << QString();
}

void LlmTriageTest::emptyContentIsEmpty()
{
    QFETCH(bool, null);
    QFETCH(QString, content);
    FakeLlm llm;
    llm.start();
    llm.replyNext(null ? std::nullopt : std::optional(content.toStdString()));
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.empty"));
    QVERIFY(!outcome.message.empty());
    QVERIFY(!outcome.prompt.empty());
    QVERIFY(outcome.response.find("chat.completion") != std::string::npos);
}

void LlmTriageTest::notAChatCompletion()
{
    FakeLlm llm;
    llm.start();
    llm.respondNext(200, "<html>proxy login</html>", { { "Content-Type", "text/html" } });
    llm.respondNext(200, R"({"message": {"content": "{}"}})"); // Ollama's native /api/chat
    llm.respondNext(200, R"({"object": "chat.completion", "choices": []})");
    llm.respondNext(200, "");
    const LlmTriage triage(configFor(llm));
    const std::vector<std::pair<QString, std::string>> expected {
        { QStringLiteral("llm.invalid"), "not JSON" },
        { QStringLiteral("llm.invalid"), "not a chat completion" },
        { QStringLiteral("llm.empty"), "no choices" },
        { QStringLiteral("llm.empty"), "empty body" },
    };
    for (const auto& [code, words] : expected) {
        const LlmOutcome outcome = triage.ask(kCaseText, kTypes);
        QCOMPARE(q(outcome.code), code);
        QVERIFY2(outcome.message.find(words) != std::string::npos, outcome.message.c_str());
    }
}

void LlmTriageTest::cutOffAnswerSaysSo()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(R"({"type": "refund", "priority": "hi)", "length");
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.invalid"));
    QVERIFY2(outcome.message.find("token limit") != std::string::npos, outcome.message.c_str());
}

void LlmTriageTest::longResponseIsCutForTheRecord()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(std::string(100 * 1024, 'x'));
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.invalid"));
    QVERIFY(outcome.response.size() <= LlmTriage::kMaxRecordedBytes);
    QVERIFY(outcome.response.size() > LlmTriage::kMaxRecordedBytes - 4);
    QVERIFY(outcome.response.starts_with("{"));
}

void LlmTriageTest::serverErrorIsHttp_data()
{
    QTest::addColumn<int>("refusal");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("words");
    QTest::newRow("500") << int(FakeLlm::Refusal::ServerError) << 500
                         << QStringLiteral("had an error");
    QTest::newRow("429") << int(FakeLlm::Refusal::RateLimited) << 429
                         << QStringLiteral("Rate limit");
    QTest::newRow("404") << int(FakeLlm::Refusal::ModelNotFound) << 404
                         << QStringLiteral("does not exist");
    QTest::newRow("401") << int(FakeLlm::Refusal::Unauthorized) << 401 << QStringLiteral("API key");
}

void LlmTriageTest::serverErrorIsHttp()
{
    QFETCH(int, refusal);
    QFETCH(int, status);
    QFETCH(QString, words);
    FakeLlm llm;
    llm.start();
    llm.failNext(static_cast<FakeLlm::Refusal>(refusal));
    const LlmOutcome outcome = LlmTriage(configFor(llm)).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.http"));
    QCOMPARE(outcome.status, status);
    QVERIFY2(q(outcome.message).contains(QString::number(status)), outcome.message.c_str());
    QVERIFY2(q(outcome.message).contains(words), outcome.message.c_str());
    QVERIFY(nlohmann::json::parse(outcome.response).contains("error")); // kept as received
    QVERIFY(!outcome.prompt.empty());
}

void LlmTriageTest::slowAnswerTimesOut()
{
    FakeLlm llm;
    llm.start();
    llm.replyNext(validAnswer());
    llm.delayNext(5s);
    const auto timeout = 400ms;
    const LlmTriage triage(configFor(llm, timeout));
    QElapsedTimer timer;
    timer.start();
    const LlmOutcome outcome = triage.ask(kCaseText, kTypes);
    const auto elapsed = timer.elapsed();
    QCOMPARE(q(outcome.code), QStringLiteral("llm.timeout"));
    QVERIFY2(outcome.message.find("400 ms") != std::string::npos, outcome.message.c_str());
    QVERIFY2(elapsed < 2 * timeout.count(), std::to_string(elapsed).c_str());
    QVERIFY(elapsed >= timeout.count() - 50);
    QVERIFY(outcome.response.empty());
    QCOMPARE(outcome.status, 0);
    QCOMPARE(q(outcome.prompt), q(llm.requests().at(0).body)); // it was sent, and is recorded
}

void LlmTriageTest::unreachablePortIsUnreachable()
{
    FakeLlm llm;
    llm.start();
    const auto config = configFor(llm, 2s);
    llm.stop(); // nothing listens on the port any more
    QElapsedTimer timer;
    timer.start();
    const LlmOutcome outcome = LlmTriage(config).ask(kCaseText, kTypes);
    QCOMPARE(q(outcome.code), QStringLiteral("llm.unreachable"));
    QVERIFY2(!outcome.message.empty(), "a sentence says why");
    QVERIFY(timer.elapsed() < 2000);
    QVERIFY(!outcome.prompt.empty());
    QVERIFY(outcome.response.empty());
}

void LlmTriageTest::schemaIsJsonSchema()
{
    const auto schema = nlohmann::json::parse(llmAnswerSchema(kTypes));
    using nlohmann::json;
    QVERIFY(schema["type"] == "object");
    QVERIFY(schema["additionalProperties"] == false);
    QVERIFY(schema["required"] == json::array({ "type", "priority", "confidence", "facts" }));
    QVERIFY(schema["properties"]["type"]["enum"]
        == json::array({ "refund", "access", "incident", "" }));
    QVERIFY(schema["properties"]["priority"]["enum"]
        == json::array({ "low", "normal", "high", "urgent" }));
    QVERIFY(schema["properties"]["confidence"]["minimum"] == 0);
    QVERIFY(schema["properties"]["confidence"]["maximum"] == 1);
    QVERIFY(schema["properties"]["facts"]["additionalProperties"] == false);
    QCOMPARE(schema["properties"]["facts"]["properties"].size(), 4u);
    // With no case types the model can only be unsure.
    QVERIFY(json::parse(llmAnswerSchema({}))["properties"]["type"]["enum"] == json::array({ "" }));
    QVERIFY(!readLlmAnswer(validAnswer(), {}).ok());
}

void LlmTriageTest::concurrentAsks()
{
    FakeLlm llm;
    llm.start();
    llm.setDefaultContent(validAnswer());
    const LlmTriage triage(configFor(llm));
    std::vector<LlmOutcome> outcomes(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        threads.emplace_back([&, i] {
            outcomes[i] = triage.ask(
                "Case " + std::to_string(i) + ": refund SO-" + std::to_string(i), kTypes);
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& outcome : outcomes)
        QVERIFY2(outcome.ok(), outcome.message.c_str());
    QCOMPARE(llm.requestCount(), 4u);
}

QTEST_GUILESS_MAIN(LlmTriageTest)
#include "llmtriagetest.moc"
