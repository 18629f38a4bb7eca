#pragma once
// One case's history for the case screen: the confirmed events, oldest first, each with a readable
// sentence, followed by the user's commands on that case the server has not accepted yet — pending
// ones ("Sending…") and refused ones (with the server's code and sentence). Confirmed events and
// commands are different rows with different roles, so the screen can never show a wish as a fact.
//
// New events are appended (the history is append-only), commands come and go as the outbox
// changes; neither resets the model.
//
// Threading: UI thread. Fed by the session's caseLoaded/outboxChanged for `caseId` (the caller —
// usually CaseController — asks the session to loadCase()), or directly with setEvents/setOutbox.
#include "latch.pb.h"
#include "sync/appsession.h"
#include "replica/replica.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace latch::app {


class TimelineModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(latch::app::AppSession* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString caseId READ caseId WRITE setCaseId NOTIFY caseIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        KindRole
        = Qt::UserRole, // event kind ("note_added", "attempt_blocked", ...) or command kind
        KindTextRole, // the kind as a short label ("Note", "Blocked attempt")
        ActorRole,
        TimeTextRole,
        SummaryRole, // one readable sentence
        BlockedRole, // an attempt the rules stopped
        PendingRole, // a command waiting for the server
        RejectedRole, // a command the server refused
        StateTextRole, // "Sending…" / "Refused by the server" for commands; "" for events
        CodeRole, // refused commands: the server's code; blocked attempts: theirs
        MessageRole, // refused commands: the server's sentence
        CommandIdRole,
        SeqRole, // confirmed events: the global seq; 0 for commands
        FailedRole, // an action run that failed or whose outcome is unknown
        RequestRole, // finished action runs: what was sent, as recorded ("" otherwise)
        ResponseRole, // finished action runs: what came back, as recorded ("" otherwise)
    };
    Q_ENUM(Role)

    explicit TimelineModel(QObject* parent = nullptr);
    ~TimelineModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    AppSession* session() const { return m_session; }
    void setSession(AppSession* session);
    QString caseId() const { return m_caseId; }
    void setCaseId(const QString& caseId);
    int count() const { return int(m_events.size() + m_commands.size()); }

    void setEvents(const QVector<v1::Event>& events);
    // Keeps the entries on this case (all of them when caseId is empty).
    void setOutbox(const std::vector<OutboxEntry>& entries);
    void setNow(qint64 nowMs) { m_now = nowMs; }

    // The sentences, public for the case screen's other parts and for tests.
    static QString eventKind(const v1::Event& event);
    static QString kindText(const QString& kind);
    // kindText, except that a finished action says how it ended.
    static QString eventKindText(const v1::Event& event);
    static QString eventSummary(const v1::Event& event);
    static QString commandKind(const v1::Command& command);
    static QString commandSummary(const v1::Command& command);

Q_SIGNALS:
    void sessionChanged();
    void caseIdChanged();
    void countChanged();

private:
    void refreshTexts();

    QPointer<AppSession> m_session;
    QString m_caseId;
    std::vector<v1::Event> m_events;
    std::vector<OutboxEntry> m_commands;
    qint64 m_now = 0;
};

} // namespace latch::app
