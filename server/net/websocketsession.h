#pragma once
// The WebSocket transport under a SyncSession: completes the upgrade, reads whole messages (with
// our own size check, so an oversized one is refused with a reason), and owns the outgoing queue:
// one write in flight, started when the queue goes from empty to one; past
// limits.maxSendQueueBytes the client is dropped with 1013 and resumes from its cursor.
//
// Threading: one strand per connection (the stream's executor); every member runs on it except
// shutdown() and deliver(), which post to it. Ownership: shared_ptr held by its coroutines.
// Instantiated for PlainStream and TlsStream in websocketsession.cpp.
#include "net/hub.h"
#include "net/syncsession.h"
#include "net/transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace latch::net {

template <class Stream>
class WebSocketSession final : public SyncSession {
public:
    using Request = beast::http::request<beast::http::string_body>;

    WebSocketSession(Stream&& stream, std::shared_ptr<Hub> hub,
                     const asio::ip::tcp::endpoint& peer);

    // Answers the upgrade `request` the HTTP session read, then serves the connection.
    static void start(std::shared_ptr<WebSocketSession> self, Request request);

    void shutdown() override;

protected:
    void send(std::string bytes, bool counted) override;
    void closeTransport(beast::websocket::close_code code, const std::string& reason) override;
    void dropQueued() override;

private:
    using Ptr = std::shared_ptr<WebSocketSession>;
    static asio::awaitable<void> run(Ptr self, Request request);
    static asio::awaitable<void> writeLoop(Ptr self);
    static asio::awaitable<void> closeHandshake(Ptr self);
    static asio::awaitable<void> abortIfStuck(Ptr self);
    Ptr self();
    void readFailed(const boost::system::error_code& ec);

    struct Outgoing {
        std::string bytes;
        bool counted = true;
    };

    beast::websocket::stream<Stream> m_ws;
    std::deque<Outgoing> m_queue;     // front() is the frame being written while m_writing
    std::size_t m_countedBytes = 0;
    bool m_open = false;              // handshake done
    bool m_writing = false;
    bool m_closeStarted = false;
    std::optional<beast::websocket::close_reason> m_closeReason;
    asio::steady_timer m_abortTimer;
};

} // namespace latch::net
