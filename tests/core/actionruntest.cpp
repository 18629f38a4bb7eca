// A run's life after its request, decided by the core: cancels (who may ask, when, what is
// recorded) and later updates from the external system (found by key or external id, nothing new
// refused, a plugin records its own actions only), and how the fold settles a run's state when
// updates and the host's result meet. A stand-in catalog offers stripe.refund; no plugin runs.
#include "corefixture.h"
#include "latch/casefold.h"

using namespace latch;

namespace {

// Offers stripe.refund on refund cases, run by `roles`.
class FakeCatalog final : public core::ActionCatalog {
public:
    std::vector<std::string> roles;

    std::vector<core::ActionSpec> offers(const v1::Case& c) const override
    {
        if (c.type() != "refund")
            return {};
        core::ActionSpec spec;
        spec.action = "stripe.refund";
        spec.label = "Refund via Stripe";
        spec.plugin = "stripe";
        spec.roles = roles;
        return { spec };
    }
    Expected<core::PlannedAction> plan(const v1::Case& c, const std::string&) const override
    {
        return core::PlannedAction { R"({"amount":)" + std::to_string(c.amount().minor()) + "}",
            "Refund via Stripe" };
    }
    std::optional<std::vector<std::string>> runRoles(
        const v1::Case&, const std::string& action) const override
    {
        if (action != "stripe.refund")
            return std::nullopt;
        return roles;
    }
};

} // namespace

class ActionRunTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cancelIsRecordedForTheRunInProgress();
    void cancelRefusals();
    void cancelNeedsARoleThatMayRunIt();
    void updateFindsItsRunByKeyOrExternalId();
    void updateRefusals();
    void updateWhileRunningDefersToTheHostsResult();
    void updateAfterTheResultChangesTheState();
    void foldEqualsRow();

private:
    std::string requestedRun(); // a small refund case with a run requested
    v1::CommandResult cancel(const std::string& who, const std::string& id,
        const std::string& reason = "customer withdrew");
    v1::CommandResult finish(const std::string& id, v1::ActionState state,
        const std::string& externalId = "re_1", const std::string& status = "succeeded");
    v1::CommandResult update(const std::string& id, const std::string& key,
        const std::string& externalId, const std::string& status, v1::ActionState state,
        const std::string& actor = "plugin:stripe");
    const v1::ActionRun& run(const v1::Case& c) { return c.actions(c.actions_size() - 1); }

    std::unique_ptr<CoreFixture> m_core;
    FakeCatalog m_catalog;
};

void ActionRunTest::init()
{
    m_catalog.roles = {};
    m_core = std::make_unique<CoreFixture>();
    // The catalog must be in place before the writer starts.
    m_core->close();
    m_core->open(false);
    m_core->service->setActionCatalog(&m_catalog);
    m_core->service->start();
}

void ActionRunTest::cleanup()
{
    m_core.reset();
}

std::string ActionRunTest::requestedRun()
{
    // 50.00 USD: under the rule's threshold, so no approval gates the run.
    const std::string id = m_core->createRefund("mkim", 5000);
    v1::Command c;
    c.mutable_request_action()->set_case_id(id);
    c.mutable_request_action()->set_action("stripe.refund");
    const auto r = m_core->run("mkim", c);
    if (!r.accepted())
        qWarning("request refused: %s", r.message().c_str());
    return id;
}

v1::CommandResult ActionRunTest::cancel(
    const std::string& who, const std::string& id, const std::string& reason)
{
    v1::Command c;
    c.mutable_cancel_action()->set_case_id(id);
    c.mutable_cancel_action()->set_action("stripe.refund");
    c.mutable_cancel_action()->set_reason(reason);
    return m_core->run(who, c);
}

v1::CommandResult ActionRunTest::finish(const std::string& id, v1::ActionState state,
    const std::string& externalId, const std::string& status)
{
    const auto c = m_core->load(id);
    v1::Command command;
    command.mutable_record_action()->set_case_id(id);
    auto* f = command.mutable_record_action()->mutable_finished();
    f->set_action("stripe.refund");
    f->set_idempotency_key(run(c).idempotency_key());
    f->set_state(state);
    f->set_external_id(externalId);
    f->set_external_status(status);
    return m_core->service->engine().submitAndWait(
        core::Actor { "plugin:stripe", "stripe", {} }, [&] {
            command.set_command_id(newUuid());
            return command;
        }());
}

v1::CommandResult ActionRunTest::update(const std::string& id, const std::string& key,
    const std::string& externalId, const std::string& status, v1::ActionState state,
    const std::string& actor)
{
    v1::Command command;
    command.set_command_id(newUuid());
    command.mutable_record_action()->set_case_id(id);
    auto* u = command.mutable_record_action()->mutable_updated();
    u->set_action("stripe.refund");
    u->set_idempotency_key(key);
    u->set_external_id(externalId);
    u->set_external_status(status);
    u->set_source("webhook:evt_test");
    u->set_state(state);
    return m_core->service->engine().submitAndWait(core::Actor { actor, actor, {} }, command);
}

