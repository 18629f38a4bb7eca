// Desktop notifications over a private session bus: what the session notifies reaches a (fake)
// org.freedesktop.Notifications with the right fields; a click on it raises the window and asks
// for that case; nothing is sent when the user turned it off, while the window is active, or when
// no notification service is on the bus (and nothing breaks).
#include "dbussession.h"
#include "fakenotifications.h"
#include "models/appsettings.h"
#include "notify/systemnotifier.h"
#include "sync/appsession.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWindow>
#include <QtTest>
#include <memory>

using latch::app::AppSession;
using latch::app::AppSettings;
using latch::app::SessionOptions;
using latch::app::SystemNotifier;

namespace {

// Made in initMain(), before the application opens any bus; outlives QtDBus's connections.
std::unique_ptr<DBusSession> g_bus;

const QString kService = QStringLiteral("org.freedesktop.Notifications");

} // namespace

class NotifyTest : public QObject {
    Q_OBJECT

public:
    static void initMain() { g_bus = std::make_unique<DBusSession>(); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void notificationReachesTheBus();
    void sameCaseReplacesItsNotification();
    void clickRaisesTheWindowAndOpensTheCase();
    void closedNotificationIsForgotten();
    void settingOffSendsNothing();
    void activeWindowSendsNothing();
    void noServiceSendsNothingAndBreaksNothing();
    void settingIsOnByDefaultAndRemembered();
    void cleanupTestCase();

private:
    // The window is inactive until something shows it (offscreen activates what it shows).
    void deactivateWindow();
    void notify(const QString& title, const QString& text, const QString& caseId)
    {
        Q_EMIT m_session->notify(title, text, caseId);
    }

    QTemporaryDir m_data;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<AppSession> m_session;
    std::unique_ptr<SystemNotifier> m_notifier;
    std::unique_ptr<FakeNotifications> m_fake;
    std::unique_ptr<QWindow> m_window;
    std::unique_ptr<QWindow> m_other; // takes the focus away from m_window
};

void NotifyTest::initTestCase()
{
    QVERIFY2(g_bus && g_bus->isRunning(), qPrintable(g_bus ? g_bus->error() : QString()));
    QCOMPARE(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"), g_bus->address());
    QVERIFY(QDBusConnection::sessionBus().isConnected());

    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("notifytest"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings().remove(QStringLiteral("ui/desktopNotifications")); // a previous run's choice

    m_settings = std::make_unique<AppSettings>(nullptr);
    SessionOptions options;
    options.dataDir = m_data.path();
    options.useKeychain = false;
    options.deviceId = QStringLiteral("notifytest");
    m_session = std::make_unique<AppSession>(options);
    m_notifier = std::make_unique<SystemNotifier>(m_session.get(), m_settings.get());
    m_window = std::make_unique<QWindow>();
    m_window->resize(320, 240);
    m_notifier->setWindow(m_window.get());
    m_other = std::make_unique<QWindow>();
    m_other->resize(100, 100);

    m_fake = std::make_unique<FakeNotifications>();
    QVERIFY(m_fake->isServing());
    QVERIFY(m_fake->registerName());
}

void NotifyTest::init()
{
    m_settings->setDesktopNotifications(true);
    deactivateWindow();
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(kService))
        QVERIFY(m_fake->registerName());
    m_fake->clear();
}

void NotifyTest::deactivateWindow()
{
    m_window->hide();
    m_other->show();
    m_other->requestActivate();
    QTRY_VERIFY(m_other->isActive());
    QVERIFY(!m_window->isActive());
}

void NotifyTest::notificationReachesTheBus()
{
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("Refund for order #4821"),
        QStringLiteral("case-1"));
    QTRY_COMPARE(m_fake->calls().size(), 1);
    const auto& call = m_fake->calls().constFirst();
    QCOMPARE(call.signature, QStringLiteral("susssasa{sv}i"));
    // It crossed the bus from the app's own connection, not the fake's.
    QCOMPARE(call.sender, QDBusConnection::sessionBus().baseService());
    QVERIFY(call.sender != m_fake->uniqueName());
    QCOMPARE(call.appName, QStringLiteral("Latch"));
    QCOMPARE(call.summary, QStringLiteral("Approval waiting on you"));
    QCOMPARE(call.body, QStringLiteral("Refund for order #4821"));
    QCOMPARE(call.replacesId, 0u);
    QCOMPARE(
        call.actions, (QStringList { QStringLiteral("default"), QStringLiteral("Open case") }));
    QCOMPARE(call.expireTimeout, -1);

    // Nothing to open: no action to offer.
    notify(QStringLiteral("Signed in"), QStringLiteral("Welcome"), QString());
    QTRY_COMPARE(m_fake->calls().size(), 2);
    QVERIFY(m_fake->calls().at(1).actions.isEmpty());
}

void NotifyTest::sameCaseReplacesItsNotification()
{
    notify(QStringLiteral("New case in your queue"), QStringLiteral("Chargeback"),
        QStringLiteral("case-2"));
    QTRY_COMPARE(m_fake->calls().size(), 1);
    const uint first = m_fake->calls().at(0).id;
    // The reply carries the id to replace.
    QTRY_VERIFY(m_notifier->hasOpenNotification(QStringLiteral("case-2")));
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("Chargeback"),
        QStringLiteral("case-2"));
    notify(QStringLiteral("New case in your queue"), QStringLiteral("Other"),
        QStringLiteral("case-3"));
    QTRY_COMPARE(m_fake->calls().size(), 3);
    QCOMPARE(m_fake->calls().at(1).replacesId, first);
    QCOMPARE(m_fake->calls().at(2).replacesId, 0u);
}

