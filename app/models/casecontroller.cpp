#include "models/casecontroller.h"

#include "latch/casefold.h"
#include "models/approvalhint.h"
#include "models/timelinemodel.h"
#include "models/triageview.h"
#include "models/uitext.h"
#include "sync/appsession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace latch::app {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QStringList list(const google::protobuf::RepeatedPtrField<std::string>& items)
{
    QStringList out;
    out.reserve(items.size());
    for (const auto& item : items)
        out << q(item);
    return out;
}

} // namespace

CaseController::CaseController(QObject* parent)
    : QObject(parent)
    , m_timeline(new TimelineModel(this))
{
    // Status words and the disabled reason are translated here, not in QML.
    connect(&UiText::shared(), &UiText::languageChanged, this, [this] {
        Q_EMIT factsChanged();
        Q_EMIT actionsChanged();
        Q_EMIT outboxStateChanged();
    });
}

CaseController::~CaseController() = default;

void CaseController::setSession(AppSession* session)
{
    if (!rebindSession(m_session, session, this))
        return;
    m_timeline->setSession(session);
    if (m_session) {
        connect(m_session, &AppSession::caseLoaded, this,
            [this](const QString& id, const v1::Case& c, const QVector<v1::Event>&) {
                if (id == m_caseId)
                    setCase(c);
            });
        connect(m_session, &AppSession::caseGone, this,
            [this](const QString& id, const QString& reason) {
                if (id != m_caseId)
                    return;
                m_loaded = false;
                m_case.Clear();
                m_goneReason = reason;
                Q_EMIT factsChanged();
            });
        connect(m_session, &AppSession::rulesChecked, this,
            [this](const QString& id, bool ok, const v1::RuleCheck& check, const QString& message) {
                if (id == m_caseId)
                    setRuleCheck(ok, check, message);
            });
        connect(m_session, &AppSession::actionsListed, this,
            [this](const QString& id, bool ok, const QVector<v1::ActionOffer>& offers,
                const QString& message) {
                if (id == m_caseId)
                    setActions(ok, offers, message);
            });
        connect(m_session, &AppSession::actionPlanned, this,
            [this](const QString& id, const QString& action, bool ok, const v1::ActionPlan& plan,
                const QString& code, const QString& message) {
                if (id == m_caseId)
                    setPlan(action, ok, plan, code, message);
            });
        connect(m_session, &AppSession::outboxChanged, this, &CaseController::onOutboxChanged);
        connect(m_session, &AppSession::userChanged, this,
            [this] { setUser(m_session->username(), m_session->roles()); });
        setUser(m_session->username(), m_session->roles());
        // A rule check or action list made offline only says "offline": ask again once the
        // server is back. Going offline disables Run and Show plan, so say so at once.
        connect(m_session, &AppSession::stateChanged, this, [this] {
            if (m_session->state() == AppSession::State::Live && m_loaded) {
                if (!m_rulesKnown)
                    refreshRules();
                if (!m_actionsKnown)
                    refreshActions();
            }
            if (!online() && m_planBusy) {
                m_planBusy = false; // the answer went down with the connection
                Q_EMIT planChanged();
            }
            Q_EMIT actionsChanged();
        });
        onOutboxChanged();
        if (!m_caseId.isEmpty())
            m_session->loadCase(m_caseId);
    }
    Q_EMIT sessionChanged();
}

void CaseController::setCaseId(const QString& caseId)
{
    if (m_caseId == caseId)
        return;
    m_caseId = caseId;
    m_case.Clear();
    m_loaded = false;
    m_goneReason.clear();
    m_check.Clear();
    m_rulesKnown = false;
    m_rulesMessage.clear();
    m_checkedVersion = 0;
    clearActions();
    m_timeline->setCaseId(caseId);
    onOutboxChanged();
    Q_EMIT caseIdChanged();
    Q_EMIT factsChanged();
    Q_EMIT rulesChanged();
    Q_EMIT actionsChanged();
    Q_EMIT planChanged();
    if (m_session && !m_caseId.isEmpty())
        m_session->loadCase(m_caseId);
}

void CaseController::setUser(const QString& username, const QStringList& roles)
{
    if (m_me == username && m_myRoles == roles)
        return;
    m_me = username;
    m_myRoles = roles;
    Q_EMIT factsChanged();
}

