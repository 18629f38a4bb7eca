#pragma once
// Lets the main thread wait for coroutines running on the client threads: add() before spawning,
// and use handler() as co_spawn's completion token. The first exception is kept for the report.
//
// Threading: every method is thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>

namespace latch::bench {

class WaitGroup {
public:
    void add(std::size_t n = 1);
    void done(std::exception_ptr error);
    // The completion handler for co_spawn (void coroutines).
    std::function<void(std::exception_ptr)> handler();

    void wait();
    // false when the time ran out first.
    bool waitFor(std::chrono::milliseconds timeout);

    std::size_t failures() const;
    std::string firstError() const; // "" when nothing failed

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_done;
    std::size_t m_pending = 0;
    std::size_t m_failures = 0;
    std::string m_firstError;
};

} // namespace latch::bench
