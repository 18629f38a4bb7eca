#pragma once
// One running copy of an external plugin, speaking latch-plugin/1 (docs/plugin-protocol.md) over
// its stdin and stdout: started and greeted by start(), then asked one request at a time by
// call(), each bounded by a deadline. What it writes to stderr goes to the server log line by
// line, as "plugin <name>[<pid>]: ...", with the plugin's secrets redacted.
//
// A failed call leaves the process unusable (dead() is true); the owner hands it to finish() and
// starts a new one. Failure codes: plugin.timeout (no answer by the deadline), plugin.crashed (it
// exited or closed its stdout), plugin.protocol (garbage, an oversized frame, an answer of the
// wrong shape or id), plugin.stopping (the server is shutting down); plugin.too_large when a
// request would not fit in a frame (nothing is sent; the process stays usable).
//
// Threading: used by one thread at a time; the owner serialises calls. finish() may run on
// another thread once nobody calls any more.
#include "latch/expected.h"
#include "plugins/childprocess.h"
#include "plugins/framecodec.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace latch::plugins {

class ProcessReaper;

// What a plugin says about itself when greeted.
struct PluginHello {
    std::string protocol; // "latch-plugin/1"
    std::string name; // "ticket": its actions are "ticket.<verb>"
    std::string version; // the plugin's own version, for the log
    std::vector<std::string> actions; // every action it may ever offer
};

class PluginProcess {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr const char* kProtocol = "latch-plugin/1";

    struct Options {
        std::string path; // the executable
        std::string label; // for log lines until the plugin has named itself
        std::vector<std::string> env; // its whole environment, "NAME=value"
        std::string workDir;
        std::size_t maxFrameBytes = 1 << 20;
        std::chrono::milliseconds grace { 1000 }; // to exit after end-of-file, then after SIGTERM
        std::vector<std::string> secrets; // redacted from its stderr
        nlohmann::json hello = nlohmann::json::object(); // extra hello params (limits)
    };

    // The plugin's answer: `result`, or the error it chose to give (its code and sentence).
    struct Answer {
        nlohmann::json result;
        std::optional<Failure> error;
    };

    // Spawns the executable and greets it; fails with plugin.spawn, plugin.timeout,
    // plugin.crashed, plugin.protocol, plugin.version (it speaks no protocol this server does) or
    // plugin.refused (it declined the hello). A process refused is handed to `reaper`.
    static Expected<std::unique_ptr<PluginProcess>> start(Options options,
        Clock::time_point deadline, ProcessReaper& reaper,
        const std::atomic<bool>* stopping = nullptr);
    ~PluginProcess();
    PluginProcess(const PluginProcess&) = delete;
    PluginProcess& operator=(const PluginProcess&) = delete;

    const PluginHello& hello() const { return m_hello; }
    pid_t pid() const { return m_child->pid(); }
    bool dead() const { return m_dead; }

    // Sends {"id", "method", "params"} and waits for the answer with the same id. `delivered`
    // (when given) says whether the whole request reached the plugin, even when the call failed.
    Expected<Answer> call(const std::string& method, nlohmann::json params,
        Clock::time_point deadline, const std::atomic<bool>* stopping = nullptr,
        bool* delivered = nullptr);

    // SIGTERM now, for a process that misbehaved; finish() then waits only the grace.
    void abort();
    // Ends it: end-of-file and the grace to exit (or, after abort(), just the grace), then
    // SIGKILL; logs its last stderr lines and how it ended. Blocks for at most twice the grace.
    void finish();

private:
    explicit PluginProcess(Options options, std::unique_ptr<ChildProcess> child);
    Expected<Answer> fault(Failure failure); // marks it dead
    std::string crashDescription();
    void readErrors(bool toEnd = false);
    void logErrorLine(std::string line) const;

    Options m_options;
    std::unique_ptr<ChildProcess> m_child;
    FrameCodec m_codec;
    PluginHello m_hello;
    std::string m_label;
    std::string m_errLine; // a stderr line not yet ended
    bool m_skipLine = false; // dropping the rest of an over-long stderr line
    std::uint64_t m_nextId = 1;
    bool m_dead = false;
    bool m_aborted = false;
    bool m_finished = false;
};

} // namespace latch::plugins
