// Scenario "startup": the app starts on a computer that already holds the replica of 10,000 cases
// and shows the queue. Measured from constructing the AppSession (its worker thread starts) and
// signIn with an empty password (reopen the replica with its saved session: Argon2id on the
// passphrase, SQLCipher open, queueRows) until queueReset delivers every row on the UI thread.
// The server is stopped, so the session stays Offline: the queue comes from the replica alone.
// When the build has them, also: until a QueueModel (created from QML, given the session) holds
// the rows, and Main.qml loaded in a QQmlApplicationEngine to its first frame with the queue.
#include "appscenarios.h"
#include "sessionprobe.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickWindow>

#include <iostream>
#include <memory>

namespace latch::appbench {

using latch::app::AppSession;

namespace {

struct StartRun {
    double resetMs = -1; // queueReset with every row, on the UI thread
    double modelMs = -1; // the QueueModel holds every row (-1: no model)
    QString error;
};

// A QueueModel made the way QML makes it, so this compiles whether or not app/models has one
// yet. Null (and `why` says why) when the build has none.
std::unique_ptr<QAbstractItemModel> makeQueueModel(QQmlEngine& engine, QString* why)
{
    QQmlComponent component(&engine);
    component.setData("import Latch\nQueueModel {}\n", QUrl());
    std::unique_ptr<QObject> object(component.create());
    auto* model = qobject_cast<QAbstractItemModel*>(object.get());
    if (!model) {
        *why = component.errorString().trimmed();
        if (why->isEmpty())
            *why = QStringLiteral("QueueModel is not a QAbstractItemModel");
        return nullptr;
    }
    object.release();
    return std::unique_ptr<QAbstractItemModel>(model);
}

bool giveSession(QAbstractItemModel* model, AppSession* session)
{
    return model->setProperty("session", QVariant::fromValue(session));
}

StartRun startOnce(const Context& ctx, const RunState& state, QAbstractItemModel* model)
{
    const Options& o = ctx.options;
    StartRun run;
    QElapsedTimer clock;
    clock.start();
    auto now = [&] { return double(clock.nsecsElapsed()) / 1e6; };
    auto session = std::make_unique<AppSession>(sessionOptions(ctx.data.replicaDir()));
    SessionProbe probe(session.get());
    if (model && !giveSession(model, session.get()))
        model = nullptr;
    session->signIn(state.serverUrl, state.user, QString(), o.passphrase);
    auto full = [&] {
        for (const auto& r : probe.resets()) {
            if (r.rows == state.rows)
                return true;
        }
        return false;
    };
    probe.waitFor(
        [&] {
            if (full() && run.resetMs < 0)
                run.resetMs = now();
            if (model && run.modelMs < 0 && model->rowCount() == state.rows)
                run.modelMs = now();
            return (run.resetMs >= 0 && (!model || run.modelMs >= 0))
                   || !probe.errorCode().isEmpty();
        },
        60000);
    if (run.resetMs < 0)
        run.error = probe.errorCode() + QStringLiteral(": ") + probe.errorMessage();
    if (model)
        giveSession(model, nullptr);
    return run;
}

// Main.qml in an engine, signIn after it loaded (as the app does once its window is up), to the
// first frame rendered after the whole queue reached the UI thread.
struct QmlRun {
    double loadedMs = -1;
    double resetMs = -1;
    double frameMs = -1;
    QString error;
    QString screenshot;
};

QmlRun qmlOnce(const Context& ctx, const RunState& state)
{
    const Options& o = ctx.options;
    QmlRun run;
    QElapsedTimer clock;
    clock.start();
    auto now = [&] { return double(clock.nsecsElapsed()) / 1e6; };
    auto session = std::make_unique<AppSession>(sessionOptions(ctx.data.replicaDir()));
    AppSession::setInstance(session.get());
    SessionProbe probe(session.get());
    QQmlApplicationEngine engine;
    engine.load(QUrl(QStringLiteral("qrc:/Latch/Main.qml")));
    auto* window = engine.rootObjects().isEmpty()
                       ? nullptr
                       : qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (!window) {
        run.error = QStringLiteral("Main.qml did not load to a window");
        AppSession::setInstance(nullptr);
        return run;
    }
    run.loadedMs = now();
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
        if (run.resetMs >= 0 && run.frameMs < 0)
            run.frameMs = now();
    });
    session->signIn(state.serverUrl, state.user, QString(), o.passphrase);
    probe.waitFor(
        [&] {
            if (run.resetMs < 0) {
                for (const auto& r : probe.resets()) {
                    if (r.rows == state.rows) {
                        run.resetMs = now();
                        window->requestUpdate();
                    }
                }
            }
            return run.frameMs >= 0 || !probe.errorCode().isEmpty();
        },
        60000);
    if (run.frameMs < 0) {
        run.error = run.resetMs < 0 ? QStringLiteral("the queue never arrived")
                                    : QStringLiteral("no frame after the queue arrived");
    } else {
        run.screenshot = QDir(ctx.data.root()).filePath(QStringLiteral("startup-first-frame.png"));
        window->grabWindow().save(run.screenshot);
    }
    AppSession::setInstance(nullptr);
    return run;
}

} // namespace

