#pragma once
// The audit log in the store: the Merkle tree of every event's hash (latch/merkle.h), leaf i being
// the event with seq i + 1. Table log_nodes keeps every perfect subtree (a leaf is one at level
// 0; a node at level l, index k covers leaves [k << l, (k + 1) << l)) by the position append()
// writes it at (merkle::nodePosition): the nodes an append writes are consecutive rows at the end
// of the table, so a commit adds to one page or two. About two rows per event. Any root,
// inclusion or consistency proof is then a handful of lookups.
//
// The writer appends an event's leaf, and the subtrees it completes, in the same transaction as
// the event: a command is acknowledged after its commit, so after its events are in the log.
// Table and triggers make log_nodes append-only like events.
//
// Threading: LogWriter is the writer thread's (inside SqliteStore::commit); LogReader works on the
// connection it is given, one thread at a time. Both throw sqlite::SqliteError when SQLite fails
// and StoreCorrupt when the stored tree is missing a node it should have.
#include "latch/merkle.h"
#include "store/connection.h"

#include <cstdint>
#include <vector>

namespace latch::v1 {
class Event;
}

namespace latch::store {

class LogReader {
public:
    explicit LogReader(Connection& connection);

    // Leaves in the log: the seq of the newest event logged.
    std::uint64_t size();
    merkle::Hash node(std::uint32_t level, std::uint64_t index);
    merkle::Hash root(std::uint64_t size);
    std::vector<merkle::Hash> inclusionProof(std::uint64_t index, std::uint64_t size);
    std::vector<merkle::Hash> consistencyProof(std::uint64_t oldSize, std::uint64_t newSize);
    // The perfect subtrees along the right edge of a log of `size` leaves, largest first.
    std::vector<merkle::Hash> frontier(std::uint64_t size);

private:
    merkle::SubtreeSource source();
    Connection& m_connection;
};

class LogWriter {
public:
    // Reads the log's size and frontier on the writer's connection.
    explicit LogWriter(Connection& writer);

    // Inside the commit's transaction: logs each event (seq must be the next leaf). Throws
    // StoreCorrupt when an event's seq does not follow the log.
    void append(const std::vector<v1::Event>& events);
    // After the transaction committed / rolled back.
    void committed();
    void rolledBack();

    std::uint64_t size() const { return m_size; }
    merkle::Hash root() const { return merkle::frontierRoot(m_frontier); }

private:
    Connection& m_writer;
    std::uint64_t m_size = 0;
    std::vector<merkle::Hash> m_frontier;
    std::uint64_t m_pendingSize = 0;
    std::vector<merkle::Hash> m_pendingFrontier;
};

// The leaf an event is logged as: SHA-256(0x00 || its 32-byte hash).
merkle::Hash eventLeaf(const v1::Event& event);

// Fills log_nodes from the events already stored (the migration that adds the log).
void fillLogFromEvents(sqlite::Database& db);

} // namespace latch::store
