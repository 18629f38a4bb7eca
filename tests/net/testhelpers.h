#pragma once
// Helpers shared by the net suites: the demo password, reading a whole snapshot, running one
// command, a raw HTTP exchange, a config file derived from the shipped one, and a SIGTERM that
// keeps this thread's event loop running.
#include "latch.pb.h"
#include "serverprocess.h"
#include "netclient.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QTemporaryDir>

#include <optional>
#include <string>
#include <vector>

namespace nettest {

inline const QString kPassword = QStringLiteral("latch-demo");

struct Snapshot {
    bool ok = false;
    bool reset = false;
    int pages = 0;
    std::vector<latch::v1::CaseSnapshot> cases;
    std::vector<std::string> revoked;
    quint64 uptoSeq = 0;
    QString error;

    bool hasCase(const std::string& id) const;
};

// Reads SnapshotPages up to and including the one marked last.
Snapshot readSnapshot(NetClient& client);

// Sends `command` with a fresh command_id and waits for its CommandResult, skipping pushes.
std::optional<latch::v1::CommandResult> runCommand(NetClient& client, latch::v1::Command command);
latch::v1::Command addNote(const std::string& caseId, const std::string& text);
latch::v1::Command assign(const std::string& caseId, const std::string& who);

// One HTTP/1.1 exchange over a fresh TCP connection; returns everything the server sent before
// closing (or within the timeout).
QByteArray httpExchange(quint16 port, const QByteArray& request);
QByteArray httpBody(const QByteArray& response);

// SIGTERM, keeping this thread's event loop running so that our clients answer the server's
// close frames (ServerProcess::stop() blocks, and the server waits for those answers). Returns
// the exit code, -1 when it did not exit normally in time.
int terminateAndWait(ServerProcess& server, int timeoutMs = 20000);

// The shipped configuration with `edits` (text -> replacement) applied, written into `dir`.
// Returns the file's path, or an empty string when the shipped file or an edit point is missing.
QString writeConfig(const QTemporaryDir& dir, const QList<QPair<QByteArray, QByteArray>>& edits);

// writeConfig() with a server.tls section naming `cert` and `key`.
QString writeTlsConfig(const QTemporaryDir& dir, const QString& cert, const QString& key);

} // namespace nettest
