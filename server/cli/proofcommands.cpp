// latchctl export and verify: a case's history with the proof that the server's signed audit log
// holds it, written as a bundle (bundle.json, checkpoint.note, report.html), and the offline check
// of such a bundle against the server's public key.
#include "bundle.h"
#include "bundleverifier.h"
#include "commands.h"
#include "context.h"
#include "report.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace latch::cli {

namespace fs = std::filesystem;

namespace {

// latchctl verify's own exit codes, as latch-server verify's.
constexpr int kVerified = 0;
constexpr int kUnreadable = 2;
constexpr int kNotVerified = 3;

struct ProofOptions {
    std::string caseRef;
    std::string out;
    bool force = false;
    std::string bundle;
    std::string key;
};

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void checkOutDir(const ProofOptions& o)
{
    std::error_code ec;
    if (!fs::exists(o.out, ec))
        return;
    if (!fs::is_directory(o.out, ec))
        usageError(o.out + " exists and is not a directory");
    if (!fs::is_empty(o.out, ec) && !o.force)
        usageError(o.out + " is not empty; give --force to write the bundle into it anyway");
}

void writeFile(const fs::path& path, const std::string& content)
{
    const fs::path tmp = path.string() + ".new";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush())
            usageError("cannot write " + tmp.string());
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        usageError("cannot write " + path.string() + ": " + ec.message());
}

int exportCase(Context& ctx, const ProofOptions& o)
{
    checkOutDir(o);
    const std::string id = ctx.resolveCase(o.caseRef);
    v1::Query q;
    q.mutable_get_case_proof()->set_case_id(id);
    const auto result = ctx.query(q);
    const v1::CaseProof& proof = result.case_proof();
    const People people(result.people());

    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec)
        usageError("cannot create " + o.out + ": " + ec.message());
    const std::int64_t exported = nowMs();
    const fs::path dir = o.out;
    const std::vector<fs::path> files { dir / "bundle.json", dir / "checkpoint.note",
        dir / "report.html" };
    writeFile(files[0], bundleJson(proof, ctx.serverUrl(), exported).dump(2) + "\n");
    writeFile(files[1], proof.checkpoint());
    writeFile(files[2], caseReportHtml(proof, people, { ctx.serverUrl(), exported, o.out }));

    const auto signers = noteSigners(proof.checkpoint());
    if (ctx.json()) {
        auto names = nlohmann::json::array();
        for (const auto& f : files)
            names.push_back(f.string());
        ctx.printJson({ { "case_id", id }, { "dir", o.out }, { "files", names },
            { "events", proof.events_size() }, { "origin", proof.origin() },
            { "checkpoint_size", proof.checkpoint_size() }, { "signers", signers },
            { "rules_version", proof.rules_version() } });
        return 0;
    }
    std::cout << "Exported case " << id << " (" << proof.events_size() << " events), proven "
              << "against a checkpoint of " << proof.checkpoint_size() << " events of "
              << proof.origin() << ":\n";
    std::cout << "  " << files[0].string()
              << "  the events, their canonical bytes, hashes and "
                 "inclusion proofs\n";
    std::cout << "  " << files[1].string() << "  the signed checkpoint\n";
    std::cout << "  " << files[2].string() << "  the case's story, readable\n";
    std::cout << "Check it offline: latchctl verify " << o.out
              << " --key KEY  (the server's key: GET /.well-known/latch/log-keys)\n";
    return 0;
}

int verify(Context& ctx, const ProofOptions& o)
{
    const auto keys = readVerifierKeys(o.key);
    if (!keys) {
        std::cerr << "latchctl: " << keys.failure().message << '\n';
        return kUnreadable;
    }
    const auto bundle = readBundle(o.bundle);
    if (!bundle) {
        std::cerr << "latchctl: " << bundle.failure().message << '\n';
        return kUnreadable;
    }
    const BundleCheck check = verifyBundle(*bundle, *keys);
    if (ctx.json()) {
        ctx.printJson({ { "verified", check.verified() }, { "case_id", bundle->caseId },
            { "events", check.events }, { "origin", bundle->origin },
            { "checkpoint_size", check.checkpoint.size }, { "signers", check.signers },
            { "problems", check.problems } });
        return check.verified() ? kVerified : kNotVerified;
    }
    if (check.verified()) {
        std::cout << "verified: " << check.events << " events of case " << bundle->caseId
                  << ", each in the log " << bundle->origin << " whose checkpoint of "
                  << check.checkpoint.size << " events is signed by ";
        for (std::size_t i = 0; i < check.signers.size(); ++i)
            std::cout << (i ? ", " : "") << check.signers[i];
        std::cout << "; the case's hash chain is whole from version 1\n";
        return kVerified;
    }
    std::cout << "NOT VERIFIED: case " << bundle->caseId << " ("
              << (o.bundle.empty() ? std::string("bundle") : o.bundle) << ")\n";
    for (const auto& problem : check.problems)
        std::cout << "  " << problem << '\n';
    return kNotVerified;
}

} // namespace

void addProofCommands(CLI::App& app, Context& ctx, Action& action)
{
    auto o = std::make_shared<ProofOptions>();
    auto* exportCmd = app.add_subcommand("export",
        "Write a case's events, their proofs, the signed checkpoint and a readable report to a "
        "directory");
    exportCmd->add_option("case", o->caseRef, "Case id, or a unique prefix of 8+ characters")
        ->required();
    exportCmd->add_option("--out", o->out, "Directory to write (created when missing)")->required();
    exportCmd->add_flag("--force", o->force, "Write into a directory that is not empty");
    exportCmd->callback([&ctx, &action, o] { action = [&ctx, o] { return exportCase(ctx, *o); }; });

    auto* verifyCmd = app.add_subcommand("verify",
        "Check an exported bundle offline: the checkpoint's signature, every event's hash, the "
        "case's chain and each event's inclusion in the signed log (exit 0 verified, 3 not, 2 "
        "unreadable)");
    verifyCmd->add_option("bundle", o->bundle, "The bundle directory, or its bundle.json")
        ->required();
    verifyCmd
        ->add_option("--key", o->key,
            "The server's log key (name+id+base64), or a file of keys one a line, as GET "
            "/.well-known/latch/log-keys serves them")
        ->required();
    verifyCmd->callback([&ctx, &action, o] { action = [&ctx, o] { return verify(ctx, *o); }; });
}

} // namespace latch::cli
