// What the app scenarios share: the seeded server (seed once, reuse while it still holds the
// cases), the bootstrapped replica, session options, the KDF timing.
#include "appscenarios.h"
#include "appseeder.h"
#include "benchsupport.h"

#include "replica/keystore.h"

#include <QDir>
#include <QElapsedTimer>

#include <iostream>

namespace latch::appbench {

namespace {

bool seedFits(const Options& o, const std::optional<SeedInfo>& info, const BenchData& data)
{
    return info && info->cases == o.cases && info->eventsPerCase == o.eventsPerCase
           && info->bigCaseEvents == o.bigCaseEvents && info->headSeq > 0
           && QDir(data.serverDir()).exists();
}

} // namespace

bool ensureSeededServer(Context& ctx)
{
    const Options& o = ctx.options;
    const auto info = ctx.data.seedInfo();
    if (!o.reseed && seedFits(o, info, ctx.data)) {
        if (!ctx.server.running())
            ctx.server.start();
        const auto head = bench::serverHeadSeq(ctx.server.url().toStdString(), "mkim",
                                               o.password.toStdString());
        if (head == info->headSeq) {
            std::cout << "seeded server: reusing " << ctx.data.serverDir().toStdString() << " ("
                      << info->cases << " x " << info->eventsPerCase << " events + 1 x "
                      << info->bigCaseEvents << ", head seq " << head << "), "
                      << ctx.server.url().toStdString() << std::endl;
            return true;
        }
        std::cout << "seeded server: head seq " << head << ", expected " << info->headSeq
                  << ": seeding again" << std::endl;
        ctx.server.stop();
    }
    ctx.data.resetServer();
    ctx.server.start();
    bench::SeedPlan plan;
    plan.server = ctx.server.url().toStdString();
    plan.password = o.password.toStdString();
    plan.cases = o.cases;
    plan.eventsPerCase = o.eventsPerCase;
    plan.bigCaseEvents = o.bigCaseEvents;
    const auto report = bench::seedCases(plan);
    if (report.rejected > 0) {
        std::cerr << "latch-appbench: the server refused " << report.rejected
                  << " seeding command(s), first: " << report.firstRefusal << "\n";
        return false;
    }
    SeedInfo seeded;
    seeded.cases = o.cases;
    seeded.eventsPerCase = o.eventsPerCase;
    seeded.bigCaseEvents = o.bigCaseEvents;
    seeded.bigCaseId = QString::fromStdString(report.bigCaseId);
    seeded.headSeq
        = bench::serverHeadSeq(plan.server, "mkim", o.password.toStdString());
    ctx.data.setSeedInfo(seeded);
    std::cout << "seeded server: head seq " << seeded.headSeq << ", data in "
              << ctx.data.serverDir().toStdString() << " (kept for later runs)" << std::endl;
    return true;
}

bool ensureBootstrapped(Context& ctx)
{
    const auto state = ctx.data.runState();
    const auto seed = ctx.data.seedInfo();
    if (state && seed && state->headSeq == seed->headSeq && state->rows > 0
        && QDir(ctx.data.replicaDir()).exists())
        return true;
    std::cout << "no bootstrapped replica in " << ctx.data.replicaDir().toStdString()
              << ": running the bootstrap first" << std::endl;
    return runBootstrap(ctx);
}

latch::app::SessionOptions sessionOptions(const QString& dataDir)
{
    latch::app::SessionOptions options;
    options.dataDir = dataDir;
    options.keychainService = QStringLiteral("LatchAppBench");
    options.useKeychain = false;
    options.deviceId = QStringLiteral("latch-appbench");
    return options;
}

double measureKdfMs(const QString& passphrase, int times)
{
    std::vector<double> runs;
    const QByteArray salt = latch::app::KeyStore::newSalt();
    for (int i = 0; i < times; ++i) {
        QElapsedTimer clock;
        clock.start();
        const auto key = latch::app::KeyStore::deriveKey(passphrase, salt);
        runs.push_back(double(clock.nsecsElapsed()) / 1e6);
        if (!key) {
            std::cerr << "latch-appbench: deriveKey failed: " << key.failure().message << "\n";
            return -1;
        }
    }
    return median(runs);
}

double processCpuSeconds(qint64 pid)
{
    return bench::cpuSeconds(int(pid));
}

} // namespace latch::appbench
