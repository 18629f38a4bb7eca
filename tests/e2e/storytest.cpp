// The refund story, end to end: the real latch-server (with --demo users) driven by the real
// latchctl, as an operator and approvers would, checking what they would check. Each user has
// their own latchctl session file (LATCHCTL_CONFIG) so sessions never clash.
#include "latchctlrun.h"
#include "serverprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

namespace {

const QString kPassword = QStringLiteral("latch-demo");
const QString kTitle = QStringLiteral("Refund request — Acme Co order #4821");
const QString kUnreachable = QStringLiteral("ws://127.0.0.1:1/sync"); // nothing listens on port 1

using Run = CtlRun;

QStringList kinds(const QJsonArray& events)
{
    QStringList out;
    for (const auto& e : events)
        out << e.toObject().value("kind").toString();
    return out;
}

QStringList toStrings(const QJsonValue& value)
{
    QStringList out;
    for (const auto& v : value.toArray())
        out << v.toString();
    return out;
}

} // namespace

class StoryTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refundStory();
    void auditFindsTheBlockedAttempts();
    void readableOutputAndShortIds();
    void retryWithTheSameCommandIdIsIdempotent();
    void watchPrintsEventsAsTheyHappen();
    void badAmountFailsBeforeAnythingIsSent();
    void wrongPasswordIsAnAuthenticationFailure();
    void missingOrBadSessionIsAnAuthenticationFailure();
    void unreachableServerExitsFour();
    void sessionFileIsPrivate();
    void tlsIsVerified();
    void cleanupTestCase();

private:
    // Runs latchctl as `user` (their own session file), with --json unless `human`.
    Run ctl(const QString& user, const QStringList& args, bool human = false,
        const QString& server = {}, const QProcessEnvironment& extraEnv = {});
    QString configFor(const QString& user) const { return m_configs.filePath(user + ".json"); }
    void login(const QString& user);
    QString createCase(const QString& user, const QString& title);
    QJsonArray timeline(const QString& user, const QString& caseId);

    ServerProcess m_server;
    QTemporaryDir m_configs;
    QString m_caseId; // the story's case, for the tests that read it afterwards
};

Run StoryTest::ctl(const QString& user, const QStringList& args, bool human, const QString& server,
    const QProcessEnvironment& extraEnv)
{
    QProcessEnvironment env;
    env.insert("LATCHCTL_CONFIG", configFor(user));
    for (const auto& key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    QStringList all { "--server", server.isEmpty() ? m_server.url() : server };
    if (!human)
        all << "--json";
    return runLatchctl(all + args, env);
}

void StoryTest::login(const QString& user)
{
    const Run r = ctl(user, { "login", user, "--password", kPassword });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.object().value("user").toObject().value("username").toString(), user);
}

QString StoryTest::createCase(const QString& user, const QString& title)
{
    const Run r = ctl(user,
        { "case", "create", "--type", "refund", "--title", title, "--customer", "Acme Co",
            "--order", "#4821", "--amount", "$2,400" });
    if (r.exitCode != 0 || !r.object().value("accepted").toBool())
        qWarning("case create failed: %s", qPrintable(r.describe()));
    return r.object().value("case_id").toString();
}

QJsonArray StoryTest::timeline(const QString& user, const QString& caseId)
{
    const Run r = ctl(user, { "timeline", caseId });
    if (r.exitCode != 0)
        qWarning("timeline failed: %s", qPrintable(r.describe()));
    return r.array();
}

void StoryTest::initTestCase()
{
    if (ServerProcess::serverBinary().isEmpty() || ServerProcess::latchctlBinary().isEmpty())
        QFAIL("LATCH_SERVER_BIN and LATCHCTL_BIN must name the built binaries (run through ctest)");
    QVERIFY(m_configs.isValid());
    QVERIFY2(m_server.start({ "--demo" }), qPrintable(m_server.lastError()));
    for (const QString user : { "mkim", "atorres", "jlee" })
        login(user);
}

