#include "net/syncsession.h"

#include <boost/asio/post.hpp>
#include <google/protobuf/descriptor.h>

#include <algorithm>

namespace latch::net {

namespace websocket = beast::websocket;

namespace {

constexpr std::uint32_t kProtocolVersion = 1;

// Close reasons travel in a control frame: at most 123 bytes.
std::string clampReason(std::string reason)
{
    if (reason.size() > 123)
        reason.resize(123);
    return reason;
}

} // namespace

SyncSession::SyncSession(std::shared_ptr<Hub> hub, asio::any_io_executor strand,
                         const asio::ip::tcp::endpoint& peer)
    : m_hub(std::move(hub))
    , m_service(m_hub->service())
    , m_strand(std::move(strand))
    , m_peer(peer.address().to_string() + ":" + std::to_string(peer.port()))
    , m_peerAddress(peer.address().to_string())
{
}

SyncSession::~SyncSession()
{
    if (!m_hubId)
        return;
    m_hub->leave(*m_hubId);
    logger()->info("websocket closed: peer {} user {}{}{}", m_peer,
                   m_actor ? m_actor->id : std::string("-"), m_closeNote.empty() ? "" : ": ",
                   m_closeNote);
}

void SyncSession::opened()
{
    m_hubId = m_hub->join(weak_from_this());
    m_hub->counters().webSocketsTotal++;
    logger()->info("websocket open: peer {}", m_peer);
    // A shutdown that copied the registry just before we joined would miss us.
    if (!m_hub->accepting())
        requestClose(websocket::close_code::going_away, "server is shutting down");
}

std::string SyncSession::who() const
{
    return m_peer + (m_actor ? " (" + m_actor->id + ")" : std::string());
}

void SyncSession::noteDisconnect(const std::string& why)
{
    if (m_closeNote.empty())
        m_closeNote = why;
}

void SyncSession::requestClose(websocket::close_code code, const std::string& reason)
{
    if (m_closing)
        return;
    m_closing = true;
    noteDisconnect(reason.empty() ? std::string("closed") : reason);
    closeTransport(code, clampReason(reason));
}

void SyncSession::sendEnvelope(const v1::Envelope& envelope, bool counted)
{
    if (m_closing)
        return;
    send(envelope.SerializeAsString(), counted);
}

void SyncSession::fail(const std::string& code, const std::string& message,
                       websocket::close_code closeCode, const std::string& closeReason)
{
    if (m_closing)
        return;
    if (closeCode == websocket::close_code::policy_error
        || closeCode == websocket::close_code::too_big)
        m_hub->counters().protocolErrors++;
    logger()->info("closing {}: {}: {}", who(), code, message);
    v1::Envelope envelope;
    auto* error = envelope.mutable_error();
    error->set_code(code);
    error->set_message(message);
    error->set_fatal(true);
    sendEnvelope(envelope);
    requestClose(closeCode, closeReason.empty() ? code : closeReason);
}

void SyncSession::handleTooBig(std::size_t limit)
{
    fail("protocol.too_big",
         "a message is larger than the server's limit of " + std::to_string(limit) + " bytes",
         websocket::close_code::too_big);
}

void SyncSession::handleSlowConsumer(std::size_t queuedBytes)
{
    if (m_closing)
        return;
    m_hub->counters().slowConsumersDropped++;
    logger()->info("{}: slow consumer, {} bytes queued (limit {}); dropping it", who(),
                   queuedBytes, limits().maxSendQueueBytes);
    dropQueued();
    fail("sync.slow_consumer",
         "the connection fell too far behind; reconnect and resume from your cursor",
         websocket::close_code::try_again_later,
         "slow consumer: reconnect and resume from your cursor");
}

asio::awaitable<void> SyncSession::handleMessage(std::string_view bytes, bool binary)
{
    if (m_closing)
        co_return;
    m_hub->counters().framesIn++;
    if (!binary) {
        fail("protocol.malformed", "text frames are not part of the protocol; send each Envelope "
                                   "as one binary frame");
        co_return;
    }
    v1::Envelope envelope;
    if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        fail("protocol.malformed", "the frame is not a valid protobuf Envelope");
        co_return;
    }
    switch (envelope.msg_case()) {
    case v1::Envelope::kLogin:
        if (m_actor)
            fail("protocol.unexpected", "Login is only accepted before Hello");
        else
            co_await handleLogin(std::move(*envelope.mutable_login()));
        break;
    case v1::Envelope::kHello:
        if (m_actor)
            fail("protocol.unexpected", "Hello was already accepted on this connection");
        else
            co_await handleHello(std::move(*envelope.mutable_hello()));
        break;
    case v1::Envelope::kCommand:
        if (!m_actor)
            fail("auth.required", "send Hello with a valid token before any Command");
        else
            handleCommand(envelope.command());
        break;
    case v1::Envelope::kQuery:
        if (!m_actor)
            fail("auth.required", "send Hello with a valid token before any Query");
        else
            co_await handleQuery(std::move(*envelope.mutable_query()));
        break;
    case v1::Envelope::kLogout:
        handleLogout();
        break;
    case v1::Envelope::MSG_NOT_SET:
        fail("protocol.malformed", "the Envelope carries no message");
        break;
    default: {
        const auto* field = v1::Envelope::descriptor()->FindFieldByNumber(envelope.msg_case());
        const std::string name = field ? field->name() : "this message";
        fail("protocol.unexpected", name + " is sent by the server, never by a client");
        break;
    }
    }
}

