#include "net/server.h"

#include "net/hub.h"
#include "net/listener.h"
#include "net/transport.h"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>

namespace latch::net {

using asio::ip::tcp;

namespace {

// "HOST:PORT" or "[V6]:PORT"; HOST is an IP address or "localhost".
Expected<tcp::endpoint> parseListen(const std::string& listen)
{
    const auto bad = [&](const std::string& why) {
        return fail("net.listen", "listen address '" + listen + "': " + why);
    };
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return bad("expected HOST:PORT");
    std::string host = listen.substr(0, colon);
    const std::string portText = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const char* const last = portText.data() + portText.size();
    const auto [end, err] = std::from_chars(portText.data(), last, port);
    if (portText.empty() || err != std::errc() || end != last || port > 65535) {
        return bad("the port must be a number from 0 to 65535");
    }
    if (host == "localhost")
        host = "127.0.0.1";
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        return bad("the host must be an IP address or localhost");
    return tcp::endpoint(address, static_cast<unsigned short>(port));
}

// OpenSSL 3 packs its error codes so that Boost 1.74's message() says only "asio.ssl error".
std::string describe(const boost::system::error_code& ec)
{
    if (ec.category() != asio::error::get_ssl_category())
        return ec.message();
    std::array<char, 256> text{};
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text.data(), text.size());
    return text.data();
}

// A missing or unreadable file, said plainly (OpenSSL's own errors are cryptic for that).
std::optional<std::string> unreadable(const std::string& path)
{
    std::ifstream file(path);
    if (file)
        return std::nullopt;
    return std::strerror(errno);
}

Expected<std::shared_ptr<asio::ssl::context>> makeTlsContext(const core::TlsConfig& tls)
{
    for (const auto* path : {&tls.certFile, &tls.keyFile}) {
        if (auto why = unreadable(*path))
            return fail("net.tls", "cannot read the TLS file '" + *path + "': " + *why);
    }
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                         | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                         | asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression
                         | asio::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    context->use_certificate_chain_file(tls.certFile, ec);
    if (ec) {
        return fail("net.tls", "cannot load the TLS certificate '" + tls.certFile
                                   + "': " + describe(ec));
    }
    context->use_private_key_file(tls.keyFile, asio::ssl::context::pem, ec);
    if (ec)
        return fail("net.tls", "cannot load the TLS key '" + tls.keyFile + "': " + describe(ec));
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        return fail("net.tls", "the TLS key '" + tls.keyFile + "' does not match the certificate '"
                                   + tls.certFile + "'");
    }
    return context;
}

} // namespace

namespace {
constexpr std::size_t kBlockingThreads = 2;
} // namespace

Server::Server(core::Service& service, asio::io_context& ioc)
    : m_service(service)
    , m_ioc(ioc)
    , m_blocking(kBlockingThreads)
{
}

Server::~Server()
{
    m_blocking.join(); // lets a running login or snapshot finish before the Service can go
}

Expected<tcp::endpoint> Server::start()
{
    const auto& config = m_service.config();
    auto endpoint = parseListen(config.listen);
    if (!endpoint)
        return endpoint.failure();

    std::shared_ptr<asio::ssl::context> tls;
    if (config.tls.enabled()) {
        auto context = makeTlsContext(config.tls);
        if (!context)
            return context.failure();
        tls = std::move(*context);
    } else if (!endpoint->address().is_loopback() && !config.allowPlainRemote) {
        return fail("net.plain_remote",
                    "refusing plain ws:// on the non-loopback address " + config.listen
                        + ": configure server.tls, or set server.allow_plain_remote when a "
                          "TLS-terminating proxy is in front");
    }

    auto hub = std::make_shared<Hub>(m_service, m_blocking.get_executor());
    hub->setWebhooks(m_webhooks);
    auto listener = std::make_shared<Listener>(m_ioc, hub, tls);
    auto bound = listener->open(*endpoint);
    if (!bound)
        return bound.failure();
    m_hub = std::move(hub);
    m_listener = std::move(listener);
    m_hub->setAccepting(true);
    m_hub->attach();
    m_listener->start();
    logger()->info("listening on {}:{} ({})", bound->address().to_string(), bound->port(),
                   tls ? "TLS" : "plain");
    return bound;
}

void Server::addWebhook(std::shared_ptr<const core::Webhook> webhook)
{
    m_webhooks.push_back(std::move(webhook));
}

void Server::stop()
{
    if (!m_hub || !m_hub->accepting())
        return;
    m_hub->setAccepting(false);
    m_listener->stop();
}

void Server::closeAll()
{
    if (!m_hub)
        return;
    stop();
    m_hub->shutdownAll();
    m_hub->detach();
}

ServerStats Server::stats() const
{
    ServerStats stats;
    if (!m_hub)
        return stats;
    auto& c = m_hub->counters();
    stats.openConnections = m_hub->openConnections();
    stats.liveSessions = m_hub->liveSessions();
    stats.connectionsTotal = c.connectionsTotal.load();
    stats.webSocketsTotal = c.webSocketsTotal.load();
    stats.framesIn = c.framesIn.load();
    stats.framesOut = c.framesOut.load();
    stats.slowConsumersDropped = c.slowConsumersDropped.load();
    stats.protocolErrors = c.protocolErrors.load();
    return stats;
}

} // namespace latch::net
