#pragma once
// Ends plugin processes off the caller's thread. A plugin that failed during a call on the
// server's writer thread gets SIGTERM there (at once), but the grace before SIGKILL, reaping it
// and logging its last words happen here, so the writer never waits for a process to die.
//
// Threading: dispose() from any thread. One worker thread; the destructor finishes every process
// handed over, then joins it.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace latch::plugins {

class PluginProcess;

class ProcessReaper {
public:
    ProcessReaper();
    ~ProcessReaper();
    ProcessReaper(const ProcessReaper&) = delete;
    ProcessReaper& operator=(const ProcessReaper&) = delete;

    void dispose(std::unique_ptr<PluginProcess> process);

private:
    void work();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::unique_ptr<PluginProcess>> m_queue;
    bool m_closing = false;
    std::thread m_thread;
};

} // namespace latch::plugins
