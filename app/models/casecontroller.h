#pragma once
// Everything the case screen shows and does for one case: its facts as last synced, its timeline,
// the server's rule check (which rule, what is missing, who may approve), the plugin actions the
// server offers (whether each may run now and why not, its plan before running), the user's latest
// refused command on the case, and the commands the screen offers (note, mark ready, approve, deny,
// run an action, accept/override a triage suggestion).
//
// canApprove/approveDisabledReason are the app's reading of the synced case (role, preparer,
// requester, status) so the screen can explain itself before anyone clicks; they decide nothing.
// The server checks every command, and its refusal arrives as lastRefusal*.
//
// Threading: UI thread. Needs `session`; set `caseId` to load a case.
#include "latch.pb.h"
#include "sync/appsession.h"
#include "timelinemodel.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace latch::app {


class CaseController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(latch::app::AppSession* session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString caseId READ caseId WRITE setCaseId NOTIFY caseIdChanged)
    Q_PROPERTY(latch::app::TimelineModel* timeline READ timeline CONSTANT)

    // --- facts ---
    Q_PROPERTY(bool loaded READ loaded NOTIFY factsChanged)
    Q_PROPERTY(QString goneReason READ goneReason NOTIFY factsChanged)
    Q_PROPERTY(QString title READ title NOTIFY factsChanged)
    Q_PROPERTY(QString type READ type NOTIFY factsChanged)
    Q_PROPERTY(QString typeText READ typeText NOTIFY factsChanged)
    Q_PROPERTY(QString status READ status NOTIFY factsChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY factsChanged)
    Q_PROPERTY(QString customer READ customer NOTIFY factsChanged)
    Q_PROPERTY(QString orderRef READ orderRef NOTIFY factsChanged)
    Q_PROPERTY(QString amountText READ amountText NOTIFY factsChanged)
    Q_PROPERTY(QString assignee READ assignee NOTIFY factsChanged)
    Q_PROPERTY(QString requester READ requester NOTIFY factsChanged)
    Q_PROPERTY(QString preparer READ preparer NOTIFY factsChanged)
    Q_PROPERTY(QString rule READ rule NOTIFY factsChanged)
    Q_PROPERTY(QString priority READ priority NOTIFY factsChanged) // "" until someone sets it
    Q_PROPERTY(QString priorityText READ priorityText NOTIFY factsChanged)
    Q_PROPERTY(QString description READ description NOTIFY factsChanged)
    Q_PROPERTY(QStringList approvers READ approvers NOTIFY factsChanged)
    Q_PROPERTY(QVariantList fields READ fields NOTIFY factsChanged) // [{key, value}]
    Q_PROPERTY(bool canAddNote READ canAddNote NOTIFY factsChanged)
    Q_PROPERTY(bool canMarkReady READ canMarkReady NOTIFY factsChanged)
    Q_PROPERTY(bool canApprove READ canApprove NOTIFY factsChanged)
    Q_PROPERTY(QString approveDisabledReason READ approveDisabledReason NOTIFY factsChanged)
    Q_PROPERTY(bool awaitingApproval READ awaitingApproval NOTIFY factsChanged)

    // --- triage's suggestion (Case.triage), shown until a person accepts or overrides it ---
    Q_PROPERTY(bool triageVisible READ triageVisible NOTIFY factsChanged)
    // false: triage could not tell the type (no class reached its threshold); only override
    Q_PROPERTY(bool triageHasType READ triageHasType NOTIFY factsChanged)
    Q_PROPERTY(QString triageType READ triageType NOTIFY factsChanged)
    Q_PROPERTY(QString triageTypeText READ triageTypeText NOTIFY factsChanged)
    Q_PROPERTY(int triageConfidence READ triageConfidence NOTIFY factsChanged) // percent
    Q_PROPERTY(QString triagePriority READ triagePriority NOTIFY factsChanged)
    Q_PROPERTY(QString triagePriorityText READ triagePriorityText NOTIFY factsChanged)
    Q_PROPERTY(QString triageRule READ triageRule NOTIFY factsChanged)
    Q_PROPERTY(QString triageRuleSummary READ triageRuleSummary NOTIFY factsChanged)
    // "Rule refund-above-threshold would apply: 1 approval from finance, …"
    Q_PROPERTY(QString triageRuleText READ triageRuleText NOTIFY factsChanged)
    Q_PROPERTY(QString triageModel READ triageModel NOTIFY factsChanged)
    // What triage found in the text: [{key, label, value}], in the order it found them
    Q_PROPERTY(QVariantList triageFacts READ triageFacts NOTIFY factsChanged)
    // The types an override may choose: [{type, text}], the suggested one left out
    Q_PROPERTY(QVariantList triageTypeChoices READ triageTypeChoices NOTIFY factsChanged)
    // The user's answer is in the outbox, not yet accepted by the server
    Q_PROPERTY(bool triagePending READ triagePending NOTIFY outboxStateChanged)

    // How the case reached Latch: "email", "webhook", "alertmanager", "form"; "" made in the app
    Q_PROPERTY(QString channel READ channel NOTIFY factsChanged)
    Q_PROPERTY(QString channelText READ channelText NOTIFY factsChanged) // "Arrived by email"

    // --- the server's rule check ---
    Q_PROPERTY(bool rulesKnown READ rulesKnown NOTIFY rulesChanged)
    Q_PROPERTY(QString rulesMessage READ rulesMessage NOTIFY rulesChanged)
    Q_PROPERTY(bool ruleMatched READ ruleMatched NOTIFY rulesChanged)
    Q_PROPERTY(QString ruleName READ ruleName NOTIFY rulesChanged)
    Q_PROPERTY(QString ruleExplanation READ ruleExplanation NOTIFY rulesChanged)
    Q_PROPERTY(bool ruleSatisfied READ ruleSatisfied NOTIFY rulesChanged)
    Q_PROPERTY(QStringList missing READ missing NOTIFY rulesChanged)
    Q_PROPERTY(QStringList ruleNotes READ ruleNotes NOTIFY rulesChanged)
    Q_PROPERTY(QStringList eligible READ eligible NOTIFY rulesChanged)
    Q_PROPERTY(QVariantList stages READ stages NOTIFY rulesChanged)

    // --- the server's plugin actions (list_actions, plan_action) ---
    // [{action, label, gated, allowedNow, blockedReason, lastState, stateText, canPlan, canRun,
    //   runDisabledReason}]
    Q_PROPERTY(QVariantList actions READ actions NOTIFY actionsChanged)
    Q_PROPERTY(bool actionsKnown READ actionsKnown NOTIFY actionsChanged)
    Q_PROPERTY(QString actionsMessage READ actionsMessage NOTIFY actionsChanged)
    Q_PROPERTY(QString planAction READ planAction NOTIFY planChanged)
    Q_PROPERTY(bool planBusy READ planBusy NOTIFY planChanged)
    Q_PROPERTY(QString planSummary READ planSummary NOTIFY planChanged)
    Q_PROPERTY(QString planRequest READ planRequest NOTIFY planChanged) // "POST https://…"
    Q_PROPERTY(QString planParameters READ planParameters NOTIFY planChanged) // "name = value" lines
    Q_PROPERTY(QString planError READ planError NOTIFY planChanged)

    // --- the user's commands on this case ---
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY outboxStateChanged)
    Q_PROPERTY(bool decisionPending READ decisionPending NOTIFY outboxStateChanged)
    Q_PROPERTY(QString lastRefusalCode READ lastRefusalCode NOTIFY outboxStateChanged)
    Q_PROPERTY(QString lastRefusalMessage READ lastRefusalMessage NOTIFY outboxStateChanged)
    Q_PROPERTY(QString lastRefusalSummary READ lastRefusalSummary NOTIFY outboxStateChanged)

