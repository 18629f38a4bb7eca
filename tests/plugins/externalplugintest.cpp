// External plugins end to end: the real latch-server with plugins.external.dir pointing at a
// directory holding the example plugin (resources/plugins/latch-ticket, run against a fake
// helpdesk API) and small test plugins written here, which misbehave as a case field asks:
// crash, hang, write garbage or an oversized frame. Each misbehaviour must be contained (the
// server keeps answering, the run is recorded with the right state and code, the plugin works
// again once it behaves), and a plugin speaking another protocol is refused at the handshake.
#include "actionharness.h"
#include "fakeerp.h"
#include "serverprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace latch;
using latch::fakes::FakeErp;

namespace {

const char* kTicketToken = "tk_test_4f1c9a7e2b";
const char* kProbeSecret = "probe-secret-93b1d5";

// Misbehaves as the case's "mode" field says: "<what>-<request>" with what in crash, hang, slow,
// garbage, oversize, refuse, leak. Its name is its file name unless PROBE_NAME says otherwise;
// it notes the key of every run it carries out in PROBE_LOG.
const char* kProbe = R"PY(#!/usr/bin/env python3
import json, os, struct, sys, time
NAME = os.environ.get("PROBE_NAME") or os.path.basename(sys.argv[0])
SECRET = os.environ.get("LATCH_TEST_PROBE_SECRET", "")

def read():
    h = sys.stdin.buffer.read(4)
    if len(h) < 4:
        return None
    return json.loads(sys.stdin.buffer.read(struct.unpack(">I", h)[0]))

def raw(b):
    sys.stdout.buffer.write(b)
    sys.stdout.buffer.flush()

def write(m):
    b = json.dumps(m).encode()
    raw(struct.pack(">I", len(b)) + b)

while (m := read()) is not None:
    method, p = m["method"], m.get("params", {})
    if method == "hello":
        write({"id": m["id"], "result": {"protocol": "latch-plugin/1", "name": NAME,
                                         "version": "0.1", "actions": [NAME + ".act"]}})
        continue
    case = p["case"]
    mode = case["fields"].get("mode", "ok")
    if method == "run" and os.environ.get("PROBE_LOG"):
        with open(os.environ["PROBE_LOG"], "a") as log:
            log.write(p["request"]["idempotency_key"] + "\n")
    if mode == "crash-" + method:
        print(NAME + ": crashing in " + method, file=sys.stderr, flush=True)
        os._exit(7)
    if mode == "hang-" + method:
        time.sleep(3600)
    if mode == "garbage-" + method:
        raw(b"\x00\x00\x00\x05hello")
        time.sleep(3600)
    if mode == "oversize-" + method:
        raw(b"\x7f\xff\xff\xff" + b"x" * 100)
        time.sleep(3600)
    if mode == "slow-" + method:
        time.sleep(2)
    if mode == "refuse-" + method:
        write({"id": m["id"], "error": {"code": "not_today", "message": "the probe says no"}})
        continue
    if method == "offers":
        result = {"actions": [{"action": NAME + ".act", "label": "Probe " + NAME}]}
    elif method == "plan":
        result = {"plan": {"mode": mode, "case": case["id"]}, "summary": "Probe in mode " + mode}
    else:
        if mode == "leak-run":
            print(NAME + ": the secret is " + SECRET, file=sys.stderr, flush=True)
        result = {"state": "succeeded", "external_id": "P-" + case["id"][:8],
                  "external_status": "done", "request": {"probe": p["request"]["plan"]},
                  "response": "ok " + (SECRET if mode == "leak-run" else ""),
                  "message": "probed"}
    write({"id": m["id"], "result": result})
)PY";

// Answers the hello with a protocol this server does not speak.
const char* kOldProtocol = R"PY(#!/usr/bin/env python3
import json, struct, sys
m = json.loads(sys.stdin.buffer.read(struct.unpack(">I", sys.stdin.buffer.read(4))[0]))
b = json.dumps({"id": m["id"], "result": {"protocol": "latch-plugin/0", "name": "oldproto",
                "version": "0.9", "actions": ["oldproto.act"]}}).encode()
sys.stdout.buffer.write(struct.pack(">I", len(b)) + b)
sys.stdout.buffer.flush()
sys.stdin.buffer.read()
)PY";

