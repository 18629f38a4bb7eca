#pragma once
// What every scenario shares: where the server is, the protocol steps (Login, Hello with its
// snapshot, Command and its result), the commands the benchmarks send, running a coroutine from
// the main thread, and the one-line RESULT records run.sh reads.
#include "benchclient.h"
#include "iopool.h"
#include "latch.pb.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <string>
#include <utility>
#include <vector>

namespace latch::bench {

using Clock = std::chrono::steady_clock;

struct ServerAddress {
    std::string host; // for the Host header
    asio::ip::tcp::endpoint endpoint;
};

// "ws://127.0.0.1:PORT/sync", "127.0.0.1:PORT" or "localhost:PORT". Throws std::invalid_argument.
ServerAddress parseServerUrl(const std::string& url);

// Login -> the token. Throws when the server refuses.
asio::awaitable<std::string> login(BenchClient& client, std::string user, std::string password);

struct HelloReply {
    v1::Welcome welcome;
    std::size_t snapshotPages = 0;
    std::size_t snapshotCases = 0;
    std::uint64_t uptoSeq = 0;
};

// Hello -> Welcome; with `live`, also reads the snapshot up to and including its last page.
// Throws on an Error reply.
asio::awaitable<HelloReply> hello(
    BenchClient& client, std::string token, std::uint64_t cursor, bool live);

// Sends `command` and waits for its CommandResult, skipping anything pushed meanwhile.
asio::awaitable<v1::CommandResult> command(BenchClient& client, v1::Command command);

v1::Envelope envelopeOf(const v1::Command& command);
v1::Command createCaseCommand(const std::string& type, const std::string& title);
v1::Command addNoteCommand(const std::string& caseId, const std::string& text);
// About 120 characters, so that a stored note_added event is about 300 bytes.
std::string noteText(std::size_t client, std::uint64_t n);

// Logs `user` in on a connection of its own (closed afterwards) and returns the token. A login
// costs the server an Argon2id verification: do it once per user and reuse the token.
std::string loginOnce(IoPool& pool, const ServerAddress& address, const std::string& user,
    const std::string& password);

// Creates `count` escalation cases (the support queue: mkim, jlee and admin see them).
asio::awaitable<std::vector<std::string>> createCases(
    BenchClient& client, std::size_t count, std::string label);

// Hello with `token` for a request/response connection (no snapshot, no pushes).
asio::awaitable<void> helloRequests(BenchClient& client, std::string token);

// On a connection of its own: signs in with `token` and creates `count` cases (see createCases).
std::vector<std::string> prepareCases(IoPool& pool, const ServerAddress& address,
    const std::string& token, std::size_t count, const std::string& label);

// Runs `work` on `executor` and blocks the calling (main) thread until it ends; rethrows.
template <class T> T runBlocking(const asio::any_io_executor& executor, asio::awaitable<T> work)
{
    std::promise<T> promise;
    auto future = promise.get_future();
    asio::co_spawn(executor, std::move(work), [&promise](std::exception_ptr error, T value) {
        if (error)
            promise.set_exception(error);
        else
            promise.set_value(std::move(value));
    });
    return future.get();
}

void runBlocking(const asio::any_io_executor& executor, asio::awaitable<void> work);

// VmRSS of a process in KiB (0 when unreadable). pid 0: this process.
std::uint64_t residentKiB(int pid);
// CPU time (user + system, every thread) a process has used so far, in seconds. pid 0: this
// process. 0 when unreadable.
double cpuSeconds(int pid);

// CPU used by the server (when its pid is known) and by latch-bench over one measured stretch,
// reported per operation: it says where the time of a figure went.
class CpuMeter {
public:
    explicit CpuMeter(int serverPid);
    void start();
    void stop();
    double serverSeconds() const { return m_server; }
    double benchSeconds() const { return m_bench; }
    bool hasServer() const { return m_pid != 0; }
    // "server 41 us + latch-bench 12 us of CPU per <what>" (server part only when known).
    std::string perOperation(double operations, const std::string& what) const;

private:
    int m_pid;
    double m_serverStart = 0;
    double m_benchStart = 0;
    double m_server = 0;
    double m_bench = 0;
};

// "RESULT <scenario> key=value ..." on stdout: the line run.sh parses.
void printResult(
    const std::string& scenario, const std::vector<std::pair<std::string, std::string>>& fields);
std::string fixed(double value, int decimals = 1);

double secondsSince(Clock::time_point start);

} // namespace latch::bench
