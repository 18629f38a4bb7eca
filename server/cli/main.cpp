// latchctl: the admin and scripting client of latch-server. See docs/latchctl.md.
#include "commands.h"
#include "context.h"

#include <CLI/CLI.hpp>
#include <google/protobuf/stubs/common.h>
#include <iostream>

int main(int argc, char** argv)
{
    GOOGLE_PROTOBUF_VERIFY_VERSION;
    using namespace latch::cli;

    Context ctx;
    CLI::App app { "latchctl: cases, approvals and users on a latch-server, from the shell",
        "latchctl" };
    app.require_subcommand(1);
    app.fallthrough(); // global options may follow the subcommand: `latchctl case list --json`
    auto& o = ctx.options();
    app.add_option("--server", o.server,
           std::string("Server address (default: the saved session's, else ") + kDefaultServer
               + ")")
        ->envname("LATCH_SERVER");
    app.add_option("--token", o.token, "Session token instead of the saved session")
        ->envname("LATCH_TOKEN");
    app.add_flag("--json", o.json, "Print JSON instead of tables and text");
    app.add_option("--ca", o.caFile, "Extra CA certificate (PEM) to trust for wss://");
    app.add_flag("--insecure", o.insecure, "Do not verify the server's TLS certificate (testing)");

    Action action;
    addSessionCommands(app, ctx, action);
    addAdminCommands(app, ctx, action);
    addCaseCommands(app, ctx, action);
    addViewCommands(app, ctx, action);
    addTriageCommands(app, ctx, action);
    addProofCommands(app, ctx, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
            return app.exit(e); // --help
        std::cerr << "latchctl: " << e.what() << " — see `latchctl --help`\n";
        return static_cast<int>(ExitCode::Usage);
    }
    if (!action) {
        std::cerr << "latchctl: no command given — see `latchctl --help`\n";
        return static_cast<int>(ExitCode::Usage);
    }
    try {
        return action();
    } catch (const ExitError& e) {
        std::cerr << "latchctl: " << e.message << '\n';
        return static_cast<int>(e.code);
    } catch (const std::exception& e) {
        std::cerr << "latchctl: unexpected error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::Unreachable);
    }
}
