#pragma once
// One keep-alive HTTP/1.1 connection for the intake benchmarks: POSTs to one target with the same
// headers every time, only the body changing, with C++20 coroutines on the client's io_context.
// The request's header is built once, so a delivery costs the client little more than writing the
// body and parsing the answer (the scenarios report the client's CPU to show it).
//
// When the server answers "Connection: close" the next post() connects again (counted in
// reconnects()). A transport failure (refused, reset, timed out) is thrown: the caller counts it
// and calls open() again.
//
// Threading: like BenchClient, a client belongs to the io_context of its executor; every call must
// run there, one post() at a time. abort() is safe from any thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace latch::bench {

struct HttpReply {
    unsigned status = 0;
    std::string body;
};

class HttpBenchClient {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    HttpBenchClient(boost::asio::any_io_executor executor, boost::asio::ip::tcp::endpoint endpoint,
        const std::string& host, const std::string& target, const Headers& headers);
    HttpBenchClient(const HttpBenchClient&) = delete;
    HttpBenchClient& operator=(const HttpBenchClient&) = delete;

    const boost::asio::any_io_executor& executor() const { return m_executor; }

    // Connects (again). post() does it by itself when no connection is open.
    boost::asio::awaitable<void> open();
    // POSTs `body` to the target and reads the answer.
    boost::asio::awaitable<HttpReply> post(std::string body);
    void abort();

    std::size_t reconnects() const { return m_reconnects; }

private:
    boost::asio::any_io_executor m_executor;
    boost::asio::ip::tcp::endpoint m_endpoint;
    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
    boost::beast::http::request<boost::beast::http::string_body> m_request;
    bool m_connected = false;
    std::size_t m_opens = 0;
    std::size_t m_reconnects = 0;
};

} // namespace latch::bench