void ActionRunTest::cancelIsRecordedForTheRunInProgress()
{
    const std::string id = requestedRun();
    const auto r = cancel("mkim", id);
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto events = m_core->events(id);
    const auto& asked = events.back();
    QVERIFY(asked.has_action_cancel_requested());
    QCOMPARE(asked.actor(), std::string("mkim"));
    QCOMPARE(asked.action_cancel_requested().reason(), std::string("customer withdrew"));
    const auto c = m_core->load(id);
    QCOMPARE(run(c).state(), v1::ACTION_STATE_REQUESTED); // asking is not stopping
    QCOMPARE(asked.action_cancel_requested().idempotency_key(), run(c).idempotency_key());
    QCOMPARE(run(c).cancel_seq(), asked.seq());
    QCOMPARE(run(c).canceled_by(), std::string("mkim"));
    // The host's answer to it ends the run like any result.
    QVERIFY(finish(id, v1::ACTION_STATE_FAILED, "", "").accepted());
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_FAILED);
}

void ActionRunTest::cancelRefusals()
{
    const std::string idle = m_core->createRefund("mkim", 5000);
    const auto before = m_core->events(idle).size();
    QCOMPARE(cancel("mkim", idle).code(), std::string("action.not_running"));
    QCOMPARE(m_core->events(idle).size(), before);

    const std::string id = requestedRun();
    QVERIFY(cancel("mkim", id).accepted());
    QCOMPARE(cancel("jlee", id).code(), std::string("action.cancel_pending"));
    QCOMPARE(cancel("system", id).code(), std::string("command.not_allowed"));
    QVERIFY(finish(id, v1::ACTION_STATE_SUCCEEDED).accepted());
    const auto done = cancel("mkim", id);
    QCOMPARE(done.code(), std::string("action.not_running"));
    QVERIFY2(done.message().find("succeeded") != std::string::npos, done.message().c_str());

    v1::Command other;
    other.mutable_cancel_action()->set_case_id(id);
    other.mutable_cancel_action()->set_action("slack.notify");
    QCOMPARE(m_core->run("mkim", other).code(), std::string("action.unavailable"));
    other.mutable_cancel_action()->set_action("");
    QCOMPARE(m_core->run("mkim", other).code(), std::string("action.bad_name"));
    // A case the user cannot see is reported missing, as for every command.
    QCOMPARE(cancel("atorres", id).code(), std::string("case.not_found"));
}

void ActionRunTest::cancelNeedsARoleThatMayRunIt()
{
    m_catalog.roles = { "operator" };
    const std::string id = m_core->createRefund("mkim", 5000);
    v1::Command c;
    c.mutable_request_action()->set_case_id(id);
    c.mutable_request_action()->set_action("stripe.refund");
    QVERIFY(m_core->run("jlee", c).accepted());
    for (const char* who : { "mkim", "admin" }) {
        const auto r = cancel(who, id);
        QCOMPARE(r.code(), std::string("action.forbidden"));
        const auto blocked = m_core->events(id).back();
        QVERIFY(blocked.has_attempt_blocked());
        QCOMPARE(blocked.actor(), std::string(who));
        QCOMPARE(blocked.attempt_blocked().command(), std::string("cancel:stripe.refund"));
    }
    QCOMPARE(run(m_core->load(id)).cancel_seq(), 0u);
    QVERIFY(cancel("jlee", id).accepted());
}

void ActionRunTest::updateFindsItsRunByKeyOrExternalId()
{
    const std::string id = requestedRun();
    QVERIFY(finish(id, v1::ACTION_STATE_UNKNOWN, "re_1", "pending").accepted());
    const std::string key = run(m_core->load(id)).idempotency_key();
    // By the refund's id alone: the event names the run's key all the same.
    auto r = update(id, "", "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED);
    QVERIFY2(r.accepted(), r.message().c_str());
    const auto last = m_core->events(id).back();
    QCOMPARE(last.action_updated().idempotency_key(), key);
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_SUCCEEDED);
    // By key.
    r = update(id, key, "re_1", "failed", v1::ACTION_STATE_FAILED);
    QVERIFY2(r.accepted(), r.message().c_str());
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_FAILED);
    QCOMPARE(run(m_core->load(id)).external_status(), std::string("failed"));
}

