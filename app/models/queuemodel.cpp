#include "models/queuemodel.h"

#include "models/approvalhint.h"
#include "models/uitext.h"
#include "sync/appsession.h"

#include <QDateTime>
#include <QSet>
#include <algorithm>

namespace latch::app {

namespace {

int statusSlot(const QString& status)
{
    static const QStringList names
        = { QStringLiteral("in_review"), QStringLiteral("awaiting_approval"),
              QStringLiteral("approved"), QStringLiteral("denied"), QStringLiteral("closed") };
    return int(names.indexOf(status));
}

} // namespace

QueueModel::QueueModel(QObject* parent)
    : QAbstractListModel(parent)
    , m_now(QDateTime::currentMSecsSinceEpoch())
{
    // Ages ("3 h") only move by the minute; refreshing that one role is cheap (views repaint
    // only the delegates they show).
    m_clock.setInterval(60 * 1000);
    connect(
        &m_clock, &QTimer::timeout, this, [this] { setNow(QDateTime::currentMSecsSinceEpoch()); });
    m_clock.start();
    connect(&UiText::shared(), &UiText::languageChanged, this, [this] {
        if (!m_visible.empty())
            Q_EMIT dataChanged(index(0), index(int(m_visible.size()) - 1),
                { StatusTextRole, TypeTextRole, AgeTextRole, ChannelTextRole });
    });
}

QueueModel::~QueueModel() = default;

int QueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

QHash<int, QByteArray> QueueModel::roleNames() const
{
    return {
        { IdRole, "caseId" },
        { TitleRole, "title" },
        { TypeRole, "type" },
        { TypeTextRole, "typeText" },
        { StatusRole, "status" },
        { StatusTextRole, "statusText" },
        { CustomerRole, "customer" },
        { OrderRefRole, "orderRef" },
        { AmountTextRole, "amountText" },
        { AgeTextRole, "ageText" },
        { AssigneeRole, "assignee" },
        { PendingRole, "pending" },
        { WaitingForMeRole, "waitingForMe" },
        { ChannelRole, "channel" },
        { ChannelTextRole, "channelText" },
    };
}

QVariant QueueModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index,
        QAbstractItemModel::CheckIndexOption::IndexIsValid
            | QAbstractItemModel::CheckIndexOption::ParentIsInvalid));
    const Row& row = m_rows[std::size_t(m_visible[std::size_t(index.row())])];
    const QueueRow& q = row.q;
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return q.title;
    case IdRole:
        return q.id;
    case TypeRole:
        return q.type;
    case TypeTextRole:
        return UiText::typeText(q.type);
    case StatusRole:
        return q.status;
    case StatusTextRole:
        return UiText::statusText(q.status);
    case CustomerRole:
        return q.customer;
    case OrderRefRole:
        return q.orderRef;
    case AmountTextRole:
        return UiText::amountText(q.amountMinor, q.currency);
    case AgeTextRole:
        return UiText::ageText(q.createdMs, m_now);
    case AssigneeRole:
        return q.assignee;
    case PendingRole:
        return m_pending.value(q.id);
    case WaitingForMeRole:
        return row.waiting;
    case ChannelRole:
        return q.channel;
    case ChannelTextRole:
        return UiText::channelText(q.channel);
    default:
        return {};
    }
}

// --- inputs -------------------------------------------------------------------------------

void QueueModel::setSession(AppSession* session)
{
    if (!rebindSession(m_session, session, this))
        return;
    if (m_session) {
        connect(m_session, &AppSession::queueReset, this, &QueueModel::setRows);
        connect(m_session, &AppSession::queueChanged, this, &QueueModel::applyChanges);
        connect(m_session, &AppSession::outboxChanged, this, &QueueModel::onOutboxChanged);
        connect(m_session, &AppSession::userChanged, this, &QueueModel::onUserChanged);
        connect(m_session, &AppSession::stateChanged, this, [this] {
            if (m_session && !m_session->signedIn() && !m_rows.empty())
                setRows({});
        });
        onUserChanged();
        onOutboxChanged();
    }
    Q_EMIT sessionChanged();
}

void QueueModel::onUserChanged()
{
    if (m_session)
        setUser(m_session->username(), m_session->roles());
}

void QueueModel::onOutboxChanged()
{
    QHash<QString, int> pending;
    if (m_session) {
        for (const auto& entry : m_session->outbox()) {
            if (entry.state == OutboxEntry::State::Pending && !entry.caseId.empty())
                ++pending[QString::fromStdString(entry.caseId)];
        }
    }
    setPending(pending);
}

