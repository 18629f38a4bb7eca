// The replica key in a real keychain: gnome-keyring-daemon (the Secret Service) on a private
// session bus, with a fresh login keyring in a temporary home, reached through qtkeychain and
// libsecret exactly as the app reaches it. KeyStore finds it and names its backend; a key is made
// once and read back by later stores; forget() removes it; and a sign-in with the keychain records
// it in the replica's info file and reopens the replica offline with no passphrase. The sign-ins
// run in keychainsessionprobe processes; this one uses qtkeychain from its main thread only.
//
// qtkeychain picks its Linux backend once per process from the desktop variables: KWallet first
// on a KDE session, else libsecret (libsecret-1.so.0) when it loads. initMain() clears those
// variables so the Secret Service is the one asked, whatever desktop runs the test.
#include "dbussession.h"
#include "replica/keystore.h"
#include "serverprocess.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>
#include <sys/prctl.h>

using latch::app::KeyStore;

namespace {

// Made in initMain(), before anything opens the session bus (QtDBus, or GDBus inside libsecret).
std::unique_ptr<DBusSession> g_bus;

const QString kSecrets = QStringLiteral("org.freedesktop.secrets");
const QString kSecretsPath = QStringLiteral("/org/freedesktop/secrets");
const QString kSecretService = QStringLiteral("org.freedesktop.Secret.Service");
// The keychain entries' service name: the test's own, never the app's "Latch".
const QString kService = QStringLiteral("LatchKeychainTest");
const QByteArray kKeyringPassword = "keychaintest-login-password";
const QString kPassword = QStringLiteral("latch-demo");

QString homeDir(const QString& name)
{
    return QDir(g_bus->dir()).filePath(name);
}

// The keyring daemon and the test both look here, never at the user's own keyrings.
void useTemporaryHome()
{
    const QStringList dirs { QStringLiteral("home"), QStringLiteral("data"),
        QStringLiteral("config"), QStringLiteral("cache"), QStringLiteral("runtime") };
    for (const QString& dir : dirs)
        QDir().mkpath(homeDir(dir));
    // The runtime dir must be private, or gnome-keyring and Qt refuse it.
    QFile::setPermissions(homeDir(QStringLiteral("runtime")),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("HOME", QFile::encodeName(homeDir(QStringLiteral("home"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(homeDir(QStringLiteral("data"))));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(homeDir(QStringLiteral("config"))));
    qputenv("XDG_CACHE_HOME", QFile::encodeName(homeDir(QStringLiteral("cache"))));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(homeDir(QStringLiteral("runtime"))));
    for (const char* desktop : { "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION",
             "KDE_SESSION_VERSION", "GNOME_DESKTOP_SESSION_ID" })
        qunsetenv(desktop);
}

// The Secret Service's items for one qtkeychain entry (its libsecret attributes).
QList<QDBusObjectPath> secretItems(const QString& account)
{
    QDBusInterface service(kSecrets, kSecretsPath, kSecretService);
    const QMap<QString, QString> attributes { { QStringLiteral("user"), account },
        { QStringLiteral("server"), kService } };
    QDBusMessage reply
        = service.call(QStringLiteral("SearchItems"), QVariant::fromValue(attributes));
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().size() != 2)
        return {};
    return qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(0))
        + qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(1));
}

struct ReplicaFiles {
    QStringList databases;
    QJsonObject info;
};

ReplicaFiles replicaFiles(const QString& dataDir)
{
    QDir dir(dataDir);
    ReplicaFiles files;
    files.databases = dir.entryList({ QStringLiteral("replica-*.db") });
    const auto infos = dir.entryList({ QStringLiteral("replica-*.db.json") });
    if (infos.size() == 1) {
        QFile file(dir.filePath(infos.first()));
        if (file.open(QIODevice::ReadOnly))
            files.info = QJsonDocument::fromJson(file.readAll()).object();
    }
    return files;
}

} // namespace

