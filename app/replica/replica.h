#pragma once
// The app's encrypted local copy of one user's cases on one server: the confirmed cases and their
// events as the server sent them, the sync cursor saved in the same transaction as the data it
// covers, and the outbox of commands the user made that the server has not answered yet.
//
// One SQLCipher database file per (server, user), keyed with a raw 256-bit key (see KeyStore).
// Confirmed state and pending commands are kept apart: cases/events only ever change from what the
// server sent; the outbox only from what the user did and what the server answered.
//
// Threading: not thread-safe. A Replica lives on the sync worker thread and is only used there; the
// UI reads copies (QueueRow, v1::Case, v1::Event) delivered through queued signals.
//
// Errors: open() and rebuild() return the expected failures. After that, the disk failing under an
// open replica (I/O error, disk full, a page damaged since it was opened) is exceptional: any
// method may throw db::Error, a std::runtime_error carrying SQLite's result code.
#include "latch.pb.h"
#include "latch/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latch::app {

namespace db {
class Database;
}

// One line of the queue: what the queue screen shows, filters and searches. Built from the case
// row and its notes; compact so 100,000 of them stay cheap.
struct QueueRow {
    QString id;
    QString title;
    QString type;
    QString status; // statusName(): "in_review", "awaiting_approval", ...
    QString customer;
    QString orderRef;
    QString assignee; // username, empty when unassigned
    QString requester;
    QString preparer;
    QString queue;
    QString rule;
    qint64 amountMinor = 0;
    QString currency; // empty: the case has no amount
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QString searchText; // lower-case title, customer, order and the text of every note
    // Usernames that approved and the rule's stages as recorded at mark-ready, so the UI can tell
    // "waiting for my approval" without asking the server (the server still decides).
    QStringList approvers;
    std::vector<std::pair<int, QStringList>> stages; // (approvals needed, roles) per stage
    QString channel; // the intake channel that opened the case; "" when made in the app or CLI
};

// A command the user made, kept until the server answers it. Rejected entries stay (with the
// server's code and sentence) until the user dismisses them; they never hold up later commands.
struct OutboxEntry {
    enum class State { Pending, Rejected };
    std::int64_t localSeq = 0; // order of creation; commands are sent in this order
    std::string commandId;
    std::string caseId; // empty for create_case without a client-chosen id
    v1::Command command;
    State state = State::Pending;
    std::string code; // Rejected: the server's stable code
    std::string message; // Rejected: the server's sentence
    std::int64_t createdMs = 0;
};

// Beside each replica file, `<file>.json` records what is needed to open it again and nothing
// secret: how the key is kept ("keychain" or "passphrase"), the keychain backend name, the
// SQLCipher version that wrote it, the Argon2id salt and limits for a passphrase, and the schema
// version.
struct ReplicaInfo {
    QString keySource; // "keychain" or "passphrase"
    QString keychainBackend;
    QString cipherVersion; // PRAGMA cipher_version of the library that created the file
    QByteArray passphraseSalt; // 16 bytes when keySource == "passphrase"
    int schemaVersion = 0;
};

class Replica {
public:
    // Opens (or creates) the replica at `path` with `key` (32 raw bytes) and runs migrations.
    // Failures, each with a sentence for the user:
    //   replica.wrong_key  the key does not open the file (or it is not a database at all)
    //   replica.corrupt    the file is damaged
    //   replica.too_new    a newer Latch wrote it (schema version above ours)
    //   replica.io         the file or its folder cannot be read or written
    static Expected<std::unique_ptr<Replica>> open(const QString& path, const QByteArray& key);
    // Benchmarks only: the same replica with no key (SQLCipher without a key is plain SQLite), to
    // measure what the cipher costs on an identical workload. The app never calls it.
    static Expected<std::unique_ptr<Replica>> openUnencryptedForBenchmark(const QString& path);

    // After open() failed: moves the unreadable file aside (`<path>.broken-<time>`), creates a
    // fresh replica, and puts `salvaged` back into its outbox. When the old outbox could not be
    // read at all, `exportPath` (if not empty) receives what could be recovered as JSON.
    static Expected<std::unique_ptr<Replica>> rebuild(
        const QString& path, const QByteArray& key, const std::vector<OutboxEntry>& salvaged);