void CaseController::setCase(const v1::Case& c)
{
    m_case = c;
    m_loaded = true;
    m_goneReason.clear();
    Q_EMIT factsChanged();
    // Approvals, mark-ready and edits change what the rule check says: ask again for each version.
    if (m_session && m_case.version() != m_checkedVersion)
        refreshRules();
    // The same goes for the actions (the gate, a run's state); a plan on screen is asked again
    // too, so what Run sends is always what the case says now.
    if (m_session && m_case.version() != m_actionsVersion) {
        refreshActions();
        if (!m_planAction.isEmpty() && !m_planBusy)
            showPlan(m_planAction);
    }
}

void CaseController::setRuleCheck(bool ok, const v1::RuleCheck& check, const QString& message)
{
    if (ok) {
        m_check = check;
        m_rulesKnown = true;
        m_rulesMessage.clear();
    } else {
        // Keep the last good check (it still describes the case) but say why it is not fresh.
        m_rulesMessage = message;
    }
    Q_EMIT rulesChanged();
}

void CaseController::refreshRules()
{
    if (!m_session || m_caseId.isEmpty())
        return;
    m_checkedVersion = m_case.version();
    m_session->checkRules(m_caseId);
}

void CaseController::refreshActions()
{
    if (!m_session || m_caseId.isEmpty())
        return;
    m_actionsVersion = m_case.version();
    m_session->listActions(m_caseId);
}

void CaseController::setActions(bool ok, const QVector<v1::ActionOffer>& offers,
    const QString& message)
{
    if (ok) {
        m_offers = offers;
        m_actionsKnown = true;
        m_actionsMessage.clear();
    } else {
        // As with the rule check: the last good list stays, with the reason it is not fresh.
        m_actionsMessage = message;
    }
    Q_EMIT actionsChanged();
}

void CaseController::setPlan(const QString& action, bool ok, const v1::ActionPlan& plan,
    const QString& code, const QString& message)
{
    if (action != m_planAction)
        return; // the user asked for another plan meanwhile, or closed it
    m_planBusy = false;
    if (ok) {
        m_plan = plan;
        m_planError.clear();
    } else {
        m_plan.Clear();
        m_planError = code.isEmpty() ? message : tr("%1 — %2").arg(code, message);
    }
    Q_EMIT planChanged();
    Q_EMIT actionsChanged(); // canRun follows the plan
}

void CaseController::clearActions()
{
    m_offers.clear();
    m_actionsKnown = false;
    m_actionsMessage.clear();
    m_actionsVersion = 0;
    m_planAction.clear();
    m_planBusy = false;
    m_plan.Clear();
    m_planError.clear();
}

bool CaseController::online() const
{
    return m_session && m_session->online();
}

bool CaseController::runPending(const QString& action) const
{
    if (!m_session)
        return false;
    for (const auto& entry : m_session->outbox()) {
        if (entry.state == OutboxEntry::State::Pending && q(entry.caseId) == m_caseId
            && entry.command.has_request_action()
            && q(entry.command.request_action().action()) == action)
            return true;
    }
    return false;
}

void CaseController::onOutboxChanged()
{
    int pending = 0;
    bool decision = false;
    bool triage = false;
    const OutboxEntry* refused = nullptr;
    if (m_session) {
        for (const auto& entry : m_session->outbox()) {
            if (q(entry.caseId) != m_caseId)
                continue;
            if (entry.state == OutboxEntry::State::Pending) {
                ++pending;
                decision = decision || entry.command.has_approve() || entry.command.has_deny();
                triage = triage || entry.command.has_decide_triage();
            } else if (!refused || entry.localSeq > refused->localSeq) {
                refused = &entry;
            }
        }
    }
    const bool decisionMoved = m_decisionPending != decision;
    m_pendingCount = pending;
    m_decisionPending = decision;
    m_triagePending = triage;
    m_refusalId = refused ? q(refused->commandId) : QString();
    m_refusalCode = refused ? q(refused->code) : QString();
    m_refusalMessage = refused ? q(refused->message) : QString();
    m_refusalSummary = refused ? TimelineModel::commandSummary(refused->command) : QString();
    Q_EMIT outboxStateChanged();
    Q_EMIT actionsChanged(); // a run waiting in the outbox disables Run
    if (decisionMoved)
        Q_EMIT factsChanged(); // approveDisabledReason says when a decision is on its way
}