bool writeFile(const QString& path, const QByteArray& bytes, bool executable)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    out.write(bytes);
    out.close();
    if (executable)
        out.setPermissions(out.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeUser);
    return true;
}

} // namespace

class ExternalPluginTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void handshakeRefusesOtherProtocolsAndTakenNames();
    void ticketIsOfferedPlannedAndRun();
    void crashMidRunIsUnknownAndTheServerLivesOn();
    void crashInOffersRestartsAfterBackoff();
    void hangingOffersTimesOutWithoutStallingTheServer();
    void hangingRunIsUnknownAfterTheRunTimeout();
    void garbageAndOversizedFramesAreContained();
    void refusalsAndSecretsAreRecordedAsTold();
    void runThatCannotStartIsFailedWithNothingSent();
    void stopDuringRunResumesItWithTheSameKey();
    void badPluginConfigStopsTheStart();
    void cleanupTestCase();

private:
    // The config in m_dir, its plugins in `pluginsDir` (relative to it).
    QString writeConfig(const QString& pluginsDir, const QString& extra = {});
    std::string createCase(const std::string& type, const std::string& mode = {});
    std::optional<v1::CommandResult> as(const QString& user, v1::Command command);
    v1::CommandResult run(
        const std::string& caseId, const std::string& action, const std::string& planHash = {});
    std::optional<v1::QueryResult> query(v1::Query q);
    std::vector<std::string> offered(const std::string& caseId);
    std::vector<v1::Event> timeline(const std::string& caseId);
    std::optional<v1::ActionFinished> waitFinished(
        const std::string& caseId, int timeoutMs = 20000);
    bool noteAccepted(const std::string& caseId);

    FakeErp m_erp;
    QTemporaryDir m_dir;
    QString m_plugins;
    QString m_config;
    std::unique_ptr<ServerProcess> m_server;
    int m_cases = 0;
};

QString ExternalPluginTest::writeConfig(const QString& pluginsDir, const QString& extra)
{
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    if (!sample.open(QIODevice::ReadOnly))
        return {};
    QString yaml = QString::fromUtf8(sample.readAll());
    yaml += QStringLiteral("\nplugins:\n  external:\n    dir: %1\n    call_timeout_ms: 1500\n"
                           "    run_timeout_ms: 4000\n    restart_backoff_ms: 300\n"
                           "    max_frame_bytes: 65536\n%2")
                .arg(pluginsDir, extra);
    const QString path = m_dir.filePath(QStringLiteral("latch-%1.yaml").arg(qHash(extra)));
    return writeFile(path, yaml.toUtf8(), false) ? path : QString();
}

void ExternalPluginTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
    m_erp.start();
    m_erp.route(
        "POST", "/api/tickets", 201, nlohmann::json { { "id", "T-1001" }, { "status", "open" } });
    qputenv("LATCH_TICKET_TOKEN", kTicketToken);
    qputenv("LATCH_TEST_PROBE_SECRET", kProbeSecret);

    m_plugins = m_dir.filePath(QStringLiteral("plugins"));
    QVERIFY(QDir().mkpath(m_plugins));
    QFile example(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/plugins/latch-ticket");
    QVERIFY2(example.open(QIODevice::ReadOnly), "the example plugin is missing");
    QVERIFY(writeFile(m_plugins + "/latch-ticket", example.readAll(), true));
    QVERIFY(writeFile(m_plugins + "/probe", kProbe, true));
    QVERIFY(writeFile(m_plugins + "/swap", kProbe, true));
    QVERIFY(writeFile(m_plugins + "/fakestripe", kProbe, true));
    QVERIFY(writeFile(m_plugins + "/oldproto", kOldProtocol, true));
    QVERIFY(writeFile(m_plugins + "/notes.txt", "not a plugin\n", false));

    m_config = writeConfig(QStringLiteral("plugins"),
        QStringLiteral("    executables:\n"
                       "      latch-ticket:\n"
                       "        env: {LATCH_TICKET_URL: \"%1\"}\n"
                       "        secret_env: [LATCH_TICKET_TOKEN]\n"
                       "      probe:\n"
                       "        env: {PROBE_LOG: \"%2\"}\n"
                       "        secret_env: [LATCH_TEST_PROBE_SECRET]\n"
                       "      fakestripe:\n"
                       "        env: {PROBE_NAME: stripe}\n")
            .arg(QString::fromStdString(m_erp.url("/api/tickets")),
                m_dir.filePath(QStringLiteral("probe-runs.log"))));
    QVERIFY(!m_config.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_server->start({ QStringLiteral("--config"), m_config, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
}

std::optional<v1::CommandResult> ExternalPluginTest::as(const QString& user, v1::Command command)
{
    return actionharness::as(*m_server, user, std::move(command));
}

std::optional<v1::QueryResult> ExternalPluginTest::query(v1::Query q)
{
    return actionharness::query(*m_server, "mkim", std::move(q));
}

std::string ExternalPluginTest::createCase(const std::string& type, const std::string& mode)
{
    std::vector<std::pair<std::string, std::string>> fields { { "priority", "high" } };
    if (!mode.empty())
        fields.emplace_back("mode", mode);
    return actionharness::createCase(*m_server, "mkim", type,
        "Customer escalation #" + std::to_string(++m_cases), "Acme Co", 0, fields);
}

v1::CommandResult ExternalPluginTest::run(
    const std::string& caseId, const std::string& action, const std::string& planHash)
{
    return actionharness::run(*m_server, "mkim", caseId, action, planHash);
}

std::vector<std::string> ExternalPluginTest::offered(const std::string& caseId)
{
    v1::Query q;
    q.mutable_list_actions()->set_case_id(caseId);
    const auto r = query(q);
    std::vector<std::string> actions;
    if (r && r->ok()) {
        for (const auto& a : r->actions())
            actions.push_back(a.action());
    }
    return actions;
}

bool ExternalPluginTest::noteAccepted(const std::string& caseId)
{
    v1::Command note;
    note.mutable_add_note()->set_case_id(caseId);
    note.mutable_add_note()->set_text("still here");
    const auto r = as("mkim", note);
    return r && r->accepted();
}

std::vector<v1::Event> ExternalPluginTest::timeline(const std::string& caseId)
{
    return actionharness::timeline(*m_server, caseId);
}

std::optional<v1::ActionFinished> ExternalPluginTest::waitFinished(
    const std::string& caseId, int timeoutMs)
{
    return actionharness::waitFinished(*m_server, caseId, timeoutMs);
}

static bool has(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

void ExternalPluginTest::handshakeRefusesOtherProtocolsAndTakenNames()
{
    const QString log = m_server->output();
    QVERIFY2(log.contains(QRegularExpression("oldproto refused \\(plugin\\.version\\): oldproto "
                                             "speaks latch-plugin/0; this server speaks "
                                             "latch-plugin/1")),
        qPrintable(log));
    QVERIFY2(log.contains(QRegularExpression("fakestripe refused \\(plugin\\.name_taken\\): it "
                                             "calls itself stripe")),
        qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("notes.txt is not an executable file; skipped")),
        qPrintable(log));
    QVERIFY2(
        log.contains(QStringLiteral("is plugin ticket 1.0.0 (latch-plugin/1")), qPrintable(log));
    const std::string id = createCase("escalation");
    QVERIFY(!id.empty());
    const auto actions = offered(id);
    QVERIFY(has(actions, "ticket.open"));
    QVERIFY(has(actions, "probe.act"));
    QVERIFY(!has(actions, "oldproto.act"));
    QVERIFY(!has(actions, "stripe.act"));
    // Refused plugins are not left running.
    QProcess ps;
    ps.start("pgrep", { "-f", m_plugins + "/oldproto" });
    ps.waitForFinished(5000);
    QVERIFY2(ps.readAllStandardOutput().trimmed().isEmpty(), "the refused plugin still runs");
}

void ExternalPluginTest::ticketIsOfferedPlannedAndRun()
{
    const std::string id = createCase("escalation");
    QVERIFY(!id.empty());
    v1::Query list;
    list.mutable_list_actions()->set_case_id(id);
    const auto offers = query(list);
    QVERIFY(offers && offers->ok());
    const v1::ActionOffer* ticket = nullptr;
    for (const auto& a : offers->actions()) {
        if (a.action() == "ticket.open")
            ticket = &a;
    }
    QVERIFY(ticket);
    QCOMPARE(ticket->label(), std::string("Open a helpdesk ticket"));
    QCOMPARE(ticket->plugin(), std::string("ticket"));
    QVERIFY(ticket->input_schema().find("\"high\"") != std::string::npos);
    QVERIFY2(ticket->allowed_now(), ticket->blocked_reason().c_str());
    // Not offered for a type it does not handle.
    const std::string other = createCase("other");
    QVERIFY(!other.empty());
    const auto otherActions = offered(other);
    QVERIFY(has(otherActions, "probe.act"));
    QVERIFY(!has(otherActions, "ticket.open"));

    v1::Query plan;
    plan.mutable_plan_action()->set_case_id(id);
    plan.mutable_plan_action()->set_action("ticket.open");
    const auto shown = query(plan);
    QVERIFY(shown && shown->ok());
    QVERIFY(shown->plan().plan().find(m_erp.url("/api/tickets")) != std::string::npos);
    QVERIFY(shown->plan().plan().find("\"priority\":\"high\"") != std::string::npos);
    QVERIFY(shown->plan().summary().find("Open a high ticket") != std::string::npos);

    const auto r = run(id, "ticket.open", shown->plan().plan_hash());
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->external_id(), std::string("T-1001"));
    QCOMPARE(finished->external_status(), std::string("open"));
    QCOMPARE(finished->http_status(), 201);

    // The helpdesk got one call: the plan's body, the run's key, the secret token.
    const auto calls = m_erp.requestsTo("POST", "/api/tickets");
    QCOMPARE(calls.size(), std::size_t(1));
    QCOMPARE(calls[0].header("Idempotency-Key").value_or(""), finished->idempotency_key());
    QCOMPARE(calls[0].header("Authorization").value_or(""), std::string("Bearer ") + kTicketToken);
    const auto body = nlohmann::json::parse(calls[0].body);
    QCOMPARE(body["latch_case"].get<std::string>(), id);
    QCOMPARE(body["priority"].get<std::string>(), std::string("high"));

    // The timeline tells the story; the token is in neither the timeline nor the log.
    const auto events = timeline(id);
    QVERIFY(!events.empty());
    QCOMPARE(events.back().actor(), std::string("plugin:ticket"));
    QVERIFY(finished->request().find("Idempotency-Key: " + finished->idempotency_key())
        != std::string::npos);
    QVERIFY(finished->response().find("T-1001") != std::string::npos);
    for (const auto& e : events)
        QVERIFY(e.DebugString().find(kTicketToken) == std::string::npos);
    QVERIFY(!m_server->output().contains(QLatin1String(kTicketToken)));
    // Its stderr reached the server log.
    QVERIFY2(
        m_server->output().contains(QStringLiteral("latch-ticket: opening a ticket for case %1")
                                        .arg(QString::fromStdString(id))),
        qPrintable(m_server->output()));
}

void ExternalPluginTest::crashMidRunIsUnknownAndTheServerLivesOn()
{
    const std::string id = createCase("other", "crash-run");
    QVERIFY(!id.empty());
    const auto r = run(id, "probe.act");
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    // The request had reached it: it may have acted, so the outcome is not guessed.
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("plugin.crashed"));
    QVERIFY2(finished->message().find("exited with status 7") != std::string::npos,
        finished->message().c_str());
    QVERIFY(m_server->output().contains(QStringLiteral("probe: crashing in run")));
    // Not run again while its outcome is unknown.
    QCOMPARE(run(id, "probe.act").code(), std::string("action.outcome_unknown"));

    // The server answers, and the plugin runs for the next case.
    QVERIFY(noteAccepted(id));
    const std::string ok = createCase("other");
    QVERIFY(run(ok, "probe.act").accepted());
    const auto good = waitFinished(ok);
    QVERIFY(good);
    QCOMPARE(good->state(), v1::ACTION_STATE_SUCCEEDED);
    QVERIFY(good->request().find("\"mode\":\"ok\"") != std::string::npos);
}

void ExternalPluginTest::crashInOffersRestartsAfterBackoff()
{
    const std::string bad = createCase("other", "crash-offers");
    QVERIFY(!has(offered(bad), "probe.act"));
    QVERIFY2(m_server->output().contains(
                 QRegularExpression("probe: plugin\\.crashed: probe exited with status 7 before "
                                    "answering offers; stopped it")),
        qPrintable(m_server->output()));
    const std::string ok = createCase("other");
    QVERIFY(!ok.empty());
    QTRY_VERIFY_WITH_TIMEOUT(has(offered(ok), "probe.act"), 10000);
    QVERIFY(m_server->output().contains(QStringLiteral("probe started again")));
}

void ExternalPluginTest::hangingOffersTimesOutWithoutStallingTheServer()
{
    const std::string hang = createCase("other", "hang-offers");
    QElapsedTimer clock;
    clock.start();
    const auto actions = offered(hang);
    QVERIFY(!has(actions, "probe.act"));
    QVERIFY2(clock.elapsed() < 5000, "offers waited far past call_timeout_ms");
    QVERIFY2(m_server->output().contains(
                 QRegularExpression("probe: plugin\\.timeout: probe did not answer offers within "
                                    "[0-9]+ ms")),
        qPrintable(m_server->output()));
    // A command deciding on the writer thread is bounded too, and refused cleanly.
    clock.restart();
    const auto refused = run(hang, "probe.act");
    QCOMPARE(refused.code(), std::string("action.unavailable"));
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(noteAccepted(hang));
    const std::string ok = createCase("other");
    QTRY_VERIFY_WITH_TIMEOUT(has(offered(ok), "probe.act"), 10000);
    // The hung process was ended, not left behind: only the running copies remain.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QProcess ps;
            ps.start("pgrep", { "-c", "-f", m_plugins + "/probe" });
            ps.waitForFinished(5000);
            return ps.readAllStandardOutput().trimmed() == "1";
        }(),
        10000);
}

