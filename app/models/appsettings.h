#pragma once
// The app's own preferences, kept in QSettings: the colour theme (follow the system, light, dark),
// the interface language (follow the system, or one the app ships) and whether notifications also
// go to the desktop (SystemNotifier). Owns the QTranslator:
// switching language installs the other catalogue, asks the QML engine to re-run its qsTr()
// bindings and tells the models (UiText::languageChanged) to refresh the text they produce.
//
// Threading: UI thread. One instance per process: main() makes it and calls setInstance(); QML
// reaches it as the `AppSettings` singleton.
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QTranslator>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>


namespace latch::app {

class AppSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool dark READ dark NOTIFY themeChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QString activeLanguage READ activeLanguage NOTIFY languageChanged)
    Q_PROPERTY(QVariantList languages READ languages CONSTANT)
    Q_PROPERTY(bool desktopNotifications READ desktopNotifications WRITE setDesktopNotifications
            NOTIFY desktopNotificationsChanged)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    // No default argument: Qt 6.4 would construct a default-constructible singleton itself
    // instead of asking create() for the app's instance.
    explicit AppSettings(QObject* parent);
    ~AppSettings() override;

    static AppSettings* create(QQmlEngine* qml, QJSEngine* js);
    static void setInstance(AppSettings* settings);
    // The engine whose qsTr() bindings a language switch re-runs (create() sets it too).
    void setEngine(QQmlEngine* engine) { m_engine = engine; }

    Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    bool dark() const;
    // "" follows the system; otherwise a code from languages().
    QString language() const { return m_language; }
    void setLanguage(const QString& code);
    // The catalogue in use: "de", or "en" when the source strings are shown.
    QString activeLanguage() const { return m_active; }
    QVariantList languages() const; // [{code, name}], the first being "follow the system"
    // Whether a new case or an approval waiting on the user is also shown by the desktop (on by
    // default); the in-app toast shows either way.
    bool desktopNotifications() const { return m_desktopNotifications; }
    void setDesktopNotifications(bool on);

Q_SIGNALS:
    void themeChanged();
    void languageChanged();
    void desktopNotificationsChanged();

private:
    void applyLanguage();

    Theme m_theme = Theme::System;
    QString m_language;
    QString m_active = QStringLiteral("en");
    bool m_systemDark = false;
    bool m_desktopNotifications = true;
    QTranslator m_translator;
    bool m_installed = false;
    QPointer<QQmlEngine> m_engine;
};

} // namespace latch::app
