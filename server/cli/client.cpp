#include "client.h"

#include "latch/ids.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cctype>
#include <functional>
#include <openssl/err.h>
#include <optional>

namespace latch::cli {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using Deadline = std::optional<std::chrono::steady_clock::time_point>;

namespace {

constexpr std::uint32_t kProtocolVersion = 1;
constexpr std::size_t kMaxMessageBytes = 64u << 20;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Deadline deadlineAfter(std::chrono::milliseconds timeout)
{
    if (timeout.count() <= 0)
        return std::nullopt;
    return std::chrono::steady_clock::now() + timeout;
}

std::string seconds(std::chrono::milliseconds ms)
{
    const auto s = std::max<long long>(1, (ms.count() + 999) / 1000);
    return std::to_string(s) + " s";
}

bool isIpAddress(const std::string& host)
{
    beast::error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

} // namespace

Expected<ServerUrl> parseServerUrl(const std::string& url)
{
    const auto bad = [&url](const std::string& why) {
        return fail("client.url",
            "cannot use server address \"" + url + "\": " + why
                + " — write it as ws://HOST:PORT/sync or wss://HOST:PORT/sync");
    };
    ServerUrl out;
    out.text = url;
    std::string rest;
    const std::string l = lower(url);
    if (l.rfind("ws://", 0) == 0) {
        rest = url.substr(5);
    } else if (l.rfind("wss://", 0) == 0) {
        out.tls = true;
        rest = url.substr(6);
    } else {
        return bad("it must start with ws:// or wss://");
    }
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    out.target = slash == std::string::npos ? "/sync" : rest.substr(slash);
    if (authority.empty())
        return bad("the host is missing");
    if (authority.front() == '[') { // [::1]:7443
        const auto close = authority.find(']');
        if (close == std::string::npos)
            return bad("the IPv6 address has no closing ]");
        out.host = authority.substr(1, close - 1);
        const std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return bad("unexpected text after the IPv6 address");
            out.port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        if (colon != std::string::npos)
            out.port = authority.substr(colon + 1);
    }
    if (out.host.empty())
        return bad("the host is missing");
    if (out.port.empty())
        out.port = out.tls ? "443" : "80";
    if (!std::all_of(out.port.begin(), out.port.end(), [](char c) { return c >= '0' && c <= '9'; })
        || out.port.size() > 5 || std::stoi(out.port) > 65535)
        return bad("the port must be a number from 1 to 65535");
    return out;
}

// ---------------------------------------------------------------------------------------------
// Transport: the WebSocket over plain TCP or TLS, driven synchronously. Each operation is started
// asynchronously and the io_context is run until it completes or its deadline passes; a late
// operation is cancelled by closing the socket, which leaves the transport unusable.

enum class Stage { Resolve, Connect, Tls, Upgrade, Io };

struct IoResult {
    Stage stage = Stage::Io;
    beast::error_code ec;
    unsigned httpStatus = 0;
    explicit operator bool() const { return !ec; }
};

class Client::Transport {
public:
    virtual ~Transport() = default;
    virtual IoResult open(const ServerUrl& url, Deadline deadline) = 0;
    virtual beast::error_code write(const std::string& bytes, Deadline deadline) = 0;
    virtual beast::error_code read(std::string& out, Deadline deadline) = 0;
    virtual void shutdown() = 0;
    virtual std::string closeReason() const = 0;
    bool usable = false;

protected:
    using DoneFn = std::function<void(beast::error_code)>;

    // Runs one asynchronous operation to completion or to the deadline.
    beast::error_code run(const std::function<void(DoneFn)>& start, Deadline deadline)
    {
        std::optional<beast::error_code> result;
        start([&result](beast::error_code ec) { result = ec; });
        m_ioc.restart();
        while (!result) {
            const std::size_t ran = deadline ? m_ioc.run_one_until(*deadline) : m_ioc.run_one();
            if (ran == 0)
                break;
        }
        if (result)
            return *result;
        // Too late: abort the operation and let its handler run before `result` goes away.
        abort();
        usable = false;
        m_ioc.restart();
        while (!result && m_ioc.run_one() > 0) { }
        return net::error::timed_out;
    }

    virtual void abort() = 0;

