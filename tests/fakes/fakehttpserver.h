#pragma once
// A local HTTP/1.1 server for tests (Boost.Beast): 127.0.0.1, a port the OS picks, keep-alive,
// one request handler. Tests queue faults for the requests to come (an injected status, a delay,
// a connection dropped before or after the handler ran) and read back every request received.
// FakeStripe, FakeSlack and FakeErp are this server with a service's handler; a suite that needs
// a one-off endpoint can also use it directly with a lambda.
//
// Threading: start() runs an io_context on a thread of its own; the handler is called on that
// thread, one request at a time. Every public member is thread-safe. A subclass whose handler
// reads its own members must call stop() in its destructor, before those members go.
// Ownership: the server owns its thread and sockets; stop() (or the destructor) closes the
// listening socket and every open connection, then joins the thread.
#include "httpmessage.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace latch::fakes {

// What the next request gets instead of the normal round trip. Queue with FakeHttpServer::inject.
struct Fault {
    enum class Kind {
        Respond, // answer `response`; the handler does not do the operation
        Delay, // handle normally, answer after `delay`
        DropBeforeHandling, // read the request, close the connection: nothing happened
        DropAfterHandling, // handle it (it took effect), close without answering
    };
    Kind kind = Kind::Respond;
    Response response; // Respond only
    std::chrono::milliseconds delay { 0 }; // waited before the answer (or the drop), any kind
    std::string path; // only the next request to this path; "" for any

    static Fault respond(Response response);
    static Fault respond(unsigned status, std::string body = {}, Headers headers = {});
    static Fault delayBy(std::chrono::milliseconds delay);
    static Fault dropBeforeHandling();
    static Fault dropAfterHandling();
    Fault& onlyFor(std::string requestPath)
    {
        path = std::move(requestPath);
        return *this;
    }
};

// What became of a recorded request.
enum class Outcome {
    Answered, // the handler's answer (possibly delayed) was written
    Injected, // a Respond fault stood in for the handler (see InjectedHandler)
    DroppedBeforeHandling,
    DroppedAfterHandling,
};

struct RecordedRequest : Request {
    Outcome outcome = Outcome::Answered;
};

class FakeHttpServer {
public:
    using Handler = std::function<Response(const Request&)>;
    // Decides what a Respond fault means for a request. Without one the injected response is
    // sent as is; FakeStripe uses it to save the injected answer under the Idempotency-Key.
    using InjectedHandler = std::function<Response(const Request&, Response injected)>;

    explicit FakeHttpServer(Handler handler, InjectedHandler injected = {});
    virtual ~FakeHttpServer();
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    // Listens on 127.0.0.1:`port` (0: the OS picks) and starts serving. Throws
    // std::system_error when the port cannot be bound. Does nothing while already running.
    void start(std::uint16_t port = 0);
    // Closes the listener and every connection, then joins the thread. Requests and queued
    // faults are kept; start() again serves the same state (on a new port unless given one).
    // Never from inside a handler: it would wait for itself.
    void stop();
    bool isRunning() const;

    std::uint16_t port() const; // 0 before start()
    std::string baseUrl() const; // "http://127.0.0.1:<port>"
    std::string url(std::string_view path) const { return baseUrl() + std::string(path); }

    // Faults apply in the order queued, one per request (a fault with a path waits for a
    // request to that path; requests to other paths pass it by).
    void inject(Fault fault);
    void respondNext(unsigned status, std::string body = {}, Headers headers = {});
    void delayNext(std::chrono::milliseconds delay);
    void dropNextBeforeHandling();
    void dropNextAfterHandling();
    std::size_t pendingFaults() const;
    void clearFaults();

    // Every request read since the last clearRequests(), in arrival order, dropped ones too.
    std::vector<RecordedRequest> requests() const;
    std::size_t requestCount() const;
    std::size_t connectionCount() const; // TCP connections accepted since start
    void clearRequests();
    // Blocks until requestCount() >= `count`; false on time-out.
    bool waitForRequests(
        std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

private:
    struct Engine;
    friend struct Engine;

    // Called on the server thread: records a request just read and takes its fault, if any.
    std::optional<Fault> admit(const Request& request);
    // The handler's (or the injected) answer; an exception from a handler becomes a 500.
    Response respond(const Request& request, const std::optional<Fault>& fault);
    std::uint64_t connectionAccepted();

    Handler m_handler;
    InjectedHandler m_injected;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_arrived;
    std::deque<Fault> m_faults;
    std::vector<RecordedRequest> m_requests;
    std::size_t m_connections = 0;
    std::uint16_t m_port = 0;

    std::unique_ptr<Engine> m_engine; // the io_context, acceptor and thread while running
};

} // namespace latch::fakes
