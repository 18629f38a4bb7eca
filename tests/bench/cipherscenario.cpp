// Scenario "cipher": what SQLCipher's encryption costs the replica. The same Replica code runs the
// same workload on a new file twice: keyed with a raw 256-bit key (Replica::open, as the app does)
// and without a key (Replica::openUnencryptedForBenchmark: SQLCipher with no key is plain SQLite,
// same library and version, no codec). Workload: open (+ migrations), apply the whole snapshot
// as the server paged it (~256 KiB pages) and checkpoint it into the file as the app does,
// queueRows(), then loadCase + caseEvents for 1,000 random cases. Rounds alternate which mode goes
// first; medians per phase. Each run's CPU time (this thread's) is printed beside its wall time:
// on a machine shared with compilers it moves far less than wall time, and the cipher is CPU.
#include "appscenarios.h"
#include "appseeder.h"

#include "replica/replica.h"

#include <QDir>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cmath>
#include <ctime>
#include <iostream>
#include <memory>
#include <random>

namespace latch::appbench {

using latch::app::Replica;

namespace {

struct Phases {
    double open = 0;
    double apply = 0;
    double queue = 0;
    double reads = 0;
    double fileMiB = 0; // the database file after the checkpoint
    double cpu = 0; // CPU time of the whole run on this thread (the replica runs here), ms
    double total() const { return open + apply + queue + reads; }
};

struct Workload {
    std::vector<v1::SnapshotPage> pages;
    std::vector<std::string> reads; // case ids, in read order
    std::size_t cases = 0;
};

std::vector<v1::SnapshotPage> snapshotPages(Context& ctx)
{
    const auto seed = ctx.data.seedInfo();
    if (seed) {
        auto pages = ctx.data.cachedSnapshot(seed->headSeq);
        if (!pages.empty())
            return pages;
    }
    const bool wasRunning = ctx.server.running();
    if (!ensureSeededServer(ctx))
        return {};
    const auto headSeq = ctx.data.seedInfo()->headSeq;
    auto download = bench::downloadSnapshot(ctx.server.url().toStdString(),
                                            ctx.options.user.toStdString(),
                                            ctx.options.password.toStdString());
    ctx.data.cacheSnapshot(headSeq, download.pages);
    if (!wasRunning)
        ctx.server.stop();
    return std::move(download.pages);
}

double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Returns false when the replica could not be opened (the reason on stderr).
bool runOnce(const QString& dir, bool encrypted, const Workload& w, Phases* out)
{
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(encrypted ? QStringLiteral("keyed.db")
                                                      : QStringLiteral("plain.db"));
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), 8);

    const double cpuStart = threadCpuMs();
    QElapsedTimer clock;
    clock.start();
    auto lap = [&] {
        const double t = double(clock.nsecsElapsed()) / 1e6;
        clock.restart();
        return t;
    };
    auto opened = encrypted ? Replica::open(path, key) : Replica::openUnencryptedForBenchmark(path);
    if (!opened) {
        std::cerr << "latch-appbench: cannot open a " << (encrypted ? "keyed" : "plain")
                  << " replica: " << opened.failure().message << "\n";
        return false;
    }
    Replica& replica = **opened;
    out->open = lap();
    for (const auto& page : w.pages)
        replica.applySnapshotPage(page);
    replica.checkpoint(); // as the sync worker does after a full snapshot
    out->apply = lap();
    out->fileMiB = double(QFileInfo(path).size()) / (1024.0 * 1024.0);
    const auto rows = replica.queueRows();
    out->queue = lap();
    std::size_t events = 0;
    for (const auto& id : w.reads) {
        const auto c = replica.loadCase(id);
        events += replica.caseEvents(id).size();
        if (!c)
            std::cerr << "latch-appbench: case " << id << " missing from the replica\n";
    }
    out->reads = lap();
    out->cpu = threadCpuMs() - cpuStart;
    if (rows.size() != w.cases || events == 0) {
        std::cerr << "latch-appbench: the " << (encrypted ? "keyed" : "plain") << " replica holds "
                  << rows.size() << " rows, expected " << w.cases << "\n";
        return false;
    }
    opened->reset();
    return true;
}

Phases medians(const std::vector<Phases>& runs)
{
    auto pick = [&](double Phases::*field) {
        std::vector<double> values;
        for (const auto& r : runs)
            values.push_back(r.*field);
        return median(values);
    };
    Phases m;
    m.open = pick(&Phases::open);
    m.apply = pick(&Phases::apply);
    m.queue = pick(&Phases::queue);
    m.reads = pick(&Phases::reads);
    m.cpu = pick(&Phases::cpu);
    return m;
}

double medianTotal(const std::vector<Phases>& runs)
{
    std::vector<double> totals;
    for (const auto& r : runs)
        totals.push_back(r.total());
    return median(totals);
}

