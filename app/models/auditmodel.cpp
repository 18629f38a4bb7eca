#include "models/auditmodel.h"

#include "auditexport.h"
#include "latch/hashing.h"
#include "models/timelinemodel.h"
#include "models/uitext.h"

#include <QDateTime>
#include <QDir>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

namespace latch::app {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// The day `text` names ("2026-09-01") as local midnight, or -1.
qint64 dayStart(const QString& text, int addDays = 0)
{
    const QDate date = QDate::fromString(text.trimmed(), Qt::ISODate);
    if (!date.isValid())
        return -1;
    return QDateTime(date.addDays(addDays), QTime(0, 0)).toMSecsSinceEpoch();
}

} // namespace

AuditModel::AuditModel(QObject* parent)
    : QAbstractListModel(parent)
{
    connect(&UiText::shared(), &UiText::languageChanged, this, [this] {
        Q_EMIT choicesChanged();
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1));
        Q_EMIT resultChanged();
    });
}

AuditModel::~AuditModel() = default;

void AuditModel::setSession(AppSession* session)
{
    if (!rebindSession(m_session, session, this))
        return;
    if (m_session) {
        connect(m_session, &AppSession::auditAnswered, this,
            [this](bool ok, const v1::QueryResult& result, const QString&, const QString& message) {
                setResult(ok, result, message);
            });
    }
    Q_EMIT sessionChanged();
}

QVariantList AuditModel::kindChoices()
{
    QVariantList out;
    out << QVariantMap { { QStringLiteral("kind"), QString() },
                         { QStringLiteral("text"), tr("Any kind") } };
    // Every kind of event there is: the payload fields of Event, in the protocol's order.
    const auto* payload = v1::Event::descriptor()->FindOneofByName("payload");
    for (int i = 0; payload && i < payload->field_count(); ++i) {
        const QString kind = q(std::string(payload->field(i)->name()));
        out << QVariantMap { { QStringLiteral("kind"), kind },
                             { QStringLiteral("text"),
                               tr("%1 (%2)").arg(TimelineModel::kindText(kind), kind) } };
    }
    return out;
}

QVariantList AuditModel::rangeChoices()
{
    const auto choice = [](const char* range, const QString& text) {
        return QVariantMap { { QStringLiteral("range"), QString::fromLatin1(range) },
                             { QStringLiteral("text"), text } };
    };
    return { choice("24h", tr("Last 24 hours")), choice("7d", tr("Last 7 days")),
             choice("30d", tr("Last 30 days")), choice("90d", tr("Last 90 days")),
             choice("all", tr("All time")), choice("custom", tr("Between dates…")) };
}

int AuditModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_result.audit_rows_size();
}

QHash<int, QByteArray> AuditModel::roleNames() const
{
    return {
        { TimeTextRole, "timeText" },
        { TimeMsRole, "timeMs" },
        { SeqRole, "seq" },
        { CaseIdRole, "caseId" },
        { CaseShortRole, "caseShort" },
        { CaseTitleRole, "caseTitle" },
        { CaseTypeRole, "caseType" },
        { CaseTypeTextRole, "caseTypeText" },
        { KindRole, "kind" },
        { KindTextRole, "kindText" },
        { ActorRole, "actor" },
        { SummaryRole, "summary" },
        { BlockedRole, "blocked" },
    };
}

QVariant AuditModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_result.audit_rows_size())
        return {};
    const v1::AuditRow& row = m_result.audit_rows(index.row());
    const v1::Event& e = row.event();
    switch (role) {
    case TimeTextRole:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.time_ms()),
                                  QStringLiteral("yyyy-MM-dd HH:mm"));
    case TimeMsRole:
        return qint64(e.time_ms());
    case SeqRole:
        return qulonglong(e.seq());
    case CaseIdRole:
        return q(e.case_id());
    case CaseShortRole:
        return q(e.case_id()).left(8);
    case CaseTitleRole:
        return q(row.case_title());
    case CaseTypeRole:
        return q(row.case_type());
    case CaseTypeTextRole:
        return UiText::typeText(q(row.case_type()));
    case KindRole:
        return TimelineModel::eventKind(e);
    case KindTextRole:
        return TimelineModel::eventKindText(e);
    case ActorRole:
        return q(m_people.label(e.actor()));
    case Qt::DisplayRole:
    case SummaryRole:
        return TimelineModel::eventSummary(e);
    case BlockedRole:
        return e.has_attempt_blocked();
    }
    return {};
}

