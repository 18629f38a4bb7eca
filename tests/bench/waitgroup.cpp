#include "waitgroup.h"

namespace latch::bench {

void WaitGroup::add(std::size_t n)
{
    std::lock_guard lock(m_mutex);
    m_pending += n;
}

void WaitGroup::done(std::exception_ptr error)
{
    std::lock_guard lock(m_mutex);
    if (error) {
        ++m_failures;
        if (m_firstError.empty()) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                m_firstError = e.what();
            } catch (...) {
                m_firstError = "unknown exception";
            }
        }
    }
    if (--m_pending == 0)
        m_done.notify_all();
}

std::function<void(std::exception_ptr)> WaitGroup::handler()
{
    return [this](std::exception_ptr error) { done(error); };
}

void WaitGroup::wait()
{
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_pending == 0; });
}

bool WaitGroup::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_done.wait_for(lock, timeout, [this] { return m_pending == 0; });
}

std::size_t WaitGroup::failures() const
{
    std::lock_guard lock(m_mutex);
    return m_failures;
}

std::string WaitGroup::firstError() const
{
    std::lock_guard lock(m_mutex);
    return m_firstError;
}

} // namespace latch::bench
