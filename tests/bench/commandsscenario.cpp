// Scenario "commands": N connections, each a closed loop of add_note commands on a handful of
// cases. Measures what the server accepts per second when every client waits for its answer, and
// how long each answer took.
#include "benchsupport.h"
#include "clientfleet.h"
#include "latencyrecorder.h"
#include "scenarios.h"

#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace latch::bench {

namespace {

struct LoopStats {
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
    std::string lastRefusal;
    LatencyRecorder latency;
};

struct Window {
    Clock::time_point measureFrom;
    Clock::time_point end;
};

asio::awaitable<void> closedLoop(std::size_t index, BenchClient& client,
    const std::vector<std::string>* cases, Window window, LoopStats* stats)
{
    for (std::uint64_t n = 0; Clock::now() < window.end; ++n) {
        auto note = addNoteCommand((*cases)[(index + n) % cases->size()], noteText(index, n));
        const auto sent = Clock::now();
        const v1::CommandResult result = co_await command(client, std::move(note));
        const auto answered = Clock::now();
        // Only answers inside the window count: throughput is answers per second of window.
        if (answered < window.measureFrom || answered > window.end)
            continue;
        if (result.accepted()) {
            ++stats->accepted;
            stats->latency.add(answered - sent);
        } else {
            ++stats->rejected;
            stats->lastRefusal = result.code() + ": " + result.message();
        }
    }
}

} // namespace

int runCommands(const CommonOptions& common, const CommandsOptions& o)
{
    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(common.server);
    const std::string token = loginOnce(pool, address, o.user, common.password);
    const std::vector<std::string> cases
        = prepareCases(pool, address, token, o.cases, "Commands benchmark");

    ClientFleet fleet(pool, address);
    if (!fleet.openRequestClients(o.clients, common.parallelOpens, token, "commands"))
        return 1;

    std::vector<LoopStats> stats(fleet.size());
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    Window window;
    window.measureFrom = start
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
    window.end = window.measureFrom
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    std::cout << "commands: " << o.clients << " clients, closed loop, " << o.cases
              << " cases, warm-up " << o.warmup << " s, measuring " << o.duration << " s ..."
              << std::endl;
    WaitGroup loops;
    fleet.spawnEach(loops,
        [&](std::size_t i, BenchClient& c) { return closedLoop(i, c, &cases, window, &stats[i]); });
    CpuMeter cpu(common.serverPid);
    std::this_thread::sleep_until(window.measureFrom);
    cpu.start();
    std::this_thread::sleep_until(window.end);
    cpu.stop();
    loops.wait();
    if (loops.failures() > 0) {
        std::cerr << "commands: " << loops.failures()
                  << " connection(s) failed: " << loops.firstError() << "\n";
    }

    LoopStats total;
    for (const auto& s : stats) {
        total.accepted += s.accepted;
        total.rejected += s.rejected;
        if (!s.lastRefusal.empty())
            total.lastRefusal = s.lastRefusal;
        total.latency.merge(s.latency);
    }
    const auto l = total.latency.summary();
    const double rate = static_cast<double>(total.accepted) / o.duration;
    std::cout << "  accepted " << total.accepted << " commands in " << o.duration
              << " s: " << fixed(rate) << " commands/s\n"
              << "  latency ms: p50 " << fixed(l.p50Ms, 2) << "  p90 " << fixed(l.p90Ms, 2)
              << "  p99 " << fixed(l.p99Ms, 2) << "  max " << fixed(l.maxMs, 2) << "  mean "
              << fixed(l.meanMs, 2) << "\n";
    if (total.rejected > 0)
        std::cout << "  rejected " << total.rejected << " (last: " << total.lastRefusal << ")\n";
    std::cout << "  " << cpu.perOperation(static_cast<double>(total.accepted), "command") << "\n";
    printResult("commands",
        { { "clients", std::to_string(o.clients) }, { "duration_s", fixed(o.duration) },
            { "accepted", std::to_string(total.accepted) },
            { "rejected", std::to_string(total.rejected) },
            { "failed_connections", std::to_string(loops.failures()) }, { "rate", fixed(rate) },
            { "p50_ms", fixed(l.p50Ms, 2) }, { "p99_ms", fixed(l.p99Ms, 2) },
            { "max_ms", fixed(l.maxMs, 2) }, { "server_cpu_s", fixed(cpu.serverSeconds(), 2) },
            { "bench_cpu_s", fixed(cpu.benchSeconds(), 2) } });
    fleet.abortAll();
    return loops.failures() > 0 ? 1 : 0;
}

} // namespace latch::bench