    // Best effort read of the outbox of a replica that open() refused (too new, partly corrupt):
    // empty when nothing can be read.
    static std::vector<OutboxEntry> salvageOutbox(const QString& path, const QByteArray& key);
    // Writes entries as JSON (one object per command, protobuf JSON for the command) so nothing
    // the user did is lost even when it cannot go back into a replica.
    static bool exportOutbox(const std::vector<OutboxEntry>& entries, const QString& path);

    static Expected<ReplicaInfo> readInfo(const QString& path);
    static bool writeInfo(const QString& path, const ReplicaInfo& info);

    ~Replica();
    Replica(const Replica&) = delete;
    Replica& operator=(const Replica&) = delete;

    static int schemaVersion(); // what this build writes
    QString cipherVersion() const;

    // --- what the server sent (each call is at most one transaction) ---
    std::uint64_t cursor() const;
    // Takes one snapshot page. A page with reset = true first drops every case and event (the
    // outbox stays). The cursor becomes upto_seq only on the last page.
    //
    // Pages are written in batches of about kSnapshotBatchBytes, one transaction each, and the
    // rest with the last page: a transaction per page would rewrite (and, keyed, encrypt again)
    // the right edge of every B-tree some 200 times in a 10,000-case snapshot. Until a batch is
    // written the replica shows what it held before, which is consistent with its cursor.
    void applySnapshotPage(const v1::SnapshotPage& page);
    // Forgets pages taken but not yet written (the connection that sent them is gone; the next
    // Hello starts a new snapshot from the cursor).
    void dropUnappliedSnapshot();
    static constexpr std::size_t kSnapshotBatchBytes = 8u << 20; // fits the 32 MiB page cache
    // Copies the write-ahead log into the file and empties it. After a full snapshot the log
    // holds the whole replica; this is the one disk-bound step left, done once the queue shows.
    void checkpoint();
    // Applies a live batch: whole cases that came into view, then events folded into their case
    // rows (an event at or below the case's last_seq is ignored, so a resend changes nothing).
    // The cursor becomes upto_seq. Returns the ids of the cases that changed.
    std::vector<std::string> applyEventBatch(const v1::EventBatch& batch);
    // Drops the case and its events (the outbox keeps commands on it; the server will refuse them).
    void revoke(const std::string& caseId);

    // --- reads ---
    std::vector<QueueRow> queueRows() const;
    std::optional<QueueRow> queueRow(const std::string& caseId) const;
    std::optional<v1::Case> loadCase(const std::string& caseId) const;
    std::vector<v1::Event> caseEvents(const std::string& caseId) const; // oldest first
    std::size_t caseCount() const;

    // --- the outbox ---
    // Stores a command the user made; returns its entry. The command must carry a command_id.
    OutboxEntry enqueue(const v1::Command& command, std::int64_t nowMs);
    std::vector<OutboxEntry> outbox() const; // pending and rejected, oldest first
    std::vector<OutboxEntry> pendingCommands() const; // pending only, oldest first
    // The server answered: accepted -> the entry is removed; refused -> it becomes Rejected with
    // the server's code and message. Unknown command ids are ignored. Returns the entry's case id.
    std::optional<std::string> completeCommand(const v1::CommandResult& result);
    void dismiss(const std::string& commandId); // removes a rejected entry

    // --- small settings kept inside the encrypted file (e.g. the session token) ---
    std::optional<std::string> setting(const std::string& key) const;
    void setSetting(const std::string& key, const std::string& value);
    void removeSetting(const std::string& key);

private:
    explicit Replica(std::unique_ptr<db::Database> db);
    // For rebuild(): puts salvaged entries back in their order, keeping ids and states.
    void restoreOutbox(std::vector<OutboxEntry> entries);

    void writeSnapshotBatch();

    std::unique_ptr<db::Database> m_db;
    std::vector<v1::SnapshotPage> m_snapshotBatch; // taken, not yet written
    std::size_t m_snapshotBatchBytes = 0;
};

} // namespace latch::app
