// sqlite-append: the raw SQLite append rate on this disk with the server's durability (WAL,
// synchronous=FULL), the ceiling the commands benchmark is compared with. Rows are shaped like
// latch events: INTEGER PRIMARY KEY seq, a few small columns, a ~300-byte blob.
//   (a) one row per transaction: one fsync per append, the durability of one command alone;
//   (b) rows in transactions of --batch (50): what group commit does for 50 waiting clients.
//
//   sqlite-append --dir DIR [--seconds 3] [--batch 50]
#include "latencyrecorder.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

void check(int rc, sqlite3* db, const char* what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql)
{
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw std::runtime_error(std::string(sql) + ": " + message);
    }
}

// Appends rows in transactions of `batch` for about `seconds`; returns rows per second. Each
// transaction's time (BEGIN to COMMIT returned) goes to `commits`.
double appendRate(sqlite3* db, sqlite3_stmt* insert, std::int64_t& seq, int batch, double seconds,
    latch::bench::LatencyRecorder& commits)
{
    std::mt19937_64 random(42);
    std::string blob(300, '\0');
    const auto start = Clock::now();
    const auto end = start
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::int64_t rows = 0;
    while (Clock::now() < end) {
        const auto begin = Clock::now();
        exec(db, "BEGIN IMMEDIATE");
        for (int i = 0; i < batch; ++i) {
            ++seq;
            for (auto& byte : blob) // incompressible, like hashes and protobuf
                byte = static_cast<char>(random());
            const std::string caseId
                = "01900000-0000-7000-8000-" + std::to_string(100000000000 + seq % 5);
            sqlite3_bind_int64(insert, 1, seq);
            sqlite3_bind_text(insert, 2, caseId.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(insert, 3, seq);
            sqlite3_bind_text(insert, 4, "note_added", -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert, 5, 1700000000000 + seq);
            sqlite3_bind_text(insert, 6, "mkim", -1, SQLITE_STATIC);
            sqlite3_bind_blob(insert, 7, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
            check(sqlite3_step(insert), db, "insert");
            sqlite3_reset(insert);
        }
        exec(db, "COMMIT"); // with synchronous=FULL: the WAL is fsynced here
        commits.add(Clock::now() - begin);
        rows += batch;
    }
    return static_cast<double>(rows) / std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "sqlite-append: raw SQLite append rate with the server's durability" };
    std::string dir = ".";
    double seconds = 3;
    int batch = 50;
    app.add_option(
        "--dir", dir, "Directory for the scratch database (put it on the server's disk)");
    app.add_option("--seconds", seconds, "Seconds per measurement")->check(CLI::PositiveNumber);
    app.add_option("--batch", batch, "Rows per transaction in the second measurement")
        ->check(CLI::Range(2, 100000));
    CLI11_PARSE(app, argc, argv);

    const std::string path = dir + "/sqlite-append-" + std::to_string(getpid()) + ".db";
    sqlite3* db = nullptr;
    try {
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path);
        exec(db, "PRAGMA journal_mode=WAL");
        exec(db, "PRAGMA synchronous=FULL");
        // The events table as the server declares it, less its append-only triggers.
        exec(db,
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL,"
            " case_version INTEGER NOT NULL, kind TEXT NOT NULL, time_ms INTEGER NOT NULL,"
            " actor TEXT NOT NULL, data BLOB NOT NULL, UNIQUE (case_id, case_version))");
        sqlite3_stmt* insert = nullptr;
        check(sqlite3_prepare_v2(db,
                  "INSERT INTO events (seq, case_id, case_version, kind, time_ms,"
                  " actor, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  -1, &insert, nullptr),
            db, "prepare");
        std::int64_t seq = 0;
        latch::bench::LatencyRecorder warmup;
        latch::bench::LatencyRecorder singleCommits;
        latch::bench::LatencyRecorder batchCommits;
        appendRate(db, insert, seq, 1, 0.3, warmup); // warm the file and the page cache
        const double single = appendRate(db, insert, seq, 1, seconds, singleCommits);
        const double batched = appendRate(db, insert, seq, batch, seconds, batchCommits);
        sqlite3_finalize(insert);
        sqlite3_close(db);
        db = nullptr;
        const auto s1 = singleCommits.summary();
        const auto sb = batchCommits.summary();
        std::printf("one row per transaction:  %7.0f rows/s  (commit ms: p50 %.2f  p99 %.2f  max "
                    "%.2f)\n",
            single, s1.p50Ms, s1.p99Ms, s1.maxMs);
        std::printf("%d rows per transaction: %7.0f rows/s  (commit ms: p50 %.2f  p99 %.2f  max "
                    "%.2f)\n",
            batch, batched, sb.p50Ms, sb.p99Ms, sb.maxMs);
        std::printf("RESULT sqlite single_rows_per_s=%.0f batch=%d batch_rows_per_s=%.0f "
                    "commit_p50_ms=%.2f commit_p99_ms=%.2f commit_max_ms=%.2f\n",
            single, batch, batched, s1.p50Ms, s1.p99Ms, s1.maxMs);
    } catch (const std::exception& e) {
        std::cerr << "sqlite-append: " << e.what() << "\n";
        if (db)
            sqlite3_close(db);
        std::filesystem::remove(path);
        return 1;
    }
    for (const char* suffix : { "", "-wal", "-shm" }) {
        std::error_code ignored;
        std::filesystem::remove(path + suffix, ignored);
    }
    return 0;
}
