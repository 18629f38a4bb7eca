#pragma once
// The audit screen: events across the cases the user can see, newest first, filtered by actor,
// event kind, case type and time range (every blocked attempt in the last 90 days, everything one
// approver did in March), as the server's audit_query answers it. The rows can be saved as CSV or
// JSON, in the same form `latchctl audit events --csv` / `--json` prints.
//
// Threading: UI thread. Needs `session`; search() asks the server (it needs a connection).
#include "latch.pb.h"
#include "people.h"
#include "sync/appsession.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace latch::app {

class AuditModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(latch::app::AppSession* session READ session WRITE setSession NOTIFY sessionChanged)
    // --- the filters; empty means any ---
    Q_PROPERTY(QString actor MEMBER m_actor NOTIFY filtersChanged)
    Q_PROPERTY(QString kind MEMBER m_kind NOTIFY filtersChanged) // "attempt_blocked"
    Q_PROPERTY(QString caseType MEMBER m_caseType NOTIFY filtersChanged)
    // "24h", "7d", "30d", "90d", "all", or "custom" (fromDate/toDate)
    Q_PROPERTY(QString range MEMBER m_range NOTIFY filtersChanged)
    Q_PROPERTY(QString fromDate MEMBER m_fromDate NOTIFY filtersChanged) // "2026-09-01", local day
    Q_PROPERTY(QString toDate MEMBER m_toDate NOTIFY filtersChanged) // inclusive
    Q_PROPERTY(int limit MEMBER m_limit NOTIFY filtersChanged)
    // [{kind, text}] for the kind picker, "" (any kind) first
    Q_PROPERTY(QVariantList kindChoices READ kindChoices NOTIFY choicesChanged)
    // [{range, text}]
    Q_PROPERTY(QVariantList rangeChoices READ rangeChoices NOTIFY choicesChanged)

    // --- the answer ---
    Q_PROPERTY(int count READ count NOTIFY resultChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY resultChanged)
    Q_PROPERTY(bool searched READ searched NOTIFY resultChanged)
    Q_PROPERTY(bool truncated READ truncated NOTIFY resultChanged)
    Q_PROPERTY(QString message READ message NOTIFY resultChanged) // why the search failed
    Q_PROPERTY(QString resultText READ resultText NOTIFY resultChanged) // "12 events, newest first"
    Q_PROPERTY(QString saveMessage READ saveMessage NOTIFY saveChanged)
    Q_PROPERTY(bool saveFailed READ saveFailed NOTIFY saveChanged)

public:
    enum Role {
        TimeTextRole = Qt::UserRole, // "2026-12-06 10:02"
        TimeMsRole,
        SeqRole,
        CaseIdRole,
        CaseShortRole, // first 8 characters
        CaseTitleRole,
        CaseTypeRole,
        CaseTypeTextRole,
        KindRole,
        KindTextRole,
        ActorRole,
        SummaryRole,
        BlockedRole,
    };
    Q_ENUM(Role)

    explicit AuditModel(QObject* parent = nullptr);
    ~AuditModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    AppSession* session() const { return m_session; }
    void setSession(AppSession* session);
    static QVariantList kindChoices();
    static QVariantList rangeChoices();
    int count() const { return m_result.audit_rows_size(); }
    bool busy() const { return m_busy; }
    bool searched() const { return m_searched; }
    bool truncated() const { return m_result.audit_truncated(); }
    QString message() const { return m_message; }
    QString resultText() const;
    QString saveMessage() const { return m_saveMessage; }
    bool saveFailed() const { return m_saveFailed; }

    // The query the filters make (now: the time "now" the ranges count back from).
    v1::AuditQuery query(qint64 nowMs) const;
    // Asks the server; false (message says why) when a custom date does not read.
    Q_INVOKABLE bool search();
    // Writes the rows shown to `path` (a path or a file: URL), replacing the file. false, with
    // saveMessage saying why, when there are no rows yet or the file cannot be written.
    Q_INVOKABLE bool saveCsv(const QString& path);
    Q_INVOKABLE bool saveJson(const QString& path);
    // "<documents>/latch-audit-20261206-1015.<extension>"
    Q_INVOKABLE QString suggestedFile(const QString& extension) const;

    void setResult(bool ok, const v1::QueryResult& result, const QString& message);

Q_SIGNALS:
    void sessionChanged();
    void filtersChanged();
    void choicesChanged(); // their texts, after a change of language
    void resultChanged();
    void saveChanged();

private:
    bool save(const QString& path, const std::string& content);

    QPointer<AppSession> m_session;
    QString m_actor;
    QString m_kind;
    QString m_caseType;
    QString m_range = QStringLiteral("90d");
    QString m_fromDate;
    QString m_toDate;
    int m_limit = 500;

    v1::QueryResult m_result;
    cli::People m_people; // display names for the actors in m_result
    bool m_busy = false;
    bool m_searched = false;
    QString m_message;
    QString m_saveMessage;
    bool m_saveFailed = false;
};

} // namespace latch::app
