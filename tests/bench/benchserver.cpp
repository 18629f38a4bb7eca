#include "benchserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

#include <stdexcept>

namespace latch::appbench {

BenchServer::BenchServer(QString binary, QString dataDir, QString logFile)
    : m_binary(std::move(binary))
    , m_dataDir(std::move(dataDir))
    , m_logFile(std::move(logFile))
{
}

BenchServer::~BenchServer()
{
    stop();
}

bool BenchServer::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 BenchServer::pid() const
{
    return running() ? m_process->processId() : 0;
}

void BenchServer::start(int timeoutMs)
{
    stop();
    QFile log(m_logFile);
    const qint64 logStart = log.exists() ? log.size() : 0;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_logFile, QIODevice::Append);
    m_process->start(m_binary, { QStringLiteral("--demo"), QStringLiteral("--data"), m_dataDir,
                                   QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
    if (!m_process->waitForStarted(10000))
        throw std::runtime_error("cannot start " + m_binary.toStdString() + ": "
                                 + m_process->errorString().toStdString());
    static const QRegularExpression listening(
        QStringLiteral("listening on (ws://127\\.0\\.0\\.1:\\d+/sync)"));
    QDeadlineTimer deadline(timeoutMs);
    QByteArray output;
    while (!deadline.hasExpired()) {
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(logStart);
            output = log.readAll();
            log.close();
        }
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_url = match.captured(1);
            return;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
        QThread::msleep(50);
    }
    m_process->kill();
    m_process->waitForFinished(5000);
    throw std::runtime_error("latch-server did not start (log " + m_logFile.toStdString()
                             + "):\n" + output.right(2000).toStdString());
}

void BenchServer::stop()
{
    if (!running())
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(30000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

} // namespace latch::appbench
