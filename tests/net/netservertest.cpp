// latch-server's network front as an operator and a client see it: refusing to start on an unsafe
// or unusable address or TLS setup, serving wss:// with a real certificate, dropping a client that
// stops reading, and closing every client with 1001 on SIGTERM before exiting 0.
#include "rawwsclient.h"
#include "serverprocess.h"
#include "testhelpers.h"
#include "netclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace latch;
using namespace nettest;

class NetServerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startRefused_data();
    void startRefused();
    void slowConsumerIsDropped();
    void tlsServer();
    void sigtermClosesWithGoingAway();
};

void NetServerTest::initTestCase()
{
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY2(!qEnvironmentVariable("LATCH_SOURCE_DIR").isEmpty(), "LATCH_SOURCE_DIR is not set");
}

void NetServerTest::startRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("tlsFiles"); // "": no TLS; "missing"; "garbage"
    QTest::addColumn<QString>("message");
    QTest::newRow("plain ws on a public address")
        << QStringList{"--listen", "0.0.0.0:0"} << QString()
        << QStringLiteral("refusing plain ws:// on the non-loopback address 0.0.0.0:0");
    QTest::newRow("listen on a name")
        << QStringList{"--listen", "nowhere.example:7443"} << QString()
        << QStringLiteral("the host must be an IP address");
    QTest::newRow("listen without a port") << QStringList{"--listen", "127.0.0.1"} << QString()
                                           << QStringLiteral("expected HOST:PORT");
    QTest::newRow("TLS files missing") << QStringList{"--listen", "127.0.0.1:0"}
                                       << QStringLiteral("missing")
                                       << QStringLiteral("cannot read the TLS file");
    QTest::newRow("TLS certificate not PEM") << QStringList{"--listen", "127.0.0.1:0"}
                                             << QStringLiteral("garbage")
                                             << QStringLiteral("cannot load the TLS certificate");
}

void NetServerTest::startRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, tlsFiles);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QStringList all = QStringList{"--data", dir.path()} + args;
    if (!tlsFiles.isEmpty()) {
        const QString cert = dir.filePath(QStringLiteral("c.pem"));
        const QString key = dir.filePath(QStringLiteral("k.pem"));
        if (tlsFiles == QStringLiteral("garbage")) {
            for (const auto& path : {cert, key}) {
                QFile file(path);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write("this is not PEM\n");
            }
        }
        const QString config = writeTlsConfig(dir, cert, key);
        QVERIFY2(!config.isEmpty(), "cannot write the config (is LATCH_SOURCE_DIR set?)");
        all << QStringLiteral("--config") << config;
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(ServerProcess::serverBinary(), all);
    QVERIFY(server.waitForFinished(20000));
    const QString output = QString::fromUtf8(server.readAll());
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QVERIFY2(server.exitCode() != 0, qPrintable(output));
    QVERIFY2(output.contains(message), qPrintable(output));
    QVERIFY2(!output.contains(QStringLiteral("listening on")), qPrintable(output));
}

void NetServerTest::slowConsumerIsDropped()
{
    QTemporaryDir dir;
    const QString configPath = writeConfig(
        dir, {{"max_frame_bytes: 1048576", "max_frame_bytes: 65536"},
              {"snapshot_page_bytes: 262144", "snapshot_page_bytes: 32768"},
              {"max_send_queue_bytes: 16777216", "max_send_queue_bytes: 65536"}});
    QVERIFY2(!configPath.isEmpty(), "cannot write the config (is LATCH_SOURCE_DIR set?)");
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), configPath, QStringLiteral("--demo")}),
             qPrintable(server.lastError()));
    RawWsClient client;
    QVERIFY2(client.open(server.port()), qPrintable(client.lastError()));
    v1::Envelope login;
    login.mutable_login()->set_username("admin");
    login.mutable_login()->set_password(kPassword.toStdString());
    client.send(login);
    QVERIFY(client.flush());
    auto reply = client.next();
    QVERIFY2(reply && reply->login_result().ok(), qPrintable(client.lastError()));
    const std::string token = reply->login_result().token();
    v1::Envelope hello;
    hello.mutable_hello()->set_protocol_version(1);
    hello.mutable_hello()->set_token(token);
    client.send(hello);
    QVERIFY(client.flush());
    reply = client.next();
    QVERIFY2(reply && reply->has_welcome(), qPrintable(client.lastError()));

    // Ask for far more than the socket buffers hold and stop reading.
    constexpr int kQueries = 5000;
    v1::Envelope query;
    query.mutable_query()->mutable_list_cases();
    for (int i = 0; i < kQueries; ++i) {
        query.mutable_query()->set_query_id(std::to_string(i));
        client.send(query);
    }
    QVERIFY2(client.flush(), qPrintable(client.lastError()));
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired() && !server.output().contains(QStringLiteral("slow consumer")))
        server.process().waitForReadyRead(100);
    QVERIFY2(server.output().contains(QStringLiteral("slow consumer")),
             "the client was not dropped");

    // Now read: what was already on its way, the Error saying why, then the close frame.
    int results = 0;
    std::optional<v1::Error> error;
    std::optional<RawWsClient::Frame> close;
    while (auto frame = client.readFrame(15000)) {
        if (frame->opcode == 8) {
            close = frame;
            break;
        }
        QCOMPARE(frame->opcode, 2);
        QVERIFY2(!error, "nothing may follow the Error");
        v1::Envelope envelope;
        QVERIFY(envelope.ParseFromArray(frame->payload.constData(), int(frame->payload.size())));
        if (envelope.has_error()) {
            error = envelope.error();
        } else {
            QVERIFY(envelope.has_query_result());
            ++results;
        }
    }
    QVERIFY2(close, qPrintable(client.lastError()));
    QVERIFY(close->payload.size() >= 2);
    const int code = (quint8(close->payload[0]) << 8) | quint8(close->payload[1]);
    QCOMPARE(code, 1013);
    QCOMPARE(close->payload.mid(2),
             QByteArray("slow consumer: reconnect and resume from your cursor"));
    QVERIFY2(error, "no Error before the close");
    QCOMPARE(error->code(), std::string("sync.slow_consumer"));
    QVERIFY(error->fatal());
    QVERIFY2(results < kQueries, "the server answered everything: it never dropped the queue");
    client.sendFrame(8, close->payload.left(2));
    QVERIFY(client.flush());

    // The same user reconnects and is served again.
    NetClient again;
    QVERIFY2(again.open(server.url()), qPrintable(again.lastError()));
    QVERIFY2(again.hello(QString::fromStdString(token)), qPrintable(again.lastError()));
    again.close();
    QCOMPARE(terminateAndWait(server), 0);
}

