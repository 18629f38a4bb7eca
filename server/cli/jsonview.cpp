#include "jsonview.h"

#include "latch/hashing.h"
#include "render.h"

#include <google/protobuf/util/json_util.h>

namespace latch::cli {

namespace {

template <typename Repeated> nlohmann::json array(const Repeated& repeated)
{
    auto out = nlohmann::json::array();
    for (const auto& item : repeated)
        out.push_back(item);
    return out;
}

nlohmann::json payloadJson(const v1::Event& event)
{
    const auto* descriptor = event.GetDescriptor();
    const auto* oneof = descriptor->FindOneofByName("payload");
    const auto* reflection = event.GetReflection();
    const auto* field = oneof ? reflection->GetOneofFieldDescriptor(event, oneof) : nullptr;
    if (!field)
        return nlohmann::json::object();
    return messageJson(reflection->GetMessage(event, field));
}

} // namespace

nlohmann::json messageJson(const google::protobuf::Message& message)
{
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    std::string text;
    if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok())
        return nlohmann::json::object();
    return nlohmann::json::parse(text, nullptr, false);
}

nlohmann::json toJson(const v1::Money& money)
{
    if (money.currency().empty())
        return nullptr;
    return { { "minor", money.minor() }, { "currency", money.currency() },
        { "display", moneyText(money) } };
}

nlohmann::json toJson(const v1::Case& c)
{
    auto fields = nlohmann::json::object();
    for (const auto& f : c.fields())
        fields[f.key()] = f.value();
    auto approvals = nlohmann::json::array();
    for (const auto& a : c.approvals())
        approvals.push_back(
            { { "approver", a.approver() }, { "role", a.role() }, { "stage", a.stage() },
                { "time_ms", a.time_ms() }, { "comment", a.comment() }, { "seq", a.seq() } });
    return { { "id", c.id() }, { "version", c.version() }, { "status", statusName(c.status()) },
        { "type", c.type() }, { "title", c.title() }, { "customer", c.customer() },
        { "order_ref", c.order_ref() },
        { "amount", c.has_amount() ? toJson(c.amount()) : nlohmann::json(nullptr) },
        { "fields", fields }, { "queue", c.queue() }, { "assignee", c.assignee() },
        { "requester", c.requester() }, { "preparer", c.preparer() },
        { "description", c.description() }, { "rule", c.rule() }, { "approvals", approvals },
        { "created_ms", c.created_ms() }, { "updated_ms", c.updated_ms() },
        { "created", isoTime(c.created_ms()) }, { "updated", isoTime(c.updated_ms()) },
        { "last_seq", c.last_seq() }, { "last_hash", toHex(c.last_hash()) } };
}

nlohmann::json toJson(const v1::Event& event, const People& people)
{
    return { { "seq", event.seq() }, { "case_id", event.case_id() },
        { "case_version", event.case_version() }, { "time_ms", event.time_ms() },
        { "time", isoTime(event.time_ms()) }, { "actor", event.actor() },
        { "actor_name", people.name(event.actor()) }, { "kind", eventKindName(event) },
        { "command_id", event.command_id() }, { "blocked", isBlocked(event) },
        { "summary", eventSummary(event, people) }, { "payload", payloadJson(event) },
        { "prev_hash", toHex(event.prev_hash()) }, { "hash", toHex(event.hash()) } };
}

nlohmann::json toJson(const v1::RuleCheck& check)
{
    auto stages = nlohmann::json::array();
    for (const auto& s : check.stages())
        stages.push_back({ { "index", s.index() }, { "required", s.required() },
            { "approver_roles", array(s.approver_roles()) },
            { "approved_by", array(s.approved_by()) }, { "eligible", array(s.eligible()) },
            { "satisfied", s.satisfied() } });
    return { { "matched", check.matched() }, { "rule", check.rule() },
        { "explanation", check.explanation() }, { "stages", stages },
        { "satisfied", check.satisfied() }, { "gated_actions", array(check.gated_actions()) },
        { "allowed_actions", array(check.allowed_actions()) },
        { "missing", array(check.missing()) }, { "notes", array(check.notes()) } };
}

nlohmann::json toJson(const v1::User& user)
{
    return { { "id", user.id() }, { "username", user.username() },
        { "display_name", user.display_name() }, { "roles", array(user.roles()) },
        { "disabled", user.disabled() } };
}

nlohmann::json toJson(const v1::AdminAuditEntry& entry)
{
    return { { "id", entry.id() }, { "time_ms", entry.time_ms() },
        { "time", isoTime(entry.time_ms()) }, { "actor", entry.actor() },
        { "action", entry.action() }, { "target", entry.target() }, { "detail", entry.detail() } };
}

nlohmann::json toJson(const v1::CommandResult& result)
{
    return { { "command_id", result.command_id() }, { "accepted", result.accepted() },
        { "replayed", result.replayed() }, { "case_id", result.case_id() },
        { "seqs", array(result.seqs()) }, { "code", result.code() },
        { "message", result.message() } };
}

} // namespace latch::cli
