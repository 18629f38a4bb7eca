#pragma once
// The signed-in user's cases for the queue screen: filtered (all / mine / waiting for my approval,
// a status, a type), searched, newest activity first, with a count per filter.
//
// Built to stay smooth with 100,000 rows: rows live in one vector (no QObject per row), the visible
// rows are an index vector over it, a filter or search change rebuilds that vector once (a model
// reset), and queueChanged() updates only the rows it names (insert, remove, move or dataChanged).
//
// Threading: UI thread. Fed by an AppSession's queueReset/queueChanged/outboxChanged signals, or
// directly with setRows()/applyChanges() (tests).
#include "replica/replica.h"
#include "sync/appsession.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <array>
#include <vector>

namespace latch::app {


class QueueModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(latch::app::AppSession* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(Filter filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY filterChanged)
    Q_PROPERTY(QString typeFilter READ typeFilter WRITE setTypeFilter NOTIFY filterChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countsChanged)
    Q_PROPERTY(int allCount READ allCount NOTIFY countsChanged)
    Q_PROPERTY(int mineCount READ mineCount NOTIFY countsChanged)
    Q_PROPERTY(int waitingCount READ waitingCount NOTIFY countsChanged)
    Q_PROPERTY(int inReviewCount READ inReviewCount NOTIFY countsChanged)
    Q_PROPERTY(int awaitingApprovalCount READ awaitingApprovalCount NOTIFY countsChanged)
    Q_PROPERTY(int approvedCount READ approvedCount NOTIFY countsChanged)
    Q_PROPERTY(int deniedCount READ deniedCount NOTIFY countsChanged)
    Q_PROPERTY(int closedCount READ closedCount NOTIFY countsChanged)
    Q_PROPERTY(QStringList types READ types NOTIFY countsChanged)

public:
    enum Role {
        IdRole = Qt::UserRole,
        TitleRole,
        TypeRole,
        TypeTextRole,
        StatusRole,
        StatusTextRole,
        CustomerRole,
        OrderRefRole,
        AmountTextRole,
        AgeTextRole,
        AssigneeRole,
        PendingRole, // commands on this case not yet answered by the server
        WaitingForMeRole, // awaiting an approval the signed-in user looks able to give
        ChannelRole, // how the case arrived: "email", "webhook", "alertmanager", "form"; "" in-app
        ChannelTextRole, // the same as words for the icon's tooltip: "Arrived by email"
    };
    Q_ENUM(Role)

    enum class Filter { All, Mine, Waiting };
    Q_ENUM(Filter)

    explicit QueueModel(QObject* parent = nullptr);
    ~QueueModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    AppSession* session() const { return m_session; }
    void setSession(AppSession* session);
    Filter filter() const { return m_filter; }
    void setFilter(Filter filter);
    QString statusFilter() const { return m_status; }
    void setStatusFilter(const QString& status);
    QString typeFilter() const { return m_type; }
    void setTypeFilter(const QString& type);
    QString searchText() const { return m_search; }
    void setSearchText(const QString& text);

    int count() const { return int(m_visible.size()); }
    int allCount() const { return int(m_rows.size()); }
    int mineCount() const { return m_mineCount; }
    int waitingCount() const { return m_waitingCount; }
    int inReviewCount() const { return m_statusCounts[0]; }
    int awaitingApprovalCount() const { return m_statusCounts[1]; }
    int approvedCount() const { return m_statusCounts[2]; }
    int deniedCount() const { return m_statusCounts[3]; }
    int closedCount() const { return m_statusCounts[4]; }
    QStringList types() const;

    // The case id at a visible row ("" when out of range); the row of a case (-1 when not visible).
    Q_INVOKABLE QString caseIdAt(int row) const;
    Q_INVOKABLE int rowOf(const QString& caseId) const;

    // Who "mine" and "waiting for me" are about; taken from the session when one is set.
    void setUser(const QString& username, const QStringList& roles);
    // Replaces every row (queueReset) / applies a change set (queueChanged).
    void setRows(const QVector<QueueRow>& rows);
    void applyChanges(const QVector<QueueRow>& changed, const QStringList& removed);
    // Pending command counts per case id (from the session's outbox).
    void setPending(const QHash<QString, int>& pendingByCase);
    // The clock ages are measured against; a timer advances it each minute (tests fix it).
    void setNow(qint64 nowMs);

Q_SIGNALS:
    void sessionChanged();
    void filterChanged();
    void countsChanged();

private:
    struct Row {
        QueueRow q;
        bool mine = false;
        bool waiting = false;
    };

    void rebuildVisible(); // model reset: filters changed
    bool matches(const Row& row) const;
    bool before(int a, int b) const; // visible order: newest activity first
    int insertPosition(int rowIndex) const;
    int visiblePosition(int rowIndex) const;
    void classify(Row& row) const;
    void count(const Row& row, int sign);
    void recountAll();
    void updateOne(const QueueRow& q);
    void removeOne(const QString& id);
    void onOutboxChanged();
    void onUserChanged();

    QPointer<AppSession> m_session;
    std::vector<Row> m_rows;
    QHash<QString, int> m_index; // case id -> position in m_rows
    std::vector<int> m_visible; // positions in m_rows, in display order
    QHash<QString, int> m_pending;

    Filter m_filter = Filter::All;
    QString m_status;
    QString m_type;
    QString m_search;
    QStringList m_searchWords; // lower-case words of m_search; every one must appear

    QString m_me;
    QStringList m_myRoles;
    int m_mineCount = 0;
    int m_waitingCount = 0;
    std::array<int, 5> m_statusCounts {}; // in_review, awaiting_approval, approved, denied, closed
    QHash<QString, int> m_typeCounts;

    qint64 m_now = 0;
    QTimer m_clock;
};

} // namespace latch::app
