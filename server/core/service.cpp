#include "core/service.h"

#include "core/accounts.h"
#include "latch/casefold.h"
#include "core/commands.h"
#include "core/eachcase.h"
#include "core/engine.h"
#include "core/rules.h"
#include "latch/hashing.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

namespace latch::core {

namespace {

v1::QueryResult queryFail(const v1::Query& q, std::string code, std::string message)
{
    v1::QueryResult r;
    r.set_query_id(q.query_id());
    r.set_ok(false);
    r.set_code(std::move(code));
    r.set_message(std::move(message));
    return r;
}

void addPeople(v1::QueryResult& r, const std::vector<v1::User>& people, const std::set<std::string>& names)
{
    for (const auto& u : people) {
        if (names.count(u.username()) != 0) {
            auto* p = r.add_people();
            p->set_id(u.id());
            p->set_username(u.username());
            p->set_display_name(u.display_name());
            *p->mutable_roles() = u.roles();
        }
    }
}

std::size_t snapshotSize(const v1::CaseSnapshot& s)
{
    return s.ByteSizeLong();
}

} // namespace

std::int64_t systemNowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool canSee(const Config& config, const Actor& actor, const v1::Case& c, std::int64_t nowMs)
{
    if (c.id().empty())
        return false;
    if (actor.isAdmin() || actor.id == "system")
        return true;
    if (!actor.id.empty()
        && (c.assignee() == actor.id || c.requester() == actor.id || c.preparer() == actor.id))
        return true;
    for (const auto& a : c.approvals()) {
        if (a.approver() == actor.id)
            return true;
    }
    if (const QueueDef* q = config.queue(c.queue())) {
        for (const auto& role : q->roles) {
            if (actor.hasRole(role))
                return true;
        }
    }
    if (c.status() == v1::CASE_STATUS_AWAITING_APPROVAL)
        return checkApprover(config, c, actor, nowMs).allowed;
    return false;
}

Service::Service(std::shared_ptr<const Config> config, Store& store, Clock clock)
    : m_config(std::move(config))
    , m_store(store)
    , m_clock(std::move(clock))
    , m_accounts(std::make_unique<Accounts>(*m_config, m_store, m_clock))
    , m_engine(std::make_unique<Engine>(*m_config, m_store, *m_accounts, m_clock))
{
    m_engine->setBatchListener([this](const std::shared_ptr<const CommittedBatch>& batch) {
        std::vector<Listener> copy;
        {
            std::lock_guard lock(m_listenerMutex);
            for (const auto& [id, l] : m_listeners)
                copy.push_back(l);
        }
        for (const auto& l : copy)
            l(batch);
    });
}

Service::~Service()
{
    stop();
}

void Service::start()
{
    m_engine->start();
}

void Service::stop()
{
    m_engine->stop();
}

// The store reports a failing disk or a damaged file by throwing; here it becomes an answer with
// a code, so one bad read never takes the server down.
v1::LoginResult Service::login(const v1::Login& login, const std::string& address)
{
    try {
        return m_accounts->login(login, address);
    } catch (const std::exception& e) {
        spdlog::error("sign-in failed on the store: {}", e.what());
        v1::LoginResult r;
        r.set_code("server.store");
        r.set_message("the server could not read its store; try again later");
        return r;
    }
}

Expected<Actor> Service::authenticate(const std::string& token)
{
    try {
        return m_accounts->authenticate(token);
    } catch (const std::exception& e) {
        spdlog::error("authentication failed on the store: {}", e.what());
        return fail("server.store", "the server could not read its store; try again later");
    }
}

void Service::logout(const std::string& token)
{
    try {
        m_accounts->logout(token);
    } catch (const std::exception& e) {
        spdlog::error("logout failed on the store: {}", e.what());
    }
}

void Service::submit(const Actor& actor, const v1::Command& command,
                     std::function<void(const v1::CommandResult&)> done)
{
    m_engine->submit(actor, command, std::move(done));
}

std::uint64_t Service::addListener(Listener listener)
{
    std::lock_guard lock(m_listenerMutex);
    const auto id = m_nextListener++;
    m_listeners.emplace_back(id, std::move(listener));
    return id;
}

void Service::removeListener(std::uint64_t id)
{
    std::lock_guard lock(m_listenerMutex);
    std::erase_if(m_listeners, [id](const auto& e) { return e.first == id; });
}

std::uint64_t Service::addAccountListener(AccountListener listener)
{
    std::lock_guard lock(m_listenerMutex);
    const auto id = m_nextListener++;
    m_accountListeners.emplace_back(id, std::move(listener));
    return id;
}

void Service::removeAccountListener(std::uint64_t id)
{
    std::lock_guard lock(m_listenerMutex);
    std::erase_if(m_accountListeners, [id](const auto& e) { return e.first == id; });
}

void Service::accountChanged(const std::string& username)
{
    std::vector<AccountListener> listeners;
    {
        std::lock_guard lock(m_listenerMutex);
        for (const auto& [id, listener] : m_accountListeners)
            listeners.push_back(listener);
    }
    for (const auto& listener : listeners)
        listener(username);
}

std::uint64_t Service::headSeq()
{
    return m_store.read()->headSeq();
}

Engine& Service::engine()
{
    return *m_engine;
}

Accounts& Service::accounts()
{
    return *m_accounts;
}

v1::QueryResult Service::query(const Actor& actor, const v1::Query& q)
{
    try {
        return runQuery(actor, q);
    } catch (const std::exception& e) {
        spdlog::error("query failed on the store: {}", e.what());
        return queryFail(q, "server.store", "the server could not read its store; try again later");
    }
}

v1::QueryResult Service::runQuery(const Actor& actor, const v1::Query& q)
{
    const std::int64_t now = m_clock();
    v1::QueryResult r;
    r.set_query_id(q.query_id());
    r.set_ok(true);
    switch (q.kind_case()) {
    case v1::Query::kWhoAmI: {
        auto* u = r.mutable_user();
        u->set_id(actor.id);
        u->set_username(actor.id);
        u->set_display_name(actor.displayName);
        for (const auto& role : actor.roles)
            u->add_roles(role);
        return r;
    }
    case v1::Query::kAdmin:
        *r.mutable_admin() = m_accounts->admin(actor, q.admin());
        if (r.admin().ok()) {
            const auto& a = q.admin();
            switch (a.kind_case()) {
            case v1::AdminRequest::kSetRoles: accountChanged(a.set_roles().username()); break;
            case v1::AdminRequest::kSetPassword: accountChanged(a.set_password().username()); break;
            case v1::AdminRequest::kSetDisabled: accountChanged(a.set_disabled().username()); break;
            case v1::AdminRequest::kRevokeSessions:
                accountChanged(a.revoke_sessions().username());
                break;
            default: break;
            }
        }
        r.set_ok(r.admin().ok());
        r.set_code(r.admin().code());
        r.set_message(r.admin().message());
        return r;
    case v1::Query::kListCases: {
        const auto& lq = q.list_cases();
        if (!lq.status().empty() && statusFromName(lq.status()) == v1::CASE_STATUS_UNSPECIFIED)
            return queryFail(q, "query.bad_status",
                             "unknown status '" + lq.status()
                                 + "'; use in_review, awaiting_approval, approved, denied or closed");
        CaseFilter filter;
        filter.status = lq.status();
        filter.type = lq.type();
        if (lq.mine())
            filter.assignee = actor.id;
        auto view = m_store.read();
        std::set<std::string> names;
        const std::uint32_t limit = lq.limit() == 0 ? 500 : lq.limit();
        for (auto& c : view->listCases(filter)) {
            if (!canSee(*m_config, actor, c, now))
                continue;
            names.insert(c.assignee());
            names.insert(c.requester());
            *r.add_cases() = std::move(c);
            if (static_cast<std::uint32_t>(r.cases_size()) >= limit)
                break;
        }
        addPeople(r, m_accounts->people(), names);
        return r;
    }
    case v1::Query::kGetCase:
    case v1::Query::kGetTimeline:
    case v1::Query::kCheckRules: {
        const std::string& id = q.kind_case() == v1::Query::kGetCase       ? q.get_case().case_id()
                                : q.kind_case() == v1::Query::kGetTimeline ? q.get_timeline().case_id()
                                                                           : q.check_rules().case_id();
        auto view = m_store.read();
        auto c = view->loadCase(id);
        if (!c || !canSee(*m_config, actor, *c, now))
            return queryFail(q, "case.not_found", "there is no case " + id + " that you can see");
        const auto people = m_accounts->people();
        std::set<std::string> names{c->assignee(), c->requester(), c->preparer()};
        if (q.kind_case() != v1::Query::kCheckRules) {
            for (auto& e : view->caseEvents(id)) {
                names.insert(e.actor());
                *r.add_events() = std::move(e);
            }
        }
        *r.mutable_rule_check() = explain(*m_config, *c, people, now);
        for (const auto& a : c->approvals())
            names.insert(a.approver());
        *r.add_cases() = std::move(*c);
        addPeople(r, people, names);
        return r;
    }
    case v1::Query::kListActions:
    case v1::Query::kPlanAction: {
        const bool list = q.kind_case() == v1::Query::kListActions;
        const std::string& id = list ? q.list_actions().case_id() : q.plan_action().case_id();
        auto c = m_store.read()->loadCase(id);
        if (!c || !canSee(*m_config, actor, *c, now))
            return queryFail(q, "case.not_found", "there is no case " + id + " that you can see");
        const auto offers = m_actions ? m_actions->offers(*c) : std::vector<ActionSpec>{};
        if (list) {
            for (const auto& spec : offers)
                *r.add_actions() = describeOffer(actor, *c, spec, now);
            return r;
        }
        const std::string& action = q.plan_action().action();
        const bool offered = std::any_of(offers.begin(), offers.end(),
                                         [&](const ActionSpec& s) { return s.action == action; });
        if (!offered)
            return queryFail(q, "action.unavailable",
                             "no plugin on this server offers " + action + " for this case");
        auto planned = m_actions->plan(*c, action);
        if (!planned)
            return queryFail(q, planned.failure().code, planned.failure().message);
        auto* plan = r.mutable_plan();
        plan->set_action(action);
        for (const auto& spec : offers) {
            if (spec.action == action)
                plan->set_plugin(spec.plugin);
        }
        plan->set_plan(planned->plan);
        plan->set_plan_hash(digestBytes(sha256(planned->plan)));
        plan->set_summary(planned->summary);
        return r;
    }
    case v1::Query::kAuditQuery: {
        const auto& aq = q.audit_query();
        AuditFilter filter;
        filter.actor = aq.actor();
        const auto* payload = v1::Event::descriptor()->FindOneofByName("payload");
        for (const auto& kind : aq.kinds()) {
            const auto* field = v1::Event::descriptor()->FindFieldByName(kind);
            if (!field || field->containing_oneof() != payload) {
                std::string known;
                for (int i = 0; i < payload->field_count(); ++i)
                    known += (i ? ", " : "") + std::string(payload->field(i)->name());
                return queryFail(q, "audit.bad_kind",
                                 "there is no event kind " + kind + "; the kinds are " + known);
            }
            filter.kinds.push_back(kind);
        }
        filter.caseType = aq.case_type();
        filter.fromMs = aq.from_ms();
        filter.toMs = aq.to_ms();
        if (filter.toMs != 0 && filter.toMs <= filter.fromMs)
            return queryFail(q, "audit.bad_range", "the time range ends before it starts");
        filter.limit = aq.limit() == 0 ? 500 : std::min<std::uint32_t>(aq.limit(), 10'000);
        // Anyone may ask; each sees the history of the cases they could open anyway.
        filter.visible = [&](const v1::Case& c) { return canSee(*m_config, actor, c, now); };
        auto found = m_store.read()->auditEvents(filter);
        std::set<std::string> names;
        for (auto& row : found.rows) {
            names.insert(row.event().actor());
            *r.add_audit_rows() = std::move(row);
        }
        r.set_audit_truncated(found.truncated);
        addPeople(r, m_accounts->people(), names);
        return r;
    }
    case v1::Query::kTriageTrain:
    case v1::Query::kTriageEval: {
        if (!actor.isAdmin())
            return queryFail(q, "auth.forbidden", "only an administrator can train or evaluate triage");
        if (!m_triage)
            return queryFail(q, "triage.off", "triage is off on this server (triage.enabled)");
        std::vector<v1::TriageExample> examples(q.triage_eval().examples().begin(),
                                                q.triage_eval().examples().end());
        auto report = q.kind_case() == v1::Query::kTriageTrain ? m_triage->train()
                                                               : m_triage->evaluate(examples);
        if (!report)
            return queryFail(q, report.failure().code, report.failure().message);
        *r.mutable_triage() = std::move(*report);
        return r;
    }
    case v1::Query::kGetCaseProof:
        return caseProof(actor, q, now);
    default:
        return queryFail(q, "query.unknown", "the query names no known request");
    }
}

// Seen by exactly those who may read the timeline: the proof is the timeline, with its evidence.
v1::QueryResult Service::caseProof(const Actor& actor, const v1::Query& q, std::int64_t now)
{
    const std::string& id = q.get_case_proof().case_id();
    auto view = m_store.read();
    auto c = view->loadCase(id);
    if (!c || !canSee(*m_config, actor, *c, now))
        return queryFail(q, "case.not_found", "there is no case " + id + " that you can see");
    if (!m_proofs)
        return queryFail(q, "proof.unavailable",
                         "this server does not prove its history (no audit log proofs are set up)");
    auto events = view->caseEvents(id);
    view.reset(); // the proof may sign a checkpoint; hold no read snapshot meanwhile
    auto proof = m_proofs->proveCase(events);
    if (!proof)
        return queryFail(q, proof.failure().code, proof.failure().message);
    v1::QueryResult r;
    r.set_query_id(q.query_id());
    r.set_ok(true);
    std::set<std::string> names{c->assignee(), c->requester(), c->preparer()};
    for (const auto& a : c->approvals())
        names.insert(a.approver());
    for (auto& e : events) {
        names.insert(e.actor());
        *proof->add_events() = std::move(e);
    }
    proof->set_rules_version(m_config->rulesVersion);
    *proof->mutable_case_() = std::move(*c);
    *r.mutable_case_proof() = std::move(*proof);
    addPeople(r, m_accounts->people(), names);
    return r;
}

v1::ActionOffer Service::describeOffer(const Actor& actor, const v1::Case& c,
                                       const ActionSpec& spec, std::int64_t now) const
{
    v1::ActionOffer offer;
    offer.set_action(spec.action);
    offer.set_label(spec.label);
    offer.set_plugin(spec.plugin);
    for (const auto& role : spec.roles)
        offer.add_roles(role);
    offer.set_input_schema(spec.inputSchema);
    if (const v1::ActionRun* last = latestActionRun(c, spec.action))
        offer.set_last_state(last->state());
    const RuleMatchResult match = governingRule(*m_config, c);
    offer.set_gated(match.rule && match.rule->gates(spec.action));
    // Whether it may run now is exactly what deciding the request would say; deciding is pure,
    // so asking costs nothing and records nothing.
    v1::Command probe;
    probe.mutable_request_action()->set_case_id(c.id());
    probe.mutable_request_action()->set_action(spec.action);
    DecideContext ctx{*m_config, now, {}, m_actions};
    const Decision d = decide(ctx, actor, probe, c);
    offer.set_allowed_now(d.accepted);
    if (!d.accepted)
        offer.set_blocked_reason(d.message);
    return offer;
}

void Service::setActionCatalog(const ActionCatalog* catalog)
{
    m_actions = catalog;
    m_engine->setActionCatalog(catalog);
}

std::uint64_t Service::snapshot(const Actor& actor, std::uint64_t cursor,
                                const std::function<void(v1::SnapshotPage&&)>& emit)
{
    auto view = m_store.read();
    const std::uint64_t head = view->headSeq();
    const std::int64_t now = m_clock();
    const std::size_t pageBytes = m_config->limits.snapshotPageBytes;
    const bool reset = cursor == 0 || cursor > head
                       || head - cursor > m_config->limits.resetAfterEvents;

    v1::SnapshotPage page;
    page.set_reset(reset);
    std::size_t bytes = 0;
    auto flush = [&](bool last) {
        page.set_last(last);
        if (last)
            page.set_upto_seq(head);
        emit(std::move(page));
        page = v1::SnapshotPage{};
        bytes = 0;
    };
    auto add = [&](const v1::Case& c) {
        v1::CaseSnapshot snap;
        *snap.mutable_case_() = c;
        for (auto& e : view->caseEvents(c.id()))
            *snap.add_events() = std::move(e);
        const std::size_t size = snapshotSize(snap);
        if (bytes > 0 && bytes + size > pageBytes)
            flush(false);
        bytes += size;
        *page.add_cases() = std::move(snap);
    };

    if (reset) {
        forEachCase(*view, [&](const v1::Case& c) {
            if (canSee(*m_config, actor, c, now))
                add(c);
        }, 200);
    } else {
        for (const auto& id : view->casesTouchedAfter(cursor)) {
            auto c = view->loadCase(id);
            if (c && canSee(*m_config, actor, *c, now))
                add(*c);
            else
                page.add_revoked(id); // the client drops it if it has it
        }
    }
    flush(true);
    return head;
}

SessionUpdate Service::updateFor(const Actor& actor, const CommittedBatch& batch) const
{
    SessionUpdate u;
    const std::int64_t now = m_clock();
    for (const auto& change : batch.changes) {
        const bool before = canSee(*m_config, actor, change.before, now);
        const bool after = canSee(*m_config, actor, change.after, now);
        if (before && after) {
            for (const auto& e : change.events)
                *u.batch.add_events() = e;
        } else if (after) {
            // Newly in view (created, assigned to me, waiting for my approval): send it whole.
            v1::CaseSnapshot snap;
            *snap.mutable_case_() = change.after;
            if (change.before.id().empty()) {
                for (const auto& e : change.events) // a new case: its whole history is here
                    *snap.add_events() = e;
            } else {
                // Read now, the case may already have moved on: keep the history as of this batch,
                // later events reach the session in their own batches.
                for (auto& e : m_store.read()->caseEvents(change.after.id())) {
                    if (e.seq() <= change.after.last_seq())
                        *snap.add_events() = std::move(e);
                }
            }
            *u.batch.add_cases() = std::move(snap);
        } else if (before) {
            v1::Revoke revoke;
            revoke.set_case_id(change.after.id());
            revoke.set_reason("the case left your view");
            u.revokes.push_back(std::move(revoke));
        }
    }
    u.batch.set_upto_seq(batch.uptoSeq);
    return u;
}

} // namespace latch::core
