// latchctl login, logout, whoami.
#include "commands.h"
#include "context.h"
#include "jsonview.h"
#include "terminal.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace latch::cli {

namespace {

std::string deviceName()
{
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
        return "latchctl";
    return std::string("latchctl on ") + host;
}

std::string rolesText(const v1::User& user)
{
    std::string out;
    for (const auto& r : user.roles())
        out += (out.empty() ? "" : ", ") + r;
    return out.empty() ? "none" : out;
}

std::string userLabel(const v1::User& user)
{
    if (user.display_name().empty() || user.display_name() == user.username())
        return user.username();
    return user.username() + " (" + user.display_name() + ")";
}

int login(Context& ctx, const std::string& user, std::string password)
{
    const std::string server = ctx.serverUrl();
    if (password.empty()) {
        auto typed = promptPassword("Password for " + user + " at " + server + ": ");
        if (!typed)
            raise(typed.failure());
        password = *typed;
    }
    auto result = ctx.connect().login(user, password, deviceName());
    if (!result)
        raise(result.failure());
    Session session { server, result->token(), user, result->expires_ms() };
    if (auto saved = ctx.sessionFile().save(session); !saved)
        raise(saved.failure());

    // Hello with the new token on a fresh connection: proves it works and names the user.
    ctx.options().token = session.token;
    ctx.disconnect();
    ctx.authenticated();
    const auto& me = ctx.welcome().user();
    if (ctx.json()) {
        ctx.printJson({ { "server", server }, { "username", user }, { "user", toJson(me) },
            { "expires_ms", session.expiresMs }, { "session_file", ctx.sessionFile().path() } });
    } else {
        std::cout << "Logged in to " << server << " as " << userLabel(me)
                  << " — roles: " << rolesText(me) << ".\n"
                  << "Session saved in " << ctx.sessionFile().path() << ".\n";
    }
    return 0;
}

int logout(Context& ctx)
{
    const auto session = ctx.storedSession();
    if (!session && ctx.options().token.empty()) {
        if (ctx.json())
            ctx.printJson({ { "logged_out", false }, { "reason", "not logged in" } });
        else
            std::cout << "Not logged in; nothing to do.\n";
        return 0;
    }
    try {
        auto done = ctx.authenticated().logout();
        if (!done)
            raise(done.failure());
    } catch (const ExitError& e) {
        // An expired or revoked token needs no logout; anything else means the server still
        // honours the token, and the user must know.
        if (e.code != ExitCode::Auth) {
            ctx.sessionFile().remove();
            throw ExitError { e.code,
                e.message
                    + " — the session file was removed, but the server "
                      "was not told: the token stays valid until it "
                      "expires" };
        }
    }
    const bool removed = ctx.sessionFile().remove();
    if (ctx.json())
        ctx.printJson({ { "logged_out", true }, { "session_file_removed", removed } });
    else
        std::cout << "Logged out" << (session ? " of " + session->server : std::string())
                  << (removed ? "; removed " + ctx.sessionFile().path() : std::string()) << ".\n";
    return 0;
}

int whoami(Context& ctx)
{
    v1::Query q;
    q.mutable_who_am_i();
    const auto result = ctx.query(q);
    const v1::User& me = result.has_user() ? result.user() : ctx.welcome().user();
    if (ctx.json()) {
        ctx.printJson({ { "server", ctx.serverUrl() }, { "user", toJson(me) } });
    } else {
        std::cout << userLabel(me) << " on " << ctx.serverUrl() << " — roles: " << rolesText(me)
                  << '\n';
    }
    return 0;
}

} // namespace

void addSessionCommands(CLI::App& app, Context& ctx, Action& action)
{
    struct LoginOptions {
        std::string user;
        std::string password;
    };
    auto o = std::make_shared<LoginOptions>();
    auto* sub = app.add_subcommand("login", "Sign in and save the session for later commands");
    sub->add_option("user", o->user, "Username")->required();
    sub->add_option(
           "--password", o->password, "Password (else $LATCH_PASSWORD, else asked on the terminal)")
        ->envname("LATCH_PASSWORD");
    sub->callback(
        [&ctx, &action, o] { action = [&ctx, o] { return login(ctx, o->user, o->password); }; });

    app.add_subcommand("logout", "End the session on the server and forget it here")
        ->callback([&ctx, &action] { action = [&ctx] { return logout(ctx); }; });
    app.add_subcommand("whoami", "Show who the saved session (or --token) signs in as")
        ->callback([&ctx, &action] { action = [&ctx] { return whoami(ctx); }; });
}

} // namespace latch::cli
