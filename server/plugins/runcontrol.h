#pragma once
// What one run shares with the host while it runs: whether someone asked to cancel it, and whether
// a call that could make the external system act has gone out. A plugin calls beginCall() right
// before each such call; a cancel and a call are ordered under one lock, so a cancel either comes
// first (the call is not made) or finds the call made (and cannot un-send it).
//
// Threading: every member is thread-safe. Owned by the host (shared with the running job).
#include <atomic>
#include <mutex>
#include <string>

namespace latch::plugins {

class RunControl {
public:
    // Asks the run to stop; `by` is the user who asked. The first cancel counts.
    void cancel(const std::string& by, const std::string& reason);
    bool canceled() const { return m_canceled.load(); }
    // For waits that end early on a cancel (RetryPolicy::stopAlsoOn).
    const std::atomic<bool>* cancelFlag() const { return &m_canceled; }

    // Right before a call that could make the external system act: false when the run was
    // canceled (the call must not be made); true records that a call is going out.
    bool beginCall();
    // A call went out, or may have: in this process, or in an earlier one (markResumed()).
    bool callMade() const;
    // The run was started by an earlier server process: calls may have gone out before the stop.
    void markResumed();

    std::string canceledBy() const;
    std::string cancelReason() const;

private:
    mutable std::mutex m_mutex;
    std::atomic<bool> m_canceled { false };
    bool m_callMade = false;
    std::string m_by;
    std::string m_reason;
};

} // namespace latch::plugins
