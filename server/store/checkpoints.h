#pragma once
// Signed checkpoints of the audit log (C2SP tlog-checkpoint in a C2SP signed note, Ed25519): the
// log's origin, size and root, signed with the server's log key. Every checkpoint issued is kept
// (table checkpoints, append-only), and so is every key that ever signed one (table log_keys), so
// old checkpoints stay verifiable after the key is rotated.
//
// The server never signs two inconsistent checkpoints: before signing size N it checks, in the
// same transaction, that the newest checkpoint's root is still the root of the tree's first M
// leaves. If someone rewrote stored history, it refuses (proof.inconsistent) and says so.
//
// The signing key lives in the data directory, `log-signing.key` (0600), as the signed-note
// private key text; it is made at first start. Rotating makes a new one, retires the old one in
// log_keys (its public key stays) and deletes the old private key.
//
// Threading: any thread; each Checkpoints has its own connection, used under a mutex.
#include "latch/expected.h"
#include "latch/merkle.h"
#include "latch/signednote.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latch::store {

class Connection;

struct CheckpointRecord {
    std::int64_t id = 0;
    std::uint64_t size = 0;
    merkle::Hash root{};
    std::int64_t timeMs = 0;
    std::string keyName;
    std::string note; // the signed note, as served
};

struct LogKey {
    std::string verifierKey; // "<name>+<id>+<base64>"
    std::int64_t createdMs = 0;
    std::optional<std::int64_t> retiredMs;
};

// Loads `<dataDir>/log-signing.key`, making it (named `origin`) when missing. Failure
// proof.key with the path and what is wrong (unreadable, not a key, permissions).
Expected<note::SigningKey> loadOrCreateLogKey(const std::string& dataDir, const std::string& origin);
// Replaces the key file with a new key; returns it. The caller records it (Checkpoints::addKey).
Expected<note::SigningKey> rotateLogKey(const std::string& dataDir, const std::string& origin);

class Checkpoints {
public:
    // Opens its own connection to the store's database (which must exist and be migrated).
    static Expected<std::unique_ptr<Checkpoints>> open(const std::string& dbPath);
    ~Checkpoints();

    // Records `key` as the signing key, retiring any other current one. Idempotent.
    Expected<bool> useKey(const note::SigningKey& key, std::int64_t nowMs);
    std::vector<LogKey> keys();
    std::vector<note::VerifierKey> verifierKeys();

    // Signs the log as it is now, unless the newest checkpoint already covers it with this key
    // (then returns that one). Failures: proof.inconsistent (history rewritten since the newest
    // checkpoint), proof.sign, store.write.
    Expected<CheckpointRecord> issue(const note::SigningKey& key, const std::string& origin,
                                     std::int64_t nowMs);
    std::optional<CheckpointRecord> latest();
    // The first checkpoint of at least `size` events.
    std::optional<CheckpointRecord> covering(std::uint64_t size);

private:
    explicit Checkpoints(std::unique_ptr<Connection> connection);
    std::optional<CheckpointRecord> one(const std::string& where, std::int64_t arg);

    std::mutex m_mutex;
    std::unique_ptr<Connection> m_connection;
};

} // namespace latch::store
