// The approval rules engine: which rule applies (thresholds, fail-safe currencies, fields), who
// may approve and, when refused, the exact code and sentence; stages in order; expiry and voided
// approvals; and what `latchctl rules check` shows.
#include "core/rules.h"

#include "core/config.h"
#include "latch/hashing.h"
#include "latch/money.h"

#include <QtTest>

using latch::core::Actor;
using latch::core::checkApprover;
using latch::core::Config;

namespace {

// 2026-11-24 09:22 UTC: 72 hours before 2026-11-27 09:22 UTC.
constexpr std::int64_t kT0 = 1795512120000;
constexpr std::int64_t kHour = 3600 * 1000;

const char* const kTestRules = R"(roles: [operator, finance, legal]
queues:
  support: {roles: [operator], types: [refund, escalation, other]}
  finance: {roles: [finance], types: [vendor_bank_change]}
rules:
  - name: eu-escalation
    when: {type: escalation, fields: {region: EU, customer: acme}}
    requires: {approvals: 1, approver_roles: [legal]}
  - name: big-refund
    when: {type: refund, amount_over: "1000.00 USD"}
    requires:
      approvals: 1
      approver_roles: [finance]
      approver_not: [preparer, requester, assignee]
      expires_after: 72h
    gates_actions: [stripe.refund]
  - name: other-at-least
    when: {type: other, amount_at_least: ["500.00 USD", "1000 JPY"]}
    requires: {approvals: 2, approver_roles: [finance, legal]}
  - name: any-other
    when: {type: other}
    requires: {approvals: 1, approver_roles: [operator]}
)";

Config load(const std::string& text, const char* name)
{
    auto config = latch::core::parseConfig(text, name);
    if (!config) {
        qFatal("%s", config.failure().message.c_str());
    }
    return *config;
}

const Config& builtIn()
{
    static const Config config = load(latch::core::builtInConfigText(), "<built-in>");
    return config;
}

const Config& testRules()
{
    static const Config config = load(kTestRules, "test.yaml");
    return config;
}

latch::v1::Case makeCase(const std::string& type, const std::string& amount,
    latch::v1::CaseStatus status = latch::v1::CASE_STATUS_AWAITING_APPROVAL)
{
    latch::v1::Case c;
    c.set_id("0190163d-8694-739b-aea5-966c26f8ad91");
    c.set_type(type);
    c.set_status(status);
    c.set_preparer("mkim");
    c.set_requester("rpatel");
    c.set_assignee("asato");
    if (!amount.empty()) {
        auto money = latch::parseMoney(amount);
        Q_ASSERT(money.ok());
        c.mutable_amount()->set_minor(money->minor);
        c.mutable_amount()->set_currency(money->currency);
    }
    c.set_facts_hash(latch::factsHash(c));
    return c;
}

void addApproval(latch::v1::Case& c, const std::string& who, const std::string& role, int stage,
    std::int64_t timeMs)
{
    auto* a = c.add_approvals();
    a->set_approver(who);
    a->set_role(role);
    a->set_stage(stage);
    a->set_time_ms(timeMs);
    a->set_facts_hash(c.facts_hash());
}

Actor person(const std::string& id, std::vector<std::string> roles, const std::string& name = {})
{
    return Actor { id, name, std::move(roles) };
}

latch::v1::User user(const std::string& name, std::vector<std::string> roles, bool disabled = false)
{
    latch::v1::User u;
    u.set_id(name);
    u.set_username(name);
    u.set_display_name(name);
    for (const auto& r : roles) {
        u.add_roles(r);
    }
    u.set_disabled(disabled);
    return u;
}

QStringList list(const google::protobuf::RepeatedPtrField<std::string>& items)
{
    QStringList out;
    for (const auto& s : items) {
        out << QString::fromStdString(s);
    }
    return out;
}

// Everyone a check might consider; mkim prepares and rpatel requests every test case.
std::vector<latch::v1::User> people()
{
    return { user("atorres", { "finance" }), user("bwong", { "finance" }, true),
        user("mkim", { "finance" }), user("rpatel", { "finance", "admin" }),
        user("jlee", { "operator" }), user("root", { "admin" }),
        user("cfin", { "admin", "finance" }), user("asato", { "finance" }),
        user("triage", { "finance" }) };
}

} // namespace

class RulesTest : public QObject {
    Q_OBJECT

private slots:
    void matching_data();
    void matching();
    void matchExplanations();
    void firstMatchWins();

