// Scenario "actions": what the plugin host adds to an external call, and what runs waiting on an
// external system cost everyone else. It starts its own FakeStripe (tests/fakes) and its own
// latch-server (--demo, the Stripe plugin pointed at the fake, `plugins.workers` as asked), so
// that it can decide how long Stripe takes to answer.
//
// 1. Dispatch: refunds run one at a time on cases no rule gates. Each is timed from sending
//    request_action to seeing its action_finished pushed to a live session; the fake answers every
//    refund after exactly `external` ms. overhead = end to end - external: the command path, the
//    durable action_requested, the worker, the HTTP round trip on loopback, recording the result
//    and pushing it.
// 2. In flight: notes in an open loop (as the latency scenario) first with nothing else going on,
//    then while `inflight` refunds wait on a fake Stripe that holds each answer for `hold` ms. The
//    figure is p99 with runs in flight over p99 idle.
#include "benchsupport.h"
#include "clientfleet.h"
#include "fakestripe.h"
#include "latch/ids.h"
#include "latencyrecorder.h"
#include "openloop.h"
#include "scenarios.h"
#include "serverchild.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace latch::bench {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string paymentIntentId(std::size_t i) { return "pi_bench" + std::to_string(100000 + i); }

v1::Command refundCaseCommand(std::size_t i)
{
    v1::Command command;
    command.set_command_id(newUuid());
    auto* create = command.mutable_create_case();
    create->set_type("refund");
    create->set_title("Bench refund " + std::to_string(i + 1));
    create->set_customer("Bench Co");
    create->set_order_ref("B-" + std::to_string(i + 1));
    create->mutable_amount()->set_minor(5000); // 50.00: under every refund threshold, no gate
    create->mutable_amount()->set_currency("USD");
    auto* field = create->add_fields();
    field->set_key("payment_intent");
    field->set_value(paymentIntentId(i));
    return command;
}

v1::Command requestActionCommand(const std::string& caseId)
{
    v1::Command command;
    command.set_command_id(newUuid());
    command.mutable_request_action()->set_case_id(caseId);
    command.mutable_request_action()->set_action("stripe.refund");
    return command;
}

asio::awaitable<std::vector<std::string>> createRefundCases(
    BenchClient& client, std::size_t first, std::size_t count)
{
    std::vector<std::string> ids;
    for (std::size_t i = first; i < first + count; ++i) {
        const auto result = co_await command(client, refundCaseCommand(i));
        if (!result.accepted())
            throw std::runtime_error("create_case refused: " + result.message());
        ids.push_back(result.case_id());
    }
    co_return ids;
}

// Reads pushes until an action_finished for `caseId` arrives; returns its state.
asio::awaitable<v1::ActionState> awaitFinished(BenchClient& watcher, std::string caseId)
{
    for (;;) {
        const v1::Envelope push = co_await watcher.receive();
        if (!push.has_events())
            continue;
        for (const auto& event : push.events().events())
            if (event.case_id() == caseId && event.has_action_finished())
                co_return event.action_finished().state();
    }
}

struct DispatchFigures {
    LatencyRecorder overhead;
    LatencyRecorder endToEnd;
    std::size_t failed = 0;
};

asio::awaitable<void> dispatchRuns(BenchClient* requester, BenchClient* watcher,
    fakes::FakeStripe* stripe, std::vector<std::string> cases, std::chrono::milliseconds external,
    DispatchFigures* out)
{
    for (const auto& id : cases) {
        stripe->inject(fakes::Fault::delayBy(external).onlyFor("/v1/refunds"));
        const auto start = Clock::now();
        const auto accepted = co_await command(*requester, requestActionCommand(id));
        if (!accepted.accepted())
            throw std::runtime_error("request_action refused: " + accepted.code() + " "
                + accepted.message());
        const auto state = co_await awaitFinished(*watcher, id);
        const auto took = Clock::now() - start;
        if (state != v1::ACTION_STATE_SUCCEEDED)
            ++out->failed;
        out->endToEnd.add(took);
        out->overhead.add(took - external);
    }
}

asio::awaitable<void> requestAll(BenchClient* requester, std::vector<std::string> cases)
{
    for (const auto& id : cases) {
        const auto accepted = co_await command(*requester, requestActionCommand(id));
        if (!accepted.accepted())
            throw std::runtime_error("request_action refused: " + accepted.code() + " "
                + accepted.message());
    }
}

