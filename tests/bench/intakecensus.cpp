#include "intakecensus.h"

#include <stdexcept>

namespace latch::bench {

namespace {

asio::awaitable<IntakeCensus> census(
    BenchClient& client, std::string token, std::string channel, std::string source)
{
    const auto start = Clock::now();
    v1::Envelope request;
    auto* h = request.mutable_hello();
    h->set_protocol_version(1);
    h->set_token(token);
    h->set_device_id("latch-bench-census");
    h->set_cursor(0);
    h->set_live(true);
    co_await client.send(request);
    const v1::Envelope welcome = co_await client.receive();
    if (!welcome.has_welcome())
        throw std::runtime_error("census: Hello answered with " + welcome.ShortDebugString());

    IntakeCensus out;
    out.headSeq = welcome.welcome().head_seq();
    std::unordered_set<std::string> deliveryIds;
    for (;;) {
        const v1::Envelope next = co_await client.receive();
        if (next.has_error())
            throw std::runtime_error(
                "census: error during the snapshot: " + next.error().message());
        if (!next.has_snapshot())
            continue;
        out.snapshotBytes += next.ByteSizeLong();
        for (const auto& cs : next.snapshot().cases()) {
            std::size_t fromSource = 0;
            for (const auto& event : cs.events()) {
                if (!event.has_intake_received() || event.intake_received().source() != source)
                    continue;
                ++fromSource;
                ++out.deliveries;
                deliveryIds.insert(event.intake_received().delivery_id());
            }
            if (fromSource > 1)
                ++out.casesWithSeveral;
            // The bench's own cases: the demo's cases on the same channel hold no delivery
            // from the bench's source.
            if (cs.case_().channel() == channel && fromSource > 0) {
                ++out.cases;
                out.caseIds.insert(cs.case_().id());
            }
        }
        if (next.snapshot().last())
            break;
    }
    out.distinctDeliveryIds = deliveryIds.size();
    out.seconds = secondsSince(start);
    co_return out;
}

} // namespace

IntakeCensus takeIntakeCensus(IoPool& pool, const ServerAddress& address, const std::string& token,
    const std::string& channel, const std::string& source)
{
    BenchClient client(pool.executor(0));
    runBlocking(client.executor(), client.open(address.endpoint, address.host));
    IntakeCensus out = runBlocking(client.executor(), census(client, token, channel, source));
    client.abort();
    pool.sync();
    return out;
}

std::uint64_t serverHeadSeq(IoPool& pool, const ServerAddress& address, const std::string& token)
{
    BenchClient client(pool.executor(0));
    runBlocking(client.executor(), client.open(address.endpoint, address.host));
    const HelloReply reply = runBlocking(client.executor(), hello(client, token, 0, false));
    client.abort();
    pool.sync();
    return reply.welcome.head_seq();
}

} // namespace latch::bench
