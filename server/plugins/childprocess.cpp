#include "plugins/childprocess.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace latch::plugins {

namespace {

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

bool setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string describe(const siginfo_t& info)
{
    if (info.si_code == CLD_EXITED)
        return "exited with status " + std::to_string(info.si_status);
    const char* name = ::strsignal(info.si_status);
    return "was killed by signal " + std::to_string(info.si_status)
        + (name ? " (" + std::string(name) + ")" : std::string());
}

// Owns the spawn attributes for the length of one posix_spawn call.
struct SpawnSetup {
    posix_spawn_file_actions_t actions {};
    posix_spawnattr_t attr {};
    SpawnSetup()
    {
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawnattr_init(&attr);
    }
    ~SpawnSetup()
    {
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

} // namespace

Expected<std::unique_ptr<ChildProcess>> ChildProcess::spawn(
    const std::string& path, const std::vector<std::string>& env, const std::string& workDir)
{
    // Every descriptor is close-on-exec: the child gets exactly its three streams, and a plugin
    // spawned meanwhile from another thread inherits none of these.
    int in[2] = { -1, -1 };
    int out[2] = { -1, -1 };
    int err[2] = { -1, -1 };
    auto cleanup = [&] {
        for (int* fd : { &in[0], &in[1], &out[0], &out[1], &err[0], &err[1] })
            closeFd(*fd);
    };
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0
        || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        cleanup();
        return fail("plugin.spawn", path + ": cannot make its pipes: " + std::strerror(e));
    }

    SpawnSetup setup;
    ::posix_spawn_file_actions_adddup2(&setup.actions, in[1], 0);
    ::posix_spawn_file_actions_adddup2(&setup.actions, out[1], 1);
    ::posix_spawn_file_actions_adddup2(&setup.actions, err[1], 2);
    ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    if (!workDir.empty())
        ::posix_spawn_file_actions_addchdir_np(&setup.actions, workDir.c_str());
    sigset_t mask;
    sigemptyset(&mask);
    ::posix_spawnattr_setsigmask(&setup.attr, &mask);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig :
        { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM })
        sigaddset(&defaults, sig);
    ::posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    ::posix_spawnattr_setpgroup(&setup.attr, 0);
    ::posix_spawnattr_setflags(
        &setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> argv { const_cast<char*>(path.c_str()), nullptr };
    std::vector<char*> envp;
    for (const auto& entry : env)
        envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int rc
        = ::posix_spawn(&pid, path.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
    closeFd(in[1]);
    closeFd(out[1]);
    closeFd(err[1]);
    if (rc != 0) {
        cleanup();
        return fail("plugin.spawn", path + ": cannot start it: " + std::strerror(rc));
    }
    std::unique_ptr<ChildProcess> child(new ChildProcess());
    child->m_pid = pid;
    child->m_in = in[0];
    child->m_out = out[0];
    child->m_err = err[0];
    if (!setNonBlocking(child->m_in) || !setNonBlocking(child->m_out)
        || !setNonBlocking(child->m_err))
        return fail("plugin.spawn", path + ": cannot set up its pipes: " + std::strerror(errno));
    return child;
}

ChildProcess::~ChildProcess()
{
    reap();
    closeFd(m_in);
    closeFd(m_out);
    closeFd(m_err);
}

void ChildProcess::closeInput()
{
    closeFd(m_in);
}

void ChildProcess::closeErrors()
{
    closeFd(m_err);
}

void ChildProcess::terminate()
{
    if (m_pid > 0 && !m_ended)
        ::kill(-m_pid, SIGTERM);
}

std::optional<std::string> ChildProcess::ended(std::chrono::milliseconds wait)
{
    if (m_ended || m_pid <= 0)
        return m_ended;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        // WNOWAIT leaves it a zombie: its pid (and so its group id) cannot be reused until
        // reap(), so signalling the group stays safe.
        siginfo_t info {};
        if (::waitid(P_PID, id_t(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0
            && info.si_pid == m_pid) {
            m_ended = describe(info);
            return m_ended;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void ChildProcess::reap()
{
    if (m_pid <= 0)
        return;
    // The group may outlive its leader (a script's children): it goes too.
    ::kill(-m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
    m_pid = -1;
}

} // namespace latch::plugins