void ExternalPluginTest::hangingRunIsUnknownAfterTheRunTimeout()
{
    const std::string id = createCase("other", "hang-run");
    QVERIFY(run(id, "probe.act").accepted());
    // While it hangs the server answers, and offers for other cases come from the other process.
    QTest::qWait(500);
    QVERIFY(noteAccepted(id));
    QVERIFY(has(offered(createCase("other")), "probe.act"));
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("plugin.timeout"));
    QVERIFY2(finished->message().find("did not answer run within") != std::string::npos,
        finished->message().c_str());
    QVERIFY(finished->message().find("may have acted") != std::string::npos);
}

void ExternalPluginTest::garbageAndOversizedFramesAreContained()
{
    const std::string garbage = createCase("other", "garbage-plan");
    v1::Query plan;
    plan.mutable_plan_action()->set_case_id(garbage);
    plan.mutable_plan_action()->set_action("probe.act");
    const auto shown = query(plan);
    QVERIFY(shown);
    QVERIFY(!shown->ok());
    QCOMPARE(shown->code(), std::string("plugin.protocol"));
    QVERIFY2(shown->message().find("not valid UTF-8 JSON") != std::string::npos,
        shown->message().c_str());

    const std::string ok = createCase("other");
    QTRY_VERIFY_WITH_TIMEOUT(has(offered(ok), "probe.act"), 10000);

    const std::string huge = createCase("other", "oversize-run");
    QVERIFY(run(huge, "probe.act").accepted());
    const auto finished = waitFinished(huge);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(finished->code(), std::string("plugin.protocol"));
    QVERIFY2(finished->message().find("more than the maximum of 65536") != std::string::npos,
        finished->message().c_str());
    QVERIFY(noteAccepted(huge));
    QVERIFY(run(ok, "probe.act").accepted());
    const auto good = waitFinished(ok);
    QVERIFY(good);
    QCOMPARE(good->state(), v1::ACTION_STATE_SUCCEEDED);
}

