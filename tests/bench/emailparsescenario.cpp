// Scenario "email-parse": how fast latch_intake_mail reads e-mail, in this process (no server).
// The corpus is the mail parser's test fixtures plus `variants` generated messages of each kind of
// emailcorpus.h. One untimed pass first (GMime initialises on first use), then passes over the
// whole corpus, in the same order each time, until `duration` seconds have gone by. Every parse()
// is timed alone, so each kind gets its own rate and latency; the overall rate is messages over
// the wall time of the measured passes, for this mix. One thread: the figure is per core.
#include "benchsupport.h"
#include "emailcorpus.h"
#include "intake/mail/emailparser.h"
#include "latencyrecorder.h"
#include "scenarios.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace latch::bench {

namespace {

struct CorpusEntry {
    std::string kind;
    std::string raw;
};

struct KindFigures {
    std::size_t messages = 0; // in the corpus
    std::size_t bytesPerPass = 0;
    std::size_t parsed = 0;
    std::size_t refused = 0; // parse() failed (some fixtures are malformed on purpose)
    std::size_t bytes = 0;
    double seconds = 0; // inside parse()
    LatencyRecorder latency;
};

std::vector<CorpusEntry> buildCorpus(const EmailParseOptions& o)
{
    std::vector<CorpusEntry> corpus;
    for (auto& fixture : loadFixtures(o.fixtures))
        corpus.push_back({ "fixtures", std::move(fixture.raw) });
    for (std::size_t v = 0; v < o.variants; ++v) {
        for (const MailKind kind : kMailKinds) {
            corpus.push_back({ std::string(kindName(kind)),
                makeMessage(kind, v,
                    "parse-" + std::to_string(v) + "-" + std::string(kindName(kind))
                        + "@latch-bench.example") });
        }
    }
    return corpus;
}

} // namespace

int runEmailParse(const EmailParseOptions& o)
{
    const std::vector<CorpusEntry> corpus = buildCorpus(o);
    const intake::mail::EmailParser parser;
    std::map<std::string, KindFigures> kinds;
    std::size_t corpusBytes = 0;
    for (const auto& entry : corpus) {
        ++kinds[entry.kind].messages;
        kinds[entry.kind].bytesPerPass += entry.raw.size();
        corpusBytes += entry.raw.size();
    }
    std::cout << "email-parse: " << corpus.size() << " messages ("
              << fixed(static_cast<double>(corpusBytes) / 1024, 0) << " KiB): the fixtures in "
              << o.fixtures << " and " << o.variants << " generated of each kind; parsing for "
              << o.duration << " s on one thread ..." << std::endl;

    std::size_t textBytes = 0; // read from the results, so no parse can be optimised away
    for (const auto& entry : corpus) {
        if (auto parsed = parser.parse(entry.raw))
            textBytes += parsed->text.size();
    }

    std::size_t passes = 0;
    const auto start = Clock::now();
    const auto end = start
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    while (Clock::now() < end) {
        for (const auto& entry : corpus) {
            KindFigures& k = kinds[entry.kind];
            const auto before = Clock::now();
            const auto parsed = parser.parse(entry.raw);
            const auto took = Clock::now() - before;
            k.latency.add(took);
            k.seconds += std::chrono::duration<double>(took).count();
            k.bytes += entry.raw.size();
            if (parsed)
                textBytes += parsed->text.size() + parsed->attachments.size();
            else
                ++k.refused;
            ++k.parsed;
        }
        ++passes;
    }
    const double wall = secondsSince(start);

    std::size_t total = 0;
    std::size_t totalBytes = 0;
    std::cout << "  " << passes << " passes; per kind (time inside parse()):\n"
              << "  " << std::left << std::setw(16) << "kind" << std::right << std::setw(6)
              << "msgs" << std::setw(10) << "KiB/msg" << std::setw(12) << "emails/s" << std::setw(9)
              << "MB/s" << std::setw(10) << "p50 us" << std::setw(10) << "p99 us" << std::setw(9)
              << "refused"
              << "\n";
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& [name, k] : kinds) {
        total += k.parsed;
        totalBytes += k.bytes;
        const double rate = k.seconds > 0 ? static_cast<double>(k.parsed) / k.seconds : 0;
        const double mbps = k.seconds > 0 ? static_cast<double>(k.bytes) / k.seconds / 1e6 : 0;
        const auto l = k.latency.summary();
        std::cout << "  " << std::left << std::setw(16) << name << std::right << std::setw(6)
                  << k.messages << std::setw(10)
                  << fixed(static_cast<double>(k.bytesPerPass) / double(k.messages) / 1024, 1)
                  << std::setw(12) << fixed(rate, 0) << std::setw(9) << fixed(mbps, 1)
                  << std::setw(10) << fixed(l.p50Ms * 1000, 0) << std::setw(10)
                  << fixed(l.p99Ms * 1000, 0) << std::setw(9) << k.refused / passes << "\n";
        std::string key = name;
        for (char& ch : key)
            ch = ch == '-' ? '_' : ch;
        fields.emplace_back(key + "_rate", fixed(rate, 0));
    }
    const double rate = static_cast<double>(total) / wall;
    const double mbps = static_cast<double>(totalBytes) / wall / 1e6;
    std::cout << "  overall: " << total << " messages in " << fixed(wall, 2)
              << " s: " << fixed(rate, 0) << " emails/s, " << fixed(mbps, 1)
              << " MB/s (this mix, one thread; target >= 200 emails/s)\n";
    if (textBytes == 0)
        std::cout << "  (no text was read from any message)\n";
    fields.insert(fields.begin(),
        { { "messages", std::to_string(corpus.size()) }, { "passes", std::to_string(passes) },
            { "rate", fixed(rate, 0) }, { "mb_per_s", fixed(mbps, 1) } });
    printResult("email-parse", fields);
    return 0;
}

} // namespace latch::bench
