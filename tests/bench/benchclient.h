#pragma once
// One sync-protocol connection for the benchmarks: a Boost.Beast WebSocket client at /sync that
// sends and receives one v1::Envelope per binary frame, with C++20 coroutines.
//
// Threading: a client belongs to the io_context of the executor it was made with; every call
// (and every coroutine using it) must run there. At most one receive() and one send() may be in
// flight at a time, as Beast allows. Failures (refused connection, closed socket, a frame that
// is not an Envelope) are thrown as exceptions: in a benchmark they end the scenario.
#include "latch.pb.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstddef>
#include <string>

namespace latch::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;

class BenchClient {
public:
    explicit BenchClient(asio::any_io_executor executor);
    BenchClient(const BenchClient&) = delete;
    BenchClient& operator=(const BenchClient&) = delete;

    const asio::any_io_executor& executor() const { return m_executor; }

    // TCP connect and the WebSocket upgrade at /sync.
    asio::awaitable<void> open(const asio::ip::tcp::endpoint& endpoint, const std::string& host);
    asio::awaitable<void> send(const v1::Envelope& envelope);
    asio::awaitable<v1::Envelope> receive();
    // Closes the socket at once (no close handshake): pending operations end with an error.
    // Safe from any thread: it is posted to the client's executor.
    void abort();

    std::size_t bytesReceived() const { return m_bytesIn; }

private:
    asio::any_io_executor m_executor;
    beast::websocket::stream<beast::tcp_stream> m_ws;
    beast::flat_buffer m_in;
    std::string m_out;
    std::size_t m_bytesIn = 0;
};

} // namespace latch::bench
