#pragma once
// Signs the audit log: a checkpoint at start, then every `interval` while the log grows, and one
// more at stop. What is signed is in Checkpoints (store/checkpoints.h). A failure to sign is
// logged each time it happens (critical when the history no longer matches what was signed).
//
// Threading: start() runs a thread of its own; issueNow() may be called from any thread.
#include "latch/expected.h"
#include "latch/signednote.h"
#include "store/checkpoints.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace latch::proof {

class Checkpointer {
public:
    Checkpointer(std::shared_ptr<store::Checkpoints> checkpoints, note::SigningKey key,
                 std::string origin, std::chrono::milliseconds interval);
    ~Checkpointer();

    void start();
    // Signs the log as it is now (or returns the newest checkpoint when it covers it).
    Expected<store::CheckpointRecord> issueNow();
    // Stops the thread after one last checkpoint.
    void stop();

private:
    void run();

    std::shared_ptr<store::Checkpoints> m_checkpoints;
    note::SigningKey m_key;
    std::string m_origin;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace latch::proof