// --- facts ---------------------------------------------------------------------------------

QString CaseController::title() const
{
    return q(m_case.title());
}
QString CaseController::type() const
{
    return q(m_case.type());
}
QString CaseController::typeText() const
{
    return UiText::typeText(type());
}
QString CaseController::status() const
{
    return q(statusName(m_case.status()));
}
QString CaseController::statusText() const
{
    return UiText::statusText(status());
}
QString CaseController::customer() const
{
    return q(m_case.customer());
}
QString CaseController::orderRef() const
{
    return q(m_case.order_ref());
}
QString CaseController::assignee() const
{
    return q(m_case.assignee());
}
QString CaseController::requester() const
{
    return q(m_case.requester());
}
QString CaseController::preparer() const
{
    return q(m_case.preparer());
}
QString CaseController::rule() const
{
    return q(m_case.rule());
}
QString CaseController::priority() const
{
    return q(m_case.priority());
}
QString CaseController::priorityText() const
{
    return UiText::priorityText(priority());
}
QString CaseController::description() const
{
    return q(m_case.description());
}

QString CaseController::amountText() const
{
    if (!m_case.has_amount())
        return {};
    return UiText::amountText(m_case.amount().minor(), q(m_case.amount().currency()));
}

QStringList CaseController::approvers() const
{
    QStringList out;
    for (const auto& a : m_case.approvals())
        out << q(a.approver());
    return out;
}

QVariantList CaseController::fields() const
{
    QVariantList out;
    for (const auto& f : m_case.fields()) {
        out << QVariantMap { { QStringLiteral("key"), q(f.key()) },
            { QStringLiteral("value"), q(f.value()) } };
    }
    return out;
}

bool CaseController::canAddNote() const
{
    return m_loaded && m_case.status() != v1::CASE_STATUS_CLOSED;
}

bool CaseController::canMarkReady() const
{
    return m_loaded && m_case.status() == v1::CASE_STATUS_IN_REVIEW;
}

bool CaseController::awaitingApproval() const
{
    return m_loaded && m_case.status() == v1::CASE_STATUS_AWAITING_APPROVAL;
}

bool CaseController::canApprove() const
{
    return m_loaded && approveDisabledReason().isEmpty();
}

QString CaseController::approveDisabledReason() const
{
    if (!m_loaded)
        return {};
    std::vector<std::pair<int, QStringList>> stages;
    for (const auto& s : m_case.stages())
        stages.emplace_back(int(s.approvals()), list(s.roles()));
    const ApproveHint hint
        = approveHint(status(), preparer(), requester(), approvers(), stages, m_me, m_myRoles);
    switch (hint.block) {
    case ApproveHint::Block::None:
        return m_decisionPending ? tr("Your decision is on its way to the server") : QString();
    case ApproveHint::Block::NotAwaiting:
        switch (m_case.status()) {
        case v1::CASE_STATUS_IN_REVIEW:
            return tr("The case must be marked ready before it can be approved");
        case v1::CASE_STATUS_APPROVED:
            return tr("This case is already approved");
        case v1::CASE_STATUS_DENIED:
            return tr("This case was denied");
        case v1::CASE_STATUS_CLOSED:
            return tr("This case is closed");
        default:
            return tr("This case is not awaiting approval");
        }
    case ApproveHint::Block::Preparer:
        return tr("You prepared this case: the two-person rule needs someone else");
    case ApproveHint::Block::Requester:
        return tr("You requested this case: the two-person rule needs someone else");
    case ApproveHint::Block::AlreadyApproved:
        return tr("You have already approved this case");
    case ApproveHint::Block::NoOpenStage:
        return stages.empty() ? tr("No approval rule applies to this case")
                              : tr("Every approval this case needs is already in");
    case ApproveHint::Block::Role:
        return tr("Needs the %1 role").arg(UiText::orList(hint.neededRoles));
    }
    return {};
}

// --- triage ------------------------------------------------------------------------------

