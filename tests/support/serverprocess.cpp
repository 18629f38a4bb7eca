#include "serverprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QtTest>

ServerProcess::ServerProcess(QString dataDir)
    : m_dataDir(std::move(dataDir))
{
    if (m_dataDir.isEmpty()) {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tmp->path();
    }
}

ServerProcess::~ServerProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString ServerProcess::serverBinary()
{
    return qEnvironmentVariable("LATCH_SERVER_BIN");
}

QString ServerProcess::latchctlBinary()
{
    return qEnvironmentVariable("LATCHCTL_BIN");
}

QString ServerProcess::url() const
{
    return QStringLiteral("ws://127.0.0.1:%1/sync").arg(m_port);
}

bool ServerProcess::start(const QStringList& extraArgs, int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_output.clear();
    m_port = 0;
    const QStringList args = QStringList{"--data", m_dataDir, "--listen",
                                         QStringLiteral("127.0.0.1:%1").arg(m_listenPort)}
                             + extraArgs;
    m_process->start(serverBinary(), args);
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("latch-server did not start: %1").arg(m_process->errorString());
        return false;
    }
    // The server prints "listening on ws://127.0.0.1:<port>/sync" once it accepts connections.
    static const QRegularExpression listening(QStringLiteral("listening on wss?://[^:]+:(\\d+)/sync"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->waitForReadyRead(100))
            m_output += QString::fromUtf8(m_process->readAll());
        const auto match = listening.match(m_output);
        if (match.hasMatch()) {
            m_port = match.captured(1).toUShort();
            // Keep collecting output for tests that read it later.
            QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(),
                             [this] { m_output += QString::fromUtf8(m_process->readAll()); });
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    m_output += QString::fromUtf8(m_process->readAll());
    m_error = QStringLiteral("latch-server reported no port; output:\n%1").arg(m_output);
    return false;
}

int ServerProcess::stop(int timeoutMs)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : -1;
    m_process->terminate();
    // Keep this thread's event loop turning while waiting, so a client living in the test's
    // thread can answer the server's going-away close instead of stalling its shutdown.
    QDeadlineTimer deadline(timeoutMs);
    while (m_process->state() != QProcess::NotRunning && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_process->waitForFinished(20);
    }
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    m_output += QString::fromUtf8(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void ServerProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}
