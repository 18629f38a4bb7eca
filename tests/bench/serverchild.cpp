#include "serverchild.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/prctl.h>
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

    // fork + exec rather than posix_spawn, for PR_SET_PDEATHSIG: if latch-bench dies without
    // stopping it (a signal, a closed pipe), the server is sent SIGTERM instead of living on.
    // Between fork and exec only async-signal-safe calls: everything is prepared above.
    const std::string logPath = m_log.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("cannot start " + o.binary + ": " + std::strerror(errno));
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127); // the parent died before prctl took effect
        const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0)
            ::_exit(127);
        ::execve(o.binary.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
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
