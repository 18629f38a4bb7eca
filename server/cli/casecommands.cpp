// latchctl case create/note/set/assign/ready/approve/deny/close/reopen and action run/cancel: the
// commands that change a case; and action list/plan, what running one would do.
// Input is checked here first (amounts, fields, ids) so mistakes fail at once with exit code 1
// and nothing is sent; the server then decides and its refusals come back unchanged (exit 2).
#include "commands.h"
#include "context.h"
#include "latch/casefold.h"
#include "latch/hashing.h"
#include "latch/ids.h"
#include "latch/money.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <memory>
#include <optional>

namespace latch::cli {

namespace {

struct CaseOptions {
    std::string caseRef;
    std::string commandId;
    std::string actionName;
    std::string planHash;
    std::string id;
    std::string type;
    std::string title;
    std::string customer;
    std::string order;
    std::string amount;
    std::vector<std::string> fields;
    std::vector<std::string> unsetFields;
    std::string queue;
    std::string description;
    std::string text; // note text
    std::string assignee;
    bool none = false;
    std::string comment;
    std::string reason;
    // Set by CLI11 when the option was given at all (an empty value can be a deliberate clear).
    CLI::Option* typeOpt = nullptr;
    CLI::Option* titleOpt = nullptr;
    CLI::Option* customerOpt = nullptr;
    CLI::Option* orderOpt = nullptr;
    CLI::Option* amountOpt = nullptr;
    CLI::Option* descriptionOpt = nullptr;
};

bool given(const CLI::Option* opt)
{
    return opt != nullptr && opt->count() > 0;
}

v1::Money parseAmountArg(const std::string& text)
{
    auto money = parseMoney(text);
    if (!money)
        raise(fail(money.failure().code,
            "cannot use amount \"" + text + "\": " + money.failure().message));
    v1::Money out;
    out.set_minor(money->minor);
    out.set_currency(money->currency);
    return out;
}

std::vector<v1::Field> parseFields(const std::vector<std::string>& pairs)
{
    std::vector<v1::Field> out;
    for (const auto& pair : pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0)
            usageError("--field \"" + pair + "\" must look like key=value");
        v1::Field f;
        f.set_key(pair.substr(0, eq));
        f.set_value(pair.substr(eq + 1));
        out.push_back(std::move(f));
    }
    return out;
}

v1::Command newCommand(const CaseOptions& o)
{
    v1::Command c;
    c.set_command_id(o.commandId); // empty: the client makes one
    return c;
}

int create(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    auto* create = c.mutable_create_case();
    if (!o.id.empty()) {
        if (!isUuid(o.id))
            usageError("--id \"" + o.id + "\" is not a UUID (lower-case 8-4-4-4-12 hex)");
        create->set_case_id(o.id);
    }
    create->set_type(o.type);
    create->set_title(o.title);
    create->set_customer(o.customer);
    create->set_order_ref(o.order);
    if (!o.amount.empty())
        *create->mutable_amount() = parseAmountArg(o.amount);
    for (auto& f : parseFields(o.fields))
        *create->add_fields() = std::move(f);
    create->set_queue(o.queue);
    create->set_description(o.description);
    return ctx.finishCommand(ctx.command(c), "Created case");
}

int note(Context& ctx, const CaseOptions& o)
{
    if (o.text.empty())
        usageError("the note is empty");
    v1::Command c = newCommand(o);
    c.mutable_add_note()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_add_note()->set_text(o.text);
    return ctx.finishCommand(ctx.command(c), "Added a note to");
}

int setFields(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    auto* set = c.mutable_set_fields();
    // Check everything local before touching the network.
    std::optional<v1::Money> amount;
    if (given(o.amountOpt))
        amount = parseAmountArg(o.amount);
    const auto fields = parseFields(o.fields);
    if (!given(o.typeOpt) && !given(o.titleOpt) && !given(o.customerOpt) && !given(o.orderOpt)
        && !amount && !given(o.descriptionOpt) && fields.empty() && o.unsetFields.empty())
        usageError("nothing to change — give at least one of --type, --title, --customer, "
                   "--order, --amount, --field, --unset-field, --description");
    set->set_case_id(ctx.resolveCase(o.caseRef));
    if (given(o.typeOpt))
        set->set_type(o.type);
    if (given(o.titleOpt))
        set->set_title(o.title);
    if (given(o.customerOpt))
        set->set_customer(o.customer);
    if (given(o.orderOpt))
        set->set_order_ref(o.order);
    if (amount)
        *set->mutable_amount() = *amount;
    if (given(o.descriptionOpt))
        set->set_description(o.description);
    for (const auto& f : fields)
        *set->add_set_fields() = f;
    for (const auto& key : o.unsetFields)
        set->add_remove_fields(key);
    return ctx.finishCommand(ctx.command(c), "Changed");
}

int assign(Context& ctx, const CaseOptions& o)
{
    if (o.none == !o.assignee.empty())
        usageError("give either a USER to assign the case to, or --none to unassign it");
    v1::Command c = newCommand(o);
    c.mutable_assign()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_assign()->set_assignee(o.none ? std::string() : o.assignee);
    return ctx.finishCommand(ctx.command(c), o.none ? "Unassigned" : "Assigned");
}

int ready(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_mark_ready()->set_case_id(ctx.resolveCase(o.caseRef));
    return ctx.finishCommand(ctx.command(c), "Marked ready");
}

int approve(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_approve()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_approve()->set_comment(o.comment);
    return ctx.finishCommand(ctx.command(c), "Approved");
}

int deny(Context& ctx, const CaseOptions& o)
{
    if (o.reason.empty())
        usageError("say why with --reason");
    v1::Command c = newCommand(o);
    c.mutable_deny()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_deny()->set_reason(o.reason);
    return ctx.finishCommand(ctx.command(c), "Denied");
}

int closeCase(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_close()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_close()->set_reason(o.reason);
    return ctx.finishCommand(ctx.command(c), "Closed");
}

int reopen(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_reopen()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_reopen()->set_reason(o.reason);
    return ctx.finishCommand(ctx.command(c), "Reopened");
}

int runAction(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_request_action()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_request_action()->set_action(o.actionName);
    if (!o.planHash.empty()) {
        const std::string bytes = latch::fromHex(o.planHash).value_or("");
        if (bytes.size() != 32)
            usageError("--plan takes the 64 hex digits `latchctl action plan` prints");
        c.mutable_request_action()->set_plan_hash(bytes);
    }
    return ctx.finishCommand(ctx.command(c),
        "Action requested; its result appears on the case timeline");
}

int cancelAction(Context& ctx, const CaseOptions& o)
{
    v1::Command c = newCommand(o);
    c.mutable_cancel_action()->set_case_id(ctx.resolveCase(o.caseRef));
    c.mutable_cancel_action()->set_action(o.actionName);
    c.mutable_cancel_action()->set_reason(o.reason);
    return ctx.finishCommand(ctx.command(c),
        "Cancel requested; what became of the run appears on the case timeline");
}

std::string stateText(v1::ActionState state)
{
    const std::string name = latch::actionStateName(state);
    return name.empty() ? "never run" : name;
}

int listActions(Context& ctx, const CaseOptions& o)
{
    v1::Query q;
    q.mutable_list_actions()->set_case_id(ctx.resolveCase(o.caseRef));
    const auto result = ctx.query(q);
    if (ctx.json()) {
        auto out = nlohmann::json::array();
        for (const auto& a : result.actions()) {
            out.push_back({ { "action", a.action() }, { "label", a.label() },
                { "plugin", a.plugin() }, { "roles", a.roles() }, { "gated", a.gated() },
                { "allowed_now", a.allowed_now() }, { "blocked_reason", a.blocked_reason() },
                { "last_state", latch::actionStateName(a.last_state()) },
                { "input_schema", nlohmann::json::parse(a.input_schema(), nullptr, false) } });
        }
        ctx.printJson(out);
        return 0;
    }
    if (result.actions_size() == 0) {
        std::cout << "No plugin on this server offers an action for this case.\n";
        return 0;
    }
    for (const auto& a : result.actions()) {
        std::cout << a.action() << "  " << a.label() << (a.gated() ? "  (gated by a rule)" : "")
                  << "\n  last run: " << stateText(a.last_state())
                  << (a.allowed_now() ? "\n  you can run it now" : "\n  not now: " + a.blocked_reason())
                  << "\n";
    }
    return 0;
}

int planAction(Context& ctx, const CaseOptions& o)
{
    v1::Query q;
    q.mutable_plan_action()->set_case_id(ctx.resolveCase(o.caseRef));
    q.mutable_plan_action()->set_action(o.actionName);
    const auto result = ctx.query(q);
    const auto& p = result.plan();
    if (ctx.json()) {
        ctx.printJson({ { "action", p.action() }, { "plugin", p.plugin() }, { "summary", p.summary() },
            { "plan", nlohmann::json::parse(p.plan(), nullptr, false) },
            { "plan_hash", toHex(p.plan_hash()) } });
        return 0;
    }
    std::cout << p.summary() << "\n\n"
              << nlohmann::json::parse(p.plan(), nullptr, false).dump(2) << "\n\nplan "
              << toHex(p.plan_hash()) << "\n(run exactly this with: latchctl action run "
              << o.caseRef << " " << p.action() << " --plan " << toHex(p.plan_hash()) << ")\n";
    return 0;
}

// A read-only subcommand taking CASE: no command id.
CLI::App* actionQuery(CLI::App* parent, Context& ctx, Action& action, const char* name,
    const char* help, int (*fn)(Context&, const CaseOptions&), std::shared_ptr<CaseOptions>& o)
{
    o = std::make_shared<CaseOptions>();
    auto* sub = parent->add_subcommand(name, help);
    sub->add_option("case", o->caseRef, "Case id, or a unique prefix of 8+ characters")->required();
    auto keep = o;
    sub->callback(
        [&ctx, &action, keep, fn] { action = [&ctx, keep, fn] { return fn(ctx, *keep); }; });
    return sub;
}

// One mutating subcommand: its own options object, --command-id, and optionally the CASE argument.
CLI::App* mutation(CLI::App* parent, Context& ctx, Action& action, const char* name,
    const char* help, int (*fn)(Context&, const CaseOptions&), std::shared_ptr<CaseOptions>& o,
    bool takesCase = true)
{
    o = std::make_shared<CaseOptions>();
    auto* sub = parent->add_subcommand(name, help);
    if (takesCase)
        sub->add_option("case", o->caseRef, "Case id, or a unique prefix of 8+ characters")
            ->required();
    sub->add_option("--command-id", o->commandId,
        "Command id (UUID) to make a retry idempotent; made up when absent");
    auto keep = o;
    sub->callback(
        [&ctx, &action, keep, fn] { action = [&ctx, keep, fn] { return fn(ctx, *keep); }; });
    return sub;
}

} // namespace

