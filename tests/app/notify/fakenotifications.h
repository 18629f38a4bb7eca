#pragma once
// A stand-in for the desktop's notification daemon: serves org.freedesktop.Notifications at
// /org/freedesktop/Notifications on its own connection to the session bus (so calls to it really
// cross the bus), records every Notify call with its D-Bus signature, and plays the user's part by
// emitting ActionInvoked and NotificationClosed.
//
// Threading: the thread that makes it (the test's).
#include <QDBusConnection>
#include <QDBusVirtualObject>
#include <QStringList>
#include <QVariantMap>
#include <QVector>

class FakeNotifications : public QDBusVirtualObject {
    Q_OBJECT

public:
    struct Call {
        QString sender; // the caller's unique bus name
        QString signature;
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = 0;
        uint id = 0; // what the reply gave back
    };

    FakeNotifications();
    ~FakeNotifications() override;

    // Serves the object; owning the well-known name is separate, so a test can take it away.
    bool isServing() const { return m_serving; }
    bool registerName();
    bool unregisterName();
    QString uniqueName() const { return m_bus.baseService(); }

    const QVector<Call>& calls() const { return m_calls; }
    void clear() { m_calls.clear(); }

    // What a click on notification `id` makes the daemon send ("default" for the body).
    bool invokeAction(uint id, const QString& actionKey);
    // The daemon saying notification `id` went away (reason 2: dismissed by the user).
    bool close(uint id, uint reason = 2);

    QString introspect(const QString& path) const override;
    bool handleMessage(const QDBusMessage& message, const QDBusConnection& connection) override;

private:
    QDBusConnection m_bus;
    bool m_serving = false;
    uint m_nextId = 1;
    QVector<Call> m_calls;
};