    net::io_context m_ioc;
};

template <typename Stream> class Client::TransportImpl final : public Client::Transport {
public:
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

    explicit TransportImpl(std::unique_ptr<ssl::context> tls)
        : m_tls(std::move(tls))
        , m_resolver(m_ioc)
    {
        if constexpr (kTls)
            m_ws.emplace(m_ioc, *m_tls);
        else
            m_ws.emplace(m_ioc);
    }

    IoResult open(const ServerUrl& url, Deadline deadline) override
    {
        tcp::resolver::results_type endpoints;
        IoResult r;
        r.stage = Stage::Resolve;
        r.ec = run(
            [&](const DoneFn& done) {
                m_resolver.async_resolve(url.host, url.port,
                    [&endpoints, done](beast::error_code ec, tcp::resolver::results_type found) {
                        endpoints = std::move(found);
                        done(ec);
                    });
            },
            deadline);
        if (r.ec)
            return r;
        r.stage = Stage::Connect;
        r.ec = run(
            [&](const DoneFn& done) {
                beast::get_lowest_layer(*m_ws).async_connect(
                    endpoints, [done](beast::error_code ec, const tcp::endpoint&) { done(ec); });
            },
            deadline);
        if (r.ec)
            return r;
        if constexpr (kTls) {
            r.stage = Stage::Tls;
            auto& tls = m_ws->next_layer();
            if (!isIpAddress(url.host)
                && !SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str())) {
                r.ec = beast::error_code(
                    static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
                return r;
            }
            tls.set_verify_callback(ssl::host_name_verification(url.host));
            r.ec = run(
                [&](const DoneFn& done) {
                    tls.async_handshake(
                        ssl::stream_base::client, [done](beast::error_code ec) { done(ec); });
                },
                deadline);
            if (r.ec)
                return r;
        }
        r.stage = Stage::Upgrade;
        m_ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        m_ws->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "latchctl/0.1");
        }));
        m_ws->read_message_max(kMaxMessageBytes);
        m_ws->binary(true);
        websocket::response_type response;
        const bool v6 = url.host.find(':') != std::string::npos;
        const std::string hostHeader = (v6 ? "[" + url.host + "]" : url.host) + ":" + url.port;
        r.ec = run(
            [&](const DoneFn& done) {
                m_ws->async_handshake(
                    response, hostHeader, url.target, [done](beast::error_code ec) { done(ec); });
            },
            deadline);
        r.httpStatus = response.result_int();
        usable = !r.ec;
        return r;
    }

    beast::error_code write(const std::string& bytes, Deadline deadline) override
    {
        const auto ec = run(
            [&](const DoneFn& done) {
                m_ws->async_write(
                    net::buffer(bytes), [done](beast::error_code e, std::size_t) { done(e); });
            },
            deadline);
        if (ec)
            usable = false;
        return ec;
    }

    beast::error_code read(std::string& out, Deadline deadline) override
    {
        beast::flat_buffer buffer;
        const auto ec = run(
            [&](const DoneFn& done) {
                m_ws->async_read(buffer, [done](beast::error_code e, std::size_t) { done(e); });
            },
            deadline);
        if (ec) {
            usable = false;
            return ec;
        }
        out = beast::buffers_to_string(buffer.data());
        return ec;
    }

    void shutdown() override
    {
        if (usable) {
            usable = false;
            run(
                [&](const DoneFn& done) {
                    m_ws->async_close(
                        websocket::close_code::normal, [done](beast::error_code e) { done(e); });
                },
                deadlineAfter(std::chrono::milliseconds(2000)));
        }
        abort();
    }

    std::string closeReason() const override
    {
        const auto& reason = m_ws->reason();
        return std::string(reason.reason.data(), reason.reason.size());
    }

private:
    void abort() override
    {
        beast::error_code ignored;
        m_resolver.cancel(); // a DNS lookup that hangs must not hold us past the deadline
        beast::get_lowest_layer(*m_ws).socket().close(ignored);
    }

    std::unique_ptr<ssl::context> m_tls; // outlives the stream that uses it
    tcp::resolver m_resolver;
    std::optional<websocket::stream<Stream>> m_ws;
};

// ---------------------------------------------------------------------------------------------

namespace {

struct TlsSetup {
    std::unique_ptr<ssl::context> context;
    std::optional<Failure> failure;
};

TlsSetup makeTlsContext(const ClientOptions& options)
{
    TlsSetup out;
    out.context = std::make_unique<ssl::context>(ssl::context::tls_client);
    beast::error_code ec;
    if (options.insecure) {
        out.context->set_verify_mode(ssl::verify_none);
        return out;
    }
    out.context->set_verify_mode(ssl::verify_peer);
    out.context->set_default_verify_paths(ec);
    if (!options.caFile.empty()) {
        out.context->load_verify_file(options.caFile, ec);
        if (ec)
            out.failure = fail("client.tls",
                "cannot read the CA certificate \"" + options.caFile + "\": " + ec.message()
                    + " — pass a PEM file with --ca");
    }
    return out;
}

} // namespace

