#include "fakehttpserver.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <exception>
#include <map>

namespace latch::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr std::uint64_t kBodyLimit = 8 * 1024 * 1024;

auto withError(boost::system::error_code& ec)
{
    return asio::redirect_error(asio::use_awaitable, ec);
}

// co_spawn completion: a coroutine that throws is a bug in the fake; say so and carry on.
void reportCrash(const char* what, const std::exception_ptr& error)
{
    if (!error)
        return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fake http server: %s: %s\n", what, e.what());
    } catch (...) {
        std::fprintf(stderr, "fake http server: %s: unknown exception\n", what);
    }
}

Request toRequest(const http::request<http::string_body>& message, std::uint64_t connection)
{
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message)
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.body = message.body();
    request.connection = connection;
    return request;
}

http::response<http::string_body> toMessage(
    const Response& response, unsigned version, bool keepAlive)
{
    http::response<http::string_body> message;
    message.version(version);
    message.result(response.status);
    for (const auto& [name, value] : response.headers)
        message.insert(name, value);
    message.body() = response.body;
    message.keep_alive(keepAlive);
    message.prepare_payload();
    return message;
}

// One accepted connection. Lives in its serve() coroutine; the engine keeps a plain pointer to
// it (server thread only) so that stop() can close it.
struct Connection {
    Connection(tcp::socket socket, std::uint64_t id)
        : stream(std::move(socket))
        , timer(stream.get_executor())
        , id(id)
    {
    }

    void close()
    {
        boost::system::error_code ignored;
        timer.cancel();
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
    }

    beast::tcp_stream stream;
    asio::steady_timer timer;
    beast::flat_buffer buffer;
    std::uint64_t id;
};

} // namespace

Fault Fault::respond(Response response)
{
    Fault fault;
    fault.response = std::move(response);
    return fault;
}

Fault Fault::respond(unsigned status, std::string body, Headers headers)
{
    Response response;
    response.status = status;
    response.headers = std::move(headers);
    response.body = std::move(body);
    return respond(std::move(response));
}

Fault Fault::delayBy(std::chrono::milliseconds delay)
{
    Fault fault;
    fault.kind = Kind::Delay;
    fault.delay = delay;
    return fault;
}

Fault Fault::dropBeforeHandling()
{
    Fault fault;
    fault.kind = Kind::DropBeforeHandling;
    return fault;
}

Fault Fault::dropAfterHandling()
{
    Fault fault;
    fault.kind = Kind::DropAfterHandling;
    return fault;
}

// The Asio side of a running server: everything here but the constructor runs on `thread`.
struct FakeHttpServer::Engine {
    explicit Engine(FakeHttpServer& owner)
        : owner(owner)
    {
    }

    asio::awaitable<void> acceptLoop();
    asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    asio::awaitable<void> pause(Connection& connection, std::chrono::milliseconds delay);
    void closeAll();

    FakeHttpServer& owner;
    asio::io_context ioc { 1 };
    tcp::acceptor acceptor { ioc };
    std::map<std::uint64_t, Connection*> open;
    std::thread thread;
};

asio::awaitable<void> FakeHttpServer::Engine::acceptLoop()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket = co_await acceptor.async_accept(withError(ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
            continue; // e.g. the peer reset before we got to it
        auto connection
            = std::make_shared<Connection>(std::move(socket), owner.connectionAccepted());
        open.emplace(connection->id, connection.get());
        asio::co_spawn(ioc, serve(std::move(connection)),
            [](std::exception_ptr e) { reportCrash("connection", e); });
    }
}

asio::awaitable<void> FakeHttpServer::Engine::pause(
    Connection& connection, std::chrono::milliseconds delay)
{
    if (delay.count() <= 0)
        co_return;
    boost::system::error_code ec;
    connection.timer.expires_after(delay);
    co_await connection.timer.async_wait(withError(ec));
}

asio::awaitable<void> FakeHttpServer::Engine::serve(std::shared_ptr<Connection> connection)
{
    auto& stream = connection->stream;
    boost::system::error_code ec;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kBodyLimit);
        co_await http::async_read_header(stream, connection->buffer, parser, withError(ec));
        if (ec)
            break;
        const auto expect = parser.get()[http::field::expect];
        if (equalsIgnoringCase({ expect.data(), expect.size() }, "100-continue")) {
            http::response<http::empty_body> goOn { http::status::continue_, 11 };
            co_await http::async_write(stream, goOn, withError(ec));
            if (ec)
                break;
        }
        co_await http::async_read(stream, connection->buffer, parser, withError(ec));
        if (ec)
            break;
        const auto message = parser.release();
        const Request request = toRequest(message, connection->id);

        const std::optional<Fault> fault = owner.admit(request);
        const auto delay = fault ? fault->delay : std::chrono::milliseconds(0);
        const auto is = [&](Fault::Kind kind) { return fault && fault->kind == kind; };
        if (is(Fault::Kind::DropBeforeHandling)) {
            co_await pause(*connection, delay);
            break;
        }
        const Response response = owner.respond(request, fault);
        co_await pause(*connection, delay);
        if (is(Fault::Kind::DropAfterHandling) || !stream.socket().is_open())
            break;
        auto reply = toMessage(response, message.version(), message.keep_alive());
        co_await http::async_write(stream, reply, withError(ec));
        if (ec || reply.need_eof())
            break;
    }
    // Ends with a FIN (or a reset when the peer's request is still unread): either way the
    // client sees the connection end without an answer.
    connection->close();
    open.erase(connection->id);
}

