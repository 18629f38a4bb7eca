// latchctl triage ...: answer triage's suggestion on a case (accept, override), and, for
// administrators, retrain the model from the cases people confirmed (train) or score it on
// labelled examples (eval FILE.jsonl).
#include "commands.h"
#include "context.h"
#include "terminal.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace latch::cli {

namespace {

struct TriageOptions {
    std::string caseRef;
    std::string type;
    std::string priority;
    std::string file;
};

int decide(Context& ctx, const TriageOptions& o, bool accept)
{
    v1::Command c;
    auto* d = c.mutable_decide_triage();
    d->set_case_id(ctx.resolveCase(o.caseRef));
    d->set_accept(accept);
    d->set_type(o.type);
    d->set_priority(o.priority);
    return ctx.finishCommand(ctx.command(c), accept ? "Accepted triage's suggestion on"
                                                    : "Set the type, overriding triage, on");
}

int train(Context& ctx)
{
    v1::Query q;
    q.mutable_triage_train();
    const auto r = ctx.query(q);
    const auto& t = r.triage();
    if (ctx.json()) {
        ctx.printJson({{"model", t.model()}, {"version", t.model_version()},
                       {"examples", t.examples()}, {"from_history", t.from_history()}});
    } else {
        std::cout << "Trained " << t.model() << " " << t.model_version() << " on " << t.examples()
                  << " examples (" << t.from_history()
                  << " from cases people confirmed); new cases use it from now on.\n";
    }
    return 0;
}

// One {"type": ..., "text": ...} per line; errors name the line.
std::vector<v1::TriageExample> readExamples(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        raise(fail("triage.file", "cannot read " + path));
    std::vector<v1::TriageExample> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const auto json = nlohmann::json::parse(line, nullptr, false);
        if (!json.is_object() || !json.contains("type") || !json.contains("text")
            || !json["type"].is_string() || !json["text"].is_string())
            raise(fail("triage.file", path + ":" + std::to_string(number)
                                          + ": expected {\"type\": \"...\", \"text\": \"...\"}"));
        v1::TriageExample e;
        e.set_type(json["type"].get<std::string>());
        e.set_text(json["text"].get<std::string>());
        out.push_back(std::move(e));
    }
    if (out.empty())
        raise(fail("triage.file", path + " has no examples"));
    return out;
}

int eval(Context& ctx, const TriageOptions& o)
{
    v1::Query q;
    for (auto& e : readExamples(o.file))
        *q.mutable_triage_eval()->add_examples() = std::move(e);
    const auto r = ctx.query(q);
    const auto& t = r.triage();
    if (ctx.json()) {
        ctx.printJson({{"model", t.model()}, {"version", t.model_version()},
                       {"examples", t.examples()}, {"accuracy", t.accuracy()},
                       {"report", t.report()}});
    } else {
        std::cout << t.report();
        if (!t.report().empty() && t.report().back() != '\n')
            std::cout << '\n';
    }
    return 0;
}

} // namespace

void addTriageCommands(CLI::App& app, Context& ctx, Action& action)
{
    auto o = std::make_shared<TriageOptions>();
    auto* triage = app.add_subcommand("triage", "Triage's suggestions and its model");
    triage->require_subcommand(1);

    auto* accept = triage->add_subcommand("accept", "Accept triage's suggestion for a case");
    accept->add_option("case", o->caseRef, "Case id (or a unique prefix)")->required();
    accept->add_option("--priority", o->priority, "low, normal, high or urgent (default: suggested)");
    accept->callback([&ctx, &action, o] { action = [&ctx, o] { return decide(ctx, *o, true); }; });

    auto* override_ = triage->add_subcommand("override", "Choose the case's type instead of triage");
    override_->add_option("case", o->caseRef, "Case id (or a unique prefix)")->required();
    override_->add_option("type", o->type, "The type the case has")->required();
    override_->add_option("--priority", o->priority, "low, normal, high or urgent");
    override_->callback([&ctx, &action, o] { action = [&ctx, o] { return decide(ctx, *o, false); }; });

    triage->add_subcommand("train", "Retrain the model from the starter set and confirmed cases (admin)")
        ->callback([&ctx, &action] { action = [&ctx] { return train(ctx); }; });

    auto* evalCmd = triage->add_subcommand("eval", "Score the model on labelled examples (admin)");
    evalCmd->add_option("file", o->file, "JSONL: {\"type\": ..., \"text\": ...} per line")
        ->required()
        ->check(CLI::ExistingFile);
    evalCmd->callback([&ctx, &action, o] { action = [&ctx, o] { return eval(ctx, *o); }; });
}

} // namespace latch::cli
