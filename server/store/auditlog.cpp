#include "store/auditlog.h"

#include "latch.pb.h"
#include "store/casequeries.h"
#include "store/sqlite/database.h"
#include "store/sqlite/statement.h"

#include <bit>
#include <string>
#include <utility>

namespace latch::store {

namespace {

constexpr const char* kNode = "SELECT hash FROM log_nodes WHERE pos = ?1";
constexpr const char* kCount = "SELECT coalesce(max(pos) + 1, 0) FROM log_nodes";
constexpr const char* kInsert = "INSERT INTO log_nodes (pos, hash) VALUES (?1, ?2)";

std::string_view bytes(const merkle::Hash& h)
{
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

merkle::Hash hashOf(const std::string& stored, std::uint32_t level, std::uint64_t index)
{
    const auto h = merkle::hashFromBytes(stored);
    if (!h)
        throw StoreCorrupt("store: audit log node (" + std::to_string(level) + ", "
                           + std::to_string(index) + ") is not a 32-byte hash");
    return *h;
}

// The perfect subtrees along the right edge of `size` leaves, largest first, read through `node`.
template <typename Node> std::vector<merkle::Hash> frontierOf(std::uint64_t size, Node&& node)
{
    std::vector<merkle::Hash> out;
    std::uint64_t begin = 0;
    for (int level = 63; level >= 0; --level) {
        const std::uint64_t width = std::uint64_t(1) << level;
        if ((size & width) == 0)
            continue;
        out.push_back(node(static_cast<std::uint32_t>(level), begin >> level));
        begin += width;
    }
    return out;
}

void insertNodes(sqlite::Statement& insert, const std::vector<merkle::Node>& nodes)
{
    for (const auto& n : nodes) {
        insert.bindInt64(1, static_cast<std::int64_t>(merkle::nodePosition(n.level, n.index)));
        insert.bindBlob(2, bytes(n.hash));
        insert.run();
        insert.reset();
    }
}

} // namespace

merkle::Hash eventLeaf(const v1::Event& event)
{
    return merkle::leafHash(event.hash());
}

// --- LogReader ---

LogReader::LogReader(Connection& connection)
    : m_connection(connection)
{
}

std::uint64_t LogReader::size()
{
    auto q = m_connection.prepare(kCount);
    q->step();
    const auto count = static_cast<std::uint64_t>(q->columnInt64(0));
    const auto size = merkle::sizeForNodeCount(count);
    if (!size)
        throw StoreCorrupt("store: the audit log's " + std::to_string(count)
                           + " nodes are not a whole tree: nodes were added or removed");
    return *size;
}

merkle::Hash LogReader::node(std::uint32_t level, std::uint64_t index)
{
    auto q = m_connection.prepare(kNode);
    q->bindInt64(1, static_cast<std::int64_t>(merkle::nodePosition(level, index)));
    if (!q->step())
        throw StoreCorrupt("store: the audit log has no node (" + std::to_string(level) + ", "
                           + std::to_string(index) + ")");
    return hashOf(q->columnBlob(0), level, index);
}

merkle::SubtreeSource LogReader::source()
{
    return merkle::perfectSource(
        [this](std::uint32_t level, std::uint64_t index) { return node(level, index); });
}

merkle::Hash LogReader::root(std::uint64_t size)
{
    return merkle::root(size, source());
}

std::vector<merkle::Hash> LogReader::inclusionProof(std::uint64_t index, std::uint64_t size)
{
    return merkle::inclusionProof(index, size, source());
}

std::vector<merkle::Hash> LogReader::consistencyProof(std::uint64_t oldSize,
                                                      std::uint64_t newSize)
{
    return merkle::consistencyProof(oldSize, newSize, source());
}

std::vector<merkle::Hash> LogReader::frontier(std::uint64_t size)
{
    return frontierOf(size, [this](std::uint32_t l, std::uint64_t i) { return node(l, i); });
}

// --- LogWriter ---

LogWriter::LogWriter(Connection& writer)
    : m_writer(writer)
{
    LogReader reader(writer);
    m_size = reader.size();
    m_frontier = reader.frontier(m_size);
    m_pendingSize = m_size;
    m_pendingFrontier = m_frontier;
}

void LogWriter::append(const std::vector<v1::Event>& events)
{
    auto insert = m_writer.prepare(kInsert);
    for (const v1::Event& event : events) {
        if (event.seq() != m_pendingSize + 1)
            throw StoreCorrupt("store: event seq " + std::to_string(event.seq())
                               + " does not follow the audit log's " + std::to_string(m_pendingSize)
                               + " leaves");
        insertNodes(*insert, merkle::append(m_pendingFrontier, m_pendingSize, eventLeaf(event)));
        ++m_pendingSize;
    }
}

void LogWriter::committed()
{
    m_size = m_pendingSize;
    m_frontier = m_pendingFrontier;
}

void LogWriter::rolledBack()
{
    m_pendingSize = m_size;
    m_pendingFrontier = m_frontier;
}

void fillLogFromEvents(sqlite::Database& db)
{
    sqlite::Statement events(db, "SELECT seq, data FROM events ORDER BY seq");
    sqlite::Statement insert(db, kInsert);
    std::vector<merkle::Hash> frontier;
    std::uint64_t size = 0;
    while (events.step()) {
        const auto seq = static_cast<std::uint64_t>(events.columnInt64(0));
        if (seq != size + 1)
            throw StoreCorrupt("store: events jump from seq " + std::to_string(size) + " to "
                               + std::to_string(seq) + "; the audit log needs every event");
        const auto event = parseStored<v1::Event>(events.columnBlob(1), "event");
        insertNodes(insert, merkle::append(frontier, size, eventLeaf(event)));
        ++size;
    }
}

} // namespace latch::store
