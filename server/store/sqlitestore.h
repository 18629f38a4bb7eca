#pragma once
// core::Store on one SQLite file in WAL mode.
//
// Connections: the writer thread has one of its own (commit and the writer-side lookups), account
// calls share one behind a mutex, and each ReadView borrows one from a small pool of read-only
// connections. WAL lets readers work on their snapshot while the writer commits.
//
// Durability: synchronous=FULL, so a batch is on disk when commit() returns; a batch is one
// transaction, so a crash leaves all of it or none.
//
// Failures: open(), commit() and the account writes return them as values. Lookups and ReadView
// methods throw (sqlite::SqliteError, StoreCorrupt, both std::runtime_error) only when the database
// itself fails: an I/O error or a corrupt file.
//
// Threading: as core::Store says. Every ReadView must be destroyed before the store.
#include "core/store.h"
#include "latch/expected.h"

#include <memory>
#include <string>

namespace latch::store {

class AccountStore;
class CaseQueries;
class LogWriter;
class Connection;
class ReaderPool;

class SqliteStore final : public core::Store {
public:
    // Opens (creating when missing) the database at `path` and brings its schema up to date.
    // Failures: store.open (cannot open, or not a usable SQLite file), store.migrate,
    // store.too_new (written by a newer Latch; refused rather than misread).
    static Expected<std::unique_ptr<SqliteStore>> open(const std::string& path);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // A UUID made when the database was created; stays with the file (and its backups).
    std::string serverId() const { return m_serverId; }
    const std::string& path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }

    // PRAGMA integrity_check on a connection of its own. true when intact; otherwise the failure
    // store.integrity lists the first problems SQLite found.
    Expected<bool> checkIntegrity();

    // --- writer thread only ---
    std::optional<v1::Case> loadCase(const std::string& id) override;
    std::optional<core::CommandRecord> findCommand(const std::string& commandId) override;
    std::uint64_t headSeq() override;
    std::optional<std::string> findThread(const std::string& key) override;
    // Failure store.write with SQLite's message; nothing of the batch is stored then.
    Expected<bool> commit(const core::CommitBatch& batch) override;

    // --- any thread ---
    std::unique_ptr<core::ReadView> read() override;

    // --- accounts (any thread) ---
    std::optional<core::UserRecord> findUser(const std::string& username) override;
    std::vector<core::UserRecord> listUsers() override;
    Expected<bool> insertUser(const core::UserRecord& record) override;
    Expected<bool> updateUser(const core::UserRecord& record) override;
    Expected<bool> insertSession(const core::SessionRecord& session) override;
    std::optional<core::SessionRecord> findSession(const std::string& tokenHash) override;
    void revokeSessions(const std::string& username) override;
    void revokeSession(const std::string& tokenHash) override;
    void appendAdminAudit(const v1::AdminAuditEntry& entry) override;
    std::vector<v1::AdminAuditEntry> adminAudit(std::uint32_t limit) override;

private:
    SqliteStore(std::string path, std::unique_ptr<Connection> writer,
        std::unique_ptr<AccountStore> accounts, int schemaVersion, std::string serverId);

    void insertEvent(const v1::Event& event);
    void upsertCase(const v1::Case& c);
    void insertCommand(const core::CommandRecord& record);

    std::string m_path;
    std::string m_serverId;
    int m_schemaVersion = 0;
    std::unique_ptr<Connection> m_writer;
    std::unique_ptr<CaseQueries> m_writerQueries;
    std::unique_ptr<LogWriter> m_log;
    std::unique_ptr<AccountStore> m_accounts;
    std::unique_ptr<ReaderPool> m_readers;
};

} // namespace latch::store
