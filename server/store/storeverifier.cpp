#include "store/storeverifier.h"

#include "latch.pb.h"
#include "latch/hashing.h"
#include "latch/merkle.h"
#include "store/auditlog.h"
#include "store/connection.h"
#include "store/sqlite/sqliteerror.h"

#include <chrono>
#include <map>
#include <unordered_map>

namespace latch::store {

namespace {

struct Verifier {
    Connection& db;
    const SignatureCheck& checkSignature;
    std::size_t maxProblems;
    VerifyReport report;

    bool full() const { return report.problems.size() >= maxProblems; }

    void problem(std::uint64_t seq, std::string message)
    {
        if (full())
            return;
        if (report.problems.empty() && seq != 0)
            report.firstBadSeq = seq;
        report.problems.push_back(std::move(message));
    }

    static std::string where(std::uint64_t seq, const std::string& caseId, std::uint64_t version)
    {
        return "event seq " + std::to_string(seq) + " (case " + caseId + ", version "
            + std::to_string(version) + ")";
    }

    std::optional<merkle::Hash> storedNode(std::uint32_t level, std::uint64_t index)
    {
        auto q = db.prepare("SELECT hash FROM log_nodes WHERE pos = ?1");
        q->bindInt64(1, static_cast<std::int64_t>(merkle::nodePosition(level, index)));
        if (!q->step())
            return std::nullopt;
        return merkle::hashFromBytes(q->columnBlob(0));
    }

