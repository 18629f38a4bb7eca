// log-bench: the audit log at scale. Builds a store of N events (default 1,000,000: cases of 20
// events each, written through SqliteStore::commit in batches as the server's writer does, so
// the log is built as in production), then times
//   - latch-server verify's check of the whole store (every event's hash, every chain, every log
//     node, every checkpoint's root): target < 10 s at 1,000,000 events;
//   - an inclusion proof for a random event at size N, and its size (O(log n) hashes);
//   - a consistency proof between N/2 and N.
// The store is kept under --dir (default: a temporary directory) for later runs with --reuse.
#include "latch.pb.h"
#include "latch/hashing.h"
#include "latch/merkle.h"
#include "store/auditlog.h"
#include "store/connection.h"
#include "store/sqlitestore.h"
#include "store/storeverifier.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace v1 = latch::v1;

namespace {

double since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One case's events as the engine makes them: versions 1..n, each chained to the one before.
void appendCase(std::vector<v1::Event>& out, std::uint64_t& seq, std::uint64_t caseNo,
                int events)
{
    const std::string caseId = "bench-case-" + std::to_string(caseNo);
    std::string prev = latch::zeroHash();
    for (int v = 1; v <= events; ++v) {
        v1::Event e;
        e.set_seq(++seq);
        e.set_case_id(caseId);
        e.set_case_version(std::uint64_t(v));
        e.set_time_ms(1'765'000'000'000 + std::int64_t(seq));
        e.set_actor(v % 2 ? "mkim" : "atorres");
        e.set_command_id("bench-cmd-" + std::to_string(seq));
        e.set_prev_hash(prev);
        if (v == 1) {
            e.mutable_created()->set_type("refund");
            e.mutable_created()->set_title("Refund request for order " + std::to_string(caseNo));
        } else {
            e.mutable_note_added()->set_text(
                "Checked the order history and the customer's account; note " + std::to_string(v)
                + " on this case.");
        }
        e.set_hash(latch::computeEventHash(e));
        prev = e.hash();
        out.push_back(std::move(e));
    }
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"log-bench: the audit log at scale (verify, proof sizes)"};
    std::uint64_t events = 1'000'000;
    int perCase = 20;
    std::string dir;
    bool reuse = false;
    app.add_option("--events", events, "Events in the store")->check(CLI::Range(1, 100'000'000));
    app.add_option("--per-case", perCase, "Events per case")->check(CLI::Range(1, 100'000));
    app.add_option("--dir", dir, "Where the store goes (default: a temporary directory)");
    app.add_flag("--reuse", reuse, "Use the store already in --dir");
    CLI11_PARSE(app, argc, argv);

    const bool temporary = dir.empty();
    if (temporary)
        dir = (fs::temp_directory_path() / ("log-bench-" + std::to_string(::getpid()))).string();
    fs::create_directories(dir);
    const std::string path = dir + "/latch.db";

    if (!reuse || !fs::exists(path)) {
        fs::remove(path);
        auto store = latch::store::SqliteStore::open(path);
        if (!store) {
            std::cerr << store.failure().message << "\n";
            return 1;
        }
        const auto start = std::chrono::steady_clock::now();
        std::uint64_t seq = 0;
        std::uint64_t caseNo = 0;
        while (seq < events) {
            latch::core::CommitBatch batch;
            while (batch.events.size() < 2000 && seq < events)
                appendCase(batch.events, seq, ++caseNo,
                           int(std::min<std::uint64_t>(std::uint64_t(perCase), events - seq)));
            if (auto r = (*store)->commit(batch); !r) {
                std::cerr << r.failure().message << "\n";
                return 1;
            }
        }
        std::printf("built: %llu events in %llu cases in %.1f s (%s, %.0f MiB)\n",
                    (unsigned long long)seq, (unsigned long long)caseNo, since(start), path.c_str(),
                    double(fs::file_size(path)) / (1 << 20));
    }

    const auto report = latch::store::verifyStore(path, nullptr);
    if (!report) {
        std::cerr << report.failure().message << "\n";
        return 1;
    }
    std::printf("verify: %llu events, %llu cases in %.2f s (%.0f events/s): %s\n",
                (unsigned long long)report->events, (unsigned long long)report->cases,
                report->seconds, double(report->events) / report->seconds,
                report->intact() ? "intact" : report->problems.front().c_str());

    auto connection = latch::store::Connection::open(path, latch::store::sqlite::OpenMode::ReadOnly);
    latch::store::LogReader log(*connection);
    const std::uint64_t n = log.size();
    const auto rootStart = std::chrono::steady_clock::now();
    const auto root = log.root(n);
    const double rootMs = since(rootStart) * 1000;
    std::mt19937_64 random(42);
    std::size_t maxHashes = 0;
    double proofMs = 0;
    bool allVerify = true;
    const int samples = 1000;
    for (int i = 0; i < samples; ++i) {
        const std::uint64_t index = random() % n;
        const auto t = std::chrono::steady_clock::now();
        const auto proof = log.inclusionProof(index, n);
        proofMs += since(t) * 1000;
        maxHashes = std::max(maxHashes, proof.size());
        allVerify = allVerify && latch::merkle::verifyInclusion(index, n, log.node(0, index), proof, root);
    }
    const auto c = std::chrono::steady_clock::now();
    const auto consistency = log.consistencyProof(n / 2, n);
    const double consistencyMs = since(c) * 1000;
    const bool consistent = latch::merkle::verifyConsistency(n / 2, n, log.root(n / 2), root, consistency);
    std::printf("root at %llu: %.2f ms\n", (unsigned long long)n, rootMs);
    std::printf("inclusion proof at %llu: at most %zu hashes (%zu bytes), %.3f ms each on average "
                "over %d; %s\n",
                (unsigned long long)n, maxHashes, maxHashes * 32, proofMs / samples, samples,
                allVerify ? "all verify" : "SOME DO NOT VERIFY");
    std::printf("consistency proof %llu -> %llu: %zu hashes, %.3f ms; %s\n",
                (unsigned long long)(n / 2), (unsigned long long)n, consistency.size(),
                consistencyMs, consistent ? "verifies" : "DOES NOT VERIFY");
    std::printf("RESULT log events=%llu verify_s=%.2f intact=%s inclusion_hashes=%zu "
                "inclusion_ms=%.3f consistency_hashes=%zu verified=%s\n",
                (unsigned long long)report->events, report->seconds,
                report->intact() ? "yes" : "no", maxHashes, proofMs / samples, consistency.size(),
                allVerify && consistent ? "yes" : "no");
    if (temporary)
        fs::remove_all(dir);
    return report->intact() && allVerify && consistent ? 0 : 1;
}
