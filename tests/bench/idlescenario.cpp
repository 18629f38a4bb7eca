// Scenario "idle": many connections that say Hello and then do nothing, and what they cost the
// server in resident memory. The server's VmRSS is read before the first connection and again
// once all are open and settled; the difference over the number of connections is the figure.
#include "benchsupport.h"
#include "clientfleet.h"
#include "scenarios.h"

#include <boost/asio/post.hpp>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace latch::bench {

namespace {

struct IdleState {
    bool stopping = false;
    std::string closedBy;
};

asio::awaitable<void> setupIdle(BenchClient& client, std::string token, bool live)
{
    co_await hello(client, std::move(token), 0, live);
}

// Keeps a read pending, as a real client does: Beast answers the server's keep-alive pings only
// while a read is in progress.
asio::awaitable<void> sitIdle(BenchClient& client, IdleState* state)
{
    try {
        for (;;)
            co_await client.receive();
    } catch (const std::exception& e) {
        if (!state->stopping)
            state->closedBy = e.what();
    }
}

void sleepSeconds(double s)
{
    std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

} // namespace

int runIdle(const CommonOptions& common, const IdleOptions& o)
{
    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(common.server);
    const std::string token = loginOnce(pool, address, "mkim", common.password);
    // Let the login's transient memory (the Argon2id work area is freed at once) settle.
    sleepSeconds(0.5);
    const std::uint64_t before = common.serverPid ? residentKiB(common.serverPid) : 0;
    const std::uint64_t selfBefore = residentKiB(0);

    std::cout << "idle: opening " << o.connections
              << " connections (Hello, live=" << (o.live ? "true" : "false") << ") ..."
              << std::endl;
    ClientFleet fleet(pool, address);
    const auto opened = fleet.open(o.connections, common.parallelOpens,
        [&](std::size_t, BenchClient& c) { return setupIdle(c, token, o.live); });
    std::vector<IdleState> states(fleet.size());
    WaitGroup idle;
    fleet.spawnEach(idle, [&](std::size_t i, BenchClient& c) { return sitIdle(c, &states[i]); });
    std::cout << "  " << opened.opened << " open in " << fixed(opened.seconds, 2) << " s";
    if (opened.failed > 0)
        std::cout << "; " << opened.failed << " failed: " << opened.firstError;
    std::cout << std::endl;

    sleepSeconds(o.settle);
    const std::uint64_t after = common.serverPid ? residentKiB(common.serverPid) : 0;
    const std::uint64_t selfAfter = residentKiB(0);
    if (o.hold > 0)
        sleepSeconds(o.hold);

    for (std::size_t i = 0; i < fleet.size(); ++i)
        asio::post(fleet.client(i).executor(), [s = &states[i]] { s->stopping = true; });
    fleet.abortAll();
    idle.wait();
    std::size_t lost = 0;
    std::string lostReason;
    for (const auto& s : states) {
        if (!s.closedBy.empty()) {
            ++lost;
            lostReason = s.closedBy;
        }
    }

    const double perConnection = opened.opened > 0 && after > before
        ? static_cast<double>(after - before) / static_cast<double>(opened.opened)
        : 0.0;
    if (common.serverPid) {
        std::cout << "  server VmRSS " << before << " KiB -> " << after
                  << " KiB: " << fixed(perConnection, 1) << " KiB per connection\n";
    } else {
        std::cout << "  (no --server-pid: server memory not measured)\n";
    }
    std::cout << "  latch-bench itself: "
              << fixed((static_cast<double>(selfAfter) - static_cast<double>(selfBefore))
                         / static_cast<double>(std::max<std::size_t>(1, opened.opened)),
                     1)
              << " KiB per client connection\n";
    if (lost > 0)
        std::cout << "  " << lost << " connection(s) closed while idle, last: " << lostReason
                  << "\n";
    printResult("idle",
        { { "connections", std::to_string(o.connections) },
            { "opened", std::to_string(opened.opened) },
            { "failed", std::to_string(opened.failed) }, { "lost", std::to_string(lost) },
            { "live", o.live ? "1" : "0" }, { "rss_before_kib", std::to_string(before) },
            { "rss_after_kib", std::to_string(after) },
            { "kib_per_connection", fixed(perConnection, 1) },
            { "connect_s", fixed(opened.seconds, 2) } });
    return opened.failed > 0 ? 1 : 0;
}

} // namespace latch::bench