Client::Client(ClientOptions options)
    : m_options(std::move(options))
{
}

Client::~Client()
{
    close();
}

bool Client::connected() const
{
    return m_transport && m_transport->usable;
}

Failure Client::connectFailure(const std::string& what, const std::string& detail) const
{
    return fail("client.connect",
        "cannot reach " + m_url.text + ": " + what + (detail.empty() ? "" : " — " + detail));
}

Failure Client::droppedFailure(const std::string& detail) const
{
    std::string reason = m_transport ? m_transport->closeReason() : std::string();
    return fail("client.protocol",
        "the connection to " + m_url.text + " was lost: " + detail
            + (reason.empty() ? "" : " (" + reason + ")")
            + " — check that latch-server is still running and try again");
}

Done Client::connect(const std::string& url)
{
    close();
    auto parsed = parseServerUrl(url);
    if (!parsed)
        return parsed.failure();
    m_url = *parsed;

    if (m_url.tls) {
        auto setup = makeTlsContext(m_options);
        if (setup.failure)
            return *setup.failure;
        m_transport = std::make_unique<TransportImpl<beast::ssl_stream<beast::tcp_stream>>>(
            std::move(setup.context));
    } else {
        m_transport = std::make_unique<TransportImpl<beast::tcp_stream>>(nullptr);
    }

    const auto result = m_transport->open(m_url, deadlineAfter(m_options.connectTimeout));
    if (result)
        return std::monostate {};
    m_transport->usable = false;
    const auto& ec = result.ec;
    const std::string advice = "is latch-server running? set --server or LATCH_SERVER";
    if (ec == net::error::timed_out)
        return connectFailure("no answer within " + seconds(m_options.connectTimeout), advice);
    switch (result.stage) {
    case Stage::Resolve:
        return connectFailure("cannot resolve host \"" + m_url.host + "\" (" + ec.message() + ")",
            "check the host name in --server or LATCH_SERVER");
    case Stage::Connect:
        if (ec == net::error::connection_refused)
            return connectFailure("connection refused", advice);
        return connectFailure(lower(ec.message()), advice);
    case Stage::Tls: {
        const std::string detail = lower(ec.message());
        std::string advice2;
        if (detail.find("certificate") != std::string::npos)
            advice2 = "pass --ca FILE with the CA that signed the server's certificate "
                      "(or --insecure for a test server only)";
        else if (detail.find("wrong version") != std::string::npos
            || detail.find("packet length") != std::string::npos)
            advice2 = "the server does not seem to speak TLS: try ws:// instead of wss://";
        else
            advice2 = "check that the server uses TLS and that --ca names the right CA";
        return fail("client.tls",
            "TLS handshake with " + m_url.text + " failed: " + detail + " — " + advice2);
    }
    case Stage::Upgrade:
    case Stage::Io:
        break;
    }
    if (ec == websocket::error::upgrade_declined && result.httpStatus != 101)
        return fail("client.protocol",
            m_url.text + " answered HTTP " + std::to_string(result.httpStatus)
                + " instead of opening a WebSocket — check the path (latch-server "
                  "listens on /sync)");
    std::string advice3 = "is this a latch-server address?";
    if (!m_url.tls)
        advice3 += " if the server uses TLS, write wss://";
    return fail("client.protocol",
        "cannot open a WebSocket to " + m_url.text + ": " + lower(ec.message()) + " — " + advice3);
}

Done Client::send(const v1::Envelope& envelope)
{
    if (!connected())
        return fail("client.protocol", "not connected to a server");
    std::string bytes;
    if (!envelope.SerializeToString(&bytes))
        return fail("client.protocol", "could not encode the request");
    const auto ec = m_transport->write(bytes, deadlineAfter(m_options.requestTimeout));
    if (ec == net::error::timed_out)
        return fail("client.timeout",
            m_url.text + " did not accept the request within " + seconds(m_options.requestTimeout)
                + " — the server may be overloaded; try again");
    if (ec)
        return droppedFailure(lower(ec.message()));
    return std::monostate {};
}

