#include "store/sqlitestore.h"

#include "latch/hashing.h"
#include "latch/ids.h"
#include "store/accountstore.h"
#include "store/auditlog.h"
#include "store/casequeries.h"
#include "store/connection.h"
#include "store/migrations.h"
#include "store/readerpool.h"
#include "store/sqlite/sqliteerror.h"
#include "store/sqlite/transaction.h"
#include "store/sqlitereadview.h"
#include "latch/casefold.h"
#include "store/storelog.h"

#include <chrono>
#include <exception>

namespace latch::store {

namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The server id is made once, when the database is created, and read back on every later open.
std::string ensureServerId(Connection& writer)
{
    sqlite::Transaction txn(writer.db(), sqlite::TransactionMode::Immediate);
    {
        auto insert = writer.prepare(
            "INSERT INTO meta (key, value) VALUES ('server_id', ?1) ON CONFLICT (key) DO NOTHING");
        insert->bindText(1, newUuid());
        insert->run();
    }
    std::string id;
    {
        auto query = writer.prepare("SELECT value FROM meta WHERE key = 'server_id'");
        if (query->step()) {
            id = query->columnText(0);
        }
    }
    txn.commit();
    return id;
}

// Stored protobufs. None of these messages has a map field, so the default serialisation is
// deterministic: what is read back re-serialises to the same bytes.
template <typename Message> std::string bytesOf(const Message& message)
{
    return message.SerializeAsString();
}

} // namespace

Expected<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path)
{
    try {
        auto writer = Connection::open(path, sqlite::OpenMode::ReadWriteCreate);
        auto version = migrate(writer->db(), nowMs());
        if (!version) {
            storeLog().error("{}", version.failure().message);
            return version.failure();
        }
        std::string serverId = ensureServerId(*writer);
        auto accounts
            = std::make_unique<AccountStore>(Connection::open(path, sqlite::OpenMode::ReadWrite));
        std::unique_ptr<SqliteStore> store(new SqliteStore(
            path, std::move(writer), std::move(accounts), *version, std::move(serverId)));
        storeLog().info("opened {} (schema {}, server id {}, head seq {})", path, *version,
            store->serverId(), store->headSeq());
        return { std::move(store) };
    } catch (const std::exception& e) {
        // SqliteError for a missing directory or a file that is not a database; runtime_error
        // when WAL is unavailable.
        storeLog().error("cannot open {}: {}", path, e.what());
        return fail("store.open", "Could not open the database " + path + ": " + e.what());
    }
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<Connection> writer,
    std::unique_ptr<AccountStore> accounts, int schemaVersion, std::string serverId)
    : m_path(std::move(path))
    , m_serverId(std::move(serverId))
    , m_schemaVersion(schemaVersion)
    , m_writer(std::move(writer))
    , m_writerQueries(std::make_unique<CaseQueries>(*m_writer))
    , m_log(std::make_unique<LogWriter>(*m_writer))
    , m_accounts(std::move(accounts))
    , m_readers(std::make_unique<ReaderPool>(m_path))
{
}

SqliteStore::~SqliteStore() = default;

Expected<bool> SqliteStore::checkIntegrity()
{
    try {
        auto connection = Connection::open(m_path, sqlite::OpenMode::ReadOnly);
        auto check = connection->prepare("PRAGMA integrity_check(20)");
        std::string problems;
        while (check->step()) {
            const std::string line = check->columnText(0);
            if (line == "ok") {
                continue;
            }
            problems += problems.empty() ? line : "; " + line;
        }
        if (!problems.empty()) {
            storeLog().error("integrity check of {} failed: {}", m_path, problems);
            return fail("store.integrity", "The database " + m_path + " is damaged: " + problems);
        }
        return true;
    } catch (const sqlite::SqliteError& e) {
        return fail("store.integrity", "Could not check the database " + m_path + ": " + e.what());
    }
}

std::optional<v1::Case> SqliteStore::loadCase(const std::string& id)
{
    return m_writerQueries->loadCase(id);
}

std::optional<core::CommandRecord> SqliteStore::findCommand(const std::string& commandId)
{
    return m_writerQueries->findCommand(commandId);
}

std::optional<std::string> SqliteStore::findThread(const std::string& key)
{
    auto query = m_writer->prepare("SELECT case_id FROM intake_threads WHERE key = ?1");
    query->bindText(1, key);
    if (!query->step())
        return std::nullopt;
    return query->columnText(0);
}

std::uint64_t SqliteStore::headSeq()
{
    return m_writerQueries->headSeq();
}

