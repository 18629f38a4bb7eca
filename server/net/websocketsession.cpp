#include "net/websocketsession.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <chrono>

namespace latch::net {

namespace websocket = beast::websocket;

namespace {

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
// A message declaring more than this many times the limit is refused by Beast at once (close
// 1009, no reason, nothing drained); smaller oversized ones get our Error and a reason.
constexpr std::size_t kHardLimitFactor = 4;
// How long a close may wait behind a write the peer is not reading before the socket is closed.
constexpr std::chrono::seconds kCloseGrace{5};

} // namespace

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, std::shared_ptr<Hub> hub,
                                           const asio::ip::tcp::endpoint& peer)
    : SyncSession(std::move(hub), stream.get_executor(), peer)
    , m_ws(std::move(stream))
    , m_abortTimer(m_ws.get_executor())
{
}

template <class Stream>
auto WebSocketSession<Stream>::self() -> Ptr
{
    return std::static_pointer_cast<WebSocketSession>(shared_from_this());
}

template <class Stream>
void WebSocketSession<Stream>::start(Ptr self, Request request)
{
    auto executor = self->m_ws.get_executor();
    asio::co_spawn(executor, run(std::move(self), std::move(request)),
                   CoroutineDone{"websocket session"});
}

template <class Stream>
void WebSocketSession<Stream>::shutdown()
{
    asio::post(strand(), [self = self()] {
        self->requestClose(websocket::close_code::going_away, "server is shutting down");
    });
}

template <class Stream>
asio::awaitable<void> WebSocketSession<Stream>::run(Ptr self, Request request)
{
    auto& ws = self->m_ws;
    const auto& limits = self->limits();
    // The WebSocket stream has its own timeouts; the TCP stream's would cut long connections.
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = limits.handshakeTimeout;
    timeouts.idle_timeout = limits.idleTimeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(beast::http::field::server, "latch-server");
    }));
    ws.read_message_max(limits.maxFrameBytes * kHardLimitFactor);
    ws.binary(true);

    boost::system::error_code ec;
    co_await ws.async_accept(request, withError(ec));
    if (ec) {
        logger()->debug("websocket handshake with {} failed: {}", self->peer(), ec.message());
        co_return;
    }
    self->m_open = true;
    self->opened();

    beast::flat_buffer buffer;
    const std::size_t maxBytes = limits.maxFrameBytes;
    while (!self->closing()) {
        buffer.clear();
        if (buffer.capacity() > 4 * kReadChunk)
            buffer.shrink_to_fit(); // don't keep a large message's memory for an idle client
        bool tooBig = false;
        do {
            co_await ws.async_read_some(buffer, kReadChunk, withError(ec));
            if (!ec && buffer.size() > maxBytes)
                tooBig = true;
        } while (!ec && !tooBig && !ws.is_message_done());
        if (ec) {
            self->readFailed(ec);
            break;
        }
        if (tooBig) {
            self->handleTooBig(maxBytes);
            break; // the close handshake drains the rest of the message
        }
        const auto data = buffer.cdata();
        co_await self->handleMessage(
            std::string_view(static_cast<const char*>(data.data()), data.size()), ws.got_binary());
    }
}

template <class Stream>
void WebSocketSession<Stream>::readFailed(const boost::system::error_code& ec)
{
    if (ec == beast::error::timeout)
        logger()->info("{}: no traffic for {}s, closing", peer(), limits().idleTimeout.count());
    else if (isNormalDisconnect(ec))
        logger()->debug("{}: read ended: {}", peer(), ec.message());
    else
        logger()->warn("{}: read failed: {}", peer(), ec.message());
    noteDisconnect(ec == websocket::error::closed ? std::string("closed by the client")
                                                  : ec.message());
    // The connection is over: make sure a blocked write and any timer end too. A close
    // handshake in progress tears the socket down itself.
    m_abortTimer.cancel();
    if (!m_closeStarted) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(m_ws).socket().close(ignored);
    }
}

