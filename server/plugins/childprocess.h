#pragma once
// One child process started from an executable, for the external plugins: no arguments, exactly
// the environment given (never the server's own, which holds other plugins' secrets), the working
// directory given, a process group of its own (so a shell script's children go with it), default
// signal dispositions, and no descriptor of the server's except its three standard streams:
// stdin is one end of a socket pair (so writing to a child that died is an EPIPE, never a
// SIGPIPE that would take the server down), stdout and stderr are pipes. The server's ends are
// non-blocking; the caller polls them.
//
// Threading and ownership: owns the process and its descriptors; used by one thread at a time.
// The destructor kills what is still running (the whole group, SIGKILL) and reaps it; the owner
// gives it the chance to exit first (closeInput, terminate, ended).
#include "latch/expected.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace latch::plugins {

class ChildProcess {
public:
    // `env` as "NAME=value" entries.
    static Expected<std::unique_ptr<ChildProcess>> spawn(
        const std::string& path, const std::vector<std::string>& env, const std::string& workDir);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }
    int input() const { return m_in; } // write with send(..., MSG_NOSIGNAL)
    int output() const { return m_out; }
    int errors() const { return m_err; }
    void closeInput(); // the child reads end-of-file
    void closeErrors(); // once its stderr has ended

    // SIGTERM to the group: asks a misbehaving child to stop now.
    void terminate();
    // How it ended ("exited with status 3", "was killed by signal 9 (Killed)") once it has,
    // waiting at most `wait`; nullopt while it still runs. Does not reap it.
    std::optional<std::string> ended(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

private:
    ChildProcess() = default;
    void reap(); // SIGKILL to the group, then waitpid

    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    int m_err = -1;
    std::optional<std::string> m_ended;
};

} // namespace latch::plugins