bool runStartup(Context& ctx)
{
    const Options& o = ctx.options;
    if (!ensureBootstrapped(ctx))
        return false;
    ctx.server.stop(); // from the replica alone
    const RunState state = *ctx.data.runState();
    std::cout << "\n== startup: a new AppSession reopens the replica of " << state.rows
              << " cases, server stopped (" << loadText() << ")" << std::endl;
    const double kdfMs = measureKdfMs(o.passphrase);

    QQmlEngine engine;
    QString noModel;
    auto model = makeQueueModel(engine, &noModel);

    std::vector<double> resets;
    std::vector<double> models;
    for (int i = 0; i < o.repeats; ++i) {
        const StartRun run = startOnce(ctx, state, model.get());
        if (run.resetMs < 0) {
            std::cerr << "latch-appbench: startup failed: " << run.error.toStdString() << "\n";
            ctx.table.add("startup", "< 1.5 s", "failed", Verdict::Failed);
            return false;
        }
        resets.push_back(run.resetMs);
        if (run.modelMs >= 0)
            models.push_back(run.modelMs);
        std::cout << "  run " << i + 1 << ": queueReset with " << state.rows << " rows at "
                  << ms(run.resetMs)
                  << (run.modelMs >= 0 ? ", QueueModel rows at " + ms(run.modelMs) : "")
                  << std::endl;
    }
    // The first run is the real start (nothing of the replica in SQLCipher's cache yet, the
    // process's first session); later ones show the spread. Judged on the worse of first/median.
    const double first = resets.front();
    const double mid = median(resets);
    std::string figure = "first " + ms(first) + ", median " + ms(mid) + " (KDF " + ms(kdfMs)
                         + ", without it " + ms(std::max(first, mid) - kdfMs) + ")";
    ctx.table.add("startup", "< 1.5 s", figure, below(std::max(first, mid), 1500));
    std::vector<std::pair<std::string, std::string>> fields
        = { { "first_ms", std::to_string(int(first)) },
            { "median_ms", std::to_string(int(mid)) },
            { "kdf_ms", std::to_string(int(kdfMs)) },
            { "rows", std::to_string(state.rows) },
            { "runs", std::to_string(resets.size()) } };
    if (!models.empty()) {
        const double modelFirst = models.front();
        const double modelMid = median(models);
        ctx.table.add("  +model", "< 1.5 s",
                      "QueueModel rows: first " + ms(modelFirst) + ", median " + ms(modelMid),
                      below(std::max(modelFirst, modelMid), 1500));
        fields.push_back({ "model_first_ms", std::to_string(int(modelFirst)) });
        fields.push_back({ "model_median_ms", std::to_string(int(modelMid)) });
    } else {
        ctx.table.note("startup: no QueueModel measured (" + noModel.toStdString() + ")");
    }
    model.reset();

    if (o.qml && QFile::exists(QStringLiteral(":/Latch/Main.qml"))) {
        const QmlRun run = qmlOnce(ctx, state);
        if (run.frameMs < 0) {
            std::cout << "  Main.qml: " << run.error.toStdString() << std::endl;
            ctx.table.add("  +QML", "< 1.5 s", run.error.toStdString(), Verdict::Failed);
        } else {
            std::cout << "  Main.qml: loaded at " << ms(run.loadedMs) << ", queue at "
                      << ms(run.resetMs) << ", first frame after it at " << ms(run.frameMs)
                      << " (screenshot " << run.screenshot.toStdString() << ")" << std::endl;
            ctx.table.add("  +QML", "< 1.5 s",
                          "Main.qml first frame with the queue " + ms(run.frameMs)
                              + " (loaded " + ms(run.loadedMs) + ")",
                          below(run.frameMs, 1500));
            fields.push_back({ "qml_loaded_ms", std::to_string(int(run.loadedMs)) });
            fields.push_back({ "qml_frame_ms", std::to_string(int(run.frameMs)) });
        }
    } else if (o.qml) {
        ctx.table.note("startup: Main.qml is not in this build (qrc:/Latch/Main.qml): QML not timed");
    }
    fields.push_back({ "load", std::to_string(loadAverage()) });
    ResultTable::result("app-startup", fields);
    return true;
}

} // namespace latch::appbench
