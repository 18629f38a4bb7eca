// latch-bench: load scenarios against a running latch-server (see docs/benchmarks.md). Thin: parse
// the command line, raise the open-file limit, run one scenario.
//
//   latch-bench --server ws://127.0.0.1:PORT/sync commands --clients 50 --duration 10
//   latch-bench --server ... latency --rate 1000 --clients 50 --duration 10
//   latch-bench --server ... fanout --watchers 1000 --events 200
//   latch-bench --server ... --server-pid PID idle --connections 10000
//   latch-bench actions --server-bin build/release/server/latch-server \
//       --config-base resources/config/latch.yaml     (starts its own server and FakeStripe)
//   latch-bench intake --server-bin ... --config-base ...  (its own server: POST /intake/webhook)
//   latch-bench email --server-bin ... --config-base ...   (its own server: POST /intake/email)
//   latch-bench email-parse [--fixtures tests/intake/mail] (in this process, no server)
#include "scenarios.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <sys/resource.h>

namespace {

// Thousands of sockets need thousands of descriptors: take the hard limit (run.sh raises that).
void raiseOpenFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void addIntakeOptions(CLI::App* command, latch::bench::IntakeOptions& o)
{
    command->add_option("--server-bin", o.serverBinary, "latch-server to start")->required();
    command
        ->add_option("--config-base", o.baseConfig,
            "Config the intake section is appended to (resources/config/latch.yaml)")
        ->required();
    command->add_option("--deliveries", o.deliveries, "Deliveries, each new")
        ->check(CLI::PositiveNumber);
    command->add_option("--connections", o.connections, "Keep-alive HTTP connections")
        ->check(CLI::Range(1, 4096));
    command->add_option("--rate", o.rate, "Deliveries per second, paced; 0: closed loop")
        ->check(CLI::NonNegativeNumber);
    command->add_option("--duplicates", o.duplicates, "Deliveries sent again afterwards");
    command->add_option("--server-threads", o.serverThreads, "latch-server --threads (0: default)");
    command->add_option("--server-log-level", o.serverLogLevel, "latch-server --log-level");
}

} // namespace