public:
    explicit CaseController(QObject* parent = nullptr);
    ~CaseController() override;

    AppSession* session() const { return m_session; }
    void setSession(AppSession* session);
    QString caseId() const { return m_caseId; }
    void setCaseId(const QString& caseId);
    TimelineModel* timeline() const { return m_timeline; }

    bool loaded() const { return m_loaded; }
    QString goneReason() const { return m_goneReason; }
    QString title() const;
    QString type() const;
    QString typeText() const;
    QString status() const;
    QString statusText() const;
    QString customer() const;
    QString orderRef() const;
    QString amountText() const;
    QString assignee() const;
    QString requester() const;
    QString preparer() const;
    QString rule() const;
    QString priority() const;
    QString priorityText() const;
    QString description() const;
    QStringList approvers() const;
    QVariantList fields() const;
    bool canAddNote() const;
    bool canMarkReady() const;
    bool canApprove() const;
    QString approveDisabledReason() const;
    bool awaitingApproval() const;

    bool triageVisible() const;
    bool triageHasType() const { return !m_case.triage().type().empty(); }
    QString triageType() const;
    QString triageTypeText() const;
    int triageConfidence() const;
    QString triagePriority() const;
    QString triagePriorityText() const;
    QString triageRule() const;
    QString triageRuleSummary() const;
    QString triageRuleText() const;
    QString triageModel() const;
    QVariantList triageFacts() const;
    QVariantList triageTypeChoices() const;
    bool triagePending() const { return m_triagePending; }
    QString channel() const;
    QString channelText() const;
    // The decide_triage command acceptTriage() (accept) and overrideTriage(type) send: it names
    // the suggestion on screen, so the server refuses it (triage.moved_on) when triage has
    // suggested again since. A command without a kind when there is nothing to answer.
    v1::Command triageDecision(bool accept, const QString& type = {}) const;

    bool rulesKnown() const { return m_rulesKnown; }
    QString rulesMessage() const { return m_rulesMessage; }
    bool ruleMatched() const { return m_check.matched(); }
    QString ruleName() const;
    QString ruleExplanation() const;
    bool ruleSatisfied() const { return m_check.satisfied(); }
    QStringList missing() const;
    QStringList ruleNotes() const;
    QStringList eligible() const;
    QVariantList stages() const;

    QVariantList actions() const;
    bool actionsKnown() const { return m_actionsKnown; }
    QString actionsMessage() const;
    QString planAction() const { return m_planAction; }
    bool planBusy() const { return m_planBusy; }
    QString planSummary() const;
    QString planRequest() const;
    QString planParameters() const;
    QString planError() const { return m_planError; }
    // An ActionPlan.plan (JSON: method, url, params as [name, value] pairs) as "name = value"
    // lines in the order they are sent, other keys after; text that is not such JSON unchanged.
    static QString planParameterText(const std::string& planJson);

    int pendingCount() const { return m_pendingCount; }
    bool decisionPending() const { return m_decisionPending; }
    QString lastRefusalCode() const { return m_refusalCode; }
    QString lastRefusalMessage() const { return m_refusalMessage; }
    QString lastRefusalSummary() const { return m_refusalSummary; }

    // Each returns false (and sends nothing) when the input is empty or no case is loaded.
    Q_INVOKABLE bool addNote(const QString& text);
    Q_INVOKABLE bool markReady();
    Q_INVOKABLE bool approve(const QString& comment);
    Q_INVOKABLE bool deny(const QString& reason);
    // Asks the server what running `action` would send; the answer fills plan*.
    Q_INVOKABLE bool showPlan(const QString& action);
    Q_INVOKABLE void closePlan();
    // Runs the action with the plan shown for it (its plan_hash goes along, so the server refuses
    // if the case changed since); false without a shown plan for it.
    Q_INVOKABLE bool runAction(const QString& action);
    Q_INVOKABLE void refreshActions();
    // Answer the suggestion on the triage card through the outbox; false (nothing sent) when no
    // suggestion waits, an answer is already on its way, or (accept) triage suggested no type.
    Q_INVOKABLE bool acceptTriage();
    Q_INVOKABLE bool overrideTriage(const QString& type);
    Q_INVOKABLE void dismissRefusal();
    Q_INVOKABLE void refreshRules();

    // Direct inputs (the session's signals call these; tests may too).
    void setUser(const QString& username, const QStringList& roles);
    void setCase(const v1::Case& c);
    void setRuleCheck(bool ok, const v1::RuleCheck& check, const QString& message);
    void setActions(bool ok, const QVector<v1::ActionOffer>& offers, const QString& message);
    void setPlan(const QString& action, bool ok, const v1::ActionPlan& plan, const QString& code,
                 const QString& message);

