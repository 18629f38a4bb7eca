#include "latencyrecorder.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace latch::bench {

void LatencyRecorder::add(std::chrono::nanoseconds latency)
{
    m_samples.push_back(std::max<std::int64_t>(0, latency.count()));
}

void LatencyRecorder::merge(const LatencyRecorder& other)
{
    m_samples.insert(m_samples.end(), other.m_samples.begin(), other.m_samples.end());
}

LatencySummary LatencyRecorder::summary() const
{
    LatencySummary s;
    s.count = m_samples.size();
    if (m_samples.empty())
        return s;
    std::vector<std::int64_t> sorted = m_samples;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = [&](double p) {
        // Nearest rank: the smallest sample with at least p of all samples at or below it.
        const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(s.count)));
        return static_cast<double>(sorted[std::clamp<std::size_t>(index, 1, s.count) - 1]) / 1e6;
    };
    s.p50Ms = rank(0.50);
    s.p90Ms = rank(0.90);
    s.p99Ms = rank(0.99);
    s.maxMs = static_cast<double>(sorted.back()) / 1e6;
    const long double total = std::accumulate(sorted.begin(), sorted.end(), 0.0L);
    s.meanMs = static_cast<double>(total / static_cast<long double>(s.count)) / 1e6;
    return s;
}

} // namespace latch::bench
