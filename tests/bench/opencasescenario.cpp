// Scenario "open-case": the user opens a case with a 1,000-event timeline. Measured on the UI
// thread: AppSession::loadCase until caseLoaded arrives with the case and all its events (the
// replica read on the worker thread, copying the events, the queued delivery). Measured apart:
// the replica read alone (Replica::loadCase + caseEvents on an open replica, this thread), and
// for contrast the same for an ordinary 20-event case.
#include "appscenarios.h"
#include "sessionprobe.h"

#include "replica/keystore.h"
#include "replica/replica.h"

#include <QDir>
#include <QElapsedTimer>

#include <iostream>
#include <memory>

namespace latch::appbench {

using latch::app::AppSession;

namespace {

struct Timings {
    std::vector<double> runs;
    double first() const { return runs.empty() ? -1 : runs.front(); }
    double mid() const { return runs.empty() ? -1 : median(runs); }
    std::string text() const { return "first " + ms(first()) + ", median " + ms(mid()); }
};

// loadCase -> caseLoaded, `repeats` times. Empty when a load failed (the reason on stderr).
Timings sessionLoads(AppSession& session, SessionProbe& probe, const QString& caseId,
                     int expectedEvents, int repeats)
{
    Timings t;
    for (int i = 0; i < repeats; ++i) {
        const int before = probe.caseLoads();
        const double start = probe.nowMs();
        session.loadCase(caseId);
        probe.waitFor([&] { return probe.caseLoads() > before; }, 30000);
        if (probe.caseLoads() == before || probe.lastCaseEvents() != expectedEvents) {
            std::cerr << "latch-appbench: loadCase(" << caseId.toStdString() << ") gave "
                      << probe.lastCaseEvents() << " events, expected " << expectedEvents << "\n";
            return {};
        }
        t.runs.push_back(probe.lastCaseMs() - start);
    }
    return t;
}

Timings replicaReads(latch::app::Replica& replica, const std::string& caseId, int repeats)
{
    Timings t;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer clock;
        clock.start();
        const auto c = replica.loadCase(caseId);
        const auto events = replica.caseEvents(caseId);
        t.runs.push_back(double(clock.nsecsElapsed()) / 1e6);
        if (!c || events.empty())
            return {};
    }
    return t;
}

QString replicaFile(const QString& dir)
{
    const auto files = QDir(dir).entryList({ QStringLiteral("replica-*.db") }, QDir::Files);
    return files.size() == 1 ? QDir(dir).filePath(files.front()) : QString();
}

} // namespace

bool runOpenCase(Context& ctx)
{
    const Options& o = ctx.options;
    if (!ensureBootstrapped(ctx))
        return false;
    ctx.server.stop(); // the case comes from the replica
    const RunState state = *ctx.data.runState();
    const SeedInfo seed = *ctx.data.seedInfo();
    if (seed.bigCaseEvents == 0 || seed.bigCaseId.isEmpty()) {
        ctx.table.note("open-case: no long case was seeded (--big-events 0)");
        return true;
    }
    const int bigEvents = int(seed.bigCaseEvents);
    std::cout << "\n== open-case: a case with " << bigEvents << " events, from the replica ("
              << loadText() << ")" << std::endl;

    auto session = std::make_unique<AppSession>(sessionOptions(ctx.data.replicaDir()));
    SessionProbe probe(session.get());
    QString smallCase;
    QObject::connect(session.get(), &AppSession::queueReset, &probe,
                     [&](const QVector<latch::app::QueueRow>& rows) {
                         for (const auto& row : rows) {
                             if (row.id != seed.bigCaseId && row.title.startsWith(u"Bench ")) {
                                 smallCase = row.id;
                                 break;
                             }
                         }
                     });
    session->signIn(state.serverUrl, state.user, QString(), o.passphrase);
    probe.waitFor(
        [&] {
            return (!probe.resets().empty() && probe.resets().back().rows == state.rows)
                   || !probe.errorCode().isEmpty();
        },
        60000);
    if (probe.resets().empty() || probe.resets().back().rows != state.rows) {
        std::cerr << "latch-appbench: the replica did not open: " << probe.errorCode().toStdString()
                  << "\n";
        ctx.table.add("open-case", "< 100 ms", "failed", Verdict::Failed);
        return false;
    }
    const int repeats = std::max(o.repeats, 1) * 2;
    const Timings big = sessionLoads(*session, probe, seed.bigCaseId, bigEvents, repeats);
    const Timings small = smallCase.isEmpty()
                              ? Timings {}
                              : sessionLoads(*session, probe, smallCase,
                                             int(seed.eventsPerCase), repeats);
    session.reset();
    if (big.runs.empty()) {
        ctx.table.add("open-case", "< 100 ms", "failed", Verdict::Failed);
        return false;
    }

    // The replica read alone, on this thread.
    Timings bigRead;
    Timings smallRead;
    const QString path = replicaFile(ctx.data.replicaDir());
    const auto info = latch::app::Replica::readInfo(path);
    if (!path.isEmpty() && info) {
        const auto key = latch::app::KeyStore::deriveKey(o.passphrase, info->passphraseSalt);
        auto replica = key ? latch::app::Replica::open(path, *key)
                           : Expected<std::unique_ptr<latch::app::Replica>>(key.failure());
        if (replica) {
            bigRead = replicaReads(**replica, seed.bigCaseId.toStdString(), repeats);
            if (!smallCase.isEmpty())
                smallRead = replicaReads(**replica, smallCase.toStdString(), repeats);
        } else {
            std::cerr << "latch-appbench: cannot open the replica: " << replica.failure().message
                      << "\n";
        }
    }

    std::cout << "  loadCase -> caseLoaded, " << bigEvents << " events: " << big.text() << "\n"
              << "  replica read alone (loadCase + caseEvents): "
              << (bigRead.runs.empty() ? "n/a" : bigRead.text()) << "\n";
    if (!small.runs.empty())
        std::cout << "  for contrast, a " << seed.eventsPerCase << "-event case: " << small.text()
                  << "; replica read alone "
                  << (smallRead.runs.empty() ? "n/a" : smallRead.text()) << "\n";
    std::cout << std::flush;

    const double worst = std::max(big.first(), big.mid());
    ctx.table.add("open-case", "< 100 ms",
                  big.text() + " (" + std::to_string(bigEvents) + " events)", below(worst, 100));
    if (!bigRead.runs.empty())
        ctx.table.add("  replica", "", "Replica::loadCase+caseEvents " + bigRead.text(),
                      Verdict::Info);
    ResultTable::result(
        "app-open",
        { { "events", std::to_string(bigEvents) },
          { "first_ms", fixedMs(big.first()) },
          { "median_ms", fixedMs(big.mid()) },
          { "replica_first_ms", fixedMs(bigRead.first()) },
          { "replica_median_ms", fixedMs(bigRead.mid()) },
          { "small_median_ms", fixedMs(small.mid()) },
          { "small_replica_median_ms", fixedMs(smallRead.mid()) },
          { "load", std::to_string(loadAverage()) } });
    return true;
}

} // namespace latch::appbench
