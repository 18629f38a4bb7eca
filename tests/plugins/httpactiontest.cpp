// Declarative HTTP actions end to end: the real latch-server with plugins.http actions pointed at
// a local fake ERP, driven over the protocol. Covers the templated URL and body (escaped for where
// each value lands) planned and sent exactly, the HMAC signature, success criteria met and not
// met, a refusal that is not retried, a 500 retried with the same idempotency key, a missing case
// field refusing the plan, secrets kept out of plans, timelines and logs, and broken configs
// stopping the start with the key named.
#include "actionharness.h"
#include "fakeerp.h"
#include "hmac.h"
#include "serverprocess.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace latch;
using namespace actionharness;
using latch::fakes::FakeErp;

namespace {

const char* kKeyEnv = "LATCH_TEST_ERP_KEY";
const char* kHmacEnv = "LATCH_TEST_ERP_HMAC";
const char* kKey = "erp-key-5f0c1a77";
const char* kHmacSecret = "hmac-secret-9d2e44";
const char* kUpdate = "erp.update_bank_details";

// A holder name and vendor id that need escaping in JSON and in a URL path.
const std::string kHolder = "M\xC3\xBCller \"Bau\" GmbH & Co\\KG";
const std::string kVendor = "V 17/a";

} // namespace

class HttpActionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void planIsTheRequestSent();
    void criteriaNotMetIsAFailure();
    void refusalIsNotRetried();
    void serverErrorIsRetriedWithTheSameKey();
    void unansweredCallsAreUnknown();
    void formBodyIsEncoded();
    void missingFieldRefusesThePlan();
    void brokenConfigStopsTheStart_data();
    void brokenConfigStopsTheStart();
    void missingSecretStopsTheStart();
    void cleanupTestCase();

private:
    QString actionsYaml() const;
    // A vendor bank change with both approvals in, ready to run; "" on failure.
    std::string approvedBankChange(const std::vector<std::pair<std::string, std::string>>& fields);
    std::vector<fakes::RecordedRequest> bankCalls() const;

    FakeErp m_erp;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
};

QString HttpActionTest::actionsYaml() const
{
    const QString erp = QString::fromStdString(m_erp.baseUrl());
    return QStringLiteral(
        "plugins:\n"
        "  http:\n"
        "    - id: erp.update_bank_details\n"
        "      label: Update vendor bank details in the ERP\n"
        "      case_types: [vendor_bank_change]\n"
        "      roles: [finance]\n"
        "      method: post\n"
        "      url: \"%1/api/vendors/{fields.vendor_id}/bank?case={case.id}\"\n"
        "      headers: {Content-Type: application/json, X-Api-Key: \"{env.%2}\"}\n"
        "      body: '{\"iban\": \"{fields.iban}\", \"holder\": \"{fields.holder}\", "
        "\"case\": \"{case.id}\"}'\n"
        "      success: {status: [200, 201], json_path: result.status, equals: updated}\n"
        "      hmac: {secret_env: %3, header: X-Signature, algorithm: sha256}\n"
        "      timeout_ms: 3000\n"
        "      max_attempts: 3\n"
        "      retry_base_ms: 20\n"
        "    - id: erp.record_refund\n"
        "      case_types: [refund]\n"
        "      method: PUT\n"
        "      url: \"%1/api/refunds/{case.id}\"\n"
        "      headers: {Content-Type: application/x-www-form-urlencoded}\n"
        "      body: \"amount={case.amount}&minor={case.amount_minor}&customer={case.customer}\"\n"
        "      success: {body_contains: accepted}\n"
        "      retry_base_ms: 20\n")
        .arg(erp, QLatin1String(kKeyEnv), QLatin1String(kHmacEnv));
}

void HttpActionTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
    m_erp.start();
    qputenv(kKeyEnv, kKey);
    qputenv(kHmacEnv, kHmacSecret);
    const QString path = writeConfig(m_dir.filePath(QStringLiteral("latch.yaml")), actionsYaml());
    QVERIFY(!path.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), path, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
}

void HttpActionTest::init()
{
    m_erp.clearRoutes();
    m_erp.clearFaults();
    m_erp.clearRequests();
}

std::string HttpActionTest::approvedBankChange(
    const std::vector<std::pair<std::string, std::string>>& fields)
{
    const std::string id = createCase(*m_server, QStringLiteral("mkim"), "vendor_bank_change",
        "New bank account for a vendor", "Vendor", 0, fields);
    if (id.empty() || !markReady(*m_server, QStringLiteral("mkim"), id)
        || !approve(*m_server, QStringLiteral("atorres"), id)
        || !approve(*m_server, QStringLiteral("admin"), id))
        return {};
    return id;
}

