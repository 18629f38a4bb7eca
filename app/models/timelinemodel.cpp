#include "models/timelinemodel.h"

#include "models/uitext.h"
#include "sync/appsession.h"

#include <QDateTime>
#include <algorithm>

namespace latch::app {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString money(const v1::Money& m)
{
    return UiText::amountText(m.minor(), q(m.currency()));
}

bool actionFailed(const v1::Event& e)
{
    if (e.has_action_finished())
        return e.action_finished().state() == v1::ACTION_STATE_FAILED
            || e.action_finished().state() == v1::ACTION_STATE_UNKNOWN;
    if (e.has_action_updated())
        return e.action_updated().state() == v1::ACTION_STATE_FAILED
            || e.action_updated().state() == v1::ACTION_STATE_UNKNOWN;
    return false;
}

} // namespace

TimelineModel::TimelineModel(QObject* parent)
    : QAbstractListModel(parent)
    , m_now(QDateTime::currentMSecsSinceEpoch())
{
    connect(&UiText::shared(), &UiText::languageChanged, this, &TimelineModel::refreshTexts);
}

TimelineModel::~TimelineModel() = default;

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {
        { KindRole, "kind" },
        { KindTextRole, "kindText" },
        { ActorRole, "actor" },
        { TimeTextRole, "timeText" },
        { SummaryRole, "summary" },
        { BlockedRole, "blocked" },
        { PendingRole, "pending" },
        { RejectedRole, "rejected" },
        { StateTextRole, "stateText" },
        { CodeRole, "code" },
        { MessageRole, "message" },
        { CommandIdRole, "commandId" },
        { SeqRole, "seq" },
        { FailedRole, "failed" },
        { RequestRole, "request" },
        { ResponseRole, "response" },
    };
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    Q_ASSERT(checkIndex(index,
        QAbstractItemModel::CheckIndexOption::IndexIsValid
            | QAbstractItemModel::CheckIndexOption::ParentIsInvalid));
    const auto row = std::size_t(index.row());
    if (row < m_events.size()) {
        const v1::Event& e = m_events[row];
        switch (role) {
        case Qt::DisplayRole:
        case SummaryRole:
            return eventSummary(e);
        case KindRole:
            return eventKind(e);
        case KindTextRole:
            return eventKindText(e);
        case ActorRole:
            return q(e.actor());
        case TimeTextRole:
            return UiText::timeText(e.time_ms(), m_now);
        case BlockedRole:
            return e.has_attempt_blocked();
        case PendingRole:
        case RejectedRole:
            return false;
        case StateTextRole:
            return QString();
        case CodeRole:
            if (e.has_action_finished())
                return q(e.action_finished().code());
            return e.has_attempt_blocked() ? q(e.attempt_blocked().code()) : QString();
        case MessageRole:
            if (e.has_action_finished())
                return q(e.action_finished().message());
            return e.has_attempt_blocked() ? q(e.attempt_blocked().reason()) : QString();
        case CommandIdRole:
            return q(e.command_id());
        case SeqRole:
            return qulonglong(e.seq());
        case FailedRole:
            return actionFailed(e);
        case RequestRole:
            return e.has_action_finished() ? q(e.action_finished().request()) : QString();
        case ResponseRole:
            return e.has_action_finished() ? q(e.action_finished().response()) : QString();
        default:
            return {};
        }
    }
    const OutboxEntry& c = m_commands[row - m_events.size()];
    const bool rejected = c.state == OutboxEntry::State::Rejected;
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole:
        return commandSummary(c.command);
    case KindRole:
        return commandKind(c.command);
    case KindTextRole:
        return rejected ? tr("Refused") : tr("Sending…");
    case ActorRole:
        return m_session ? m_session->username() : QString();
    case TimeTextRole:
        return UiText::timeText(c.createdMs, m_now);
    case BlockedRole:
        return false;
    case PendingRole:
        return !rejected;
    case RejectedRole:
        return rejected;
    case StateTextRole:
        return rejected ? tr("Refused by the server") : tr("Sending…");
    case CodeRole:
        return q(c.code);
    case MessageRole:
        return q(c.message);
    case CommandIdRole:
        return q(c.commandId);
    case SeqRole:
        return qulonglong(0);
    case FailedRole:
        return false;
    case RequestRole:
    case ResponseRole:
        return QString();
    default:
        return {};
    }
}