void QueueModel::setUser(const QString& username, const QStringList& roles)
{
    if (m_me == username && m_myRoles == roles)
        return;
    m_me = username;
    m_myRoles = roles;
    for (auto& row : m_rows)
        classify(row);
    recountAll();
    if (m_filter != Filter::All) {
        rebuildVisible();
    } else if (!m_visible.empty()) {
        Q_EMIT dataChanged(index(0), index(int(m_visible.size()) - 1), { WaitingForMeRole });
    }
    Q_EMIT countsChanged();
}

void QueueModel::setRows(const QVector<QueueRow>& rows)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(std::size_t(rows.size()));
    m_index.clear();
    m_index.reserve(rows.size());
    for (const auto& q : rows) {
        m_index.insert(q.id, int(m_rows.size()));
        Row row { q };
        classify(row);
        m_rows.push_back(std::move(row));
    }
    recountAll();
    m_visible.clear();
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (matches(m_rows[std::size_t(i)]))
            m_visible.push_back(i);
    }
    std::sort(m_visible.begin(), m_visible.end(), [this](int a, int b) { return before(a, b); });
    endResetModel();
    Q_EMIT countsChanged();
}

void QueueModel::applyChanges(const QVector<QueueRow>& changed, const QStringList& removed)
{
    for (const auto& id : removed)
        removeOne(id);
    for (const auto& q : changed)
        updateOne(q);
    Q_EMIT countsChanged();
}

void QueueModel::setPending(const QHash<QString, int>& pendingByCase)
{
    if (m_pending == pendingByCase)
        return;
    QSet<QString> touched;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (pendingByCase.value(it.key()) != it.value())
            touched.insert(it.key());
    }
    for (auto it = pendingByCase.cbegin(); it != pendingByCase.cend(); ++it) {
        if (m_pending.value(it.key()) != it.value())
            touched.insert(it.key());
    }
    m_pending = pendingByCase;
    for (const auto& id : touched) {
        const auto found = m_index.constFind(id);
        if (found == m_index.cend())
            continue;
        const int pos = visiblePosition(found.value());
        if (pos >= 0)
            Q_EMIT dataChanged(index(pos), index(pos), { PendingRole });
    }
}

void QueueModel::setNow(qint64 nowMs)
{
    if (m_now == nowMs)
        return;
    m_now = nowMs;
    if (!m_visible.empty())
        Q_EMIT dataChanged(index(0), index(int(m_visible.size()) - 1), { AgeTextRole });
}

// --- filters ------------------------------------------------------------------------------

void QueueModel::setFilter(Filter filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    rebuildVisible();
    Q_EMIT filterChanged();
}

void QueueModel::setStatusFilter(const QString& status)
{
    if (m_status == status)
        return;
    m_status = status;
    rebuildVisible();
    Q_EMIT filterChanged();
}

void QueueModel::setTypeFilter(const QString& type)
{
    if (m_type == type)
        return;
    m_type = type;
    rebuildVisible();
    Q_EMIT filterChanged();
}

void QueueModel::setSearchText(const QString& text)
{
    if (m_search == text)
        return;
    m_search = text;
    m_searchWords = text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    rebuildVisible();
    Q_EMIT filterChanged();
}

QStringList QueueModel::types() const
{
    QStringList out = m_typeCounts.keys();
    out.sort();
    return out;
}

QString QueueModel::caseIdAt(int row) const
{
    if (row < 0 || row >= int(m_visible.size()))
        return {};
    return m_rows[std::size_t(m_visible[std::size_t(row)])].q.id;
}

int QueueModel::rowOf(const QString& caseId) const
{
    const auto found = m_index.constFind(caseId);
    return found == m_index.cend() ? -1 : visiblePosition(found.value());
}

void QueueModel::rebuildVisible()
{
    beginResetModel();
    m_visible.clear();
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (matches(m_rows[std::size_t(i)]))
            m_visible.push_back(i);
    }
    std::sort(m_visible.begin(), m_visible.end(), [this](int a, int b) { return before(a, b); });
    endResetModel();
    Q_EMIT countsChanged();
}

bool QueueModel::matches(const Row& row) const
{
    if (m_filter == Filter::Mine && !row.mine)
        return false;
    if (m_filter == Filter::Waiting && !row.waiting)
        return false;
    if (!m_status.isEmpty() && row.q.status != m_status)
        return false;
    if (!m_type.isEmpty() && row.q.type != m_type)
        return false;
    for (const auto& word : m_searchWords) {
        if (!row.q.searchText.contains(word) && !row.q.id.startsWith(word))
            return false;
    }
    return true;
}

bool QueueModel::before(int a, int b) const
{
    const QueueRow& x = m_rows[std::size_t(a)].q;
    const QueueRow& y = m_rows[std::size_t(b)].q;
    if (x.updatedMs != y.updatedMs)
        return x.updatedMs > y.updatedMs;
    return x.id < y.id;
}