void addCaseCommands(CLI::App& app, Context& ctx, Action& action)
{
    auto* cases = app.add_subcommand("case", "Create, change, approve and read cases");
    cases->require_subcommand(1);
    std::shared_ptr<CaseOptions> o;

    auto* create
        = mutation(cases, ctx, action, "create", "Create a case", latch::cli::create, o, false);
    create->add_option("--type", o->type, "Case type, e.g. refund")->required();
    create->add_option("--title", o->title, "One-line title")->required();
    create->add_option("--customer", o->customer, "Customer name");
    create->add_option("--order", o->order, "Order reference, e.g. #4821");
    create->add_option("--amount", o->amount, "Amount, e.g. \"2,400.00 USD\" or \"$2,400\"");
    create->add_option("--field", o->fields, "Free field key=value (repeatable)")
        ->allow_extra_args(false);
    create->add_option("--queue", o->queue, "Queue (default: the one configured for the type)");
    create->add_option("--description", o->description, "Longer description");
    create->add_option("--id", o->id, "Case id (UUID) to use instead of a server-made one");

    auto* noteCmd = mutation(cases, ctx, action, "note", "Add a note", note, o);
    noteCmd->add_option("text", o->text, "The note")->required();

    auto* set = mutation(cases, ctx, action, "set", "Change facts or free fields", setFields, o);
    o->typeOpt = set->add_option("--type", o->type, "New type");
    o->titleOpt = set->add_option("--title", o->title, "New title");
    o->customerOpt = set->add_option("--customer", o->customer, "New customer");
    o->orderOpt = set->add_option("--order", o->order, "New order reference");
    o->amountOpt = set->add_option("--amount", o->amount, "New amount (voids approvals)");
    set->add_option("--field", o->fields, "Set a free field key=value (repeatable)")
        ->allow_extra_args(false);
    set->add_option("--unset-field", o->unsetFields, "Remove a free field (repeatable)")
        ->allow_extra_args(false);
    o->descriptionOpt = set->add_option("--description", o->description, "New description");

    auto* assignCmd = mutation(cases, ctx, action, "assign", "Assign or unassign", assign, o);
    assignCmd->add_option("user", o->assignee, "Username to assign the case to");
    assignCmd->add_flag("--none", o->none, "Unassign the case");

    mutation(cases, ctx, action, "ready", "Mark ready: the approval rule now applies", ready, o);

    auto* approveCmd = mutation(cases, ctx, action, "approve", "Approve", approve, o);
    approveCmd->add_option("--comment", o->comment, "Comment recorded with the approval");

    auto* denyCmd = mutation(cases, ctx, action, "deny", "Deny", deny, o);
    denyCmd->add_option("--reason", o->reason, "Why")->required();

    auto* closeCmd = mutation(cases, ctx, action, "close", "Close", closeCase, o);
    closeCmd->add_option("--reason", o->reason, "Why");

    auto* reopenCmd = mutation(cases, ctx, action, "reopen", "Reopen a closed case", reopen, o);
    reopenCmd->add_option("--reason", o->reason, "Why");

    auto* actions = app.add_subcommand("action", "Run plugin actions from a case");
    actions->require_subcommand(1);
    auto* run = mutation(actions, ctx, action, "run",
                         "Run an action; refused (and recorded) while its approval rule is not "
                         "satisfied",
                         runAction, o);
    run->add_option("action", o->actionName, "Action id, e.g. stripe.refund")->required();
    run->add_option("--plan", o->planHash,
        "Only run if the plan is still this one (the hash `action plan` prints)");
    auto* cancel = mutation(actions, ctx, action, "cancel",
        "Stop the run of an action in progress; a call already made is not undone", cancelAction,
        o);
    cancel->add_option("action", o->actionName, "Action id, e.g. stripe.refund")->required();
    cancel->add_option("--reason", o->reason, "Why, recorded on the case");
    actionQuery(actions, ctx, action, "list", "The actions plugins offer for a case, and whether you "
                                              "may run them now", listActions, o);
    auto* plan = actionQuery(actions, ctx, action, "plan",
        "Exactly what running an action would send, without running it", planAction, o);
    plan->add_option("action", o->actionName, "Action id, e.g. stripe.refund")->required();
}

} // namespace latch::cli
