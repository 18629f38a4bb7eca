#include "net/httpsession.h"

#include "net/httproutes.h"
#include "net/webhookroute.h"
#include "net/websocketsession.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>

namespace latch::net {

namespace http = beast::http;

namespace {

constexpr std::chrono::seconds kRequestTimeout{30};
constexpr std::chrono::seconds kTlsShutdownTimeout{5};
constexpr std::uint32_t kHeaderLimit = 16 * 1024;

bool isHttpParseError(const boost::system::error_code& ec)
{
    return ec.category() == http::make_error_code(http::error::bad_method).category()
        && ec != http::error::end_of_stream && ec != http::error::partial_message;
}

} // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, std::shared_ptr<Hub> hub,
                                 asio::ip::tcp::endpoint peer)
    : m_stream(std::move(stream))
    , m_hub(std::move(hub))
    , m_peer(std::move(peer))
{
}

template <class Stream>
HttpSession<Stream>::~HttpSession()
{
    if (m_hubId)
        m_hub->leave(*m_hubId);
}

template <class Stream>
std::string HttpSession<Stream>::peerText() const
{
    return m_peer.address().to_string() + ":" + std::to_string(m_peer.port());
}

template <class Stream>
void HttpSession<Stream>::start(Ptr self)
{
    self->m_hubId = self->m_hub->join(self->weak_from_this());
    auto executor = self->m_stream.get_executor();
    asio::co_spawn(executor, run(std::move(self)), CoroutineDone{"http session"});
}

template <class Stream>
void HttpSession<Stream>::shutdown()
{
    asio::post(m_stream.get_executor(),
               [self = std::static_pointer_cast<HttpSession>(shared_from_this())] {
                   self->m_stopping = true;
                   if (self->m_handedOff)
                       return;
                   // Wakes a read waiting for the next keep-alive request.
                   boost::system::error_code ignored;
                   beast::get_lowest_layer(self->m_stream).socket().close(ignored);
               });
}

template <class Stream>
asio::awaitable<void> HttpSession<Stream>::run(Ptr self)
{
    auto& stream = self->m_stream;
    const auto& limits = self->m_hub->limits();
    boost::system::error_code ec;
    if (!self->m_hub->accepting())
        co_return; // accepted just as the server stopped

    if constexpr (isTls<Stream>) {
        beast::get_lowest_layer(stream).expires_after(limits.handshakeTimeout);
        co_await stream.async_handshake(asio::ssl::stream_base::server, withError(ec));
        if (ec) {
            // Typically a plain ws:// or http:// client on the TLS port.
            logger()->debug("TLS handshake with {} failed: {}", self->peerText(), ec.message());
            co_return;
        }
    }

    for (;;) {
        http::request_parser<http::string_body> parser;
        std::size_t bodyLimit = limits.maxHttpBodyBytes;
        const core::Webhook* hook = nullptr;
        // The header first, with the body's limit open: an endpoint that takes larger bodies (an
        // email with attachments) raises the limit for its own requests only. Beast checks a
        // Content-Length against the limit as the header ends, so that check is ours, below.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        parser.header_limit(kHeaderLimit);
        beast::get_lowest_layer(stream).expires_after(kRequestTimeout);
        co_await http::async_read_header(stream, self->m_buffer, parser, withError(ec));
        if (!ec) {
            const std::string_view target(parser.get().target().data(), parser.get().target().size());
            hook = self->m_hub->webhookFor(target.substr(0, target.find('?')));
            if (hook)
                bodyLimit = std::max(bodyLimit, hook->maxBodyBytes());
            parser.body_limit(bodyLimit); // a chunked body is checked as it arrives
            if (const auto length = parser.content_length(); length && *length > bodyLimit)
                ec = http::error::body_limit;
            else
                co_await http::async_read(stream, self->m_buffer, parser, withError(ec));
        }
        if (ec == http::error::end_of_stream)
            break;
        if (ec) {
            const bool tooLarge = ec == http::error::body_limit;
            if (tooLarge || isHttpParseError(ec)) {
                logger()->debug("HTTP request from {} refused: {}", self->peerText(), ec.message());
                auto response = tooLarge && hook ? webhookTooLarge(*hook, bodyLimit, 11)
                    : tooLarge
                    ? textResponse(http::status::payload_too_large, 11, false,
                                   "request body larger than "
                                       + std::to_string(bodyLimit) + " bytes\n")
                    : textResponse(http::status::bad_request, 11, false, "bad request\n");
                co_await http::async_write(stream, response, withError(ec));
                break;
            }
            if (ec == beast::error::timeout || ec == http::error::partial_message
                || isNormalDisconnect(ec))
                logger()->debug("HTTP connection {} ended: {}", self->peerText(), ec.message());
            else
                logger()->warn("HTTP read from {} failed: {}", self->peerText(), ec.message());
            co_return; // the connection is unusable; nothing to close politely
        }

        HttpRequest request = parser.release();
        if (beast::websocket::is_upgrade(request)) {
            const bool open = self->m_hub->accepting() && !self->m_stopping;
            if (requestPath(request) == kSyncPath && open) {
                beast::get_lowest_layer(stream).expires_never();
                self->m_handedOff = true;
                auto session = std::make_shared<WebSocketSession<Stream>>(
                    std::move(stream), self->m_hub, self->m_peer);
                WebSocketSession<Stream>::start(std::move(session), std::move(request));
                co_return;
            }
            const bool wrongPath = requestPath(request) != kSyncPath;
            auto response = textResponse(wrongPath ? http::status::not_found
                                                   : http::status::service_unavailable,
                                         request.version(), false,
                                         wrongPath ? "WebSocket connections go to /sync\n"
                                                   : "stopping\n");
            co_await http::async_write(stream, response, withError(ec));
            break;
        }

        HttpResponse response;
        if (hook) {
            const WebhookPeer peer{self->peerText(), self->m_peer.address().to_string(),
                                   isTls<Stream>};
            response = co_await answerWebhook(*self->m_hub, *hook, request, peer);
        } else {
            response = route(request, self->m_hub->accepting());
        }
        if (self->m_stopping)
            response.keep_alive(false);
        co_await http::async_write(stream, response, withError(ec));
        if (ec) {
            logger()->debug("HTTP write to {} failed: {}", self->peerText(), ec.message());
            co_return;
        }
        if (response.need_eof())
            break;
    }
    co_await closeGracefully(self);
}

template <class Stream>
asio::awaitable<void> HttpSession<Stream>::closeGracefully(Ptr self)
{
    boost::system::error_code ec;
    if constexpr (isTls<Stream>) {
        beast::get_lowest_layer(self->m_stream).expires_after(kTlsShutdownTimeout);
        co_await self->m_stream.async_shutdown(withError(ec));
    }
    // Send FIN but let the peer read what we wrote before the socket goes away.
    beast::get_lowest_layer(self->m_stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send,
                                                              ec);
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

} // namespace latch::net

