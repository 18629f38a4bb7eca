// The sync protocol and the HTTP endpoints as a client sees them: the real latch-server (demo
// data) on 127.0.0.1, spoken to by QWebSocket and raw TCP. Every misbehaving-client case checks
// the error the client is told, the close code, and that the server still serves others.
#include "serverprocess.h"
#include "testhelpers.h"
#include "netclient.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>
#include <set>

using namespace latch;
using namespace nettest;

class ProtocolTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void httpEndpoints_data();
    void httpEndpoints();
    void loginWithWrongPassword();
    void loginThenHello();
    void helloRefused_data();
    void helloRefused();
    void badFrames_data();
    void badFrames();
    void oversizedMessageClosesWith1009();
    void queryAfterHello();
    void logoutEndsTheSession();
    void pipelinedRequestsAreAnsweredInOrder();
    void liveClientGetsSnapshotThenPushes();
    void reconnectGetsCatchUpWithoutDuplicates();
    void caseLeavingTheViewArrivesAsRevoke();
    void roleChangeReachesLiveSessionsAtOnce();
    void cleanupTestCase();

private:
    // A connected, logged-in client after Hello (nullptr on failure; see m_error).
    std::unique_ptr<NetClient> signedIn(const QString& user, bool live = false, quint64 cursor = 0,
                                       v1::Welcome* welcome = nullptr);
    void checkServerStillServes();

    ServerProcess m_server;
    QString m_error;
};

void ProtocolTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY2(m_server.start({QStringLiteral("--demo")}), qPrintable(m_server.lastError()));
}

std::unique_ptr<NetClient> ProtocolTest::signedIn(const QString& user, bool live, quint64 cursor,
                                                 v1::Welcome* welcome)
{
    auto client = std::make_unique<NetClient>();
    if (!client->open(m_server.url())) {
        m_error = QStringLiteral("connect: ") + client->lastError();
        return nullptr;
    }
    const QString token = client->login(user, kPassword);
    if (token.isEmpty()) {
        m_error = QStringLiteral("login %1: %2").arg(user, client->lastError());
        return nullptr;
    }
    auto w = client->hello(token, cursor, live);
    if (!w) {
        m_error = QStringLiteral("hello %1: %2").arg(user, client->lastError());
        return nullptr;
    }
    if (welcome)
        *welcome = *w;
    return client;
}

void ProtocolTest::checkServerStillServes()
{
    auto client = signedIn(QStringLiteral("admin"));
    QVERIFY2(client, qPrintable(m_error));
}

void ProtocolTest::httpEndpoints_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    const QByteArray close = "Host: 127.0.0.1\r\nConnection: close\r\n";
    QTest::newRow("healthz") << "GET /healthz HTTP/1.1\r\n" + close + "\r\n" << 200
                             << QByteArray("ok\n");
    QTest::newRow("readyz") << "GET /readyz HTTP/1.1\r\n" + close + "\r\n" << 200
                            << QByteArray("ready\n");
    QTest::newRow("unknown path") << "GET /nothing-here HTTP/1.1\r\n" + close + "\r\n" << 404
                                  << QByteArray();
    QTest::newRow("upgrade elsewhere")
        << QByteArray("GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << 404 << QByteArray();
    // Refused on the Content-Length alone, before any of the body is read.
    QTest::newRow("body too large")
        << "POST /healthz HTTP/1.1\r\n" + close + "Content-Length: 10000000\r\n\r\n" << 413
        << QByteArray();
    QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01 hello?\r\n\r\n") << 400 << QByteArray();
}

void ProtocolTest::httpEndpoints()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const QByteArray response = httpExchange(m_server.port(), request);
    const QByteArray statusLine = response.left(response.indexOf("\r\n"));
    QVERIFY2(statusLine.startsWith("HTTP/1.1 " + QByteArray::number(status)),
             response.left(200).constData());
    if (!body.isEmpty())
        QCOMPARE(httpBody(response), body);
}