void TimelineModel::setSession(AppSession* session)
{
    if (!rebindSession(m_session, session, this))
        return;
    if (m_session) {
        connect(m_session, &AppSession::caseLoaded, this,
            [this](const QString& id, const v1::Case&, const QVector<v1::Event>& events) {
                if (id == m_caseId)
                    setEvents(events);
            });
        connect(m_session, &AppSession::caseGone, this, [this](const QString& id) {
            if (id == m_caseId)
                setEvents({});
        });
        connect(m_session, &AppSession::outboxChanged, this,
            [this] { setOutbox(m_session->outbox()); });
        setOutbox(m_session->outbox());
    }
    Q_EMIT sessionChanged();
}

void TimelineModel::setCaseId(const QString& caseId)
{
    if (m_caseId == caseId)
        return;
    beginResetModel();
    m_caseId = caseId;
    m_events.clear();
    m_commands.clear();
    if (m_session) {
        for (const auto& entry : m_session->outbox()) {
            if (q(entry.caseId) == m_caseId)
                m_commands.push_back(entry);
        }
    }
    endResetModel();
    Q_EMIT caseIdChanged();
    Q_EMIT countChanged();
}

void TimelineModel::setEvents(const QVector<v1::Event>& events)
{
    m_now = QDateTime::currentMSecsSinceEpoch();
    // The usual change is new events at the end: insert just those.
    const std::size_t have = m_events.size();
    const bool extends = std::size_t(events.size()) >= have
        && (have == 0 || events[qsizetype(have - 1)].seq() == m_events.back().seq());
    if (extends) {
        if (std::size_t(events.size()) == have)
            return;
        beginInsertRows({}, int(have), int(events.size()) - 1);
        m_events.insert(m_events.end(), events.begin() + qsizetype(have), events.end());
        endInsertRows();
    } else {
        beginResetModel();
        m_events.assign(events.begin(), events.end());
        endResetModel();
    }
    Q_EMIT countChanged();
}

void TimelineModel::setOutbox(const std::vector<OutboxEntry>& entries)
{
    std::vector<OutboxEntry> next;
    for (const auto& entry : entries) {
        if (m_caseId.isEmpty() || q(entry.caseId) == m_caseId)
            next.push_back(entry);
    }
    const auto sameId
        = [](const OutboxEntry& a, const OutboxEntry& b) { return a.commandId == b.commandId; };
    const int base = int(m_events.size());
    // Answered commands leave (from the back, so positions stay right)...
    for (int i = int(m_commands.size()) - 1; i >= 0; --i) {
        const auto& old = m_commands[std::size_t(i)];
        if (std::none_of(next.begin(), next.end(), [&](const auto& e) { return sameId(e, old); })) {
            beginRemoveRows({}, base + i, base + i);
            m_commands.erase(m_commands.begin() + i);
            endRemoveRows();
        }
    }
    // ...the ones still here may have changed state (pending -> refused)...
    for (std::size_t i = 0; i < m_commands.size(); ++i) {
        const auto it = std::find_if(
            next.begin(), next.end(), [&](const auto& e) { return sameId(e, m_commands[i]); });
        if (it->state != m_commands[i].state || it->code != m_commands[i].code) {
            m_commands[i] = *it;
            const QModelIndex at = index(base + int(i));
            Q_EMIT dataChanged(at, at);
        }
    }
    // ...and new commands, always the newest, go to the end.
    for (const auto& entry : next) {
        if (std::none_of(m_commands.begin(), m_commands.end(),
                [&](const auto& c) { return sameId(c, entry); })) {
            const int at = count();
            beginInsertRows({}, at, at);
            m_commands.push_back(entry);
            endInsertRows();
        }
    }
    Q_EMIT countChanged();
}

void TimelineModel::refreshTexts()
{
    if (count() > 0)
        Q_EMIT dataChanged(index(0), index(count() - 1),
            { KindTextRole, SummaryRole, StateTextRole, TimeTextRole });
}

// --- sentences ------------------------------------------------------------------------------

