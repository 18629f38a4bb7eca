#pragma once
// Users, roles, passwords and sessions. Passwords are Argon2id (libsodium); a session token is 32
// random bytes shown once to the client and stored only as its SHA-256. Failed sign-ins are limited
// per user and per address. Every admin change is written to the server's admin audit log.
//
// Threading: all methods are thread-safe.
#include "core/actor.h"
#include "core/config.h"
#include "core/service.h"
#include "core/store.h"
#include "latch.pb.h"
#include "latch/expected.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace latch::core {

class Accounts {
public:
    Accounts(const Config& config, Store& store, Clock clock);

    v1::LoginResult login(const v1::Login& login, const std::string& address);
    Expected<Actor> authenticate(const std::string& token);
    void logout(const std::string& token);

    // Admin requests (user management and the admin audit); only admins may make changes.
    v1::AdminResult admin(const Actor& actor, const v1::AdminRequest& request);

    // Creates a user directly (first start, demo seeding). `actor` is recorded in the audit log.
    Expected<bool> createUser(const std::string& actor, const std::string& username,
                              const std::string& displayName, const std::vector<std::string>& roles,
                              const std::string& password);

    // Active (not disabled) person by username, with roles and display name.
    std::optional<Actor> findActor(const std::string& username);
    // Every user, for eligibility and display names (cached; refreshed on every change).
    std::vector<v1::User> people();

    // On first start: creates "admin" with a random password and returns it; nullopt when any
    // admin already exists.
    std::optional<std::string> ensureAdmin();

    Expected<std::string> hashPassword(const std::string& password) const;

private:
    bool limited(const std::string& key, int max, std::int64_t now);
    void recordFailure(const std::string& key, std::int64_t now);
    void audit(const std::string& actor, const std::string& action, const std::string& target,
               const std::string& detail);
    Expected<bool> checkRoles(const google::protobuf::RepeatedPtrField<std::string>& roles) const;
    void invalidatePeople();

    const Config& m_config;
    Store& m_store;
    Clock m_clock;

    std::mutex m_mutex;
    std::map<std::string, std::deque<std::int64_t>> m_failures; // "user:x" / "addr:y" -> times
    std::optional<std::vector<v1::User>> m_people;
};

} // namespace latch::core
