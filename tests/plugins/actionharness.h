#pragma once
// Helpers the plugin suites share: a config file built from the sample config plus a plugins
// section, and protocol steps against a running latch-server (a command as a demo user, a query,
// the timeline as admin, waiting for a run's result). Every demo user's password is latch-demo.
#include "latch.pb.h"

#include <QString>
#include <optional>
#include <string>
#include <vector>

class ServerProcess;

namespace actionharness {

// resources/config/latch.yaml with `pluginsYaml` (a "plugins:" section, say) appended, written to
// `path`; a top-level section it gives replaces the sample's own (intake:). "" when it could not
// be written.
QString writeConfig(const QString& path, const QString& pluginsYaml);

// Signs in as `user` and sends the command (a fresh command id when it has none).
std::optional<latch::v1::CommandResult> as(
    const ServerProcess& server, const QString& user, latch::v1::Command command);
std::optional<latch::v1::QueryResult> query(
    const ServerProcess& server, const QString& user, latch::v1::Query query);

// Creates a case as `user`; "" when refused.
std::string createCase(const ServerProcess& server, const QString& user, const std::string& type,
    const std::string& title, const std::string& customer, std::int64_t minor,
    const std::vector<std::pair<std::string, std::string>>& fields = {});
bool markReady(const ServerProcess& server, const QString& user, const std::string& caseId);
bool approve(const ServerProcess& server, const QString& user, const std::string& caseId);

// Asks for `action` on the case as `user`.
latch::v1::CommandResult run(const ServerProcess& server, const QString& user,
    const std::string& caseId, const std::string& action, const std::string& planHash = {});
// The plan `user` would be shown; failed results carry the code.
std::optional<latch::v1::QueryResult> plan(const ServerProcess& server, const QString& user,
    const std::string& caseId, const std::string& action);

std::vector<latch::v1::Event> timeline(const ServerProcess& server, const std::string& caseId);
// As admin: every case's count (-1 when the query failed), and one case (empty when not found).
int caseCount(const ServerProcess& server);
latch::v1::Case loadCase(const ServerProcess& server, const std::string& caseId);
// The case's first action_finished event, waiting up to `timeoutMs` for it.
std::optional<latch::v1::ActionFinished> waitFinished(
    const ServerProcess& server, const std::string& caseId, int timeoutMs = 20000);

} // namespace actionharness
