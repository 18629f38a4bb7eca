#pragma once
// The state every connection shares (chat-multi's shared_state): the registry of open connections,
// the one listener registered with the core that fans committed batches out to live sessions, the
// accepting/stopping flag, and the counters later exported as metrics.
//
// Threading: every method is thread-safe. The registry is guarded by a mutex that is never held
// while calling into a connection: fan-out and shutdown copy the weak_ptrs under the lock and act
// after releasing it. Owned by shared_ptr (Server, and every connection).
#include "core/service.h"
#include "core/webhook.h"
#include "net/connection.h"
#include "net/transport.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace latch::net {

struct HubCounters {
    std::atomic<std::uint64_t> connectionsTotal{0};   // accepted TCP connections, ever
    std::atomic<std::uint64_t> webSocketsTotal{0};    // completed WebSocket handshakes, ever
    std::atomic<std::uint64_t> framesIn{0};
    std::atomic<std::uint64_t> framesOut{0};
    std::atomic<std::uint64_t> slowConsumersDropped{0};
    std::atomic<std::uint64_t> protocolErrors{0};     // connections closed for a bad frame
};

class Hub : public std::enable_shared_from_this<Hub> {
public:
    // `blocking`: where slow core calls run (see offload()); it must outlive every connection's
    // I/O, which Server guarantees by owning it.
    Hub(core::Service& service, asio::any_io_executor blocking);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    core::Service& service() { return m_service; }
    const asio::any_io_executor& blocking() const { return m_blocking; }
    const core::Limits& limits() const { return m_service.config().limits; }

    // Registers the core listeners (batches, account changes); detach() removes them (idempotent).
    void attach();
    void detach();

    std::uint64_t join(std::weak_ptr<Connection> connection);
    void leave(std::uint64_t id);
    // From now on the connection receives every committed batch (it filters them itself).
    void subscribe(std::uint64_t id);

    // false once the server stops accepting: /readyz answers 503, new commands are not taken.
    bool accepting() const { return m_accepting.load(); }
    void setAccepting(bool accepting) { m_accepting.store(accepting); }

    // Asks every open connection to shut down.
    void shutdownAll();

    // Webhook endpoints on the HTTP port; set before the first connection, read-only after.
    void setWebhooks(std::vector<std::shared_ptr<const core::Webhook>> webhooks)
    {
        m_webhooks = std::move(webhooks);
    }
    // The webhook that serves `path` (Webhook::serves), the first added wins; null when none.
    const core::Webhook* webhookFor(std::string_view path) const;

    std::size_t openConnections() const;
    std::size_t liveSessions() const;
    HubCounters& counters() { return m_counters; }

private:
    void broadcast(const std::shared_ptr<const core::CommittedBatch>& batch);
    void notifyAccount(const std::string& username);

    struct Entry {
        std::weak_ptr<Connection> connection;
        bool live = false;
    };

    core::Service& m_service;
    asio::any_io_executor m_blocking;
    mutable std::mutex m_mutex;
    std::unordered_map<std::uint64_t, Entry> m_entries;
    std::uint64_t m_nextId = 1;
    std::optional<std::uint64_t> m_listenerId;
    std::optional<std::uint64_t> m_accountListenerId;
    std::atomic<bool> m_accepting{false};
    HubCounters m_counters;
    std::vector<std::shared_ptr<const core::Webhook>> m_webhooks;
};

} // namespace latch::net
