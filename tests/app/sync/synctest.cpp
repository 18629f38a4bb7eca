// The app's sync client against a real latch-server: sign-in and bootstrap, the outbox across
// going offline and restarting the app, a command the server refuses while the app was offline,
// revokes, and resuming from the cursor without gaps or duplicates.
#include "serverprocess.h"
#include "sync/appsession.h"
#include "wsclient.h"

#include "latch/ids.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <set>

using namespace latch;
using latch::app::AppSession;
using latch::app::OutboxEntry;
using latch::app::QueueRow;
using latch::app::SessionOptions;

namespace {

const QString kPassword = QStringLiteral("latch-demo");
const QString kPassphrase = QStringLiteral("correct horse battery staple");

// One user's app: its own data dir, no keychain (a passphrase protects the replica), and the
// queue as the session last reported it.
struct App {
    explicit App(const QString& dataDir, const QString& caFile = {})
    {
        SessionOptions options;
        options.dataDir = dataDir;
        options.caFile = caFile;
        options.useKeychain = false;
        options.deviceId = QStringLiteral("synctest");
        session = std::make_unique<AppSession>(options);
        QObject::connect(session.get(), &AppSession::queueReset, session.get(),
                         [this](const QVector<QueueRow>& r) {
                             rows.clear();
                             for (const auto& row : r)
                                 rows[row.id] = row;
                         });
        QObject::connect(session.get(), &AppSession::queueChanged, session.get(),
                         [this](const QVector<QueueRow>& changed, const QStringList& removed) {
                             for (const auto& row : changed)
                                 rows[row.id] = row;
                             for (const auto& id : removed)
                                 rows.remove(id);
                         });
    }

    bool signIn(const QString& url, const QString& user, const QString& password = kPassword)
    {
        session->signIn(url, user, password, kPassphrase);
        return QTest::qWaitFor([this] { return session->state() == AppSession::State::Live; },
                               20000);
    }

    const OutboxEntry* outboxEntry(const QString& commandId) const
    {
        for (const auto& e : session->outbox()) {
            if (QString::fromStdString(e.commandId) == commandId)
                return &e;
        }
        return nullptr;
    }

    std::unique_ptr<AppSession> session;
    QMap<QString, QueueRow> rows;
};

} // namespace

class SyncTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void wrongPasswordAndUnreachableServerSayWhy();
    void untrustedCertificateIsRefusedAndACaFileTrusted();
    void signInBootstrapsTheReplica();
    void offlineCommandsAreAppliedOnceAfterReconnect();
    void unsentCommandsSurviveAnAppRestart();
    void commandRefusedWhileOfflineShowsTheReason();
    void revokeRemovesTheCase();
    void reconnectResumesWithoutGapsOrDuplicates();
    void serverRestartIsFollowedByReconnect();
    void cleanupTestCase();

private:
    // A case created by `user` through the protocol (not the app): returns its id.
    std::string createCase(const QString& user, const std::string& type, const std::string& title);
    std::optional<v1::CommandResult> runAs(const QString& user, v1::Command command);
    std::vector<v1::Event> serverTimeline(const std::string& caseId);

    ServerProcess m_server;
    QTemporaryDir m_dirs;
};

void SyncTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    // The session remembers the last server in QSettings: keep that away from the user's own.
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("synctest"));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_server.start({QStringLiteral("--demo")}), qPrintable(m_server.lastError()));
}

std::optional<v1::CommandResult> SyncTest::runAs(const QString& user, v1::Command command)
{
    WsClient client;
    if (!client.open(m_server.url()))
        return std::nullopt;
    const QString token = client.login(user, kPassword);
    if (token.isEmpty() || !client.hello(token))
        return std::nullopt;
    if (command.command_id().empty())
        command.set_command_id(latch::newUuid());
    return client.command(command);
}

std::string SyncTest::createCase(const QString& user, const std::string& type,
                                 const std::string& title)
{
    v1::Command c;
    c.mutable_create_case()->set_type(type);
    c.mutable_create_case()->set_title(title);
    c.mutable_create_case()->set_customer("Acme Co");
    c.mutable_create_case()->set_order_ref("#4821");
    c.mutable_create_case()->mutable_amount()->set_minor(240000);
    c.mutable_create_case()->mutable_amount()->set_currency("USD");
    auto r = runAs(user, c);
    return r && r->accepted() ? r->case_id() : std::string();
}

