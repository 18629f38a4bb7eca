#pragma once
// The latch-bench scenarios. Each prints what it measured for people, then one RESULT line
// for run.sh, and returns the process exit code (0 when the run itself worked, whether or not a
// target was met: targets are judged by run.sh and the reader).
#include <cstddef>
#include <string>
#include <vector>

namespace latch::bench {

struct CommonOptions {
    std::string server; // ws://127.0.0.1:PORT/sync
    std::string password = "latch-demo";
    std::size_t threads = 1; // client io threads (the server shares the machine)
    std::size_t parallelOpens = 64; // WebSocket handshakes in flight while connecting
    int serverPid = 0; // when known: the server's CPU (and memory) are read
};

// Closed loop: each connection sends a command, waits for its result, repeats.
struct CommandsOptions {
    std::size_t clients = 50;
    double duration = 10;
    double warmup = 1;
    std::size_t cases = 5;
    std::string user = "mkim";
};

// Open loop: commands leave on a fixed schedule whatever the replies do.
struct LatencyOptions {
    double rate = 1000; // commands/s over all connections
    std::size_t clients = 50;
    double duration = 10;
    double warmup = 1;
    std::size_t cases = 5;
    double drain = 5; // seconds to wait for replies after the last send
    std::string user = "mkim";
};

// One writer, many live watchers.
struct FanoutOptions {
    std::size_t watchers = 1000;
    std::size_t events = 200;
    double rate = 20; // writer's notes per second
    bool cursorAtHead = false; // Hello with the current head (catch-up) instead of 0
    double drain = 5;
};

// Many connections doing nothing: the server's memory per connection.
struct IdleOptions {
    std::size_t connections = 10000;
    bool live = false;
    double settle = 2; // seconds between the last connection and the reading
    double hold = 0; // seconds to keep them open after the reading
};

// Plugin runs against a FakeStripe the scenario starts, with its own latch-server.
struct ActionsOptions {
    std::string serverBinary; // latch-server
    std::string baseConfig; // resources/config/latch.yaml: the plugin section is appended
    std::size_t workers = 256; // plugins.workers
    std::size_t runs = 100; // dispatch: refunds run one at a time
    int externalMs = 20; // how long Stripe takes to answer each of them
    std::size_t inflight = 200; // refunds waiting on Stripe at once
    int holdMs = 12000; // how long Stripe holds each of those
    double rate = 200; // notes/s, idle and with the refunds in flight
    std::size_t clients = 20;
    double warmup = 1;
    double duration = 5;
    std::string user = "mkim";
};

// Deliveries over HTTP to a latch-server the scenario starts with intake sources appended to its
// config: `intake` posts JSON to /intake/webhook, `email` raw messages to /intake/email.
struct IntakeOptions {
    std::string serverBinary; // latch-server
    std::string baseConfig; // resources/config/latch.yaml: the intake section is appended
    std::size_t deliveries = 20000;
    std::size_t connections = 32; // keep-alive connections, one request in flight on each
    double rate = 0; // deliveries/s over all connections; 0: as fast as answered (closed loop)
    std::size_t duplicates = 500; // delivered again afterwards: each must answer "duplicate"
    int serverThreads = 0; // latch-server --threads; 0: its default (2)
    std::string serverLogLevel = "info"; // the server's default: one line per delivery
    // email only: the kinds of emailcorpus.h delivered in turn ("plain", "alternative-qp",
    // "html-only", "pdf-200k"); empty: all four.
    std::vector<std::string> mailKinds;
};

// E-mail parsing in this process (latch_intake_mail), no server.
struct EmailParseOptions {
    std::string fixtures; // a folder of .eml files (tests/intake/mail)
    std::size_t variants = 8; // generated messages of each kind
    double duration = 5; // seconds of parsing measured
};

// A place kept for triage's classification (target < 1 ms per case): an in-process scenario like
// email-parse, with ClassifyOptions here, runClassify() in classifyscenario.cpp, and "classify" in
// latch-bench.cpp and run.sh.

int runCommands(const CommonOptions& common, const CommandsOptions& options);
int runLatency(const CommonOptions& common, const LatencyOptions& options);
int runFanout(const CommonOptions& common, const FanoutOptions& options);
int runIdle(const CommonOptions& common, const IdleOptions& options);
int runActions(const CommonOptions& common, const ActionsOptions& options);
int runIntake(const CommonOptions& common, const IntakeOptions& options);
int runEmail(const CommonOptions& common, const IntakeOptions& options);
int runEmailParse(const EmailParseOptions& options);

} // namespace latch::bench