void NetServerTest::tlsServer()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString key = dir.filePath(QStringLiteral("server.key"));
    const QString cert = dir.filePath(QStringLiteral("server.crt"));
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                   "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
                   "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert});
    QVERIFY(openssl.waitForFinished(30000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAll().constData());

    const QString configPath = writeTlsConfig(dir, cert, key);
    QVERIFY2(!configPath.isEmpty(), "cannot write the config (is LATCH_SOURCE_DIR set?)");
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), configPath, QStringLiteral("--demo")}),
             qPrintable(server.lastError()));
    QVERIFY2(server.output().contains(QStringLiteral("listening on wss://")),
             qPrintable(server.output()));
    const QString wss = QStringLiteral("wss://127.0.0.1:%1/sync").arg(server.port());

    // Trust exactly that certificate: full verification, name included.
    const auto certificates = QSslCertificate::fromPath(cert);
    QCOMPARE(certificates.size(), 1);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(certificates);

    NetClient client;
    client.setSslConfiguration(ssl);
    QVERIFY2(client.open(wss), qPrintable(client.lastError()));
    QVERIFY2(!client.login(QStringLiteral("admin"), kPassword).isEmpty(),
             qPrintable(client.lastError()));

    // Health over TLS too.
    QSslSocket https;
    https.setSslConfiguration(ssl);
    https.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
    QVERIFY2(https.waitForEncrypted(10000), qPrintable(https.errorString()));
    https.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && !response.endsWith("ok\n")) {
        if (https.waitForReadyRead(200))
            response += https.readAll();
    }
    QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());

    // A plain ws:// client on the TLS port gets nowhere.
    NetClient plain;
    QVERIFY(!plain.open(QStringLiteral("ws://127.0.0.1:%1/sync").arg(server.port())));

    // A client that does not trust the certificate refuses it.
    NetClient untrusting;
    QVERIFY(!untrusting.open(wss));
    QVERIFY2(!untrusting.lastError().isEmpty(), "expected an SSL error");
    QCOMPARE(terminateAndWait(server), 0);
    QVERIFY(client.isClosed());
    QCOMPARE(client.closeCode(), 1001);
}

void NetServerTest::sigtermClosesWithGoingAway()
{
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--demo")}), qPrintable(server.lastError()));
    NetClient client;
    QVERIFY2(client.open(server.url()), qPrintable(client.lastError()));
    const QString token = client.login(QStringLiteral("mkim"), kPassword);
    QVERIFY2(!token.isEmpty(), qPrintable(client.lastError()));
    QVERIFY2(client.hello(token, 0, true), qPrintable(client.lastError()));
    QVERIFY2(readSnapshot(client).ok, qPrintable(client.lastError()));

    QCOMPARE(terminateAndWait(server), 0);
    QVERIFY(client.isClosed());
    QCOMPARE(client.closeCode(), 1001);
    QCOMPARE(client.closeReason(), QStringLiteral("server is shutting down"));
}

QTEST_GUILESS_MAIN(NetServerTest)
#include "netservertest.moc"
