// The open loop the latency and actions scenarios share. See openloop.h.
#include "openloop.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace latch::bench {

namespace {

struct Schedule {
    Clock::time_point start;
    Clock::time_point measureFrom;
    Clock::time_point end;
    Clock::duration period; // between two sends of one connection
    std::size_t clients = 1;
};

// Touched only by the connection's own thread, read by main after the loops end.
struct ClientState {
    std::unordered_map<std::string, Clock::time_point> due; // command_id -> scheduled send
    std::uint64_t sentMeasured = 0;
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
    std::string lastRefusal;
    bool stopping = false;
    LatencyRecorder latency;
};

asio::awaitable<void> sender(std::size_t index, BenchClient& client,
    const std::vector<std::string>* cases, Schedule schedule, ClientState* state,
    std::atomic<std::int64_t>* outstanding)
{
    asio::steady_timer timer(client.executor());
    // Connections are phase-shifted so the total load is smooth, not 50 sends at once.
    const auto phase
        = schedule.period * static_cast<long>(index) / static_cast<long>(schedule.clients);
    for (std::uint64_t n = 0;; ++n) {
        const Clock::time_point due
            = schedule.start + phase + schedule.period * static_cast<long>(n);
        if (due >= schedule.end)
            break;
        timer.expires_at(due);
        co_await timer.async_wait(asio::use_awaitable);
        auto note = addNoteCommand((*cases)[(index + n) % cases->size()], noteText(index, n));
        state->due.emplace(note.command_id(), due); // before the send: the reply may beat it back
        if (due >= schedule.measureFrom)
            ++state->sentMeasured;
        outstanding->fetch_add(1);
        co_await client.send(envelopeOf(note));
    }
}

asio::awaitable<void> receiver(BenchClient& client, Schedule schedule, ClientState* state,
    std::atomic<std::int64_t>* outstanding)
{
    try {
        for (;;) {
            const v1::Envelope reply = co_await client.receive();
            if (!reply.has_command_result())
                continue;
            const auto now = Clock::now();
            const auto& result = reply.command_result();
            const auto it = state->due.find(result.command_id());
            if (it == state->due.end())
                continue;
            const Clock::time_point due = it->second;
            state->due.erase(it);
            outstanding->fetch_sub(1);
            if (due < schedule.measureFrom)
                continue;
            if (result.accepted()) {
                ++state->accepted;
                state->latency.add(now - due);
            } else {
                ++state->rejected;
                state->lastRefusal = result.code() + ": " + result.message();
            }
        }
    } catch (const std::exception&) {
        if (!state->stopping)
            throw;
    }
}

Clock::duration seconds(double s)
{
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

} // namespace

OpenLoopResult runOpenLoop(ClientFleet& fleet, const std::vector<std::string>& cases,
    const OpenLoopOptions& o, int serverPid)
{
    Schedule schedule;
    schedule.clients = fleet.size();
    schedule.period = seconds(static_cast<double>(fleet.size()) / o.rate);
    schedule.start = Clock::now() + std::chrono::milliseconds(50);
    schedule.measureFrom = schedule.start + seconds(o.warmup);
    schedule.end = schedule.measureFrom + seconds(o.duration);

    std::vector<ClientState> states(fleet.size());
    std::atomic<std::int64_t> outstanding { 0 };
    WaitGroup senders;
    WaitGroup receivers;
    fleet.spawnEach(receivers, [&](std::size_t i, BenchClient& c) {
        return receiver(c, schedule, &states[i], &outstanding);
    });
    fleet.spawnEach(senders, [&](std::size_t i, BenchClient& c) {
        return sender(i, c, &cases, schedule, &states[i], &outstanding);
    });
    CpuMeter cpu(serverPid);
    std::this_thread::sleep_until(schedule.measureFrom);
    cpu.start();
    std::this_thread::sleep_until(schedule.end);
    cpu.stop();
    senders.wait();
    const auto drainEnd = Clock::now() + seconds(o.drain);
    while (outstanding.load() > 0 && Clock::now() < drainEnd)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    OpenLoopResult r;
    r.unanswered = outstanding.load();
    // Tell the receivers the end is expected, on their own threads, then cut the sockets.
    for (std::size_t i = 0; i < fleet.size(); ++i)
        asio::post(fleet.client(i).executor(), [s = &states[i]] { s->stopping = true; });
    fleet.abortAll();
    receivers.wait();

    LatencyRecorder latency;
    for (const auto& s : states) {
        r.sent += s.sentMeasured;
        r.accepted += s.accepted;
        r.rejected += s.rejected;
        if (!s.lastRefusal.empty())
            r.lastRefusal = s.lastRefusal;
        latency.merge(s.latency);
    }
    r.latency = latency.summary();
    r.offered = static_cast<double>(r.sent) / o.duration;
    r.achieved = static_cast<double>(r.accepted) / o.duration;
    r.failures = senders.failures() + receivers.failures();
    if (r.failures > 0)
        r.firstError = senders.failures() ? senders.firstError() : receivers.firstError();
    r.serverCpu = cpu.serverSeconds();
    r.benchCpu = cpu.benchSeconds();
    r.cpuPerCommand = cpu.perOperation(r.offered * o.duration, "command");
    return r;
}

} // namespace latch::bench

