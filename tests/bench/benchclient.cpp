#include "benchclient.h"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/stream_base.hpp>
#include <chrono>
#include <stdexcept>

namespace latch::bench {

namespace websocket = beast::websocket;

BenchClient::BenchClient(asio::any_io_executor executor)
    : m_executor(executor)
    , m_ws(executor)
{
}

asio::awaitable<void> BenchClient::open(
    const asio::ip::tcp::endpoint& endpoint, const std::string& host)
{
    auto& tcp = beast::get_lowest_layer(m_ws);
    tcp.expires_after(std::chrono::seconds(30));
    co_await tcp.async_connect(endpoint, asio::use_awaitable);
    // Small frames both ways: Nagle would add delayed-ACK stalls to every latency we measure.
    tcp.socket().set_option(asio::ip::tcp::no_delay(true));
    tcp.expires_never();
    m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    m_ws.read_message_max(64u << 20); // snapshots of a busy server can be large
    m_ws.binary(true);
    co_await m_ws.async_handshake(host, "/sync", asio::use_awaitable);
}

asio::awaitable<void> BenchClient::send(const v1::Envelope& envelope)
{
    m_out = envelope.SerializeAsString();
    co_await m_ws.async_write(asio::buffer(m_out), asio::use_awaitable);
}

asio::awaitable<v1::Envelope> BenchClient::receive()
{
    m_in.clear();
    const std::size_t n = co_await m_ws.async_read(m_in, asio::use_awaitable);
    m_bytesIn += n;
    v1::Envelope envelope;
    const auto data = m_in.cdata();
    if (!envelope.ParseFromArray(data.data(), static_cast<int>(data.size())))
        throw std::runtime_error("the server sent a frame that is not an Envelope");
    co_return envelope;
}

void BenchClient::abort()
{
    asio::post(m_executor, [this] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(m_ws).socket().close(ignored);
    });
}

} // namespace latch::bench