// Counts the runs of `pending` that finished as succeeded; gives up (closing the watcher) at
// `deadline`.
asio::awaitable<std::size_t> awaitAllFinished(
    BenchClient* watcher, std::set<std::string> pending, Clock::time_point deadline)
{
    std::size_t succeeded = 0;
    asio::steady_timer guard(watcher->executor(), deadline);
    guard.async_wait([watcher](boost::system::error_code error) {
        if (!error)
            watcher->abort();
    });
    try {
        while (!pending.empty()) {
            const v1::Envelope push = co_await watcher->receive();
            if (!push.has_events())
                continue;
            for (const auto& event : push.events().events()) {
                if (!event.has_action_finished() || !pending.erase(event.case_id()))
                    continue;
                if (event.action_finished().state() == v1::ACTION_STATE_SUCCEEDED)
                    ++succeeded;
            }
        }
    } catch (const std::exception&) {
        // the deadline closed the connection
    }
    guard.cancel();
    co_return succeeded;
}

OpenLoopResult noteLoad(IoPool& pool, const ServerAddress& address, const std::string& token,
    const std::vector<std::string>& cases, const ActionsOptions& o, int serverPid)
{
    ClientFleet fleet(pool, address);
    if (!fleet.openRequestClients(o.clients, 64, token, "actions"))
        throw std::runtime_error("could not open the note connections");
    return runOpenLoop(
        fleet, cases, OpenLoopOptions { o.rate, o.warmup, o.duration, 3 }, serverPid);
}

std::string latencyLine(const LatencySummary& l)
{
    return "p50 " + fixed(l.p50Ms, 2) + "  p90 " + fixed(l.p90Ms, 2) + "  p99 " + fixed(l.p99Ms, 2)
        + "  max " + fixed(l.maxMs, 2) + " ms";
}

fs::path writeConfig(const fs::path& dir, const std::string& baseConfig, const std::string& stripeUrl,
    std::size_t workers)
{
    std::ifstream in(baseConfig);
    if (!in)
        throw std::runtime_error("cannot read the base config " + baseConfig);
    std::stringstream text;
    text << in.rdbuf();
    const fs::path path = dir / "latch.yaml";
    std::ofstream out(path);
    out << text.str() << "\nplugins:\n  workers: " << workers << "\n  stripe:\n"
        << "    enabled: true\n    base_url: " << stripeUrl << "\n"
        << "    api_key_env: LATCH_STRIPE_API_KEY\n    max_attempts: 1\n    timeout_ms: "
        << 60000 << "\n";
    return path;
}

} // namespace