void ProtocolTest::loginWithWrongPassword()
{
    NetClient client;
    QVERIFY2(client.open(m_server.url()), qPrintable(client.lastError()));
    v1::LoginResult result;
    const QString token = client.login(QStringLiteral("rpatel"), QStringLiteral("wrong"), &result);
    QVERIFY(token.isEmpty());
    QVERIFY(!result.ok());
    QCOMPARE(result.code(), std::string("auth.failed"));
    QVERIFY(result.token().empty());
    // A refused login is an answer, not a protocol error: the connection stays usable.
    QVERIFY(!client.login(QStringLiteral("rpatel"), kPassword).isEmpty());
    QVERIFY(client.isConnected());
}

void ProtocolTest::loginThenHello()
{
    v1::Welcome welcome;
    auto client = signedIn(QStringLiteral("atorres"), false, 0, &welcome);
    QVERIFY2(client, qPrintable(m_error));
    QCOMPARE(welcome.user().id(), std::string("atorres"));
    QCOMPARE(welcome.user().display_name(), std::string("A. Torres"));
    QCOMPARE(welcome.user().roles_size(), 1);
    QCOMPARE(welcome.user().roles(0), std::string("finance"));
    QCOMPARE(welcome.protocol_version(), 1u);
    QVERIFY(welcome.head_seq() > 0); // the demo cases are there
    // Not live: no snapshot follows.
    QVERIFY(client->quietFor(300));
}

void ProtocolTest::helloRefused_data()
{
    QTest::addColumn<bool>("validToken");
    QTest::addColumn<quint32>("version");
    QTest::addColumn<QString>("code");
    QTest::newRow("bad token") << false << 1u << QStringLiteral("auth.invalid");
    QTest::newRow("protocol version 2") << true << 2u << QStringLiteral("protocol.version");
    QTest::newRow("protocol version 0") << true << 0u << QStringLiteral("protocol.version");
}

void ProtocolTest::helloRefused()
{
    QFETCH(bool, validToken);
    QFETCH(quint32, version);
    QFETCH(QString, code);
    NetClient client;
    QVERIFY2(client.open(m_server.url()), qPrintable(client.lastError()));
    QString token = QStringLiteral("not-a-token");
    if (validToken) {
        token = client.login(QStringLiteral("jlee"), kPassword);
        QVERIFY2(!token.isEmpty(), qPrintable(client.lastError()));
    }
    QVERIFY(!client.hello(token, 0, true, version));
    // hello() consumed the reply; it must have been the fatal Error. Check via lastError text.
    QVERIFY2(client.lastError().contains(code), qPrintable(client.lastError()));
    QVERIFY2(client.lastError().contains(QStringLiteral("fatal: true")),
             qPrintable(client.lastError()));
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), 1008);
}

void ProtocolTest::badFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("text");
    QTest::addColumn<bool>("afterHello");
    QTest::addColumn<QString>("code");

    const auto bytes = [](const v1::Envelope& e) {
        const std::string s = e.SerializeAsString();
        return QByteArray(s.data(), qsizetype(s.size()));
    };
    v1::Envelope welcome;
    welcome.mutable_welcome()->set_head_seq(1);
    v1::Envelope command;
    *command.mutable_command() = addNote("any", "sneaky");
    command.mutable_command()->set_command_id("c1");
    v1::Envelope query;
    query.mutable_query()->mutable_who_am_i();
    v1::Envelope snapshot;
    snapshot.mutable_snapshot()->set_last(true);
    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(1);

    QTest::newRow("garbage bytes") << QByteArray("this is not protobuf") << false << false
                                   << QStringLiteral("protocol.malformed");
    QTest::newRow("empty envelope") << QByteArray() << false << false
                                    << QStringLiteral("protocol.malformed");
    QTest::newRow("text frame") << QByteArray("{\"hello\": {}}") << true << false
                                << QStringLiteral("protocol.malformed");
    QTest::newRow("server-only Welcome") << bytes(welcome) << false << false
                                         << QStringLiteral("protocol.unexpected");
    QTest::newRow("server-only SnapshotPage") << bytes(snapshot) << false << true
                                              << QStringLiteral("protocol.unexpected");
    QTest::newRow("command before hello") << bytes(command) << false << false
                                          << QStringLiteral("auth.required");
    QTest::newRow("query before hello") << bytes(query) << false << false
                                        << QStringLiteral("auth.required");
    QTest::newRow("second hello") << bytes(hello) << false << true
                                  << QStringLiteral("protocol.unexpected");
    QTest::newRow("garbage after hello") << QByteArray("\xff\xff\xff") << false << true
                                         << QStringLiteral("protocol.malformed");
}