QString TimelineModel::eventKind(const v1::Event& e)
{
    switch (e.payload_case()) {
    case v1::Event::kCreated:
        return QStringLiteral("created");
    case v1::Event::kNoteAdded:
        return QStringLiteral("note_added");
    case v1::Event::kFieldsChanged:
        return QStringLiteral("fields_changed");
    case v1::Event::kAssigned:
        return QStringLiteral("assigned");
    case v1::Event::kMarkedReady:
        return QStringLiteral("marked_ready");
    case v1::Event::kApprovalGranted:
        return QStringLiteral("approval_granted");
    case v1::Event::kApprovalDenied:
        return QStringLiteral("approval_denied");
    case v1::Event::kAttemptBlocked:
        return QStringLiteral("attempt_blocked");
    case v1::Event::kApprovalsVoided:
        return QStringLiteral("approvals_voided");
    case v1::Event::kClosed:
        return QStringLiteral("closed");
    case v1::Event::kReopened:
        return QStringLiteral("reopened");
    case v1::Event::kActionRequested:
        return QStringLiteral("action_requested");
    case v1::Event::kActionFinished:
        return QStringLiteral("action_finished");
    case v1::Event::kActionUpdated:
        return QStringLiteral("action_updated");
    case v1::Event::kNotification:
        return QStringLiteral("notification");
    case v1::Event::kActionCancelRequested:
        return QStringLiteral("action_cancel_requested");
    case v1::Event::kIntakeReceived:
        return QStringLiteral("intake_received");
    case v1::Event::kTriageSuggested:
        return QStringLiteral("triage_suggested");
    case v1::Event::kTriageDecided:
        return QStringLiteral("triage_decided");
    case v1::Event::PAYLOAD_NOT_SET:
        break;
    }
    return QStringLiteral("unknown");
}

QString TimelineModel::kindText(const QString& kind)
{
    if (kind == QLatin1String("created"))
        return tr("Opened");
    if (kind == QLatin1String("note_added"))
        return tr("Note");
    if (kind == QLatin1String("fields_changed"))
        return tr("Changed");
    if (kind == QLatin1String("assigned"))
        return tr("Assigned");
    if (kind == QLatin1String("marked_ready"))
        return tr("Marked ready");
    if (kind == QLatin1String("approval_granted"))
        return tr("Approved");
    if (kind == QLatin1String("approval_denied"))
        return tr("Denied");
    if (kind == QLatin1String("attempt_blocked"))
        return tr("Blocked attempt");
    if (kind == QLatin1String("approvals_voided"))
        return tr("Approvals voided");
    if (kind == QLatin1String("closed"))
        return tr("Closed");
    if (kind == QLatin1String("reopened"))
        return tr("Reopened");
    if (kind == QLatin1String("action_requested"))
        return tr("Action requested");
    if (kind == QLatin1String("action_finished"))
        return tr("Action finished");
    if (kind == QLatin1String("action_updated"))
        return tr("Action updated");
    if (kind == QLatin1String("notification"))
        return tr("Notified");
    if (kind == QLatin1String("action_cancel_requested"))
        return tr("Cancel requested");
    if (kind == QLatin1String("intake_received"))
        return tr("Received");
    if (kind == QLatin1String("triage_suggested"))
        return tr("Triage");
    if (kind == QLatin1String("triage_decided"))
        return tr("Triage decided");
    return kind;
}

QString TimelineModel::eventKindText(const v1::Event& e)
{
    if (!e.has_action_finished())
        return kindText(eventKind(e));
    switch (e.action_finished().state()) {
    case v1::ACTION_STATE_SUCCEEDED:
        return tr("Action succeeded");
    case v1::ACTION_STATE_FAILED:
        return tr("Action failed");
    case v1::ACTION_STATE_UNKNOWN:
        return tr("Outcome unknown");
    default:
        return kindText(eventKind(e));
    }
}

