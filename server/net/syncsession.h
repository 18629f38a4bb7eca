#pragma once
// The sync protocol of one WebSocket connection, independent of the stream under it: Login, Hello
// -> Welcome, snapshot then live EventBatches and Revokes, Command -> CommandResult, Query ->
// QueryResult, Logout. Anything else is answered with a fatal Error and a close; nothing a client
// sends can change data except a valid Command from an authenticated user.
//
// Threading: everything except deliver() and shutdown() runs on the connection's strand. Command
// results and batches arrive on the core's writer thread and are only posted to the strand. Slow
// core calls (login, snapshot, query) run on the hub's blocking pool while the reading coroutine
// waits, so messages are still handled one at a time and in order; live batches that arrive
// during a snapshot are buffered.
// Ownership: shared_ptr, held by the coroutines of the transport (WebSocketSession) and briefly
// by posted handlers; the hub holds a weak_ptr.
#include "core/actor.h"
#include "core/service.h"
#include "latch.pb.h"
#include "net/connection.h"
#include "net/hub.h"
#include "net/transport.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::net {

class SyncSession : public Connection {
public:
    ~SyncSession() override;

    void deliver(const std::shared_ptr<const core::CommittedBatch>& batch) final;
    // Re-checks the token at once; a role change sends a fresh reset snapshot for the new roles,
    // a disabled account or revoked session ends the connection.
    void accountChanged(const std::string& username) final;

protected:
    SyncSession(std::shared_ptr<Hub> hub, asio::any_io_executor strand,
                const asio::ip::tcp::endpoint& peer);

    // --- called by the transport, on the strand ---
    void opened();  // the WebSocket handshake succeeded
    // Handles one complete message. The reader awaits it before reading the next one.
    asio::awaitable<void> handleMessage(std::string_view bytes, bool binary);
    void handleTooBig(std::size_t limit);
    // The outgoing queue passed limits.maxSendQueueBytes: tell the client why (an Error, since
    // Qt 6.4 clients reject close code 1013 as invalid), then close with 1013.
    void handleSlowConsumer(std::size_t queuedBytes);
    void noteDisconnect(const std::string& why);
    bool closing() const { return m_closing; }
    // Starts the close once what is already queued has been written. Only the first call counts.
    void requestClose(beast::websocket::close_code code, const std::string& reason);

    Hub& hub() { return *m_hub; }
    const core::Limits& limits() const { return m_hub->limits(); }
    const std::string& peer() const { return m_peer; }
    const asio::any_io_executor& strand() const { return m_strand; }

    // --- implemented by the transport, called on the strand ---
    // Queues one binary frame. `counted` frames count against limits.maxSendQueueBytes; snapshot
    // pages do not (the server made them all at once, the client did nothing wrong).
    virtual void send(std::string bytes, bool counted) = 0;
    virtual void closeTransport(beast::websocket::close_code code, const std::string& reason) = 0;
    // Drops every queued frame that is not being written yet.
    virtual void dropQueued() = 0;

private:
    asio::awaitable<void> handleLogin(v1::Login login);
    asio::awaitable<void> handleHello(v1::Hello hello);
    void handleCommand(const v1::Command& command);
    asio::awaitable<void> handleQuery(v1::Query query);
    void handleLogout();
    bool reauthenticate();
    asio::awaitable<void> startLive(std::uint64_t cursor);
    asio::awaitable<void> resnapshot();
    void applyBatch(const core::CommittedBatch& batch);
    // Sends a fatal Error and closes; the close reason is `closeReason`, or the code when empty.
    void fail(const std::string& code, const std::string& message,
              beast::websocket::close_code closeCode = beast::websocket::close_code::policy_error,
              const std::string& closeReason = {});
    void sendEnvelope(const v1::Envelope& envelope, bool counted = true);
    std::string who() const;

    std::shared_ptr<Hub> m_hub;
    core::Service& m_service;
    asio::any_io_executor m_strand;
    std::string m_peer;        // address:port, for logs
    std::string m_peerAddress; // for login rate limiting
    std::optional<std::uint64_t> m_hubId;
    std::optional<core::Actor> m_actor; // set by a successful Hello
    std::string m_token;                // from Hello (or this connection's LoginResult)
    std::string m_device;
    bool m_closing = false;
    bool m_live = false;
    bool m_liveReady = false;           // the snapshot has been sent; batches go out directly
    bool m_resnapshotWanted = false;    // roles changed while a snapshot was being read
    std::uint64_t m_snapshotSeq = 0;
    std::vector<std::shared_ptr<const core::CommittedBatch>> m_pending; // during the snapshot
    std::string m_closeNote;
};

} // namespace latch::net