void ProtocolTest::badFrames()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, text);
    QFETCH(bool, afterHello);
    QFETCH(QString, code);

    std::unique_ptr<NetClient> client;
    if (afterHello) {
        client = signedIn(QStringLiteral("jlee"));
        QVERIFY2(client, qPrintable(m_error));
    } else {
        client = std::make_unique<NetClient>();
        QVERIFY2(client->open(m_server.url()), qPrintable(client->lastError()));
    }
    if (text)
        client->sendText(QString::fromUtf8(frame));
    else
        client->sendBinary(frame);

    auto reply = client->next();
    QVERIFY2(reply, qPrintable(client->lastError()));
    QVERIFY2(reply->has_error(), reply->ShortDebugString().c_str());
    QCOMPARE(QString::fromStdString(reply->error().code()), code);
    QVERIFY(reply->error().fatal());
    QVERIFY(!reply->error().message().empty());
    QVERIFY(client->waitClosed());
    QCOMPARE(client->closeCode(), 1008);
    QVERIFY(!client->closeReason().isEmpty());
    checkServerStillServes();
}

void ProtocolTest::oversizedMessageClosesWith1009()
{
    NetClient client;
    QVERIFY2(client.open(m_server.url()), qPrintable(client.lastError()));
    client.sendBinary(QByteArray(2 * 1024 * 1024, 'x'));
    QVERIFY(client.waitClosed(15000));
    QCOMPARE(client.closeCode(), 1009);
    QVERIFY2(client.closeReason().contains(QStringLiteral("too_big")),
             qPrintable(client.closeReason()));
    checkServerStillServes();
}

void ProtocolTest::queryAfterHello()
{
    auto client = signedIn(QStringLiteral("mkim"));
    QVERIFY2(client, qPrintable(m_error));
    v1::Envelope envelope;
    envelope.mutable_query()->set_query_id("q-1");
    envelope.mutable_query()->mutable_who_am_i();
    client->send(envelope);
    auto reply = client->next();
    QVERIFY2(reply, qPrintable(client->lastError()));
    QVERIFY2(reply->has_query_result(), reply->ShortDebugString().c_str());
    QCOMPARE(reply->query_result().query_id(), std::string("q-1"));
    QVERIFY(reply->query_result().ok());
    QCOMPARE(reply->query_result().user().username(), std::string("mkim"));
}

void ProtocolTest::logoutEndsTheSession()
{
    NetClient client;
    QVERIFY2(client.open(m_server.url()), qPrintable(client.lastError()));
    const QString token = client.login(QStringLiteral("jlee"), kPassword);
    QVERIFY2(!token.isEmpty(), qPrintable(client.lastError()));
    QVERIFY2(client.hello(token), qPrintable(client.lastError()));
    v1::Envelope logout;
    logout.mutable_logout();
    client.send(logout);
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), 1000);

    // The token is dead for every later connection.
    NetClient again;
    QVERIFY2(again.open(m_server.url()), qPrintable(again.lastError()));
    QVERIFY(!again.hello(token));
    QVERIFY2(again.lastError().contains(QStringLiteral("auth.")), qPrintable(again.lastError()));
    QVERIFY(again.waitClosed());
    QCOMPARE(again.closeCode(), 1008);
}

