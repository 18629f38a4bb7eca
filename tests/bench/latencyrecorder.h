#pragma once
// Collects latency samples and reports percentiles. Every sample is kept (a 10 s run at 10,000/s
// is 100,000 of them): exact percentiles are worth the few hundred KiB.
//
// Threading: not thread-safe. Give each connection (or thread) its own and merge() them after
// the threads have finished.
#include <chrono>
#include <cstdint>
#include <vector>

namespace latch::bench {

struct LatencySummary {
    std::size_t count = 0;
    double meanMs = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

class LatencyRecorder {
public:
    void add(std::chrono::nanoseconds latency);
    void merge(const LatencyRecorder& other);
    std::size_t count() const { return m_samples.size(); }
    // Nearest-rank percentiles over every sample; all zero when there is none.
    LatencySummary summary() const;

private:
    std::vector<std::int64_t> m_samples; // nanoseconds
};

} // namespace latch::bench
