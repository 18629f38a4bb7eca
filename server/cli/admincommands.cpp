// latchctl user ... and audit admin: the admin requests (Query{admin: AdminRequest}).
#include "commands.h"
#include "context.h"
#include "jsonview.h"
#include "render.h"
#include "terminal.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace latch::cli {

namespace {

struct UserOptions {
    std::string user;
    std::string name;
    std::vector<std::string> roles;
    std::string password;
    std::uint32_t limit = 50;
};

v1::AdminResult admin(Context& ctx, v1::AdminRequest request)
{
    v1::Query q;
    *q.mutable_admin() = std::move(request);
    const auto result = ctx.query(q);
    if (!result.admin().ok())
        raise(fail(result.admin().code().empty() ? "admin.refused" : result.admin().code(),
            result.admin().message().empty() ? "the server refused the request"
                                             : result.admin().message()));
    return result.admin();
}

// A new password from --password or, failing that, asked twice on the terminal.
std::string newPassword(const std::string& given, const std::string& user)
{
    if (!given.empty())
        return given;
    auto first = promptPassword("New password for " + user + ": ");
    if (!first)
        raise(first.failure());
    auto second = promptPassword("Again: ");
    if (!second)
        raise(second.failure());
    if (*first != *second)
        usageError("the two passwords differ; nothing was changed");
    return *first;
}

// Prints a mutation's outcome: the server's sentence, or ours when it sent none.
int reportChange(Context& ctx, const v1::AdminResult& result, const std::string& done)
{
    if (ctx.json()) {
        auto users = nlohmann::json::array();
        for (const auto& u : result.users())
            users.push_back(toJson(u));
        ctx.printJson({ { "ok", true }, { "message", result.message() }, { "users", users } });
    } else {
        std::cout << (result.message().empty() ? done : result.message()) << '\n';
    }
    return 0;
}

int listUsers(Context& ctx)
{
    v1::AdminRequest r;
    r.mutable_list_users();
    const auto result = admin(ctx, r);
    std::vector<v1::User> users(result.users().begin(), result.users().end());
    if (ctx.json()) {
        auto out = nlohmann::json::array();
        for (const auto& u : users)
            out.push_back(toJson(u));
        ctx.printJson(out);
    } else {
        printUsers(std::cout, users);
    }
    return 0;
}

int addUser(Context& ctx, const UserOptions& o)
{
    v1::AdminRequest r;
    auto* create = r.mutable_create_user();
    create->set_username(o.user);
    create->set_display_name(o.name);
    for (const auto& role : o.roles)
        create->add_roles(role);
    create->set_password(newPassword(o.password, o.user));
    return reportChange(ctx, admin(ctx, r), "Created user " + o.user + ".");
}

int setRoles(Context& ctx, const UserOptions& o)
{
    v1::AdminRequest r;
    r.mutable_set_roles()->set_username(o.user);
    for (const auto& role : o.roles)
        r.mutable_set_roles()->add_roles(role);
    return reportChange(ctx, admin(ctx, r), "Set the roles of " + o.user + ".");
}

int setPassword(Context& ctx, const UserOptions& o)
{
    v1::AdminRequest r;
    r.mutable_set_password()->set_username(o.user);
    r.mutable_set_password()->set_password(newPassword(o.password, o.user));
    return reportChange(ctx, admin(ctx, r), "Changed the password of " + o.user + ".");
}

int setDisabled(Context& ctx, const UserOptions& o, bool disabled)
{
    v1::AdminRequest r;
    r.mutable_set_disabled()->set_username(o.user);
    r.mutable_set_disabled()->set_disabled(disabled);
    return reportChange(ctx, admin(ctx, r), (disabled ? "Disabled " : "Enabled ") + o.user + ".");
}

int revokeSessions(Context& ctx, const UserOptions& o)
{
    v1::AdminRequest r;
    r.mutable_revoke_sessions()->set_username(o.user);
    return reportChange(ctx, admin(ctx, r), "Revoked every session of " + o.user + ".");
}

int adminAudit(Context& ctx, const UserOptions& o)
{
    v1::AdminRequest r;
    r.mutable_list_admin_audit()->set_limit(o.limit);
    const auto result = admin(ctx, r);
    std::vector<v1::AdminAuditEntry> entries(result.audit().begin(), result.audit().end());
    if (ctx.json()) {
        auto out = nlohmann::json::array();
        for (const auto& e : entries)
            out.push_back(toJson(e));
        ctx.printJson(out);
    } else if (entries.empty()) {
        std::cout << "No admin changes recorded.\n";
    } else {
        printAudit(std::cout, entries);
    }
    return 0;
}

CLI::App* userSub(CLI::App* parent, const char* name, const char* help, UserOptions& o)
{
    auto* sub = parent->add_subcommand(name, help);
    sub->add_option("user", o.user, "Username")->required();
    return sub;
}

CLI::Option* addRoles(CLI::App* sub, UserOptions& o)
{
    return sub->add_option("--role", o.roles, "A role (repeat for several)")
        ->required()
        ->allow_extra_args(false);
}

} // namespace

void addAdminCommands(CLI::App& app, Context& ctx, Action& action)
{
    auto o = std::make_shared<UserOptions>();
    auto* user = app.add_subcommand("user", "Manage users (admin)");
    user->require_subcommand(1);
    const auto bind = [&ctx, &action, o](CLI::App* sub, int (*fn)(Context&, const UserOptions&)) {
        sub->callback([&ctx, &action, o, fn] { action = [&ctx, o, fn] { return fn(ctx, *o); }; });
    };

    user->add_subcommand("list", "List every user, their roles and whether they are disabled")
        ->callback([&ctx, &action] { action = [&ctx] { return listUsers(ctx); }; });

    auto* add = userSub(user, "add", "Create a user", *o);
    add->add_option("--name", o->name, "Display name, e.g. \"M. Kim\"")->required();
    addRoles(add, *o);
    add->add_option("--password", o->password, "Initial password (else asked on the terminal)");
    bind(add, addUser);

    auto* roles = userSub(user, "roles", "Replace a user's roles", *o);
    addRoles(roles, *o);
    bind(roles, setRoles);

    auto* passwd = userSub(user, "passwd", "Set a user's password", *o);
    passwd->add_option("--password", o->password, "New password (else asked on the terminal)");
    bind(passwd, setPassword);

    bind(userSub(user, "disable", "Stop a user from signing in (ends their sessions)", *o),
        [](Context& c, const UserOptions& u) { return setDisabled(c, u, true); });
    bind(userSub(user, "enable", "Let a disabled user sign in again", *o),
        [](Context& c, const UserOptions& u) { return setDisabled(c, u, false); });
    bind(userSub(user, "revoke", "End every session (token) of a user", *o), revokeSessions);

    auto* audit = app.add_subcommand("audit", "Read audit records");
    audit->require_subcommand(1);
    auto* adminAuditCmd = audit->add_subcommand("admin", "Admin changes: users, roles, sessions");
    adminAuditCmd->add_option("--limit", o->limit, "Newest N entries (default 50)");
    bind(adminAuditCmd, adminAudit);
    addAuditEventsCommand(*audit, ctx, action);
}

} // namespace latch::cli