    void refusals_data();
    void refusals();
    void allowedApprover();
    void assigneeOnlyWhenExcluded();
    void stagesInOrder();
    void expiry();
    void voidedApprovalsDoNotCount();
    void recordedRuleIsKeptWhileItMatches();

    void explainBeforeAndAfter();
    void explainStages();
    void explainNoRule();
    void explainExpiredAndExcluded();
    void describeRequirement();
};

void RulesTest::matching_data()
{
    QTest::addColumn<bool>("builtin");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("amount");
    QTest::addColumn<QString>("rule"); // "" when none applies

    QTest::newRow("exactly the over threshold") << true << "refund"
                                                << "1000.00 USD"
                                                << "";
    QTest::newRow("a cent over") << true << "refund"
                                 << "1000.01 USD"
                                 << "refund-above-threshold";
    QTest::newRow("GBP has its own threshold") << true << "refund"
                                               << "800.01 GBP"
                                               << "refund-above-threshold";
    QTest::newRow("GBP under") << true << "refund"
                               << "800.00 GBP"
                               << "";
    QTest::newRow("unlisted currency fails safe") << true << "refund"
                                                  << "1.00 CHF"
                                                  << "refund-above-threshold";
    QTest::newRow("no amount") << true << "refund"
                               << ""
                               << "";
    QTest::newRow("other type") << true << "escalation"
                                << "5000.00 USD"
                                << "";
    QTest::newRow("rule without thresholds") << true << "vendor_bank_change"
                                             << ""
                                             << "vendor-bank-change";
    QTest::newRow("EUR with USD-only threshold") << false << "refund"
                                                 << "10.00 EUR"
                                                 << "big-refund";
    QTest::newRow("at least: exactly") << false << "other"
                                       << "500.00 USD"
                                       << "other-at-least";
    QTest::newRow("at least: a cent under") << false << "other"
                                            << "499.99 USD"
                                            << "any-other";
    QTest::newRow("at least: JPY") << false << "other"
                                   << "1000 JPY"
                                   << "other-at-least";
    QTest::newRow("at least: JPY under") << false << "other"
                                         << "999 JPY"
                                         << "any-other";
}

void RulesTest::matching()
{
    QFETCH(bool, builtin);
    QFETCH(QString, type);
    QFETCH(QString, amount);
    QFETCH(QString, rule);
    const auto match = latch::core::matchRule(
        builtin ? builtIn() : testRules(), makeCase(type.toStdString(), amount.toStdString()));
    QCOMPARE(QString::fromStdString(match.rule ? match.rule->name : ""), rule);
    QVERIFY(!match.explanation.empty());
}

void RulesTest::matchExplanations()
{
    const auto explain = [](const Config& config, const latch::v1::Case& c) {
        return QString::fromStdString(latch::core::matchRule(config, c).explanation);
    };
    QCOMPARE(explain(builtIn(), makeCase("refund", "2400 USD")),
        "refund-above-threshold: type is refund and 2,400.00 USD is over 1,000.00 USD");
    QCOMPARE(explain(testRules(), makeCase("refund", "10.00 EUR")),
        "big-refund: type is refund and no threshold for EUR is configured, so the rule applies");
    QCOMPARE(explain(builtIn(), makeCase("escalation", "")), "no rule applies to type escalation");
    QCOMPARE(explain(builtIn(), makeCase("refund", "1000.00 USD")),
        "no rule applies: refund-above-threshold does not, because 1,000.00 USD is not over "
        "1,000.00 USD");
    QCOMPARE(explain(builtIn(), makeCase("refund", "")),
        "no rule applies: refund-above-threshold does not, because the case has no amount and the "
        "rule has amount thresholds");
    QCOMPARE(explain(testRules(), makeCase("other", "600.00 USD")),
        "other-at-least: type is other and 600.00 USD is at least 500.00 USD");
}

