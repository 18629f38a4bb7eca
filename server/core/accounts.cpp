#include "core/accounts.h"

#include "latch/hashing.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>

namespace latch::core {

namespace {

constexpr std::size_t minPasswordLength = 8;

std::shared_ptr<spdlog::logger> logger()
{
    static auto log = [] {
        auto existing = spdlog::get("auth");
        return existing ? existing : spdlog::default_logger()->clone("auth");
    }();
    return log;
}

std::string tokenHash(const std::string& token)
{
    return toHex(sha256(token));
}

std::string randomToken(std::size_t bytes)
{
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return toHex(raw);
}

v1::AdminResult adminFail(std::string code, std::string message)
{
    v1::AdminResult r;
    r.set_ok(false);
    r.set_code(std::move(code));
    r.set_message(std::move(message));
    return r;
}

v1::AdminResult adminOk(std::string message)
{
    v1::AdminResult r;
    r.set_ok(true);
    r.set_message(std::move(message));
    return r;
}

std::string joinRoles(const google::protobuf::RepeatedPtrField<std::string>& roles)
{
    std::string out;
    for (const auto& r : roles)
        out += (out.empty() ? "" : ",") + r;
    return out;
}

bool validUsername(const std::string& name)
{
    static const std::regex pattern("[a-z][a-z0-9._-]{1,31}");
    return std::regex_match(name, pattern)
           && name != "system" && name != "triage" && name != "intake";
}

} // namespace

Accounts::Accounts(const Config& config, Store& store, Clock clock)
    : m_config(config)
    , m_store(store)
    , m_clock(std::move(clock))
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
}

Expected<std::string> Accounts::hashPassword(const std::string& password) const
{
    if (password.size() < minPasswordLength)
        return fail("user.weak_password", "a password needs at least 8 characters");
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                          m_config.auth.passwordOpsLimit, m_config.auth.passwordMemLimitBytes)
        != 0)
        return fail("server.memory", "the server ran out of memory hashing the password");
    out.resize(std::strlen(out.c_str()));
    return out;
}

bool Accounts::limited(const std::string& key, int max, std::int64_t now)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return false;
    const auto windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              m_config.auth.failureWindow).count();
    auto& times = it->second;
    while (!times.empty() && times.front() + windowMs <= now)
        times.pop_front();
    return static_cast<int>(times.size()) >= max;
}

void Accounts::recordFailure(const std::string& key, std::int64_t now)
{
    auto& times = m_failures[key];
    times.push_back(now);
    while (times.size() > 1000)
        times.pop_front();
}

v1::LoginResult Accounts::login(const v1::Login& login, const std::string& address)
{
    v1::LoginResult result;
    const std::int64_t now = m_clock();
    const std::string userKey = "user:" + login.username();
    const std::string addrKey = "addr:" + address;
    {
        std::lock_guard lock(m_mutex);
        if (limited(userKey, m_config.auth.maxFailuresPerUser, now)
            || limited(addrKey, m_config.auth.maxFailuresPerAddress, now)) {
            logger()->warn("sign-in for '{}' from {} refused: too many failures", login.username(),
                           address);
            result.set_code("auth.locked");
            result.set_message("too many failed sign-ins; wait "
                               + std::to_string(m_config.auth.failureWindow.count() / 60)
                               + " minutes and try again");
            return result;
        }
    }

    auto user = m_store.findUser(login.username());
    // Verify against a fixed hash when the user is unknown so timing does not reveal who exists.
    static const std::string dummy = [this] {
        auto h = hashPassword("latch-not-a-real-password");
        return h ? *h : std::string();
    }();
    const std::string& hash = user ? user->passwordHash : dummy;
    const bool match = crypto_pwhash_str_verify(hash.c_str(), login.password().data(),
                                                login.password().size())
                       == 0;
    if (!user || !match || user->user.disabled()) {
        std::lock_guard lock(m_mutex);
        recordFailure(userKey, now);
        recordFailure(addrKey, now);
        logger()->warn("failed sign-in for '{}' from {}", login.username(), address);
        if (user && match && user->user.disabled()) {
            result.set_code("auth.disabled");
            result.set_message("this account is disabled; ask an administrator");
        } else {
            result.set_code("auth.failed");
            result.set_message("wrong user name or password");
        }
        return result;
    }

    SessionRecord session;
    const std::string token = "lt_" + randomToken(32);
    session.tokenHash = tokenHash(token);
    session.username = login.username();
    session.device = login.device();
    session.createdMs = now;
    session.expiresMs = now + std::chrono::duration_cast<std::chrono::milliseconds>(
                                  m_config.auth.tokenTtl).count();
    if (auto stored = m_store.insertSession(session); !stored) {
        result.set_code("server.store");
        result.set_message("the server could not store the session; try again");
        return result;
    }
    logger()->info("'{}' signed in from {}", login.username(), address);
    result.set_ok(true);
    result.set_token(token);
    result.set_expires_ms(session.expiresMs);
    return result;
}