QString TimelineModel::eventSummary(const v1::Event& e)
{
    switch (e.payload_case()) {
    case v1::Event::kCreated: {
        const auto& c = e.created();
        QStringList details;
        for (const auto& part : { q(c.customer()), q(c.order_ref()), money(c.amount()) }) {
            if (!part.isEmpty())
                details << part;
        }
        // Intake may leave the type to triage.
        const QString title = c.type().empty()
            ? tr("Case opened: %1").arg(q(c.title()))
            : tr("%1 case opened: %2").arg(UiText::typeText(q(c.type())), q(c.title()));
        return details.isEmpty() ? title
                                 : tr("%1 (%2)").arg(title, details.join(QStringLiteral(", ")));
    }
    case v1::Event::kNoteAdded:
        return q(e.note_added().text());
    case v1::Event::kFieldsChanged: {
        QStringList parts;
        for (const auto& change : e.fields_changed().changes()) {
            QString name = q(change.name());
            if (name.startsWith(QLatin1String("field.")))
                name = name.mid(6);
            else if (name == QLatin1String("order_ref"))
                name = tr("order");
            parts << tr("%1: %2 → %3").arg(name, q(change.before()), q(change.after()));
        }
        return tr("Changed %1").arg(parts.join(QStringLiteral("; ")));
    }
    case v1::Event::kAssigned:
        return e.assigned().assignee().empty()
            ? tr("Unassigned")
            : tr("Assigned to %1").arg(q(e.assigned().assignee()));
    case v1::Event::kMarkedReady: {
        const auto& r = e.marked_ready();
        if (r.rule().empty())
            return tr("Marked ready; no approval rule applies");
        return tr("Marked ready; rule %1: %2").arg(q(r.rule()), q(r.rule_summary()));
    }
    case v1::Event::kApprovalGranted: {
        const auto& a = e.approval_granted();
        QString text = tr("Approved as %1").arg(q(a.role()));
        if (!a.comment().empty())
            text = tr("%1: “%2”").arg(text, q(a.comment()));
        if (a.rule_satisfied())
            text = tr("%1 (rule satisfied)").arg(text);
        return text;
    }
    case v1::Event::kApprovalDenied:
        return tr("Denied as %1: %2")
            .arg(q(e.approval_denied().role()), q(e.approval_denied().reason()));
    case v1::Event::kAttemptBlocked: {
        const auto& b = e.attempt_blocked();
        return tr("BLOCKED %1: %2 — %3").arg(q(b.command()), q(b.code()), q(b.reason()));
    }
    case v1::Event::kApprovalsVoided:
        return tr("Approvals voided: %1").arg(q(e.approvals_voided().reason()));
    case v1::Event::kClosed:
        return e.closed().reason().empty() ? tr("Closed")
                                           : tr("Closed: %1").arg(q(e.closed().reason()));
    case v1::Event::kReopened:
        return e.reopened().reason().empty() ? tr("Reopened")
                                             : tr("Reopened: %1").arg(q(e.reopened().reason()));
    case v1::Event::kActionRequested: {
        const auto& r = e.action_requested();
        // The plugin's own summary names the amount and the target; the action id is the fallback.
        return tr("%1 requested").arg(q(r.summary().empty() ? r.action() : r.summary()));
    }
    case v1::Event::kActionFinished: {
        const auto& f = e.action_finished();
        switch (f.state()) {
        case v1::ACTION_STATE_SUCCEEDED:
            if (f.external_id().empty())
                return tr("%1 succeeded").arg(q(f.action()));
            return tr("%1 succeeded: %2 is %3")
                .arg(q(f.action()), q(f.external_id()), q(f.external_status()));
        case v1::ACTION_STATE_FAILED:
            return tr("%1 failed: %2 — %3").arg(q(f.action()), q(f.code()), q(f.message()));
        case v1::ACTION_STATE_UNKNOWN:
            // Never guessed: the user must check the external system before trying again.
            return tr("%1: outcome unknown (%2 — %3); check before running it again")
                .arg(q(f.action()), q(f.code()), q(f.message()));
        default:
            return tr("%1 finished").arg(q(f.action()));
        }
    }
    case v1::Event::kActionUpdated: {
        const auto& u = e.action_updated();
        const QString what = u.external_id().empty() ? q(u.action()) : q(u.external_id());
        return tr("%1 is now %2 at the external system").arg(what, q(u.external_status()));
    }
    case v1::Event::kNotification: {
        const auto& n = e.notification();
        if (n.state() != v1::ACTION_STATE_SUCCEEDED)
            return tr("%1 notification not confirmed: %2 — %3")
                .arg(q(n.channel()), q(n.code()), q(n.message()));
        QStringList who;
        for (const auto& id : n.mentioned())
            who << q(id);
        for (const auto& id : n.named())
            who << q(id);
        if (who.isEmpty())
            return tr("Told %1 the approval is waiting; nobody can approve it now")
                .arg(q(n.channel()));
        return tr("Told %1 the approval is waiting for %2")
            .arg(q(n.channel()), who.join(QStringLiteral(", ")));
    }
    case v1::Event::kActionCancelRequested: {
        const auto& r = e.action_cancel_requested();
        // Asking is not stopping: what became of the run follows as its own entry.
        return r.reason().empty()
            ? tr("Asked to cancel %1").arg(q(r.action()))
            : tr("Asked to cancel %1: %2").arg(q(r.action()), q(r.reason()));
    }
    case v1::Event::kIntakeReceived: {
        const auto& r = e.intake_received();
        QString text = r.sender().empty()
            ? tr("Received by %1 from %2").arg(q(r.channel()), q(r.source()))
            : tr("Received by %1 from %2").arg(q(r.channel()), q(r.sender()));
        if (r.alert_status() == "resolved")
            text = tr("Alert resolved");
        else if (r.alert_status() == "firing")
            text = tr("Alert firing");
        if (!r.summary().empty())
            text += QStringLiteral(": ") + q(r.summary());
        if (r.evidence_size() > 0)
            text += QStringLiteral(" · ") + tr("%n evidence file(s) kept", "", r.evidence_size());
        return text;
    }
    case v1::Event::kTriageSuggested: {
        const auto& t = e.triage_suggested();
        if (t.type().empty())
            return tr("Triage (%1) could not tell the type").arg(q(t.model()));
        QString text = tr("Triage (%1) suggests %2 at %3 %")
                           .arg(q(t.model()), UiText::typeText(q(t.type())),
                               QString::number(qRound(t.confidence() * 100)));
        if (!t.priority().empty())
            text = tr("%1, priority %2").arg(text, UiText::priorityText(q(t.priority())));
        return text;
    }
    case v1::Event::kTriageDecided: {
        const auto& d = e.triage_decided();
        if (d.accepted())
            return tr("Accepted triage's suggestion: %1").arg(UiText::typeText(q(d.type())));
        return tr("Overrode triage: %1 instead of %2")
            .arg(UiText::typeText(q(d.type())),
                d.suggested_type().empty() ? tr("no type")
                                           : UiText::typeText(q(d.suggested_type())));
    }
    case v1::Event::PAYLOAD_NOT_SET:
        break;
    }
    return tr("An event this version of Latch does not know");
}

