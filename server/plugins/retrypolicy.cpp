#include "plugins/retrypolicy.h"

#include <algorithm>
#include <charconv>
#include <thread>

namespace latch::plugins {

RetryPolicy::RetryPolicy(std::uint32_t maxAttempts, std::chrono::milliseconds base,
    const std::atomic<bool>* stopping, std::chrono::milliseconds cap)
    : m_max(maxAttempts)
    , m_base(base)
    , m_cap(cap)
    , m_stopping(stopping)
    , m_random(std::random_device {}())
{
}

bool RetryPolicy::next()
{
    if (m_attempts >= m_max || stopping())
        return false;
    ++m_attempts;
    return true;
}

bool RetryPolicy::wait(
    std::chrono::milliseconds hint, std::chrono::steady_clock::time_point deadline)
{
    using namespace std::chrono;
    const int shift = int(std::min<std::uint32_t>(m_attempts == 0 ? 0 : m_attempts - 1, 20));
    const auto ceiling = std::min<milliseconds>(m_cap, m_base * (std::int64_t(1) << shift));
    std::uniform_int_distribution<std::int64_t> pick(ceiling.count() / 2, ceiling.count());
    auto delay = std::max(milliseconds(pick(m_random)), hint);
    const auto until = std::min(steady_clock::now() + delay, deadline);
    // Sleeps in short slices so a shutdown is not held up by a long back-off.
    while (steady_clock::now() < until) {
        if (stopping())
            return false;
        std::this_thread::sleep_for(
            std::min<steady_clock::duration>(milliseconds(50), until - steady_clock::now()));
    }
    return !stopping() && steady_clock::now() < deadline;
}

std::chrono::milliseconds RetryPolicy::retryAfter(const std::string& header)
{
    std::uint64_t seconds = 0;
    const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
    if (header.empty() || ec != std::errc() || end != header.data() + header.size())
        return std::chrono::milliseconds(0);
    return std::chrono::seconds(std::min<std::uint64_t>(seconds, 300));
}

} // namespace latch::plugins