void ProtocolTest::pipelinedRequestsAreAnsweredInOrder()
{
    NetClient client;
    QVERIFY2(client.open(m_server.url()), qPrintable(client.lastError()));
    const QString token = client.login(QStringLiteral("mkim"), kPassword);
    QVERIFY2(!token.isEmpty(), qPrintable(client.lastError()));
    // Hello (with its snapshot) and two queries, sent without waiting for any answer.
    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(1);
    hello.mutable_hello()->set_token(token.toStdString());
    hello.mutable_hello()->set_live(true);
    client.send(hello);
    v1::Envelope first;
    first.mutable_query()->set_query_id("first");
    first.mutable_query()->mutable_list_cases();
    client.send(first);
    v1::Envelope second;
    second.mutable_query()->set_query_id("second");
    second.mutable_query()->mutable_who_am_i();
    client.send(second);

    auto reply = client.next();
    QVERIFY2(reply && reply->has_welcome(), qPrintable(client.lastError()));
    const Snapshot snapshot = readSnapshot(client);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    reply = client.next();
    QVERIFY2(reply && reply->has_query_result(), qPrintable(client.lastError()));
    QCOMPARE(reply->query_result().query_id(), std::string("first"));
    QCOMPARE(std::size_t(reply->query_result().cases_size()), snapshot.cases.size());
    reply = client.next();
    QVERIFY2(reply && reply->has_query_result(), qPrintable(client.lastError()));
    QCOMPARE(reply->query_result().query_id(), std::string("second"));
}

void ProtocolTest::liveClientGetsSnapshotThenPushes()
{
    v1::Welcome welcome;
    auto live = signedIn(QStringLiteral("mkim"), true, 0, &welcome);
    QVERIFY2(live, qPrintable(m_error));
    const Snapshot snapshot = readSnapshot(*live);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    QVERIFY(snapshot.reset);
    QVERIFY(!snapshot.cases.empty());
    QVERIFY(snapshot.uptoSeq >= welcome.head_seq());
    for (const auto& c : snapshot.cases)
        QCOMPARE(quint64(c.events_size()), c.case_().version()); // whole histories
    const std::string caseId = snapshot.cases.front().case_().id();

    // Another connection, another user, adds a note.
    auto admin = signedIn(QStringLiteral("admin"));
    QVERIFY2(admin, qPrintable(m_error));
    auto result = runCommand(*admin, addNote(caseId, "pushed to live sessions"));
    QVERIFY2(result, qPrintable(admin->lastError()));
    QVERIFY2(result->accepted(), result->message().c_str());
    QCOMPARE(result->seqs_size(), 1);

    auto pushed = live->next();
    QVERIFY2(pushed, qPrintable(live->lastError()));
    QVERIFY2(pushed->has_events(), pushed->ShortDebugString().c_str());
    QCOMPARE(pushed->events().events_size(), 1);
    const auto& event = pushed->events().events(0);
    QCOMPARE(event.seq(), result->seqs(0));
    QCOMPARE(event.case_id(), caseId);
    QVERIFY(event.has_note_added());
    QCOMPARE(event.note_added().text(), std::string("pushed to live sessions"));
    QVERIFY(pushed->events().upto_seq() >= event.seq());
}

