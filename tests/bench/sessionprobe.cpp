#include "sessionprobe.h"

#include <QEventLoop>
#include <QTimer>

namespace latch::appbench {

using latch::app::AppSession;

SessionProbe::SessionProbe(AppSession* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    m_clock.start();
    connect(session, &AppSession::stateChanged, this, [this] {
        m_states.emplace_back(m_session->state(), nowMs());
        Q_EMIT changed();
    });
    connect(session, &AppSession::queueReset, this,
            [this](const QVector<latch::app::QueueRow>& rows) {
                m_resets.push_back({ int(rows.size()), nowMs() });
                Q_EMIT changed();
            });
    connect(session, &AppSession::caseLoaded, this,
            [this](const QString& id, const latch::v1::Case&,
                   const QVector<latch::v1::Event>& events) {
                m_lastCaseMs = nowMs();
                m_lastCaseId = id;
                m_lastCaseEvents = int(events.size());
                ++m_caseLoads;
                Q_EMIT changed();
            });
    connect(session, &AppSession::caseGone, this, [this](const QString& id, const QString&) {
        m_lastCaseMs = nowMs();
        m_lastCaseId = id;
        m_lastCaseEvents = -1;
        ++m_caseLoads;
        Q_EMIT changed();
    });
    connect(session, &AppSession::errorChanged, this, &SessionProbe::changed);
}

void SessionProbe::restart()
{
    m_resets.clear();
    m_states.clear();
    m_caseLoads = 0;
    m_clock.restart();
}

double SessionProbe::nowMs() const
{
    return double(m_clock.nsecsElapsed()) / 1e6;
}

std::optional<double> SessionProbe::reached(State state) const
{
    for (const auto& [s, at] : m_states) {
        if (s == state)
            return at;
    }
    return std::nullopt;
}

bool SessionProbe::waitFor(const std::function<bool()>& done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    const auto check = connect(this, &SessionProbe::changed, &loop, [&] {
        if (done())
            loop.quit();
    });
    timeout.start(timeoutMs);
    poll.start(50);
    loop.exec();
    disconnect(check);
    return done();
}

} // namespace latch::appbench
