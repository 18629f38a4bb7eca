#pragma once
// Drives deliveries to one HTTP intake endpoint over keep-alive connections and records what each
// one was answered. Every connection takes the next delivery as soon as it has its answer (one
// request in flight per connection, as a webhook sender's HTTP/1.1 client does), so the number of
// connections bounds the concurrency:
//
// - closed loop (rate 0): as fast as the server answers; latency from the request's send.
// - paced (rate > 0): delivery k is due at start + k / rate and waits for that moment; latency is
//   measured from when it was due, so a server that falls behind shows in the figures instead of
//   quietly lowering the load.
//
// Threading: call from the main thread; it blocks until every delivery has its answer or failed.
// The connections run on the pool's threads.
#include "benchsupport.h"
#include "httpbenchclient.h"
#include "iopool.h"
#include "latencyrecorder.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace latch::bench {

struct HttpLoadPlan {
    std::string target; // "/intake/webhook?source=NAME"
    HttpBenchClient::Headers headers; // Authorization, Content-Type
    std::size_t connections = 32;
    double rate = 0; // deliveries/s over all connections; 0: closed loop
};

// What one delivery was answered. status 0: no answer (the connection failed).
struct DeliveryAnswer {
    unsigned status = 0;
    std::string result; // "created", "appended", "duplicate", or the error's code
    std::string caseId;
};

struct HttpLoadResult {
    std::vector<DeliveryAnswer> answers; // one per delivery, in the order given
    LatencySummary latency; // of every delivery that got an answer
    double seconds = 0; // from the first send to the last answer
    std::map<unsigned, std::size_t> statuses; // answers per HTTP status (0: none)
    std::string firstError; // of a failed connection, or the body of the first unexpected status
    std::size_t reconnects = 0;
    double serverCpu = 0; // seconds over the run (when the server's pid is known)
    double benchCpu = 0; // this process, every thread
    double rate() const { return seconds > 0 ? static_cast<double>(answers.size()) / seconds : 0; }
};

// Delivers bodies[i] for each i in `which` (every body when `which` is empty).
HttpLoadResult runHttpLoad(IoPool& pool, const ServerAddress& address, const HttpLoadPlan& plan,
    const std::vector<std::string>& bodies, const std::vector<std::size_t>& which, int serverPid);

} // namespace latch::bench
