#pragma once
// Counts what the server actually stored for one intake source, independently of what the
// deliveries were answered: it signs in (as an admin, who sees every queue), takes a full live
// snapshot and counts the cases the channel opened and the intake_received events on them.
//
// Threading: call from the main thread; it runs a connection of its own on the pool.
#include "benchsupport.h"
#include "iopool.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

namespace latch::bench {

struct IntakeCensus {
    std::uint64_t headSeq = 0; // the server's newest event when the snapshot was taken
    std::size_t cases = 0; // cases opened by a delivery on `channel`
    std::size_t deliveries = 0; // intake_received events from `source` (on any case)
    std::size_t distinctDeliveryIds = 0; // among those
    std::size_t casesWithSeveral = 0; // cases holding more than one delivery from `source`
    std::unordered_set<std::string> caseIds; // of the cases counted
    std::size_t snapshotBytes = 0;
    double seconds = 0;
};

IntakeCensus takeIntakeCensus(IoPool& pool, const ServerAddress& address, const std::string& token,
    const std::string& channel, const std::string& source);

// The server's newest event seq (Welcome.head_seq), on a short connection of its own.
std::uint64_t serverHeadSeq(IoPool& pool, const ServerAddress& address, const std::string& token);

} // namespace latch::bench