std::vector<v1::Event> SyncTest::serverTimeline(const std::string& caseId)
{
    WsClient client;
    if (!client.open(m_server.url()))
        return {};
    const QString token = client.login(QStringLiteral("admin"), kPassword);
    if (token.isEmpty() || !client.hello(token))
        return {};
    v1::Query q;
    q.set_query_id("timeline");
    q.mutable_get_timeline()->set_case_id(caseId);
    auto r = client.query(q);
    if (!r)
        return {};
    return {r->events().begin(), r->events().end()};
}

void SyncTest::wrongPasswordAndUnreachableServerSayWhy()
{
    App app(m_dirs.filePath(QStringLiteral("wrong")));
    app.session->signIn(m_server.url(), QStringLiteral("mkim"), QStringLiteral("not-the-password"),
                        kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(!app.session->errorCode().isEmpty(), 20000);
    QCOMPARE(app.session->errorCode(), QStringLiteral("auth.failed"));
    QVERIFY(!app.session->errorMessage().isEmpty());
    QCOMPARE(app.session->state(), AppSession::State::SignedOut);

    // A port nobody listens on.
    app.session->signIn(QStringLiteral("ws://127.0.0.1:1/sync"), QStringLiteral("mkim"), kPassword,
                        kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(app.session->errorCode() == QStringLiteral("net.unreachable"), 20000);
    QVERIFY2(app.session->errorMessage().contains(QStringLiteral("reach")),
             qPrintable(app.session->errorMessage()));

    app.session->signIn(QStringLiteral("ftp://example"), QStringLiteral("mkim"), kPassword,
                        kPassphrase);
    QTRY_COMPARE_WITH_TIMEOUT(app.session->errorCode(), QStringLiteral("net.bad_url"), 5000);
    QVERIFY(!app.session->busy());
}

void SyncTest::untrustedCertificateIsRefusedAndACaFileTrusted()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    QVERIFY2(!openssl.isEmpty(), "the openssl command makes the test certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath(QStringLiteral("server.crt"));
    const QString key = dir.filePath(QStringLiteral("server.key"));
    QProcess gen;
    gen.start(openssl,
              {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
               "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
               "-addext", "subjectAltName=DNS:localhost"});
    QVERIFY(gen.waitForFinished(30000));
    QCOMPARE(gen.exitCode(), 0);

    // The shipped config with TLS switched on.
    QFile sample(qEnvironmentVariable("LATCH_SOURCE_DIR") + "/resources/config/latch.yaml");
    QVERIFY2(sample.open(QIODevice::ReadOnly), qPrintable(sample.fileName()));
    QString yaml = QString::fromUtf8(sample.readAll());
    static const QRegularExpression serverKey(QStringLiteral("^server:[ \\t]*$"),
                                              QRegularExpression::MultilineOption);
    const auto at = serverKey.match(yaml);
    QVERIFY2(at.hasMatch(), "the sample config has no top-level server: section");
    yaml.insert(at.capturedEnd(),
                QStringLiteral("\n  tls:\n    cert: %1\n    key: %2").arg(cert, key));
    QFile config(dir.filePath(QStringLiteral("latch.yaml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(yaml.toUtf8());
    config.close();
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), config.fileName(), QStringLiteral("--demo")}),
             qPrintable(server.lastError()));
    const QString url = QStringLiteral("wss://localhost:%1").arg(server.port());

    // A self-signed certificate nobody vouches for: refused, and the user is told why.
    App untrusting(m_dirs.filePath(QStringLiteral("tls-untrusted")));
    untrusting.session->signIn(url, QStringLiteral("mkim"), kPassword, kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(!untrusting.session->errorCode().isEmpty(), 20000);
    QCOMPARE(untrusting.session->errorCode(), QStringLiteral("net.tls"));
    QVERIFY2(untrusting.session->errorMessage().contains(QStringLiteral("certificate")),
             qPrintable(untrusting.session->errorMessage()));
    QCOMPARE(untrusting.session->state(), AppSession::State::SignedOut);

    // A CA file that is not one is said so, not mistaken for an untrusted server.
    App misconfigured(m_dirs.filePath(QStringLiteral("tls-bad-ca")), key);
    misconfigured.session->signIn(url, QStringLiteral("mkim"), kPassword, kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(!misconfigured.session->errorCode().isEmpty(), 20000);
    QCOMPARE(misconfigured.session->errorCode(), QStringLiteral("net.tls"));
    QVERIFY2(misconfigured.session->errorMessage().contains(key),
             qPrintable(misconfigured.session->errorMessage()));

    // Trusting the certificate's authority (here the certificate itself): signed in over TLS.
    App trusting(m_dirs.filePath(QStringLiteral("tls-trusted")), cert);
    QVERIFY(trusting.signIn(url, QStringLiteral("mkim")));
    QTRY_VERIFY(!trusting.rows.isEmpty());

    // The name is checked too: the certificate is for localhost, not for 127.0.0.1.
    App wrongName(m_dirs.filePath(QStringLiteral("tls-wrong-name")), cert);
    wrongName.session->signIn(QStringLiteral("wss://127.0.0.1:%1").arg(server.port()),
                              QStringLiteral("mkim"), kPassword, kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(!wrongName.session->errorCode().isEmpty(), 20000);
    QCOMPARE(wrongName.session->errorCode(), QStringLiteral("net.tls"));
}

void SyncTest::signInBootstrapsTheReplica()
{
    App app(m_dirs.filePath(QStringLiteral("bootstrap")));
    QVERIFY(app.signIn(m_server.url(), QStringLiteral("mkim")));
    QCOMPARE(app.session->username(), QStringLiteral("mkim"));
    QCOMPARE(app.session->displayName(), QStringLiteral("M. Kim"));
    QVERIFY(app.session->roles().contains(QStringLiteral("support_lead")));
    QTRY_VERIFY(!app.rows.isEmpty()); // the demo cases M. Kim may see
    // The replica file exists, and its info file records how the key is kept.
    QDir dir(m_dirs.filePath(QStringLiteral("bootstrap")));
    QVERIFY(!dir.entryList({QStringLiteral("replica-*.db")}).isEmpty());
    const auto infos = dir.entryList({QStringLiteral("replica-*.db.json")});
    QCOMPARE(infos.size(), 1);
    QFile info(dir.filePath(infos.first()));
    QVERIFY(info.open(QIODevice::ReadOnly));
    const QByteArray text = info.readAll();
    QVERIFY2(text.contains("passphrase"), text.constData());
    QVERIFY2(!text.contains(kPassphrase.toUtf8()), text.constData());
}

void SyncTest::offlineCommandsAreAppliedOnceAfterReconnect()
{
    const std::string caseId = createCase(QStringLiteral("mkim"), "refund", "Offline notes");
    QVERIFY(!caseId.empty());
    App app(m_dirs.filePath(QStringLiteral("offline")));
    QVERIFY(app.signIn(m_server.url(), QStringLiteral("mkim")));
    QTRY_VERIFY(app.rows.contains(QString::fromStdString(caseId)));

    app.session->goOffline();
    QTRY_COMPARE(app.session->state(), AppSession::State::Offline);
    const QString id = QString::fromStdString(caseId);
    QStringList commandIds;
    for (int i = 1; i <= 3; ++i)
        commandIds << app.session->addNote(id, QStringLiteral("offline note %1").arg(i));
    QTRY_COMPARE(app.session->pendingCount(), 3);
    QVERIFY(serverTimeline(caseId).size() == 1); // only "created": nothing was sent

    QSignalSpy answered(app.session.get(), &AppSession::commandAnswered);
    app.session->goOnline();
    QTRY_COMPARE_WITH_TIMEOUT(app.session->pendingCount(), 0, 20000);
    QTRY_COMPARE(answered.size(), 3);
    for (const auto& args : answered)
        QVERIFY(args.at(2).toBool());

    // Each note is on the server exactly once, in the order written.
    const auto events = serverTimeline(caseId);
    QStringList notes;
    for (const auto& e : events) {
        if (e.has_note_added())
            notes << QString::fromStdString(e.note_added().text());
    }
    QCOMPARE(notes, (QStringList{"offline note 1", "offline note 2", "offline note 3"}));
    // And the app's replica has them too.
    QSignalSpy loaded(app.session.get(), &AppSession::caseLoaded);
    app.session->loadCase(id);
    QTRY_VERIFY(!loaded.isEmpty());
    const auto replicaEvents = loaded.last().at(2).value<QVector<v1::Event>>();
    QTRY_COMPARE(int(replicaEvents.size()), int(events.size()));
}

void SyncTest::unsentCommandsSurviveAnAppRestart()
{
    const std::string caseId = createCase(QStringLiteral("mkim"), "refund", "Restart notes");
    QVERIFY(!caseId.empty());
    const QString dir = m_dirs.filePath(QStringLiteral("restart"));
    QString commandId;
    {
        App app(dir);
        QVERIFY(app.signIn(m_server.url(), QStringLiteral("mkim")));
        QTRY_VERIFY(app.rows.contains(QString::fromStdString(caseId)));
        app.session->goOffline();
        QTRY_COMPARE(app.session->state(), AppSession::State::Offline);
        commandId = app.session->addNote(QString::fromStdString(caseId),
                                         QStringLiteral("written before the restart"));
        QTRY_COMPARE(app.session->pendingCount(), 1);
    } // the app quits with the command unsent

    // Started again: no password needed (the saved session), the outbox is still there and goes
    // out once.
    App app(dir);
    app.session->signIn(m_server.url(), QStringLiteral("mkim"), QString(), kPassphrase);
    QTRY_VERIFY_WITH_TIMEOUT(app.session->state() == AppSession::State::Live, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(app.session->pendingCount(), 0, 20000);
    int count = 0;
    for (const auto& e : serverTimeline(caseId))
        count += e.has_note_added() && e.command_id() == commandId.toStdString() ? 1 : 0;
    QCOMPARE(count, 1);
}

void SyncTest::commandRefusedWhileOfflineShowsTheReason()
{
    const std::string caseId = createCase(QStringLiteral("mkim"), "refund", "Self approval");
    QVERIFY(!caseId.empty());
    const QString id = QString::fromStdString(caseId);
    App app(m_dirs.filePath(QStringLiteral("refused")));
    QVERIFY(app.signIn(m_server.url(), QStringLiteral("mkim")));
    QTRY_VERIFY(app.rows.contains(id));

    app.session->goOffline();
    QTRY_COMPARE(app.session->state(), AppSession::State::Offline);
    app.session->markReady(id);
    const QString approveId = app.session->approve(id, QStringLiteral("my own case"));
    app.session->addNote(id, QStringLiteral("after the refused approval"));
    QTRY_COMPARE(app.session->pendingCount(), 3);

    app.session->goOnline();
    QTRY_COMPARE_WITH_TIMEOUT(app.session->pendingCount(), 0, 20000);
    // The refusal stays visible with the server's reason; the note behind it went through.
    QCOMPARE(app.session->rejectedCount(), 1);
    const OutboxEntry* rejected = app.outboxEntry(approveId);
    QVERIFY(rejected);
    QCOMPARE(rejected->state, OutboxEntry::State::Rejected);
    QCOMPARE(rejected->code, std::string("approval.self_approval"));
    QVERIFY(!rejected->message.empty());
    const auto events = serverTimeline(caseId);
    QVERIFY(events.back().has_note_added());
    bool blocked = false;
    for (const auto& e : events)
        blocked = blocked || (e.has_attempt_blocked() && e.actor() == "mkim");
    QVERIFY(blocked);
    QTRY_COMPARE(app.rows.value(id).status, QStringLiteral("awaiting_approval"));

    app.session->dismiss(approveId);
    QTRY_COMPARE(app.session->rejectedCount(), 0);
}

void SyncTest::revokeRemovesTheCase()
{
    // jlee (operator) sees a finance case only while it is assigned to them.
    const std::string caseId = createCase(QStringLiteral("admin"), "invoice_dispute", "Revoke me");
    QVERIFY(!caseId.empty());
    const QString id = QString::fromStdString(caseId);
    v1::Command assign;
    assign.mutable_assign()->set_case_id(caseId);
    assign.mutable_assign()->set_assignee("jlee");
    QVERIFY(runAs(QStringLiteral("admin"), assign)->accepted());

    App app(m_dirs.filePath(QStringLiteral("revoke")));
    QVERIFY(app.signIn(m_server.url(), QStringLiteral("jlee")));
    QTRY_VERIFY(app.rows.contains(id));
    QSignalSpy gone(app.session.get(), &AppSession::caseGone);
    app.session->loadCase(id);

    assign.mutable_assign()->set_assignee("rpatel");
    assign.clear_command_id();
    QVERIFY(runAs(QStringLiteral("admin"), assign)->accepted());
    QTRY_VERIFY_WITH_TIMEOUT(!app.rows.contains(id), 10000);
    QTRY_VERIFY(!gone.isEmpty());
    QCOMPARE(gone.last().at(0).toString(), id);
    // Not in the replica any more either.
    QSignalSpy again(app.session.get(), &AppSession::caseGone);
    app.session->loadCase(id);
    QTRY_VERIFY(!again.isEmpty());
}

void SyncTest::reconnectResumesWithoutGapsOrDuplicates()
{
    const std::string caseId = createCase(QStringLiteral("mkim"), "refund", "Resume");
    QVERIFY(!caseId.empty());
    const QString id = QString::fromStdString(caseId);
    App app(m_dirs.filePath(QStringLiteral("resume")));
    QVERIFY(app.signIn(m_server.url(), QStringLiteral("mkim")));
    QTRY_VERIFY(app.rows.contains(id));

    app.session->goOffline();
    QTRY_COMPARE(app.session->state(), AppSession::State::Offline);
    for (int i = 0; i < 5; ++i) {
        v1::Command note;
        note.mutable_add_note()->set_case_id(caseId);
        note.mutable_add_note()->set_text("while you were away " + std::to_string(i));
        QVERIFY(runAs(QStringLiteral("jlee"), note)->accepted());
    }
    app.session->goOnline();
    QTRY_COMPARE_WITH_TIMEOUT(app.session->state(), AppSession::State::Live, 20000);
    // Live again, one more event arrives as a push.
    v1::Command note;
    note.mutable_add_note()->set_case_id(caseId);
    note.mutable_add_note()->set_text("live again");
    QVERIFY(runAs(QStringLiteral("jlee"), note)->accepted());

    const auto server = serverTimeline(caseId);
    QSignalSpy loaded(app.session.get(), &AppSession::caseLoaded);
    QVector<v1::Event> local;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            app.session->loadCase(id);
            if (!loaded.wait(2000))
                return false;
            local = loaded.last().at(2).value<QVector<v1::Event>>();
            return local.size() == int(server.size());
        }(),
        15000);
    std::set<quint64> seqs;
    for (int i = 0; i < local.size(); ++i) {
        QCOMPARE(local[i].seq(), server[size_t(i)].seq());
        QVERIFY(seqs.insert(local[i].seq()).second);
    }
    QCOMPARE(app.rows.value(id).searchText.contains(QStringLiteral("live again")), true);
}

void SyncTest::serverRestartIsFollowedByReconnect()
{
    // A server of its own, so it can go away and come back on the same port.
    QTemporaryDir data;
    ServerProcess server(data.path());
    QVERIFY2(server.start({QStringLiteral("--demo")}), qPrintable(server.lastError()));
    const QString url = server.url();
    App app(m_dirs.filePath(QStringLiteral("restart-server")));
    QVERIFY(app.signIn(url, QStringLiteral("mkim")));
    QTRY_VERIFY(!app.rows.isEmpty());
    const QString caseId = app.rows.firstKey();

    QCOMPARE(server.stop(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(app.session->state(), AppSession::State::Offline, 10000);
    const QString noteId = app.session->addNote(caseId, QStringLiteral("written while the server was down"));
    QTRY_COMPARE(app.session->pendingCount(), 1);

    // Back on the same port: the app finds it by itself (back-off with jitter, no user action),
    // resumes from its cursor and sends the note once.
    ServerProcess again(data.path());
    again.setListenPort(server.port());
    QVERIFY2(again.start(), qPrintable(again.lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(app.session->state(), AppSession::State::Live, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(app.session->pendingCount(), 0, 10000);
    WsClient client;
    QVERIFY(client.open(again.url()));
    const QString token = client.login(QStringLiteral("mkim"), kPassword);
    QVERIFY(!token.isEmpty() && client.hello(token));
    v1::Query q;
    q.set_query_id("t");
    q.mutable_get_timeline()->set_case_id(caseId.toStdString());
    auto r = client.query(q);
    QVERIFY(r);
    int count = 0;
    for (const auto& e : r->events())
        count += e.command_id() == noteId.toStdString() ? 1 : 0;
    QCOMPARE(count, 1);
    QCOMPARE(again.stop(), 0);
}

void SyncTest::cleanupTestCase()
{
    QCOMPARE(m_server.stop(), 0);
}

QTEST_GUILESS_MAIN(SyncTest)
#include "synctest.moc"
