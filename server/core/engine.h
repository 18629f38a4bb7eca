#pragma once
// The single writer. Commands from every connection are queued here and applied strictly in order
// by one thread; whatever has queued up while the previous batch was being written is decided and
// committed together in one transaction (group commit: many commands, one fsync). The global seq is
// assigned here, in commit order, so a sync cursor can never skip an event.
//
// Threading: submit() is thread-safe. Results and committed batches are delivered on the writer
// thread, after the batch is durable.
#include "core/actioncatalog.h"
#include "core/actor.h"
#include "core/config.h"
#include "core/service.h"
#include "core/store.h"
#include "latch.pb.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include <mutex>
#include <optional>
#include <thread>

namespace latch::core {

class Accounts;

class Engine {
public:
    using Done = std::function<void(const v1::CommandResult&)>;
    using BatchListener = std::function<void(const std::shared_ptr<const CommittedBatch>&)>;

    Engine(const Config& config, Store& store, Accounts& accounts, Clock clock);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void setBatchListener(BatchListener listener); // before start()
    void setActionCatalog(const ActionCatalog* catalog) { m_actions = catalog; } // before start()
    void start();
    void stop(); // applies everything already queued, then joins the writer

    void submit(const Actor& actor, const v1::Command& command, Done done);
    // Convenience for seeding and tests: submits and waits for the result.
    v1::CommandResult submitAndWait(const Actor& actor, const v1::Command& command);

    std::uint64_t maxBatch() const { return m_maxBatch; }
    std::uint64_t batchesCommitted() const { return m_batches; }

private:
    struct Item {
        Actor actor;
        v1::Command command;
        Done done;
    };

    void run();
    void applyBatch(std::deque<Item>& items);

    const Config& m_config;
    Store& m_store;
    const ActionCatalog* m_actions = nullptr;
    Accounts& m_accounts;
    Clock m_clock;
    BatchListener m_listener;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    std::thread m_thread;

    std::uint64_t m_nextSeq = 1;
    std::int64_t m_lastTimeMs = 0;
    std::uint64_t m_maxBatch = 0;
    std::uint64_t m_batches = 0;
};

} // namespace latch::core
