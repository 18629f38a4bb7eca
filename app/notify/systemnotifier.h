#pragma once
// Shows the session's notifications (a new case in the user's queue, an approval waiting on them)
// on the desktop as well as in the app's own toast, so they are seen while Latch is in the
// background. Clicking one raises the window and asks the screens to open that case.
//
// On Linux it speaks the freedesktop notification protocol (org.freedesktop.Notifications on the
// session bus) directly. Where that service is missing (no bus, or nothing owns the name) it falls
// back to QSystemTrayIcon's balloon when the application is a QApplication and a tray exists, and
// otherwise shows nothing: the in-app toast is still there.
//
// What goes to the desktop is decided here, not in QML: nothing while the app window is active
// (the toast is enough), nothing when AppSettings::desktopNotifications is off.
//
// Threading: UI thread. main() makes one and calls setInstance(); QML reaches it as the
// `SystemNotifier` singleton for openCaseRequested().
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <memory>

class QDBusMessage;
class QJSEngine;
class QQmlEngine;
class QSystemTrayIcon;
class QWindow;

namespace latch::app {

class AppSession;
class AppSettings;

class SystemNotifier : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    // Both may be null: without a session nothing arrives to show, without settings the desktop
    // part is on. Neither has a default: Qt 6.4 would construct a default-constructible singleton
    // itself instead of asking create().
    SystemNotifier(AppSession* session, AppSettings* settings, QObject* parent = nullptr);
    ~SystemNotifier() override;

    // The instance set with setInstance(), else an inert one owned by the engine (test engines
    // that load Main.qml without one).
    static SystemNotifier* create(QQmlEngine* qml, QJSEngine* js);
    static void setInstance(SystemNotifier* notifier);

    // The window a click raises; while it is active nothing goes to the desktop.
    void setWindow(QWindow* window);

    // Shows a notification on the desktop unless the window is active or the user turned desktop
    // notifications off. `caseId` empty: nothing to open, so no "Open case" action.
    void show(const QString& title, const QString& text, const QString& caseId);
    // Whether a desktop notification about this case is open (shown and not yet closed).
    bool hasOpenNotification(const QString& caseId) const
    {
        return m_notification.contains(caseId);
    }

Q_SIGNALS:
    // The user clicked a desktop notification of this case; the window has been raised.
    void openCaseRequested(const QString& caseId);

private Q_SLOTS:
    // The notification service's signals (old-style slots: QDBusConnection::connect needs them).
    void onActionInvoked(uint id, const QString& actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    bool wanted() const;
    void subscribe(); // to the service's signals, once
    void notifyOnBus(const QString& title, const QString& text, const QString& caseId);
    void onNotifyAnswered(const QDBusMessage& reply, const QString& title, const QString& text,
        const QString& caseId);
    void showInTray(const QString& title, const QString& text, const QString& caseId);
    void openCase(const QString& caseId);

    QPointer<AppSettings> m_settings;
    QPointer<QWindow> m_window;
    bool m_subscribed = false;
    QHash<uint, QString> m_caseOf; // open notification id -> case id
    QHash<QString, uint> m_notification; // case id -> its open notification, replaced in place
    std::unique_ptr<QSystemTrayIcon> m_tray; // made the first time the fallback needs it
    QString m_trayCase; // what the tray's last balloon was about
};

} // namespace latch::app
