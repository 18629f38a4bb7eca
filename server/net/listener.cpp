#include "net/listener.h"

#include "net/httpsession.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>

namespace latch::net {

using asio::ip::tcp;

Listener::Listener(asio::io_context& ioc, std::shared_ptr<Hub> hub,
                   std::shared_ptr<asio::ssl::context> tls)
    : m_ioc(ioc)
    , m_hub(std::move(hub))
    , m_tls(std::move(tls))
    , m_acceptor(asio::make_strand(ioc))
{
}

Expected<tcp::endpoint> Listener::open(const tcp::endpoint& endpoint)
{
    boost::system::error_code ec;
    const auto failed = [&](const char* what) {
        return fail("net.listen", std::string("cannot listen on ") + endpoint.address().to_string()
                                      + ":" + std::to_string(endpoint.port()) + ": " + what + ": "
                                      + ec.message());
    };
    m_acceptor.open(endpoint.protocol(), ec);
    if (ec)
        return failed("open");
    m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec)
        return failed("set_option");
    m_acceptor.bind(endpoint, ec);
    if (ec)
        return failed("bind");
    m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return failed("listen");
    auto local = m_acceptor.local_endpoint(ec);
    if (ec)
        return failed("local_endpoint");
    return local;
}

void Listener::start()
{
    asio::co_spawn(m_acceptor.get_executor(), acceptLoop(shared_from_this()),
                   CoroutineDone{"accept loop"});
}

void Listener::stop()
{
    asio::post(m_acceptor.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->m_acceptor.close(ignored);
    });
}

asio::awaitable<void> Listener::acceptLoop(std::shared_ptr<Listener> self)
{
    for (;;) {
        boost::system::error_code ec;
        // Each connection gets its own strand: its handlers never run concurrently.
        tcp::socket socket
            = co_await self->m_acceptor.async_accept(asio::make_strand(self->m_ioc), withError(ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !self->m_acceptor.is_open())
                break;
            // e.g. out of file descriptors: back off instead of spinning.
            logger()->warn("accept failed: {}", ec.message());
            asio::steady_timer pause(co_await asio::this_coro::executor,
                                     std::chrono::milliseconds(100));
            co_await pause.async_wait(withError(ec));
            continue;
        }
        self->serve(std::move(socket));
    }
    logger()->info("stopped accepting connections");
}

void Listener::serve(tcp::socket socket)
{
    m_hub->counters().connectionsTotal++;
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec)
        return; // already gone
    socket.set_option(tcp::no_delay(true), ec);
    logger()->debug("connection from {}:{}", peer.address().to_string(), peer.port());
    if (m_tls) {
        auto session = std::make_shared<HttpSession<TlsStream>>(
            TlsStream(std::move(socket), *m_tls), m_hub, peer);
        HttpSession<TlsStream>::start(std::move(session));
    } else {
        auto session = std::make_shared<HttpSession<PlainStream>>(
            PlainStream(std::move(socket)), m_hub, peer);
        HttpSession<PlainStream>::start(std::move(session));
    }
}

} // namespace latch::net