QString TimelineModel::commandKind(const v1::Command& c)
{
    switch (c.kind_case()) {
    case v1::Command::kCreateCase:
        return QStringLiteral("create_case");
    case v1::Command::kAddNote:
        return QStringLiteral("add_note");
    case v1::Command::kSetFields:
        return QStringLiteral("set_fields");
    case v1::Command::kAssign:
        return QStringLiteral("assign");
    case v1::Command::kMarkReady:
        return QStringLiteral("mark_ready");
    case v1::Command::kApprove:
        return QStringLiteral("approve");
    case v1::Command::kDeny:
        return QStringLiteral("deny");
    case v1::Command::kClose:
        return QStringLiteral("close");
    case v1::Command::kReopen:
        return QStringLiteral("reopen");
    case v1::Command::kRequestAction:
        return QStringLiteral("request_action");
    case v1::Command::kRecordAction:
        return QStringLiteral("record_action");
    case v1::Command::kCancelAction:
        return QStringLiteral("cancel_action");
    case v1::Command::kIntake:
        return QStringLiteral("intake");
    case v1::Command::kRecordTriage:
        return QStringLiteral("record_triage");
    case v1::Command::kDecideTriage:
        return QStringLiteral("decide_triage");
    case v1::Command::KIND_NOT_SET:
        break;
    }
    return QStringLiteral("unknown");
}

QString TimelineModel::commandSummary(const v1::Command& c)
{
    switch (c.kind_case()) {
    case v1::Command::kCreateCase:
        return tr("Create case: %1").arg(q(c.create_case().title()));
    case v1::Command::kAddNote:
        return tr("Note: %1").arg(q(c.add_note().text()));
    case v1::Command::kSetFields:
        return tr("Change the case's fields");
    case v1::Command::kAssign:
        return c.assign().assignee().empty() ? tr("Unassign")
                                             : tr("Assign to %1").arg(q(c.assign().assignee()));
    case v1::Command::kMarkReady:
        return tr("Mark ready for approval");
    case v1::Command::kApprove:
        return c.approve().comment().empty() ? tr("Approve")
                                             : tr("Approve: “%1”").arg(q(c.approve().comment()));
    case v1::Command::kDeny:
        return tr("Deny: %1").arg(q(c.deny().reason()));
    case v1::Command::kClose:
        return tr("Close: %1").arg(q(c.close().reason()));
    case v1::Command::kReopen:
        return tr("Reopen: %1").arg(q(c.reopen().reason()));
    case v1::Command::kRequestAction:
        return tr("Run %1").arg(q(c.request_action().action()));
    case v1::Command::kRecordAction:
        return tr("Record how %1 ended").arg(q(c.record_action().has_finished()
                ? c.record_action().finished().action()
                : c.record_action().updated().action()));
    case v1::Command::kCancelAction:
        return tr("Cancel %1").arg(q(c.cancel_action().action()));
    case v1::Command::kIntake:
        return tr("Record a delivery");
    case v1::Command::kRecordTriage:
        return tr("Record a triage suggestion");
    case v1::Command::kDecideTriage:
        return c.decide_triage().accept()
            ? tr("Accept triage's suggestion")
            : tr("Set the type to %1").arg(UiText::typeText(q(c.decide_triage().type())));
    case v1::Command::KIND_NOT_SET:
        break;
    }
    return tr("A command");
}

} // namespace latch::app