void FakeHttpServer::Engine::closeAll()
{
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (auto& [id, connection] : open)
        connection->close();
}

FakeHttpServer::FakeHttpServer(Handler handler, InjectedHandler injected)
    : m_handler(std::move(handler))
    , m_injected(std::move(injected))
{
}

FakeHttpServer::~FakeHttpServer()
{
    stop();
}

void FakeHttpServer::start(std::uint16_t port)
{
    std::lock_guard lock(m_mutex);
    if (m_engine)
        return;
    auto engine = std::make_unique<Engine>(*this);
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    engine->acceptor.open(endpoint.protocol());
    engine->acceptor.set_option(asio::socket_base::reuse_address(true));
    engine->acceptor.bind(endpoint);
    engine->acceptor.listen();
    m_port = engine->acceptor.local_endpoint().port();
    asio::co_spawn(engine->ioc, engine->acceptLoop(),
        [](std::exception_ptr e) { reportCrash("accept loop", e); });
    engine->thread = std::thread([raw = engine.get()] { raw->ioc.run(); });
    m_engine = std::move(engine);
}

void FakeHttpServer::stop()
{
    std::unique_ptr<Engine> engine;
    {
        std::lock_guard lock(m_mutex);
        engine = std::move(m_engine);
    }
    if (!engine)
        return;
    // Every coroutine ends once its socket or timer is closed; run() then returns by itself.
    asio::post(engine->ioc, [raw = engine.get()] { raw->closeAll(); });
    engine->thread.join();
}

bool FakeHttpServer::isRunning() const
{
    std::lock_guard lock(m_mutex);
    return m_engine != nullptr;
}

std::uint16_t FakeHttpServer::port() const
{
    std::lock_guard lock(m_mutex);
    return m_port;
}

std::string FakeHttpServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(port());
}

void FakeHttpServer::inject(Fault fault)
{
    std::lock_guard lock(m_mutex);
    m_faults.push_back(std::move(fault));
}

void FakeHttpServer::respondNext(unsigned status, std::string body, Headers headers)
{
    inject(Fault::respond(status, std::move(body), std::move(headers)));
}

void FakeHttpServer::delayNext(std::chrono::milliseconds delay)
{
    inject(Fault::delayBy(delay));
}

void FakeHttpServer::dropNextBeforeHandling()
{
    inject(Fault::dropBeforeHandling());
}

void FakeHttpServer::dropNextAfterHandling()
{
    inject(Fault::dropAfterHandling());
}

std::size_t FakeHttpServer::pendingFaults() const
{
    std::lock_guard lock(m_mutex);
    return m_faults.size();
}

void FakeHttpServer::clearFaults()
{
    std::lock_guard lock(m_mutex);
    m_faults.clear();
}

std::vector<RecordedRequest> FakeHttpServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::size_t FakeHttpServer::requestCount() const
{
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

std::size_t FakeHttpServer::connectionCount() const
{
    std::lock_guard lock(m_mutex);
    return m_connections;
}

void FakeHttpServer::clearRequests()
{
    std::lock_guard lock(m_mutex);
    m_requests.clear();
}

bool FakeHttpServer::waitForRequests(std::size_t count, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_arrived.wait_for(lock, timeout, [&] { return m_requests.size() >= count; });
}

std::optional<Fault> FakeHttpServer::admit(const Request& request)
{
    std::optional<Fault> fault;
    RecordedRequest record;
    static_cast<Request&>(record) = request;
    {
        std::lock_guard lock(m_mutex);
        const auto path = request.path();
        const auto it = std::find_if(m_faults.begin(), m_faults.end(),
            [&](const Fault& f) { return f.path.empty() || f.path == path; });
        if (it != m_faults.end()) {
            fault = std::move(*it);
            m_faults.erase(it);
            switch (fault->kind) {
            case Fault::Kind::Respond:
                record.outcome = Outcome::Injected;
                break;
            case Fault::Kind::DropBeforeHandling:
                record.outcome = Outcome::DroppedBeforeHandling;
                break;
            case Fault::Kind::DropAfterHandling:
                record.outcome = Outcome::DroppedAfterHandling;
                break;
            case Fault::Kind::Delay:
                break;
            }
        }
        m_requests.push_back(std::move(record));
    }
    m_arrived.notify_all();
    return fault;
}

Response FakeHttpServer::respond(const Request& request, const std::optional<Fault>& fault)
{
    try {
        if (fault && fault->kind == Fault::Kind::Respond)
            return m_injected ? m_injected(request, fault->response) : fault->response;
        return m_handler(request);
    } catch (const std::exception& e) {
        return Response::text(500, std::string("fake handler threw: ") + e.what() + "\n");
    }
}

std::uint64_t FakeHttpServer::connectionAccepted()
{
    std::lock_guard lock(m_mutex);
    return ++m_connections;
}

} // namespace latch::fakes
