#pragma once
// One open client connection as the hub sees it: something that can be told, from any thread, to
// shut down, and (for live WebSocket sessions) to take a committed batch. Implementations only
// post to their own strand from these calls; the hub holds them by weak_ptr.
#include "core/service.h"

#include <memory>
#include <string>

namespace latch::net {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    virtual ~Connection() = default;
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Server shutdown: WebSockets close with going_away, HTTP connections are closed. Thread-safe.
    virtual void shutdown() = 0;
    // A batch the writer committed. Called on the writer thread; must only post. Thread-safe.
    virtual void deliver(const std::shared_ptr<const core::CommittedBatch>& batch) {}
    // An administrator changed this account (roles, password, disabled, sessions revoked).
    // Called on the thread that made the change; must only post. Thread-safe.
    virtual void accountChanged(const std::string& username) {}
};

} // namespace latch::net