asio::awaitable<void> SyncSession::handleLogin(v1::Login login)
{
    // Password hashing is slow on purpose: keep it off the I/O threads.
    v1::Envelope reply;
    *reply.mutable_login_result() = co_await offload(
        m_hub->blocking(), [&] { return m_service.login(login, m_peerAddress); });
    const auto& result = reply.login_result();
    if (result.ok()) {
        m_token = result.token();
        logger()->info("login: peer {} user {}", m_peer, login.username());
    } else {
        logger()->info("login refused: peer {} user {}: {}", m_peer, login.username(),
                       result.code());
    }
    sendEnvelope(reply);
}

asio::awaitable<void> SyncSession::handleHello(v1::Hello hello)
{
    if (hello.protocol_version() != kProtocolVersion) {
        fail("protocol.version", "this server speaks protocol version "
                                     + std::to_string(kProtocolVersion) + ", the client "
                                     + std::to_string(hello.protocol_version()));
        co_return;
    }
    auto actor = m_service.authenticate(hello.token());
    if (!actor) {
        fail(actor.failure().code, actor.failure().message);
        co_return;
    }
    m_actor = std::move(*actor);
    m_token = hello.token();
    m_device = hello.device_id();

    v1::Envelope reply;
    auto* welcome = reply.mutable_welcome();
    auto* user = welcome->mutable_user();
    user->set_id(m_actor->id);
    user->set_username(m_actor->id);
    user->set_display_name(m_actor->displayName);
    for (const auto& role : m_actor->roles)
        user->add_roles(role);
    welcome->set_head_seq(m_service.headSeq());
    welcome->set_protocol_version(kProtocolVersion);
    welcome->set_server_id(""); // the core names no server identity yet
    sendEnvelope(reply);
    logger()->info("hello: peer {} user {} device '{}' cursor {}{}", m_peer, m_actor->id, m_device,
                   hello.cursor(), hello.live() ? " live" : "");
    if (hello.live()) {
        co_await startLive(hello.cursor());
        if (m_resnapshotWanted)
            co_await resnapshot(); // the roles changed while the first snapshot was read
    }
}

asio::awaitable<void> SyncSession::startLive(std::uint64_t cursor)
{
    // Subscribe first, then snapshot: a batch committed in between is in both and is dropped by
    // its seq afterwards; subscribing after would lose it. Batches that arrive while the
    // snapshot is being read wait in m_pending.
    m_live = true;
    m_liveReady = false;
    m_hub->subscribe(*m_hubId);
    const core::Actor actor = *m_actor;
    std::vector<v1::SnapshotPage> pages;
    m_snapshotSeq = co_await offload(m_hub->blocking(), [&] {
        return m_service.snapshot(
            actor, cursor, [&](v1::SnapshotPage&& page) { pages.push_back(std::move(page)); });
    });
    for (auto& page : pages) {
        v1::Envelope envelope;
        *envelope.mutable_snapshot() = std::move(page);
        sendEnvelope(envelope, false);
    }
    m_liveReady = true;
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (const auto& batch : pending)
        applyBatch(*batch);
}

void SyncSession::deliver(const std::shared_ptr<const core::CommittedBatch>& batch)
{
    asio::post(m_strand, [self = std::static_pointer_cast<SyncSession>(shared_from_this()),
                          batch] {
        try {
            if (self->m_closing || !self->m_live)
                return;
            if (!self->m_liveReady)
                self->m_pending.push_back(batch);
            else
                self->applyBatch(*batch);
        } catch (const std::exception& e) {
            logger()->error("live batch for {}: {}", self->who(), e.what());
        }
    });
}