Expected<bool> SqliteStore::commit(const core::CommitBatch& batch)
{
    try {
        sqlite::Transaction txn(m_writer->db(), sqlite::TransactionMode::Immediate);
        for (const v1::Event& event : batch.events) {
            insertEvent(event);
        }
        m_log->append(batch.events); // in the same transaction: acknowledged means logged
        for (const v1::Case& c : batch.cases) {
            upsertCase(c);
        }
        for (const core::CommandRecord& record : batch.commands) {
            insertCommand(record);
        }
        for (const auto& [key, caseId] : batch.threads) {
            auto upsert = m_writer->prepare(
                "INSERT INTO intake_threads (key, case_id) VALUES (?1, ?2)"
                " ON CONFLICT (key) DO UPDATE SET case_id = excluded.case_id");
            upsert->bindText(1, key);
            upsert->bindText(2, caseId);
            upsert->run();
        }
        txn.commit();
        m_log->committed();
        return true;
    } catch (const std::runtime_error& e) { // sqlite::SqliteError, StoreCorrupt
        m_log->rolledBack();
        storeLog().error("commit of {} event(s) failed: {}", batch.events.size(), e.what());
        return fail("store.write", std::string("The changes were not stored: ") + e.what());
    }
}

void SqliteStore::insertEvent(const v1::Event& event)
{
    auto insert = m_writer->prepare(
        "INSERT INTO events (seq, case_id, case_version, kind, time_ms, actor, data)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert->bindInt64(1, static_cast<std::int64_t>(event.seq()));
    insert->bindText(2, event.case_id());
    insert->bindInt64(3, static_cast<std::int64_t>(event.case_version()));
    insert->bindText(4, eventKindName(event));
    insert->bindInt64(5, event.time_ms());
    insert->bindText(6, event.actor());
    insert->bindBlob(7, bytesOf(event));
    insert->run();
}

void SqliteStore::upsertCase(const v1::Case& c)
{
    auto upsert = m_writer->prepare(
        "INSERT INTO cases (id, status, type, queue, assignee, updated_ms, last_seq, data)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (id) DO UPDATE SET status = excluded.status, type = excluded.type,"
        " queue = excluded.queue, assignee = excluded.assignee,"
        " updated_ms = excluded.updated_ms, last_seq = excluded.last_seq, data = excluded.data");
    upsert->bindText(1, c.id());
    upsert->bindText(2, latch::statusName(c.status()));
    upsert->bindText(3, c.type());
    upsert->bindText(4, c.queue());
    upsert->bindText(5, c.assignee());
    upsert->bindInt64(6, c.updated_ms());
    upsert->bindInt64(7, static_cast<std::int64_t>(c.last_seq()));
    upsert->bindBlob(8, bytesOf(c));
    upsert->run();
}

void SqliteStore::insertCommand(const core::CommandRecord& record)
{
    auto insert
        = m_writer->prepare("INSERT INTO commands (command_id, actor, data, fingerprint) "
                            "VALUES (?1, ?2, ?3, ?4)");
    insert->bindText(1, record.commandId);
    insert->bindText(2, record.actor);
    insert->bindBlob(3, bytesOf(record.result));
    insert->bindBlob(4, record.fingerprint);
    insert->run();
}

std::unique_ptr<core::ReadView> SqliteStore::read()
{
    return std::make_unique<SqliteReadView>(m_readers->acquire());
}

std::optional<core::UserRecord> SqliteStore::findUser(const std::string& username)
{
    return m_accounts->findUser(username);
}

std::vector<core::UserRecord> SqliteStore::listUsers()
{
    return m_accounts->listUsers();
}

Expected<bool> SqliteStore::insertUser(const core::UserRecord& record)
{
    return m_accounts->insertUser(record);
}

Expected<bool> SqliteStore::updateUser(const core::UserRecord& record)
{
    return m_accounts->updateUser(record);
}

Expected<bool> SqliteStore::insertSession(const core::SessionRecord& session)
{
    return m_accounts->insertSession(session);
}

std::optional<core::SessionRecord> SqliteStore::findSession(const std::string& tokenHash)
{
    return m_accounts->findSession(tokenHash);
}

void SqliteStore::revokeSessions(const std::string& username)
{
    m_accounts->revokeSessions(username);
}

void SqliteStore::revokeSession(const std::string& tokenHash)
{
    m_accounts->revokeSession(tokenHash);
}

void SqliteStore::appendAdminAudit(const v1::AdminAuditEntry& entry)
{
    m_accounts->appendAdminAudit(entry);
}

std::vector<v1::AdminAuditEntry> SqliteStore::adminAudit(std::uint32_t limit)
{
    return m_accounts->adminAudit(limit);
}

} // namespace latch::store
