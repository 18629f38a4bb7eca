#include "models/appsettings.h"

#include "models/uitext.h"

#include <QGuiApplication>
#include <QJSEngine>
#include <QLocale>
#include <QPalette>
#include <QQmlEngine>
#include <QSettings>

namespace latch::app {

namespace {

QPointer<AppSettings> g_instance;

// The catalogues under :/i18n (translations/latch_<code>.ts).
const QStringList& shipped()
{
    static const QStringList codes = { QStringLiteral("en"), QStringLiteral("de") };
    return codes;
}

} // namespace

AppSettings::AppSettings(QObject* parent)
    : QObject(parent)
{
    QSettings settings;
    m_theme = Theme(settings.value(QStringLiteral("ui/theme"), int(Theme::System)).toInt());
    if (m_theme != Theme::Light && m_theme != Theme::Dark)
        m_theme = Theme::System;
    m_language = settings.value(QStringLiteral("ui/language")).toString();
    m_desktopNotifications
        = settings.value(QStringLiteral("ui/desktopNotifications"), true).toBool();
    // Qt 6.4 has no colour-scheme hint; the platform palette says whether the desktop is dark.
    m_systemDark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    applyLanguage();
}

AppSettings::~AppSettings()
{
    if (m_installed)
        QCoreApplication::removeTranslator(&m_translator);
}

AppSettings* AppSettings::create(QQmlEngine* qml, QJSEngine*)
{
    if (!g_instance)
        g_instance = new AppSettings(nullptr);
    g_instance->setEngine(qml);
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void AppSettings::setInstance(AppSettings* settings)
{
    g_instance = settings;
}

void AppSettings::setTheme(Theme theme)
{
    if (m_theme == theme)
        return;
    m_theme = theme;
    QSettings().setValue(QStringLiteral("ui/theme"), int(theme));
    Q_EMIT themeChanged();
}

bool AppSettings::dark() const
{
    return m_theme == Theme::Dark || (m_theme == Theme::System && m_systemDark);
}

void AppSettings::setLanguage(const QString& code)
{
    if (m_language == code)
        return;
    m_language = code;
    QSettings().setValue(QStringLiteral("ui/language"), code);
    applyLanguage();
    Q_EMIT languageChanged();
}

void AppSettings::setDesktopNotifications(bool on)
{
    if (m_desktopNotifications == on)
        return;
    m_desktopNotifications = on;
    QSettings().setValue(QStringLiteral("ui/desktopNotifications"), on);
    Q_EMIT desktopNotificationsChanged();
}

QVariantList AppSettings::languages() const
{
    // Each language named in itself, so someone lost in the wrong language can find their own.
    return {
        QVariantMap { { QStringLiteral("code"), QString() },
            { QStringLiteral("name"), tr("System language") } },
        QVariantMap { { QStringLiteral("code"), QStringLiteral("en") },
            { QStringLiteral("name"), QStringLiteral("English") } },
        QVariantMap { { QStringLiteral("code"), QStringLiteral("de") },
            { QStringLiteral("name"), QStringLiteral("Deutsch") } },
    };
}

void AppSettings::applyLanguage()
{
    if (m_installed) {
        QCoreApplication::removeTranslator(&m_translator);
        m_installed = false;
    }
    QString chosen = m_language;
    if (chosen.isEmpty()) {
        chosen = QStringLiteral("en");
        for (const QString& ui : QLocale::system().uiLanguages()) {
            const QString base = ui.section(QLatin1Char('-'), 0, 0).toLower();
            if (shipped().contains(base)) {
                chosen = base;
                break;
            }
        }
    }
    // English is the source language: the catalogue only adds plural forms, load it all the same.
    if (m_translator.load(QStringLiteral(":/i18n/latch_%1.qm").arg(chosen)))
        m_installed = QCoreApplication::installTranslator(&m_translator);
    m_active = m_installed ? chosen : QStringLiteral("en");
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT UiText::shared().languageChanged();
}

} // namespace latch::app