Q_SIGNALS:
    void sessionChanged();
    void caseIdChanged();
    void factsChanged();
    void rulesChanged();
    void actionsChanged();
    void planChanged();
    void outboxStateChanged();

private:
    void onOutboxChanged();
    bool submitTriage(v1::Command command);
    bool online() const;
    bool runPending(const QString& action) const;
    void clearActions();

    QPointer<AppSession> m_session;
    QString m_caseId;
    QString m_me; // the signed-in user, for the approve hint
    QStringList m_myRoles;
    TimelineModel* m_timeline = nullptr;

    v1::Case m_case;
    bool m_loaded = false;
    QString m_goneReason;

    v1::RuleCheck m_check;
    bool m_rulesKnown = false;
    QString m_rulesMessage;
    quint64 m_checkedVersion = 0; // case version the last rule check was asked for

    QVector<v1::ActionOffer> m_offers;
    bool m_actionsKnown = false;
    QString m_actionsMessage;
    quint64 m_actionsVersion = 0; // case version the last action list was asked for
    QString m_planAction; // the action whose plan is shown or asked for; "" when none
    bool m_planBusy = false;
    v1::ActionPlan m_plan;
    QString m_planError;

    int m_pendingCount = 0;
    bool m_decisionPending = false;
    bool m_triagePending = false;
    QString m_refusalId;
    QString m_refusalCode;
    QString m_refusalMessage;
    QString m_refusalSummary;
};

} // namespace latch::app
