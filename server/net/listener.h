#pragma once
// Accepts TCP connections on one endpoint and gives each its own strand and HttpSession (TLS or
// plain, as the port was configured).
//
// Threading: the accept loop runs on the listener's own strand; stop() posts to it.
// Ownership: shared_ptr, held by Server and by the accept coroutine.
#include "latch/expected.h"
#include "net/hub.h"
#include "net/transport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace latch::net {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    // `tls` null: plain TCP.
    Listener(asio::io_context& ioc, std::shared_ptr<Hub> hub,
             std::shared_ptr<asio::ssl::context> tls);

    // Binds and listens; returns the real endpoint (port 0 resolved).
    Expected<asio::ip::tcp::endpoint> open(const asio::ip::tcp::endpoint& endpoint);
    void start();
    void stop(); // thread-safe; stops accepting, open connections are not touched

private:
    static asio::awaitable<void> acceptLoop(std::shared_ptr<Listener> self);
    void serve(asio::ip::tcp::socket socket);

    asio::io_context& m_ioc;
    std::shared_ptr<Hub> m_hub;
    std::shared_ptr<asio::ssl::context> m_tls;
    asio::ip::tcp::acceptor m_acceptor;
};

} // namespace latch::net