void RulesTest::firstMatchWins()
{
    // eu-escalation needs both fields: customer (a case fact) and region (a free field).
    auto c = makeCase("escalation", "");
    QVERIFY(!latch::core::matchRule(testRules(), c).rule);
    c.set_customer("acme");
    auto* region = c.add_fields();
    region->set_key("region");
    region->set_value("US");
    auto match = latch::core::matchRule(testRules(), c);
    QVERIFY(!match.rule);
    QCOMPARE(QString::fromStdString(match.explanation),
        "no rule applies: eu-escalation does not, because region is US, not EU");
    region->set_value("EU");
    match = latch::core::matchRule(testRules(), c);
    QVERIFY(match.rule);
    QCOMPARE(QString::fromStdString(match.explanation),
        "eu-escalation: type is escalation and customer is acme and region is EU");

    // other-at-least and any-other both match 600 USD; the earlier one applies.
    QCOMPARE(latch::core::matchRule(testRules(), makeCase("other", "600 USD")).rule->name,
        std::string("other-at-least"));
    QCOMPARE(latch::core::matchRule(testRules(), makeCase("other", "")).rule->name,
        std::string("any-other"));
}

void RulesTest::refusals_data()
{
    QTest::addColumn<QString>("status"); // "review" or "awaiting"
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("actorId");
    QTest::addColumn<QString>("actorName");
    QTest::addColumn<QStringList>("roles");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("reason");

    QTest::newRow("not awaiting") << "review"
                                  << "refund"
                                  << "atorres"
                                  << "" << QStringList { "finance" } << "approval.not_awaiting"
                                  << "the case is in review, not awaiting approval";
    QTest::newRow("no rule") << "awaiting"
                             << "escalation"
                             << "atorres"
                             << "" << QStringList { "finance" } << "approval.no_rule"
                             << "there is nothing to approve: no rule applies to type escalation";
    QTest::newRow("service actor") << "awaiting"
                                   << "refund"
                                   << "triage"
                                   << "" << QStringList { "finance" } << "approval.not_person"
                                   << "";
    QTest::newRow("plugin actor") << "awaiting"
                                  << "refund"
                                  << "plugin:stripe"
                                  << "" << QStringList { "finance" } << "approval.not_person"
                                  << "";
    QTest::newRow("preparer")
        << "awaiting"
        << "refund"
        << "mkim"
        << "M. Kim" << QStringList { "finance" } << "approval.self_approval"
        << "M. Kim prepared this case; the two-person rule needs someone else to approve it";
    QTest::newRow("admin with finance who prepared")
        << "awaiting"
        << "refund"
        << "mkim"
        << "" << QStringList { "admin", "finance" } << "approval.self_approval"
        << "mkim prepared this case; the two-person rule needs someone else to approve it";
    QTest::newRow("requester")
        << "awaiting"
        << "refund"
        << "rpatel"
        << "R. Patel" << QStringList { "finance", "admin" } << "approval.requester"
        << "R. Patel requested this case; the two-person rule needs someone else to approve it";
    QTest::newRow("wrong role") << "awaiting"
                                << "refund"
                                << "jlee"
                                << "" << QStringList { "operator" } << "approval.role"
                                << "approving needs the finance role; jlee has operator";
    QTest::newRow("admin without finance") << "awaiting"
                                           << "refund"
                                           << "root"
                                           << "Root" << QStringList { "admin" } << "approval.role"
                                           << "approving needs the finance role; Root has admin";
    QTest::newRow("no roles") << "awaiting"
                              << "refund"
                              << "nobody"
                              << "" << QStringList {} << "approval.role"
                              << "approving needs the finance role; nobody has no roles";
}

void RulesTest::refusals()
{
    QFETCH(QString, status);
    QFETCH(QString, type);
    QFETCH(QString, actorId);
    QFETCH(QString, actorName);
    QFETCH(QStringList, roles);
    QFETCH(QString, code);
    QFETCH(QString, reason);

    auto c = makeCase(type.toStdString(), "2400.00 USD",
        status == "review" ? latch::v1::CASE_STATUS_IN_REVIEW
                           : latch::v1::CASE_STATUS_AWAITING_APPROVAL);
    std::vector<std::string> roleNames;
    for (const QString& r : roles) {
        roleNames.push_back(r.toStdString());
    }
    const auto check = checkApprover(
        builtIn(), c, person(actorId.toStdString(), roleNames, actorName.toStdString()), kT0);
    QVERIFY(!check.allowed);
    QCOMPARE(QString::fromStdString(check.code), code);
    QVERIFY(!check.reason.empty());
    if (!reason.isEmpty()) {
        QCOMPARE(QString::fromStdString(check.reason), reason);
    }
}

