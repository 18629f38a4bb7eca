// latch-server: the authoritative Latch server. Thin: parse the command line, load the config, open
// the store, start the core and the network, wait for SIGINT/SIGTERM, shut down in order.
#include "core/accounts.h"
#include "core/config.h"
#include "core/service.h"
#include "plugins/externalplugin.h"
#include "plugins/httpplugin.h"
#include "plugins/pluginhost.h"
#include "plugins/slacknotifier.h"
#include "plugins/slackplugin.h"
#include "plugins/stripeplugin.h"
#include "intake/intakesetup.h"
#include "intake/mailboxes.h"
#include "triage/service/starterset.h"
#include "triage/service/triageservice.h"
#include "plugins/stripewebhook.h"
#include "demoseed.h"
#include "net/server.h"
#include "store/sqlitestore.h"
#include "store/storeverifier.h"
#include "store/checkpoints.h"
#include "proof/caseprover.h"
#include "proof/checkpointer.h"
#include "proof/proofendpoint.h"
#include "latch/signednote.h"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <iostream>
#include <optional>
#include <thread>

namespace {

std::string defaultDataDir()
{
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/latch";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/latch";
    return "latch-data";
}

int failWith(const std::string& message, int code = 1)
{
    std::cerr << "latch-server: " << message << "\n";
    return code;
}

std::optional<std::string> env(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    return value && *value ? std::optional<std::string>(value) : std::nullopt;
}

std::string slackWebhookMissing(const std::string& key, const std::string& variable)
{
    return key + " but " + variable
        + " is not set; put the Slack incoming-webhook URL in that environment variable (it is "
          "never read from the config file)";
}

void writeInitialPassword(const std::filesystem::path& dir, const std::string& password)
{
    const auto path = dir / "initial-admin-password";
    {
        std::ofstream out(path, std::ios::trunc);
        out << password << "\n";
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read
                                           | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace);
    spdlog::warn("created the first administrator: user 'admin', password in {} — sign in and "
                 "change it",
                 path.string());
}

// The audit log's origin, the first line of every checkpoint: unique to this server's database.
std::string logOrigin(const latch::store::SqliteStore& store)
{
    return "latch/" + store.serverId();
}

int printLogKey(const std::string& dataDir, bool rotate)
{
    spdlog::set_level(spdlog::level::warn);
    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    auto store = latch::store::SqliteStore::open(dataDir + "/latch.db");
    if (!store)
        return failWith(store.failure().message, 2);
    const std::string origin = logOrigin(**store);
    auto key = rotate ? latch::store::rotateLogKey(dataDir, origin)
                      : latch::store::loadOrCreateLogKey(dataDir, origin);
    if (!key)
        return failWith(key.failure().message, 2);
    auto checkpoints = latch::store::Checkpoints::open(dataDir + "/latch.db");
    if (!checkpoints)
        return failWith(checkpoints.failure().message, 2);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (auto used = (*checkpoints)->useKey(*key, now); !used)
        return failWith(used.failure().message, 2);
    const std::string current = latch::note::encodeVerifierKey(latch::note::verifierKey(*key));
    std::cout << current << "\n";
    bool heading = false;
    for (const auto& k : (*checkpoints)->keys()) {
        if (k.verifierKey == current)
            continue;
        if (!heading)
            std::cout << "# retired, still valid for the checkpoints they signed:\n";
        heading = true;
        std::cout << "# " << k.verifierKey << "\n";
    }
    if (rotate)
        std::cerr << "latch-server: rotated; restart the server to sign with the new key\n";
    return 0;
}

int verifyData(const std::string& dataDir)
{
    const std::string path = dataDir + "/latch.db";
    if (!std::filesystem::exists(path))
        return failWith("no database at " + path + " (give the server's --data directory)", 2);
    spdlog::set_level(spdlog::level::warn);
    {
        // Brings an older database up to date first, so that it has an audit log to check.
        auto store = latch::store::SqliteStore::open(path);
        if (!store)
            return failWith(store.failure().message, 2);
    }
    auto checkpoints = latch::store::Checkpoints::open(path);
    if (!checkpoints)
        return failWith(checkpoints.failure().message, 2);
    const auto keys = (*checkpoints)->verifierKeys();
    const auto checkSignature = [&keys](const latch::store::StoredCheckpoint& c) -> std::string {
        const auto opened = latch::note::open(c.note, keys);
        if (!opened)
            return "its signature does not verify with the server's log keys: "
                + opened.failure().message;
        const auto body = latch::note::parseCheckpoint(opened->text);
        if (!body)
            return "its note is not a checkpoint: " + body.failure().message;
        if (body->size != c.size
            || std::string_view(reinterpret_cast<const char*>(body->root.data()), 32) != c.root)
            return "the row's size or root differ from what the note signs (" + std::to_string(body->size)
                + " events): the row was edited";
        return {};
    };
    const auto report = latch::store::verifyStore(path, checkSignature);
    if (!report)
        return failWith(report.failure().message, 2);
    std::cout << "checked " << report->events << " events of " << report->cases << " cases and "
              << report->checkpoints << " checkpoints in " << fmt::format("{:.2f}", report->seconds)
              << " s\n";
    if (report->intact()) {
        std::cout << "intact: every event matches its hash, its case's chain and the audit log, and every "
                     "checkpoint its signature\n";
        return 0;
    }
    if (report->firstBadSeq != 0)
        std::cout << "NOT INTACT: the first bad event is seq " << report->firstBadSeq << "\n";
    else
        std::cout << "NOT INTACT\n";
    for (const auto& problem : report->problems)
        std::cout << "  " << problem << "\n";
    return 3;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"latch-server: cases, enforced approvals and proof"};
    std::string dataDir = defaultDataDir();
    std::string listen;
    std::string configFile;
    std::string logLevel = "info";
    bool demo = false;
    int threads = 2;
    app.add_option("--data", dataDir, "Data directory (database, first admin password)");
    app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free one");
    app.add_option("--config", configFile, "YAML config file (default: the built-in one)");
    app.add_flag("--demo", demo, "Seed the demo users (password latch-demo) and demo cases");
    app.add_option("--threads", threads, "Network threads")->check(CLI::Range(1, 64));
    app.add_option("--log-level", logLevel, "trace, debug, info, warn, error");
    app.fallthrough(); // "latch-server verify --data DIR" as well as "--data DIR verify"
    auto* verify = app.add_subcommand(
        "verify", "Check the stored history at rest (every event's hash, each case's chain, the "
                  "audit log and its checkpoints) and name the first bad event; exit 0 when intact, "
                  "3 when not");
    auto* key = app.add_subcommand(
        "key", "Print the public key that signs the audit log's checkpoints (a signed-note "
               "verifier key), and the retired ones old checkpoints were signed with");
    bool rotate = false;
    key->add_flag("--rotate", rotate,
                  "Make a new signing key; the old one is retired (its public key stays valid for "
                  "the checkpoints it signed) and its private key deleted");
    int checkpointSeconds = 10;
    app.add_option("--checkpoint-interval", checkpointSeconds,
                   "Seconds between signed checkpoints of the audit log while it grows")
        ->check(CLI::Range(1, 86400));
    CLI11_PARSE(app, argc, argv);
    if (*verify)
        return verifyData(dataDir);
    if (*key)
        return printLogKey(dataDir, rotate);

