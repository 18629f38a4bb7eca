// latch-app: the desktop client. Everything lives in the latch_app library and its QML module;
// this only makes the application, the app-wide services (session, settings, desktop
// notifications) and the window.
#include "models/appsettings.h"
#include "notify/systemnotifier.h"
#include "sync/appsession.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(LatchPlugin)

int main(int argc, char* argv[])
{
    // A QApplication, not a QGuiApplication: where the desktop has no notification service,
    // SystemNotifier falls back to a tray icon, which is a Qt Widgets class.
    QApplication app(argc, argv);
    QGuiApplication::setOrganizationName(QStringLiteral("Latch"));
    QGuiApplication::setApplicationName(QStringLiteral("latch-app"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Latch"));
    // The screens are drawn for Fusion (a desktop style that takes the window palette whole, so
    // the light and dark themes apply to every control).
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    QCommandLineParser options;
    options.setApplicationDescription(QStringLiteral("Latch: cases with enforced approvals."));
    options.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"),
        QStringLiteral("Server to offer on the sign-in screen."), QStringLiteral("url"));
    options.addOption(server);
    const QCommandLineOption ca(QStringLiteral("ca"),
        QStringLiteral("PEM file of certificate authorities to trust besides the system's (a "
                       "company CA for an internal server)."),
        QStringLiteral("file"));
    options.addOption(ca);
    options.process(app);

    // Declared before the engine so they outlive it: QML holds them as singletons.
    latch::app::AppSettings settings(nullptr); // installs the translator for the chosen language
    latch::app::AppSettings::setInstance(&settings);
    latch::app::SessionOptions sessionOptions;
    sessionOptions.caFile = options.value(ca);
    latch::app::AppSession session(sessionOptions);
    latch::app::AppSession::setInstance(&session);
    latch::app::SystemNotifier notifier(&session, &settings);
    latch::app::SystemNotifier::setInstance(&notifier);

    QQmlApplicationEngine engine;
    settings.setEngine(&engine);
    if (options.isSet(server))
        engine.setInitialProperties({ { QStringLiteral("serverUrl"), options.value(server) } });
    engine.load(QUrl(QStringLiteral("qrc:/Latch/Main.qml"))); // Qt 6.4: no loadFromModule
    if (engine.rootObjects().isEmpty())
        return 1;
    notifier.setWindow(qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst()));
    return QApplication::exec();
}
