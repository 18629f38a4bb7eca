#pragma once
// `latch-server verify`: checks a store at rest, as anyone with the file and no trust in it would.
// It reads every event in seq order, once, and checks that
//   - seqs run 1, 2, 3, ... with none missing (an event removed) and each row's columns say what
//     its stored event says;
//   - each event's hash is the hash of its contents (an edited event), and each case's events run
//     version 1, 2, 3, ... with every prev_hash the hash of the case's event before (an event
//     inserted, removed or moved within a case);
//   - the audit log holds exactly these events: every leaf and every stored subtree is what the
//     events give (a log edited to match edited events is caught by the checkpoints);
//   - every checkpoint's root is the root of the tree of its size, and its signature (checked by
//     the caller's `checkSignature`) is good: history rewritten consistently, hashes, chains and
//     log included, no longer matches what was signed before.
// The first problem names the event it is found at; checking stops at the first few.
//
// Threading: any thread; opens its own read-only connection.
#include "latch/expected.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace latch::store {

struct StoredCheckpoint {
    std::int64_t id = 0;
    std::uint64_t size = 0;
    std::string root; // 32 bytes
    std::string note; // the signed note as issued
};

struct VerifyReport {
    std::uint64_t events = 0;
    std::uint64_t cases = 0;
    std::uint64_t checkpoints = 0;
    std::vector<std::string> problems; // empty: intact
    std::uint64_t firstBadSeq = 0;     // 0: none, or not tied to one event
    double seconds = 0;
    bool intact() const { return problems.empty(); }
};

// Returns "" when the checkpoint's note is signed by a key the server knows, else the problem.
using SignatureCheck = std::function<std::string(const StoredCheckpoint&)>;

// Failure store.open when the file cannot be read as a Latch database at all.
Expected<VerifyReport> verifyStore(const std::string& path, const SignatureCheck& checkSignature,
                                   std::size_t maxProblems = 5);

} // namespace latch::store