    spdlog::set_level(spdlog::level::from_str(logLevel));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");

    auto loaded = configFile.empty() ? latch::core::parseConfig(latch::core::builtInConfigText(),
                                                                "<built-in>")
                                     : latch::core::loadConfigFile(configFile);
    if (!loaded)
        return failWith(loaded.failure().message, 2);
    if (!listen.empty())
        loaded->listen = listen;
    auto config = std::make_shared<const latch::core::Config>(std::move(*loaded));

    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    if (ec)
        return failWith("cannot create the data directory " + dataDir + ": " + ec.message(), 2);
    auto store = latch::store::SqliteStore::open(dataDir + "/latch.db");
    if (!store)
        return failWith(store.failure().message, 2);
    const std::string origin = logOrigin(**store);
    auto logKey = latch::store::loadOrCreateLogKey(dataDir, origin);
    if (!logKey)
        return failWith(logKey.failure().message, 2);
    auto openedCheckpoints = latch::store::Checkpoints::open(dataDir + "/latch.db");
    if (!openedCheckpoints)
        return failWith(openedCheckpoints.failure().message, 2);
    std::shared_ptr<latch::store::Checkpoints> checkpoints = std::move(*openedCheckpoints);
    if (auto used = checkpoints->useKey(*logKey,
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
        !used)
        return failWith(used.failure().message, 2);
    latch::proof::Checkpointer checkpointer(checkpoints, *logKey, origin,
                                            std::chrono::seconds(checkpointSeconds));

    auto prover = latch::proof::CaseProver::open(dataDir + "/latch.db", checkpoints, checkpointer,
                                                 origin);
    if (!prover)
        return failWith(prover.failure().message, 2);

    latch::core::Service service(config, **store);
    service.setProofSource(prover->get()); // the get_case_proof query (latchctl export)
    latch::plugins::PluginHost plugins(service, **store, config->plugins.workers);
    std::shared_ptr<latch::plugins::StripeWebhook> stripeWebhook;
    if (const auto& stripe = config->plugins.stripe; stripe.enabled) {
        const char* key = std::getenv(stripe.apiKeyEnv.c_str());
        if (!key || !*key)
            return failWith("plugins.stripe is enabled but " + stripe.apiKeyEnv
                                + " is not set; put the Stripe secret key in that environment "
                                  "variable (it is never read from the config file)",
                            2);
        plugins.add(std::make_unique<latch::plugins::StripePlugin>(stripe, key));
        if (!stripe.webhookSecretEnv.empty()) {
            const char* secret = std::getenv(stripe.webhookSecretEnv.c_str());
            if (!secret || !*secret)
                return failWith("plugins.stripe.webhook_secret_env names " + stripe.webhookSecretEnv
                                    + ", which is not set; put the endpoint's signing secret "
                                      "(whsec_...) in it, or remove the key to serve no webhook",
                                2);
            stripeWebhook = std::make_shared<latch::plugins::StripeWebhook>(
                secret, stripe.webhookTolerance);
        }
    }
    std::unique_ptr<latch::plugins::SlackNotifier> notifier;
    if (const auto& slack = config->plugins.slack; slack.enabled) {
        const auto url = env(slack.webhookUrlEnv);
        if (!url)
            return failWith(slackWebhookMissing("plugins.slack is enabled", slack.webhookUrlEnv), 2);
        plugins.add(std::make_unique<latch::plugins::SlackPlugin>(slack, *url));
        if (slack.notify.approvalWaiting) {
            const auto& other = slack.notify.webhookUrlEnv;
            const auto notifyUrl = other.empty() ? url : env(other);
            if (!notifyUrl)
                return failWith(slackWebhookMissing("plugins.slack.notify names a webhook", other),
                                2);
            notifier = std::make_unique<latch::plugins::SlackNotifier>(service, **store, slack,
                                                                       *notifyUrl);
        }
    }
    auto http = latch::plugins::HttpPlugin::fromConfig(config->plugins.http, env);
    if (!http)
        return failWith(http.failure().message, 2);
    for (auto& plugin : *http)
        plugins.add(std::move(plugin));
    // Every executable in plugins.external.dir; built-in names stay theirs, enabled or not.
    std::vector<std::string> builtIn { "stripe", "slack" };
    for (const auto& action : config->plugins.http)
        builtIn.push_back(action.id.substr(0, action.id.find('.')));
    auto external = latch::plugins::ExternalPlugin::discover(config->plugins.external, builtIn);
    if (!external)
        return failWith(external.failure().message, 2);
    for (auto& plugin : *external)
        plugins.add(std::move(plugin));
    if (!plugins.empty())
        service.setActionCatalog(&plugins);
    auto intakeEndpoints = latch::intake::makeIntakeEndpoints(*config);
    if (!intakeEndpoints)
        return failWith(intakeEndpoints.failure().message, 2);
    std::unique_ptr<latch::triage::TriageService> triage;
    if (config->triage.enabled) {
        std::string starter = latch::triage::starterSetText();
        if (!config->triage.starter.empty()) {
            std::ifstream file(config->triage.starter, std::ios::binary);
            if (!file)
                return failWith("triage.starter: cannot read " + config->triage.starter, 2);
            starter.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        }
        const std::string modelFile = config->triage.modelFile.empty()
            ? dataDir + "/triage.model" : config->triage.modelFile;
        triage = std::make_unique<latch::triage::TriageService>(service, **store, *config,
                                                                modelFile, std::move(starter));
        if (auto started = triage->start(); !started)
            return failWith("triage: " + started.failure().message, 2);
        service.setTriageControl(triage.get());
    }
    if (demo)
        latch::seedDemoUsers(service); // creates "admin" with the demo password first
    if (auto password = service.accounts().ensureAdmin())
        writeInitialPassword(dataDir, *password);
    service.start();
    if (demo)
        latch::seedDemoCases(service);
    if (!plugins.empty())
        plugins.start(); // resumes runs a crash or stop left without a result
    if (notifier)
        notifier->start(); // posts approval notifications a crash or stop left owed
    checkpointer.start(); // signs the log now, then on its interval
    latch::intake::Mailboxes mailboxes(service, *config);
    if (auto watching = mailboxes.start(); !watching) {
        if (notifier)
            notifier->stop();
        plugins.stop();
        service.stop();
        return failWith(watching.failure().message, 2);
    }

    boost::asio::io_context ioc(threads);
    latch::net::Server server(service, ioc);
    if (stripeWebhook)
        server.addWebhook(stripeWebhook); // Stripe's events, at POST /hooks/stripe
    for (auto& intake : *intakeEndpoints)
        server.addWebhook(intake); // POST /intake/webhook, /intake/alertmanager; /forms/<name>
    // GET /.well-known/latch/log-keys and /checkpoint
    server.addWebhook(std::make_shared<latch::proof::ProofEndpoint>(checkpoints));
    auto endpoint = server.start();
    if (!endpoint) {
        if (notifier)
            notifier->stop();
        plugins.stop();
        service.stop();
        return failWith(endpoint.failure().message, 2);
    }
    // Signals are caught before the port is announced, so a supervisor (or a test) that stops
    // the server as soon as it is listening always gets the orderly shutdown.
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    boost::asio::steady_timer drain(ioc);
    std::function<void(int)> waitForDrain = [&](int ticksLeft) {
        // Peers get a short grace to answer the going-away close; then the server exits anyway.
        if (server.stats().openConnections == 0 || ticksLeft == 0) {
            ioc.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(100));
        drain.async_wait([&, ticksLeft](const boost::system::error_code&) {
            waitForDrain(ticksLeft - 1);
        });
    };
    signals.async_wait([&](const boost::system::error_code& error, int signal) {
        if (error)
            return;
        spdlog::info("signal {}: stopping; in-flight commands finish first", signal);
        server.stop();           // stop accepting
        mailboxes.stop();        // messages not yet taken stay in their Maildir
        if (triage)
            triage->stop();      // suggestions not yet made are made at the next start
        plugins.requestStop();   // runs in flight are resumed at the next start
        if (notifier)
            notifier->requestStop();
        service.stop();          // apply what is queued; results reach their sessions
        server.closeAll(); // going-away to every client
        waitForDrain(50);
    });

    const char* scheme = config->tls.enabled() ? "wss" : "ws";
    // One write: log lines from threads already running (a resumed action run, triage) must
    // not land inside the line that launchers and tests read the port from.
    const std::string listening = fmt::format("latch-server listening on {}://{}:{}/sync\n", scheme,
                                              endpoint->address().to_string(), endpoint->port());
    std::fwrite(listening.data(), 1, listening.size(), stdout);
    std::fflush(stdout);
    spdlog::info("data in {}, {} rules loaded from {}", dataDir, config->rules.size(),
                 config->source);

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool)
        t.join();
    if (notifier)
        notifier->stop();
    plugins.stop();
    checkpointer.stop(); // one last checkpoint, over everything stored
    spdlog::info("stopped");
    return 0;
}