void ProtocolTest::reconnectGetsCatchUpWithoutDuplicates()
{
    quint64 cursor = 0;
    std::string caseId;
    {
        auto first = signedIn(QStringLiteral("jlee"), true, 0);
        QVERIFY2(first, qPrintable(m_error));
        const Snapshot snapshot = readSnapshot(*first);
        QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
        QVERIFY(snapshot.reset);
        QVERIFY(snapshot.cases.size() >= 2);
        cursor = snapshot.uptoSeq;
        caseId = snapshot.cases.back().case_().id();
        first->close();
    }
    // While jlee is away, one of the cases changes.
    auto admin = signedIn(QStringLiteral("admin"));
    QVERIFY2(admin, qPrintable(m_error));
    auto result = runCommand(*admin, addNote(caseId, "while you were away"));
    QVERIFY2(result && result->accepted(), qPrintable(admin->lastError()));
    const quint64 awaySeq = result->seqs(0);

    auto again = signedIn(QStringLiteral("jlee"), true, cursor);
    QVERIFY2(again, qPrintable(m_error));
    const Snapshot catchUp = readSnapshot(*again);
    QVERIFY2(catchUp.ok, qPrintable(catchUp.error));
    QVERIFY(!catchUp.reset);
    QCOMPARE(catchUp.cases.size(), std::size_t(1)); // only what changed after the cursor
    QCOMPARE(catchUp.cases.front().case_().id(), caseId);
    QVERIFY(catchUp.uptoSeq >= awaySeq);
    std::multiset<quint64> seen;
    for (const auto& e : catchUp.cases.front().events())
        seen.insert(e.seq());
    QCOMPARE(seen.count(awaySeq), std::size_t(1));
    // The live path must not send the same event again.
    QVERIFY(again->quietFor(500));

    // The next change arrives live, once, and only the new event.
    result = runCommand(*admin, addNote(caseId, "and now live"));
    QVERIFY2(result && result->accepted(), qPrintable(admin->lastError()));
    auto pushed = again->next();
    QVERIFY2(pushed && pushed->has_events(), qPrintable(again->lastError()));
    QCOMPARE(pushed->events().events_size(), 1);
    QCOMPARE(pushed->events().events(0).seq(), result->seqs(0));
    QVERIFY(again->quietFor(300));
}

void ProtocolTest::caseLeavingTheViewArrivesAsRevoke()
{
    // jlee (operator) works the support queue only; an invoice dispute goes to finance.
    auto admin = signedIn(QStringLiteral("admin"));
    QVERIFY2(admin, qPrintable(m_error));
    v1::Command create;
    create.mutable_create_case()->set_type("invoice_dispute");
    create.mutable_create_case()->set_title("Invoice dispute for the revoke test");
    create.mutable_create_case()->set_customer("Hooli");
    auto created = runCommand(*admin, create);
    QVERIFY2(created && created->accepted(),
             created ? created->message().c_str() : qPrintable(admin->lastError()));
    const std::string caseId = created->case_id();

    auto jlee = signedIn(QStringLiteral("jlee"), true, 0);
    QVERIFY2(jlee, qPrintable(m_error));
    const Snapshot snapshot = readSnapshot(*jlee);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    QVERIFY(!snapshot.hasCase(caseId));

    // Assigned to jlee: it comes into view, whole.
    auto result = runCommand(*admin, assign(caseId, "jlee"));
    QVERIFY2(result && result->accepted(), result ? result->message().c_str() : "no result");
    auto pushed = jlee->next();
    QVERIFY2(pushed && pushed->has_events(), qPrintable(jlee->lastError()));
    QCOMPARE(pushed->events().cases_size(), 1);
    QCOMPARE(pushed->events().cases(0).case_().id(), caseId);
    QCOMPARE(pushed->events().cases(0).case_().assignee(), std::string("jlee"));

    // Reassigned to someone else: it leaves jlee's view as a Revoke.
    result = runCommand(*admin, assign(caseId, "rpatel"));
    QVERIFY2(result && result->accepted(), result ? result->message().c_str() : "no result");
    auto revoke = jlee->next();
    QVERIFY2(revoke, qPrintable(jlee->lastError()));
    QVERIFY2(revoke->has_revoke(), revoke->ShortDebugString().c_str());
    QCOMPARE(revoke->revoke().case_id(), caseId);
    QVERIFY(jlee->quietFor(300));
}

namespace {

// Sends one admin request and waits for its answer, skipping pushes.
std::optional<v1::AdminResult> runAdmin(NetClient& client, const v1::AdminRequest& request)
{
    static int counter = 0;
    v1::Envelope envelope;
    const std::string id = "admin-" + std::to_string(++counter);
    envelope.mutable_query()->set_query_id(id);
    *envelope.mutable_query()->mutable_admin() = request;
    client.send(envelope);
    while (auto reply = client.next()) {
        if (reply->has_query_result() && reply->query_result().query_id() == id)
            return reply->query_result().admin();
    }
    return std::nullopt;
}

} // namespace