void NotifyTest::clickRaisesTheWindowAndOpensTheCase()
{
    QSignalSpy open(m_notifier.get(), &SystemNotifier::openCaseRequested);
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("Refund"),
        QStringLiteral("case-7"));
    QTRY_COMPARE(m_fake->calls().size(), 1);
    const uint id = m_fake->calls().constFirst().id;

    // Another application's notification, and another action: neither opens anything. The
    // signals arrive in the order sent, so the real click below is handled after these.
    QVERIFY(m_fake->invokeAction(id + 1000, QStringLiteral("default")));
    QVERIFY(m_fake->invokeAction(id, QStringLiteral("snooze")));
    QVERIFY(m_fake->invokeAction(id, QStringLiteral("default")));
    QTRY_COMPARE(open.size(), 1);
    QCOMPARE(open.constFirst().constFirst().toString(), QStringLiteral("case-7"));
    QTRY_VERIFY(m_window->isVisible());
    QTRY_VERIFY(m_window->isActive());
}

void NotifyTest::closedNotificationIsForgotten()
{
    QSignalSpy open(m_notifier.get(), &SystemNotifier::openCaseRequested);
    notify(QStringLiteral("New case in your queue"), QStringLiteral("A"), QStringLiteral("case-a"));
    notify(QStringLiteral("New case in your queue"), QStringLiteral("B"), QStringLiteral("case-b"));
    QTRY_COMPARE(m_fake->calls().size(), 2);
    const uint a = m_fake->calls().at(0).id;
    const uint b = m_fake->calls().at(1).id;
    QTRY_VERIFY(m_notifier->hasOpenNotification(QStringLiteral("case-a")));
    QTRY_VERIFY(m_notifier->hasOpenNotification(QStringLiteral("case-b")));

    QVERIFY(m_fake->close(a));
    QTRY_VERIFY(!m_notifier->hasOpenNotification(QStringLiteral("case-a")));
    QVERIFY(m_notifier->hasOpenNotification(QStringLiteral("case-b")));
    // A late click on the closed one opens nothing; signals arrive in order, so by the time the
    // click on b is handled, the one on a has been.
    QVERIFY(m_fake->invokeAction(a, QStringLiteral("default")));
    QVERIFY(m_fake->invokeAction(b, QStringLiteral("default")));
    QTRY_COMPARE(open.size(), 1);
    QCOMPARE(open.constFirst().constFirst().toString(), QStringLiteral("case-b"));
}

void NotifyTest::settingOffSendsNothing()
{
    m_settings->setDesktopNotifications(false);
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("while off"),
        QStringLiteral("case-off"));
    m_settings->setDesktopNotifications(true);
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("while on"),
        QStringLiteral("case-on"));
    // Calls arrive in order: once the second is there, the first would have been too.
    QTRY_COMPARE(m_fake->calls().size(), 1);
    QCOMPARE(m_fake->calls().constFirst().body, QStringLiteral("while on"));
}

void NotifyTest::activeWindowSendsNothing()
{
    m_window->show();
    m_window->requestActivate();
    QTRY_VERIFY(m_window->isActive());
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("while looking"),
        QStringLiteral("case-x"));
    deactivateWindow();
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("while away"),
        QStringLiteral("case-y"));
    QTRY_COMPARE(m_fake->calls().size(), 1);
    QCOMPARE(m_fake->calls().constFirst().body, QStringLiteral("while away"));
}

void NotifyTest::noServiceSendsNothingAndBreaksNothing()
{
    QVERIFY(m_fake->unregisterName());
    QDBusConnectionInterface* bus = QDBusConnection::sessionBus().interface();
    QTRY_VERIFY(!bus->isServiceRegistered(kService));

    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("nobody listens"),
        QStringLiteral("case-n"));
    // A blocking call on the same connection goes out after the Notify: once it is answered, the
    // bus has already refused the Notify (there is no one to activate on this bus).
    QVERIFY(!bus->isServiceRegistered(kService));
    // Let the error reply reach the notifier (no tray to fall back on in a QGuiApplication).
    QTest::qWait(100);
    QVERIFY(!m_notifier->hasOpenNotification(QStringLiteral("case-n")));

    // A service that appears later is used from then on.
    QVERIFY(m_fake->registerName());
    notify(QStringLiteral("Approval waiting on you"), QStringLiteral("back"),
        QStringLiteral("case-b2"));
    QTRY_COMPARE(m_fake->calls().size(), 1);
    QCOMPARE(m_fake->calls().constFirst().body, QStringLiteral("back"));
    // And its clicks still reach the app.
    QSignalSpy open(m_notifier.get(), &SystemNotifier::openCaseRequested);
    QVERIFY(m_fake->invokeAction(m_fake->calls().constFirst().id, QStringLiteral("default")));
    QTRY_COMPARE(open.size(), 1);
    QCOMPARE(open.constFirst().constFirst().toString(), QStringLiteral("case-b2"));
}

void NotifyTest::settingIsOnByDefaultAndRemembered()
{
    m_settings.reset(); // (the notifier holds it weakly: it is on while there are no settings)
    QSettings().remove(QStringLiteral("ui/desktopNotifications"));
    {
        AppSettings fresh(nullptr);
        QVERIFY(fresh.desktopNotifications());
        QSignalSpy changed(&fresh, &AppSettings::desktopNotificationsChanged);
        fresh.setDesktopNotifications(false);
        fresh.setDesktopNotifications(false);
        QCOMPARE(changed.size(), 1);
    }
    AppSettings again(nullptr);
    QVERIFY(!again.desktopNotifications());
    again.setDesktopNotifications(true);
}

void NotifyTest::cleanupTestCase()
{
    m_notifier.reset();
    m_session.reset();
    m_fake.reset();
    m_settings.reset();
}

QTEST_MAIN(NotifyTest)
#include "notifytest.moc"