bool CaseController::triageVisible() const
{
    return m_loaded && TriageView::waiting(m_case.triage());
}
QString CaseController::triageType() const
{
    return q(m_case.triage().type());
}
QString CaseController::triageTypeText() const
{
    return UiText::typeText(triageType());
}
int CaseController::triageConfidence() const
{
    return qRound(m_case.triage().confidence() * 100);
}
QString CaseController::triagePriority() const
{
    return q(m_case.triage().priority());
}
QString CaseController::triagePriorityText() const
{
    return UiText::priorityText(triagePriority());
}
QString CaseController::triageRule() const
{
    return q(m_case.triage().rule());
}
QString CaseController::triageRuleSummary() const
{
    return q(m_case.triage().rule_summary());
}
QString CaseController::triageRuleText() const
{
    return TriageView::ruleText(m_case.triage());
}
QString CaseController::triageModel() const
{
    return q(m_case.triage().model());
}
QVariantList CaseController::triageFacts() const
{
    return TriageView::facts(m_case.triage());
}
QVariantList CaseController::triageTypeChoices() const
{
    return TriageView::typeChoices(m_case.triage(), type());
}
QString CaseController::channel() const
{
    return q(m_case.channel());
}
QString CaseController::channelText() const
{
    return UiText::channelText(channel());
}

v1::Command CaseController::triageDecision(bool accept, const QString& type) const
{
    if (!m_loaded)
        return {};
    return TriageView::decision(m_case, accept, type);
}

// --- rule check ----------------------------------------------------------------------------

QString CaseController::ruleName() const
{
    return q(m_check.rule());
}
QString CaseController::ruleExplanation() const
{
    return q(m_check.explanation());
}
QStringList CaseController::missing() const
{
    return list(m_check.missing());
}
QStringList CaseController::ruleNotes() const
{
    return list(m_check.notes());
}

QStringList CaseController::eligible() const
{
    QStringList out;
    for (const auto& stage : m_check.stages()) {
        if (stage.satisfied())
            continue;
        for (const auto& person : stage.eligible()) {
            if (!out.contains(q(person)))
                out << q(person);
        }
    }
    return out;
}

QVariantList CaseController::stages() const
{
    QVariantList out;
    for (const auto& s : m_check.stages()) {
        out << QVariantMap {
            { QStringLiteral("number"), s.index() + 1 },
            { QStringLiteral("required"), int(s.required()) },
            { QStringLiteral("roles"), UiText::orList(list(s.approver_roles())) },
            { QStringLiteral("approvedBy"), list(s.approved_by()).join(QStringLiteral(", ")) },
            { QStringLiteral("eligible"), list(s.eligible()).join(QStringLiteral(", ")) },
            { QStringLiteral("satisfied"), s.satisfied() },
        };
    }
    return out;
}

QString CaseController::actionsMessage() const
{
    if (m_session && !online())
        return tr("Offline: plugin actions need the server. They can be planned and run once it "
                  "is reachable.");
    return m_actionsMessage;
}

QVariantList CaseController::actions() const
{
    QVariantList out;
    for (const auto& offer : m_offers) {
        const QString action = q(offer.action());
        const bool planShown = m_planAction == action && !m_planBusy && !m_plan.plan_hash().empty();
        const bool running = runPending(action) || offer.last_state() == v1::ACTION_STATE_REQUESTED;
        // Why Run is disabled, most fundamental first; the server's reason is shown unchanged.
        QString why;
        if (m_session && !online())
            why = tr("Needs the server");
        else if (running)
            why = tr("A run is on its way; its result appears on the timeline");
        else if (!offer.allowed_now())
            why = q(offer.blocked_reason());
        else if (!planShown)
            why = tr("Show the plan first: Run sends exactly what it shows");
        out << QVariantMap {
            { QStringLiteral("action"), action },
            { QStringLiteral("label"), offer.label().empty() ? action : q(offer.label()) },
            { QStringLiteral("gated"), offer.gated() },
            { QStringLiteral("allowedNow"), offer.allowed_now() },
            { QStringLiteral("blockedReason"), q(offer.blocked_reason()) },
            { QStringLiteral("lastState"), q(actionStateName(offer.last_state())) },
            { QStringLiteral("stateText"), UiText::actionStateText(offer.last_state()) },
            { QStringLiteral("canPlan"), online() },
            { QStringLiteral("canRun"), why.isEmpty() },
            { QStringLiteral("runDisabledReason"), why },
        };
    }
    return out;
}

QString CaseController::planSummary() const
{
    return q(m_plan.summary());
}

