// latch-appbench: the desktop app's benchmarks (see docs/benchmarks.md, "App"). Thin: parse the
// command line, set up the Qt application, run the chosen scenarios in order, print the table.
//
//   latch-appbench                              # bootstrap startup open-case cipher
//   latch-appbench startup open-case            # some; the bootstrap runs first if needed
//   latch-appbench --server-bin PATH --data DIR --cases 10000 --events 20 --big-events 1000
//
// It starts latch-server itself (--demo, --data DIR/server, port 0), seeds it once and keeps
// DIR for later runs (seeding 200,000 events takes a while).
#include "appscenarios.h"

#include <CLI/CLI.hpp>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

#include <exception>
#include <iostream>

Q_IMPORT_QML_PLUGIN(LatchPlugin)

namespace {

QString defaultServerBin(const QString& buildDir)
{
    const QString env = qEnvironmentVariable("LATCH_SERVER_BIN");
    return env.isEmpty() ? QDir(buildDir).filePath(QStringLiteral("server/latch-server")) : env;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace latch::appbench;
    // Headless by default: the QML part renders offscreen with the software backend.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software");
    QGuiApplication app(argc, argv);
    // Its own QSettings (AppSession remembers the last server there), never the real app's.
    QCoreApplication::setOrganizationName(QStringLiteral("Latch"));
    QCoreApplication::setApplicationName(QStringLiteral("latch-appbench"));

    // <build>/tests/bench/latch-appbench -> <build>
    const QString buildDir = QDir(QCoreApplication::applicationDirPath()).absoluteFilePath("../..");
    Options o;
    std::string serverBin;
    std::string dataDir;
    std::vector<std::string> scenarios;
    CLI::App cli { "latch-appbench: the desktop app's benchmarks (bootstrap, startup, open-case, "
                   "cipher)" };
    cli.add_option("--server-bin", serverBin, "latch-server binary (default: $LATCH_SERVER_BIN "
                                              "or <build>/server/latch-server)");
    cli.add_option("--data", dataDir, "Kept data dir (default: <build>/bench-data/app-<N>k)");
    cli.add_option("--cases", o.cases, "Cases of --events events each");
    cli.add_option("--events", o.eventsPerCase, "Events per case (1 create + notes)")
        ->check(CLI::Range(1, 100000));
    cli.add_option("--big-events", o.bigCaseEvents, "Events of the one long case (0: none)");
    cli.add_option("--repeats", o.repeats, "Measurements for startup and open-case")
        ->check(CLI::Range(1, 100));
    cli.add_option("--rounds", o.rounds, "cipher: rounds of (plain, keyed)")
        ->check(CLI::Range(1, 20));
    cli.add_option("--reads", o.reads, "cipher: random cases read per round");
    cli.add_flag("!--no-qml", o.qml, "startup: do not time Main.qml");
    cli.add_flag("--reseed", o.reseed, "Seed the server again even if its data fits");
    cli.add_option("scenarios", scenarios, "bootstrap startup open-case cipher (default: all)")
        ->check(CLI::IsMember({ "bootstrap", "startup", "open-case", "cipher" }));
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    o.serverBin = serverBin.empty() ? defaultServerBin(buildDir) : QString::fromStdString(serverBin);
    o.dataDir = dataDir.empty()
                    ? QDir(buildDir).filePath(QStringLiteral("bench-data/app-%1k")
                                                  .arg(double(o.cases) / 1000))
                    : QString::fromStdString(dataDir);
    if (scenarios.empty())
        scenarios = { "bootstrap", "startup", "open-case", "cipher" };
    if (!QFileInfo(o.serverBin).isExecutable()) {
        std::cerr << "latch-appbench: no latch-server at " << o.serverBin.toStdString()
                  << " (--server-bin)\n";
        return 2;
    }

    const std::string loadBefore = loadText();
    Context ctx { o, BenchData(o.dataDir),
                  BenchServer(o.serverBin, QDir(o.dataDir).filePath(QStringLiteral("server")),
                              QDir(o.dataDir).filePath(QStringLiteral("server.log"))),
                  ResultTable() };
    std::cout << "latch-appbench: data in " << ctx.data.root().toStdString() << ", " << loadBefore
              << std::endl;
    bool ok = true;
    try {
        for (const auto& s : scenarios) {
            if (s == "bootstrap")
                ok = runBootstrap(ctx) && ok;
            else if (s == "startup")
                ok = runStartup(ctx) && ok;
            else if (s == "open-case")
                ok = runOpenCase(ctx) && ok;
            else if (s == "cipher")
                ok = runCipher(ctx) && ok;
        }
    } catch (const std::exception& e) {
        std::cerr << "latch-appbench: " << e.what() << "\n";
        ok = false;
    }
    ctx.server.stop();
    ctx.table.print("latch-appbench summary (" + loadBefore + " at the start, " + loadText()
                    + " at the end)");
    return ok ? 0 : 1;
}
