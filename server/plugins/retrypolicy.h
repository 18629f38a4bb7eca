#pragma once
// Bounded retries with exponential back-off and full jitter, for plugin calls. The caller decides
// what is retryable (network trouble, 5xx, 429; never another 4xx); this counts attempts, sleeps
// between them (honouring a server's Retry-After when it asks for longer) and stops early when
// the server shuts down.
//
// Threading: one per run, used by one thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace latch::plugins {

class RetryPolicy {
public:
    RetryPolicy(std::uint32_t maxAttempts, std::chrono::milliseconds base,
        const std::atomic<bool>* stopping,
        std::chrono::milliseconds cap = std::chrono::seconds(30));

    // Also stop (next() and wait() say false) once `flag` is set: a canceled run.
    void stopAlsoOn(const std::atomic<bool>* flag) { m_alsoStop = flag; }

    // Starts the next attempt: false once maxAttempts are used or the server is stopping.
    bool next();
    std::uint32_t attempts() const { return m_attempts; }

    // Sleeps before the next attempt: a random time up to base * 2^(attempts-1) (at most cap),
    // or `hint` when that is longer, and never past `deadline`. False when stopping, or when the
    // deadline came first.
    bool wait(std::chrono::milliseconds hint,
        std::chrono::steady_clock::time_point deadline
        = std::chrono::steady_clock::time_point::max());

    // A Retry-After header (delay-seconds) as a duration; 0 when absent or unreadable.
    static std::chrono::milliseconds retryAfter(const std::string& header);

private:
    bool stopping() const
    {
        return (m_stopping && m_stopping->load()) || (m_alsoStop && m_alsoStop->load());
    }

    std::uint32_t m_max;
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
    const std::atomic<bool>* m_stopping;
    const std::atomic<bool>* m_alsoStop = nullptr;
    std::uint32_t m_attempts = 0;
    std::minstd_rand m_random;
};

} // namespace latch::plugins
