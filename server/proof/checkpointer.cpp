#include "proof/checkpointer.h"

#include <spdlog/spdlog.h>

namespace latch::proof {

namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

Checkpointer::Checkpointer(std::shared_ptr<store::Checkpoints> checkpoints, note::SigningKey key,
                           std::string origin, std::chrono::milliseconds interval)
    : m_checkpoints(std::move(checkpoints))
    , m_key(std::move(key))
    , m_origin(std::move(origin))
    , m_interval(interval)
{
}

Checkpointer::~Checkpointer()
{
    stop();
}

void Checkpointer::start()
{
    m_thread = std::thread([this] { run(); });
}

Expected<store::CheckpointRecord> Checkpointer::issueNow()
{
    auto issued = m_checkpoints->issue(m_key, m_origin, nowMs());
    if (!issued)
        spdlog::log(issued.failure().code == "proof.inconsistent" ? spdlog::level::critical
                                                                  : spdlog::level::err,
                    "proof: no checkpoint: {}", issued.failure().message);
    return issued;
}

void Checkpointer::run()
{
    for (;;) {
        if (auto issued = issueNow())
            spdlog::debug("proof: checkpoint #{} signs {} events", issued->id, issued->size);
        std::unique_lock lock(m_mutex);
        if (m_stopping)
            return; // that was the last one
        // Woken early by stop(): round once more to sign what the last commits added.
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
    }
}

void Checkpointer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join(); // it signs once more on the way out
}

} // namespace latch::proof
