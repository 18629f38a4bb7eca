#pragma once
// The words the screens show for values the server sends as codes: status names, amounts, ages,
// times, sign-in error titles. Kept in C++ so every model and screen says the same thing, and so
// QML holds no mapping tables. Also the app-wide "the language changed" signal: models whose roles
// carry translated text listen to it and refresh, since QQmlEngine::retranslate() only re-runs
// qsTr() bindings.
//
// Threading: UI thread only. shared() is the one instance; QML gets it as the `UiText` singleton.
#include <QObject>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace latch::app {

class UiText : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    static UiText& shared();
    static UiText* create(QQmlEngine* qml, QJSEngine* js);

    // "in_review" -> "In review"; unknown names pass through unchanged.
    Q_INVOKABLE static QString statusText(const QString& status);
    // "refund" -> "Refund", "vendor_bank_change" -> "Vendor bank change".
    Q_INVOKABLE static QString typeText(const QString& type);
    // The case types the app has words for, in the order a chooser lists them.
    static QStringList knownTypes();
    // A case priority ("low", "normal", "high", "urgent") as a word; unknown ones unchanged.
    Q_INVOKABLE static QString priorityText(const QString& priority);
    // How a case reached Latch, for the queue's channel icon: "Arrived by email", ...; "" for a
    // case made in the app or the CLI (Case.channel empty).
    Q_INVOKABLE static QString channelText(const QString& channel);
    // A heading for AppSession.errorCode on the sign-in screen ("Wrong user name or password").
    Q_INVOKABLE static QString signInErrorTitle(const QString& code);
    // AppSession.state as words: "Live", "Offline", ...
    Q_INVOKABLE static QString connectionText(int state);
    // An action run's state (v1::ActionState) as words: "Requested", "Succeeded", ...; "" for
    // never run.
    Q_INVOKABLE static QString actionStateText(int state);

    // "2,400.00 USD"; empty when the case has no amount.
    static QString amountText(qint64 minor, const QString& currency);
    // "now", "12 min", "3 h", "2 d" between two Unix ms times.
    static QString ageText(qint64 fromMs, qint64 nowMs);
    // "09:14" today, "12 Mar 09:14" this year, "12 Mar 2023 09:14" before.
    static QString timeText(qint64 ms, qint64 nowMs);
    // "finance", "finance or admin", "finance, legal or admin".
    static QString orList(const QStringList& words);

Q_SIGNALS:
    // Emitted after a translator was installed or removed.
    void languageChanged();

private:
    using QObject::QObject;
};

} // namespace latch::app
