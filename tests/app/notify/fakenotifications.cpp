#include "fakenotifications.h"

#include <QDBusArgument>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusMetaType>

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kConnectionName = QStringLiteral("fake-notification-daemon");

// The spec's Notify: app_name, replaces_id, app_icon, summary, body, actions, hints, timeout.
const QString kNotifySignature = QStringLiteral("susssasa{sv}i");

QVariantMap toMap(const QVariant& value)
{
    // a{sv} arrives as a QDBusArgument unless it was demarshalled already.
    if (value.canConvert<QDBusArgument>())
        return qdbus_cast<QVariantMap>(value.value<QDBusArgument>());
    return value.toMap();
}

} // namespace

FakeNotifications::FakeNotifications()
    : m_bus(QDBusConnection::connectToBus(QDBusConnection::SessionBus, kConnectionName))
{
    m_serving = m_bus.isConnected()
        && m_bus.registerVirtualObject(kPath, this, QDBusConnection::SingleNode);
}

FakeNotifications::~FakeNotifications()
{
    if (m_bus.isConnected()) {
        m_bus.unregisterObject(kPath);
        m_bus.unregisterService(kService);
    }
    QDBusConnection::disconnectFromBus(kConnectionName);
}

bool FakeNotifications::registerName()
{
    return m_bus.registerService(kService);
}

bool FakeNotifications::unregisterName()
{
    return m_bus.unregisterService(kService);
}

bool FakeNotifications::invokeAction(uint id, const QString& actionKey)
{
    QDBusMessage signal
        = QDBusMessage::createSignal(kPath, kInterface, QStringLiteral("ActionInvoked"));
    signal << id << actionKey;
    return m_bus.send(signal);
}

bool FakeNotifications::close(uint id, uint reason)
{
    QDBusMessage signal
        = QDBusMessage::createSignal(kPath, kInterface, QStringLiteral("NotificationClosed"));
    signal << id << reason;
    return m_bus.send(signal);
}

QString FakeNotifications::introspect(const QString&) const
{
    return QStringLiteral(R"(<interface name="org.freedesktop.Notifications">
  <method name="Notify">
    <arg direction="in" type="s" name="app_name"/>
    <arg direction="in" type="u" name="replaces_id"/>
    <arg direction="in" type="s" name="app_icon"/>
    <arg direction="in" type="s" name="summary"/>
    <arg direction="in" type="s" name="body"/>
    <arg direction="in" type="as" name="actions"/>
    <arg direction="in" type="a{sv}" name="hints"/>
    <arg direction="in" type="i" name="expire_timeout"/>
    <arg direction="out" type="u" name="id"/>
  </method>
  <method name="CloseNotification"><arg direction="in" type="u" name="id"/></method>
  <method name="GetCapabilities"><arg direction="out" type="as" name="capabilities"/></method>
  <method name="GetServerInformation">
    <arg direction="out" type="s" name="name"/><arg direction="out" type="s" name="vendor"/>
    <arg direction="out" type="s" name="version"/><arg direction="out" type="s" name="spec_version"/>
  </method>
  <signal name="ActionInvoked"><arg type="u" name="id"/><arg type="s" name="action_key"/></signal>
  <signal name="NotificationClosed"><arg type="u" name="id"/><arg type="u" name="reason"/></signal>
</interface>
)");
}

bool FakeNotifications::handleMessage(
    const QDBusMessage& message, const QDBusConnection& connection)
{
    if (message.interface() != kInterface)
        return false;
    const QString member = message.member();
    if (member == QStringLiteral("GetCapabilities")) {
        connection.send(message.createReply(
            QVariant(QStringList { QStringLiteral("actions"), QStringLiteral("body") })));
        return true;
    }
    if (member == QStringLiteral("GetServerInformation")) {
        connection.send(message.createReply(QVariantList { QStringLiteral("fake"),
            QStringLiteral("Latch tests"), QStringLiteral("1"), QStringLiteral("1.2") }));
        return true;
    }
    if (member == QStringLiteral("CloseNotification")) {
        connection.send(message.createReply());
        return true;
    }
    if (member != QStringLiteral("Notify"))
        return false;

    Call call;
    call.sender = message.service();
    call.signature = message.signature();
    if (call.signature != kNotifySignature) {
        m_calls.append(call); // recorded all the same, so the test sees what was wrong
        connection.send(message.createErrorReply(
            QDBusError::InvalidSignature, QStringLiteral("Notify takes ") + kNotifySignature));
        return true;
    }
    const QVariantList args = message.arguments();
    call.appName = args.at(0).toString();
    call.replacesId = args.at(1).toUInt();
    call.appIcon = args.at(2).toString();
    call.summary = args.at(3).toString();
    call.body = args.at(4).toString();
    call.actions = args.at(5).toStringList();
    call.hints = toMap(args.at(6));
    call.expireTimeout = args.at(7).toInt();
    // As a real daemon does: replacing keeps the id, anything else gets a new one.
    call.id = call.replacesId != 0 ? call.replacesId : m_nextId++;
    m_calls.append(call);
    connection.send(message.createReply(QVariant::fromValue(call.id)));
    return true;
}
