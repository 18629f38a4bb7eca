#include "models/uitext.h"

#include "latch/money.h"
#include "sync/appsession.h"

#include <QDateTime>
#include <QJSEngine>
#include <QLocale>
#include <algorithm>

namespace latch::app {

UiText& UiText::shared()
{
    static UiText* instance = new UiText(); // lives as long as the process, like the app
    return *instance;
}

UiText* UiText::create(QQmlEngine*, QJSEngine*)
{
    UiText* text = &shared();
    QJSEngine::setObjectOwnership(text, QJSEngine::CppOwnership);
    return text;
}

QString UiText::statusText(const QString& status)
{
    if (status == QLatin1String("in_review"))
        return tr("In review");
    if (status == QLatin1String("awaiting_approval"))
        return tr("Awaiting approval");
    if (status == QLatin1String("approved"))
        return tr("Approved");
    if (status == QLatin1String("denied"))
        return tr("Denied");
    if (status == QLatin1String("closed"))
        return tr("Closed");
    return status;
}

QString UiText::typeText(const QString& type)
{
    if (type == QLatin1String("refund"))
        return tr("Refund");
    if (type == QLatin1String("vendor_bank_change"))
        return tr("Vendor bank change");
    if (type == QLatin1String("escalation"))
        return tr("Escalation");
    if (type == QLatin1String("invoice_dispute"))
        return tr("Invoice dispute");
    if (type == QLatin1String("other"))
        return tr("Other");
    // Types come from the server's config: show unknown ones readably rather than not at all.
    QString words = type;
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!words.isEmpty())
        words[0] = words[0].toUpper();
    return words;
}

QStringList UiText::knownTypes()
{
    // The types of the shipped configuration. A server with others still works: the triage card
    // adds the case's own and the suggested type to its choices.
    return { QStringLiteral("refund"), QStringLiteral("vendor_bank_change"),
        QStringLiteral("invoice_dispute"), QStringLiteral("escalation"), QStringLiteral("other") };
}

QString UiText::priorityText(const QString& priority)
{
    if (priority == QLatin1String("low"))
        return tr("Low");
    if (priority == QLatin1String("normal"))
        return tr("Normal");
    if (priority == QLatin1String("high"))
        return tr("High");
    if (priority == QLatin1String("urgent"))
        return tr("Urgent");
    return priority;
}

QString UiText::channelText(const QString& channel)
{
    if (channel.isEmpty())
        return {};
    if (channel == QLatin1String("email"))
        return tr("Arrived by email");
    if (channel == QLatin1String("webhook"))
        return tr("Arrived by webhook");
    if (channel == QLatin1String("alertmanager"))
        return tr("Arrived as an alert");
    if (channel == QLatin1String("form"))
        return tr("Arrived through a form");
    return tr("Arrived by %1").arg(channel);
}

QString UiText::signInErrorTitle(const QString& code)
{
    if (code.isEmpty())
        return {};
    if (code == QLatin1String("auth.failed"))
        return tr("Wrong user name or password");
    if (code == QLatin1String("auth.locked"))
        return tr("This account is locked for now");
    if (code == QLatin1String("auth.disabled"))
        return tr("This account is disabled");
    if (code == QLatin1String("auth.missing"))
        return tr("Enter your user name and password");
    if (code == QLatin1String("net.unreachable"))
        return tr("Cannot reach the server");
    if (code == QLatin1String("net.tls"))
        return tr("The server's certificate is not trusted");
    if (code == QLatin1String("net.bad_url"))
        return tr("That is not a server address");
    if (code == QLatin1String("key.weak_passphrase"))
        return tr("Choose a longer passphrase");
    if (code.startsWith(QLatin1String("key.")))
        return tr("The key for this computer's copy is not available");
    if (code.startsWith(QLatin1String("replica.")))
        return tr("This computer's copy cannot be opened");
    return tr("Sign-in failed");
}

QString UiText::connectionText(int state)
{
    switch (AppSession::State(state)) {
    case AppSession::State::SignedOut:
        return tr("Signed out");
    case AppSession::State::Connecting:
        return tr("Connecting…");
    case AppSession::State::Syncing:
        return tr("Syncing…");
    case AppSession::State::Live:
        return tr("Live");
    case AppSession::State::Offline:
        return tr("Offline");
    }
    return {};
}

QString UiText::actionStateText(int state)
{
    switch (v1::ActionState(state)) {
    case v1::ACTION_STATE_REQUESTED:
        return tr("Requested: waiting for the result");
    case v1::ACTION_STATE_SUCCEEDED:
        return tr("Succeeded");
    case v1::ACTION_STATE_FAILED:
        return tr("Failed");
    case v1::ACTION_STATE_UNKNOWN:
        return tr("Outcome unknown: check the external system");
    default:
        return {};
    }
}

QString UiText::amountText(qint64 minor, const QString& currency)
{
    if (currency.isEmpty())
        return {};
    return QString::fromStdString(latch::formatMoney({ minor, currency.toStdString() }));
}

QString UiText::ageText(qint64 fromMs, qint64 nowMs)
{
    if (fromMs <= 0)
        return {};
    const qint64 minutes = std::max<qint64>(0, nowMs - fromMs) / 60000;
    if (minutes < 1)
        return tr("now");
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    if (minutes < 48 * 60)
        return tr("%1 h").arg(minutes / 60);
    return tr("%1 d").arg(minutes / (24 * 60));
}

QString UiText::timeText(qint64 ms, qint64 nowMs)
{
    if (ms <= 0)
        return {};
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    const QLocale locale;
    if (when.date() == now.date())
        return locale.toString(when.time(), QLocale::ShortFormat);
    const QString time = locale.toString(when.time(), QLocale::ShortFormat);
    if (when.date().year() == now.date().year())
        return locale.toString(when.date(), QStringLiteral("d MMM")) + QLatin1Char(' ') + time;
    return locale.toString(when.date(), QStringLiteral("d MMM yyyy")) + QLatin1Char(' ') + time;
}

QString UiText::orList(const QStringList& words)
{
    if (words.size() <= 1)
        return words.value(0);
    const QStringList head = words.mid(0, words.size() - 1);
    return tr("%1 or %2").arg(head.join(QStringLiteral(", ")), words.last());
}

} // namespace latch::app
