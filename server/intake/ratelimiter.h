#pragma once
// Counts events per key (a form and a client address) in fixed one-minute windows and says
// whether one more is within the limit. Memory stays bounded: keys whose window has passed are
// dropped when the table grows past a few thousand entries, and a full table of live keys refuses
// new ones rather than grow (a flood from many addresses cannot exhaust memory).
//
// Threading: any thread; a mutex guards the table.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace latch::intake {

class RateLimiter {
public:
    explicit RateLimiter(std::int64_t windowMs = 60'000, std::size_t maxKeys = 10'000);

    // Counts one event for `key` at `nowMs`; false when that makes more than `limit` in the
    // current window (the event is still counted, so hammering does not help).
    bool allow(const std::string& key, std::uint32_t limit, std::int64_t nowMs);

private:
    struct Window {
        std::int64_t startMs = 0;
        std::uint32_t count = 0;
    };

    std::int64_t m_windowMs;
    std::size_t m_maxKeys;
    std::mutex m_mutex;
    std::unordered_map<std::string, Window> m_windows;
};

} // namespace latch::intake
