// latchctl export and verify: a case's history with the proof that the server's signed audit log
// holds it, written as a bundle (bundle.json, checkpoint.note, report.html), and the offline check
// of such a bundle against the server's public key.
#include "bundle.h"
#include "bundlefiles.h"
#include "bundleverifier.h"
#include "commands.h"
#include "context.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>

namespace latch::cli {

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

int exportCase(Context& ctx, const ProofOptions& o)
{
    const std::string id = ctx.resolveCase(o.caseRef);
    v1::Query q;
    q.mutable_get_case_proof()->set_case_id(id);
    const auto result = ctx.query(q);
    const v1::CaseProof& proof = result.case_proof();
    const People people(result.people());

    const auto files = writeBundleFiles(proof, people, { o.out, ctx.serverUrl(), nowMs(), o.force });
    if (!files) {
        if (files.failure().code == "bundle.not_empty")
            usageError(files.failure().message
                + "; give --force to write the bundle into it anyway");
        usageError(files.failure().message);
    }
    const auto signers = noteSigners(proof.checkpoint());
    if (ctx.json()) {
        ctx.printJson({ { "case_id", id }, { "dir", o.out }, { "files", *files },
            { "events", proof.events_size() }, { "origin", proof.origin() },
            { "checkpoint_size", proof.checkpoint_size() }, { "signers", signers },
            { "rules_version", proof.rules_version() } });
        return 0;
    }
    std::cout << "Exported case " << id << " (" << proof.events_size() << " events), proven "
              << "against a checkpoint of " << proof.checkpoint_size() << " events of "
              << proof.origin() << ":\n";
    std::cout << "  " << (*files)[0]
              << "  the events, their canonical bytes, hashes and "
                 "inclusion proofs\n";
    std::cout << "  " << (*files)[1] << "  the signed checkpoint\n";
    std::cout << "  " << (*files)[2] << "  the case's story, readable\n";
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
