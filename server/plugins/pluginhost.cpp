#include "plugins/pluginhost.h"

#include <chrono>
#include <future>
#include <spdlog/spdlog.h>

namespace latch::plugins {

PluginHost::PluginHost(core::Service& service, core::Store& store, unsigned workers)
    : m_service(service)
    , m_store(store)
    , m_workerCount(workers == 0 ? 1 : workers)
{
}

PluginHost::~PluginHost()
{
    stop();
}

void PluginHost::add(std::unique_ptr<Plugin> plugin)
{
    m_plugins.push_back(std::move(plugin));
}

Plugin* PluginHost::pluginFor(const std::string& name) const
{
    for (const auto& p : m_plugins) {
        if (p->name() == name)
            return p.get();
    }
    return nullptr;
}

std::vector<core::ActionSpec> PluginHost::offers(const v1::Case& c) const
{
    std::vector<core::ActionSpec> all;
    for (const auto& p : m_plugins) {
        for (auto& spec : p->offers(c))
            all.push_back(std::move(spec));
    }
    return all;
}

Expected<core::PlannedAction> PluginHost::plan(const v1::Case& c, const std::string& action) const
{
    // Actions are "<plugin>.<verb>".
    Plugin* plugin = pluginFor(action.substr(0, action.find('.')));
    if (!plugin)
        return fail("action.unavailable", "no plugin on this server offers " + action);
    return plugin->plan(c, action);
}

void PluginHost::start()
{
    m_stopping = false;
    m_listener
        = m_service.addListener([this](const std::shared_ptr<const core::CommittedBatch>& batch) {
              for (const auto& change : batch->changes) {
                  for (const auto& e : change.events) {
                      if (e.has_action_requested())
                          enqueue({ e.case_id(), e });
                  }
              }
          });
    for (unsigned i = 0; i < m_workerCount; ++i)
        m_workers.emplace_back([this] { work(); });
    resume();
}

void PluginHost::requestStop()
{
    m_stopping = true;
    m_wake.notify_all();
}

void PluginHost::stop()
{
    if (m_listener) {
        m_service.removeListener(m_listener);
        m_listener = 0;
    }
    requestStop();
    for (auto& t : m_workers)
        t.join();
    m_workers.clear();
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_inFlight.clear();
}

void PluginHost::enqueue(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping
            || !m_inFlight.insert(job.requested.action_requested().idempotency_key()).second)
            return;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void PluginHost::resume()
{
    auto view = m_store.read();
    std::string after;
    std::size_t resumed = 0;
    for (;;) {
        const auto page = view->casesPage(after, 500);
        if (page.empty())
            break;
        for (const auto& c : page) {
            std::vector<std::uint64_t> owed;
            for (const auto& run : c.actions()) {
                if (run.state() == v1::ACTION_STATE_REQUESTED)
                    owed.push_back(run.requested_seq());
            }
            if (owed.empty())
                continue;
            for (const auto& e : view->caseEvents(c.id())) {
                if (e.has_action_requested()
                    && std::find(owed.begin(), owed.end(), e.seq()) != owed.end()) {
                    enqueue({ c.id(), e, true });
                    ++resumed;
                }
            }
        }
        after = page.back().id();
    }
    if (resumed)
        spdlog::info("plugins: resuming {} action run(s) left without a result", resumed);
}

void PluginHost::work()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        try {
            runJob(job);
        } catch (const std::exception& e) {
            spdlog::error("plugins: run {} failed unexpectedly: {}",
                job.requested.action_requested().idempotency_key(), e.what());
        }
        std::lock_guard lock(m_mutex);
        m_inFlight.erase(job.requested.action_requested().idempotency_key());
    }
}

std::string PluginHost::redact(std::string text) const
{
    for (const auto& p : m_plugins) {
        for (const auto& secret : p->secrets()) {
            if (secret.empty())
                continue;
            // Search on after each replacement, never inside it: a secret that is part of
            // "[redacted]" would otherwise be found there again for ever.
            static constexpr std::string_view kMark = "[redacted]";
            for (auto at = text.find(secret); at != std::string::npos;
                 at = text.find(secret, at + kMark.size()))
                text.replace(at, secret.size(), kMark);
        }
    }
    return text;
}

void PluginHost::runJob(const Job& job)
{
    const auto& requested = job.requested.action_requested();
    Plugin* plugin = pluginFor(requested.plugin());
    v1::ActionFinished finished;
    if (!plugin) {
        // The config no longer enables the plugin that was asked: say so on the case rather
        // than leave the run owed for ever. Nothing was sent.
        finished.set_action(requested.action());
        finished.set_idempotency_key(requested.idempotency_key());
        finished.set_state(v1::ACTION_STATE_FAILED);
        finished.set_code("action.unavailable");
        finished.set_message("plugin " + requested.plugin()
            + " is not enabled on this server any more; nothing was sent");
    } else {
        auto c = m_store.read()->loadCase(job.caseId);
        if (!c)
            return;
        ++m_started;
        spdlog::info("plugins: running {} on case {} (key {})", requested.action(), job.caseId,
            requested.idempotency_key());
        finished
            = plugin->run({ *c, requested, job.requested.time_ms(), &m_stopping, job.resumed });
        if (finished.state() == v1::ACTION_STATE_UNSPECIFIED)
            return; // stopping: resumed at the next start, with the same key
    }
    finished.set_request(redact(finished.request()));
    finished.set_response(redact(finished.response()));
    finished.set_message(redact(finished.message()));

    v1::Command command;
    command.set_command_id("action-result-" + requested.idempotency_key());
    auto* record = command.mutable_record_action();
    record->set_case_id(job.caseId);
    *record->mutable_finished() = finished;
    core::Actor actor { "plugin:" + requested.plugin(), requested.plugin(), {} };
    auto done = std::make_shared<std::promise<v1::CommandResult>>();
    auto result = done->get_future();
    m_service.submit(actor, command, [done](const v1::CommandResult& r) { done->set_value(r); });
    // A server stopping meanwhile may never answer; the run is then resumed at the next start
    // and, with the same key, the external system answers it as before.
    for (int slice = 0;
         result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready; ++slice) {
        if (m_stopping || slice == 300) {
            spdlog::warn("plugins: the result of {} was not recorded; it is resumed at the next "
                         "start",
                requested.idempotency_key());
            return;
        }
    }
    const auto r = result.get();
    if (!r.accepted() && r.code() != "action.already_recorded")
        spdlog::error("plugins: recording the result of {} was refused: {} {}",
            requested.idempotency_key(), r.code(), r.message());
    else
        spdlog::info("plugins: {} on case {} ended {} {}", requested.action(), job.caseId,
            v1::ActionState_Name(finished.state()), finished.code());
}

} // namespace latch::plugins
