// The case screen's plugin actions against a real latch-server whose Stripe plugin talks to the
// local FakeStripe (tests/fakes): M. Kim opens a refund with a payment_intent; the panel lists
// stripe.refund from the server's offers, disabled with the gate's reason; once finance approves
// (from another connection) it becomes runnable; "Show plan" shows the summary with the amount
// and the exact parameters; "Run" sends that plan and the timeline shows the request and then the
// succeeded result, with Stripe's answer. Offline, the panel says actions need the server.
#include "fakestripe.h"
#include "serverprocess.h"
#include "sync/appsession.h"
#include "uidriver.h"
#include "wsclient.h"

#include <QFile>
#include <QQuickItem>
#include <QTemporaryDir>
#include <QUuid>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(LatchPlugin)

using latch::app::AppSession;
using latch::fakes::FakeStripe;
namespace v1 = latch::v1;

namespace {

const char* kKeyEnv = "LATCH_TEST_APP_STRIPE_KEY";

std::unique_ptr<AppSession> newSession(const QString& dataDir)
{
    return newTestSession(dataDir, QStringLiteral("actionspaneltest"));
}

bool rowsContain(const QStringList& rows, const QString& part)
{
    return std::any_of(rows.begin(), rows.end(), [&](const QString& r) { return r.contains(part); });
}

QVariantMap offer(QObject* controller, const QString& action)
{
    for (const auto& entry : controller->property("actions").toList()) {
        if (entry.toMap().value(QStringLiteral("action")).toString() == action)
            return entry.toMap();
    }
    return {};
}

} // namespace

class ActionsPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refundIsGatedThenPlannedAndRun();

private:
    QString writeConfig();
    std::optional<v1::CommandResult> as(const QString& user, v1::Command command);

    FakeStripe m_stripe;
    QTemporaryDir m_dirs;
    std::unique_ptr<ServerProcess> m_server;
};

