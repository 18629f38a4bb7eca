#pragma once
// A latch-server process for latch-appbench: `--demo --data DIR --listen 127.0.0.1:0`, its output
// appended to DIR/../server.log, and the port read from the "listening on" line (as
// tests/support/ServerProcess does, without Qt Test). Stopped with SIGTERM on stop() or
// destruction.
//
// Threading: main thread only.
#include <QProcess>
#include <QString>

#include <memory>

namespace latch::appbench {

class BenchServer {
public:
    BenchServer(QString binary, QString dataDir, QString logFile);
    ~BenchServer();
    BenchServer(const BenchServer&) = delete;
    BenchServer& operator=(const BenchServer&) = delete;

    // Starts it and waits (up to `timeoutMs`) for the port. Throws std::runtime_error with the
    // end of the log when it does not come up.
    void start(int timeoutMs = 60000);
    void stop();
    bool running() const;

    QString url() const { return m_url; } // ws://127.0.0.1:PORT/sync
    qint64 pid() const;

private:
    QString m_binary;
    QString m_dataDir;
    QString m_logFile;
    std::unique_ptr<QProcess> m_process;
    QString m_url;
};

} // namespace latch::appbench