void RulesTest::allowedApprover()
{
    auto c = makeCase("refund", "2400.00 USD");
    auto check = checkApprover(builtIn(), c, person("atorres", { "operator", "finance" }), kT0);
    QVERIFY2(check.allowed, check.reason.c_str());
    QCOMPARE(check.stage, 0);
    QCOMPARE(check.role, std::string("finance"));
    QVERIFY(check.code.empty());

    // Once atorres's approval is in, a second one from atorres is a duplicate.
    addApproval(c, "atorres", "finance", 0, kT0);
    QVERIFY(latch::core::ruleSatisfied(*builtIn().rules.data(), c, kT0 + 1));
    check = checkApprover(builtIn(), c, person("atorres", { "finance" }, "A. Torres"), kT0 + 1);
    QVERIFY(!check.allowed);
    QCOMPARE(check.code, std::string("approval.duplicate"));
    QVERIFY2(check.reason.find("A. Torres has already approved") == 0, check.reason.c_str());
}

void RulesTest::assigneeOnlyWhenExcluded()
{
    auto c = makeCase("refund", "2400.00 USD");
    // The built-in refund rule does not exclude the assignee...
    auto check = checkApprover(builtIn(), c, person("asato", { "finance" }), kT0);
    QVERIFY2(check.allowed, check.reason.c_str());
    // ...big-refund does.
    check = checkApprover(testRules(), c, person("asato", { "finance" }, "A. Sato"), kT0);
    QVERIFY(!check.allowed);
    QCOMPARE(check.code, std::string("approval.assignee"));
    QCOMPARE(check.reason,
        std::string("A. Sato is assigned to this case and rule big-refund does not let the "
                    "assignee approve it"));
}

void RulesTest::stagesInOrder()
{
    auto c = makeCase("vendor_bank_change", "");
    const auto& rule = builtIn().rules.at(1);
    QCOMPARE(rule.name, std::string("vendor-bank-change"));

    // The admin's stage comes second: an admin first is told stage 1 is not done.
    auto check = checkApprover(builtIn(), c, person("root", { "admin" }), kT0);
    QVERIFY(!check.allowed);
    QCOMPARE(check.code, std::string("approval.role"));
    QCOMPARE(check.reason,
        std::string("stage 1 is not done yet: it needs 1 approval from finance before admin can "
                    "approve stage 2; root has admin"));

    // Someone with both roles approves the current stage, with the current stage's role.
    check = checkApprover(builtIn(), c, person("cfin", { "admin", "finance" }), kT0);
    QVERIFY(check.allowed);
    QCOMPARE(check.stage, 0);
    QCOMPARE(check.role, std::string("finance"));

    addApproval(c, "atorres", "finance", 0, kT0);
    QVERIFY(!latch::core::ruleSatisfied(rule, c, kT0));

    // Stage 2 now: finance alone no longer qualifies, admin does.
    check = checkApprover(builtIn(), c, person("bwong", { "finance" }), kT0);
    QVERIFY(!check.allowed);
    QCOMPARE(check.reason, std::string("approving needs the admin role; bwong has finance"));
    check = checkApprover(builtIn(), c, person("root", { "admin" }), kT0);
    QVERIFY2(check.allowed, check.reason.c_str());
    QCOMPARE(check.stage, 1);
    QCOMPARE(check.role, std::string("admin"));

    // The finance approver cannot also be the admin approver.
    check = checkApprover(builtIn(), c, person("atorres", { "admin", "finance" }), kT0);
    QCOMPARE(check.code, std::string("approval.duplicate"));

    addApproval(c, "root", "admin", 1, kT0);
    QVERIFY(latch::core::ruleSatisfied(rule, c, kT0));
}

void RulesTest::expiry()
{
    const auto& rule = builtIn().rules.at(0);
    auto c = makeCase("refund", "2400.00 USD");
    addApproval(c, "atorres", "finance", 0, kT0);

    std::vector<std::string> notes;
    QCOMPARE(
        latch::core::liveApprovals(rule, c, kT0 + 72 * kHour - 1, &notes).size(), std::size_t(1));
    QVERIFY(notes.empty());
    QVERIFY(latch::core::ruleSatisfied(rule, c, kT0 + 72 * kHour - 1));

    QVERIFY(latch::core::liveApprovals(rule, c, kT0 + 72 * kHour, &notes).empty());
    QCOMPARE(
        notes, std::vector<std::string> { "approval by atorres expired at 2026-11-27 09:22 UTC" });
    QVERIFY(!latch::core::ruleSatisfied(rule, c, kT0 + 72 * kHour));

    // The expired approver may approve afresh; it is not a duplicate.
    const auto check
        = checkApprover(builtIn(), c, person("atorres", { "finance" }), kT0 + 80 * kHour);
    QVERIFY2(check.allowed, check.reason.c_str());

    // A rule without expiry keeps approvals indefinitely.
    auto bank = makeCase("vendor_bank_change", "");
    addApproval(bank, "atorres", "finance", 0, kT0);
    QCOMPARE(latch::core::liveApprovals(builtIn().rules.at(1), bank, kT0 + 10000 * kHour).size(),
        std::size_t(1));
}