void ProtocolTest::roleChangeReachesLiveSessionsAtOnce()
{
    // A finance user watching live sees the finance queue. When an admin takes the role away, the
    // open session gets a fresh reset snapshot for the new roles at once, without the case; given
    // back, the case returns; disabling the account ends the session.
    auto admin = signedIn(QStringLiteral("admin"));
    QVERIFY2(admin, qPrintable(m_error));
    v1::AdminRequest create;
    create.mutable_create_user()->set_username("kchen");
    create.mutable_create_user()->set_display_name("K. Chen");
    create.mutable_create_user()->add_roles("finance");
    create.mutable_create_user()->set_password(kPassword.toStdString());
    auto created = runAdmin(*admin, create);
    QVERIFY2(created && created->ok(), created ? created->message().c_str() : "no answer");

    v1::Command dispute;
    dispute.mutable_create_case()->set_type("invoice_dispute");
    dispute.mutable_create_case()->set_title("Invoice dispute for the role change test");
    dispute.mutable_create_case()->set_customer("Initech");
    auto result = runCommand(*admin, dispute);
    QVERIFY2(result && result->accepted(), result ? result->message().c_str() : "no result");
    const std::string caseId = result->case_id();

    auto kchen = signedIn(QStringLiteral("kchen"), true, 0);
    QVERIFY2(kchen, qPrintable(m_error));
    Snapshot snapshot = readSnapshot(*kchen);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    QVERIFY(snapshot.hasCase(caseId));

    v1::AdminRequest roles;
    roles.mutable_set_roles()->set_username("kchen");
    roles.mutable_set_roles()->add_roles("operator");
    auto changed = runAdmin(*admin, roles);
    QVERIFY2(changed && changed->ok(), changed ? changed->message().c_str() : "no answer");
    snapshot = readSnapshot(*kchen);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    QVERIFY(snapshot.reset);
    QVERIFY(!snapshot.hasCase(caseId));

    // Pushes now follow the new roles: a note on the dispute does not reach kchen.
    result = runCommand(*admin, addNote(caseId, "finance only"));
    QVERIFY2(result && result->accepted(), "note refused");
    QVERIFY(kchen->quietFor(300));

    roles.mutable_set_roles()->set_roles(0, "finance");
    changed = runAdmin(*admin, roles);
    QVERIFY2(changed && changed->ok(), changed ? changed->message().c_str() : "no answer");
    snapshot = readSnapshot(*kchen);
    QVERIFY2(snapshot.ok, qPrintable(snapshot.error));
    QVERIFY(snapshot.reset);
    QVERIFY(snapshot.hasCase(caseId));

    v1::AdminRequest disable;
    disable.mutable_set_disabled()->set_username("kchen");
    disable.mutable_set_disabled()->set_disabled(true);
    changed = runAdmin(*admin, disable);
    QVERIFY2(changed && changed->ok(), changed ? changed->message().c_str() : "no answer");
    auto error = kchen->next();
    QVERIFY2(error && error->has_error(), qPrintable(kchen->lastError()));
    QCOMPARE(error->error().code(), std::string("auth.disabled"));
    QVERIFY(kchen->waitClosed());
    QCOMPARE(kchen->closeCode(), 1008);
}

void ProtocolTest::cleanupTestCase()
{
    // Everything above is ordinary client behaviour, good or bad: none of it is a server error.
    QCOMPARE(terminateAndWait(m_server), 0);
    static const QRegularExpression serverError(
        QStringLiteral(" (error|critical) \\[[^\\]]+\\] .*"));
    const auto match = serverError.match(m_server.output());
    QVERIFY2(!match.hasMatch(), qPrintable(match.captured(0)));
}

QTEST_GUILESS_MAIN(ProtocolTest)
#include "protocoltest.moc"