void StoryTest::refundStory()
{
    // M. Kim opens the refund case.
    Run r = ctl("mkim",
        { "case", "create", "--type", "refund", "--title", kTitle, "--customer", "Acme Co",
            "--order", "#4821", "--amount", "$2,400" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(r.object().value("accepted").toBool());
    m_caseId = r.object().value("case_id").toString();
    QVERIFY(!m_caseId.isEmpty());
    QJsonObject c = r.object().value("case").toObject();
    QCOMPARE(c.value("id").toString(), m_caseId);
    QCOMPARE(c.value("type").toString(), QStringLiteral("refund"));
    QCOMPARE(c.value("title").toString(), kTitle);
    QCOMPARE(c.value("customer").toString(), QStringLiteral("Acme Co"));
    QCOMPARE(c.value("order_ref").toString(), QStringLiteral("#4821"));
    QCOMPARE(c.value("amount").toObject().value("minor").toInteger(), 240000);
    QCOMPARE(c.value("amount").toObject().value("currency").toString(), QStringLiteral("USD"));
    QCOMPARE(c.value("status").toString(), QStringLiteral("in_review"));

    r = ctl(
        "mkim", { "case", "note", m_caseId, "Verified — product defect confirmed by warehouse" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    r = ctl("mkim", { "case", "ready", m_caseId });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    c = r.object().value("case").toObject();
    QCOMPARE(c.value("status").toString(), QStringLiteral("awaiting_approval"));
    QCOMPARE(c.value("rule").toString(), QStringLiteral("refund-above-threshold"));

    // The preparer cannot approve their own case; an operator is not in the approving role.
    r = ctl("mkim", { "case", "approve", m_caseId });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QCOMPARE(r.object().value("accepted").toBool(true), false);
    QCOMPARE(r.object().value("code").toString(), QStringLiteral("approval.self_approval"));
    QVERIFY2(r.err.contains("approval.self_approval"), r.err.constData());

    r = ctl("jlee", { "case", "approve", m_caseId });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QCOMPARE(r.object().value("code").toString(), QStringLiteral("approval.role"));

    // Finance approves.
    r = ctl("atorres", { "case", "approve", m_caseId, "--comment", "Defect confirmed; refund ok" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(
        r.object().value("case").toObject().value("status").toString(), QStringLiteral("approved"));

    // The case tells the whole story, blocked attempts included, in order.
    QJsonArray events = timeline("mkim", m_caseId);
    QCOMPARE(kinds(events),
        (QStringList { "created", "note_added", "marked_ready", "attempt_blocked",
            "attempt_blocked", "approval_granted" }));
    const QStringList actors { "mkim", "mkim", "mkim", "mkim", "jlee", "atorres" };
    for (int i = 0; i < events.size(); ++i) {
        const auto e = events.at(i).toObject();
        QCOMPARE(e.value("actor").toString(), actors.at(i));
        QCOMPARE(e.value("case_id").toString(), m_caseId);
        if (i > 0) {
            const auto prev = events.at(i - 1).toObject();
            QVERIFY(e.value("seq").toInteger() > prev.value("seq").toInteger());
            QVERIFY(e.value("time_ms").toInteger() >= prev.value("time_ms").toInteger());
        }
    }
    QCOMPARE(events.at(1).toObject().value("payload").toObject().value("text").toString(),
        QStringLiteral("Verified — product defect confirmed by warehouse"));
    QCOMPARE(events.at(3).toObject().value("payload").toObject().value("code").toString(),
        QStringLiteral("approval.self_approval"));
    QCOMPARE(events.at(4).toObject().value("payload").toObject().value("code").toString(),
        QStringLiteral("approval.role"));
    QVERIFY(events.at(3).toObject().value("blocked").toBool());
    QCOMPARE(events.at(5).toObject().value("actor_name").toString(), QStringLiteral("A. Torres"));

    r = ctl("mkim", { "rules", "check", m_caseId });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.object().value("rule").toString(), QStringLiteral("refund-above-threshold"));
    QVERIFY(r.object().value("satisfied").toBool());
    QVERIFY(toStrings(r.object().value("allowed_actions")).contains("stripe.refund"));

    // The gate lets the refund through now; this server has no plugin for it, and says so
    // without recording anything.
    const int eventsBefore = int(timeline("mkim", m_caseId).size());
    r = ctl("atorres", { "action", "run", m_caseId, "stripe.refund" });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QCOMPARE(r.object().value("code").toString(), QStringLiteral("action.unavailable"));
    QCOMPARE(int(timeline("mkim", m_caseId).size()), eventsBefore);

    // Changing the amount after approval voids it: back to review, the refund gated again.
    r = ctl("mkim", { "case", "set", m_caseId, "--amount", "$2,600" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    c = r.object().value("case").toObject();
    QCOMPARE(c.value("status").toString(), QStringLiteral("in_review"));
    QCOMPARE(c.value("amount").toObject().value("minor").toInteger(), 260000);

    events = timeline("mkim", m_caseId);
    QVERIFY(kinds(events).contains("approvals_voided"));
    const auto voided = events.at(kinds(events).indexOf("approvals_voided")).toObject();
    const QString reason = voided.value("payload").toObject().value("reason").toString();
    QVERIFY2(reason.contains("amount", Qt::CaseInsensitive), qPrintable(reason));
    QVERIFY(toStrings(voided.value("payload").toObject().value("approvers")).contains("atorres"));

    r = ctl("mkim", { "rules", "check", m_caseId });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(!r.object().value("satisfied").toBool());
    QVERIFY(!toStrings(r.object().value("allowed_actions")).contains("stripe.refund"));
    QVERIFY(toStrings(r.object().value("gated_actions")).contains("stripe.refund"));

    // Running the refund on the changed amount: the gate holds, and the attempt is on the case.
    r = ctl("mkim", { "action", "run", m_caseId, "stripe.refund" });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QCOMPARE(r.object().value("code").toString(), QStringLiteral("action.gated"));
    QVERIFY2(r.err.contains("refund-above-threshold"), r.err.constData());
    events = timeline("mkim", m_caseId);
    const auto last = events.last().toObject();
    QCOMPARE(last.value("kind").toString(), QStringLiteral("attempt_blocked"));
    QCOMPARE(last.value("actor").toString(), QStringLiteral("mkim"));
    const auto blockedPayload = last.value("payload").toObject();
    QCOMPARE(blockedPayload.value("command").toString(), QStringLiteral("action:stripe.refund"));
    QCOMPARE(blockedPayload.value("rule").toString(), QStringLiteral("refund-above-threshold"));
    QCOMPARE(blockedPayload.value("code").toString(), QStringLiteral("action.gated"));
}

// Across cases: every blocked attempt of the last day, who approved what, filtered by case type
// and time, as JSON, a table and CSV.
void StoryTest::auditFindsTheBlockedAttempts()
{
    QVERIFY(!m_caseId.isEmpty());
    const auto rowsOfCase = [this](const Run& r) {
        QJsonArray out;
        for (const auto& v : r.object().value("events").toArray())
            if (v.toObject().value("case_id").toString() == m_caseId)
                out.append(v);
        return out;
    };
    Run r = ctl("mkim", {"audit", "events", "--kind", "attempt_blocked", "--since", "1d"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QJsonArray rows = rowsOfCase(r);
    QCOMPARE(kinds(rows), (QStringList{"attempt_blocked", "attempt_blocked", "attempt_blocked"}));
    // Newest first: the gated refund, J. Lee's approval, the preparer's own approval.
    QCOMPARE(rows.at(0).toObject().value("actor").toString(), QStringLiteral("mkim"));
    QCOMPARE(rows.at(1).toObject().value("actor").toString(), QStringLiteral("jlee"));
    QCOMPARE(rows.at(2).toObject().value("actor").toString(), QStringLiteral("mkim"));
    QCOMPARE(rows.at(0).toObject().value("case_type").toString(), QStringLiteral("refund"));
    QCOMPARE(rows.at(0).toObject().value("case_title").toString(), kTitle);
    QCOMPARE(r.object().value("truncated").toBool(true), false);

    r = ctl("mkim", {"audit", "events", "--actor", "atorres", "--kind", "approval_granted"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(kinds(rowsOfCase(r)), QStringList{"approval_granted"});
    // Back in review after the amount changed, the case is out of finance's view: A. Torres's
    // audit shows none of it.
    r = ctl("atorres", {"audit", "events", "--kind", "attempt_blocked"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(rowsOfCase(r).size(), 0);

    // Filters narrow: another case type, or a window that ends before the story.
    r = ctl("mkim", {"audit", "events", "--kind", "attempt_blocked", "--type", "chargeback"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(rowsOfCase(r).size(), 0);
    r = ctl("mkim", {"audit", "events", "--until", "1d"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(rowsOfCase(r).size(), 0);
    r = ctl("mkim", {"audit", "events", "--kind", "attempt_blocked", "--limit", "1"});
    QCOMPARE(r.object().value("events").toArray().size(), 1);
    QCOMPARE(r.object().value("truncated").toBool(), true);

    // For people and for spreadsheets.
    r = ctl("mkim", {"audit", "events", "--kind", "attempt_blocked", "--since", "1d"}, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains("KIND") && r.out.contains("attempt_blocked") && r.out.contains("jlee"),
             r.out.constData());
    r = ctl("mkim", {"audit", "events", "--kind", "attempt_blocked", "--since", "1d", "--csv"},
            true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QList<QByteArray> lines = r.out.split('\n');
    QVERIFY(lines.at(0).startsWith("time,seq,case_id,case_type,case_title,kind,actor,blocked,summary"));
    QVERIFY2(r.out.contains(("," + m_caseId + ",refund,").toUtf8()), r.out.constData());
    QVERIFY2(r.out.contains(",attempt_blocked,jlee,yes,"), r.out.constData());

    // Mistakes are named.
    r = ctl("mkim", {"audit", "events", "--kind", "attempt_blockd"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("attempt_blocked"), qPrintable(r.describe())); // the kinds are listed
    r = ctl("mkim", {"audit", "events", "--since", "last tuesday"});
    QCOMPARE(r.exitCode, 1);
}

void StoryTest::readableOutputAndShortIds()
{
    if (m_caseId.isEmpty())
        QSKIP("needs the story's case");
    // The list shows each id as a prefix that is enough to name the case.
    Run r = ctl("mkim", { "case", "list" }, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QString shortId;
    for (const auto& line : QString::fromUtf8(r.out).split('\n')) {
        const QString first = line.section(' ', 0, 0);
        if (first.size() >= 8 && m_caseId.startsWith(first))
            shortId = first;
    }
    QVERIFY2(!shortId.isEmpty(), r.out.constData());
    QVERIFY(shortId.size() < m_caseId.size());

    r = ctl("mkim", { "case", "show", shortId }, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(m_caseId), qPrintable(text));
    QVERIFY2(text.contains("2,600.00 USD"), qPrintable(text));
    QVERIFY2(text.contains("Rule refund-above-threshold: not satisfied"), qPrintable(text));
    QVERIFY2(text.contains("Gated actions: stripe.refund — not allowed until approved"),
        qPrintable(text));
    // Blocked attempts stand out, with the code and who tried.
    static const QRegularExpression blocked(
        QStringLiteral("^! \\S+ \\S+  jlee \\(J\\. Lee\\)\\s+attempt_blocked\\s+BLOCKED approve "
                       "\\[approval\\.role\\]"),
        QRegularExpression::MultilineOption);
    QVERIFY2(blocked.match(text).hasMatch(), qPrintable(text));
    QVERIFY2(text.contains("mkim (M. Kim)"), qPrintable(text));
    QVERIFY2(text.contains("Verified — product defect confirmed by warehouse"), qPrintable(text));

    // Too short a prefix is a usage error, an unknown one is "not found".
    r = ctl("mkim", { "case", "show", m_caseId.left(4) }, true);
    QCOMPARE(r.exitCode, 1);
    r = ctl("mkim", { "case", "show", "ffffffff-ffff" }, true);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
}

void StoryTest::retryWithTheSameCommandIdIsIdempotent()
{
    const QString caseId = createCase("mkim", "Refund — idempotent retry");
    QVERIFY(!caseId.isEmpty());
    const QString commandId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QStringList note { "case", "note", caseId, "Called the customer back", "--command-id",
        commandId };
    const Run first = ctl("mkim", note);
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(first.object().value("replayed").toBool(), false);
    const int length = timeline("mkim", caseId).size();

    const Run again = ctl("mkim", note);
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.object().value("accepted").toBool(), true);
    QCOMPARE(again.object().value("replayed").toBool(), true);
    QCOMPARE(again.object().value("command_id").toString(), commandId);
    QCOMPARE(again.object().value("seqs").toArray(), first.object().value("seqs").toArray());
    QCOMPARE(timeline("mkim", caseId).size(), length);
}

void StoryTest::watchPrintsEventsAsTheyHappen()
{
    const QString caseId = createCase("mkim", "Refund — watched");
    QVERIFY(!caseId.isEmpty());
    // J. Lee works the support queue, so sees M. Kim's refund cases.
    QProcess watch;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("LATCHCTL_CONFIG", configFor("jlee"));
    watch.setProcessEnvironment(env);
    watch.start(ServerProcess::latchctlBinary(), { "--json", "watch" });
    QVERIFY(watch.waitForStarted());
    // It says on stderr when it is subscribed; events committed after that must arrive.
    QByteArray err;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (err += watch.readAllStandardError()).contains("watching"), err.constData(), 20000);

    const Run r = ctl("mkim", { "case", "note", caseId, "Customer sent new photos" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    QJsonObject seen;
    QByteArray pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            pending += watch.readAllStandardOutput();
            while (pending.contains('\n')) {
                const int end = pending.indexOf('\n');
                const auto e = QJsonDocument::fromJson(pending.left(end)).object();
                pending.remove(0, end + 1);
                if (e.value("kind").toString() == "note_added")
                    seen = e;
            }
            return !seen.isEmpty();
        }(),
        20000);
    QCOMPARE(seen.value("case_id").toString(), caseId);
    QCOMPARE(seen.value("actor").toString(), QStringLiteral("mkim"));
    QCOMPARE(seen.value("payload").toObject().value("text").toString(),
        QStringLiteral("Customer sent new photos"));
    QCOMPARE(seen.value("seq").toInteger(),
        static_cast<qint64>(r.object().value("seqs").toArray().at(0).toInteger()));
    watch.kill();
    watch.waitForFinished();
}

void StoryTest::badAmountFailsBeforeAnythingIsSent()
{
    const Run before = ctl("mkim", { "case", "list" });
    QCOMPARE(before.exitCode, 0);

    const QStringList create { "case", "create", "--type", "refund", "--title", "Typo",
        "--customer", "Acme Co", "--amount", "$2,40x" };
    Run r = ctl("mkim", create);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("latchctl: ") && r.err.contains("$2,40x"), r.err.constData());
    // Refused without the network: the same against an address where nothing listens.
    r = ctl("mkim", create + QStringList { "--token", "unused" }, false, kUnreachable);
    QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));

    const Run after = ctl("mkim", { "case", "list" });
    QCOMPARE(after.array().size(), before.array().size());

    if (!m_caseId.isEmpty()) {
        r = ctl("mkim", { "case", "set", m_caseId, "--amount", "2.999 USD" });
        QCOMPARE(r.exitCode, 1);
    }
}

void StoryTest::wrongPasswordIsAnAuthenticationFailure()
{
    const Run r = ctl("intruder", { "login", "rpatel", "--password", "not-the-password" });
    QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
    QVERIFY(r.err.startsWith("latchctl: "));
    QVERIFY(!QFile::exists(configFor("intruder")));

    // The password may also come from LATCH_PASSWORD.
    QProcessEnvironment env;
    env.insert("LATCH_PASSWORD", kPassword);
    const Run ok = ctl("rpatel", { "login", "rpatel" }, false, {}, env);
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
    QCOMPARE(ok.object().value("user").toObject().value("display_name").toString(),
        QStringLiteral("R. Patel"));
}

void StoryTest::missingOrBadSessionIsAnAuthenticationFailure()
{
    Run r = ctl("nobody", { "case", "list" });
    QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("latchctl login"), r.err.constData());

    r = ctl("nobody", { "--token", "not-a-token", "whoami" });
    QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));

    // Logging out ends the token on the server, not just the local file.
    login("rpatel");
    QFile file(configFor("rpatel"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString token
        = QJsonDocument::fromJson(file.readAll()).object().value("token").toString();
    file.close();
    QVERIFY(!token.isEmpty());
    r = ctl("rpatel", { "logout" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(!QFile::exists(configFor("rpatel")));
    r = ctl("nobody", { "--token", token, "whoami" });
    QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
}

void StoryTest::unreachableServerExitsFour()
{
    Run r = ctl("mkim", { "--token", "whatever", "case", "list" }, false, kUnreachable);
    QVERIFY2(r.exitCode == 4, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("is latch-server running?"), r.err.constData());

    r = ctl("offline", { "login", "mkim", "--password", kPassword }, false, kUnreachable);
    QVERIFY2(r.exitCode == 4, qPrintable(r.describe()));
}

void StoryTest::sessionFileIsPrivate()
{
    const QFile::Permissions perms = QFile::permissions(configFor("mkim"));
    QVERIFY(perms.testFlag(QFileDevice::ReadOwner));
    QVERIFY(!perms.testFlag(QFileDevice::ReadGroup));
    QVERIFY(!perms.testFlag(QFileDevice::ReadOther));
    // The session remembers the server: no --server needed afterwards.
    QProcessEnvironment env;
    env.insert("LATCHCTL_CONFIG", configFor("mkim"));
    const Run r = runLatchctl({ "--json", "whoami" }, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const auto me = r.object();
    QCOMPARE(
        me.value("user").toObject().value("display_name").toString(), QStringLiteral("M. Kim"));
    QCOMPARE(me.value("server").toString(), m_server.url());
}

void StoryTest::tlsIsVerified()
{
    const QString openssl = QStandardPaths::findExecutable("openssl");
    if (openssl.isEmpty())
        QSKIP("needs the openssl command to make a test certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath("server.crt");
    const QString key = dir.filePath("server.key");
    QProcess gen;
    gen.start(openssl,
        { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1" });
    QVERIFY(gen.waitForFinished(30000));
    QCOMPARE(gen.exitCode(), 0);

    // The shipped config with tls switched on.
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    QVERIFY2(sample.open(QIODevice::ReadOnly), qPrintable(sample.fileName()));
    QString yaml = QString::fromUtf8(sample.readAll());
    static const QRegularExpression serverKey(
        QStringLiteral("^server:[ \\t]*$"), QRegularExpression::MultilineOption);
    const auto at = serverKey.match(yaml);
    QVERIFY2(at.hasMatch(), "the sample config has no top-level server: section");
    yaml.insert(
        at.capturedEnd(), QStringLiteral("\n  tls:\n    cert: %1\n    key: %2").arg(cert, key));
    QFile config(dir.filePath("latch.yaml"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(yaml.toUtf8());
    config.close();

    ServerProcess server;
    QVERIFY2(
        server.start({ "--config", config.fileName(), "--demo" }), qPrintable(server.lastError()));
    const QString url = QStringLiteral("wss://127.0.0.1:%1/sync").arg(server.port());
    const QStringList login { "login", "jlee", "--password", kPassword };

    Run r = ctl("tls", login, false, url);
    QVERIFY2(r.exitCode == 4, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("certificate") && r.err.contains("--ca"), r.err.constData());
    QVERIFY(!QFile::exists(configFor("tls")));

    r = ctl("tls", login + QStringList { "--ca", cert }, false, url);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = ctl("tls", { "--ca", cert, "whoami" }, false, url);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    // The certificate is checked against the host name too.
    r = ctl("tls-localhost", login + QStringList { "--ca", cert }, false,
        QStringLiteral("wss://localhost:%1/sync").arg(server.port()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    r = ctl("tls", { "--insecure", "--token", "x", "whoami" }, false, url);
    QVERIFY2(r.exitCode == 3, qPrintable(r.describe())); // past TLS: the token is what fails
    QVERIFY2(r.err.contains("--insecure"), r.err.constData());
}

void StoryTest::cleanupTestCase()
{
    QCOMPARE(m_server.stop(), 0);
}

QTEST_GUILESS_MAIN(StoryTest)
#include "storytest.moc"
