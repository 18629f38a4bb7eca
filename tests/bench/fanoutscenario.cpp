// Scenario "fanout": many live connections watch while one writer adds notes to a case they all
// see, one at a time. For every (watcher, event) pair: the time from the writer sending the
// command to the watcher receiving the EventBatch that carries the event.
#include "benchsupport.h"
#include "clientfleet.h"
#include "latencyrecorder.h"
#include "scenarios.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace latch::bench {

namespace {

// The users the watchers sign in as, in turn: all of them see the support queue's cases.
const std::array<const char*, 3> kWatcherUsers = { "mkim", "jlee", "admin" };

struct Arrival {
    std::uint64_t seq;
    Clock::time_point at;
};

// Touched only by the watcher's own thread until the loops have ended.
struct WatcherState {
    std::vector<Arrival> arrivals;
    std::size_t snapshotPages = 0;
    std::size_t snapshotCases = 0;
    std::uint64_t revokes = 0;
    std::string closedBy; // non-empty when the connection ended before we ended it
    bool stopping = false;
};

struct Sent {
    std::uint64_t seq;
    Clock::time_point at;
};

struct WriterState {
    std::vector<Sent> sent;
    LatencyRecorder roundTrip; // the writer's own command -> result
    std::uint64_t rejected = 0;
    std::string lastRefusal;
};

asio::awaitable<void> setupWatcher(
    BenchClient& client, std::string token, std::uint64_t cursor, WatcherState* state)
{
    const HelloReply reply = co_await hello(client, std::move(token), cursor, true);
    state->snapshotPages = reply.snapshotPages;
    state->snapshotCases = reply.snapshotCases;
}

asio::awaitable<void> watch(
    BenchClient& client, WatcherState* state, std::atomic<std::uint64_t>* delivered)
{
    try {
        for (;;) {
            const v1::Envelope envelope = co_await client.receive();
            const auto now = Clock::now();
            if (envelope.has_events()) {
                for (const auto& event : envelope.events().events())
                    state->arrivals.push_back(Arrival { event.seq(), now });
                delivered->fetch_add(static_cast<std::uint64_t>(envelope.events().events_size()));
            } else if (envelope.has_revoke()) {
                ++state->revokes;
            } else if (envelope.has_error()) {
                state->closedBy = envelope.error().code() + ": " + envelope.error().message();
            }
        }
    } catch (const std::exception& e) {
        if (!state->stopping && state->closedBy.empty())
            state->closedBy = e.what();
    }
}

asio::awaitable<void> write(
    BenchClient& client, std::string caseId, std::size_t events, double rate, WriterState* state)
{
    asio::steady_timer timer(client.executor());
    const auto period
        = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
    const auto start = Clock::now();
    for (std::size_t n = 0; n < events; ++n) {
        timer.expires_at(start + period * static_cast<long>(n));
        co_await timer.async_wait(asio::use_awaitable);
        auto note = addNoteCommand(caseId, noteText(0, n));
        const auto sentAt = Clock::now();
        const v1::CommandResult result = co_await command(client, std::move(note));
        state->roundTrip.add(Clock::now() - sentAt);
        if (result.accepted() && result.seqs_size() > 0) {
            state->sent.push_back(Sent { result.seqs(0), sentAt });
        } else {
            ++state->rejected;
            state->lastRefusal = result.code() + ": " + result.message();
        }
    }
}

asio::awaitable<void> helloNotLive(BenchClient& client, std::string token, HelloReply* reply)
{
    *reply = co_await hello(client, std::move(token), 0, false);
}

} // namespace

