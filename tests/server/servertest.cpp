// latch-server as an operator meets it: first start creates one admin, a broken config or a
// taken port stops the start with a clear message, SIGTERM shuts down cleanly, and data survives.
#include "serverprocess.h"
#include "wsclient.h"

#include <QFile>
#include <QTcpServer>
#include <QtTest>

class ServerTest : public QObject {
    Q_OBJECT

private:
    // Runs latch-server to completion (for starts that must fail) and returns exit code + output.
    static std::pair<int, QString> runToEnd(const QStringList& args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(ServerProcess::serverBinary(), args);
        if (!p.waitForFinished(20000)) {
            p.kill();
            return {-1, QStringLiteral("did not exit")};
        }
        return {p.exitCode(), QString::fromUtf8(p.readAll())};
    }

private Q_SLOTS:
    void firstStartCreatesAnAdmin()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QFile file(server.dataDir() + "/initial-admin-password");
        QVERIFY(file.exists());
        QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString password = QString::fromUtf8(file.readAll()).trimmed();
        QVERIFY(password.size() >= 16);
        QVERIFY(!server.output().contains(password)); // never in the log

        WsClient client;
        QVERIFY(client.open(server.url()));
        QVERIFY(!client.login("admin", password).isEmpty());
        QCOMPARE(server.stop(), 0);

        // A restart keeps the same admin and does not make another password.
        const QByteArray before = [&] { QFile f(file.fileName()); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        ServerProcess again(server.dataDir());
        QVERIFY(again.start());
        QFile after(file.fileName());
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), before);
        WsClient second;
        QVERIFY(second.open(again.url()));
        QVERIFY(!second.login("admin", password).isEmpty());
    }

    void brokenConfigNamesFileLineAndField()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + "/latch.yaml";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("roles: [admin, finance]\n"
                "queues:\n"
                "  support: {roles: [finance], types: [refund]}\n"
                "default_queue: support\n"
                "rules:\n"
                "  - name: big-refunds\n"
                "    when: {type: refund, amount_over: \"1000.00 USD\"}\n"
                "    requires: {approvals: 0, approver_roles: [finance]}\n");
        f.close();
        const auto [code, output] = runToEnd({"--data", dir.path() + "/data", "--config", path,
                                              "--listen", "127.0.0.1:0"});
        QCOMPARE(code, 2);
        QVERIFY2(output.contains("latch.yaml:8"), qPrintable(output));
        QVERIFY2(output.contains("approvals"), qPrintable(output));
        QVERIFY(!output.contains("listening on"));
    }

    void missingConfigFileIsAClearError()
    {
        QTemporaryDir dir;
        const auto [code, output] = runToEnd({"--data", dir.path(), "--config",
                                              dir.path() + "/nope.yaml"});
        QCOMPARE(code, 2);
        QVERIFY2(output.contains("nope.yaml"), qPrintable(output));
    }

    void takenPortIsAClearError()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        const auto [code, output] = runToEnd(
            {"--data", dir.path(), "--listen", QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
        QCOMPARE(code, 2);
        QVERIFY2(output.contains(QString::number(taken.serverPort())), qPrintable(output));
    }

    void plainWebSocketOnAPublicAddressIsRefused()
    {
        QTemporaryDir dir;
        const auto [code, output] = runToEnd({"--data", dir.path(), "--listen", "0.0.0.0:0"});
        QCOMPARE(code, 2);
        QVERIFY2(output.contains("allow_plain_remote"), qPrintable(output));
    }

    void sigtermClosesClientsWithGoingAway()
    {
        ServerProcess server;
        QVERIFY(server.start({"--demo"}));
        WsClient client;
        QVERIFY(client.open(server.url()));
        const QString token = client.login("mkim", "latch-demo");
        QVERIFY(!token.isEmpty());
        auto welcome = client.hello(token, 0, true);
        QVERIFY(welcome && welcome->has_welcome());
        server.process().terminate();
        QVERIFY(client.waitClosed(10000));
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY(server.process().waitForFinished(10000));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(ServerTest)
#include "servertest.moc"