QString ActionsPanelTest::writeConfig()
{
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    if (!sample.open(QIODevice::ReadOnly))
        return {};
    QString yaml = QString::fromUtf8(sample.readAll());
    yaml += QStringLiteral("\nplugins:\n  stripe:\n    enabled: true\n    base_url: %1\n"
                           "    api_key_env: %2\n    retry_base_ms: 20\n")
                .arg(QString::fromStdString(m_stripe.baseUrl()), QLatin1String(kKeyEnv));
    const QString path = m_dirs.filePath(QStringLiteral("latch.yaml"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(yaml.toUtf8());
    return path;
}

void ActionsPanelTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("actionspaneltest"));
    QStandardPaths::setTestModeEnabled(true);
    UiDriver::prepareApplication();
    QVERIFY(m_dirs.isValid());
    m_stripe.start();
    qputenv(kKeyEnv, FakeStripe::kDefaultApiKey);
    const QString config = writeConfig();
    QVERIFY(!config.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dirs.filePath(QStringLiteral("server")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), config, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
}

std::optional<v1::CommandResult> ActionsPanelTest::as(const QString& user, v1::Command command)
{
    WsClient client;
    if (!client.open(m_server->url()))
        return std::nullopt;
    const QString token = client.login(user, kDemoPassword);
    if (token.isEmpty() || !client.hello(token))
        return std::nullopt;
    command.set_command_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    return client.command(command);
}

void ActionsPanelTest::refundIsGatedThenPlannedAndRun()
{
    m_stripe.addPaymentIntent("pi_app_refund", 240000);
    v1::Command create;
    auto* c = create.mutable_create_case();
    c->set_type("refund");
    c->set_title("Refund request — Acme Co order #4990");
    c->set_customer("Acme Co");
    c->mutable_amount()->set_minor(240000);
    c->mutable_amount()->set_currency("USD");
    auto* field = c->add_fields();
    field->set_key("payment_intent");
    field->set_value("pi_app_refund");
    const auto created = as(QStringLiteral("mkim"), create);
    QVERIFY(created && created->accepted());
    const QString caseId = QString::fromStdString(created->case_id());

    auto session = newSession(m_dirs.filePath(QStringLiteral("mkim")));
    UiDriver ui(session.get());
    QVERIFY(ui.loaded());
    QVERIFY2(ui.signIn(m_server->url(), QStringLiteral("mkim"), kDemoPassword, kTestPassphrase),
        qPrintable(session->errorCode() + QLatin1Char(' ') + session->errorMessage()));
    QObject* queue = ui.find(QStringLiteral("queuePage"));
    QVERIFY(queue);
    QTRY_VERIFY_WITH_TIMEOUT(
        queue->property("model").value<QObject*>()->property("count").toInt() >= 1, 15000);
    ui.call(QStringLiteral("workspacePage"), "openCase", { caseId });
    QObject* controller = ui.caseController();
    QVERIFY(controller);
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("loaded").toBool(), 15000);

    // --- before approval: listed from the server's offers, Run disabled with the gate's reason ---
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("actionsKnown").toBool(), 15000);
    QVariantMap refund = offer(controller, QStringLiteral("stripe.refund"));
    QCOMPARE(refund.value(QStringLiteral("label")).toString(), QStringLiteral("Refund via Stripe"));
    QCOMPARE(refund.value(QStringLiteral("gated")).toBool(), true);
    QCOMPARE(refund.value(QStringLiteral("allowedNow")).toBool(), false);
    const QString gateReason = refund.value(QStringLiteral("blockedReason")).toString();
    QVERIFY(!gateReason.isEmpty());
    QVERIFY(ui.waitForItem(QStringLiteral("runButton_stripe.refund")));
    QCOMPARE(ui.property(QStringLiteral("runButton_stripe.refund"), "enabled").toBool(), false);
    QVERIFY(!ui.click(QStringLiteral("runButton_stripe.refund")));
    QCOMPARE(ui.property(QStringLiteral("actionReason_stripe.refund"), "text").toString(),
        gateReason);

    // --- M. Kim marks it ready; finance approves from another computer ---
    QVERIFY(ui.click(QStringLiteral("markReadyButton")));
    QTRY_COMPARE_WITH_TIMEOUT(
        controller->property("status").toString(), QStringLiteral("awaiting_approval"), 15000);
    v1::Command approve;
    approve.mutable_approve()->set_case_id(caseId.toStdString());
    approve.mutable_approve()->set_comment("checked the order");
    const auto approved = as(QStringLiteral("atorres"), approve);
    QVERIFY2(approved && approved->accepted(), approved ? approved->message().c_str() : "no answer");
    QTRY_COMPARE_WITH_TIMEOUT(
        controller->property("status").toString(), QStringLiteral("approved"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(
        offer(controller, QStringLiteral("stripe.refund")).value("allowedNow").toBool(), 15000);
    // Allowed, but Run sends a plan the user has seen.
    QCOMPARE(ui.property(QStringLiteral("runButton_stripe.refund"), "enabled").toBool(), false);

    // --- Show plan: the summary with the amount, and the exact parameters ---
    QVERIFY(ui.click(QStringLiteral("showPlanButton_stripe.refund")));
    QTRY_VERIFY_WITH_TIMEOUT(
        ui.property(QStringLiteral("planSummary"), "text").toString().contains("2,400.00 USD"),
        15000);
    QCOMPARE(ui.property(QStringLiteral("planSummary"), "text").toString(),
        QStringLiteral("Refund 2,400.00 USD of pi_app_refund via Stripe"));
    const QString params = ui.property(QStringLiteral("planParameters"), "text").toString();
    QVERIFY2(params.contains(QStringLiteral("amount = 240000")), qPrintable(params));
    QVERIFY2(params.contains(QStringLiteral("payment_intent = pi_app_refund")), qPrintable(params));
    QVERIFY(ui.property(QStringLiteral("planRequest"), "text").toString().startsWith("POST "));
    QVERIFY(ui.property(QStringLiteral("planRequest"), "text").toString().endsWith("/v1/refunds"));
    QVERIFY(!params.contains(QString::fromLatin1(FakeStripe::kDefaultApiKey)));

    // --- Run: requested, then Stripe's answer on the timeline ---
    QTRY_VERIFY(ui.property(QStringLiteral("runButton_stripe.refund"), "enabled").toBool());
    QVERIFY(ui.click(QStringLiteral("runButton_stripe.refund")));
    QTRY_VERIFY_WITH_TIMEOUT(
        rowsContain(ui.timelineRows(),
            QStringLiteral("action_requested|Refund 2,400.00 USD of pi_app_refund via Stripe "
                           "requested||")),
        15000);
    QTRY_VERIFY_WITH_TIMEOUT(rowsContain(ui.timelineRows(),
                                 QStringLiteral("action_finished|stripe.refund succeeded: re_")),
        30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        offer(controller, QStringLiteral("stripe.refund")).value("lastState").toString(),
        QStringLiteral("succeeded"), 15000);
    QVERIFY(!offer(controller, QStringLiteral("stripe.refund")).value("canRun").toBool());

    // The finished row carries what was sent and what came back.
    auto* timeline = controller->property("timeline").value<QAbstractItemModel*>();
    const int requestRole = timeline->roleNames().key("request");
    const int responseRole = timeline->roleNames().key("response");
    const int failedRole = timeline->roleNames().key("failed");
    const QModelIndex last = timeline->index(timeline->rowCount() - 1, 0);
    QVERIFY(last.data(requestRole).toString().contains(QStringLiteral("/v1/refunds")));
    QVERIFY(last.data(responseRole).toString().contains(QStringLiteral("re_")));
    QCOMPARE(last.data(failedRole).toBool(), false);
    int refunds = 0;
    for (const auto& r : m_stripe.refunds())
        refunds += r.paymentIntent == "pi_app_refund" ? 1 : 0;
    QCOMPARE(refunds, 1);

    // --- offline: the panel says actions need the server, and nothing can be run ---
    session->goOffline();
    QTRY_VERIFY_WITH_TIMEOUT(!session->online(), 15000);
    QTRY_VERIFY(ui.property(QStringLiteral("actionsMessage"), "visible").toBool());
    QVERIFY(ui.property(QStringLiteral("actionsMessage"), "text")
                .toString()
                .contains(QStringLiteral("need the server")));
    QCOMPARE(ui.property(QStringLiteral("showPlanButton_stripe.refund"), "enabled").toBool(), false);
    session->goOnline();
}

QTEST_MAIN(ActionsPanelTest)
#include "actionspaneltest.moc"