Expected<v1::Envelope> Client::readEnvelope(std::chrono::milliseconds timeout)
{
    if (!m_transport)
        return fail("client.protocol", "not connected to a server");
    if (!m_transport->usable)
        return droppedFailure("the connection is closed");
    std::string bytes;
    const auto ec = m_transport->read(bytes, deadlineAfter(timeout));
    if (ec == net::error::timed_out)
        return fail("client.timeout",
            m_url.text + " did not answer within " + seconds(timeout)
                + " — the server may be overloaded; try again");
    if (ec == websocket::error::closed)
        return droppedFailure("the server closed it");
    if (ec)
        return droppedFailure(lower(ec.message()));
    v1::Envelope envelope;
    if (!envelope.ParseFromString(bytes))
        return fail("client.protocol",
            m_url.text
                + " sent a frame that is not a Latch envelope"
                  " — is --server pointing at latch-server?");
    if (envelope.has_error()) {
        if (envelope.error().fatal())
            m_transport->shutdown();
        const auto& e = envelope.error();
        return fail(e.code().empty() ? "server.error" : e.code(),
            e.message().empty() ? "the server reported an error" : e.message());
    }
    return envelope;
}

Expected<v1::Envelope> Client::request(
    const v1::Envelope& envelope, v1::Envelope::MsgCase answer, const std::string& id)
{
    if (auto sent = send(envelope); !sent)
        return sent.failure();
    const auto deadline = std::chrono::steady_clock::now() + m_options.requestTimeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return fail("client.timeout",
                m_url.text + " did not answer within " + seconds(m_options.requestTimeout)
                    + " — the server may be overloaded; try again");
        auto reply = readEnvelope(left);
        if (!reply)
            return reply;
        if (reply->msg_case() != answer)
            continue; // pushes on a live connection; not what we wait for
        if (answer == v1::Envelope::kQueryResult && reply->query_result().query_id() != id)
            continue;
        if (answer == v1::Envelope::kCommandResult && reply->command_result().command_id() != id)
            continue;
        return reply;
    }
}

Expected<v1::LoginResult> Client::login(
    const std::string& username, const std::string& password, const std::string& device)
{
    v1::Envelope envelope;
    auto* login = envelope.mutable_login();
    login->set_username(username);
    login->set_password(password);
    login->set_device(device);
    auto reply = request(envelope, v1::Envelope::kLoginResult, {});
    if (!reply)
        return reply.failure();
    const auto& result = reply->login_result();
    if (!result.ok())
        return fail(result.code().empty() ? "auth.failed" : result.code(),
            result.message().empty() ? "the server refused the login" : result.message());
    return result;
}

Expected<v1::Welcome> Client::hello(
    const std::string& token, bool live, std::uint64_t cursor, const std::string& deviceId)
{
    v1::Envelope envelope;
    auto* hello = envelope.mutable_hello();
    hello->set_protocol_version(kProtocolVersion);
    hello->set_token(token);
    hello->set_device_id(deviceId);
    hello->set_cursor(cursor);
    hello->set_live(live);
    auto reply = request(envelope, v1::Envelope::kWelcome, {});
    if (!reply)
        return reply.failure();
    return reply->welcome();
}

Expected<v1::QueryResult> Client::query(v1::Query query)
{
    query.set_query_id(newUuid());
    const std::string id = query.query_id();
    v1::Envelope envelope;
    *envelope.mutable_query() = std::move(query);
    auto reply = request(envelope, v1::Envelope::kQueryResult, id);
    if (!reply)
        return reply.failure();
    const auto& result = reply->query_result();
    if (!result.ok())
        return fail(result.code().empty() ? "query.failed" : result.code(),
            result.message().empty() ? "the server refused the query" : result.message());
    return result;
}

Expected<v1::CommandResult> Client::command(v1::Command command)
{
    if (command.command_id().empty())
        command.set_command_id(newUuid());
    const std::string id = command.command_id();
    v1::Envelope envelope;
    *envelope.mutable_command() = std::move(command);
    auto reply = request(envelope, v1::Envelope::kCommandResult, id);
    if (!reply)
        return reply.failure();
    return reply->command_result();
}

Done Client::logout()
{
    v1::Envelope envelope;
    envelope.mutable_logout();
    auto sent = send(envelope);
    close(); // the close handshake flushes the logout frame first
    return sent;
}

void Client::close()
{
    if (m_transport) {
        m_transport->shutdown();
        m_transport.reset();
    }
}

} // namespace latch::cli
