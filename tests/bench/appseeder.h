#pragma once
// The protocol side of latch-appbench, on the Beast client latch-bench uses (no Qt here): seeds a
// server with many cases through pipelined commands, and downloads a user's snapshot as the
// server pages it (for the cipher scenario, and to time the download on its own).
//
// Threading: each function runs its own IoPool and blocks the calling thread until done. Failures
// (refused login, a dropped connection) are thrown; refused commands are counted, not thrown.
#include "latch.pb.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace latch::bench {

struct SeedPlan {
    std::string server;              // ws://127.0.0.1:PORT/sync
    std::string user = "mkim";       // creates the cases (support queue: admin sees them too)
    std::string password = "latch-demo";
    std::size_t cases = 10000;       // cases of `eventsPerCase` events (1 create + notes)
    std::size_t eventsPerCase = 20;
    std::size_t bigCaseEvents = 1000; // one more case with this many events (0: none)
    std::size_t connections = 4;
    std::size_t window = 256;        // commands in flight per connection
};

struct SeedReport {
    std::string bigCaseId;
    std::uint64_t headSeq = 0;       // the server's head after seeding
    std::size_t commands = 0;        // accepted
    std::size_t rejected = 0;
    std::string firstRefusal;
    double seconds = 0;
};

// Creates the plan's cases with client-chosen ids, so a case's notes follow its create_case on
// the same connection without waiting for its result (the server applies one connection's
// commands in order). Prints progress every few seconds.
SeedReport seedCases(const SeedPlan& plan);

// The server's head seq, as a Hello (not live) after a login reports it.
std::uint64_t serverHeadSeq(const std::string& server, const std::string& user,
    const std::string& password);

struct SnapshotDownload {
    std::vector<v1::SnapshotPage> pages;
    std::size_t cases = 0;
    std::size_t events = 0;
    std::size_t bytes = 0;           // WebSocket payload bytes of the pages
    std::uint64_t uptoSeq = 0;
    double loginSeconds = 0;         // the Login round trip (an Argon2id verification)
    double downloadSeconds = 0;      // Hello (live, cursor 0) to the last page, parsed, nothing stored
};

// Logs in as `user` and takes a full snapshot (cursor 0), keeping every page.
SnapshotDownload downloadSnapshot(const std::string& server, const std::string& user,
    const std::string& password);

} // namespace latch::bench