std::vector<fakes::RecordedRequest> HttpActionTest::bankCalls() const
{
    return m_erp.requestsTo("POST", "/api/vendors/{id}/bank");
}

void HttpActionTest::planIsTheRequestSent()
{
    m_erp.route("POST", "/api/vendors/{id}/bank", 200,
        nlohmann::json { { "result", { { "status", "updated" } } } });
    const std::string id = approvedBankChange(
        { { "vendor_id", kVendor }, { "iban", "DE89370400440532013000" }, { "holder", kHolder } });
    QVERIFY(!id.empty());

    // The plan: the URL with the vendor percent-encoded, the key as [redacted], the body as it
    // will be sent (valid JSON whatever the holder's name holds).
    const auto shown = plan(*m_server, QStringLiteral("atorres"), id, kUpdate);
    QVERIFY(shown);
    QVERIFY2(shown->ok(), shown->message().c_str());
    QCOMPARE(shown->plan().plugin(), std::string("erp"));
    const auto p = nlohmann::json::parse(shown->plan().plan());
    QCOMPARE(p["method"].get<std::string>(), std::string("POST"));
    const std::string url = m_erp.baseUrl() + "/api/vendors/V%2017%2Fa/bank?case=" + id;
    QCOMPARE(p["url"].get<std::string>(), url);
    QCOMPARE(p["headers"][1][0].get<std::string>(), std::string("X-Api-Key"));
    QCOMPARE(p["headers"][1][1].get<std::string>(), std::string("[redacted]"));
    const std::string body = p["body"].get<std::string>();
    const auto bodyJson = nlohmann::json::parse(body);
    QCOMPARE(bodyJson["holder"].get<std::string>(), kHolder);
    QCOMPARE(bodyJson["case"].get<std::string>(), id);
    QVERIFY(shown->plan().plan().find(kKey) == std::string::npos);
    QVERIFY(shown->plan().plan().find(kHmacSecret) == std::string::npos);

    // A person without the action's role is blocked; finance runs it.
    QCOMPARE(run(*m_server, QStringLiteral("mkim"), id, kUpdate).code(),
        std::string("action.forbidden"));
    const auto r
        = run(*m_server, QStringLiteral("atorres"), id, kUpdate, shown->plan().plan_hash());
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->http_status(), 200);

    // The ERP got exactly the plan, plus the secrets, the key and a signature it can check.
    const auto calls = bankCalls();
    QCOMPARE(calls.size(), std::size_t(1));
    const auto& call = calls[0];
    QCOMPARE(m_erp.url(call.target), url);
    QCOMPARE(call.body, body);
    QCOMPARE(call.header("X-Api-Key").value_or(""), std::string(kKey));
    QCOMPARE(call.header("Content-Type").value_or(""), std::string("application/json"));
    QCOMPARE(call.header("Idempotency-Key").value_or(""), finished->idempotency_key());
    QCOMPARE(call.header("X-Signature").value_or(""),
        latch::fakes::hmacSha256Hex(kHmacSecret, call.body));

    // Secrets stay out of the timeline and the log; the recorded request shows where they went.
    QVERIFY(finished->request().find("X-Api-Key: [redacted]") != std::string::npos);
    QVERIFY(finished->request().find(body) != std::string::npos);
    for (const auto& e : timeline(*m_server, id)) {
        QVERIFY2(e.DebugString().find(kKey) == std::string::npos, "the API key is recorded");
        QVERIFY2(
            e.DebugString().find(kHmacSecret) == std::string::npos, "the HMAC key is recorded");
        if (e.has_action_finished())
            QCOMPARE(e.actor(), std::string("plugin:erp"));
    }
    QVERIFY(!m_server->output().contains(QLatin1String(kKey)));
    QVERIFY(!m_server->output().contains(QLatin1String(kHmacSecret)));
}

void HttpActionTest::criteriaNotMetIsAFailure()
{
    m_erp.route("POST", "/api/vendors/{id}/bank", 200,
        nlohmann::json { { "result", { { "status", "rejected" } } } });
    const std::string id = approvedBankChange(
        { { "vendor_id", "V-20" }, { "iban", "DE02120300000000202051" }, { "holder", "Beta" } });
    QVERIFY(!id.empty());
    QVERIFY(run(*m_server, QStringLiteral("atorres"), id, kUpdate).accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("http.criteria"));
    QVERIFY2(
        finished->message().find("rejected") != std::string::npos, finished->message().c_str());
    QCOMPARE(finished->attempts(), 1u);

    // 202 is a 2xx but not one the action lists.
    m_erp.route("POST", "/api/vendors/{id}/bank", 202,
        nlohmann::json { { "result", { { "status", "updated" } } } });
    QVERIFY(run(*m_server, QStringLiteral("atorres"), id, kUpdate).accepted());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            int failures = 0;
            for (const auto& e : timeline(*m_server, id))
                failures
                    += e.has_action_finished() && e.action_finished().code() == "http.status_202";
            return failures == 1;
        }(),
        15000);
}

