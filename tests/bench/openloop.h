#pragma once
// An open loop of add_note commands: they leave at a fixed total rate, spread evenly over the
// fleet's connections, whatever the replies do; each latency is measured from the moment the
// command was *scheduled*, so a client that falls behind (or a server that stalls) shows up in the
// figures instead of silently lowering the load (no coordinated omission).
//
// Threading: call from the main thread; it blocks until the run and its drain are over. The fleet
// must hold only request/response connections (ClientFleet::openRequestClients), and is aborted
// at the end: open a new one for another run.
#include "benchsupport.h"
#include "clientfleet.h"
#include "latencyrecorder.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace latch::bench {

struct OpenLoopOptions {
    double rate = 1000; // commands/s over all connections
    double warmup = 1; // seconds sent before measuring
    double duration = 10; // seconds measured
    double drain = 5; // seconds to wait for replies after the last send
};

struct OpenLoopResult {
    LatencySummary latency; // of the accepted commands scheduled in the measured window
    std::uint64_t sent = 0; // scheduled in the measured window
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
    std::string lastRefusal; // "code: message" of the last rejection
    std::int64_t unanswered = 0; // still without a reply when the drain ended
    double offered = 0; // per second
    double achieved = 0; // accepted per second
    std::size_t failures = 0; // connection loops that ended with an error
    std::string firstError;
    double serverCpu = 0; // seconds over the measured window (when the pid is known)
    double benchCpu = 0;
    std::string cpuPerCommand; // CpuMeter::perOperation
};

// Notes go to `cases`, round robin.
OpenLoopResult runOpenLoop(ClientFleet& fleet, const std::vector<std::string>& cases,
    const OpenLoopOptions& options, int serverPid);

} // namespace latch::bench