int runActions(const CommonOptions& common, const ActionsOptions& o)
{
    const fs::path dir = fs::temp_directory_path()
        / ("latch-bench-actions-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    fakes::FakeStripe stripe;
    stripe.start();
    const std::size_t total = o.runs + o.inflight;
    for (std::size_t i = 0; i < total; ++i)
        stripe.addPaymentIntent(paymentIntentId(i), 5000, "usd");

    ServerChild server({ o.serverBinary, dir,
        writeConfig(dir, o.baseConfig, stripe.baseUrl(), std::max<std::size_t>(o.workers, 1)),
        { { "LATCH_STRIPE_API_KEY", fakes::FakeStripe::kDefaultApiKey } } });
    const int serverPid = server.pid();
    std::cout << "actions: latch-server " << server.url() << " (plugins.workers " << o.workers
              << "), FakeStripe " << stripe.baseUrl() << std::endl;

    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(server.url());
    const std::string token = loginOnce(pool, address, o.user, common.password);

    BenchClient requester(pool.executor(0));
    BenchClient watcher(pool.executor(0));
    runBlocking(requester.executor(), requester.open(address.endpoint, address.host));
    runBlocking(requester.executor(), helloRequests(requester, token));
    const auto refundCases
        = runBlocking(requester.executor(), createRefundCases(requester, 0, total));
    const std::vector<std::string> dispatchCases(refundCases.begin(), refundCases.begin() + long(o.runs));
    const std::vector<std::string> inflightCases(refundCases.begin() + long(o.runs), refundCases.end());
    const auto noteCases = prepareCases(pool, address, token, 5, "Actions benchmark");
    runBlocking(watcher.executor(), watcher.open(address.endpoint, address.host));
    const auto welcome = runBlocking(watcher.executor(), hello(watcher, token, 0, true));
    (void)welcome;

    // 1. Dispatch overhead.
    std::cout << "dispatch: " << o.runs << " refunds one at a time, Stripe answering each after "
              << o.externalMs << " ms ..." << std::endl;
    DispatchFigures dispatch;
    runBlocking(requester.executor(),
        dispatchRuns(&requester, &watcher, &stripe, dispatchCases,
            std::chrono::milliseconds(o.externalMs), &dispatch));
    const auto over = dispatch.overhead.summary();
    const auto e2e = dispatch.endToEnd.summary();
    std::cout << "  end to end: " << latencyLine(e2e) << "\n  overhead above the "
              << o.externalMs << " ms call: " << latencyLine(over) << "  (target p50 <= 5 ms)\n";
    if (dispatch.failed)
        std::cout << "  " << dispatch.failed << " run(s) did not succeed\n";

    // 2. Note latency idle, then with runs in flight.
    std::cout << "idle: notes at " << fixed(o.rate, 0) << "/s over " << o.clients
              << " connections for " << o.duration << " s ..." << std::endl;
    const OpenLoopResult idle = noteLoad(pool, address, token, noteCases, o, serverPid);
    std::cout << "  " << latencyLine(idle.latency) << "  (" << idle.accepted << " accepted)\n";

    std::cout << "in flight: " << o.inflight << " refunds held " << o.holdMs
              << " ms each by Stripe, same notes ..." << std::endl;
    stripe.clearRequests();
    for (std::size_t i = 0; i < o.inflight; ++i)
        stripe.inject(
            fakes::Fault::delayBy(std::chrono::milliseconds(o.holdMs)).onlyFor("/v1/refunds"));
    const auto fillStart = Clock::now();
    runBlocking(requester.executor(), requestAll(&requester, inflightCases));
    const bool allArrived = stripe.waitForRequests(o.inflight, 30s);
    const double fillSeconds = secondsSince(fillStart);
    const std::size_t atStripe = stripe.requestCount();
    const double windowLeft = double(o.holdMs) / 1000 - fillSeconds;
    std::cout << "  " << atStripe << " of " << o.inflight << " refunds waiting at Stripe after "
              << fixed(fillSeconds, 2) << " s" << (allArrived ? "" : " (not all arrived)") << "\n";
    if (windowLeft < o.warmup + o.duration + 0.5)
        std::cout << "  warning: the hold ends " << fixed(windowLeft, 1)
                  << " s from now, before the measurement does; raise --hold-ms\n";
    const OpenLoopResult busy = noteLoad(pool, address, token, noteCases, o, serverPid);
    std::cout << "  " << latencyLine(busy.latency) << "  (" << busy.accepted << " accepted)\n";
    std::set<std::string> pending(inflightCases.begin(), inflightCases.end());
    const std::size_t succeeded = runBlocking(watcher.executor(),
        awaitAllFinished(&watcher, pending, Clock::now() + std::chrono::milliseconds(o.holdMs) + 60s));
    std::cout << "  " << succeeded << " of " << o.inflight << " in-flight refunds succeeded\n";

    const double ratio = idle.latency.p99Ms > 0 ? busy.latency.p99Ms / idle.latency.p99Ms : 0;
    std::cout << "  p99 in flight / idle: " << fixed(ratio, 2) << "  (target <= 2)\n";

    requester.abort();
    watcher.abort();
    pool.sync();
    server.stop();
    stripe.stop();
    std::error_code ignored;
    fs::remove_all(dir, ignored);

    printResult("actions",
        { { "runs", std::to_string(o.runs) }, { "external_ms", std::to_string(o.externalMs) },
            { "overhead_p50_ms", fixed(over.p50Ms, 2) },
            { "overhead_p99_ms", fixed(over.p99Ms, 2) },
            { "e2e_p50_ms", fixed(e2e.p50Ms, 2) }, { "failed_runs", std::to_string(dispatch.failed) },
            { "inflight", std::to_string(o.inflight) }, { "at_stripe", std::to_string(atStripe) },
            { "idle_p99_ms", fixed(idle.latency.p99Ms, 2) },
            { "inflight_p99_ms", fixed(busy.latency.p99Ms, 2) },
            { "p99_ratio", fixed(ratio, 2) },
            { "inflight_succeeded", std::to_string(succeeded) } });
    const bool worked = dispatch.failed == 0 && succeeded == o.inflight && idle.failures == 0
        && busy.failures == 0;
    return worked ? 0 : 1;
}

} // namespace latch::bench
