#pragma once
// Runs plugin actions around the core. As the ActionCatalog it tells the core which actions apply
// and what they would send. After the core has recorded an action_requested (durably, before any
// external call), the host runs it on a worker thread and records how it ended as a RecordAction
// command from "plugin:<name>", through the same command path as users. The result's command id
// is derived from the run's idempotency key, so a result is recorded once however often the run
// is repeated. At start it resumes every run that was requested but has no result (a crash or a
// stop in between), with the same key.
//
// Cancels: an action_cancel_requested reaches the run's RunControl. A run canceled before its
// plugin was called is recorded failed ("action.canceled") without calling it; a running one is
// the plugin's to stop (see Plugin::run). A resumed run may have sent calls before the stop, so
// its plugin is always asked.
//
// Secrets (API keys) are replaced by "[redacted]" in everything recorded.
//
// Threading: start()/stop() from the main thread; offers()/plan() from any thread; runs on its
// own workers. Must outlive the Service's writer (stop() it after Service::stop()).
#include "core/actioncatalog.h"
#include "core/service.h"
#include "core/store.h"
#include "plugins/plugin.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace latch::plugins {

class PluginHost final : public core::ActionCatalog {
public:
    PluginHost(core::Service& service, core::Store& store, unsigned workers = 4);
    ~PluginHost() override;
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    void add(std::unique_ptr<Plugin> plugin); // before start()
    bool empty() const { return m_plugins.empty(); }

    // Listens for requested runs and resumes the ones left without a result.
    void start();
    // Stops taking runs; runs in flight give up at their next wait and are resumed at next start.
    // requestStop() only asks (safe from a signal handler's strand); stop() also joins.
    void requestStop();
    void stop();

    std::vector<core::ActionSpec> offers(const v1::Case& c) const override;
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string& action) const override;
    std::optional<std::vector<std::string>> runRoles(
        const v1::Case& c, const std::string& action) const override;

    // Runs started and results recorded since start (for tests and metrics).
    std::uint64_t runsStarted() const { return m_started; }

private:
    struct Job {
        std::string caseId;
        v1::Event requested; // the action_requested event
        bool resumed = false; // left without a result by an earlier start
        std::shared_ptr<RunControl> control;
    };

    Plugin* pluginFor(const std::string& name) const;
    void enqueue(Job job);
    void cancel(const v1::Event& event);
    void resume();
    void work();
    void runJob(const Job& job);
    std::string redact(std::string text) const;

    core::Service& m_service;
    core::Store& m_store;
    unsigned m_workerCount;
    std::vector<std::unique_ptr<Plugin>> m_plugins;
    std::uint64_t m_listener = 0;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    // Runs queued or running, by idempotency key.
    std::map<std::string, std::shared_ptr<RunControl>> m_inFlight;
    std::vector<std::thread> m_workers;
    std::atomic<bool> m_stopping { false };
    std::atomic<std::uint64_t> m_started { 0 };
};

} // namespace latch::plugins
