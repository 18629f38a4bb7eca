// The HTTP delivery loop of the intake scenarios. See httpload.h.
#include "httpload.h"

#include "waitgroup.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string_view>

namespace latch::bench {

namespace {

using json = nlohmann::json;

struct Shared {
    const std::vector<std::string>* bodies = nullptr;
    std::vector<std::size_t> order; // indices into bodies
    std::atomic<std::size_t> next { 0 };
    Clock::time_point start;
    Clock::duration period {}; // between two due times; zero: closed loop
    std::vector<DeliveryAnswer>* answers = nullptr; // by position in `order`
};

// Touched only by its connection's thread while the loops run.
struct ConnectionState {
    LatencyRecorder latency;
    Clock::time_point lastAnswer {};
    std::string firstError;
};

DeliveryAnswer readAnswer(const HttpReply& reply)
{
    DeliveryAnswer answer;
    answer.status = reply.status;
    const json body = json::parse(reply.body, nullptr, false);
    if (!body.is_object())
        return answer;
    if (const auto error = body.find("error"); error != body.end() && error->is_object())
        answer.result = error->value("code", "");
    else
        answer.result = body.value("result", "");
    answer.caseId = body.value("case_id", "");
    return answer;
}

asio::awaitable<void> connectionLoop(
    HttpBenchClient* client, Shared* shared, ConnectionState* state)
{
    asio::steady_timer timer(client->executor());
    for (;;) {
        const std::size_t k = shared->next.fetch_add(1);
        if (k >= shared->order.size())
            break;
        Clock::time_point from = Clock::now();
        if (shared->period != Clock::duration::zero()) {
            from = shared->start + shared->period * static_cast<long>(k);
            if (from > Clock::now()) {
                timer.expires_at(from);
                co_await timer.async_wait(asio::use_awaitable);
            }
        }
        DeliveryAnswer& answer = (*shared->answers)[k];
        try {
            const HttpReply reply = co_await client->post((*shared->bodies)[shared->order[k]]);
            const auto now = Clock::now();
            state->latency.add(now - from);
            state->lastAnswer = now;
            answer = readAnswer(reply);
            if (answer.status >= 300 && state->firstError.empty()) {
                std::string_view text(reply.body);
                while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
                    text.remove_suffix(1);
                state->firstError
                    = "HTTP " + std::to_string(reply.status) + ": " + std::string(text);
            }
        } catch (const std::exception& e) {
            // No answer: counted as status 0. post() connects again for the next delivery.
            state->lastAnswer = Clock::now();
            if (state->firstError.empty())
                state->firstError = e.what();
        }
    }
}

} // namespace

HttpLoadResult runHttpLoad(IoPool& pool, const ServerAddress& address, const HttpLoadPlan& plan,
    const std::vector<std::string>& bodies, const std::vector<std::size_t>& which, int serverPid)
{
    HttpLoadResult result;
    Shared shared;
    shared.bodies = &bodies;
    shared.order = which;
    if (shared.order.empty()) {
        shared.order.resize(bodies.size());
        std::iota(shared.order.begin(), shared.order.end(), std::size_t { 0 });
    }
    result.answers.resize(shared.order.size());
    shared.answers = &result.answers;
    if (plan.rate > 0)
        shared.period = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / plan.rate));

    // Connect first: the run times deliveries, not TCP handshakes.
    const std::size_t count = std::max<std::size_t>(1, plan.connections);
    std::vector<std::unique_ptr<HttpBenchClient>> clients;
    for (std::size_t i = 0; i < count; ++i) {
        clients.push_back(std::make_unique<HttpBenchClient>(
            pool.executor(i), address.endpoint, address.host, plan.target, plan.headers));
        runBlocking(clients.back()->executor(), clients.back()->open());
    }
    std::vector<ConnectionState> states(count);

    CpuMeter cpu(serverPid);
    cpu.start();
    shared.start = Clock::now();
    WaitGroup loops;
    loops.add(count);
    for (std::size_t i = 0; i < count; ++i)
        asio::co_spawn(clients[i]->executor(),
            connectionLoop(clients[i].get(), &shared, &states[i]), loops.handler());
    loops.wait();
    cpu.stop();

    LatencyRecorder latency;
    Clock::time_point last = shared.start;
    for (std::size_t i = 0; i < count; ++i) {
        latency.merge(states[i].latency);
        last = std::max(last, states[i].lastAnswer);
        if (result.firstError.empty())
            result.firstError = states[i].firstError;
        result.reconnects += clients[i]->reconnects();
        clients[i]->abort();
    }
    if (loops.failures() > 0 && result.firstError.empty())
        result.firstError = loops.firstError();
    pool.sync();
    for (const auto& a : result.answers)
        ++result.statuses[a.status];
    result.latency = latency.summary();
    result.seconds = std::chrono::duration<double>(last - shared.start).count();
    result.serverCpu = cpu.serverSeconds();
    result.benchCpu = cpu.benchSeconds();
    return result;
}

} // namespace latch::bench
