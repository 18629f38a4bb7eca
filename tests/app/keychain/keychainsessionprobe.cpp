// keychainsessionprobe: one run of the app's session with the keychain on, in its own process, for
// keychaintest. Signs in (with a password) or reopens this computer's copy (without one), waits
// until the session is live (or offline, when reopening), and prints what it saw as one JSON line.
//
// Its own process because qtkeychain runs every job through one process-wide executor that belongs
// to the thread that used it first and is not safe to share: the app has one session, and so one
// sync thread, for its life, and so does each run of this probe.
//
// Usage: keychainsessionprobe <data dir> <keychain service> <server url> <user> [password]
#include "sync/appsession.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

using latch::app::AppSession;
using latch::app::QueueRow;

namespace {

constexpr int kTimeoutMs = 45000;

QString stateName(AppSession::State state)
{
    switch (state) {
    case AppSession::State::SignedOut:
        return QStringLiteral("signed-out");
    case AppSession::State::Connecting:
        return QStringLiteral("connecting");
    case AppSession::State::Syncing:
        return QStringLiteral("syncing");
    case AppSession::State::Live:
        return QStringLiteral("live");
    case AppSession::State::Offline:
        return QStringLiteral("offline");
    }
    return QStringLiteral("unknown");
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("keychaintest"));
    QStandardPaths::setTestModeEnabled(true);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 5) {
        std::fprintf(stderr,
            "usage: keychainsessionprobe <data dir> <keychain service> "
            "<server url> <user> [password]\n");
        return 2;
    }
    const QString password = args.size() > 5 ? args.at(5) : QString();
    // With a password: a real sign-in that must go live. Without: the offline reopen.
    const AppSession::State wanted
        = password.isEmpty() ? AppSession::State::Offline : AppSession::State::Live;

    latch::app::SessionOptions options;
    options.dataDir = args.at(1);
    options.keychainService = args.at(2);
    options.useKeychain = true;
    options.deviceId = QStringLiteral("keychaintest");
    int rows = -1;
    int exitCode = 1;
    {
        AppSession session(options);
        QObject::connect(&session, &AppSession::queueReset, &session,
            [&rows](const QVector<QueueRow>& r) { rows = int(r.size()); });
        QTimer::singleShot(kTimeoutMs, &app, &QCoreApplication::quit);
        QObject::connect(&session, &AppSession::stateChanged, &app, [&] {
            if (session.state() == wanted)
                QCoreApplication::quit();
        });
        QObject::connect(&session, &AppSession::errorChanged, &app, [&] {
            if (!session.errorCode().isEmpty())
                QCoreApplication::quit();
        });
        // The keychain probe runs first on the sync thread; signing in waits behind it there.
        session.signIn(args.at(3), args.at(4), password, QString());
        QCoreApplication::exec();

        // The queue arrives right after the state when reopening: give it a moment.
        const QDeadlineTimer settle(2000);
        while (rows < 0 && !settle.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        const QJsonObject seen {
            { QStringLiteral("state"), stateName(session.state()) },
            { QStringLiteral("errorCode"), session.errorCode() },
            { QStringLiteral("errorMessage"), session.errorMessage() },
            { QStringLiteral("keychainAvailable"), session.keychainAvailable() },
            { QStringLiteral("replicaNotice"), session.replicaNotice() },
            { QStringLiteral("rows"), rows },
        };
        std::printf("%s\n", QJsonDocument(seen).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        exitCode = session.state() == wanted && session.errorCode().isEmpty() ? 0 : 1;
    }
    return exitCode;
}
