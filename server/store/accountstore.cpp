#include "store/accountstore.h"

#include "store/casequeries.h"
#include "store/connection.h"
#include "store/sqlite/sqliteerror.h"
#include "store/storelog.h"

#include <sqlite3.h>

namespace latch::store {

namespace {

core::UserRecord readUser(sqlite::Statement& row)
{
    core::UserRecord record;
    record.user = parseStored<v1::User>(row.columnBlob(0), "user");
    record.passwordHash = row.columnText(1);
    return record;
}

Failure writeFailure(const char* what, const sqlite::SqliteError& error)
{
    storeLog().error("{} failed: {}", what, error.what());
    return fail("store.write", std::string("Could not store the ") + what + ": " + error.what());
}

} // namespace

AccountStore::AccountStore(std::unique_ptr<Connection> connection)
    : m_connection(std::move(connection))
{
}

AccountStore::~AccountStore() = default;

std::optional<core::UserRecord> AccountStore::findUser(const std::string& username)
{
    std::lock_guard lock(m_mutex);
    auto query = m_connection->prepare("SELECT data, password_hash FROM users WHERE username = ?1");
    query->bindText(1, username);
    if (!query->step()) {
        return std::nullopt;
    }
    return readUser(*query);
}

std::vector<core::UserRecord> AccountStore::listUsers()
{
    std::lock_guard lock(m_mutex);
    auto query = m_connection->prepare("SELECT data, password_hash FROM users ORDER BY username");
    std::vector<core::UserRecord> users;
    while (query->step()) {
        users.push_back(readUser(*query));
    }
    return users;
}

Expected<bool> AccountStore::insertUser(const core::UserRecord& record)
{
    const std::string& username = record.user.username();
    if (username.empty()) {
        return fail("user.invalid", "A user needs a username.");
    }
    std::lock_guard lock(m_mutex);
    try {
        auto insert = m_connection->prepare(
            "INSERT INTO users (username, data, password_hash) VALUES (?1, ?2, ?3)");
        insert->bindText(1, username);
        insert->bindBlob(2, record.user.SerializeAsString());
        insert->bindText(3, record.passwordHash);
        insert->run();
        return true;
    } catch (const sqlite::SqliteError& e) {
        if (e.extendedCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return fail("user.exists", "A user named \"" + username + "\" already exists.");
        }
        return writeFailure("user", e);
    }
}

Expected<bool> AccountStore::updateUser(const core::UserRecord& record)
{
    const std::string& username = record.user.username();
    std::lock_guard lock(m_mutex);
    try {
        auto update = m_connection->prepare(
            "UPDATE users SET data = ?2, password_hash = ?3 WHERE username = ?1");
        update->bindText(1, username);
        update->bindBlob(2, record.user.SerializeAsString());
        update->bindText(3, record.passwordHash);
        update->run();
        if (m_connection->db().changes() == 0) {
            return fail("user.unknown", "There is no user named \"" + username + "\".");
        }
        return true;
    } catch (const sqlite::SqliteError& e) {
        return writeFailure("user", e);
    }
}

Expected<bool> AccountStore::insertSession(const core::SessionRecord& session)
{
    std::lock_guard lock(m_mutex);
    try {
        auto insert = m_connection->prepare(
            "INSERT INTO sessions (token_hash, username, device, created_ms, expires_ms, revoked)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        insert->bindText(1, session.tokenHash);
        insert->bindText(2, session.username);
        insert->bindText(3, session.device);
        insert->bindInt64(4, session.createdMs);
        insert->bindInt64(5, session.expiresMs);
        insert->bindInt64(6, session.revoked ? 1 : 0);
        insert->run();
        return true;
    } catch (const sqlite::SqliteError& e) {
        if (e.extendedCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
            return fail(
                "user.unknown", "There is no user named \"" + session.username + "\" to sign in.");
        }
        return writeFailure("session", e);
    }
}

std::optional<core::SessionRecord> AccountStore::findSession(const std::string& tokenHash)
{
    std::lock_guard lock(m_mutex);
    auto query = m_connection->prepare(
        "SELECT username, device, created_ms, expires_ms, revoked FROM sessions"
        " WHERE token_hash = ?1");
    query->bindText(1, tokenHash);
    if (!query->step()) {
        return std::nullopt;
    }
    core::SessionRecord session;
    session.tokenHash = tokenHash;
    session.username = query->columnText(0);
    session.device = query->columnText(1);
    session.createdMs = query->columnInt64(2);
    session.expiresMs = query->columnInt64(3);
    session.revoked = query->columnInt64(4) != 0;
    return session;
}

void AccountStore::revokeSessions(const std::string& username)
{
    std::lock_guard lock(m_mutex);
    auto update = m_connection->prepare(
        "UPDATE sessions SET revoked = 1 WHERE username = ?1 AND revoked = 0");
    update->bindText(1, username);
    update->run();
    storeLog().info("revoked {} session(s) of {}", m_connection->db().changes(), username);
}

void AccountStore::revokeSession(const std::string& tokenHash)
{
    std::lock_guard lock(m_mutex);
    auto update = m_connection->prepare("UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");
    update->bindText(1, tokenHash);
    update->run();
}

void AccountStore::appendAdminAudit(const v1::AdminAuditEntry& entry)
{
    std::lock_guard lock(m_mutex);
    auto insert
        = m_connection->prepare("INSERT INTO admin_audit (time_ms, actor, action, target, detail)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)");
    insert->bindInt64(1, entry.time_ms());
    insert->bindText(2, entry.actor());
    insert->bindText(3, entry.action());
    insert->bindText(4, entry.target());
    insert->bindText(5, entry.detail());
    insert->run();
}

std::vector<v1::AdminAuditEntry> AccountStore::adminAudit(std::uint32_t limit)
{
    std::lock_guard lock(m_mutex);
    auto query
        = m_connection->prepare("SELECT id, time_ms, actor, action, target, detail FROM admin_audit"
                                " ORDER BY id DESC LIMIT ?1");
    query->bindInt64(1, limit == 0 ? -1 : static_cast<std::int64_t>(limit));
    std::vector<v1::AdminAuditEntry> entries;
    while (query->step()) {
        v1::AdminAuditEntry& entry = entries.emplace_back();
        entry.set_id(static_cast<std::uint64_t>(query->columnInt64(0)));
        entry.set_time_ms(query->columnInt64(1));
        entry.set_actor(query->columnText(2));
        entry.set_action(query->columnText(3));
        entry.set_target(query->columnText(4));
        entry.set_detail(query->columnText(5));
    }
    return entries;
}

} // namespace latch::store
