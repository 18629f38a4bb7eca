#pragma once
// A plugin that is an executable of its own, in any language, speaking latch-plugin/1 on its
// stdin and stdout (docs/plugin-protocol.md). Every executable in plugins.external.dir becomes
// one, named by its handshake.
//
// Processes: one long-lived process answers offers and plan, one request at a time under a mutex
// (both are quick and pure); every run gets a fresh process of its own, ended once it has
// answered. A slow run never holds up the writer thread's offers, runs go side by side, and a
// run that crashes or hangs takes nothing else with it.
//
// Containment: a process that crashes, does not answer in time (call_timeout_ms for offers and
// plan, run_timeout_ms for a run), writes garbage or an oversized frame is stopped (SIGTERM, then
// SIGKILL after a grace, on a reaper thread so nobody waits for it) and logged with a stable code
// (plugin.crashed, plugin.timeout, plugin.protocol). The offers/plan process is started again on
// the next call, but no sooner than restart_backoff_ms after the failure, doubling with each
// failure in a row up to a minute: meanwhile the plugin offers nothing and plans fail with
// plugin.unavailable at once, so a broken plugin costs the writer at most one time-out per
// back-off. A run that fails this way is recorded `failed` when the request never reached the
// plugin (nothing can have been sent) and `unknown` once it had (the plugin may have acted).
//
// Secrets: the values of the variables named under secret_env are passed in the environment and
// redacted from its stderr in the log (and, through secrets(), from everything recorded). A plan
// or offer that contains one is refused. The process gets no other part of the server's
// environment than PATH, HOME, LANG, LC_ALL, TZ and TMPDIR.
//
// Threading: offers()/plan() from the writer and query threads, each bounded by call_timeout_ms
// in all (waiting for the mutex included); run() from host workers, several at once.
#include "core/config.h"
#include "plugins/plugin.h"
#include "plugins/pluginprocess.h"
#include "plugins/processreaper.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace latch::plugins {

class ExternalPlugin final : public Plugin {
public:
    // Starts every executable in config.dir and keeps those that complete the handshake. One
    // that fails to start, speaks another protocol or takes a name in `reservedNames` (or one an
    // earlier file took) is refused with a log line and skipped. Fails, and the server should
    // not start, when the directory cannot be read, a settings entry names no executable in it,
    // or a secret variable is not set. An empty dir: no plugins.
    static Expected<std::vector<std::unique_ptr<ExternalPlugin>>> discover(
        const core::ExternalPluginsConfig& config, const std::vector<std::string>& reservedNames);

    ~ExternalPlugin() override;
    ExternalPlugin(const ExternalPlugin&) = delete;
    ExternalPlugin& operator=(const ExternalPlugin&) = delete;

    std::string name() const override { return m_name; }
    std::vector<core::ActionSpec> offers(const v1::Case& c) const override;
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string& action) const override;
    v1::ActionFinished run(const RunRequest& request) override;
    std::vector<std::string> secrets() const override { return m_secrets; }

    const std::string& path() const { return m_options.path; }
    const std::string& version() const { return m_version; }

private:
    using Clock = PluginProcess::Clock;

    ExternalPlugin(PluginProcess::Options options, const core::ExternalPluginsConfig& config,
        core::ExternalPluginSettings settings, std::vector<std::string> secrets,
        std::unique_ptr<PluginProcess> process);

    // One request to the offers/plan process, started first if need be; `read` turns its result
    // into a T or fails with plugin.protocol. Call with m_mutex free.
    template <typename T, typename Read>
    Expected<T> ask(const std::string& method, nlohmann::json params, Read read) const;
    // Stops the offers/plan process after `failure` and schedules its restart. m_mutex held.
    Failure fault(Failure failure) const;
    Failure pluginError(const Failure& error) const; // its own code, under its name
    bool containsSecret(const std::string& text) const;

    PluginProcess::Options m_options;
    std::chrono::milliseconds m_callTimeout;
    std::chrono::milliseconds m_runTimeout;
    std::chrono::milliseconds m_startTimeout;
    std::chrono::milliseconds m_restartBackoff;
    core::ExternalPluginSettings m_settings;
    std::vector<std::string> m_secrets;
    std::string m_name;
    std::string m_version;

    mutable ProcessReaper m_reaper; // declared first of the mutable state: outlives m_query
    mutable std::timed_mutex m_mutex; // guards everything below
    mutable std::unique_ptr<PluginProcess> m_query; // answers offers and plan; null when down
    mutable std::vector<std::string> m_actions; // as its latest handshake declared them
    mutable unsigned m_failures = 0; // in a row
    mutable Clock::time_point m_retryAt {};
    mutable std::string m_lastFailure; // the code, for messages while it is down
};

} // namespace latch::plugins
