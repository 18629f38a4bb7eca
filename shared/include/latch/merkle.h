#pragma once
// The audit log's Merkle tree, hashed as RFC 6962 / RFC 9162 section 2.1 say, byte for byte, so
// that any independent verifier agrees with ours:
//   leaf hash  = SHA-256(0x00 || data)            (data: the event's 32-byte hash)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")
//   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two smaller than n.
// Leaf i is the event with seq i + 1: the log holds every event in the order it was stored.
//
// Proofs are built from any SubtreeSource (the store reads stored subtree hashes; a vector of leaf
// hashes in memory works too), and verified from hashes alone (RFC 9162 2.1.3.2 and 2.1.4.2).
#include "latch/hashing.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::merkle {

using Hash = Digest;

Hash leafHash(std::string_view data);
Hash nodeHash(const Hash& left, const Hash& right);
Hash emptyRoot();

// The largest power of two smaller than n (n >= 2).
std::uint64_t splitPoint(std::uint64_t n);

// The hash of the subtree over leaves [begin, end), begin < end. Only ever asked for ranges that
// are a power of two long and aligned to their length, except for a last range that ends at the
// tree's size; a source that stores the perfect subtrees answers each from one lookup or
// combines O(log n) of them.
using SubtreeSource = std::function<Hash(std::uint64_t begin, std::uint64_t end)>;

// MTH of the first `size` leaves.
Hash root(std::uint64_t size, const SubtreeSource& source);

// A source over stored perfect subtrees: `perfect(level, index)` is the hash of leaves
// [index << level, (index + 1) << level). A ragged range is split as MTH splits it, so it costs
// O(log n) lookups.
SubtreeSource perfectSource(std::function<Hash(std::uint32_t level, std::uint64_t index)> perfect);

// RFC 9162 2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves.
std::vector<Hash> inclusionProof(std::uint64_t index, std::uint64_t size,
                                 const SubtreeSource& source);
// RFC 9162 2.1.4.1: the proof that the tree of `oldSize` leaves is a prefix of the one of `newSize`.
std::vector<Hash> consistencyProof(std::uint64_t oldSize, std::uint64_t newSize,
                                   const SubtreeSource& source);

// RFC 9162 2.1.3.2.
bool verifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                     const std::vector<Hash>& proof, const Hash& root);
// RFC 9162 2.1.4.2. Sizes equal: an empty proof and equal roots. oldSize 0: always consistent.
bool verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize, const Hash& oldRoot,
                       const Hash& newRoot, const std::vector<Hash>& proof);

// A source over leaf hashes held in memory (tests, verifiers, a bundle's own events).
SubtreeSource memorySource(const std::vector<Hash>& leaves);

// What appending to a log of `size` leaves writes: the new leaf and every perfect subtree it
// completes, as (level, index, hash); level 0 is the leaf itself. `frontier` holds the perfect
// subtrees along the right edge (one per set bit of size, the largest first) and is updated.
struct Node {
    std::uint32_t level = 0;
    std::uint64_t index = 0;
    Hash hash{};
};
std::vector<Node> append(std::vector<Hash>& frontier, std::uint64_t size, const Hash& leaf);
// Where append() writes a node, counting every node written before it from 0: appending leaf m
// writes the leaf and the subtrees it completes one after the other, so a log that stores nodes
// by this position only ever appends at its end (post-order).
std::uint64_t nodePosition(std::uint32_t level, std::uint64_t index);
// How many nodes a log of `size` leaves has written: 2 * size - popcount(size).
std::uint64_t nodeCount(std::uint64_t size);
// The inverse of nodeCount; nullopt when no size has exactly `count` nodes.
std::optional<std::uint64_t> sizeForNodeCount(std::uint64_t count);
// The root of a log from its frontier (SHA-256("") when empty).
Hash frontierRoot(const std::vector<Hash>& frontier);

std::string toBase64(const Hash& hash);
std::optional<Hash> hashFromBase64(std::string_view text);
std::optional<Hash> hashFromBytes(std::string_view bytes);

} // namespace latch::merkle