class KeychainTest : public QObject {
    Q_OBJECT

public:
    static void initMain()
    {
        g_bus = std::make_unique<DBusSession>();
        if (g_bus->isRunning())
            useTemporaryHome();
    }

private Q_SLOTS:
    void initTestCase();
    void keychainIsTheSecretService();
    void keyIsMadeOnceAndReadBack();
    void forgetRemovesTheKey();
    void signInKeepsTheKeyInTheKeychainAndReopensOffline();
    void cleanupTestCase();

private:
    // One run of the app's session in its own process (keychainsessionprobe.cpp says why): signs
    // in with `password`, or reopens offline without one; returns what it saw.
    QJsonObject runSession(const QString& password);

    QProcess m_keyring;
    ServerProcess m_server;
    QTemporaryDir m_data;
};

void KeychainTest::initTestCase()
{
    QVERIFY2(g_bus && g_bus->isRunning(), qPrintable(g_bus ? g_bus->error() : QString()));
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("keychaintest"));
    QStandardPaths::setTestModeEnabled(true);
    qDBusRegisterMetaType<QMap<QString, QString>>();

    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    QVERIFY2(!daemon.isEmpty(),
        "gnome-keyring-daemon is missing: scripts/setup.sh installs gnome-keyring");
    QDBusConnectionInterface* bus = QDBusConnection::sessionBus().interface();
    QVERIFY(bus);
    QVERIFY2(!bus->isServiceRegistered(kSecrets), "the private bus already has a Secret Service");

    // --unlock reads the login keyring's password from standard input (until it closes) and,
    // in a home without one, creates that keyring with it: unlocked, and the default collection,
    // so nothing ever needs to prompt. --foreground keeps it our child, to stop at the end.
    m_keyring.setProgram(daemon);
    m_keyring.setArguments({ QStringLiteral("--unlock"), QStringLiteral("--components=secrets"),
        QStringLiteral("--foreground") });
    m_keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_keyring.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_keyring.start();
    QVERIFY2(m_keyring.waitForStarted(5000), qPrintable(m_keyring.errorString()));
    m_keyring.write(kKeyringPassword);
    m_keyring.closeWriteChannel();
    QTRY_VERIFY_WITH_TIMEOUT(bus->isServiceRegistered(kSecrets), 15000);

    // What qtkeychain will write to: the "default" alias, the freshly made login keyring, open.
    QDBusInterface service(kSecrets, kSecretsPath, kSecretService);
    QDBusReply<QDBusObjectPath> alias
        = service.call(QStringLiteral("ReadAlias"), QStringLiteral("default"));
    QVERIFY2(alias.isValid(), qPrintable(alias.error().message()));
    QCOMPARE(alias.value().path(), QStringLiteral("/org/freedesktop/secrets/collection/login"));
    QDBusInterface login(
        kSecrets, alias.value().path(), QStringLiteral("org.freedesktop.Secret.Collection"));
    QCOMPARE(login.property("Locked").toBool(), false);
    QVERIFY(QFile::exists(
        QDir(homeDir(QStringLiteral("data"))).filePath(QStringLiteral("keyrings/login.keyring"))));

    QVERIFY2(m_server.start({ QStringLiteral("--demo") }), qPrintable(m_server.lastError()));
}

void KeychainTest::keychainIsTheSecretService()
{
    KeyStore store(kService);
    QVERIFY(store.keychainAvailable());
    QCOMPARE(store.backendName(), QStringLiteral("secret-service"));
}

void KeychainTest::keyIsMadeOnceAndReadBack()
{
    const QString account = QStringLiteral("ws://keychain.test/sync|mkim");
    QVERIFY(secretItems(account).isEmpty());

    KeyStore store(kService);
    const auto made = store.keychainKey(account);
    QVERIFY2(made, made ? "" : made.failure().message.c_str());
    QCOMPARE(made->size(), 32);
    QVERIFY(*made != QByteArray(32, '\0'));
    // It is in the keyring, not only in this object.
    QCOMPARE(secretItems(account).size(), 1);

    const auto again = store.keychainKey(account);
    QVERIFY(again);
    QCOMPARE(*again, *made);
    KeyStore fresh(kService);
    const auto fromFresh = fresh.keychainKey(account);
    QVERIFY(fromFresh);
    QCOMPARE(*fromFresh, *made);
    QCOMPARE(secretItems(account).size(), 1);

    // Another account has its own key.
    const auto other = fresh.keychainKey(QStringLiteral("ws://keychain.test/sync|jlee"));
    QVERIFY(other);
    QVERIFY(*other != *made);
}