void ActionRunTest::updateRefusals()
{
    const std::string id = requestedRun();
    QVERIFY(finish(id, v1::ACTION_STATE_UNKNOWN, "re_1", "pending").accepted());
    const std::string key = run(m_core->load(id)).idempotency_key();
    const auto before = m_core->events(id).size();
    QCOMPARE(update(id, "latch-nope", "re_other", "succeeded", v1::ACTION_STATE_SUCCEEDED).code(),
        std::string("action.unknown_run"));
    QCOMPARE(update(id, key, "re_other", "succeeded", v1::ACTION_STATE_SUCCEEDED).code(),
        std::string("action.external_mismatch"));
    QCOMPARE(update(id, key, "re_1", "pending", v1::ACTION_STATE_UNSPECIFIED).code(),
        std::string("action.no_change"));
    QCOMPARE(update(id, key, "re_1", "pending", v1::ACTION_STATE_UNKNOWN).code(),
        std::string("action.bad_result"));
    QCOMPARE(
        update(id, key, "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED, "plugin:slack").code(),
        std::string("command.not_allowed"));
    QCOMPARE(update(id, key, "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED, "mkim").code(),
        std::string("command.not_allowed"));
    QCOMPARE(m_core->events(id).size(), before);
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_UNKNOWN);
}

void ActionRunTest::updateWhileRunningDefersToTheHostsResult()
{
    // Stripe reports the refund succeeded while the host still follows it; the host then gives up
    // following (unknown): the reported outcome stands.
    std::string id = requestedRun();
    std::string key = run(m_core->load(id)).idempotency_key();
    QVERIFY(update(id, key, "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED).accepted());
    auto c = m_core->load(id);
    QCOMPARE(run(c).state(), v1::ACTION_STATE_REQUESTED); // still the host's to finish
    QCOMPARE(run(c).reported_state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(run(c).external_status(), std::string("succeeded"));
    QVERIFY(finish(id, v1::ACTION_STATE_UNKNOWN, "re_1", "pending").accepted());
    c = m_core->load(id);
    QCOMPARE(run(c).state(), v1::ACTION_STATE_SUCCEEDED);
    QCOMPARE(run(c).external_status(), std::string("succeeded"));

    // A result the host did establish is its own, whatever was reported before.
    id = requestedRun();
    key = run(m_core->load(id)).idempotency_key();
    QVERIFY(update(id, key, "re_2", "failed", v1::ACTION_STATE_FAILED).accepted());
    QVERIFY(finish(id, v1::ACTION_STATE_SUCCEEDED, "re_2", "succeeded").accepted());
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_SUCCEEDED);
}

void ActionRunTest::updateAfterTheResultChangesTheState()
{
    const std::string id = requestedRun();
    QVERIFY(finish(id, v1::ACTION_STATE_UNKNOWN, "re_1", "pending").accepted());
    const std::string key = run(m_core->load(id)).idempotency_key();
    // A status that settles nothing is kept, the state stays.
    QVERIFY(update(id, key, "re_1", "requires_action", v1::ACTION_STATE_UNSPECIFIED).accepted());
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_UNKNOWN);
    QCOMPARE(run(m_core->load(id)).external_status(), std::string("requires_action"));
    QVERIFY(update(id, key, "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED).accepted());
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_SUCCEEDED);

    // The same command id again records nothing more.
    v1::Command again;
    again.set_command_id("stripe-event-evt_again");
    again.mutable_record_action()->set_case_id(id);
    auto* u = again.mutable_record_action()->mutable_updated();
    u->set_idempotency_key(key);
    u->set_external_id("re_1");
    u->set_external_status("failed");
    u->set_state(v1::ACTION_STATE_FAILED);
    const core::Actor plugin { "plugin:stripe", "stripe", {} };
    QVERIFY(m_core->service->engine().submitAndWait(plugin, again).accepted());
    const auto count = m_core->events(id).size();
    const auto replay = m_core->service->engine().submitAndWait(plugin, again);
    QVERIFY(replay.accepted());
    QVERIFY(replay.replayed());
    QCOMPARE(m_core->events(id).size(), count);
    QCOMPARE(run(m_core->load(id)).state(), v1::ACTION_STATE_FAILED);
}

void ActionRunTest::foldEqualsRow()
{
    // Every kind of event above, folded from the history, gives the stored row.
    const std::string id = requestedRun();
    const std::string key = run(m_core->load(id)).idempotency_key();
    QVERIFY(update(id, key, "re_1", "succeeded", v1::ACTION_STATE_SUCCEEDED).accepted());
    QVERIFY(cancel("mkim", id).accepted());
    QVERIFY(finish(id, v1::ACTION_STATE_UNKNOWN, "re_1", "pending").accepted());
    QVERIFY(update(id, key, "re_1", "failed", v1::ACTION_STATE_FAILED).accepted());
    const auto row = m_core->load(id);
    const auto folded = foldEvents(m_core->events(id));
    QCOMPARE(folded.SerializeAsString(), row.SerializeAsString());
    QCOMPARE(run(row).state(), v1::ACTION_STATE_FAILED);
}

QTEST_GUILESS_MAIN(ActionRunTest)
#include "actionruntest.moc"