int QueueModel::insertPosition(int rowIndex) const
{
    const auto it = std::lower_bound(m_visible.begin(), m_visible.end(), rowIndex,
        [this](int a, int b) { return before(a, b); });
    return int(it - m_visible.begin());
}

// Only valid while m_rows[rowIndex] still holds the values it was sorted by.
int QueueModel::visiblePosition(int rowIndex) const
{
    const int pos = insertPosition(rowIndex);
    if (pos < int(m_visible.size()) && m_visible[std::size_t(pos)] == rowIndex)
        return pos;
    return -1;
}

// --- incremental updates --------------------------------------------------------------------

void QueueModel::updateOne(const QueueRow& q)
{
    const auto found = m_index.constFind(q.id);
    if (found == m_index.cend()) {
        const int idx = int(m_rows.size());
        Row row { q };
        classify(row);
        count(row, +1);
        m_rows.push_back(std::move(row));
        m_index.insert(q.id, idx);
        if (matches(m_rows.back())) {
            const int pos = insertPosition(idx);
            beginInsertRows({}, pos, pos);
            m_visible.insert(m_visible.begin() + pos, idx);
            endInsertRows();
        }
        return;
    }

    const int idx = found.value();
    Row& row = m_rows[std::size_t(idx)];
    const int oldPos = visiblePosition(idx); // before the row's sort key changes
    count(row, -1);
    row.q = q;
    classify(row);
    count(row, +1);
    const bool visibleNow = matches(row);

    if (oldPos < 0) {
        if (visibleNow) {
            const int pos = insertPosition(idx);
            beginInsertRows({}, pos, pos);
            m_visible.insert(m_visible.begin() + pos, idx);
            endInsertRows();
        }
        return;
    }
    if (!visibleNow) {
        beginRemoveRows({}, oldPos, oldPos);
        m_visible.erase(m_visible.begin() + oldPos);
        endRemoveRows();
        return;
    }
    // Still visible: find where it belongs among the others, then move or just refresh it.
    m_visible.erase(m_visible.begin() + oldPos);
    const int newPos = insertPosition(idx);
    m_visible.insert(m_visible.begin() + oldPos, idx); // back, so the move below is consistent
    if (newPos == oldPos) {
        Q_EMIT dataChanged(index(oldPos), index(oldPos));
        return;
    }
    // beginMoveRows counts the destination before the row is taken out.
    const int destination = newPos > oldPos ? newPos + 1 : newPos;
    beginMoveRows({}, oldPos, oldPos, {}, destination);
    m_visible.erase(m_visible.begin() + oldPos);
    m_visible.insert(m_visible.begin() + newPos, idx);
    endMoveRows();
    Q_EMIT dataChanged(index(newPos), index(newPos));
}

void QueueModel::removeOne(const QString& id)
{
    const auto found = m_index.constFind(id);
    if (found == m_index.cend())
        return;
    const int idx = found.value();
    const int pos = visiblePosition(idx);
    if (pos >= 0) {
        beginRemoveRows({}, pos, pos);
        m_visible.erase(m_visible.begin() + pos);
        endRemoveRows();
    }
    count(m_rows[std::size_t(idx)], -1);
    m_index.remove(id);

    // Fill the hole with the last row so m_rows stays dense; only its index changes.
    const int last = int(m_rows.size()) - 1;
    if (idx != last) {
        const int lastPos = visiblePosition(last);
        m_rows[std::size_t(idx)] = std::move(m_rows[std::size_t(last)]);
        m_index.insert(m_rows[std::size_t(idx)].q.id, idx);
        if (lastPos >= 0)
            m_visible[std::size_t(lastPos)] = idx;
    }
    m_rows.pop_back();
}

// --- per-row facts and counts ---------------------------------------------------------------

void QueueModel::classify(Row& row) const
{
    const QueueRow& q = row.q;
    row.mine = !m_me.isEmpty() && q.assignee == m_me;
    row.waiting
        = approveHint(q.status, q.preparer, q.requester, q.approvers, q.stages, m_me, m_myRoles)
              .allowed();
}

void QueueModel::count(const Row& row, int sign)
{
    if (row.mine)
        m_mineCount += sign;
    if (row.waiting)
        m_waitingCount += sign;
    const int slot = statusSlot(row.q.status);
    if (slot >= 0)
        m_statusCounts[std::size_t(slot)] += sign;
    int& typeCount = m_typeCounts[row.q.type];
    typeCount += sign;
    if (typeCount <= 0)
        m_typeCounts.remove(row.q.type);
}

void QueueModel::recountAll()
{
    m_mineCount = 0;
    m_waitingCount = 0;
    m_statusCounts.fill(0);
    m_typeCounts.clear();
    for (const auto& row : m_rows)
        count(row, +1);
}

} // namespace latch::app
