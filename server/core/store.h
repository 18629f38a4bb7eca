#pragma once
// What the core needs from storage. SQLite implements it today (server/store); PostgreSQL can
// implement the same interface later without core changing. Core never sees SQL.
//
// Threading: commit() and the writer-side lookups are called from the single writer thread only.
// read() may be called from any thread; each ReadView is used by one thread at a time and sees one
// consistent snapshot of the data for its whole life. Account methods are thread-safe.
#include "latch.pb.h"
#include "latch/expected.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace latch::core {

struct CommandRecord {
    std::string commandId;
    std::string actor;
    v1::CommandResult result;
    std::string fingerprint; // SHA-256 of the command as sent (empty for records from before)
};

// Everything one group commit writes, in one transaction: events (already sequenced and hashed),
// the new materialised rows of every case they touch, and the results of the commands.
struct CommitBatch {
    std::vector<v1::Event> events;
    std::vector<v1::Case> cases;
    std::vector<CommandRecord> commands;
    // Intake thread keys and the case each names from now on (a later key replaces an earlier).
    std::vector<std::pair<std::string, std::string>> threads;
};

struct CaseFilter {
    std::string status;   // "" or a status name: in_review, awaiting_approval, approved, denied, closed
    std::string type;
    std::string assignee;
    std::uint32_t limit = 0; // 0: no limit
};

// What an audit query asks for (v1::AuditQuery, checked). `visible` drops the cases the asker
// may not see; rows are scanned newest first until `limit` visible ones are found.
struct AuditFilter {
    std::string actor;
    std::vector<std::string> kinds;
    std::string caseType;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0; // 0: no upper bound
    std::uint32_t limit = 500;
    std::function<bool(const v1::Case&)> visible;
};
struct AuditResult {
    std::vector<v1::AuditRow> rows;
    bool truncated = false;
};

class ReadView {
public:
    virtual ~ReadView() = default;
    virtual std::uint64_t headSeq() = 0;
    virtual std::optional<v1::Case> loadCase(const std::string& id) = 0;
    virtual std::vector<v1::Event> caseEvents(const std::string& id) = 0;
    // Cases ordered by id, starting after `afterId` ("" for the start), at most `limit`.
    virtual std::vector<v1::Case> casesPage(const std::string& afterId, std::uint32_t limit) = 0;
    virtual std::vector<v1::Case> listCases(const CaseFilter& filter) = 0;
    // Ids of the cases with an event of seq > `seq`.
    virtual std::vector<std::string> casesTouchedAfter(std::uint64_t seq) = 0;
    // Events with seq > `seq`, ascending, at most `limit`.
    virtual std::vector<v1::Event> eventsAfter(std::uint64_t seq, std::uint32_t limit) = 0;
    virtual std::uint64_t caseCount() = 0;
    virtual AuditResult auditEvents(const AuditFilter& filter) = 0;
};

struct UserRecord {
    v1::User user;             // user.id == user.username
    std::string passwordHash;  // Argon2id, libsodium crypto_pwhash_str format
};

struct SessionRecord {
    std::string tokenHash;     // SHA-256 of the token, hex
    std::string username;
    std::string device;
    std::int64_t createdMs = 0;
    std::int64_t expiresMs = 0;
    bool revoked = false;
};

class Store {
public:
    virtual ~Store() = default;

    // --- writer thread only ---
    virtual std::optional<v1::Case> loadCase(const std::string& id) = 0;
    virtual std::optional<CommandRecord> findCommand(const std::string& commandId) = 0;
    virtual std::uint64_t headSeq() = 0;
    // The case an intake thread key ("msg:<id>", "alert:<fingerprint>", "delivery:<key>") names.
    virtual std::optional<std::string> findThread(const std::string& key) = 0;
    // One transaction, one fsync. On failure nothing of the batch is stored.
    virtual Expected<bool> commit(const CommitBatch& batch) = 0;

    // --- any thread ---
    virtual std::unique_ptr<ReadView> read() = 0;

    // --- accounts (any thread) ---
    virtual std::optional<UserRecord> findUser(const std::string& username) = 0;
    virtual std::vector<UserRecord> listUsers() = 0;
    virtual Expected<bool> insertUser(const UserRecord& record) = 0;   // fails if the name exists
    virtual Expected<bool> updateUser(const UserRecord& record) = 0;   // fails if it does not
    virtual Expected<bool> insertSession(const SessionRecord& session) = 0;
    virtual std::optional<SessionRecord> findSession(const std::string& tokenHash) = 0;
    virtual void revokeSessions(const std::string& username) = 0;
    virtual void revokeSession(const std::string& tokenHash) = 0;   // one session (logout)
    virtual void appendAdminAudit(const v1::AdminAuditEntry& entry) = 0; // id assigned by the store
    virtual std::vector<v1::AdminAuditEntry> adminAudit(std::uint32_t limit) = 0; // newest first
};

} // namespace latch::core