void KeychainTest::forgetRemovesTheKey()
{
    const QString account = QStringLiteral("ws://keychain.test/sync|rpatel");
    KeyStore store(kService);
    const auto first = store.keychainKey(account);
    QVERIFY(first);
    QCOMPARE(secretItems(account).size(), 1);

    store.forget(account);
    QVERIFY(secretItems(account).isEmpty());
    const auto second = KeyStore(kService).keychainKey(account);
    QVERIFY(second);
    QCOMPARE(second->size(), 32);
    QVERIFY(*second != *first);
}

void KeychainTest::signInKeepsTheKeyInTheKeychainAndReopensOffline()
{
    // No passphrase anywhere: with a keychain, none is asked for.
    const QJsonObject online = runSession(kPassword);
    QCOMPARE(online.value(QStringLiteral("errorCode")).toString(), QString());
    QCOMPARE(online.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
    QCOMPARE(online.value(QStringLiteral("keychainAvailable")).toBool(), true);
    QCOMPARE(online.value(QStringLiteral("probeExit")).toInt(), 0);

    const ReplicaFiles files = replicaFiles(m_data.path());
    QCOMPARE(files.databases.size(), 1);
    QCOMPARE(files.info.value(QStringLiteral("keySource")).toString(), QStringLiteral("keychain"));
    QCOMPARE(files.info.value(QStringLiteral("keychainBackend")).toString(),
        QStringLiteral("secret-service"));
    QVERIFY(files.info.value(QStringLiteral("passphraseSalt")).toString().isEmpty());
    const QString account = m_server.url() + QLatin1Char('|') + QStringLiteral("mkim");
    QCOMPARE(secretItems(account).size(), 1);

    // The server gone and the app started again with neither password nor passphrase: the
    // keychain's key opens the copy, with the cases the first run downloaded.
    m_server.stop();
    const QJsonObject offline = runSession(QString());
    QCOMPARE(offline.value(QStringLiteral("errorCode")).toString(), QString());
    QCOMPARE(offline.value(QStringLiteral("state")).toString(), QStringLiteral("offline"));
    QCOMPARE(offline.value(QStringLiteral("replicaNotice")).toString(), QString()); // not rebuilt
    QVERIFY(offline.value(QStringLiteral("rows")).toInt() > 0);
    QCOMPARE(offline.value(QStringLiteral("probeExit")).toInt(), 0);
    QCOMPARE(replicaFiles(m_data.path()).databases.size(), 1);
}

QJsonObject KeychainTest::runSession(const QString& password)
{
    QProcess probe;
    probe.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args { m_data.path(), kService, m_server.url(), QStringLiteral("mkim") };
    if (!password.isEmpty())
        args << password;
    probe.start(QStringLiteral(LATCH_KEYCHAIN_SESSION_PROBE), args);
    if (!probe.waitForFinished(90000)) {
        probe.kill();
        probe.waitForFinished(5000);
        return { { QStringLiteral("errorCode"), QStringLiteral("probe did not finish") } };
    }
    const QByteArray out = probe.readAllStandardOutput().trimmed();
    QJsonObject seen = QJsonDocument::fromJson(out.split('\n').last()).object();
    if (probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
        seen.insert(QStringLiteral("probeExit"), probe.exitCode());
    if (seen.isEmpty())
        seen.insert(QStringLiteral("errorCode"), QString::fromUtf8("no answer: " + out));
    return seen;
}

void KeychainTest::cleanupTestCase()
{
    m_server.stop();
    if (m_keyring.state() != QProcess::NotRunning) {
        m_keyring.terminate();
        if (!m_keyring.waitForFinished(5000))
            m_keyring.kill();
    }
}

QTEST_GUILESS_MAIN(KeychainTest)
#include "keychaintest.moc"
