#include "notify/systemnotifier.h"

#include "models/appsettings.h"
#include "sync/appsession.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QVariantMap>
#include <QWindow>

Q_LOGGING_CATEGORY(lcNotify, "latch.notify")

namespace latch::app {

namespace {

QPointer<SystemNotifier> g_instance;

// The freedesktop notification protocol (Desktop Notifications Specification 1.2).
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
// The action a click on the notification's body invokes, by the spec's convention.
const QString kDefaultAction = QStringLiteral("default");
constexpr int kServerDefaultTimeout = -1;

} // namespace

SystemNotifier::SystemNotifier(AppSession* session, AppSettings* settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (session)
        connect(session, &AppSession::notify, this, &SystemNotifier::show);
}

SystemNotifier::~SystemNotifier() = default;

SystemNotifier* SystemNotifier::create(QQmlEngine*, QJSEngine*)
{
    if (g_instance) {
        QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
        return g_instance;
    }
    // Nothing feeds it, so it never shows anything; the engine deletes it with itself.
    return new SystemNotifier(nullptr, nullptr);
}

void SystemNotifier::setInstance(SystemNotifier* notifier)
{
    g_instance = notifier;
}

void SystemNotifier::setWindow(QWindow* window)
{
    m_window = window;
}

bool SystemNotifier::wanted() const
{
    if (m_settings && !m_settings->desktopNotifications())
        return false;
    // The user is looking at Latch: the toast already says it, a desktop popup would repeat it.
    return !(m_window && m_window->isActive());
}

void SystemNotifier::show(const QString& title, const QString& text, const QString& caseId)
{
    if (!wanted())
        return;
    if (QDBusConnection::sessionBus().isConnected())
        notifyOnBus(title, text, caseId);
    else
        showInTray(title, text, caseId);
}

void SystemNotifier::subscribe()
{
    if (m_subscribed)
        return;
    QDBusConnection bus = QDBusConnection::sessionBus();
    // By the well-known name: QtDBus follows whoever owns it, now or after it (re)starts.
    m_subscribed = bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                       SLOT(onActionInvoked(uint, QString)))
        && bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
            SLOT(onNotificationClosed(uint, uint)));
    if (!m_subscribed)
        qCWarning(lcNotify) << "cannot listen to the notification service:"
                            << bus.lastError().message();
}

void SystemNotifier::notifyOnBus(const QString& title, const QString& text, const QString& caseId)
{
    subscribe();
    QStringList actions;
    if (!caseId.isEmpty())
        actions << kDefaultAction << tr("Open case");
    // A second notification about the same case (new, then waiting on you) replaces the first
    // instead of stacking up beside it.
    const uint replaces = caseId.isEmpty() ? 0 : m_notification.value(caseId, 0);
    QVariantMap hints;
    if (!QGuiApplication::desktopFileName().isEmpty())
        hints.insert(QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName());

    QDBusMessage call
        = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    call << QStringLiteral("Latch") << replaces << QString() << title << text << actions << hints
         << kServerDefaultTimeout;
    // Asynchronous: a notification service that is slow to answer must not freeze the window.
    auto* watcher
        = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
        [this, title, text, caseId](QDBusPendingCallWatcher* w) {
            w->deleteLater();
            onNotifyAnswered(w->reply(), title, text, caseId);
        });
}

void SystemNotifier::onNotifyAnswered(
    const QDBusMessage& reply, const QString& title, const QString& text, const QString& caseId)
{
    if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty()) {
        const uint id = reply.arguments().constFirst().toUInt();
        if (caseId.isEmpty())
            return;
        const uint previous = m_notification.value(caseId, 0);
        if (previous != 0 && previous != id)
            m_caseOf.remove(previous);
        m_caseOf.insert(id, caseId);
        m_notification.insert(caseId, id);
        return;
    }
    // Usually nothing owns the name (no notification daemon in this session).
    qCInfo(lcNotify) << "no desktop notification service:" << reply.errorName()
                     << reply.errorMessage();
    showInTray(title, text, caseId);
}

void SystemNotifier::onActionInvoked(uint id, const QString& actionKey)
{
    // The signal goes to every listener on the bus: only our own notifications count.
    const auto it = m_caseOf.constFind(id);
    if (it == m_caseOf.constEnd() || actionKey != kDefaultAction)
        return;
    openCase(*it);
}

void SystemNotifier::onNotificationClosed(uint id, uint /*reason*/)
{
    const QString caseId = m_caseOf.take(id);
    if (!caseId.isEmpty() && m_notification.value(caseId) == id)
        m_notification.remove(caseId);
}

void SystemNotifier::showInTray(const QString& title, const QString& text, const QString& caseId)
{
    // QSystemTrayIcon is a Qt Widgets class: only a QApplication may make one (latch-app is one;
    // the test suites are not).
    if (!qobject_cast<QApplication*>(QCoreApplication::instance())
        || !QSystemTrayIcon::isSystemTrayAvailable() || !QSystemTrayIcon::supportsMessages())
        return;
    if (!m_tray) {
        QIcon icon = QGuiApplication::windowIcon();
        if (icon.isNull())
            icon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation);
        m_tray = std::make_unique<QSystemTrayIcon>(icon);
        m_tray->setToolTip(QStringLiteral("Latch"));
        connect(m_tray.get(), &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_trayCase.isEmpty())
                openCase(m_trayCase);
        });
        // A balloon needs a visible icon to come from.
        m_tray->show();
    }
    m_trayCase = caseId;
    m_tray->showMessage(title, text, QSystemTrayIcon::Information);
}

void SystemNotifier::openCase(const QString& caseId)
{
    if (m_window) {
        m_window->setWindowStates(m_window->windowStates() & ~Qt::WindowMinimized);
        m_window->show();
        m_window->raise();
        m_window->requestActivate();
    }
    Q_EMIT openCaseRequested(caseId);
}

} // namespace latch::app