void HttpActionTest::refusalIsNotRetried()
{
    m_erp.route("POST", "/api/vendors/{id}/bank", 422,
        nlohmann::json { { "error", "iban checksum does not match" } });
    const std::string id = approvedBankChange(
        { { "vendor_id", "V-21" }, { "iban", "DE00000000000000000000" }, { "holder", "Gamma" } });
    QVERIFY(!id.empty());
    QVERIFY(run(*m_server, QStringLiteral("atorres"), id, kUpdate).accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("http.status_422"));
    QCOMPARE(finished->http_status(), 422);
    QCOMPARE(finished->attempts(), 1u);
    QVERIFY(finished->response().find("checksum") != std::string::npos);
    QCOMPARE(bankCalls().size(), std::size_t(1));
}

void HttpActionTest::serverErrorIsRetriedWithTheSameKey()
{
    m_erp.route("POST", "/api/vendors/{id}/bank", 201,
        nlohmann::json { { "result", { { "status", "updated" } } } });
    m_erp.respondNext(500, "{\"error\": \"database busy\"}");
    const std::string id = approvedBankChange(
        { { "vendor_id", "V-22" }, { "iban", "DE75512108001245126199" }, { "holder", "Delta" } });
    QVERIFY(!id.empty());
    QVERIFY(run(*m_server, QStringLiteral("atorres"), id, kUpdate).accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->http_status(), 201);
    QCOMPARE(finished->attempts(), 2u);
    const auto calls = bankCalls();
    QCOMPARE(calls.size(), std::size_t(2));
    QCOMPARE(calls[0].header("Idempotency-Key").value_or("a"),
        calls[1].header("Idempotency-Key").value_or("b"));
    QCOMPARE(calls[0].header("Idempotency-Key").value_or(""), finished->idempotency_key());
    QCOMPARE(calls[0].body, calls[1].body);
}

void HttpActionTest::unansweredCallsAreUnknown()
{
    // The ERP acts on every call and never answers: retried with the same key, then recorded as
    // unknown, never guessed.
    m_erp.route("POST", "/api/vendors/{id}/bank", 200,
        nlohmann::json { { "result", { { "status", "updated" } } } });
    for (int i = 0; i < 3; ++i)
        m_erp.dropNextAfterHandling();
    const std::string id = approvedBankChange(
        { { "vendor_id", "V-24" }, { "iban", "DE44500105175407324931" }, { "holder", "Zeta" } });
    QVERIFY(!id.empty());
    QVERIFY(run(*m_server, QStringLiteral("atorres"), id, kUpdate).accepted());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("http.outcome_unknown"));
    QCOMPARE(finished->attempts(), 3u);
    const auto calls = bankCalls();
    QCOMPARE(calls.size(), std::size_t(3));
    for (const auto& call : calls)
        QCOMPARE(call.header("Idempotency-Key").value_or(""), finished->idempotency_key());
    QCOMPARE(run(*m_server, QStringLiteral("atorres"), id, kUpdate).code(),
        std::string("action.outcome_unknown"));
}

