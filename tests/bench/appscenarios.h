#pragma once
// The four latch-appbench scenarios (see docs/benchmarks.md, "App"): bootstrap a replica from a
// seeded server, start the app from its replica, open a long case, and the SQLCipher replica
// against the same workload unencrypted. Each adds rows to the summary table and returns false
// when the run itself did not work (a target missed is still a working run).
//
// Threading: main (GUI) thread; the AppSessions they create run their own worker threads.
#include "benchdata.h"
#include "benchserver.h"
#include "resulttable.h"

#include "sync/appsession.h"

#include <QString>

#include <cstddef>

namespace latch::appbench {

struct Options {
    QString serverBin;
    QString dataDir;
    std::size_t cases = 10000;
    std::size_t eventsPerCase = 20;
    std::size_t bigCaseEvents = 1000;
    QString user = QStringLiteral("admin"); // the app signs in as this demo user (sees all)
    QString password = QStringLiteral("latch-demo");
    QString passphrase = QStringLiteral("appbench passphrase");
    int repeats = 5;          // startup and open-case measurements
    int rounds = 3;           // cipher: rounds of (plain, encrypted)
    std::size_t reads = 1000; // cipher: random cases read per round
    bool qml = true;          // startup: also time Main.qml to its first frame
    bool reseed = false;
};

struct Context {
    Options options;
    BenchData data;
    BenchServer server;
    ResultTable table;
};

// The seeded server is running afterwards (seeding it first when its data is missing or stale).
bool ensureSeededServer(Context& ctx);

bool runBootstrap(Context& ctx);
bool runStartup(Context& ctx);
bool runOpenCase(Context& ctx);
bool runCipher(Context& ctx);

// The bootstrap's replica and what it holds; runs the bootstrap first when there is none.
bool ensureBootstrapped(Context& ctx);

// What every AppSession here uses: a passphrase (no keychain), its own data dir and device id.
latch::app::SessionOptions sessionOptions(const QString& dataDir);
// KeyStore::deriveKey (Argon2id) on the passphrase: the median of `times` runs, in ms.
double measureKdfMs(const QString& passphrase, int times = 3);
// CPU time (user + system) of a process so far, in seconds; pid 0: this process.
double processCpuSeconds(qint64 pid);

} // namespace latch::appbench
