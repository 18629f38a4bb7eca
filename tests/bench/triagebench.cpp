// triage-bench: what triage costs per case on this machine. Trains the classifier on the shipped
// starter set, then times predict() and the extractor over the held-out examples, repeated for
// `--seconds`. Prints p50/p99 per case and a RESULT line for run.sh. Target: classification
// < 1 ms per case.
#include "triage/classifier.h"
#include "triage/dataset.h"
#include "triage/extractor.h"
#include "triage/service/starterset.h"
#include "triage/thresholds.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto at = std::min(values.size() - 1, std::size_t(p * double(values.size())));
    return values[at];
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"triage-bench: classification and extraction time per case"};
    std::string heldout = "resources/triage/heldout.jsonl";
    double seconds = 3;
    app.add_option("--heldout", heldout, "Labelled examples to time on (JSONL)");
    app.add_option("--seconds", seconds, "How long to repeat each measurement");
    CLI11_PARSE(app, argc, argv);

    auto examples = latch::triage::parseExamples(latch::triage::starterSetText(), "starter");
    auto thresholds = latch::triage::parseThresholds(latch::triage::starterThresholdsText(), "thresholds");
    auto texts = latch::triage::loadExamples(heldout);
    if (!examples || !thresholds || !texts) {
        std::fprintf(stderr, "triage-bench: cannot read the starter set or %s\n", heldout.c_str());
        return 1;
    }
    latch::triage::TrainOptions options;
    options.thresholds = *thresholds;
    const auto trainStart = Clock::now();
    auto classifier = latch::triage::Classifier::train(*examples, options);
    const double trainMs
        = std::chrono::duration<double, std::milli>(Clock::now() - trainStart).count();
    if (!classifier) {
        std::fprintf(stderr, "triage-bench: %s\n", classifier.failure().message.c_str());
        return 1;
    }
    std::printf("trained on %zu examples in %.0f ms (model %s)\n", examples->size(), trainMs,
                classifier->version().c_str());

    const latch::triage::Extractor extractor;
    std::vector<double> classify;
    std::vector<double> extract;
    std::size_t chars = 0;
    volatile std::size_t sink = 0;
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < until) {
        for (const auto& e : *texts) {
            auto t0 = Clock::now();
            const auto p = classifier->predict(e.text);
            auto t1 = Clock::now();
            const auto facts = extractor.extract(e.text);
            auto t2 = Clock::now();
            classify.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
            extract.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
            chars += e.text.size();
            sink = p.scores.size() + facts.emails.size(); // keeps both calls from being elided
        }
    }
    const double c50 = percentile(classify, 0.5), c99 = percentile(classify, 0.99);
    const double e50 = percentile(extract, 0.5), e99 = percentile(extract, 0.99);
    std::printf("%zu cases, %.0f characters on average\n", classify.size(),
                double(chars) / double(classify.size()));
    std::printf("classify  p50 %7.1f us  p99 %7.1f us  (target < 1000 us)\n", c50, c99);
    std::printf("extract   p50 %7.1f us  p99 %7.1f us\n", e50, e99);
    std::printf("RESULT classify_p50_us=%.1f classify_p99_us=%.1f extract_p50_us=%.1f "
                "extract_p99_us=%.1f train_ms=%.0f\n",
                c50, c99, e50, e99, trainMs);
    return 0;
}
