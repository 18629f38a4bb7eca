#include "httpclient.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <poll.h>

namespace latch::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

auto withError(boost::system::error_code& ec)
{
    return asio::redirect_error(asio::use_awaitable, ec);
}

} // namespace

struct HttpClient::Connection {
    asio::io_context ioc { 1 };
    beast::tcp_stream stream { ioc };
    beast::flat_buffer buffer;
    bool connected = false;

    // A kept connection the server has closed (or written to unasked) is readable; it must not
    // carry the next request, or that request would fail for a reason of our own making.
    bool stillUsable()
    {
        if (!connected || !stream.socket().is_open())
            return false;
        pollfd fd { stream.socket().native_handle(), POLLIN, 0 };
        return ::poll(&fd, 1, 0) == 0;
    }

    void close()
    {
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
        buffer.clear();
        connected = false;
    }
};

std::optional<HttpClient::Url> HttpClient::parseUrl(const std::string& url)
{
    constexpr std::string_view scheme = "http://";
    if (url.rfind(scheme, 0) != 0)
        return std::nullopt;
    const auto rest = std::string_view(url).substr(scheme.size());
    const auto slash = rest.find_first_of("/?");
    const auto authority = rest.substr(0, slash);
    Url parsed;
    parsed.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (parsed.target.front() == '?')
        parsed.target.insert(parsed.target.begin(), '/');
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
        const auto digits = authority.substr(colon + 1);
        const auto [end, ec]
            = std::from_chars(digits.data(), digits.data() + digits.size(), parsed.port);
        if (ec != std::errc() || end != digits.data() + digits.size())
            return std::nullopt;
    }
    if (parsed.host.empty())
        return std::nullopt;
    return parsed;
}

HttpClient::HttpClient(std::string host, std::uint16_t port)
    : m_host(std::move(host))
    , m_port(port)
{
}

HttpClient::~HttpClient() = default;

void HttpClient::disconnect()
{
    if (m_connection)
        m_connection->close();
}

ClientResponse HttpClient::request(const std::string& method, const std::string& target,
    const std::string& body, const Headers& headers)
{
    if (!m_connection)
        m_connection = std::make_unique<Connection>();
    auto& c = *m_connection;
    if (c.connected && !c.stillUsable())
        c.close();

    http::request<http::string_body> message;
    message.method_string(method);
    message.target(target);
    message.version(11);
    message.set(http::field::host, m_host + ":" + std::to_string(m_port));
    for (const auto& [name, value] : headers)
        message.insert(name, value);
    message.body() = body;
    message.keep_alive(true);
    message.prepare_payload();

    ClientResponse result;
    result.status = 0; // until a response arrives
    auto exchange = [&]() -> asio::awaitable<void> {
        boost::system::error_code ec;
        if (!c.connected) {
            tcp::resolver resolver(c.ioc);
            const auto endpoints
                = co_await resolver.async_resolve(m_host, std::to_string(m_port), withError(ec));
            if (ec) {
                result.error = "resolve: " + ec.message();
                co_return;
            }
            c.stream.expires_after(m_timeout);
            co_await c.stream.async_connect(endpoints, withError(ec));
            if (ec) {
                result.error = "connect: " + ec.message();
                co_return;
            }
            c.connected = true;
            ++m_connectionsOpened;
        }
        c.stream.expires_after(m_timeout);
        co_await http::async_write(c.stream, message, withError(ec));
        if (ec) {
            result.error = "write: " + ec.message();
            co_return;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        co_await http::async_read(c.stream, c.buffer, parser, withError(ec));
        if (ec) {
            result.error = "read: " + ec.message();
            co_return;
        }
        auto response = parser.release();
        result.status = response.result_int();
        for (const auto& field : response)
            result.headers.emplace_back(
                std::string(field.name_string()), std::string(field.value()));
        result.body = std::move(response.body());
        if (!response.keep_alive())
            c.close();
    };
    asio::co_spawn(c.ioc, exchange(), [&](std::exception_ptr e) {
        if (!e)
            return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            result.error = ex.what();
        }
    });
    c.ioc.restart();
    c.ioc.run();
    if (!result.received())
        c.close(); // half-done exchanges leave the connection in an unknown state
    return result;
}

ClientResponse HttpClient::send(const std::string& method, const std::string& url,
    const std::string& body, const Headers& headers, std::chrono::milliseconds timeout)
{
    const auto parsed = parseUrl(url);
    if (!parsed) {
        ClientResponse result;
        result.status = 0;
        result.error = "not an http:// URL: " + url;
        return result;
    }
    HttpClient client(parsed->host, parsed->port);
    client.setTimeout(timeout);
    auto result = client.request(method, parsed->target, body, headers);
    client.disconnect();
    return result;
}

} // namespace latch::fakes
