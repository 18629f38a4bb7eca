#pragma once
// latch-server's network front: one port speaking HTTP/1.1 (/healthz, /readyz, the webhooks
// added with addWebhook()) and the sync protocol over WebSocket at /sync, TLS on every
// connection when the config names a certificate.
//
// Shutdown, in this order (see server/main.cpp):
//   server.stop();     // stop accepting; /readyz says 503; new commands are no longer taken
//   service.stop();    // the core finishes queued commands; their results reach the sessions
//   server.closeAll(); // every WebSocket closes with 1001 going_away (after what is queued for
//                      // it), HTTP connections close
// after which the io_context runs out of work and ioc.run() returns (each close handshake is
// bounded by limits.handshakeTimeout). The io_context must outlive service.stop(): command
// results are posted to it.
//
// Threading: start() before the io_context runs; stop() and closeAll() from any thread. Slow
// core calls (password login, snapshots, queries) run on a small pool owned here, never on the
// io_context's threads. Destroy the Server after ioc.run() has returned and before the Service.
#include "core/service.h"
#include "core/webhook.h"
#include "latch/expected.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace latch::net {

class Hub;
class Listener;

struct ServerStats {
    std::uint64_t openConnections = 0;
    std::uint64_t liveSessions = 0;
    std::uint64_t connectionsTotal = 0;
    std::uint64_t webSocketsTotal = 0;
    std::uint64_t framesIn = 0;
    std::uint64_t framesOut = 0;
    std::uint64_t slowConsumersDropped = 0;
    std::uint64_t protocolErrors = 0;
};

class Server {
public:
    Server(core::Service& service, boost::asio::io_context& ioc);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds config().listen and starts accepting. Returns the real endpoint (port 0: the one the
    // OS picked). Failures: net.listen (bad address, port taken), net.tls (certificate or key
    // unreadable), net.plain_remote (plain WebSocket on a non-loopback address without
    // allow_plain_remote).
    Expected<boost::asio::ip::tcp::endpoint> start();
    // Serves `webhook` at the paths it serves (POST, and GET where it allows). Before start().
    void addWebhook(std::shared_ptr<const core::Webhook> webhook);
    // Stops accepting new connections and new commands. Open connections stay.
    void stop();
    // Closes every connection (WebSockets with going_away). Calls stop() first if needed.
    void closeAll();

    ServerStats stats() const;

private:
    core::Service& m_service;
    boost::asio::io_context& m_ioc;
    boost::asio::thread_pool m_blocking;
    std::shared_ptr<Hub> m_hub;
    std::shared_ptr<Listener> m_listener;
    std::vector<std::shared_ptr<const core::Webhook>> m_webhooks;
};

} // namespace latch::net
