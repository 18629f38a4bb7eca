#pragma once
// One TCP connection until it becomes a WebSocket: (TLS handshake,) then HTTP/1.1 requests with
// keep-alive — /healthz, /readyz, webhooks, 404s, 413 past limits.maxHttpBodyBytes — until an
// upgrade at /sync hands the stream to a WebSocketSession.
//
// Threading: one strand (the stream's executor); shutdown() posts to it. Ownership: shared_ptr
// held by its coroutine; the hub holds a weak_ptr. Instantiated for PlainStream and TlsStream in
// httpsession.cpp.
#include "net/connection.h"
#include "net/hub.h"
#include "net/transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <memory>
#include <optional>

namespace latch::net {

template <class Stream>
class HttpSession final : public Connection {
public:
    HttpSession(Stream&& stream, std::shared_ptr<Hub> hub, asio::ip::tcp::endpoint peer);
    ~HttpSession() override;

    static void start(std::shared_ptr<HttpSession> self);
    void shutdown() override;

private:
    using Ptr = std::shared_ptr<HttpSession>;
    static asio::awaitable<void> run(Ptr self);
    static asio::awaitable<void> closeGracefully(Ptr self);
    std::string peerText() const;

    Stream m_stream;
    beast::flat_buffer m_buffer;
    std::shared_ptr<Hub> m_hub;
    asio::ip::tcp::endpoint m_peer;
    std::optional<std::uint64_t> m_hubId;
    bool m_handedOff = false; // m_stream was moved into a WebSocketSession
    bool m_stopping = false;
};

} // namespace latch::net