Expected<Actor> Accounts::authenticate(const std::string& token)
{
    auto session = m_store.findSession(tokenHash(token));
    if (!session)
        return fail("auth.invalid", "the session token is not valid; sign in again");
    auto user = m_store.findUser(session->username);
    if (!user)
        return fail("auth.invalid", "the session's user no longer exists");
    // Disabling revokes every session too; say the reason that signing in again will not fix.
    if (user->user.disabled())
        return fail("auth.disabled", "this account is disabled; ask an administrator");
    if (session->revoked)
        return fail("auth.revoked", "the session was revoked; sign in again");
    if (session->expiresMs <= m_clock())
        return fail("auth.expired", "the session expired; sign in again");
    Actor actor;
    actor.id = user->user.username();
    actor.displayName = user->user.display_name();
    actor.roles.assign(user->user.roles().begin(), user->user.roles().end());
    return actor;
}

void Accounts::logout(const std::string& token)
{
    m_store.revokeSession(tokenHash(token));
}

Expected<bool> Accounts::checkRoles(const google::protobuf::RepeatedPtrField<std::string>& roles) const
{
    for (const auto& r : roles) {
        if (!m_config.hasRole(r))
            return fail("user.unknown_role", "there is no role named '" + r
                                                 + "' in the configuration");
    }
    return true;
}

void Accounts::audit(const std::string& actor, const std::string& action, const std::string& target,
                     const std::string& detail)
{
    v1::AdminAuditEntry entry;
    entry.set_time_ms(m_clock());
    entry.set_actor(actor);
    entry.set_action(action);
    entry.set_target(target);
    entry.set_detail(detail);
    m_store.appendAdminAudit(entry);
    logger()->info("admin: {} {} {} {}", actor, action, target, detail);
}

void Accounts::invalidatePeople()
{
    std::lock_guard lock(m_mutex);
    m_people.reset();
}

Expected<bool> Accounts::createUser(const std::string& actor, const std::string& username,
                                    const std::string& displayName,
                                    const std::vector<std::string>& roles,
                                    const std::string& password)
{
    if (!validUsername(username))
        return fail("user.bad_name", "a user name is 2 to 32 characters: a-z first, then a-z, 0-9, "
                                     "'.', '_' or '-'");
    google::protobuf::RepeatedPtrField<std::string> roleList(roles.begin(), roles.end());
    if (auto ok = checkRoles(roleList); !ok)
        return ok.failure();
    auto hash = hashPassword(password);
    if (!hash)
        return hash.failure();
    UserRecord record;
    record.user.set_id(username);
    record.user.set_username(username);
    record.user.set_display_name(displayName.empty() ? username : displayName);
    *record.user.mutable_roles() = roleList;
    record.passwordHash = *hash;
    if (auto ok = m_store.insertUser(record); !ok)
        return ok.failure();
    audit(actor, "user.create", username, "roles=" + joinRoles(roleList));
    invalidatePeople();
    return true;
}

