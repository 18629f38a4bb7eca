#include "latch/casefold.h"

#include "latch/hashing.h"

#include <algorithm>

namespace latch {

namespace {

void applyCreated(v1::Case& c, const v1::CaseCreated& e)
{
    c.set_type(e.type());
    c.set_title(e.title());
    c.set_customer(e.customer());
    c.set_order_ref(e.order_ref());
    if (e.has_amount())
        *c.mutable_amount() = e.amount();
    *c.mutable_fields() = e.fields();
    c.set_queue(e.queue());
    c.set_description(e.description());
    c.set_status(v1::CASE_STATUS_IN_REVIEW);
}

void applyFieldsChanged(v1::Case& c, const v1::FieldsChanged& e)
{
    if (e.has_type())
        c.set_type(e.type());
    if (e.has_title())
        c.set_title(e.title());
    if (e.has_customer())
        c.set_customer(e.customer());
    if (e.has_order_ref())
        c.set_order_ref(e.order_ref());
    if (e.has_amount())
        *c.mutable_amount() = e.amount();
    if (e.has_description())
        c.set_description(e.description());
    for (const auto& f : e.set_fields())
        setField(c, f.key(), f.value());
    for (const auto& key : e.removed_fields())
        removeField(c, key);
}

v1::ActionRun* findRun(v1::Case& c, const std::string& key)
{
    return const_cast<v1::ActionRun*>(findActionRun(c, key));
}

} // namespace

const v1::ActionRun* findActionRun(const v1::Case& c, const std::string& idempotencyKey)
{
    for (const auto& run : c.actions()) {
        if (run.idempotency_key() == idempotencyKey)
            return &run;
    }
    return nullptr;
}

const v1::ActionRun* latestActionRun(const v1::Case& c, const std::string& action)
{
    const v1::ActionRun* latest = nullptr;
    for (const auto& run : c.actions()) {
        if (run.action() == action)
            latest = &run;
    }
    return latest;
}

void applyEvent(v1::Case& c, const v1::Event& event)
{
    if (c.id().empty()) {
        c.set_id(event.case_id());
        c.set_created_ms(event.time_ms());
        c.set_requester(event.actor());
    }
    c.set_version(event.case_version());
    c.set_updated_ms(event.time_ms());
    c.set_last_seq(event.seq());
    c.set_last_hash(event.hash());

    switch (event.payload_case()) {
    case v1::Event::kCreated:
        applyCreated(c, event.created());
        break;
    case v1::Event::kFieldsChanged:
        applyFieldsChanged(c, event.fields_changed());
        break;
    case v1::Event::kAssigned:
        c.set_assignee(event.assigned().assignee());
        break;
    case v1::Event::kMarkedReady:
        c.set_preparer(event.actor());
        c.set_rule(event.marked_ready().rule());
        c.set_status(event.marked_ready().new_status());
        *c.mutable_stages() = event.marked_ready().stages();
        c.clear_approvals();
        break;
    case v1::Event::kApprovalGranted: {
        const auto& g = event.approval_granted();
        auto* a = c.add_approvals();
        a->set_approver(event.actor());
        a->set_role(g.role());
        a->set_stage(g.stage());
        a->set_time_ms(event.time_ms());
        a->set_comment(g.comment());
        a->set_facts_hash(g.facts_hash());
        a->set_seq(event.seq());
        if (g.rule_satisfied())
            c.set_status(v1::CASE_STATUS_APPROVED);
        break;
    }
    case v1::Event::kApprovalDenied:
        c.set_status(v1::CASE_STATUS_DENIED);
        break;
    case v1::Event::kApprovalsVoided:
        c.clear_approvals();
        c.clear_stages();
        c.set_status(v1::CASE_STATUS_IN_REVIEW);
        break;
    case v1::Event::kClosed:
        c.set_status(v1::CASE_STATUS_CLOSED);
        break;
    case v1::Event::kReopened:
        c.set_status(v1::CASE_STATUS_IN_REVIEW);
        c.clear_approvals();
        c.clear_stages();
        break;
    case v1::Event::kActionRequested: {
        const auto& r = event.action_requested();
        auto* run = c.add_actions();
        run->set_action(r.action());
        run->set_idempotency_key(r.idempotency_key());
        run->set_state(v1::ACTION_STATE_REQUESTED);
        run->set_requested_seq(event.seq());
        run->set_plan_hash(r.plan_hash());
        break;
    }
    case v1::Event::kActionFinished: {
        const auto& f = event.action_finished();
        if (auto* run = findRun(c, f.idempotency_key())) {
            const bool reported = run->reported_state() == v1::ACTION_STATE_SUCCEEDED
                || run->reported_state() == v1::ACTION_STATE_FAILED;
            if (!f.external_id().empty())
                run->set_external_id(f.external_id());
            if (f.state() == v1::ACTION_STATE_UNKNOWN && reported) {
                // The host could not establish the outcome, but the external system had already
                // reported a final one while the run was in progress: that one stands.
                run->set_state(run->reported_state());
            } else {
                run->set_state(f.state());
                run->set_external_status(f.external_status());
            }
        }
        break;
    }
    case v1::Event::kActionUpdated: {
        const auto& u = event.action_updated();
        if (auto* run = findRun(c, u.idempotency_key())) {
            if (!u.external_id().empty())
                run->set_external_id(u.external_id());
            run->set_external_status(u.external_status());
            if (u.state() == v1::ACTION_STATE_UNSPECIFIED)
                break;
            // While the host still runs it, the run's result is the host's to record (it carries
            // what was sent); the reported state is kept for when that result cannot tell.
            if (run->state() == v1::ACTION_STATE_REQUESTED)
                run->set_reported_state(u.state());
            else
                run->set_state(u.state());
        }
        break;
    }
    case v1::Event::kActionCancelRequested: {
        const auto& r = event.action_cancel_requested();
        if (auto* run = findRun(c, r.idempotency_key())) {
            run->set_cancel_seq(event.seq());
            run->set_canceled_by(event.actor());
        }
        break;
    }
    case v1::Event::kIntakeReceived: {
        const auto& r = event.intake_received();
        if (c.channel().empty())
            c.set_channel(r.channel());
        c.set_deliveries(c.deliveries() + 1);
        if (!r.alert_status().empty())
            c.set_alert_status(r.alert_status());
        break;
    }
    case v1::Event::kTriageSuggested: {
        // A newer suggestion replaces the one in force; a decided case keeps its decision (the
        // server refuses suggestions once a person has decided, so this only guards old data).
        if (!c.triage().decision().empty())
            break;
        const auto& s = event.triage_suggested();
        auto* t = c.mutable_triage();
        t->Clear();
        t->set_suggestion_seq(event.seq());
        t->set_model(s.model());
        t->set_type(s.type());
        t->set_confidence(s.confidence());
        t->set_priority(s.priority());
        t->set_rule(s.rule());
        t->set_rule_summary(s.rule_summary());
        *t->mutable_extracted() = s.extracted();
        break;
    }
    case v1::Event::kTriageDecided: {
        const auto& d = event.triage_decided();
        auto* t = c.mutable_triage();
        t->set_decision(d.accepted() ? "accepted" : "overridden");
        t->set_decided_type(d.type());
        t->set_decided_by(event.actor());
        if (!d.priority().empty())
            c.set_priority(d.priority());
        break;
    }
    case v1::Event::kNoteAdded:
    case v1::Event::kAttemptBlocked:
    case v1::Event::kNotification:
    case v1::Event::PAYLOAD_NOT_SET:
        break;
    }
    c.set_facts_hash(factsHash(c));
}

v1::Case foldEvents(const std::vector<v1::Event>& events)
{
    v1::Case c;
    for (const auto& e : events)
        applyEvent(c, e);
    return c;
}

std::string actionStateName(v1::ActionState state)
{
    switch (state) {
    case v1::ACTION_STATE_REQUESTED:
        return "requested";
    case v1::ACTION_STATE_SUCCEEDED:
        return "succeeded";
    case v1::ACTION_STATE_FAILED:
        return "failed";
    case v1::ACTION_STATE_UNKNOWN:
        return "unknown";
    default:
        return "";
    }
}

std::string statusName(v1::CaseStatus status)
{
    switch (status) {
    case v1::CASE_STATUS_IN_REVIEW:
        return "in_review";
    case v1::CASE_STATUS_AWAITING_APPROVAL:
        return "awaiting_approval";
    case v1::CASE_STATUS_APPROVED:
        return "approved";
    case v1::CASE_STATUS_DENIED:
        return "denied";
    case v1::CASE_STATUS_CLOSED:
        return "closed";
    default:
        return "";
    }
}

v1::CaseStatus statusFromName(const std::string& name)
{
    for (auto s : {v1::CASE_STATUS_IN_REVIEW, v1::CASE_STATUS_AWAITING_APPROVAL,
                   v1::CASE_STATUS_APPROVED, v1::CASE_STATUS_DENIED, v1::CASE_STATUS_CLOSED}) {
        if (statusName(s) == name)
            return s;
    }
    return v1::CASE_STATUS_UNSPECIFIED;
}

void setField(v1::Case& c, const std::string& key, const std::string& value)
{
    auto* fields = c.mutable_fields();
    auto it = std::lower_bound(fields->begin(), fields->end(), key,
                               [](const v1::Field& f, const std::string& k) { return f.key() < k; });
    if (it != fields->end() && it->key() == key) {
        it->set_value(value);
        return;
    }
    const auto index = static_cast<int>(it - fields->begin());
    auto* added = fields->Add();
    added->set_key(key);
    added->set_value(value);
    // Bubble the new element (appended at the end) down to its sorted place.
    for (int i = fields->size() - 1; i > index; --i)
        fields->SwapElements(i, i - 1);
}

void removeField(v1::Case& c, const std::string& key)
{
    auto* fields = c.mutable_fields();
    for (int i = 0; i < fields->size(); ++i) {
        if (fields->Get(i).key() == key) {
            fields->DeleteSubrange(i, 1);
            return;
        }
    }
}

const std::string* findField(const v1::Case& c, const std::string& key)
{
    for (const auto& f : c.fields()) {
        if (f.key() == key)
            return &f.value();
    }
    return nullptr;
}

} // namespace latch