void HttpActionTest::formBodyIsEncoded()
{
    m_erp.route("PUT", "/api/refunds/{id}", 200, nlohmann::json { { "state", "accepted" } });
    const std::string id = createCase(*m_server, QStringLiteral("mkim"), "refund", "Small refund",
        "Smith & Sons = 100%", 4250, {});
    QVERIFY(!id.empty());
    const auto r = run(*m_server, QStringLiteral("mkim"), id, "erp.record_refund");
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(*m_server, id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    const auto calls = m_erp.requestsTo("PUT", "/api/refunds/{id}");
    QCOMPARE(calls.size(), std::size_t(1));
    QCOMPARE(calls[0].path(), "/api/refunds/" + id);
    QCOMPARE(
        calls[0].body, std::string("amount=42.50&minor=4250&customer=Smith+%26+Sons+%3D+100%25"));
    QVERIFY(!calls[0].header("X-Signature")); // this action signs nothing

    // Success criteria not met: the answer lacks "accepted".
    m_erp.route("PUT", "/api/refunds/{id}", 200, nlohmann::json { { "state", "queued" } });
    const std::string other = createCase(
        *m_server, QStringLiteral("mkim"), "refund", "Small refund 2", "Smith", 1000, {});
    QVERIFY(run(*m_server, QStringLiteral("mkim"), other, "erp.record_refund").accepted());
    const auto unmet = waitFinished(*m_server, other);
    QVERIFY(unmet);
    QCOMPARE(unmet->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(unmet->code(), std::string("http.criteria"));
}

void HttpActionTest::missingFieldRefusesThePlan()
{
    m_erp.route("POST", "/api/vendors/{id}/bank", 200,
        nlohmann::json { { "result", { { "status", "updated" } } } });
    const std::string id
        = approvedBankChange({ { "vendor_id", "V-23" }, { "holder", "Epsilon" } }); // no iban
    QVERIFY(!id.empty());
    const auto shown = plan(*m_server, QStringLiteral("atorres"), id, kUpdate);
    QVERIFY(shown);
    QVERIFY(!shown->ok());
    QCOMPARE(shown->code(), std::string("http.missing_field"));
    QVERIFY2(shown->message().find("iban") != std::string::npos, shown->message().c_str());
    const auto r = run(*m_server, QStringLiteral("atorres"), id, kUpdate);
    QVERIFY(!r.accepted());
    QCOMPARE(r.code(), std::string("http.missing_field"));
    QTest::qWait(300);
    QVERIFY(bankCalls().empty());
}

void HttpActionTest::brokenConfigStopsTheStart_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    const QString head = QStringLiteral("plugins:\n  http:\n    - id: erp.update\n");
    const QString url = QStringLiteral("      url: https://erp.example/api/{fields.vendor}\n");
    QTest::newRow("bad method")
        << head + url + "      method: FETCH\n"
        << "plugins.http[0].method: must be GET, POST, PUT, PATCH or DELETE";
    QTest::newRow("unknown variable")
        << head + "      url: https://erp.example/api/{case.vendor}\n"
        << "plugins.http[0].url: unknown template variable {case.vendor}";
    QTest::newRow("unknown namespace")
        << head + url
            + "      headers: {Content-Type: application/json}\n"
              "      body: '{\"a\": \"{feilds.iban}\"}'\n"
        << "plugins.http[0].body: unknown template variable {feilds.iban}";
    QTest::newRow("duplicate id") << head + url + "    - id: erp.update\n" + url
                                  << "plugins.http[1].id: action erp.update is already defined";
    QTest::newRow("built-in name") << QStringLiteral("plugins:\n  http:\n    - id: slack.post\n")
            + url << "plugins.http[0].id: \"slack.post\" would belong to the built-in slack plugin";
    QTest::newRow("host from a variable")
        << head + "      url: \"https://{env.ERP_HOST}/api\"\n"
        << "plugins.http[0].url: the scheme and host must be written out";
    QTest::newRow("body without content type")
        << head + url + "      body: '{\"a\": 1}'\n"
        << "plugins.http[0].body: needs a Content-Type header";
}

void HttpActionTest::brokenConfigStopsTheStart()
{
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const QString path = writeConfig(m_dir.filePath(QStringLiteral("broken.yaml")), yaml);
    ServerProcess server(m_dir.filePath(QStringLiteral("broken")));
    QVERIFY(!server.start({ QStringLiteral("--config"), path }, 10000));
    QVERIFY2(server.output().contains(expected), qPrintable(server.output()));
    QVERIFY2(server.output().contains(QStringLiteral("broken.yaml:")), qPrintable(server.output()));
}

void HttpActionTest::missingSecretStopsTheStart()
{
    const QByteArray key = qgetenv(kHmacEnv);
    qunsetenv(kHmacEnv);
    auto restore = qScopeGuard([&] { qputenv(kHmacEnv, key); });
    ServerProcess server(m_dir.filePath(QStringLiteral("no-secret")));
    const QString path
        = writeConfig(m_dir.filePath(QStringLiteral("no-secret.yaml")), actionsYaml());
    QVERIFY(!server.start({ QStringLiteral("--config"), path }, 10000));
    QVERIFY2(server.output().contains(QLatin1String(kHmacEnv)), qPrintable(server.output()));
    QVERIFY2(server.output().contains(QLatin1String(kUpdate)), qPrintable(server.output()));
}

void HttpActionTest::cleanupTestCase()
{
    // A clean exit: nothing the sanitizers object to, no leak.
    QCOMPARE(m_server->stop(), 0);
}

QTEST_GUILESS_MAIN(HttpActionTest)
#include "httpactiontest.moc"
