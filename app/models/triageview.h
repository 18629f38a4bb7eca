#pragma once
// Triage's suggestion on a case (v1::TriageState, the fold of triage_suggested and
// triage_decided) as the triage card shows it: whether it still waits for a person, the facts it
// found with readable labels, the rule it says would apply as a sentence, the types an override
// may choose, and the decide_triage command that answers it. Presentation only: the server checks
// every answer (triage.moved_on, triage.decided, triage.no_type, ...).
//
// Threading: stateless; UI thread (the words follow the installed translator).
#include "latch.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QVariantList>

namespace latch::app {

class TriageView {
    Q_DECLARE_TR_FUNCTIONS(TriageView)

public:
    // A suggestion is recorded and nobody has accepted or overridden it yet.
    static bool waiting(const v1::TriageState& t);
    // [{key, label, value}] for each fact triage found ("amount" -> "Amount"), in its order.
    static QVariantList facts(const v1::TriageState& t);
    // "amount", "customer", "order", "email" as words; other keys unchanged.
    static QString factLabel(const QString& key);
    // "Rule refund-above-threshold would apply: 1 approval from finance, …"; "No approval rule
    // would apply" when triage named a type but no rule; "" when it named neither.
    static QString ruleText(const v1::TriageState& t);
    // [{type, text}]: the types the app knows and the case's own, without the suggested type
    // (choosing that is accepting).
    static QVariantList typeChoices(const v1::TriageState& t, const QString& caseType);
    // The decide_triage for the suggestion in force on `c`: accept it, or override it with
    // `type`. A command without a kind when there is nothing to answer, or nothing to answer with
    // (accepting when triage named no type, overriding with no type).
    static v1::Command decision(const v1::Case& c, bool accept, const QString& type);
};

} // namespace latch::app