int runFanout(const CommonOptions& common, const FanoutOptions& o)
{
    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(common.server);
    std::vector<std::string> tokens;
    for (const char* user : kWatcherUsers)
        tokens.push_back(loginOnce(pool, address, user, common.password));

    // The writer (mkim) makes the case first, so that every watcher's snapshot already has it.
    BenchClient writer(pool.executor(0));
    HelloReply writerHello;
    runBlocking(writer.executor(), writer.open(address.endpoint, address.host));
    runBlocking(writer.executor(), helloNotLive(writer, tokens[0], &writerHello));
    const auto caseIds
        = runBlocking(writer.executor(), createCases(writer, 1, "Fan-out benchmark"));
    // With --cursor-at-head: the head just after our create_case (a fresh catch-up, no cases).
    const std::uint64_t cursor = o.cursorAtHead ? writerHello.welcome.head_seq() + 1 : 0;

    std::cout << "fanout: opening " << o.watchers << " live connections (cursor " << cursor
              << ") ..." << std::endl;
    ClientFleet fleet(pool, address);
    std::vector<WatcherState> states(o.watchers);
    const auto opened
        = fleet.open(o.watchers, common.parallelOpens, [&](std::size_t i, BenchClient& c) {
              return setupWatcher(c, tokens[i % tokens.size()], cursor, &states[i]);
          });
    std::size_t pages = 0;
    std::size_t snapshotCases = 0;
    for (const auto& s : states) {
        pages += s.snapshotPages;
        snapshotCases += s.snapshotCases;
    }
    std::cout << "  " << opened.opened << " watchers live in " << fixed(opened.seconds, 2) << " s ("
              << pages << " snapshot pages, " << snapshotCases << " cases in all)" << std::endl;
    if (opened.failed > 0) {
        std::cout << "  " << opened.failed << " watcher(s) failed to connect: " << opened.firstError
                  << "\n";
    }

    std::atomic<std::uint64_t> delivered { 0 };
    WaitGroup watchers;
    fleet.spawnEach(
        watchers, [&](std::size_t i, BenchClient& c) { return watch(c, &states[i], &delivered); });

    std::cout << "  writer: " << o.events << " notes at " << fixed(o.rate, 0) << "/s ..."
              << std::endl;
    WriterState writerState;
    CpuMeter cpu(common.serverPid);
    cpu.start();
    runBlocking(writer.executor(), write(writer, caseIds.front(), o.events, o.rate, &writerState));

    const std::uint64_t expected
        = static_cast<std::uint64_t>(opened.opened) * writerState.sent.size();
    const auto drainEnd = Clock::now()
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.drain));
    while (delivered.load() < expected && Clock::now() < drainEnd)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cpu.stop();
    for (std::size_t i = 0; i < fleet.size(); ++i)
        asio::post(fleet.client(i).executor(), [s = &states[i]] { s->stopping = true; });
    fleet.abortAll();
    watchers.wait();
    writer.abort();
    pool.sync();

    std::unordered_map<std::uint64_t, Clock::time_point> sentAt;
    for (const auto& s : writerState.sent)
        sentAt.emplace(s.seq, s.at);
    LatencyRecorder latency;
    std::uint64_t matched = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t outOfOrder = 0;
    std::size_t dropped = 0;
    std::string dropReason;
    for (std::size_t i = 0; i < states.size(); ++i) {
        if (!fleet.isOpen(i))
            continue;
        const auto& s = states[i];
        std::uint64_t last = 0;
        std::unordered_map<std::uint64_t, bool> seen;
        for (const auto& a : s.arrivals) {
            if (a.seq <= last)
                ++outOfOrder;
            last = std::max(last, a.seq);
            const auto it = sentAt.find(a.seq);
            if (it == sentAt.end())
                continue;
            if (!seen.emplace(a.seq, true).second) {
                ++duplicates;
                continue;
            }
            ++matched;
            latency.add(a.at - it->second);
        }
        if (!s.closedBy.empty()) {
            ++dropped;
            dropReason = s.closedBy;
        }
    }
    const std::uint64_t missing = expected - std::min(expected, matched);
    const auto l = latency.summary();
    std::cout << "  " << matched << " of " << expected << " deliveries (" << opened.opened
              << " watchers x " << writerState.sent.size() << " events), " << missing
              << " missing\n"
              << "  send -> watcher receives, ms: p50 " << fixed(l.p50Ms, 2) << "  p90 "
              << fixed(l.p90Ms, 2) << "  p99 " << fixed(l.p99Ms, 2) << "  max " << fixed(l.maxMs, 2)
              << "  mean " << fixed(l.meanMs, 2) << "\n";
    if (duplicates > 0 || outOfOrder > 0)
        std::cout << "  PROTOCOL PROBLEM: " << duplicates << " duplicate and " << outOfOrder
                  << " out-of-order deliveries\n";
    if (dropped > 0)
        std::cout << "  " << dropped << " watcher(s) lost their connection, last: " << dropReason
                  << "\n";
    const auto w = writerState.roundTrip.summary();
    std::cout << "  the writer's own command -> result, ms: p50 " << fixed(w.p50Ms, 2) << "  p99 "
              << fixed(w.p99Ms, 2) << "  max " << fixed(w.maxMs, 2) << "\n"
              << "  " << cpu.perOperation(static_cast<double>(matched), "delivery") << "\n";
    if (writerState.rejected > 0)
        std::cout << "  writer: " << writerState.rejected
                  << " notes refused (last: " << writerState.lastRefusal << ")\n";
    printResult("fanout",
        { { "watchers", std::to_string(o.watchers) },
            { "watchers_live", std::to_string(opened.opened) },
            { "events", std::to_string(writerState.sent.size()) },
            { "deliveries", std::to_string(matched) }, { "missing", std::to_string(missing) },
            { "dropped_watchers", std::to_string(dropped) }, { "p50_ms", fixed(l.p50Ms, 2) },
            { "p99_ms", fixed(l.p99Ms, 2) }, { "max_ms", fixed(l.maxMs, 2) },
            { "connect_s", fixed(opened.seconds, 2) },
            { "server_cpu_s", fixed(cpu.serverSeconds(), 2) },
            { "bench_cpu_s", fixed(cpu.benchSeconds(), 2) } });
    return opened.failed > 0 || writerState.rejected > 0 ? 1 : 0;
}

} // namespace latch::bench
