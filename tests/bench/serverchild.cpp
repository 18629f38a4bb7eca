#include "serverchild.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace latch::bench {

namespace {

using namespace std::chrono_literals;

std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& overrides)
{
    std::vector<std::string> prefixes;
    prefixes.reserve(overrides.size());
    for (const auto& [name, value] : overrides)
        prefixes.push_back(name + "=");
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) {
        const std::string_view entry(*e);
        bool replaced = false;
        for (const auto& prefix : prefixes)
            replaced = replaced || entry.rfind(prefix, 0) == 0;
        if (!replaced)
            out.emplace_back(entry);
    }
    for (std::size_t i = 0; i < overrides.size(); ++i)
        out.push_back(prefixes[i] + overrides[i].second);
    return out;
}

std::vector<char*> pointersTo(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

} // namespace

ServerChild::ServerChild(const Options& o)
    : m_log(o.dir / "server.log")
{
    std::vector<std::string> args { o.binary, "--demo", "--data", (o.dir / "data").string(),
        "--listen", "127.0.0.1:0", "--config", o.config.string(), "--log-level", o.logLevel };
    if (o.threads > 0) {
        args.emplace_back("--threads");
        args.push_back(std::to_string(o.threads));
    }
    std::vector<std::string> envText = childEnvironment(o.environment);
    std::vector<char*> argv = pointersTo(args);
    std::vector<char*> envp = pointersTo(envText);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string logPath = m_log.string();
    posix_spawn_file_actions_addopen(
        &actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    const int error
        = posix_spawn(&pid, o.binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
        throw std::runtime_error("cannot start " + o.binary + ": " + std::strerror(error));
    m_pid = pid;

    static const std::regex listening(R"(listening on (ws://127\.0\.0\.1:\d+/sync))");
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(m_log);
        std::stringstream text;
        text << in.rdbuf();
        std::smatch match;
        const std::string output = text.str();
        if (std::regex_search(output, match, listening)) {
            m_url = match[1];
            return;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = 0;
            throw std::runtime_error("latch-server exited at start:\n" + output);
        }
        std::this_thread::sleep_for(50ms);
    }
    stop();
    throw std::runtime_error("latch-server did not start listening within 60 s");
}

ServerChild::~ServerChild()
{
    stop();
}

void ServerChild::stop()
{
    if (m_pid <= 0)
        return;
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = 0;
}

} // namespace latch::bench
