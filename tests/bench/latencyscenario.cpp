// Scenario "latency": an open loop. Commands leave at a fixed total rate, spread evenly over the
// connections, whatever the replies do; each latency is measured from the moment the command was
// *scheduled*, so a client that falls behind (or a server that stalls) shows up in the figures
// instead of silently lowering the load (no coordinated omission).
#include "benchsupport.h"
#include "clientfleet.h"
#include "latencyrecorder.h"
#include "scenarios.h"

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace latch::bench {

namespace {

struct Schedule {
    Clock::time_point start;
    Clock::time_point measureFrom;
    Clock::time_point end;
    Clock::duration period; // between two sends of one connection
    std::size_t clients = 1;
};

// Touched only by the connection's own thread, read by main after the loops end.
struct ClientState {
    std::unordered_map<std::string, Clock::time_point> due; // command_id -> scheduled send
    std::uint64_t sentMeasured = 0;
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
    std::string lastRefusal;
    bool stopping = false;
    LatencyRecorder latency;
};

asio::awaitable<void> sender(std::size_t index, BenchClient& client,
    const std::vector<std::string>* cases, Schedule schedule, ClientState* state,
    std::atomic<std::int64_t>* outstanding)
{
    asio::steady_timer timer(client.executor());
    // Connections are phase-shifted so the total load is smooth, not 50 sends at once.
    const auto phase
        = schedule.period * static_cast<long>(index) / static_cast<long>(schedule.clients);
    for (std::uint64_t n = 0;; ++n) {
        const Clock::time_point due
            = schedule.start + phase + schedule.period * static_cast<long>(n);
        if (due >= schedule.end)
            break;
        timer.expires_at(due);
        co_await timer.async_wait(asio::use_awaitable);
        auto note = addNoteCommand((*cases)[(index + n) % cases->size()], noteText(index, n));
        state->due.emplace(note.command_id(), due); // before the send: the reply may beat it back
        if (due >= schedule.measureFrom)
            ++state->sentMeasured;
        outstanding->fetch_add(1);
        co_await client.send(envelopeOf(note));
    }
}

asio::awaitable<void> receiver(BenchClient& client, Schedule schedule, ClientState* state,
    std::atomic<std::int64_t>* outstanding)
{
    try {
        for (;;) {
            const v1::Envelope reply = co_await client.receive();
            if (!reply.has_command_result())
                continue;
            const auto now = Clock::now();
            const auto& result = reply.command_result();
            const auto it = state->due.find(result.command_id());
            if (it == state->due.end())
                continue;
            const Clock::time_point due = it->second;
            state->due.erase(it);
            outstanding->fetch_sub(1);
            if (due < schedule.measureFrom)
                continue;
            if (result.accepted()) {
                ++state->accepted;
                state->latency.add(now - due);
            } else {
                ++state->rejected;
                state->lastRefusal = result.code() + ": " + result.message();
            }
        }
    } catch (const std::exception&) {
        if (!state->stopping)
            throw;
    }
}

Clock::duration seconds(double s)
{
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

} // namespace

int runLatency(const CommonOptions& common, const LatencyOptions& o)
{
    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(common.server);
    const std::string token = loginOnce(pool, address, o.user, common.password);
    const std::vector<std::string> cases = prepareCases(pool, address, token, o.cases, "Latency benchmark");

    ClientFleet fleet(pool, address);
    if (!fleet.openRequestClients(o.clients, common.parallelOpens, token, "latency"))
        return 1;

    Schedule schedule;
    schedule.clients = o.clients;
    schedule.period = seconds(static_cast<double>(o.clients) / o.rate);
    schedule.start = Clock::now() + std::chrono::milliseconds(50);
    schedule.measureFrom = schedule.start + seconds(o.warmup);
    schedule.end = schedule.measureFrom + seconds(o.duration);
    std::cout << "latency: " << fixed(o.rate, 0) << " commands/s open loop over " << o.clients
              << " clients, warm-up " << o.warmup << " s, measuring " << o.duration << " s ..."
              << std::endl;

    std::vector<ClientState> states(fleet.size());
    std::atomic<std::int64_t> outstanding { 0 };
    WaitGroup senders;
    WaitGroup receivers;
    fleet.spawnEach(receivers, [&](std::size_t i, BenchClient& c) {
        return receiver(c, schedule, &states[i], &outstanding);
    });
    fleet.spawnEach(senders, [&](std::size_t i, BenchClient& c) {
        return sender(i, c, &cases, schedule, &states[i], &outstanding);
    });
    CpuMeter cpu(common.serverPid);
    std::this_thread::sleep_until(schedule.measureFrom);
    cpu.start();
    std::this_thread::sleep_until(schedule.end);
    cpu.stop();
    senders.wait();
    const auto drainEnd = Clock::now() + seconds(o.drain);
    while (outstanding.load() > 0 && Clock::now() < drainEnd)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::int64_t unanswered = outstanding.load();
    // Tell the receivers the end is expected, on their own threads, then cut the sockets.
    for (std::size_t i = 0; i < fleet.size(); ++i)
        asio::post(fleet.client(i).executor(), [s = &states[i]] { s->stopping = true; });
    fleet.abortAll();
    receivers.wait();

    ClientState total;
    for (const auto& s : states) {
        total.sentMeasured += s.sentMeasured;
        total.accepted += s.accepted;
        total.rejected += s.rejected;
        if (!s.lastRefusal.empty())
            total.lastRefusal = s.lastRefusal;
        total.latency.merge(s.latency);
    }
    const auto l = total.latency.summary();
    const double achieved = static_cast<double>(total.accepted) / o.duration;
    const double offered = static_cast<double>(total.sentMeasured) / o.duration;
    std::cout << "  offered " << fixed(offered) << "/s, accepted " << fixed(achieved) << "/s ("
              << total.accepted << " of " << total.sentMeasured << " sent in the window)\n"
              << "  latency from schedule, ms: p50 " << fixed(l.p50Ms, 2) << "  p90 "
              << fixed(l.p90Ms, 2) << "  p99 " << fixed(l.p99Ms, 2) << "  max " << fixed(l.maxMs, 2)
              << "  mean " << fixed(l.meanMs, 2) << "\n";
    if (unanswered > 0)
        std::cout << "  " << unanswered << " command(s) unanswered " << o.drain
                  << " s after the last send\n";
    if (total.rejected > 0)
        std::cout << "  rejected " << total.rejected << " (last: " << total.lastRefusal << ")\n";
    std::cout << "  " << cpu.perOperation(offered * o.duration, "command") << "\n";
    const std::size_t failed = senders.failures() + receivers.failures();
    if (failed > 0) {
        std::cerr << "latency: " << failed << " connection loop(s) failed: "
                  << (senders.failures() ? senders.firstError() : receivers.firstError()) << "\n";
    }
    printResult("latency",
        { { "rate_target", fixed(o.rate, 0) }, { "clients", std::to_string(o.clients) },
            { "duration_s", fixed(o.duration) }, { "offered", fixed(offered) },
            { "achieved", fixed(achieved) }, { "rejected", std::to_string(total.rejected) },
            { "unanswered", std::to_string(unanswered) }, { "p50_ms", fixed(l.p50Ms, 2) },
            { "p99_ms", fixed(l.p99Ms, 2) }, { "max_ms", fixed(l.maxMs, 2) },
            { "server_cpu_s", fixed(cpu.serverSeconds(), 2) },
            { "bench_cpu_s", fixed(cpu.benchSeconds(), 2) } });
    return failed > 0 ? 1 : 0;
}

} // namespace latch::bench