std::string percent(double keyed, double plain)
{
    if (plain <= 0)
        return "n/a";
    const double p = (keyed / plain - 1) * 100;
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f %%", p);
    return text;
}

} // namespace

bool runCipher(Context& ctx)
{
    const Options& o = ctx.options;
    Workload w;
    w.pages = snapshotPages(ctx);
    if (w.pages.empty()) {
        ctx.table.add("cipher", "<= 15 %", "no snapshot", Verdict::Failed);
        return false;
    }
    std::vector<std::string> ids;
    std::size_t events = 0;
    for (const auto& page : w.pages) {
        for (const auto& c : page.cases()) {
            ids.push_back(c.case_().id());
            events += std::size_t(c.events_size());
        }
    }
    w.cases = ids.size();
    std::mt19937 rng(20261124);
    std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
    for (std::size_t i = 0; i < o.reads; ++i)
        w.reads.push_back(ids[pick(rng)]);
    std::cout << "\n== cipher: the same Replica workload keyed (SQLCipher) and unkeyed (" << w.cases
              << " cases, " << events << " events in " << w.pages.size() << " pages; " << o.reads
              << " random case reads; " << o.rounds << " rounds; " << loadText() << ")"
              << std::endl;

    std::vector<Phases> keyed;
    std::vector<Phases> plain;
    const QString scratch = ctx.data.scratchDir();
    for (int round = 0; round < o.rounds; ++round) {
        for (int k = 0; k < 2; ++k) {
            const bool encrypted = (round % 2 == 0) == (k == 1); // plain first on even rounds
            Phases p;
            if (!runOnce(scratch, encrypted, w, &p)) {
                ctx.table.add("cipher", "<= 15 %", "failed", Verdict::Failed);
                return false;
            }
            (encrypted ? keyed : plain).push_back(p);
            std::cout << "  round " << round + 1 << (encrypted ? " keyed: " : " plain: ")
                      << "open " << ms(p.open) << ", apply " << ms(p.apply) << ", queueRows "
                      << ms(p.queue) << ", " << o.reads << " reads " << ms(p.reads) << " = "
                      << ms(p.total()) << " (cpu " << ms(p.cpu) << "; file "
                      << std::lround(p.fileMiB) << " MiB)"
                      << std::endl;
        }
    }
    QDir(scratch).removeRecursively();

    const Phases k = medians(keyed);
    const Phases p = medians(plain);
    const double kTotal = medianTotal(keyed);
    const double pTotal = medianTotal(plain);
    const double overhead = pTotal > 0 ? (kTotal / pTotal - 1) * 100 : 0;
    std::cout << "  medians        plain      keyed      overhead\n";
    auto line = [](const char* name, double a, double b) {
        char text[128];
        std::snprintf(text, sizeof text, "  %-12s %9s  %9s  %s\n", name, ms(a).c_str(),
                      ms(b).c_str(), percent(b, a).c_str());
        std::cout << text;
    };
    line("open", p.open, k.open);
    line("apply", p.apply, k.apply);
    line("queueRows", p.queue, k.queue);
    line("reads", p.reads, k.reads);
    line("total", pTotal, kTotal);
    line("cpu", p.cpu, k.cpu);
    std::cout << std::flush;

    ctx.table.add("cipher", "<= 15 %",
                  percent(kTotal, pTotal) + " (keyed " + ms(kTotal) + " vs plain " + ms(pTotal)
                      + ", median of " + std::to_string(o.rounds) + ")",
                  overhead <= 15 ? Verdict::Met : Verdict::Missed);
    ctx.table.add("  phases", "",
                  "apply " + percent(k.apply, p.apply) + ", queueRows " + percent(k.queue, p.queue)
                      + ", reads " + percent(k.reads, p.reads),
                  Verdict::Info);
    ResultTable::result("app-cipher",
                        { { "plain_ms", fixedMs(pTotal) },
                          { "keyed_ms", fixedMs(kTotal) },
                          { "overhead_pct", fixedMs(overhead) },
                          { "plain_apply_ms", fixedMs(p.apply) },
                          { "keyed_apply_ms", fixedMs(k.apply) },
                          { "plain_queue_ms", fixedMs(p.queue) },
                          { "keyed_queue_ms", fixedMs(k.queue) },
                          { "plain_reads_ms", fixedMs(p.reads) },
                          { "keyed_reads_ms", fixedMs(k.reads) },
                          { "plain_cpu_ms", fixedMs(p.cpu) },
                          { "keyed_cpu_ms", fixedMs(k.cpu) },
                          { "rounds", std::to_string(o.rounds) },
                          { "load", std::to_string(loadAverage()) } });
    return true;
}

} // namespace latch::appbench
