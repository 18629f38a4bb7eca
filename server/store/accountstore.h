#pragma once
// Users, sessions and the admin audit on a connection of their own. These calls are rare (a login,
// an admin change), so one connection behind a mutex is enough, and it keeps them off the writer
// thread's connection.
//
// Threading: every method is thread-safe. Lookups throw sqlite::SqliteError on I/O failure;
// writes that return Expected report failures as values.
#include "core/store.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latch::store {

class Connection;

class AccountStore {
public:
    explicit AccountStore(std::unique_ptr<Connection> connection);
    ~AccountStore();
    AccountStore(const AccountStore&) = delete;
    AccountStore& operator=(const AccountStore&) = delete;

    std::optional<core::UserRecord> findUser(const std::string& username);
    std::vector<core::UserRecord> listUsers();
    Expected<bool> insertUser(const core::UserRecord& record); // user.exists, user.invalid
    Expected<bool> updateUser(const core::UserRecord& record); // user.unknown
    Expected<bool> insertSession(const core::SessionRecord& session);
    std::optional<core::SessionRecord> findSession(const std::string& tokenHash);
    void revokeSessions(const std::string& username);
    void revokeSession(const std::string& tokenHash);
    void appendAdminAudit(const v1::AdminAuditEntry& entry);
    std::vector<v1::AdminAuditEntry> adminAudit(std::uint32_t limit);

private:
    std::mutex m_mutex;
    std::unique_ptr<Connection> m_connection;
};

} // namespace latch::store
