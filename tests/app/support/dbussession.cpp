#include "dbussession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace {

constexpr int kStartTimeoutMs = 10000;
constexpr int kStopTimeoutMs = 5000;

// A session bus that owns nothing and activates nothing: every service a test needs, it starts.
QByteArray config(const QString& socketDir)
{
    return QStringLiteral(
        R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)")
        .arg(socketDir.toHtmlEscaped())
        .toUtf8();
}

// Reads one line from `fd` within `timeoutMs`; empty on time-out or end of file.
QByteArray readLine(int fd, int timeoutMs)
{
    QByteArray line;
    int waited = 0;
    while (!line.endsWith('\n') && waited < timeoutMs) {
        pollfd p { fd, POLLIN, 0 };
        const int ready = ::poll(&p, 1, 100);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0) {
            waited += 100;
            continue;
        }
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0)
            break;
        line.append(c);
    }
    return line.trimmed();
}

} // namespace

DBusSession::DBusSession()
{
    m_hadAddress = qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS");
    m_previousAddress = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    if (start())
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
}

DBusSession::~DBusSession()
{
    stop();
    if (m_hadAddress)
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_previousAddress);
    else
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
}

QString DBusSession::daemonBinary()
{
    const QString configured = qEnvironmentVariable("DBUS_DAEMON");
    return configured.isEmpty() ? QStringLiteral("/usr/bin/dbus-daemon") : configured;
}

bool DBusSession::start()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary folder: %1").arg(m_dir.errorString());
        return false;
    }
    const QString binary = daemonBinary();
    if (!QFileInfo(binary).isExecutable()) {
        m_error = QStringLiteral("%1 is missing (Debian package dbus-daemon)").arg(binary);
        return false;
    }
    const QString socketDir = m_dir.filePath(QStringLiteral("bus"));
    const QString configPath = m_dir.filePath(QStringLiteral("session.conf"));
    QFile file(configPath);
    if (!QDir().mkpath(socketDir) || !file.open(QIODevice::WriteOnly)
        || file.write(config(socketDir)) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(configPath);
        return false;
    }
    file.close();

    // Everything the child needs is made before fork(): after it, only async-signal-safe calls.
    const QByteArray program = QFile::encodeName(binary);
    const QByteArray configArg = "--config-file=" + QFile::encodeName(configPath);
    std::vector<char*> argv { const_cast<char*>(program.constData()),
        const_cast<char*>(configArg.constData()), const_cast<char*>("--nofork"),
        const_cast<char*>("--nopidfile"), const_cast<char*>("--print-address=1"), nullptr };
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        m_error = QStringLiteral("pipe: %1").arg(qt_error_string(errno));
        return false;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        m_error = QStringLiteral("fork: %1").arg(qt_error_string(errno));
        ::close(out[0]);
        ::close(out[1]);
        return false;
    }
    if (pid == 0) {
#ifdef __linux__
        // The bus must not outlive a test that crashed or was killed by its time-out.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
        ::dup2(out[1], STDOUT_FILENO); // dup2 clears O_CLOEXEC on the copy
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    m_pid = pid;
    const QByteArray line = readLine(out[0], kStartTimeoutMs);
    ::close(out[0]);
    if (!line.startsWith("unix:")) {
        m_error
            = QStringLiteral("%1 printed no address within %2 ms").arg(binary).arg(kStartTimeoutMs);
        stop();
        return false;
    }
    m_address = QString::fromUtf8(line);
    return true;
}

void DBusSession::stop()
{
    if (m_pid <= 0)
        return;
    ::kill(m_pid, SIGTERM);
    for (int waited = 0; waited < kStopTimeoutMs; waited += 20) {
        if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
            m_pid = -1;
            return;
        }
        ::usleep(20 * 1000);
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}
