#include "plugins/runcontrol.h"

namespace latch::plugins {

void RunControl::cancel(const std::string& by, const std::string& reason)
{
    std::lock_guard lock(m_mutex);
    if (m_canceled.load())
        return;
    m_by = by;
    m_reason = reason;
    m_canceled.store(true);
}

bool RunControl::beginCall()
{
    std::lock_guard lock(m_mutex);
    if (m_canceled.load())
        return false;
    m_callMade = true;
    return true;
}

bool RunControl::callMade() const
{
    std::lock_guard lock(m_mutex);
    return m_callMade;
}

void RunControl::markResumed()
{
    std::lock_guard lock(m_mutex);
    m_callMade = true;
}

std::string RunControl::canceledBy() const
{
    std::lock_guard lock(m_mutex);
    return m_by;
}

std::string RunControl::cancelReason() const
{
    std::lock_guard lock(m_mutex);
    return m_reason;
}

} // namespace latch::plugins
