#include "plugins/pluginhost.h"

#include "core/eachcase.h"

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

std::optional<std::vector<std::string>> PluginHost::runRoles(
    const v1::Case& c, const std::string& action) const
{
    Plugin* plugin = pluginFor(action.substr(0, action.find('.')));
    if (!plugin)
        return std::nullopt;
    if (auto roles = plugin->rolesFor(action))
        return roles;
    for (auto& spec : plugin->offers(c)) {
        if (spec.action == action)
            return std::move(spec.roles);
    }
    return std::nullopt;
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
                          enqueue({ e.case_id(), e, false, std::make_shared<RunControl>() });
                      else if (e.has_action_cancel_requested())
                          cancel(e);
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
            || !m_inFlight.emplace(job.requested.action_requested().idempotency_key(), job.control)
                    .second)
            return;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void PluginHost::cancel(const v1::Event& event)
{
    const auto& request = event.action_cancel_requested();
    std::shared_ptr<RunControl> control;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_inFlight.find(request.idempotency_key()); it != m_inFlight.end())
            control = it->second;
    }
    // A run not in flight here has a result already, or is resumed at the next start with the
    // cancel read from the case.
    if (!control)
        return;
    control->cancel(event.actor(), request.reason());
    spdlog::info("plugins: {} asked to cancel run {} of {}", event.actor(),
        request.idempotency_key(), request.action());
}

void PluginHost::resume()
{
    auto view = m_store.read();
    std::size_t resumed = 0;
    core::forEachCase(*view, [&](const v1::Case& c) {
        std::vector<std::uint64_t> owed;
        for (const auto& run : c.actions()) {
            if (run.state() == v1::ACTION_STATE_REQUESTED)
                owed.push_back(run.requested_seq());
        }
        if (owed.empty())
            return;
        std::vector<Job> jobs;
        std::map<std::string, v1::Event> cancels; // by key
        for (const auto& e : view->caseEvents(c.id())) {
            if (e.has_action_requested()
                && std::find(owed.begin(), owed.end(), e.seq()) != owed.end()) {
                auto control = std::make_shared<RunControl>();
                control->markResumed(); // the server that stopped may have sent its calls
                jobs.push_back({ c.id(), e, true, std::move(control) });
            } else if (e.has_action_cancel_requested()) {
                cancels.emplace(e.action_cancel_requested().idempotency_key(), e);
            }
        }
        for (auto& job : jobs) {
            const auto it = cancels.find(job.requested.action_requested().idempotency_key());
            if (it != cancels.end())
                job.control->cancel(it->second.actor(), it->second.action_cancel_requested().reason());
            enqueue(std::move(job));
            ++resumed;
        }
    });
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
        if (job.control->canceled() && !job.control->callMade()) {
            // Canceled while it waited for a worker: nothing was sent, the plugin is not called.
            finished.set_action(requested.action());
            finished.set_idempotency_key(requested.idempotency_key());
            finished.set_state(v1::ACTION_STATE_FAILED);
            finished.set_code("action.canceled");
            finished.set_message("canceled before it started; nothing was sent");
        } else {
            ++m_started;
            spdlog::info("plugins: running {} on case {} (key {})", requested.action(),
                job.caseId, requested.idempotency_key());
            finished = plugin->run(
                { *c, requested, job.requested.time_ms(), &m_stopping, job.resumed, job.control.get() });
            if (finished.state() == v1::ACTION_STATE_UNSPECIFIED)
                return; // stopping: resumed at the next start, with the same key
        }
        if (finished.code() == "action.canceled") {
            const std::string reason = job.control->cancelReason();
            finished.set_canceled_by(job.control->canceledBy());
            finished.set_message("canceled by " + job.control->canceledBy()
                + (reason.empty() ? std::string() : " (" + reason + ")") + ": "
                + finished.message());
        }
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