    void run()
    {
        std::multimap<std::uint64_t, StoredCheckpoint> checkpoints; // by size
        {
            auto q = db.prepare("SELECT id, size, root, note FROM checkpoints ORDER BY size, id");
            while (q->step()) {
                StoredCheckpoint c;
                c.id = q->columnInt64(0);
                c.size = static_cast<std::uint64_t>(q->columnInt64(1));
                c.root = q->columnBlob(2);
                c.note = q->columnText(3);
                checkpoints.emplace(c.size, std::move(c));
            }
        }
        report.checkpoints = checkpoints.size();
        auto nextCheckpoint = checkpoints.begin();
        std::uint64_t lastGoodSize = 0; // the largest checkpoint that still matches
        std::vector<merkle::Hash> frontier;
        std::uint64_t size = 0;
        const auto checkCheckpointsAt = [&](std::uint64_t n) {
            for (; nextCheckpoint != checkpoints.end() && nextCheckpoint->first == n;
                 ++nextCheckpoint) {
                const StoredCheckpoint& c = nextCheckpoint->second;
                const merkle::Hash root = merkle::frontierRoot(frontier);
                if (const std::string bad = checkSignature ? checkSignature(c) : ""; !bad.empty())
                    problem(0, "checkpoint #" + std::to_string(c.id) + ": " + bad);
                else if (c.root != std::string_view(reinterpret_cast<const char*>(root.data()), 32))
                    problem(0, "checkpoint #" + std::to_string(c.id) + " (" + std::to_string(n)
                                   + " events) was signed for a different history: an event from "
                                     "seq " + std::to_string(lastGoodSize + 1) + " to seq "
                                   + std::to_string(n)
                                   + " was rewritten after it was signed, hashes and log with it");
                else
                    lastGoodSize = n;
            }
        };
        checkCheckpointsAt(0);

        std::unordered_map<std::string, std::pair<std::uint64_t, std::string>> chains;
        bool logAligned = true;
        auto rows = db.prepare(
            "SELECT seq, case_id, case_version, kind, time_ms, actor, data FROM events ORDER BY seq");
        while (rows->step() && !full()) {
            const auto seq = static_cast<std::uint64_t>(rows->columnInt64(0));
            const std::string caseId = rows->columnText(1);
            const auto version = static_cast<std::uint64_t>(rows->columnInt64(2));
            if (seq != size + 1)
                problem(size + 1, seq > size + 1
                            ? "events jump from seq " + std::to_string(size) + " to "
                                  + std::to_string(seq) + ": "
                                  + (seq == size + 2 ? "event seq " + std::to_string(size + 1)
                                                     : "events seq " + std::to_string(size + 1)
                                                           + " to " + std::to_string(seq - 1))
                                  + " removed"
                            : "event seq " + std::to_string(seq) + " is out of order");
            if (seq != size + 1) {
                // Leaf i is seq i + 1: with events missing the log cannot be compared any more,
                // but every event still is, against its hash and its case's chain.
                logAligned = false;
                size = seq - 1;
            }
            v1::Event event;
            if (!event.ParseFromString(rows->columnBlob(6))) {
                problem(seq, where(seq, caseId, version)
                                 + " does not parse: its stored bytes were changed");
                logAligned = false;
                ++size;
                continue;
            }
            if (event.seq() != seq || event.case_id() != caseId || event.case_version() != version
                || eventKindName(event) != rows->columnText(3)
                || event.time_ms() != rows->columnInt64(4) || event.actor() != rows->columnText(5))
                problem(seq, where(seq, caseId, version)
                                 + ": the row's columns no longer say what its stored event says "
                                   "(event seq " + std::to_string(event.seq()) + ", case "
                                 + event.case_id() + ", version "
                                 + std::to_string(event.case_version()) + ", " + eventKindName(event)
                                 + " by " + event.actor() + "): the row was edited");
            if (computeEventHash(event) != event.hash())
                problem(seq, where(seq, caseId, version)
                                 + ": its hash does not match its contents: it was changed after "
                                   "it was stored");
            auto [chain, first] = chains.try_emplace(event.case_id(), 0, zeroHash());
            if (first)
                ++report.cases;
            auto& [lastVersion, lastHash] = chain->second;
            if (event.case_version() != lastVersion + 1)
                problem(seq, where(seq, caseId, version) + ": the case goes from version "
                                 + std::to_string(lastVersion) + " to "
                                 + std::to_string(event.case_version())
                                 + ": an event of the case is missing or out of place");
            else if (event.prev_hash() != lastHash)
                problem(seq, where(seq, caseId, version)
                                 + ": its prev_hash is not the hash of the case's version "
                                 + std::to_string(lastVersion)
                                 + ": an event of the case before it was removed, inserted or "
                                   "changed");
            lastVersion = event.case_version();
            lastHash = event.hash();

            // The log: this event's leaf, and every subtree it completes.
            const auto written = logAligned ? merkle::append(frontier, size, eventLeaf(event))
                                            : std::vector<merkle::Node>{};
            for (const merkle::Node& node : written) {
                const auto stored = storedNode(node.level, node.index);
                if (!stored || *stored != node.hash) {
                    problem(seq, node.level == 0
                                ? "audit log: leaf " + std::to_string(node.index) + " (event seq "
                                      + std::to_string(seq) + ") is "
                                      + (stored ? "not the event's hash" : "missing")
                                : "audit log: the subtree at level " + std::to_string(node.level)
                                      + ", index " + std::to_string(node.index) + " (events seq "
                                      + std::to_string((node.index << node.level) + 1) + " to "
                                      + std::to_string(seq) + ") is "
                                      + (stored ? "not what those events give" : "missing"));
                    break;
                }
            }
            ++size;
            ++report.events;
            if (logAligned)
                checkCheckpointsAt(size);
        }
        if (full() || !logAligned)
            return;
        auto nodes = db.prepare("SELECT count(*), coalesce(max(pos) + 1, 0) FROM log_nodes");
        nodes->step();
        const auto count = static_cast<std::uint64_t>(nodes->columnInt64(0));
        const auto end = static_cast<std::uint64_t>(nodes->columnInt64(1));
        if (count != merkle::nodeCount(size) || end != count) {
            const auto logged = merkle::sizeForNodeCount(end);
            problem(0, logged && *logged > size
                           ? "audit log: it holds " + std::to_string(*logged)
                                 + " events but the store has " + std::to_string(size)
                                 + ": events were removed from the end"
                           : "audit log: it holds " + std::to_string(count) + " nodes where "
                                 + std::to_string(size) + " events make "
                                 + std::to_string(merkle::nodeCount(size))
                                 + ": nodes were added or removed");
        }
        for (; nextCheckpoint != checkpoints.end(); ++nextCheckpoint)
            problem(0, "checkpoint #" + std::to_string(nextCheckpoint->second.id) + " covers "
                           + std::to_string(nextCheckpoint->first) + " events but the store has "
                           + std::to_string(size) + ": events were removed from the end");
    }
};

} // namespace

Expected<VerifyReport> verifyStore(const std::string& path, const SignatureCheck& checkSignature,
                                   std::size_t maxProblems)
{
    const auto start = std::chrono::steady_clock::now();
    try {
        auto connection = Connection::open(path, sqlite::OpenMode::ReadOnly);
        // One read transaction: a server running meanwhile cannot show half a commit.
        connection->db().exec("BEGIN");
        Verifier verifier{*connection, checkSignature, maxProblems, {}};
        verifier.run();
        connection->db().exec("COMMIT");
        verifier.report.seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return verifier.report;
    } catch (const std::exception& e) {
        return fail("store.open", "Could not read the database " + path + ": " + e.what());
    }
}

} // namespace latch::store