v1::AdminResult Accounts::admin(const Actor& actor, const v1::AdminRequest& request)
{
    if (request.kind_case() == v1::AdminRequest::kListUsers) {
        v1::AdminResult r = adminOk("");
        for (const auto& u : people())
            *r.add_users() = u;
        return r;
    }
    if (!actor.isAdmin())
        return adminFail("auth.forbidden", "only an administrator can do this");

    auto load = [this](const std::string& username) { return m_store.findUser(username); };
    switch (request.kind_case()) {
    case v1::AdminRequest::kCreateUser: {
        const auto& c = request.create_user();
        auto ok = createUser(actor.id, c.username(), c.display_name(),
                             {c.roles().begin(), c.roles().end()}, c.password());
        if (!ok)
            return adminFail(ok.failure().code, ok.failure().message);
        return adminOk("created user " + c.username());
    }
    case v1::AdminRequest::kSetRoles: {
        const auto& s = request.set_roles();
        auto user = load(s.username());
        if (!user)
            return adminFail("user.unknown", "there is no user named '" + s.username() + "'");
        if (auto ok = checkRoles(s.roles()); !ok)
            return adminFail(ok.failure().code, ok.failure().message);
        const std::string before = joinRoles(user->user.roles());
        *user->user.mutable_roles() = s.roles();
        if (auto ok = m_store.updateUser(*user); !ok)
            return adminFail(ok.failure().code, ok.failure().message);
        audit(actor.id, "user.roles", s.username(), before + " -> " + joinRoles(s.roles()));
        invalidatePeople();
        return adminOk("roles of " + s.username() + " are now " + joinRoles(s.roles()));
    }
    case v1::AdminRequest::kSetPassword: {
        const auto& s = request.set_password();
        auto user = load(s.username());
        if (!user)
            return adminFail("user.unknown", "there is no user named '" + s.username() + "'");
        auto hash = hashPassword(s.password());
        if (!hash)
            return adminFail(hash.failure().code, hash.failure().message);
        user->passwordHash = *hash;
        if (auto ok = m_store.updateUser(*user); !ok)
            return adminFail(ok.failure().code, ok.failure().message);
        m_store.revokeSessions(s.username());
        audit(actor.id, "user.password", s.username(), "password set; sessions revoked");
        return adminOk("password of " + s.username() + " changed; their sessions were ended");
    }
    case v1::AdminRequest::kSetDisabled: {
        const auto& s = request.set_disabled();
        auto user = load(s.username());
        if (!user)
            return adminFail("user.unknown", "there is no user named '" + s.username() + "'");
        if (s.username() == actor.id && s.disabled())
            return adminFail("user.self", "you cannot disable your own account");
        user->user.set_disabled(s.disabled());
        if (auto ok = m_store.updateUser(*user); !ok)
            return adminFail(ok.failure().code, ok.failure().message);
        if (s.disabled())
            m_store.revokeSessions(s.username());
        audit(actor.id, s.disabled() ? "user.disable" : "user.enable", s.username(), "");
        invalidatePeople();
        return adminOk(s.username() + (s.disabled() ? " is disabled" : " is enabled"));
    }
    case v1::AdminRequest::kRevokeSessions: {
        const auto& s = request.revoke_sessions();
        if (!load(s.username()))
            return adminFail("user.unknown", "there is no user named '" + s.username() + "'");
        m_store.revokeSessions(s.username());
        audit(actor.id, "session.revoke", s.username(), "all sessions");
        return adminOk("every session of " + s.username() + " was ended");
    }
    case v1::AdminRequest::kListAdminAudit: {
        v1::AdminResult r = adminOk("");
        const auto limit = request.list_admin_audit().limit();
        for (auto& e : m_store.adminAudit(limit == 0 ? 100 : limit))
            *r.add_audit() = std::move(e);
        return r;
    }
    default:
        return adminFail("admin.unknown", "the admin request names no known action");
    }
}

std::vector<v1::User> Accounts::people()
{
    std::lock_guard lock(m_mutex);
    if (!m_people) {
        std::vector<v1::User> users;
        for (auto& record : m_store.listUsers())
            users.push_back(std::move(record.user));
        m_people = std::move(users);
    }
    return *m_people;
}

std::optional<Actor> Accounts::findActor(const std::string& username)
{
    for (const auto& u : people()) {
        if (u.username() == username && !u.disabled()) {
            Actor a;
            a.id = u.username();
            a.displayName = u.display_name();
            a.roles.assign(u.roles().begin(), u.roles().end());
            return a;
        }
    }
    return std::nullopt;
}

std::optional<std::string> Accounts::ensureAdmin()
{
    for (const auto& u : people()) {
        if (std::find(u.roles().begin(), u.roles().end(), "admin") != u.roles().end())
            return std::nullopt;
    }
    const std::string password = randomToken(12);
    auto ok = createUser("system", "admin", "Administrator", {"admin"}, password);
    if (!ok) {
        logger()->error("could not create the first administrator: {}", ok.failure().message);
        return std::nullopt;
    }
    return password;
}

} // namespace latch::core
