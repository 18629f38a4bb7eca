#include "appseeder.h"

#include "benchclient.h"
#include "benchsupport.h"
#include "iopool.h"
#include "waitgroup.h"

#include "latch/ids.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace latch::bench {

namespace {

struct CaseSpec {
    std::string id;
    std::size_t number = 0; // 1-based, for titles
    std::size_t events = 0;
};

// One connection's share of the work, and what came back. Touched only by its io thread while
// seeding runs; `done` is read by the main thread for progress.
struct Lane {
    std::vector<CaseSpec> cases;
    std::atomic<std::size_t> done { 0 };
    std::size_t accepted = 0;
    std::size_t rejected = 0;
    std::string firstRefusal;
};

// The commands of one lane in order: each case's create_case, then its notes.
class CommandStream {
public:
    CommandStream(const std::vector<CaseSpec>& cases, std::size_t lane)
        : m_cases(cases)
        , m_lane(lane)
    {
    }

    std::optional<v1::Command> next()
    {
        while (m_case < m_cases.size() && m_step >= m_cases[m_case].events) {
            ++m_case;
            m_step = 0;
        }
        if (m_case >= m_cases.size())
            return std::nullopt;
        const CaseSpec& spec = m_cases[m_case];
        const std::size_t step = m_step++;
        if (step == 0)
            return createCommand(spec);
        return addNoteCommand(spec.id, noteText(m_lane, step));
    }

private:
    static v1::Command createCommand(const CaseSpec& spec)
    {
        const std::string n = std::to_string(spec.number);
        v1::Command command = createCaseCommand("escalation",
            spec.events > 100 ? "Long-running escalation " + n : "Bench escalation " + n);
        auto* create = command.mutable_create_case();
        create->set_case_id(spec.id);
        create->set_customer("Customer " + std::to_string(spec.number % 97));
        create->set_order_ref("#" + n);
        return command;
    }

    const std::vector<CaseSpec>& m_cases;
    std::size_t m_lane;
    std::size_t m_case = 0;
    std::size_t m_step = 0;
};

// Keeps up to `window` commands in flight: fill the window, then one result in, one command out.
asio::awaitable<void> seedLane(BenchClient& client, std::string token, Lane* lane,
    std::size_t index, std::size_t window)
{
    co_await helloRequests(client, token);
    CommandStream stream(lane->cases, index);
    std::size_t outstanding = 0;
    bool exhausted = false;
    for (;;) {
        while (!exhausted && outstanding < window) {
            auto command = stream.next();
            if (!command) {
                exhausted = true;
                break;
            }
            co_await client.send(envelopeOf(*command));
            ++outstanding;
        }
        if (outstanding == 0)
            break;
        const v1::Envelope reply = co_await client.receive();
        if (reply.has_error())
            throw std::runtime_error("server error while seeding: " + reply.error().code() + ": "
                + reply.error().message());
        if (!reply.has_command_result())
            continue;
        --outstanding;
        const auto& result = reply.command_result();
        if (result.accepted()) {
            ++lane->accepted;
        } else {
            if (lane->rejected++ == 0)
                lane->firstRefusal = result.code() + ": " + result.message();
        }
        lane->done.fetch_add(1, std::memory_order_relaxed);
    }
}

} // namespace

