#include "testhelpers.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

#include <algorithm>

using namespace latch;

namespace nettest {

bool Snapshot::hasCase(const std::string& id) const
{
    return std::any_of(cases.begin(), cases.end(),
                       [&](const v1::CaseSnapshot& c) { return c.case_().id() == id; });
}

Snapshot readSnapshot(NetClient& client)
{
    Snapshot s;
    for (;;) {
        auto envelope = client.next();
        if (!envelope) {
            s.error = client.lastError();
            return s;
        }
        if (!envelope->has_snapshot()) {
            s.error = QStringLiteral("expected a SnapshotPage, got %1")
                          .arg(QString::fromStdString(envelope->ShortDebugString()));
            return s;
        }
        const auto& page = envelope->snapshot();
        if (s.pages++ == 0)
            s.reset = page.reset();
        for (const auto& c : page.cases())
            s.cases.push_back(c);
        for (const auto& r : page.revoked())
            s.revoked.push_back(r);
        if (page.last()) {
            s.uptoSeq = page.upto_seq();
            s.ok = true;
            return s;
        }
    }
}

std::optional<v1::CommandResult> runCommand(NetClient& client, v1::Command command)
{
    command.set_command_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    v1::Envelope envelope;
    *envelope.mutable_command() = command;
    client.send(envelope);
    while (auto reply = client.next()) {
        if (reply->has_command_result() && reply->command_result().command_id()
                                               == command.command_id())
            return reply->command_result();
    }
    return std::nullopt;
}

v1::Command addNote(const std::string& caseId, const std::string& text)
{
    v1::Command c;
    c.mutable_add_note()->set_case_id(caseId);
    c.mutable_add_note()->set_text(text);
    return c;
}

v1::Command assign(const std::string& caseId, const std::string& who)
{
    v1::Command c;
    c.mutable_assign()->set_case_id(caseId);
    c.mutable_assign()->set_assignee(who);
    return c;
}

QByteArray httpExchange(quint16 port, const QByteArray& request)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray response;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(200))
            response += socket.readAll();
    }
    response += socket.readAll();
    return response;
}

int terminateAndWait(ServerProcess& server, int timeoutMs)
{
    server.process().terminate();
    if (!QTest::qWaitFor([&] { return server.process().state() == QProcess::NotRunning; },
                         timeoutMs)) {
        server.kill();
        return -1;
    }
    return server.process().exitStatus() == QProcess::NormalExit ? server.process().exitCode() : -1;
}

QString writeConfig(const QTemporaryDir& dir, const QList<QPair<QByteArray, QByteArray>>& edits)
{
    QFile shipped(qEnvironmentVariable("LATCH_SOURCE_DIR")
                  + QStringLiteral("/resources/config/latch.yaml"));
    if (!shipped.open(QIODevice::ReadOnly))
        return {};
    QByteArray yaml = shipped.readAll();
    for (const auto& [from, to] : edits) {
        if (!yaml.contains(from))
            return {};
        yaml.replace(from, to);
    }
    const QString path = dir.filePath(QStringLiteral("latch.yaml"));
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly) || config.write(yaml) != yaml.size())
        return {};
    return path;
}

QByteArray httpBody(const QByteArray& response)
{
    const auto at = response.indexOf("\r\n\r\n");
    return at < 0 ? QByteArray() : response.mid(at + 4);
}

QString writeTlsConfig(const QTemporaryDir& dir, const QString& cert, const QString& key)
{
    // The shipped file has the tls block commented out under `server:`.
    const QString tls
        = QStringLiteral("\nserver:\n  tls:\n    cert: %1\n    key: %2\n").arg(cert, key);
    return writeConfig(dir, {{"\nserver:\n", tls.toUtf8()}});
}

} // namespace nettest
