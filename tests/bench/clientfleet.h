#pragma once
// Many connections to one server, spread over the IoPool's threads: opened with a bounded number
// of handshakes in flight (a burst of thousands of SYNs would overflow the listen backlog and
// measure the kernel's retransmit timer instead of the server), each set up by a coroutine the
// scenario gives (Hello, snapshot), then driven by per-connection coroutines.
//
// Threading: the methods are called from the main thread; the coroutines they start run on each
// client's own thread. Destroy the fleet only after every coroutine using it has finished
// (abortAll(), then wait for the WaitGroup the loops were spawned with).
#include "benchclient.h"
#include "benchsupport.h"
#include "iopool.h"
#include "waitgroup.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace latch::bench {

class ClientFleet {
public:
    // A Step must return the awaitable of a coroutine *function* (arguments copied into its
    // frame), not be a coroutine lambda itself: spawnEach() does not keep the Step alive.
    using Step = std::function<asio::awaitable<void>(std::size_t index, BenchClient& client)>;

    struct OpenReport {
        std::size_t opened = 0;
        std::size_t failed = 0;
        std::string firstError;
        double seconds = 0;
    };

    ClientFleet(IoPool& pool, ServerAddress address);
    ~ClientFleet(); // abortAll()
    ClientFleet(const ClientFleet&) = delete;
    ClientFleet& operator=(const ClientFleet&) = delete;

    // Opens `count` more connections, at most `parallel` at a time, and runs `setup` on each.
    // A connection whose open or setup fails is left out of everything after (see the report).
    OpenReport open(std::size_t count, std::size_t parallel, const Step& setup);
    // Opens `count` request/response connections signed in with `token`. Returns false (after
    // saying on stderr which `scenario` lost how many) unless every one of them opened.
    bool openRequestClients(std::size_t count, std::size_t parallel, const std::string& token,
        const std::string& scenario);
    // Starts `loop` on every open connection, on its own thread; `group` counts them.
    void spawnEach(WaitGroup& group, const Step& loop);
    // Closes every socket and returns once that is done: pending reads and writes end with an
    // error (their coroutines still have to run to their end).
    void abortAll();

    std::size_t size() const { return m_clients.size(); }
    bool isOpen(std::size_t i) const { return m_open[i] != 0; }
    BenchClient& client(std::size_t i) { return *m_clients[i]; }

private:
    struct OpenState;
    static asio::awaitable<void> openWorker(ClientFleet* self, std::size_t base, std::size_t first,
        std::size_t stride, std::size_t count, std::atomic<std::size_t>* next, const Step* setup,
        OpenState* state);

    IoPool& m_pool;
    ServerAddress m_address;
    std::vector<std::unique_ptr<BenchClient>> m_clients;
    std::vector<char> m_open; // written by the client's thread during open(), read after it
};

} // namespace latch::bench