void RulesTest::voidedApprovalsDoNotCount()
{
    const auto& rule = builtIn().rules.at(0);
    auto c = makeCase("refund", "2400.00 USD");
    addApproval(c, "atorres", "finance", 0, kT0);
    QVERIFY(latch::core::ruleSatisfied(rule, c, kT0));

    // The amount changes after the approval: the approval was for other facts.
    c.mutable_amount()->set_minor(990000);
    c.set_facts_hash(latch::factsHash(c));
    std::vector<std::string> notes;
    QVERIFY(latch::core::liveApprovals(rule, c, kT0, &notes).empty());
    QCOMPARE(notes.size(), std::size_t(1));
    QVERIFY2(notes[0].find("approval by atorres") == 0
            && notes[0].find("no longer counts") != std::string::npos,
        notes[0].c_str());
    QVERIFY(!latch::core::ruleSatisfied(rule, c, kT0));
    const auto check = checkApprover(builtIn(), c, person("atorres", { "finance" }), kT0);
    QVERIFY2(check.allowed, check.reason.c_str());
}

void RulesTest::recordedRuleIsKeptWhileItMatches()
{
    // 600 USD of type other matches other-at-least first; any-other also matches.
    auto c = makeCase("other", "600.00 USD");
    const Actor jlee = person("jlee", { "operator" });
    QCOMPARE(checkApprover(testRules(), c, jlee, kT0).code, std::string("approval.role"));

    // Marked ready under any-other: that rule keeps governing while it still matches.
    c.set_rule("any-other");
    auto check = checkApprover(testRules(), c, jlee, kT0);
    QVERIFY2(check.allowed, check.reason.c_str());
    QCOMPARE(latch::core::explain(testRules(), c, people(), kT0).rule(), std::string("any-other"));

    // A recorded rule that no longer matches gives way to the rule that matches now, with a note.
    c.set_rule("big-refund");
    QCOMPARE(checkApprover(testRules(), c, jlee, kT0).code, std::string("approval.role"));
    const auto explained = latch::core::explain(testRules(), c, people(), kT0);
    QCOMPARE(explained.rule(), std::string("other-at-least"));
    QCOMPARE(list(explained.notes()),
        QStringList { "rule big-refund applied when the case was marked ready but no longer "
                      "matches its facts" });
}

void RulesTest::explainBeforeAndAfter()
{
    auto c = makeCase("refund", "2400.00 USD");
    c.set_rule("refund-above-threshold");
    auto check = latch::core::explain(builtIn(), c, people(), kT0);
    QVERIFY(check.matched());
    QCOMPARE(check.rule(), std::string("refund-above-threshold"));
    QCOMPARE(check.explanation(),
        std::string(
            "refund-above-threshold: type is refund and 2,400.00 USD is over 1,000.00 USD"));
    QCOMPARE(check.stages_size(), 1);
    QCOMPARE(check.stages(0).required(), 1u);
    QCOMPARE(list(check.stages(0).approver_roles()), QStringList { "finance" });
    QVERIFY(check.stages(0).approved_by().empty());
    // Not bwong (disabled), mkim (preparer), rpatel (requester), jlee/root (roles), triage
    // (a service); asato is the assignee, whom this rule does not exclude.
    QCOMPARE(list(check.stages(0).eligible()), (QStringList { "atorres", "cfin", "asato" }));
    QVERIFY(!check.stages(0).satisfied());
    QVERIFY(!check.satisfied());
    QCOMPARE(list(check.gated_actions()), QStringList { "stripe.refund" });
    QVERIFY(check.allowed_actions().empty());
    QCOMPARE(list(check.missing()),
        QStringList { "stage 1: 1 more approval from finance (eligible: atorres, cfin, asato)" });

    addApproval(c, "atorres", "finance", 0, kT0);
    c.set_status(latch::v1::CASE_STATUS_APPROVED);
    check = latch::core::explain(builtIn(), c, people(), kT0 + 1);
    QVERIFY(check.satisfied());
    QCOMPARE(list(check.stages(0).approved_by()), QStringList { "atorres" });
    QVERIFY(check.stages(0).satisfied());
    QVERIFY(check.missing().empty());
    QCOMPARE(list(check.allowed_actions()), QStringList { "stripe.refund" });

    // Satisfied but closed: nothing may run.
    c.set_status(latch::v1::CASE_STATUS_CLOSED);
    check = latch::core::explain(builtIn(), c, people(), kT0 + 1);
    QVERIFY(check.satisfied());
    QVERIFY(check.allowed_actions().empty());
}

