#pragma once
// Starts the real latch-server binary for a test: its own data dir, 127.0.0.1 port 0, and waits
// for the line that names the port the OS picked. The process is killed when this object dies.
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class ServerProcess {
public:
    // `dataDir` empty: a fresh temporary directory owned by this object.
    explicit ServerProcess(QString dataDir = {});
    ~ServerProcess();

    // Starts latch-server with --data, --listen 127.0.0.1:0 and `extraArgs` (e.g. "--demo").
    // Returns false (and fills lastError()) when it did not report a port within `timeoutMs`.
    bool start(const QStringList& extraArgs = {}, int timeoutMs = 20000);
    // The port the next start() listens on; 0 (the default) lets the OS pick. Restarting on the
    // port a previous start() got lets clients reconnect to "the same server".
    void setListenPort(quint16 port) { m_listenPort = port; }
    // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 15000);
    // SIGKILL: no chance to flush anything.
    void kill();

    quint16 port() const { return m_port; }
    QString url() const; // ws://127.0.0.1:<port>/sync
    QString dataDir() const { return m_dataDir; }
    QString output() const { return m_output; } // everything printed so far (stdout + stderr)
    QString lastError() const { return m_error; }
    QProcess& process() { return *m_process; }

    static QString serverBinary();  // $LATCH_SERVER_BIN
    static QString latchctlBinary(); // $LATCHCTL_BIN

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dataDir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    quint16 m_listenPort = 0;
    QString m_output;
    QString m_error;
};
