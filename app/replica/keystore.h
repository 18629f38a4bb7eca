#pragma once
// Where a replica's 256-bit key comes from. Normally a random raw key kept in the OS keychain
// (qtkeychain: Secret Service / KWallet, macOS Keychain, Windows Credential Manager), one entry per
// (server, user). Where no keychain service answers, the user chooses a passphrase and the key is
// derived from it with Argon2id (libsodium) and a per-replica salt stored in the replica's info
// file. The key is never written to disk in the clear.
//
// Threading: blocking calls (the keychain is asked synchronously with a local event loop); use it
// from the sync worker thread, not the UI thread. qtkeychain runs every job of the process through
// one executor owned by the thread that first used it, so all KeyStores of a process must be used
// from that one thread: the app has one session and one sync worker thread for its whole life.
// (tests/app/keychain runs each sign-in in a process of its own for this reason.)
#include "latch/expected.h"

#include <QByteArray>
#include <QString>

namespace latch::app {

class KeyStore {
public:
    // `service` names the keychain entry's service ("Latch"), so tests can use their own.
    explicit KeyStore(QString service = QStringLiteral("Latch"));

    // Whether a keychain service answers on this machine (probed once, a few seconds at most).
    bool keychainAvailable();
    // The backend's name for the info file: "secret-service", "kwallet", "macos-keychain",
    // "windows-credentials", or "none".
    QString backendName() const;

    // The key for `account` ("<server>|<user>"): read from the keychain, or made (32 random bytes)
    // and stored there when absent. Fails with key.no_keychain or key.keychain_error.
    Expected<QByteArray> keychainKey(const QString& account);
    // Forgets the keychain entry (sign out, or a replica rebuilt with a new key).
    void forget(const QString& account);

    // Argon2id(passphrase, salt) -> 32 bytes. Fails with key.weak_passphrase (fewer than 8
    // characters) or key.kdf (out of memory).
    static Expected<QByteArray> deriveKey(const QString& passphrase, const QByteArray& salt);
    static QByteArray newSalt(); // 16 random bytes

private:
    QString m_service;
    int m_available = -1; // -1 unknown, 0 no, 1 yes
};

} // namespace latch::app