void RulesTest::explainStages()
{
    auto c = makeCase("vendor_bank_change", "");
    auto check = latch::core::explain(builtIn(), c, people(), kT0);
    QCOMPARE(check.stages_size(), 2);
    QCOMPARE(list(check.stages(0).eligible()), (QStringList { "atorres", "cfin", "asato" }));
    QCOMPARE(list(check.stages(1).eligible()), (QStringList { "root", "cfin" }));
    QCOMPARE(list(check.missing()),
        (QStringList { "stage 1: 1 more approval from finance (eligible: atorres, cfin, asato)",
            "stage 2: 1 more approval from admin (eligible: root, cfin)" }));

    addApproval(c, "cfin", "finance", 0, kT0);
    check = latch::core::explain(builtIn(), c, people(), kT0);
    QVERIFY(check.stages(0).satisfied());
    QVERIFY(check.stages(0).eligible().empty());
    // cfin has approved stage 1 and so cannot also approve stage 2.
    QCOMPARE(list(check.stages(1).eligible()), QStringList { "root" });
    QCOMPARE(list(check.missing()),
        QStringList { "stage 2: 1 more approval from admin (eligible: root)" });
    QCOMPARE(list(check.gated_actions()), QStringList { "erp.update_bank_details" });
    QVERIFY(check.allowed_actions().empty());
}

void RulesTest::explainNoRule()
{
    const auto check
        = latch::core::explain(builtIn(), makeCase("escalation", "900 USD"), people(), kT0);
    QVERIFY(!check.matched());
    QVERIFY(check.rule().empty());
    QCOMPARE(check.explanation(), std::string("no rule applies to type escalation"));
    QVERIFY(check.satisfied());
    QVERIFY(check.gated_actions().empty());
    QVERIFY(check.allowed_actions().empty());
    QVERIFY(check.stages().empty());
}

void RulesTest::explainExpiredAndExcluded()
{
    auto c = makeCase("refund", "2400.00 USD");
    addApproval(c, "atorres", "finance", 0, kT0);
    const auto check = latch::core::explain(testRules(), c, people(), kT0 + 100 * kHour);
    QCOMPARE(check.rule(), std::string("big-refund"));
    QVERIFY(!check.satisfied());
    QCOMPARE(
        list(check.notes()), QStringList { "approval by atorres expired at 2026-11-27 09:22 UTC" });
    // big-refund excludes the assignee; atorres's approval expired, so atorres may approve again.
    QCOMPARE(list(check.stages(0).eligible()), (QStringList { "atorres", "cfin" }));

    // Nobody eligible is said plainly.
    const auto none
        = latch::core::explain(testRules(), c, { user("jlee", { "operator" }) }, kT0 + 100 * kHour);
    QCOMPARE(list(none.missing()),
        QStringList { "stage 1: 1 more approval from finance (nobody is eligible now)" });
}

void RulesTest::describeRequirement()
{
    using latch::core::describeRequirement;
    QCOMPARE(describeRequirement(builtIn().rules.at(0)),
        std::string("1 approval from finance, never the preparer or the requester; approvals "
                    "expire after 72h"));
    QCOMPARE(describeRequirement(builtIn().rules.at(1)),
        std::string("1 approval from finance, then 1 approval from admin, never the preparer or "
                    "the requester"));
    QCOMPARE(describeRequirement(testRules().rules.at(1)),
        std::string("1 approval from finance, never the preparer, the requester or the assignee; "
                    "approvals expire after 72h"));
    QCOMPARE(describeRequirement(testRules().rules.at(2)),
        std::string("2 approvals from finance or legal, never the preparer or the requester"));
}

QTEST_GUILESS_MAIN(RulesTest)
#include "rulestest.moc"