int main(int argc, char** argv)
{
    using namespace latch::bench;
    CLI::App app { "latch-bench: load scenarios against a running latch-server" };
    app.require_subcommand(1);
    CommonOptions common;
    app.add_option("--server", common.server,
        "ws://HOST:PORT/sync of the server (not for actions, intake and email, which start their "
        "own, nor email-parse)");
    app.add_option("--password", common.password, "Password of the demo users");
    app.add_option("--threads", common.threads, "Client io threads")->check(CLI::Range(1, 16));
    app.add_option("--parallel-opens", common.parallelOpens,
        "WebSocket handshakes in flight while connecting");
    app.add_option("--server-pid", common.serverPid,
        "The server's pid: report its CPU per operation (and VmRSS for idle)");

    CommandsOptions commands;
    auto* c
        = app.add_subcommand("commands", "Closed loop: each client sends a note, waits, repeats");
    c->add_option("--clients", commands.clients, "Connections");
    c->add_option("--duration", commands.duration, "Seconds measured");
    c->add_option("--warmup", commands.warmup, "Seconds run before measuring");
    c->add_option("--cases", commands.cases, "Cases the notes are spread over");

    LatencyOptions latency;
    auto* l = app.add_subcommand("latency", "Open loop at a fixed rate; latency from schedule");
    l->add_option("--rate", latency.rate, "Commands per second, all clients together")
        ->check(CLI::PositiveNumber);
    l->add_option("--clients", latency.clients, "Connections");
    l->add_option("--duration", latency.duration, "Seconds measured");
    l->add_option("--warmup", latency.warmup, "Seconds run before measuring");
    l->add_option("--cases", latency.cases, "Cases the notes are spread over");
    l->add_option("--drain", latency.drain, "Seconds to wait for the last replies");

    FanoutOptions fanout;
    auto* f = app.add_subcommand("fanout", "One writer, many live watchers");
    f->add_option("--watchers", fanout.watchers, "Live connections");
    f->add_option("--events", fanout.events, "Notes the writer adds");
    f->add_option("--rate", fanout.rate, "Writer's notes per second")->check(CLI::PositiveNumber);
    f->add_flag("--cursor-at-head", fanout.cursorAtHead,
        "Watchers resume from the head (no snapshot cases) instead of cursor 0");
    f->add_option("--drain", fanout.drain, "Seconds to wait for the last deliveries");

    IdleOptions idle;
    auto* i = app.add_subcommand("idle", "Many idle connections; server memory per connection");
    i->add_option("--connections", idle.connections, "Connections");
    i->add_flag("--live", idle.live, "Hello with live=true (snapshot, then pushes)");
    i->add_option("--settle", idle.settle, "Seconds between the last connection and the reading");
    i->add_option("--hold", idle.hold, "Seconds to keep the connections open after it");

    ActionsOptions actions;
    auto* a = app.add_subcommand(
        "actions", "Plugin dispatch overhead, and note latency with refunds in flight");
    a->add_option("--server-bin", actions.serverBinary, "latch-server to start")->required();
    a->add_option("--config-base", actions.baseConfig,
         "Config the Stripe plugin section is appended to (resources/config/latch.yaml)")
        ->required();
    a->add_option("--workers", actions.workers, "plugins.workers of that server");
    a->add_option("--runs", actions.runs, "Dispatch: refunds run one at a time");
    a->add_option("--external-ms", actions.externalMs, "Dispatch: Stripe's answer time");
    a->add_option("--inflight", actions.inflight, "Refunds waiting on Stripe at once");
    a->add_option("--hold-ms", actions.holdMs, "How long Stripe holds each of those");
    a->add_option("--rate", actions.rate, "Notes per second, idle and in flight")
        ->check(CLI::PositiveNumber);
    a->add_option("--clients", actions.clients, "Note connections");
    a->add_option("--duration", actions.duration, "Seconds of notes measured, each time");

    IntakeOptions intake;
    auto* in = app.add_subcommand(
        "intake", "Webhook intake: JSON deliveries/s end to end, duplicates, a census");
    addIntakeOptions(in, intake);

    IntakeOptions email;
    email.deliveries = 2000;
    auto* em = app.add_subcommand(
        "email", "Email intake: raw messages to POST /intake/email end to end, as intake does");
    addIntakeOptions(em, email);
    em->add_option("--kinds", email.mailKinds,
          "Kinds of e-mail delivered in turn: plain,alternative-qp,html-only,pdf-200k (default "
          "all)")
        ->delimiter(',');

    EmailParseOptions parse;
    parse.fixtures = LATCH_BENCH_MAIL_FIXTURES;
    auto* ep = app.add_subcommand("email-parse", "E-mail parsing in this process: emails/s, MB/s");
    ep->add_option("--fixtures", parse.fixtures, "Folder of .eml fixtures (tests/intake/mail)");
    ep->add_option("--variants", parse.variants, "Generated messages of each kind");
    ep->add_option("--duration", parse.duration, "Seconds of parsing measured")
        ->check(CLI::PositiveNumber);

    CLI11_PARSE(app, argc, argv);
    const bool ownServer = a->parsed() || in->parsed() || em->parsed() || ep->parsed();
    if (!ownServer && common.server.empty()) {
        std::cerr << "latch-bench: --server is required for this scenario\n";
        return 2;
    }
    raiseOpenFileLimit();
    try {
        if (c->parsed())
            return runCommands(common, commands);
        if (l->parsed())
            return runLatency(common, latency);
        if (f->parsed())
            return runFanout(common, fanout);
        if (a->parsed())
            return runActions(common, actions);
        if (in->parsed())
            return runIntake(common, intake);
        if (em->parsed())
            return runEmail(common, email);
        if (ep->parsed())
            return runEmailParse(parse);
        return runIdle(common, idle);
    } catch (const std::exception& e) {
        std::cerr << "latch-bench: " << e.what() << "\n";
        return 1;
    }
}
