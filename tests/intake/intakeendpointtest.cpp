// The intake endpoints of a real latch-server over HTTP: a webhook delivery (bearer token or HMAC
// signature) opens a case with the payload kept as evidence; the same delivery again never makes a
// second case; Alertmanager notifications thread by fingerprint; and every bad delivery gets a
// clear 4xx and creates nothing.
#include "../fakes/httpclient.h"
#include "../plugins/actionharness.h"
#include "../support/serverprocess.h"
#include "intake/intakeendpoint.h"
#include "latch/hashing.h"

#include <QDateTime>
#include <QtTest>

#include <nlohmann/json.hpp>

using json = nlohmann::json;
using latch::fakes::HttpClient;

namespace {

constexpr const char* kTokenEnv = "LATCH_TEST_INTAKE_TOKEN";
constexpr const char* kToken = "billing-portal-token-0123456789";
constexpr const char* kHmacEnv = "LATCH_TEST_INTAKE_HMAC";
constexpr const char* kHmac = "erp-signing-secret-0123456789";
constexpr const char* kAlertEnv = "LATCH_TEST_ALERT_TOKEN";
constexpr const char* kAlertToken = "alertmanager-token-0123456789";

const char* kIntakeYaml = "\nintake:\n"
                          "  max_body_bytes: 65536\n"
                          "  sources:\n"
                          "    - name: billing-portal\n"
                          "      channel: webhook\n"
                          "      token_env: LATCH_TEST_INTAKE_TOKEN\n"
                          "      type: refund\n"
                          "    - name: erp\n"
                          "      channel: webhook\n"
                          "      hmac_secret_env: LATCH_TEST_INTAKE_HMAC\n"
                          "    - name: prometheus\n"
                          "      channel: alertmanager\n"
                          "      token_env: LATCH_TEST_ALERT_TOKEN\n";

json alert(const std::string& fingerprint, const std::string& status,
           const std::string& name = "PaymentsLatencyHigh")
{
    return json{{"status", status},
                {"labels", {{"alertname", name}, {"severity", "critical"}, {"service", "payments"}}},
                {"annotations", {{"summary", "p99 latency above 2 s"}, {"description", "Checkout is slow."}}},
                {"startsAt", "2026-12-06T10:00:00Z"},
                {"endsAt", status == "resolved" ? "2026-12-06T10:30:00Z" : "0001-01-01T00:00:00Z"},
                {"generatorURL", "http://prometheus.example/graph"},
                {"fingerprint", fingerprint}};
}

QByteArray body(const json& value)
{
    return QByteArray::fromStdString(value.dump());
}

std::string notification(const std::vector<json>& alerts)
{
    return json{{"version", "4"}, {"groupKey", "{}:{alertname=\"PaymentsLatencyHigh\"}"},
                {"status", alerts.front()["status"]}, {"receiver", "latch"},
                {"groupLabels", json::object()}, {"commonLabels", json::object()},
                {"commonAnnotations", json::object()}, {"externalURL", "http://alertmanager.example"},
                {"truncatedAlerts", 0}, {"alerts", alerts}}
        .dump();
}

} // namespace

class IntakeEndpointTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    QTemporaryDir m_dir;

    std::unique_ptr<HttpClient> client() const
    {
        return std::make_unique<HttpClient>("127.0.0.1", m_server->port());
    }
    latch::fakes::ClientResponse postWebhook(const std::string& body,
                                             latch::fakes::Headers headers = {
                                                 {"Authorization", std::string("Bearer ") + kToken}})
    {
        headers.emplace_back("Content-Type", "application/json");
        return client()->post("/intake/webhook?source=billing-portal", body, headers);
    }
    latch::fakes::ClientResponse postAlert(const std::string& body)
    {
        return client()->post("/intake/alertmanager", body,
                              {{"Authorization", std::string("Bearer ") + kAlertToken},
                               {"Content-Type", "application/json"}});
    }
    int caseCount() const { return actionharness::caseCount(*m_server); }
    latch::v1::Case loadCase(const std::string& id) const
    {
        return actionharness::loadCase(*m_server, id);
    }
    static std::string caseIdOf(const latch::fakes::ClientResponse& r)
    {
        const auto body = json::parse(r.body, nullptr, false);
        return body.is_object() ? body.value("case_id", std::string()) : std::string();
    }
    static std::string errorCodeOf(const latch::fakes::ClientResponse& r)
    {
        const auto body = json::parse(r.body, nullptr, false);
        if (!body.is_object() || !body.contains("error"))
            return {};
        return body["error"].value("code", std::string());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv(kTokenEnv, kToken);
        qputenv(kHmacEnv, kHmac);
        qputenv(kAlertEnv, kAlertToken);
        const QString config
            = actionharness::writeConfig(m_dir.filePath("latch.yaml"), QString::fromLatin1(kIntakeYaml));
        QVERIFY(!config.isEmpty());
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start({QStringLiteral("--config"), config, QStringLiteral("--demo")}),
                 qPrintable(m_server->lastError()));
    }

    void webhookOpensCaseWithPayloadAsEvidence()
    {
        const std::string body = json{{"idempotency_key", "ord-4821-refund"},
                                      {"title", "Refund request: Acme Co order #4821"},
                                      {"customer", "Acme Co"}, {"order_ref", "4821"},
                                      {"amount", "2,400.00 USD"}, {"sender", "billing@acme.example"},
                                      {"description", "Double charge on the November invoice."}}
                                     .dump();
        const auto r = postWebhook(body);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 201u);
        QCOMPARE(r.header("Content-Type").value_or(""), std::string("application/json"));
        const std::string id = caseIdOf(r);
        QVERIFY(!id.empty());
        const auto c = loadCase(id);
        QCOMPARE(c.type(), std::string("refund")); // the source's type
        QCOMPARE(c.customer(), std::string("Acme Co"));
        QCOMPARE(c.amount().minor(), 240000);
        QCOMPARE(c.channel(), std::string("webhook"));
        const auto events = actionharness::timeline(*m_server, id);
        QVERIFY(events.size() >= 2); // triage's suggestion may follow
        QVERIFY(events[0].has_created());
        QVERIFY(events[1].has_intake_received());
        const auto& received = events[1].intake_received();
        QCOMPARE(received.source(), std::string("billing-portal"));
        QCOMPARE(received.sender(), std::string("billing@acme.example"));
        QCOMPARE(received.evidence_size(), 1);
        QCOMPARE(received.evidence(0).data(), body); // the bytes exactly as received
        QCOMPARE(received.evidence(0).sha256(), latch::digestBytes(latch::sha256(body)));
    }

    void sameDeliveryTwiceMakesOneCase()
    {
        const std::string body
            = json{{"idempotency_key", "retry-me"}, {"title", "Refund for order 99"}}.dump();
        const auto first = postWebhook(body);
        QCOMPARE(first.status, 201u);
        const int before = caseCount();
        const auto second = postWebhook(body);
        QCOMPARE(second.status, 200u);
        QCOMPARE(caseIdOf(second), caseIdOf(first));
        QCOMPARE(json::parse(second.body)["result"].get<std::string>(), std::string("duplicate"));
        // The key may also come as a header.
        const auto third = postWebhook(json{{"title", "Refund for order 99"}}.dump(),
                                       {{"Authorization", std::string("Bearer ") + kToken},
                                        {"Idempotency-Key", "retry-me"}});
        QCOMPARE(caseIdOf(third), caseIdOf(first));
        QCOMPARE(caseCount(), before);
    }

    void threadJoinsTheOpenCase()
    {
        const auto first = postWebhook(
            json{{"idempotency_key", "t-1"}, {"title", "Ticket 991"}, {"thread", "ticket-991"}}.dump());
        const auto second = postWebhook(
            json{{"idempotency_key", "t-2"}, {"title", "Ticket 991 update"}, {"thread", "ticket-991"}}
                .dump());
        QCOMPARE(second.status, 200u);
        QCOMPARE(caseIdOf(second), caseIdOf(first));
        QCOMPARE(json::parse(second.body)["result"].get<std::string>(), std::string("appended"));
        QCOMPARE(loadCase(caseIdOf(first)).deliveries(), 2u);
    }

    void signedSourceNeedsAValidSignature()
    {
        const std::string body = json{{"idempotency_key", "bank-1"}, {"title", "Vendor bank change"},
                                      {"type", "vendor_bank_change"}}
                                     .dump();
        const auto now = QDateTime::currentSecsSinceEpoch();
        const std::string target = "/intake/webhook?source=erp";
        auto r = client()->post(target, body, {{"X-Latch-Signature", latch::intake::signBody(body, kHmac, now)}});
        QCOMPARE(r.status, 201u);
        const int before = caseCount();
        const std::string other = json{{"idempotency_key", "bank-2"}, {"title", "Forged"}}.dump();
        r = client()->post(target, other, {{"X-Latch-Signature", latch::intake::signBody(other, "wrong-secret-0123456789", now)}});
        QCOMPARE(r.status, 403u);
        QCOMPARE(errorCodeOf(r), std::string("intake.bad_signature"));
        // A signature of another body, and a signature too old to be fresh.
        r = client()->post(target, other, {{"X-Latch-Signature", latch::intake::signBody(body, kHmac, now)}});
        QCOMPARE(r.status, 403u);
        r = client()->post(target, other, {{"X-Latch-Signature", latch::intake::signBody(other, kHmac, now - 3600)}});
        QCOMPARE(r.status, 403u);
        // A token is no use for a signed source, nor the source's name from a header alone.
        r = client()->post(target, other, {{"Authorization", std::string("Bearer ") + kToken}});
        QCOMPARE(r.status, 401u);
        QCOMPARE(caseCount(), before);
    }

    void badDeliveriesAreRefusedAndCreateNothing_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("auth");
        QTest::addColumn<uint>("status");
        QTest::addColumn<QString>("code");
        const QString good = QStringLiteral("Bearer ") + kToken;
        const QString src = QStringLiteral("/intake/webhook?source=billing-portal");
        QTest::newRow("no token") << src << body({{"idempotency_key", "b1"}, {"title", "x"}})
                                  << QString() << 401u << "intake.unauthorized";
        QTest::newRow("wrong token") << src << body({{"idempotency_key", "b1"}, {"title", "x"}})
                                     << "Bearer not-the-token-0123456789" << 401u << "intake.bad_token";
        QTest::newRow("unknown source") << "/intake/webhook?source=nobody"
                                        << body({{"idempotency_key", "b1"}, {"title", "x"}}) << good
                                        << 404u << "intake.unknown_source";
        QTest::newRow("two sources, none named") << "/intake/webhook"
                                                 << body({{"idempotency_key", "b1"}, {"title", "x"}})
                                                 << good << 400u << "intake.source_required";
        QTest::newRow("malformed json") << src << QByteArray("{\"idempotency_key\": \"b1\", \"title\": ")
                                        << good << 400u << "intake.malformed";
        QTest::newRow("not an object") << src << QByteArray("[1,2]") << good << 400u << "intake.malformed";
        QTest::newRow("unknown key") << src << body({{"idempotency_key", "b1"}, {"title", "x"}, {"amonut", "5 USD"}})
                                     << good << 400u << "intake.malformed";
        QTest::newRow("no key") << src << body({{"title", "x"}}) << good << 400u << "intake.malformed";
        QTest::newRow("no title") << src << body({{"idempotency_key", "b1"}}) << good << 400u << "intake.malformed";
        QTest::newRow("bad amount") << src << body({{"idempotency_key", "b1"}, {"title", "x"}, {"amount", "12,34 XYZ"}})
                                    << good << 400u << "intake.malformed";
        QTest::newRow("wrong field type") << src << body({{"idempotency_key", "b1"}, {"title", 7}})
                                          << good << 400u << "intake.malformed";
        QTest::newRow("core refuses") << src
                                      << body({{"idempotency_key", "b1"}, {"title", std::string(300, 'x')}})
                                      << good << 422u << "case.bad_title";
        QTest::newRow("alert with the webhook's token")
            << "/intake/alertmanager" << body({{"version", "4"}, {"alerts", json::array()}}) << good
            << 401u << "intake.bad_token";
        QTest::newRow("alert without alerts") << "/intake/alertmanager" << body({{"version", "4"}, {"alerts", json::array()}})
                                              << QStringLiteral("Bearer ") + kAlertToken << 400u << "intake.malformed";
        QTest::newRow("alert without fingerprint")
            << "/intake/alertmanager" << body({{"version", "4"}, {"alerts", json::array({json{{"status", "firing"}, {"labels", json::object()}}})}})
            << QStringLiteral("Bearer ") + kAlertToken << 400u << "intake.malformed";
    }

    void badDeliveriesAreRefusedAndCreateNothing()
    {
        QFETCH(QString, target);
        QFETCH(QByteArray, body);
        QFETCH(QString, auth);
        QFETCH(uint, status);
        QFETCH(QString, code);
        const int before = caseCount();
        latch::fakes::Headers headers{{"Content-Type", "application/json"}};
        if (!auth.isEmpty())
            headers.emplace_back("Authorization", auth.toStdString());
        const auto r = client()->post(target.toStdString(), body.toStdString(), headers);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, status);
        QCOMPARE(QString::fromStdString(errorCodeOf(r)), code);
        QVERIFY2(!json::parse(r.body)["error"].value("message", std::string()).empty(), r.body.c_str());
        QCOMPARE(caseCount(), before);
    }

    void oversizedBodyIsRefused()
    {
        const int before = caseCount();
        const std::string big = json{{"idempotency_key", "big"}, {"title", "big"},
                                     {"description", std::string(70'000, 'a')}}
                                    .dump();
        const auto r = postWebhook(big);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 413u);
        QCOMPARE(errorCodeOf(r), std::string("intake.too_large"));
        QCOMPARE(caseCount(), before);
        // The server is still there for the next delivery.
        QCOMPARE(postWebhook(json{{"idempotency_key", "after-big"}, {"title", "small"}}.dump()).status, 201u);
    }

    void alertsThreadByFingerprint()
    {
        auto r = postAlert(notification({alert("fp-a", "firing"), alert("fp-b", "firing", "DiskFull")}));
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 201u);
        const auto cases = json::parse(r.body)["cases"];
        QCOMPARE(int(cases.size()), 2);
        const std::string a = cases[0]["case_id"];
        const std::string b = cases[1]["case_id"];
        QVERIFY(a != b);
        auto c = loadCase(a);
        QCOMPARE(c.type(), std::string("escalation"));
        QCOMPARE(c.alert_status(), std::string("firing"));
        QCOMPARE(c.title(), std::string("PaymentsLatencyHigh: p99 latency above 2 s"));

        // Alertmanager repeats the still-firing alert: it joins the open case.
        r = postAlert(notification({alert("fp-a", "firing")}));
        QCOMPARE(r.status, 200u);
        QCOMPARE(caseIdOf(r), a);
        QCOMPARE(loadCase(a).deliveries(), 2u);

        // Resolved: the case says so.
        r = postAlert(notification({alert("fp-a", "resolved")}));
        QCOMPARE(caseIdOf(r), a);
        c = loadCase(a);
        QCOMPARE(c.alert_status(), std::string("resolved"));
        const auto events = actionharness::timeline(*m_server, a);
        const auto last = std::find_if(events.rbegin(), events.rend(),
                                       [](const auto& e) { return e.has_intake_received(); });
        QVERIFY(last != events.rend());
        QCOMPARE(last->intake_received().alert_status(), std::string("resolved"));

        // Closed, then firing again: a new incident, a new case.
        latch::v1::Command close;
        close.mutable_close()->set_case_id(a);
        close.mutable_close()->set_reason("fixed");
        QVERIFY(actionharness::as(*m_server, "mkim", close)->accepted());
        r = postAlert(notification({alert("fp-a", "firing")}));
        QCOMPARE(r.status, 201u);
        QVERIFY(caseIdOf(r) != a);
    }

    void serverRefusesToStartWithoutASourceSecret()
    {
        const QByteArray saved = qgetenv(kHmacEnv);
        qunsetenv(kHmacEnv);
        auto restore = qScopeGuard([&] { qputenv(kHmacEnv, saved); });
        ServerProcess server;
        QVERIFY(!server.start({QStringLiteral("--config"), m_dir.filePath("latch.yaml")}, 10000));
        QVERIFY2(server.output().contains("LATCH_TEST_INTAKE_HMAC"), qPrintable(server.output()));
        QVERIFY2(server.output().contains("erp"), qPrintable(server.output()));
    }
};

QTEST_GUILESS_MAIN(IntakeEndpointTest)
#include "intakeendpointtest.moc"