QString CaseController::planRequest() const
{
    const QJsonObject plan = QJsonDocument::fromJson(QByteArray::fromStdString(m_plan.plan())).object();
    return QStringLiteral("%1 %2").arg(plan.value(QLatin1String("method")).toString(),
                                       plan.value(QLatin1String("url")).toString()).trimmed();
}

QString CaseController::planParameters() const
{
    return planParameterText(m_plan.plan());
}

QString CaseController::planParameterText(const std::string& planJson)
{
    if (planJson.empty())
        return {};
    const QJsonObject plan = QJsonDocument::fromJson(QByteArray::fromStdString(planJson)).object();
    if (plan.isEmpty())
        return q(planJson); // not the JSON we expect: show it exactly as it came
    const auto text = [](const QJsonValue& v) {
        return v.isString() ? v.toString()
                            : QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(
                                  QJsonDocument::Compact)).mid(1).chopped(1);
    };
    QStringList lines;
    const QJsonValue params = plan.value(QLatin1String("params"));
    if (params.isArray()) {
        for (const auto& pair : params.toArray()) {
            const QJsonArray p = pair.toArray();
            lines << QStringLiteral("%1 = %2").arg(text(p.at(0)), text(p.at(1)));
        }
    } else if (params.isObject()) {
        const QJsonObject o = params.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            lines << QStringLiteral("%1 = %2").arg(it.key(), text(it.value()));
    }
    for (auto it = plan.begin(); it != plan.end(); ++it) {
        if (it.key() != QLatin1String("method") && it.key() != QLatin1String("url")
            && it.key() != QLatin1String("params"))
            lines << QStringLiteral("%1 = %2").arg(it.key(), text(it.value()));
    }
    return lines.join(QLatin1Char('\n'));
}

// --- commands ------------------------------------------------------------------------------

bool CaseController::addNote(const QString& text)
{
    if (!m_session || !m_loaded || text.trimmed().isEmpty())
        return false;
    m_session->addNote(m_caseId, text.trimmed());
    return true;
}

bool CaseController::markReady()
{
    if (!m_session || !m_loaded)
        return false;
    m_session->markReady(m_caseId);
    return true;
}

bool CaseController::approve(const QString& comment)
{
    if (!m_session || !m_loaded)
        return false;
    m_session->approve(m_caseId, comment.trimmed());
    return true;
}

bool CaseController::deny(const QString& reason)
{
    if (!m_session || !m_loaded || reason.trimmed().isEmpty())
        return false;
    m_session->deny(m_caseId, reason.trimmed());
    return true;
}

bool CaseController::showPlan(const QString& action)
{
    if (!m_session || !m_loaded || action.isEmpty())
        return false;
    m_planAction = action;
    m_planBusy = true;
    m_planError.clear();
    m_plan.Clear();
    Q_EMIT planChanged();
    Q_EMIT actionsChanged();
    m_session->planAction(m_caseId, action);
    return true;
}

void CaseController::closePlan()
{
    if (m_planAction.isEmpty())
        return;
    m_planAction.clear();
    m_planBusy = false;
    m_plan.Clear();
    m_planError.clear();
    Q_EMIT planChanged();
    Q_EMIT actionsChanged();
}

bool CaseController::runAction(const QString& action)
{
    if (!m_session || !m_loaded || action.isEmpty() || m_planAction != action || m_planBusy
        || m_plan.plan_hash().empty())
        return false;
    m_session->requestAction(m_caseId, action, QByteArray::fromStdString(m_plan.plan_hash()));
    // The plan has done its job; the run's progress is on the timeline and in lastState.
    closePlan();
    return true;
}

bool CaseController::acceptTriage()
{
    return submitTriage(triageDecision(true));
}

bool CaseController::overrideTriage(const QString& type)
{
    return submitTriage(triageDecision(false, type));
}

// Through the outbox like every command: offline it waits (and the card says so), and the card
// goes away when the server's triage_decided arrives.
bool CaseController::submitTriage(v1::Command command)
{
    if (!m_session || m_triagePending || !command.has_decide_triage())
        return false;
    m_session->submit(std::move(command));
    // At once, so a second click cannot answer twice; the outbox confirms it when the worker
    // has stored the command.
    m_triagePending = true;
    Q_EMIT outboxStateChanged();
    return true;
}

void CaseController::dismissRefusal()
{
    if (m_session && !m_refusalId.isEmpty())
        m_session->dismiss(m_refusalId);
}

} // namespace latch::app
