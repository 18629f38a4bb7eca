#include "models/triageview.h"

#include "models/uitext.h"

#include <QVariantMap>

namespace latch::app {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

bool TriageView::waiting(const v1::TriageState& t)
{
    return t.suggestion_seq() != 0 && t.decision().empty();
}

QString TriageView::factLabel(const QString& key)
{
    if (key == QLatin1String("amount"))
        return tr("Amount");
    if (key == QLatin1String("customer"))
        return tr("Customer");
    if (key == QLatin1String("order"))
        return tr("Order");
    if (key == QLatin1String("email"))
        return tr("Email");
    return key;
}

QVariantList TriageView::facts(const v1::TriageState& t)
{
    QVariantList out;
    for (const auto& f : t.extracted()) {
        if (f.value().empty())
            continue;
        const QString key = q(f.key());
        out << QVariantMap { { QStringLiteral("key"), key },
            { QStringLiteral("label"), factLabel(key) },
            { QStringLiteral("value"), q(f.value()) } };
    }
    return out;
}

QString TriageView::ruleText(const v1::TriageState& t)
{
    if (t.rule().empty())
        return t.type().empty() ? QString() : tr("No approval rule would apply");
    if (t.rule_summary().empty())
        return tr("Rule %1 would apply").arg(q(t.rule()));
    return tr("Rule %1 would apply: %2").arg(q(t.rule()), q(t.rule_summary()));
}

QVariantList TriageView::typeChoices(const v1::TriageState& t, const QString& caseType)
{
    QStringList types = UiText::knownTypes();
    if (!caseType.isEmpty() && !types.contains(caseType))
        types << caseType;
    types.removeAll(q(t.type()));
    QVariantList out;
    for (const auto& type : types) {
        out << QVariantMap { { QStringLiteral("type"), type },
            { QStringLiteral("text"), UiText::typeText(type) } };
    }
    return out;
}

v1::Command TriageView::decision(const v1::Case& c, bool accept, const QString& type)
{
    v1::Command command;
    const auto& t = c.triage();
    if (!waiting(t) || (accept && t.type().empty()) || (!accept && type.isEmpty()))
        return command;
    auto* d = command.mutable_decide_triage();
    d->set_case_id(c.id());
    d->set_accept(accept);
    if (!accept)
        d->set_type(type.toStdString());
    // The suggestion the user looked at: a newer one makes the server refuse (triage.moved_on)
    // rather than apply an answer to a question the user never saw.
    d->set_suggestion_seq(t.suggestion_seq());
    return command;
}

} // namespace latch::app
