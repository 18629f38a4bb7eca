#include "httpbenchclient.h"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

namespace latch::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// A delivery that takes longer than this is a failure, not a slow answer.
constexpr std::chrono::seconds kExchangeTimeout { 30 };

} // namespace

HttpBenchClient::HttpBenchClient(asio::any_io_executor executor, asio::ip::tcp::endpoint endpoint,
    const std::string& host, const std::string& target, const Headers& headers)
    : m_executor(executor)
    , m_endpoint(std::move(endpoint))
    , m_stream(executor)
{
    m_request.method(http::verb::post);
    m_request.target(target);
    m_request.version(11);
    m_request.set(http::field::host, host);
    m_request.set(http::field::user_agent, "latch-bench");
    for (const auto& [name, value] : headers)
        m_request.set(name, value);
    m_request.keep_alive(true);
}

asio::awaitable<void> HttpBenchClient::open()
{
    boost::system::error_code ignored;
    m_stream.socket().close(ignored);
    m_buffer.clear();
    m_connected = false;
    m_stream.expires_after(kExchangeTimeout);
    co_await m_stream.async_connect(m_endpoint, asio::use_awaitable);
    // Small requests and answers: Nagle would add delayed-ACK stalls to every latency.
    m_stream.socket().set_option(asio::ip::tcp::no_delay(true));
    m_stream.expires_never();
    if (m_opens++ > 0)
        ++m_reconnects;
    m_connected = true;
}

asio::awaitable<HttpReply> HttpBenchClient::post(std::string body)
{
    if (!m_connected)
        co_await open();
    m_request.body() = std::move(body);
    m_request.prepare_payload();
    m_stream.expires_after(kExchangeTimeout);
    try {
        co_await http::async_write(m_stream, m_request, asio::use_awaitable);
        http::response_parser<http::string_body> parser;
        parser.body_limit(1u << 20);
        co_await http::async_read(m_stream, m_buffer, parser, asio::use_awaitable);
        m_stream.expires_never();
        auto response = parser.release();
        if (response.need_eof())
            m_connected = false; // the server closes it; connect again for the next one
        co_return HttpReply { response.result_int(), std::move(response.body()) };
    } catch (...) {
        m_connected = false;
        throw;
    }
}

void HttpBenchClient::abort()
{
    asio::post(m_executor, [this] {
        boost::system::error_code ignored;
        m_stream.socket().close(ignored);
    });
}

} // namespace latch::bench
