#pragma once
// Watches one AppSession from the UI thread and timestamps what reaches it: state changes, each
// queueReset (with its row count), caseLoaded (with its event count), errors. Times are
// milliseconds since restart(), taken when the queued signal is delivered on the UI thread, so
// they include the hop from the worker thread, as the screens would see it.
//
// Threading: UI (main) thread only, like the AppSession it watches.
#include "sync/appsession.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace latch::appbench {

class SessionProbe : public QObject {
    Q_OBJECT
public:
    using State = latch::app::AppSession::State;

    explicit SessionProbe(latch::app::AppSession* session, QObject* parent = nullptr);

    void restart();
    double nowMs() const;

    struct Reset {
        int rows = 0;
        double ms = 0;
    };
    const std::vector<Reset>& resets() const { return m_resets; }
    // When the session first reached `state` after restart().
    std::optional<double> reached(State state) const;
    State state() const { return m_session->state(); }

    int caseLoads() const { return m_caseLoads; }
    QString lastCaseId() const { return m_lastCaseId; }
    int lastCaseEvents() const { return m_lastCaseEvents; }
    double lastCaseMs() const { return m_lastCaseMs; }

    QString errorCode() const { return m_session->errorCode(); }
    QString errorMessage() const { return m_session->errorMessage(); }

    // Runs the event loop until `done()` holds (checked whenever the session reports something,
    // and every 50 ms) or `timeoutMs` passes. Returns done().
    bool waitFor(const std::function<bool()>& done, int timeoutMs);

Q_SIGNALS:
    void changed();

private:
    latch::app::AppSession* m_session;
    QElapsedTimer m_clock;
    std::vector<Reset> m_resets;
    std::vector<std::pair<State, double>> m_states;
    int m_caseLoads = 0;
    QString m_lastCaseId;
    int m_lastCaseEvents = 0;
    double m_lastCaseMs = 0;
};

} // namespace latch::appbench