template <class Stream>
void WebSocketSession<Stream>::send(std::string bytes, bool counted)
{
    if (!m_open || m_closeReason)
        return; // nothing may follow the close frame
    if (counted)
        m_countedBytes += bytes.size();
    m_queue.push_back(Outgoing{std::move(bytes), counted});
    if (m_countedBytes > limits().maxSendQueueBytes) {
        handleSlowConsumer(m_countedBytes); // drops the queue, queues an Error, closes
        return;
    }
    if (!m_writing) {
        m_writing = true;
        asio::co_spawn(m_ws.get_executor(), writeLoop(self()), CoroutineDone{"websocket write"});
    }
}

template <class Stream>
void WebSocketSession<Stream>::dropQueued()
{
    // Keep only the frame being written: the write in flight still reads its buffer.
    if (m_writing && !m_queue.empty())
        m_queue.erase(m_queue.begin() + 1, m_queue.end());
    else
        m_queue.clear();
    if (!m_queue.empty())
        m_queue.front().counted = false; // no longer counts against the limit
    m_countedBytes = 0;
}

template <class Stream>
void WebSocketSession<Stream>::closeTransport(websocket::close_code code,
                                              const std::string& reason)
{
    if (!m_open) {
        // Still in the handshake: there is no WebSocket to close politely yet.
        boost::system::error_code ignored;
        beast::get_lowest_layer(m_ws).socket().close(ignored);
        return;
    }
    m_closeReason = websocket::close_reason(code, reason);
    if (!m_writing) {
        asio::co_spawn(m_ws.get_executor(), closeHandshake(self()),
                       CoroutineDone{"websocket close"});
    } else {
        // Beast sends the close frame only after the write in flight; if the peer never reads,
        // that write never ends, so give it a grace period and then cut the socket.
        asio::co_spawn(m_ws.get_executor(), abortIfStuck(self()), CoroutineDone{"websocket abort"});
    }
}

template <class Stream>
asio::awaitable<void> WebSocketSession<Stream>::writeLoop(Ptr self)
{
    boost::system::error_code ec;
    while (!self->m_queue.empty()) {
        co_await self->m_ws.async_write(asio::buffer(self->m_queue.front().bytes), withError(ec));
        const auto& sent = self->m_queue.front();
        if (sent.counted)
            self->m_countedBytes -= std::min(self->m_countedBytes, sent.bytes.size());
        self->m_queue.pop_front();
        if (ec) {
            if (isNormalDisconnect(ec))
                logger()->debug("{}: write ended: {}", self->peer(), ec.message());
            else
                logger()->warn("{}: write failed: {}", self->peer(), ec.message());
            self->noteDisconnect(ec.message());
            self->m_queue.clear();
            self->m_countedBytes = 0;
            self->m_writing = false;
            self->m_abortTimer.cancel();
            co_return;
        }
        self->hub().counters().framesOut++;
    }
    self->m_writing = false;
    if (self->m_closeReason && !self->m_closeStarted)
        co_await closeHandshake(self);
}

template <class Stream>
asio::awaitable<void> WebSocketSession<Stream>::closeHandshake(Ptr self)
{
    self->m_closeStarted = true;
    self->m_abortTimer.cancel();
    boost::system::error_code ec;
    co_await self->m_ws.async_close(*self->m_closeReason, withError(ec));
    if (ec && !isNormalDisconnect(ec))
        logger()->debug("{}: close handshake: {}", self->peer(), ec.message());
}

template <class Stream>
asio::awaitable<void> WebSocketSession<Stream>::abortIfStuck(Ptr self)
{
    if (self->m_closeStarted || !self->m_writing)
        co_return; // the write finished before we got here
    self->m_abortTimer.expires_after(kCloseGrace);
    boost::system::error_code ec;
    co_await self->m_abortTimer.async_wait(withError(ec));
    if (ec || self->m_closeStarted || !self->m_writing)
        co_return;
    logger()->info("{}: a write is still blocked {}s after the close was requested; closing the "
                   "socket",
                   self->peer(), kCloseGrace.count());
    boost::system::error_code ignored;
    beast::get_lowest_layer(self->m_ws).socket().close(ignored);
}

template class WebSocketSession<PlainStream>;
template class WebSocketSession<TlsStream>;

} // namespace latch::net
