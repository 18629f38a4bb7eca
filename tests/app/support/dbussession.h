#pragma once
// A private D-Bus session bus for one test process: starts /usr/bin/dbus-daemon on a socket in a
// temporary folder, with a configuration that knows no activatable services (so nothing the
// machine has installed, a notification daemon or a keyring, starts behind the test's back), and
// points DBUS_SESSION_BUS_ADDRESS at it. The daemon is stopped, and the previous address put
// back, when this object dies; it also dies with the test process if that crashes.
//
// Make it before anything opens the session bus: QtDBus and GDBus (libsecret) both keep the first
// connection they open for the life of the process. That means before the Q(Gui)Application, so
// it needs no event loop: a Qt Test's static initMain() is the place.
//
// Threading: any thread, but make and destroy it on one.
#include <QByteArray>
#include <QString>
#include <QTemporaryDir>
#include <sys/types.h>

class DBusSession {
public:
    DBusSession();
    ~DBusSession();
    DBusSession(const DBusSession&) = delete;
    DBusSession& operator=(const DBusSession&) = delete;

    bool isRunning() const { return m_pid > 0; }
    QString address() const { return m_address; }
    QString error() const { return m_error; } // why it did not start
    // A private folder for the test's other daemons (their HOME, runtime dir), removed at the end.
    QString dir() const { return m_dir.path(); }

    static QString daemonBinary(); // $DBUS_DAEMON, else /usr/bin/dbus-daemon

private:
    bool start();
    void stop();

    QTemporaryDir m_dir;
    pid_t m_pid = -1;
    QString m_address;
    QString m_error;
    QByteArray m_previousAddress;
    bool m_hadAddress = false;
};