void SyncSession::accountChanged(const std::string& username)
{
    asio::post(m_strand, [self = std::static_pointer_cast<SyncSession>(shared_from_this()),
                          username] {
        try {
            if (self->m_closing || !self->m_actor || self->m_actor->id != username)
                return;
            const auto rolesBefore = self->m_actor->roles;
            if (!self->reauthenticate())
                return; // disabled, revoked or expired: Error sent, connection closing
            if (!self->m_live || self->m_actor->roles == rolesBefore)
                return;
            logger()->info("{}: roles changed, sending a fresh snapshot", self->who());
            if (!self->m_liveReady) {
                self->m_resnapshotWanted = true; // the running snapshot used the old roles
                return;
            }
            asio::co_spawn(self->m_strand, self->resnapshot(), [self](std::exception_ptr e) {
                if (!e)
                    return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& error) {
                    self->fail("server.unavailable",
                               std::string("could not read your cases: ") + error.what(),
                               beast::websocket::close_code::internal_error);
                }
            });
        } catch (const std::exception& e) {
            logger()->error("account change for {}: {}", self->who(), e.what());
        }
    });
}

asio::awaitable<void> SyncSession::resnapshot()
{
    // A reset from seq 0: the client replaces what it holds with exactly what the new roles
    // may see, so a case that left the view is gone and one that came into it arrives whole.
    do {
        m_resnapshotWanted = false;
        co_await startLive(0);
    } while (m_resnapshotWanted && !m_closing);
}

void SyncSession::applyBatch(const core::CommittedBatch& batch)
{
    if (m_closing || batch.uptoSeq <= m_snapshotSeq)
        return; // the snapshot already covered it
    core::SessionUpdate update = m_service.updateFor(*m_actor, batch);
    auto* events = update.batch.mutable_events();
    events->erase(std::remove_if(events->begin(), events->end(),
                                 [this](const v1::Event& e) { return e.seq() <= m_snapshotSeq; }),
                  events->end());
    if (update.batch.events_size() > 0 || update.batch.cases_size() > 0) {
        v1::Envelope envelope;
        *envelope.mutable_events() = std::move(update.batch);
        sendEnvelope(envelope);
    }
    for (auto& revoke : update.revokes) {
        v1::Envelope envelope;
        *envelope.mutable_revoke() = std::move(revoke);
        sendEnvelope(envelope);
    }
}

bool SyncSession::reauthenticate()
{
    // Checked again before each request so that a revoked session, a disabled account or a role
    // change takes effect on a connection that is already open.
    auto actor = m_service.authenticate(m_token);
    if (!actor) {
        fail(actor.failure().code, actor.failure().message);
        return false;
    }
    m_actor = std::move(*actor);
    return true;
}

void SyncSession::handleCommand(const v1::Command& command)
{
    if (!m_hub->accepting()) {
        // Not executed and not answered: the client keeps it in its outbox and resends it (same
        // command_id, so at most once) after reconnecting to the restarted server.
        logger()->debug("{}: command {} ignored, server is stopping", who(), command.command_id());
        return;
    }
    if (!reauthenticate())
        return;
    std::weak_ptr<Connection> weak = weak_from_this();
    // Runs on the writer thread: only copy the result and post it to our strand.
    m_service.submit(*m_actor, command, [weak, strand = m_strand](const v1::CommandResult& r) {
        asio::post(strand, [weak, result = r] {
            auto self = std::static_pointer_cast<SyncSession>(weak.lock());
            if (!self)
                return; // gone: the client gets the stored result when it resends the command
            v1::Envelope envelope;
            *envelope.mutable_command_result() = result;
            self->sendEnvelope(envelope);
        });
    });
}

asio::awaitable<void> SyncSession::handleQuery(v1::Query query)
{
    if (!reauthenticate())
        co_return;
    const core::Actor actor = *m_actor;
    v1::Envelope envelope;
    *envelope.mutable_query_result()
        = co_await offload(m_hub->blocking(), [&] { return m_service.query(actor, query); });
    if (envelope.query_result().query_id().empty())
        envelope.mutable_query_result()->set_query_id(query.query_id());
    sendEnvelope(envelope);
}

void SyncSession::handleLogout()
{
    if (!m_token.empty())
        m_service.logout(m_token);
    logger()->info("logout: {}", who());
    requestClose(websocket::close_code::normal, "logged out");
}

} // namespace latch::net
