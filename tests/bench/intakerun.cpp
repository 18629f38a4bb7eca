// The intake delivery run both intake scenarios share. See intakerun.h.
#include "intakerun.h"

#include "benchsupport.h"
#include "httpload.h"
#include "intakecensus.h"
#include "iopool.h"
#include "latch/ids.h"
#include "serverchild.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <unistd.h>
#include <unordered_set>

namespace latch::bench {

namespace {

namespace fs = std::filesystem;

constexpr const char* kWebhookSource = "bench-webhook";
constexpr const char* kEmailSource = "bench-mail";
constexpr const char* kWebhookTokenEnv = "LATCH_BENCH_WEBHOOK_TOKEN";
constexpr const char* kEmailTokenEnv = "LATCH_BENCH_MAIL_TOKEN";

fs::path writeConfig(const fs::path& dir, const std::string& baseConfig)
{
    std::ifstream in(baseConfig);
    if (!in)
        throw std::runtime_error("cannot read the base config " + baseConfig);
    // The base config's own intake section (the sample form) gives way to the bench's sources:
    // it runs from "intake:" to the next line that starts in the first column.
    std::string text;
    bool inIntake = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != ' ')
            inIntake = line.rfind("intake:", 0) == 0;
        if (!inIntake)
            text += line + "\n";
    }
    fs::path path = dir / "latch.yaml";
    std::ofstream out(path);
    out << text << "\nintake:\n  sources:\n"
        << "    - name: " << kWebhookSource << "\n      channel: webhook\n"
        << "      token_env: " << kWebhookTokenEnv << "\n      type: refund\n"
        << "    - name: " << kEmailSource << "\n      channel: email\n"
        << "      token_env: " << kEmailTokenEnv << "\n      type: refund\n";
    return path;
}

std::string latencyLine(const LatencySummary& l)
{
    return "p50 " + fixed(l.p50Ms, 2) + "  p90 " + fixed(l.p90Ms, 2) + "  p99 " + fixed(l.p99Ms, 2)
        + "  max " + fixed(l.maxMs, 2) + " ms";
}

std::string statusLine(const std::map<unsigned, std::size_t>& statuses)
{
    std::string out;
    for (const auto& [status, count] : statuses)
        out += (out.empty() ? "" : ", ") + std::to_string(count) + " x "
            + (status == 0 ? std::string("no answer") : std::to_string(status));
    return out;
}

// "  plain: 500 x 201" for each label, when the deliveries have labels.
void printStatusesByLabel(const HttpLoadResult& r, const std::vector<std::string>& labels)
{
    if (labels.size() != r.answers.size())
        return;
    std::map<std::string, std::map<unsigned, std::size_t>> byLabel;
    for (std::size_t i = 0; i < labels.size(); ++i)
        ++byLabel[labels[i]][r.answers[i].status];
    for (const auto& [label, statuses] : byLabel)
        std::cout << "    " << label << ": " << statusLine(statuses) << "\n";
}

// Evenly spread over the deliveries, so duplicates of early and late ones are both tried.
std::vector<std::size_t> sampleOf(std::size_t total, std::size_t count)
{
    std::vector<std::size_t> out;
    count = std::min(count, total);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(i * total / count);
    return out;
}

struct Verdict {
    bool ok = true;
    void check(bool holds, const std::string& failure)
    {
        if (!holds) {
            ok = false;
            std::cout << "  CHECK FAILED: " << failure << "\n";
        }
    }
};

} // namespace