void ExternalPluginTest::refusalsAndSecretsAreRecordedAsTold()
{
    const std::string refuse = createCase("other", "refuse-run");
    QVERIFY(run(refuse, "probe.act").accepted());
    auto finished = waitFinished(refuse);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("probe.not_today"));
    QCOMPARE(finished->message(), std::string("the probe says no"));

    const std::string leak = createCase("other", "leak-run");
    QVERIFY(run(leak, "probe.act").accepted());
    finished = waitFinished(leak);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(finished->response(), std::string("ok [redacted]"));
    QVERIFY(m_server->output().contains(QStringLiteral("probe: the secret is [redacted]")));
    QVERIFY(!m_server->output().contains(QLatin1String(kProbeSecret)));
    for (const auto& e : timeline(leak))
        QVERIFY(e.DebugString().find(kProbeSecret) == std::string::npos);
}

void ExternalPluginTest::runThatCannotStartIsFailedWithNothingSent()
{
    const std::string id = createCase("other");
    QVERIFY(has(offered(id), "swap.act"));
    // The installed file breaks after its offers process started: the run's own process exits
    // before the handshake, so the request never reached a plugin.
    QVERIFY(writeFile(
        m_plugins + "/swap.new", "#!/bin/sh\necho 'swap: broken install' >&2\nexit 4\n", true));
    QVERIFY(QFile::remove(m_plugins + "/swap"));
    QVERIFY(QFile::rename(m_plugins + "/swap.new", m_plugins + "/swap"));
    QVERIFY(run(id, "swap.act").accepted());
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(finished->code(), std::string("plugin.crashed"));
    QVERIFY2(finished->message().find("nothing was sent") != std::string::npos,
        finished->message().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(
        m_server->output().contains(QStringLiteral("swap: broken install")), 5000);
}

void ExternalPluginTest::stopDuringRunResumesItWithTheSameKey()
{
    const std::string id = createCase("other", "slow-run");
    QVERIFY(run(id, "probe.act").accepted());
    QTest::qWait(700); // the run's process has the request and takes its time
    QCOMPARE(m_server->stop(), 0);
    // Stopping ended the run's process; the run is owed, not recorded.
    QProcess ps;
    ps.start("pgrep", { "-f", m_plugins + "/" });
    ps.waitForFinished(5000);
    QVERIFY2(ps.readAllStandardOutput().trimmed().isEmpty(), "a plugin outlived the server");

    QVERIFY2(m_server->start({ QStringLiteral("--config"), m_config, QStringLiteral("--demo") }),
        qPrintable(m_server->lastError()));
    const auto finished = waitFinished(id);
    QVERIFY(finished);
    QCOMPARE(finished->state(), v1::ACTION_STATE_SUCCEEDED);
    QVERIFY2(m_server->output().contains(QStringLiteral("resuming 1 action run")),
        qPrintable(m_server->output()));
    int results = 0;
    for (const auto& e : timeline(id))
        results += e.has_action_finished();
    QCOMPARE(results, 1);
    // The plugin was given the run twice, with the same key: cut, then resumed.
    QFile log(m_dir.filePath(QStringLiteral("probe-runs.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QCOMPARE(log.readAll().count(QByteArray::fromStdString(finished->idempotency_key())), 2);
}

void ExternalPluginTest::badPluginConfigStopsTheStart()
{
    // A settings entry for a file that is not there is a typo, not something to skip.
    ServerProcess typo(m_dir.filePath(QStringLiteral("typo")));
    QVERIFY(!typo.start({ QStringLiteral("--config"),
                            writeConfig(QStringLiteral("plugins"),
                                QStringLiteral("    executables:\n      latch-tikcet: {}\n")) },
        10000));
    QVERIFY2(typo.output().contains(QStringLiteral("there is no executable latch-tikcet in")),
        qPrintable(typo.output()));
    // A secret that is not set.
    ServerProcess unset(m_dir.filePath(QStringLiteral("unset")));
    QVERIFY(!unset.start({ QStringLiteral("--config"),
                             writeConfig(QStringLiteral("plugins"),
                                 QStringLiteral("    executables:\n      probe: {secret_env: "
                                                "[LATCH_TEST_NOT_SET]}\n")) },
        10000));
    QVERIFY2(unset.output().contains(QStringLiteral("LATCH_TEST_NOT_SET is not set")),
        qPrintable(unset.output()));
    // A bad value names the key.
    ServerProcess slow(m_dir.filePath(QStringLiteral("slow")));
    QVERIFY(!slow.start(
        { QStringLiteral("--config"),
            writeConfig(QStringLiteral("plugins"), QStringLiteral("    start_timeout_ms: 0\n")) },
        10000));
    QVERIFY2(slow.output().contains(QStringLiteral("plugins.external.start_timeout_ms")),
        qPrintable(slow.output()));
}

void ExternalPluginTest::cleanupTestCase()
{
    // An orderly stop ends every plugin process it started.
    if (!m_server)
        return;
    QCOMPARE(m_server->stop(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QProcess ps;
            ps.start("pgrep", { "-f", m_plugins + "/" });
            ps.waitForFinished(5000);
            return ps.readAllStandardOutput().trimmed().isEmpty();
        }(),
        5000);
}

QTEST_GUILESS_MAIN(ExternalPluginTest)
#include "externalplugintest.moc"
