#pragma once
// What every latchctl command shares: the global options, the session file, one connection to the
// server (opened on first use) and the mapping from failures to exit codes.
//
// Commands end early by throwing ExitError; main() prints it as "latchctl: <sentence>" on stderr
// and exits with its code. That keeps each command a straight line of "ask, check, print".
#include "client.h"
#include "latch.pb.h"
#include "sessionfile.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace latch::cli {

// The documented exit codes (docs/latchctl.md).
enum class ExitCode : int {
    Ok = 0,
    Usage = 1, // bad arguments or input, e.g. an amount that does not parse
    Refused = 2, // the server refused: a rule, a precondition, visibility, not found
    Auth = 3, // no session, bad or expired token, wrong password
    Unreachable = 4, // cannot reach or talk to the server: connect, TLS, protocol
};

struct ExitError {
    ExitCode code = ExitCode::Usage;
    std::string message;
};

ExitCode exitCodeFor(const std::string& failureCode);
[[noreturn]] void raise(const Failure& failure, const std::string& hint = {});
[[noreturn]] void usageError(const std::string& message);

inline constexpr const char* kDefaultServer = "ws://127.0.0.1:7443/sync";

struct GlobalOptions {
    std::string server; // --server or LATCH_SERVER; empty: the session's, else kDefaultServer
    std::string token; // --token or LATCH_TOKEN; empty: the session's
    bool json = false;
    std::string caFile;
    bool insecure = false;
};

class Context {
public:
    Context();
    ~Context();

    GlobalOptions& options() { return m_options; }
    bool json() const { return m_options.json; }
    bool color() const;

    SessionFile& sessionFile() { return m_sessionFile; }
    std::optional<Session> storedSession();
    std::string serverUrl();

    // A connection with no session yet (login).
    Client& connect();
    // A connection that said Hello with the token (live=false unless asked); auth failures become
    // exit code 3 with a hint to log in.
    Client& authenticated(bool live = false, std::uint64_t cursor = 0);
    const v1::Welcome& welcome() const { return m_welcome; }
    void disconnect();

    v1::QueryResult query(v1::Query query);
    v1::CommandResult command(v1::Command command);

    // A full case id from the full id or a unique prefix of at least 8 characters.
    std::string resolveCase(const std::string& reference);

    // Prints a command's result (and, when accepted, the case as it is now); returns the exit
    // code: 0 when accepted, 2 (or 3 for auth codes) when refused.
    int finishCommand(const v1::CommandResult& result, const std::string& done);

    void printJson(const nlohmann::json& json) const;

private:
    GlobalOptions m_options;
    SessionFile m_sessionFile;
    std::optional<std::optional<Session>> m_session;
    std::unique_ptr<Client> m_client;
    v1::Welcome m_welcome;
};

} // namespace latch::cli