SeedReport seedCases(const SeedPlan& plan)
{
    const ServerAddress address = parseServerUrl(plan.server);
    IoPool pool(1);
    const std::string token = loginOnce(pool, address, plan.user, plan.password);

    const std::size_t laneCount = std::max<std::size_t>(1, plan.connections);
    std::vector<std::unique_ptr<Lane>> lanes;
    for (std::size_t i = 0; i < laneCount; ++i)
        lanes.push_back(std::make_unique<Lane>());
    SeedReport report;
    std::size_t total = 0;
    if (plan.bigCaseEvents > 0) {
        // The long case first on lane 0, so its notes are spread through the run.
        report.bigCaseId = newUuid();
        lanes[0]->cases.push_back({ report.bigCaseId, 0, plan.bigCaseEvents });
        total += plan.bigCaseEvents;
    }
    for (std::size_t i = 0; i < plan.cases; ++i) {
        lanes[i % laneCount]->cases.push_back({ newUuid(), i + 1, plan.eventsPerCase });
        total += plan.eventsPerCase;
    }

    std::vector<std::unique_ptr<BenchClient>> clients;
    for (std::size_t i = 0; i < laneCount; ++i) {
        clients.push_back(std::make_unique<BenchClient>(pool.executor(i)));
        runBlocking(clients.back()->executor(),
            clients.back()->open(address.endpoint, address.host));
    }

    std::cout << "seeding: " << plan.cases << " cases x " << plan.eventsPerCase << " events"
              << (plan.bigCaseEvents ? " + 1 case x " + std::to_string(plan.bigCaseEvents) : "")
              << " = " << total << " commands as " << plan.user << " over " << laneCount
              << " connections, " << plan.window << " in flight each ..." << std::endl;
    const auto start = Clock::now();
    WaitGroup group;
    group.add(laneCount);
    for (std::size_t i = 0; i < laneCount; ++i) {
        asio::co_spawn(clients[i]->executor(),
            seedLane(*clients[i], token, lanes[i].get(), i, plan.window), group.handler());
    }
    while (!group.waitFor(std::chrono::seconds(5))) {
        std::size_t done = 0;
        for (const auto& lane : lanes)
            done += lane->done.load(std::memory_order_relaxed);
        const double elapsed = secondsSince(start);
        std::cout << "  " << done << " of " << total << " (" << fixed(done / elapsed, 0)
                  << " commands/s)" << std::endl;
    }
    report.seconds = secondsSince(start);
    for (auto& client : clients)
        client->abort();
    pool.sync();
    if (group.failures() > 0)
        throw std::runtime_error("seeding failed: " + group.firstError());
    for (const auto& lane : lanes) {
        report.commands += lane->accepted;
        report.rejected += lane->rejected;
        if (report.firstRefusal.empty())
            report.firstRefusal = lane->firstRefusal;
    }
    std::cout << "  " << report.commands << " accepted, " << report.rejected << " refused in "
              << fixed(report.seconds) << " s (" << fixed(report.commands / report.seconds, 0)
              << " commands/s)" << std::endl;
    return report;
}

std::uint64_t serverHeadSeq(const std::string& server, const std::string& user,
    const std::string& password)
{
    const ServerAddress address = parseServerUrl(server);
    IoPool pool(1);
    const std::string token = loginOnce(pool, address, user, password);
    BenchClient client(pool.executor(0));
    runBlocking(client.executor(), client.open(address.endpoint, address.host));
    const HelloReply reply = runBlocking(client.executor(), hello(client, token, 0, false));
    client.abort();
    pool.sync();
    return reply.welcome.head_seq();
}

namespace {

asio::awaitable<void> takeSnapshot(BenchClient& client, std::string user, std::string password,
    SnapshotDownload* out)
{
    auto start = Clock::now();
    const std::string token = co_await login(client, user, password);
    out->loginSeconds = secondsSince(start);

    start = Clock::now();
    v1::Envelope request;
    auto* h = request.mutable_hello();
    h->set_protocol_version(1);
    h->set_token(token);
    h->set_device_id("latch-appbench");
    h->set_cursor(0);
    h->set_live(true);
    co_await client.send(request);
    const std::size_t before = client.bytesReceived();
    for (;;) {
        v1::Envelope reply = co_await client.receive();
        if (reply.has_error())
            throw std::runtime_error("snapshot refused: " + reply.error().message());
        if (!reply.has_snapshot())
            continue; // the Welcome
        v1::SnapshotPage& page = *reply.mutable_snapshot();
        out->cases += static_cast<std::size_t>(page.cases_size());
        for (const auto& c : page.cases())
            out->events += static_cast<std::size_t>(c.events_size());
        const bool last = page.last();
        out->uptoSeq = page.upto_seq();
        out->pages.push_back(std::move(page));
        if (last)
            break;
    }
    out->bytes = client.bytesReceived() - before;
    out->downloadSeconds = secondsSince(start);
}

} // namespace

SnapshotDownload downloadSnapshot(const std::string& server, const std::string& user,
    const std::string& password)
{
    const ServerAddress address = parseServerUrl(server);
    IoPool pool(1);
    BenchClient client(pool.executor(0));
    runBlocking(client.executor(), client.open(address.endpoint, address.host));
    SnapshotDownload download;
    runBlocking(client.executor(), takeSnapshot(client, user, password, &download));
    client.abort();
    pool.sync();
    return download;
}

} // namespace latch::bench
