// Scenario "latency": an open loop. Commands leave at a fixed total rate, spread evenly over the
// connections, whatever the replies do; each latency is measured from the moment the command was
// *scheduled*, so a client that falls behind (or a server that stalls) shows up in the figures
// instead of silently lowering the load (no coordinated omission).
#include "benchsupport.h"
#include "clientfleet.h"
#include "openloop.h"
#include "scenarios.h"

#include <iostream>
#include <string>
#include <vector>

namespace latch::bench {

int runLatency(const CommonOptions& common, const LatencyOptions& o)
{
    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(common.server);
    const std::string token = loginOnce(pool, address, o.user, common.password);
    const std::vector<std::string> cases = prepareCases(pool, address, token, o.cases, "Latency benchmark");

    ClientFleet fleet(pool, address);
    if (!fleet.openRequestClients(o.clients, common.parallelOpens, token, "latency"))
        return 1;
    std::cout << "latency: " << fixed(o.rate, 0) << " commands/s open loop over " << o.clients
              << " clients, warm-up " << o.warmup << " s, measuring " << o.duration << " s ..."
              << std::endl;
    const OpenLoopResult r = runOpenLoop(fleet, cases,
        OpenLoopOptions { o.rate, o.warmup, o.duration, o.drain }, common.serverPid);
    const auto& l = r.latency;
    std::cout << "  offered " << fixed(r.offered) << "/s, accepted " << fixed(r.achieved) << "/s ("
              << r.accepted << " of " << r.sent << " sent in the window)\n"
              << "  latency from schedule, ms: p50 " << fixed(l.p50Ms, 2) << "  p90 "
              << fixed(l.p90Ms, 2) << "  p99 " << fixed(l.p99Ms, 2) << "  max " << fixed(l.maxMs, 2)
              << "  mean " << fixed(l.meanMs, 2) << "\n";
    if (r.unanswered > 0)
        std::cout << "  " << r.unanswered << " command(s) unanswered " << o.drain
                  << " s after the last send\n";
    if (r.rejected > 0)
        std::cout << "  rejected " << r.rejected << " (last: " << r.lastRefusal << ")\n";
    std::cout << "  " << r.cpuPerCommand << "\n";
    if (r.failures > 0)
        std::cerr << "latency: " << r.failures << " connection loop(s) failed: " << r.firstError
                  << "\n";
    printResult("latency",
        { { "rate_target", fixed(o.rate, 0) }, { "clients", std::to_string(o.clients) },
            { "duration_s", fixed(o.duration) }, { "offered", fixed(r.offered) },
            { "achieved", fixed(r.achieved) }, { "rejected", std::to_string(r.rejected) },
            { "unanswered", std::to_string(r.unanswered) }, { "p50_ms", fixed(l.p50Ms, 2) },
            { "p99_ms", fixed(l.p99Ms, 2) }, { "max_ms", fixed(l.maxMs, 2) },
            { "server_cpu_s", fixed(r.serverCpu, 2) },
            { "bench_cpu_s", fixed(r.benchCpu, 2) } });
    return r.failures > 0 ? 1 : 0;
}

} // namespace latch::bench
