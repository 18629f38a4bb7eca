#include "context.h"

#include "jsonview.h"
#include "latch/ids.h"
#include "render.h"
#include "terminal.h"

#include <algorithm>
#include <cctype>
#include <iostream>

namespace latch::cli {

namespace {

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

const std::string kLoginHint = "run `latchctl login USER` (or set LATCH_TOKEN)";

} // namespace

ExitCode exitCodeFor(const std::string& code)
{
    if (code == "client.url" || code == "client.usage" || startsWith(code, "money.")
        || startsWith(code, "input."))
        return ExitCode::Usage;
    if (code == "client.session" || code == "client.no_session")
        return ExitCode::Auth;
    if (startsWith(code, "client.") || startsWith(code, "protocol."))
        return ExitCode::Unreachable;
    // Being signed in but not allowed is a refusal, not an authentication problem.
    if (code == "auth.forbidden" || code == "auth.permission" || code == "auth.not_admin")
        return ExitCode::Refused;
    if (startsWith(code, "auth.") || startsWith(code, "login."))
        return ExitCode::Auth;
    return ExitCode::Refused;
}

void raise(const Failure& failure, const std::string& hint)
{
    std::string message = failure.message;
    if (!hint.empty())
        message += " — " + hint;
    throw ExitError { exitCodeFor(failure.code), message };
}

void usageError(const std::string& message)
{
    throw ExitError { ExitCode::Usage, message };
}

Context::Context() = default;
Context::~Context() = default;

bool Context::color() const
{
    return !m_options.json && colorOutput();
}

std::optional<Session> Context::storedSession()
{
    if (!m_session) {
        auto loaded = m_sessionFile.load();
        if (!loaded)
            raise(loaded.failure());
        m_session = *loaded;
    }
    return *m_session;
}

std::string Context::serverUrl()
{
    if (!m_options.server.empty())
        return m_options.server;
    if (const auto session = storedSession(); session && !session->server.empty())
        return session->server;
    return kDefaultServer;
}

Client& Context::connect()
{
    if (m_client && m_client->connected())
        return *m_client;
    if (m_options.insecure)
        std::cerr << "latchctl: warning: --insecure: the server's TLS certificate is not checked; "
                     "anyone on the network path could pose as the server\n";
    ClientOptions options;
    options.caFile = m_options.caFile;
    options.insecure = m_options.insecure;
    m_client = std::make_unique<Client>(options);
    if (auto done = m_client->connect(serverUrl()); !done)
        raise(done.failure());
    return *m_client;
}

void Context::disconnect()
{
    if (m_client)
        m_client->close();
    m_client.reset();
}

Client& Context::authenticated(bool live, std::uint64_t cursor)
{
    std::string token = m_options.token;
    const std::string server = serverUrl();
    if (token.empty()) {
        const auto session = storedSession();
        if (!session || session->token.empty())
            raise(fail("client.no_session", "not logged in"), kLoginHint);
        // A token is only ever sent to the server that issued it.
        if (!session->server.empty() && session->server != server)
            raise(fail("client.no_session",
                      "not logged in to " + server
                          + " (the saved session is "
                            "for "
                          + session->server + ")"),
                "run `latchctl --server " + server + " login USER`");
        token = session->token;
    }
    Client& client = connect();
    auto welcome = client.hello(token, live, cursor, "latchctl");
    if (!welcome)
        raise(welcome.failure(),
            exitCodeFor(welcome.failure().code) == ExitCode::Auth ? kLoginHint : std::string());
    m_welcome = *welcome;
    return client;
}

v1::QueryResult Context::query(v1::Query query)
{
    Client& client = m_client && m_client->connected() ? *m_client : authenticated();
    auto result = client.query(std::move(query));
    if (!result)
        raise(result.failure());
    // Admin requests carry their own verdict inside an ok query result.
    if (result->has_admin() && !result->admin().ok() && !result->admin().code().empty())
        raise(fail(result->admin().code(), result->admin().message()));
    return *result;
}

v1::CommandResult Context::command(v1::Command command)
{
    Client& client = m_client && m_client->connected() ? *m_client : authenticated();
    auto result = client.command(std::move(command));
    if (!result)
        raise(result.failure());
    return *result;
}

std::string Context::resolveCase(const std::string& reference)
{
    std::string ref = reference;
    std::transform(ref.begin(), ref.end(), ref.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (isUuid(ref))
        return ref;
    const bool plausible = std::all_of(ref.begin(), ref.end(),
        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'; });
    if (!plausible)
        usageError("\"" + reference
            + "\" is not a case id — give the id `latchctl case list` "
              "shows (at least its first 8 characters)");
    if (ref.size() < 8)
        usageError("case id prefix \"" + reference
            + "\" is too short — give at least 8 "
              "characters, or the full id");
    v1::Query q;
    q.mutable_list_cases(); // every case I may see; limit 0 means no limit
    const auto result = query(q);
    std::vector<std::string> matches;
    for (const auto& c : result.cases())
        if (startsWith(c.id(), ref))
            matches.push_back(c.id());
    if (matches.empty())
        raise(fail("case.not_found", "no case you can see has an id starting with " + reference),
            "`latchctl case list` shows the cases you can see");
    if (matches.size() > 1) {
        std::string list;
        for (std::size_t i = 0; i < matches.size() && i < 5; ++i)
            list += (i ? ", " : "") + matches[i];
        usageError("\"" + reference + "\" matches " + std::to_string(matches.size()) + " cases ("
            + list + ") — give more characters");
    }
    return matches.front();
}

int Context::finishCommand(const v1::CommandResult& result, const std::string& done)
{
    std::optional<v1::Case> after;
    if (result.accepted() && !result.case_id().empty()) {
        v1::Query q;
        q.mutable_get_case()->set_case_id(result.case_id());
        // The command may have taken the case out of our view (assigned away): that is fine.
        if (auto found = m_client->query(q); found && found->cases_size() > 0)
            after = found->cases(0);
    }
    if (json()) {
        auto out = toJson(result);
        if (after)
            out["case"] = toJson(*after);
        printJson(out);
    } else if (result.accepted()) {
        std::cout << done << ": " << result.case_id();
        if (after) {
            std::cout << " — " << statusName(after->status());
            if (!after->rule().empty())
                std::cout << " (rule " << after->rule() << ")";
        }
        if (result.replayed())
            std::cout << " [replayed: this --command-id was already applied; nothing new was "
                         "recorded]";
        std::cout << '\n';
    }
    if (result.accepted())
        return static_cast<int>(ExitCode::Ok);
    std::cerr << "latchctl: refused: " << result.message();
    if (!result.code().empty())
        std::cerr << " [" << result.code() << "]";
    std::cerr << '\n';
    return static_cast<int>(exitCodeFor(result.code()));
}

void Context::printJson(const nlohmann::json& json) const
{
    std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

} // namespace latch::cli
