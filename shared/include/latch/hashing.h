#pragma once
// SHA-256, hex, and the canonical encoding that makes an event's hash reproducible by anyone.
//
// canonicalEventBytes(e) is a length-prefixed concatenation, in this order, of:
//   "latch.event.v1", seq (u64 BE), case_id, case_version (u64 BE), time_ms (i64 BE), actor,
//   command_id, payload kind name (e.g. "note_added"), the payload message's deterministic protobuf
//   serialisation, prev_hash (32 bytes)
// where every variable-length item is preceded by its length as u32 BE. The hash field is excluded.
// hash = SHA-256(canonicalEventBytes). The first event of a case has prev_hash = 32 zero bytes; every
// later one carries the hash of the case's previous event.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::v1 {
class Event;
class Case;
} // namespace latch::v1

namespace latch {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);
std::string toHex(std::string_view bytes);
std::string toHex(const Digest& digest);
// The bytes hex digits stand for (either case); nullopt for an odd length or a non-hex character.
std::optional<std::string> fromHex(std::string_view hex);
std::string digestBytes(const Digest& digest); // as a 32-byte std::string (protobuf bytes)
std::string zeroHash();                        // 32 zero bytes

// Name of the event's payload kind as stored and shown: "created", "note_added", ... "" if unset.
std::string eventKindName(const v1::Event& event);

std::string canonicalEventBytes(const v1::Event& event);
std::string computeEventHash(const v1::Event& event); // 32 bytes

// Hash of the material facts an approval is bound to: type, amount, currency, customer, order_ref.
std::string factsHash(const v1::Case& c); // 32 bytes

struct ChainProblem {
    std::size_t index = 0; // position in the given list
    std::string message;   // "event 7 (seq 42): hash does not match its contents"
};

// Checks one case's events in order: versions 1..n, prev_hash links, recomputed hashes.
// Returns the problems found, empty when the chain is intact.
std::vector<ChainProblem> verifyCaseChain(const std::vector<v1::Event>& events);

} // namespace latch
