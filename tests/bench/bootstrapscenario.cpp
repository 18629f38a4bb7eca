// Scenario "bootstrap": a new installation signs in to a server that holds 10,000 cases of 20
// events each (plus one of 1,000 and the 4 demo cases) and downloads everything into an empty
// replica. Measured: AppSession::signIn (password, with a passphrase for the replica's key) until
// the session is Live with the whole queue delivered to the UI thread by queueReset. Measured apart
// so the total can be read without them: the passphrase KDF (Argon2id on this machine), the login
// round trip (Argon2id on the server), and the snapshot download with nothing stored.
#include "appscenarios.h"
#include "appseeder.h"
#include "sessionprobe.h"

#include <QDir>

#include <iostream>
#include <memory>

namespace latch::appbench {

using latch::app::AppSession;
using State = AppSession::State;

bool runBootstrap(Context& ctx)
{
    const Options& o = ctx.options;
    if (!ensureSeededServer(ctx))
        return false;
    const auto seed = *ctx.data.seedInfo();
    const QString url = ctx.server.url();

    std::cout << "\n== bootstrap: " << o.user.toStdString() << " signs in to " << url.toStdString()
              << " with an empty replica (" << loadText() << ")" << std::endl;
    const double kdfMs = measureKdfMs(o.passphrase);
    std::cout << "  passphrase KDF (KeyStore::deriveKey, median of 3): " << ms(kdfMs) << std::endl;

    ctx.data.resetReplica();
    QDir().mkpath(ctx.data.replicaDir());
    const double appCpu0 = processCpuSeconds(0);
    const double serverCpu0 = processCpuSeconds(ctx.server.pid());
    auto session = std::make_unique<AppSession>(sessionOptions(ctx.data.replicaDir()));
    SessionProbe probe(session.get());
    probe.restart();
    session->signIn(url, o.user, o.password, o.passphrase);
    const bool live = probe.waitFor(
        [&] {
            return probe.reached(State::Live) || !probe.errorCode().isEmpty()
                   || probe.reached(State::Offline);
        },
        300000);
    const double appCpu = processCpuSeconds(0) - appCpu0;
    const double serverCpu = processCpuSeconds(ctx.server.pid()) - serverCpu0;
    if (!live || !probe.reached(State::Live) || probe.resets().empty()) {
        std::cerr << "latch-appbench: bootstrap did not go live: state "
                  << int(probe.state()) << ", error " << probe.errorCode().toStdString() << ": "
                  << probe.errorMessage().toStdString() << "\n";
        ctx.table.add("bootstrap", "< 5 s", "did not go live", Verdict::Failed);
        return false;
    }
    const double totalMs = *probe.reached(State::Live);
    const auto& resets = probe.resets();
    const int rows = resets.back().rows;
    const double resetMs = resets.back().ms;
    // The first (empty) queueReset comes right after the login answer and the replica's opening.
    const double openedMs = resets.size() > 1 ? resets.front().ms : 0;
    const double syncingMs = probe.reached(State::Syncing).value_or(0);
    session.reset(); // closes the replica; not timed

    const std::size_t expected = seed.cases + (seed.bigCaseEvents ? 1 : 0);
    std::cout << "  signIn -> Live with " << rows << " rows in queueReset: " << ms(totalMs)
              << "\n    login answered + KDF + replica created (empty queueReset): " << ms(openedMs)
              << "\n    Hello -> Welcome (state Syncing):                           "
              << ms(syncingMs) << "\n    snapshot received and applied, queueRows (queueReset): "
              << ms(resetMs) << "\n    state Live:                                             "
              << ms(totalMs) << "\n  CPU during it: app " << ms(appCpu * 1000) << ", server "
              << ms(serverCpu * 1000) << std::endl;
    if (std::size_t(rows) < expected) {
        std::cerr << "latch-appbench: the queue has " << rows << " rows, expected at least "
                  << expected << "\n";
        ctx.table.add("bootstrap", "< 5 s", "incomplete queue", Verdict::Failed);
        return false;
    }
    ctx.data.setRunState({ url, o.user, rows, seed.headSeq });

    // The same snapshot with nothing stored: what the server and the wire take on their own.
    const auto download = bench::downloadSnapshot(url.toStdString(), o.user.toStdString(),
                                                  o.password.toStdString());
    ctx.data.cacheSnapshot(seed.headSeq, download.pages);
    std::cout << "  apart: login round trip " << ms(download.loginSeconds * 1000)
              << "; snapshot download alone " << ms(download.downloadSeconds * 1000) << " ("
              << download.pages.size() << " pages, " << download.cases << " cases, "
              << download.events << " events, " << download.bytes / (1024 * 1024) << " MiB)"
              << std::endl;

    const std::string figure = ms(totalMs) + " (" + std::to_string(rows) + " cases; KDF "
                               + ms(kdfMs) + ", without it " + ms(totalMs - kdfMs) + ")";
    ctx.table.add("bootstrap", "< 5 s", figure, below(totalMs, 5000));
    ctx.table.add("  of which", "", "login " + ms(download.loginSeconds * 1000)
                                        + "; snapshot download alone "
                                        + ms(download.downloadSeconds * 1000),
                  Verdict::Info);
    ResultTable::result(
        "app-bootstrap",
        { { "total_ms", std::to_string(int(totalMs)) },
          { "kdf_ms", std::to_string(int(kdfMs)) },
          { "without_kdf_ms", std::to_string(int(totalMs - kdfMs)) },
          { "opened_ms", std::to_string(int(openedMs)) },
          { "syncing_ms", std::to_string(int(syncingMs)) },
          { "reset_ms", std::to_string(int(resetMs)) },
          { "login_ms", std::to_string(int(download.loginSeconds * 1000)) },
          { "download_ms", std::to_string(int(download.downloadSeconds * 1000)) },
          { "rows", std::to_string(rows) },
          { "events", std::to_string(download.events) },
          { "app_cpu_ms", std::to_string(int(appCpu * 1000)) },
          { "server_cpu_ms", std::to_string(int(serverCpu * 1000)) },
          { "load", std::to_string(loadAverage()) } });
    return true;
}

} // namespace latch::appbench
