#pragma once
// The latchctl command tree. Each add* function registers its subcommands on the CLI11 app; when
// one of them is chosen, its callback stores the work in `action`, which main() runs after parsing
// (so parse errors and command failures are reported the same way, with the documented codes).
#include <functional>

namespace CLI {
class App;
}

namespace latch::cli {

class Context;
using Action = std::function<int()>;

void addSessionCommands(CLI::App& app, Context& ctx, Action& action); // login, logout, whoami
void addAdminCommands(CLI::App& app, Context& ctx, Action& action); // user ..., audit admin
void addAuditEventsCommand(CLI::App& audit, Context& ctx, Action& action); // audit events
void addCaseCommands(CLI::App& app, Context& ctx, Action& action); // case create/note/set/...
void addTriageCommands(CLI::App& app, Context& ctx, Action& action); // triage accept/override/
                                                                     // train/eval
void addViewCommands(CLI::App& app, Context& ctx, Action& action); // case list/show, timeline,
                                                                   // rules check, watch
void addProofCommands(CLI::App& app, Context& ctx, Action& action); // export, verify

} // namespace latch::cli