v1::AuditQuery AuditModel::query(qint64 nowMs) const
{
    v1::AuditQuery aq;
    aq.set_actor(m_actor.trimmed().toStdString());
    if (!m_kind.isEmpty())
        aq.add_kinds(m_kind.toStdString());
    aq.set_case_type(m_caseType.trimmed().toStdString());
    aq.set_limit(std::uint32_t(std::max(0, m_limit)));
    constexpr qint64 hour = 3'600'000;
    if (m_range == QLatin1String("24h"))
        aq.set_from_ms(nowMs - 24 * hour);
    else if (m_range == QLatin1String("7d"))
        aq.set_from_ms(nowMs - 7 * 24 * hour);
    else if (m_range == QLatin1String("30d"))
        aq.set_from_ms(nowMs - 30 * 24 * hour);
    else if (m_range == QLatin1String("90d"))
        aq.set_from_ms(nowMs - 90 * 24 * hour);
    else if (m_range == QLatin1String("custom")) {
        if (!m_fromDate.trimmed().isEmpty())
            aq.set_from_ms(dayStart(m_fromDate));
        if (!m_toDate.trimmed().isEmpty())
            aq.set_to_ms(dayStart(m_toDate, 1)); // the whole "to" day
    }
    return aq;
}

bool AuditModel::search()
{
    const auto refuse = [this](const QString& why) {
        m_message = why;
        Q_EMIT resultChanged();
        return false;
    };
    if (m_range == QLatin1String("custom")) {
        for (const QString& date : { m_fromDate, m_toDate }) {
            if (!date.trimmed().isEmpty() && dayStart(date) < 0)
                return refuse(tr("\"%1\" is not a date; write it as 2026-09-01.").arg(date));
        }
        if (!m_fromDate.trimmed().isEmpty() && !m_toDate.trimmed().isEmpty()
            && dayStart(m_toDate) < dayStart(m_fromDate))
            return refuse(tr("The range ends before it starts."));
    }
    if (!m_session)
        return refuse(tr("Sign in first."));
    m_busy = true;
    m_message.clear();
    Q_EMIT resultChanged();
    m_session->auditQuery(query(QDateTime::currentMSecsSinceEpoch()));
    return true;
}

void AuditModel::setResult(bool ok, const v1::QueryResult& result, const QString& message)
{
    m_busy = false;
    if (!ok) {
        // The rows of the last search stay; the message says why this one failed.
        m_message = message;
        Q_EMIT resultChanged();
        return;
    }
    beginResetModel();
    m_result = result;
    m_people = cli::People(m_result.people());
    m_searched = true;
    m_message.clear();
    endResetModel();
    Q_EMIT resultChanged();
}

QString AuditModel::resultText() const
{
    if (!m_searched)
        return {};
    if (count() == 0)
        return tr("No events match.");
    if (truncated())
        return tr("The newest %n event(s); more match (narrow the filters).", "", count());
    return tr("%n event(s), newest first", "", count());
}

QString AuditModel::suggestedFile(const QString& extension) const
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (base.isEmpty())
        base = QDir::homePath();
    return QDir(base).filePath(
        QStringLiteral("latch-audit-%1.%2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")), extension));
}

bool AuditModel::save(const QString& where, const std::string& content)
{
    const auto done = [this](bool failed, const QString& text) {
        m_saveFailed = failed;
        m_saveMessage = text;
        Q_EMIT saveChanged();
        return !failed;
    };
    if (!m_searched)
        return done(true, tr("Search first: the file holds the rows shown."));
    QString path = where.trimmed();
    if (path.startsWith(QStringLiteral("file:")))
        path = QUrl(path).toLocalFile();
    if (path.isEmpty())
        return done(true, tr("Choose a file to save to."));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(content.data(), qint64(content.size())) != qint64(content.size())
        || !file.commit())
        return done(true, tr("Cannot write %1: %2").arg(path, file.errorString()));
    return done(false, tr("Saved %n row(s) to %1.", "", count()).arg(QDir::toNativeSeparators(path)));
}

bool AuditModel::saveCsv(const QString& path)
{
    return save(path, cli::auditCsv(m_result.audit_rows(), m_people));
}

bool AuditModel::saveJson(const QString& path)
{
    return save(path,
                cli::auditJson(m_result.audit_rows(), m_people, m_result.audit_truncated())
                        .dump(2)
                    + "\n");
}

} // namespace latch::app
