#include "plugins/processreaper.h"

#include "plugins/pluginprocess.h"

namespace latch::plugins {

ProcessReaper::ProcessReaper()
    : m_thread([this] { work(); })
{
}

ProcessReaper::~ProcessReaper()
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void ProcessReaper::dispose(std::unique_ptr<PluginProcess> process)
{
    if (!process)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(process));
    }
    m_wake.notify_one();
}

void ProcessReaper::work()
{
    for (;;) {
        std::unique_ptr<PluginProcess> process;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_closing || !m_queue.empty(); });
            if (m_queue.empty())
                return; // closing, and nothing left to end
            process = std::move(m_queue.front());
            m_queue.pop_front();
        }
        process->finish();
    }
}

} // namespace latch::plugins