int runIntakeDeliveries(
    const CommonOptions& common, const IntakeOptions& o, const IntakeRunSpec& spec)
{
    const bool webhook = spec.channel == "webhook";
    const std::string source = webhook ? kWebhookSource : kEmailSource;
    const std::string token = "bench-" + newUuid();
    const fs::path dir = fs::temp_directory_path()
        / ("latch-bench-" + spec.scenario + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    ServerChild server({ o.serverBinary, dir, writeConfig(dir, o.baseConfig),
        { { kWebhookTokenEnv, webhook ? token : "bench-unused-" + newUuid() },
            { kEmailTokenEnv, webhook ? "bench-unused-" + newUuid() : token } },
        o.serverLogLevel, o.serverThreads });
    const int serverPid = server.pid();

    IoPool pool(common.threads);
    const ServerAddress address = parseServerUrl(server.url());
    const std::string admin = loginOnce(pool, address, "admin", common.password);

    HttpLoadPlan plan;
    plan.target = std::string(webhook ? "/intake/webhook" : "/intake/email") + "?source=" + source;
    plan.headers = { { "Authorization", "Bearer " + token },
        { "Content-Type", webhook ? "application/json" : "message/rfc822" } };
    plan.connections = o.connections;
    plan.rate = o.rate;

    const std::size_t n = spec.bodies.size();
    std::size_t bodyBytes = 0;
    for (const auto& b : spec.bodies)
        bodyBytes += b.size();
    std::cout << spec.scenario << ": latch-server " << server.url() << " (log level "
              << o.serverLogLevel << "), " << n << " " << spec.noun << " of "
              << fixed(static_cast<double>(bodyBytes)
                         / static_cast<double>(std::max<std::size_t>(n, 1)),
                     0)
              << " bytes on average to " << plan.target << " over " << plan.connections
              << " keep-alive connections, "
              << (o.rate > 0 ? "paced at " + fixed(o.rate, 0) + "/s" : std::string("closed loop"))
              << " ..." << std::endl;

    // 1. Every delivery once.
    const std::uint64_t headBefore = serverHeadSeq(pool, address, admin);
    const HttpLoadResult first = runHttpLoad(pool, address, plan, spec.bodies, {}, serverPid);
    std::size_t created = 0;
    std::unordered_set<std::string> createdCases;
    for (const auto& a : first.answers) {
        if (a.status == 201 && a.result == "created") {
            ++created;
            createdCases.insert(a.caseId);
        }
    }
    const std::size_t errors = n - created;
    const double rate = first.seconds > 0 ? static_cast<double>(created) / first.seconds : 0;
    const double benchCore = first.seconds > 0 ? first.benchCpu / first.seconds : 0;
    const std::uint64_t headAfter = serverHeadSeq(pool, address, admin);
    std::cout << "  " << created << " of " << n << " answered 201 created in "
              << fixed(first.seconds, 2) << " s: " << fixed(rate) << " " << spec.noun << "/s\n"
              << "  latency " << latencyLine(first.latency)
              << (o.rate > 0 ? "  (from when each was due)" : "") << "\n"
              << "  answers: " << statusLine(first.statuses) << "; errors (not 201) " << errors
              << "\n";
    if (errors > 0)
        printStatusesByLabel(first, spec.labels);
    if (!first.firstError.empty() && errors > 0)
        std::cout << "  first error: " << first.firstError << "\n";
    std::cout << "  CPU per delivery: server " << fixed(first.serverCpu / double(n) * 1e6, 0)
              << " us, latch-bench " << fixed(first.benchCpu / double(n) * 1e6, 0)
              << " us; latch-bench used " << fixed(benchCore * 100, 0) << " % of one core\n"
              << "  events stored: " << headAfter - headBefore << " ("
              << fixed(static_cast<double>(headAfter - headBefore)
                         / double(std::max<std::size_t>(n, 1)),
                     2)
              << " per delivery)\n";

    // 2. Some of them again: duplicates, and nothing stored.
    const std::vector<std::size_t> sample = sampleOf(n, o.duplicates);
    std::cout << "duplicates: " << sample.size() << " of them again ..." << std::endl;
    const HttpLoadResult again = runHttpLoad(pool, address, plan, spec.bodies, sample, serverPid);
    std::size_t duplicates = 0;
    for (std::size_t k = 0; k < sample.size(); ++k) {
        const DeliveryAnswer& a = again.answers[k];
        if (a.status == 200 && a.result == "duplicate"
            && a.caseId == first.answers[sample[k]].caseId)
            ++duplicates;
    }
    const std::uint64_t headAfterDuplicates = serverHeadSeq(pool, address, admin);
    std::cout << "  " << duplicates << " of " << sample.size()
              << " answered 200 duplicate with the first delivery's case, in "
              << fixed(again.seconds, 2) << " s (" << fixed(again.rate()) << "/s, "
              << latencyLine(again.latency) << ")\n  answers: " << statusLine(again.statuses)
              << "; events stored meanwhile (triage's suggestions catching up): "
              << headAfterDuplicates - headAfter << "\n";

    // 3. What the server holds.
    std::cout << "census: admin snapshot ..." << std::endl;
    const IntakeCensus census = takeIntakeCensus(pool, address, admin, spec.channel, source);
    std::size_t matching = 0;
    for (const auto& id : createdCases)
        matching += census.caseIds.count(id);
    std::cout << "  " << census.cases << " " << spec.channel << " cases, " << census.deliveries
              << " deliveries from " << source << " (" << census.distinctDeliveryIds
              << " distinct ids), " << census.casesWithSeveral << " case(s) with several; "
              << matching << " of the " << createdCases.size()
              << " cases the 201s named are there (snapshot "
              << fixed(static_cast<double>(census.snapshotBytes) / (1 << 20), 1) << " MiB in "
              << fixed(census.seconds, 1) << " s)\n";

    Verdict verdict;
    verdict.check(errors == 0, std::to_string(errors) + " deliveries were not answered 201");
    verdict.check(createdCases.size() == created, "a case id was answered twice");
    verdict.check(duplicates == sample.size(),
        std::to_string(sample.size() - duplicates) + " repeated deliveries were not duplicates");
    // Triage records its suggestions on the new cases as it catches up, so the head may move
    // during the duplicates; what must not appear is a second delivery on any case.
    verdict.check(census.deliveries == n && census.casesWithSeveral == 0,
        "repeated deliveries were stored: " + std::to_string(census.deliveries) + " deliveries for "
            + std::to_string(n) + " sent once");
    verdict.check(census.cases == n,
        "the server holds " + std::to_string(census.cases) + " cases for " + std::to_string(n)
            + " deliveries");
    verdict.check(census.deliveries == n && census.distinctDeliveryIds == n,
        "the server holds " + std::to_string(census.deliveries) + " deliveries ("
            + std::to_string(census.distinctDeliveryIds) + " distinct) for " + std::to_string(n));
    verdict.check(matching == created, "cases the 201s named are missing from the snapshot");
    std::cout << "  "
              << (verdict.ok ? "verified: one case per delivery, duplicates stored nothing"
                             : "NOT verified (see above)")
              << "\n";

    pool.stop();
    server.stop();
    std::error_code ignored;
    fs::remove_all(dir, ignored);

    printResult(spec.scenario,
        { { "deliveries", std::to_string(n) }, { "connections", std::to_string(plan.connections) },
            { "offered_rate", fixed(o.rate, 0) }, { "created", std::to_string(created) },
            { "errors", std::to_string(errors) }, { "seconds", fixed(first.seconds, 2) },
            { "rate", fixed(rate) }, { "p50_ms", fixed(first.latency.p50Ms, 2) },
            { "p90_ms", fixed(first.latency.p90Ms, 2) },
            { "p99_ms", fixed(first.latency.p99Ms, 2) },
            { "max_ms", fixed(first.latency.maxMs, 2) },
            { "server_cpu_us", fixed(first.serverCpu / double(n) * 1e6, 0) },
            { "bench_cpu_us", fixed(first.benchCpu / double(n) * 1e6, 0) },
            { "bench_core_pct", fixed(benchCore * 100, 0) },
            { "duplicates_sent", std::to_string(sample.size()) },
            { "duplicates_ok", std::to_string(duplicates) },
            { "duplicate_events", std::to_string(headAfterDuplicates - headAfter) },
            { "census_cases", std::to_string(census.cases) },
            { "census_deliveries", std::to_string(census.deliveries) },
            { "verified", verdict.ok ? "yes" : "no" } });
    return verdict.ok ? 0 : 1;
}

} // namespace latch::bench
