#include "intake/ratelimiter.h"

namespace latch::intake {

RateLimiter::RateLimiter(std::int64_t windowMs, std::size_t maxKeys)
    : m_windowMs(windowMs)
    , m_maxKeys(maxKeys)
{
}

bool RateLimiter::allow(const std::string& key, std::uint32_t limit, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    auto it = m_windows.find(key);
    if (it == m_windows.end()) {
        if (m_windows.size() >= m_maxKeys) {
            for (auto old = m_windows.begin(); old != m_windows.end();) {
                if (nowMs - old->second.startMs >= m_windowMs)
                    old = m_windows.erase(old);
                else
                    ++old;
            }
            if (m_windows.size() >= m_maxKeys)
                return false;
        }
        it = m_windows.emplace(key, Window { nowMs, 0 }).first;
    }
    Window& window = it->second;
    if (nowMs - window.startMs >= m_windowMs)
        window = Window { nowMs, 0 };
    if (window.count < UINT32_MAX)
        ++window.count;
    return window.count <= limit;
}

} // namespace latch::intake
