#include "replica/keystore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTimer>
#include <memory>
#include <mutex>
#include <qt6keychain/keychain.h>
#include <sodium.h>

Q_LOGGING_CATEGORY(lcKeyStore, "latch.keystore")

namespace latch::app {

namespace {

// A keychain that does not answer within this long counts as absent: the probe runs at start-up
// and must not keep the user waiting on a D-Bus service that never replies.
constexpr int kProbeTimeoutMs = 3000;
// Real reads and writes may wait for the user to unlock a wallet.
constexpr int kJobTimeoutMs = 60000;
constexpr int kKeyBytes = 32;

bool sodiumReady()
{
    static std::once_flag once;
    static bool ready = false;
    std::call_once(once, [] { ready = sodium_init() >= 0; });
    return ready;
}

// Runs a job to its end with a local event loop, for at most `timeoutMs`. Returns false on
// time-out; the job is then left to delete itself whenever it does finish, because deleting a job
// with a D-Bus call in flight is not safe.
bool runJob(std::unique_ptr<QKeychain::Job>& job, int timeoutMs)
{
    if (!QCoreApplication::instance())
        return false; // qtkeychain answers through the event loop; there is none
    QEventLoop loop;
    bool finished = false;
    // `loop` as context: the connection dies with it if the job outlives this call.
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!finished)
        job.release()->setAutoDelete(true); // it deletes itself once it finishes, see above
    return finished;
}

template <typename JobType>
std::unique_ptr<QKeychain::Job> makeJob(const QString& service, const QString& key)
{
    auto job = std::make_unique<JobType>(service);
    job->setAutoDelete(false);
    job->setKey(key);
    // Never fall back to a plain-text file: a key kept in the clear protects nothing.
    job->setInsecureFallback(false);
    return job;
}

} // namespace

KeyStore::KeyStore(QString service)
    : m_service(std::move(service))
{
}

bool KeyStore::keychainAvailable()
{
    if (m_available >= 0)
        return m_available == 1;
    auto job = makeJob<QKeychain::ReadPasswordJob>(m_service, QStringLiteral("latch.probe"));
    const bool answered = runJob(job, kProbeTimeoutMs);
    // Found or not found both mean a service answered; anything else means there is none to use.
    const bool available = answered
        && (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound);
    if (!answered)
        qCInfo(lcKeyStore) << "no keychain answered within" << kProbeTimeoutMs << "ms";
    else if (!available)
        qCInfo(lcKeyStore) << "no keychain:" << job->errorString();
    m_available = available ? 1 : 0;
    return available;
}

QString KeyStore::backendName() const
{
    if (m_available != 1)
        return QStringLiteral("none");
#if defined(Q_OS_MACOS)
    return QStringLiteral("macos-keychain");
#elif defined(Q_OS_WIN)
    return QStringLiteral("windows-credentials");
#else
    // qtkeychain picks KWallet on KDE desktops and the Secret Service elsewhere, and does not say
    // which; follow the same rule.
    const QByteArray desktop = qgetenv("XDG_CURRENT_DESKTOP");
    return desktop.contains("KDE") ? QStringLiteral("kwallet") : QStringLiteral("secret-service");
#endif
}

Expected<QByteArray> KeyStore::keychainKey(const QString& account)
{
    if (!keychainAvailable())
        return fail("key.no_keychain",
            "This computer has no keychain service to keep the key of the copy of your cases; "
            "use a passphrase instead.");
    auto read = makeJob<QKeychain::ReadPasswordJob>(m_service, account);
    if (!runJob(read, kJobTimeoutMs))
        return fail("key.keychain_error", "The keychain did not answer in time.");
    if (read->error() == QKeychain::NoError) {
        const QByteArray key = static_cast<QKeychain::ReadPasswordJob*>(read.get())->binaryData();
        if (key.size() != kKeyBytes)
            return fail("key.keychain_error",
                "The keychain entry for " + account.toStdString() + " does not hold a Latch key.");
        return key;
    }
    if (read->error() != QKeychain::EntryNotFound)
        return fail("key.keychain_error",
            "The keychain refused to give the key (" + read->errorString().toStdString() + ").");

    if (!sodiumReady())
        return fail("key.keychain_error", "No random numbers are available to make a key.");
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    randombytes_buf(key.data(), std::size_t(key.size()));
    auto write = makeJob<QKeychain::WritePasswordJob>(m_service, account);
    static_cast<QKeychain::WritePasswordJob*>(write.get())->setBinaryData(key);
    if (!runJob(write, kJobTimeoutMs))
        return fail("key.keychain_error", "The keychain did not answer in time.");
    if (write->error() != QKeychain::NoError)
        return fail("key.keychain_error",
            "The keychain refused to store the key (" + write->errorString().toStdString() + ").");
    return key;
}

void KeyStore::forget(const QString& account)
{
    if (!keychainAvailable())
        return;
    auto job = makeJob<QKeychain::DeletePasswordJob>(m_service, account);
    if (!runJob(job, kJobTimeoutMs))
        qCWarning(lcKeyStore) << "the keychain did not answer when forgetting" << account;
    else if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
        qCWarning(lcKeyStore) << "could not forget" << account << job->errorString();
}

Expected<QByteArray> KeyStore::deriveKey(const QString& passphrase, const QByteArray& salt)
{
    // Characters as the user typed them, not UTF-16 units; NFC so the same passphrase typed on
    // another system (composed vs decomposed accents) derives the same key.
    const QString normalized = passphrase.normalized(QString::NormalizationForm_C);
    if (normalized.toUcs4().size() < 8)
        return fail("key.weak_passphrase", "The passphrase must have at least 8 characters.");
    if (salt.size() != int(crypto_pwhash_SALTBYTES))
        return fail(
            "key.kdf", "The passphrase salt kept beside the copy of your cases is damaged.");
    if (!sodiumReady())
        return fail("key.kdf", "The key could not be derived: libsodium did not start.");
    QByteArray utf8 = normalized.toUtf8();
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    // Argon2id with libsodium's interactive limits (64 MiB, 2 passes): a fraction of a second
    // at sign-in, costly for someone guessing passphrases against a stolen file.
    const int rc = crypto_pwhash(reinterpret_cast<unsigned char*>(key.data()),
        std::size_t(key.size()), utf8.constData(), std::size_t(utf8.size()),
        reinterpret_cast<const unsigned char*>(salt.constData()),
        crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
        crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(utf8.data(), std::size_t(utf8.size()));
    if (rc != 0)
        return fail(
            "key.kdf", "The key could not be derived from the passphrase (not enough memory).");
    return key;
}

QByteArray KeyStore::newSalt()
{
    QByteArray salt(int(crypto_pwhash_SALTBYTES), Qt::Uninitialized);
    if (!sodiumReady())
        qFatal("libsodium did not start: no random numbers for a salt");
    randombytes_buf(salt.data(), std::size_t(salt.size()));
    return salt;
}

} // namespace latch::app
