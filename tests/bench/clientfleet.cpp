#include "clientfleet.h"

#include <iostream>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <boost/asio/co_spawn.hpp>
#include <mutex>

namespace latch::bench {

struct ClientFleet::OpenState {
    std::mutex mutex;
    std::size_t failed = 0;
    std::string firstError;
};

// A coroutine function, not a lambda: its arguments are copied into the coroutine frame, whereas
// a lambda's captures would die with the lambda object.
asio::awaitable<void> ClientFleet::openWorker(ClientFleet* self, std::size_t base,
    std::size_t first, std::size_t stride, std::size_t count, std::atomic<std::size_t>* next,
    const Step* setup, OpenState* state)
{
    for (;;) {
        const std::size_t rel = first + next->fetch_add(1) * stride;
        if (rel >= count)
            co_return;
        const std::size_t index = base + rel;
        BenchClient& client = *self->m_clients[index];
        try {
            co_await client.open(self->m_address.endpoint, self->m_address.host);
            co_await (*setup)(index, client);
            self->m_open[index] = 1;
        } catch (const std::exception& e) {
            client.abort();
            std::lock_guard lock(state->mutex);
            if (state->failed++ == 0)
                state->firstError = e.what();
        }
    }
}

ClientFleet::ClientFleet(IoPool& pool, ServerAddress address)
    : m_pool(pool)
    , m_address(std::move(address))
{
}

ClientFleet::OpenReport ClientFleet::open(
    std::size_t count, std::size_t parallel, const Step& setup)
{
    const std::size_t base = m_clients.size();
    for (std::size_t i = 0; i < count; ++i)
        m_clients.push_back(std::make_unique<BenchClient>(m_pool.executor(base + i)));
    m_open.resize(m_clients.size(), 0);

    const auto start = Clock::now();
    OpenState state;
    WaitGroup group;
    const std::size_t threads = m_pool.size();
    const std::size_t workersPerThread
        = std::max<std::size_t>(1, (parallel + threads - 1) / threads);
    // Worker w of thread t opens the connections of that thread (index % threads == t) in turn.
    std::vector<std::unique_ptr<std::atomic<std::size_t>>> next;
    for (std::size_t t = 0; t < threads; ++t)
        next.push_back(std::make_unique<std::atomic<std::size_t>>(0));

    for (std::size_t t = 0; t < threads; ++t) {
        // Indices served by thread t: those with (base + rel) % threads == t.
        const std::size_t first = (t + threads - base % threads) % threads;
        for (std::size_t w = 0; w < workersPerThread; ++w) {
            group.add();
            asio::co_spawn(m_pool.executor(t),
                openWorker(this, base, first, threads, count, next[t].get(), &setup, &state),
                group.handler());
        }
    }
    group.wait();

    OpenReport report;
    report.seconds = secondsSince(start);
    report.failed = state.failed;
    report.firstError = state.firstError;
    report.opened = count - state.failed;
    return report;
}

void ClientFleet::spawnEach(WaitGroup& group, const Step& loop)
{
    for (std::size_t i = 0; i < m_clients.size(); ++i) {
        if (!m_open[i])
            continue;
        group.add();
        asio::co_spawn(m_clients[i]->executor(), loop(i, *m_clients[i]), group.handler());
    }
}

ClientFleet::~ClientFleet()
{
    abortAll();
}

void ClientFleet::abortAll()
{
    for (auto& client : m_clients)
        client->abort();
    m_pool.sync(); // abort() posts: no posted close may outlive its client
}

bool ClientFleet::openRequestClients(std::size_t count, std::size_t parallel,
    const std::string& token, const std::string& scenario)
{
    const auto report = open(count, parallel,
        [&token](std::size_t, BenchClient& c) { return helloRequests(c, token); });
    if (report.failed == 0)
        return true;
    std::cerr << scenario << ": " << report.failed << " of " << count
              << " connections failed: " << report.firstError << "\n";
    return false;
}

} // namespace latch::bench
