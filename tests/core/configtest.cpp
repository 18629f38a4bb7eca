// The YAML config loader: the built-in config is valid and says what the docs say it does; every
// kind of mistake an admin can make is refused with the file, line and field; nothing in the file
// can switch approvals off.
#include "core/config.h"

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <sstream>

using latch::core::Config;
using latch::core::Exclusion;
using latch::core::parseConfig;

namespace {

// A small valid config; the error cases below each break one line of it.
const char* const kBase = R"(server:
  listen: "127.0.0.1:0"
roles: [operator, finance]
queues:
  support:
    roles: [operator]
    types: [refund, other]
default_queue: support
rules:
  - name: big-refund
    when:
      type: refund
      amount_over: "1000.00 USD"
    requires:
      approvals: 1
      approver_roles: [finance]
      approver_not: [preparer, requester]
      expires_after: 72h
    gates_actions: [stripe.refund]
)";

std::string replaced(const std::string& from, const std::string& to)
{
    std::string text = kBase;
    const std::size_t at = text.find(from);
    Q_ASSERT_X(at != std::string::npos, "replaced", from.c_str());
    text.replace(at, from.size(), to);
    return text;
}

} // namespace

class ConfigTest : public QObject {
    Q_OBJECT

private slots:
    void builtInConfigParses();
    void baseConfigParses();
    void defaultsWhenSectionsAreLeftOut();
    void limitsAndAuthAreRead();
    void slackAndHttpPluginsAreRead();
    void commentedPluginSampleParses();

    void errors_data();
    void errors();

    void bypassKeysAreRefused_data();
    void bypassKeysAreRefused();
    void twoPersonRuleIsAlwaysOn();
    void thresholdForms();
    void multiStageAndAssignee();
    void rulesVersionFollowsRulesOnly();
    void yamlSyntaxError();
    void externalPluginsAreRead();
    void loadFromFile();
    void queueForType();
};

void ConfigTest::builtInConfigParses()
{
    auto config = parseConfig(latch::core::builtInConfigText(), "<built-in>");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    QCOMPARE(config->listen, std::string("127.0.0.1:7443"));
    QCOMPARE(config->allowPlainRemote, false);
    QVERIFY(!config->tls.enabled());
    for (const char* role : { "admin", "support_lead", "operator", "finance" }) {
        QVERIFY2(config->hasRole(role), role);
    }
    QCOMPARE(config->queues.size(), std::size_t(2));
    QCOMPARE(config->queueForType("refund"), std::string("support"));
    QCOMPARE(config->queueForType("vendor_bank_change"), std::string("finance"));
    QCOMPARE(config->defaultQueue, std::string("support"));

    QCOMPARE(config->rules.size(), std::size_t(2));
    const auto& refund = config->rules[0];
    QCOMPARE(refund.name, std::string("refund-above-threshold"));
    QCOMPARE(refund.when.types, std::vector<std::string> { "refund" });
    QCOMPARE(refund.when.amountOver.at("USD"), (latch::Money { 100000, "USD" }));
    QCOMPARE(refund.when.amountOver.at("EUR"), (latch::Money { 100000, "EUR" }));
    QCOMPARE(refund.when.amountOver.at("GBP"), (latch::Money { 80000, "GBP" }));
    QCOMPARE(refund.stages.size(), std::size_t(1));
    QCOMPARE(refund.stages[0].approvals, 1u);
    QCOMPARE(refund.stages[0].approverRoles, std::vector<std::string> { "finance" });
    QVERIFY(refund.approvalExpiry.has_value());
    QCOMPARE(refund.approvalExpiry->count(), 72LL * 3600 * 1000);
    QCOMPARE(refund.gatesActions, std::vector<std::string> { "stripe.refund" });

    const auto& bank = config->rules[1];
    QCOMPARE(bank.name, std::string("vendor-bank-change"));
    QCOMPARE(bank.stages.size(), std::size_t(2));
    QCOMPARE(bank.stages[0].approverRoles, std::vector<std::string> { "finance" });
    QCOMPARE(bank.stages[1].approverRoles, std::vector<std::string> { "admin" });
    QCOMPARE(bank.gatesActions, std::vector<std::string> { "erp.update_bank_details" });
    QVERIFY(!bank.approvalExpiry);
    QCOMPARE(config->rulesVersion.size(), std::size_t(64));

    // The documented limits and auth settings are the compiled-in defaults.
    const latch::core::Limits limits;
    QCOMPARE(config->limits.maxFrameBytes, limits.maxFrameBytes);
    QCOMPARE(config->limits.maxSendQueueBytes, limits.maxSendQueueBytes);
    QCOMPARE(config->limits.snapshotPageBytes, limits.snapshotPageBytes);
    QCOMPARE(config->limits.resetAfterEvents, limits.resetAfterEvents);
    QCOMPARE(config->limits.idleTimeout, limits.idleTimeout);
    QCOMPARE(config->limits.handshakeTimeout, limits.handshakeTimeout);
    QCOMPARE(config->limits.maxHttpBodyBytes, limits.maxHttpBodyBytes);
    const latch::core::AuthConfig auth;
    QCOMPARE(config->auth.tokenTtl, auth.tokenTtl);
    QCOMPARE(config->auth.maxFailuresPerUser, auth.maxFailuresPerUser);
    QCOMPARE(config->auth.maxFailuresPerAddress, auth.maxFailuresPerAddress);
    QCOMPARE(config->auth.failureWindow, auth.failureWindow);
    QCOMPARE(config->auth.passwordOpsLimit, auth.passwordOpsLimit);
    QCOMPARE(config->auth.passwordMemLimitBytes, auth.passwordMemLimitBytes);
}

void ConfigTest::baseConfigParses()
{
    auto config = parseConfig(kBase, "latch.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    QCOMPARE(config->listen, std::string("127.0.0.1:0"));
    // admin is always there, even when the file does not list it.
    QVERIFY(config->hasRole("admin"));
    QVERIFY(!config->hasRole("support_lead"));
    QCOMPARE(config->rules.at(0).line, 10);
    QCOMPARE(config->source, std::string("latch.yaml"));
}

void ConfigTest::defaultsWhenSectionsAreLeftOut()
{
    auto config = parseConfig("queues: {support: {}}\n", "min.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    const latch::core::Limits defaults;
    QCOMPARE(config->limits.maxFrameBytes, defaults.maxFrameBytes);
    QCOMPARE(config->auth.maxFailuresPerUser, 5);
    QCOMPARE(config->roles, std::vector<std::string> { "admin" });
    QVERIFY(config->rules.empty());
    QCOMPARE(config->queueForType("anything"), std::string("support"));
    QCOMPARE(config->plugins.workers, 16u);
    QVERIFY(!config->plugins.stripe.enabled);

    auto withWorkers = parseConfig("queues: {support: {}}\nplugins: {workers: 200}\n", "w.yaml");
    QVERIFY2(withWorkers.ok(), withWorkers ? "" : withWorkers.failure().message.c_str());
    QCOMPARE(withWorkers->plugins.workers, 200u);
}

void ConfigTest::limitsAndAuthAreRead()
{
    auto config = parseConfig(replaced("  listen:",
                                  "  allow_plain_remote: true\n"
                                  "  limits: {max_frame_bytes: 2097152, idle_timeout_s: 30, "
                                  "reset_after_events: 10}\n"
                                  "  listen:")
            + "auth: {token_ttl_hours: 12, failure_window_s: 60}\n",
        "x.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    QVERIFY(config->allowPlainRemote);
    QCOMPARE(config->limits.maxFrameBytes, std::size_t(2097152));
    QCOMPARE(config->limits.idleTimeout, std::chrono::seconds(30));
    QCOMPARE(config->limits.resetAfterEvents, std::uint64_t(10));
    QCOMPARE(config->auth.tokenTtl, std::chrono::hours(12));
    QCOMPARE(config->auth.failureWindow, std::chrono::seconds(60));
    QCOMPARE(config->auth.maxFailuresPerUser, 5);

    // Evidence fits a sync frame with 64 KiB to spare unless set: small frames keep less of it.
    QCOMPARE(config->intake.maxEvidenceBytes, std::size_t(512u << 10));
    const auto small = parseConfig(
        replaced("  listen:", "  limits: {max_frame_bytes: 131072, snapshot_page_bytes: 32768}\n  listen:"), "x.yaml");
    QVERIFY2(small.ok(), small ? "" : small.failure().message.c_str());
    QCOMPARE(small->intake.maxEvidenceBytes, std::size_t(65536));
    QCOMPARE(small->intake.maxAttachmentBytes, std::size_t(65536));
    const auto tiny = parseConfig(
        replaced("  listen:", "  limits: {max_frame_bytes: 65536, snapshot_page_bytes: 32768}\n  listen:")
            + "intake: {max_body_bytes: 4096}\n",
        "x.yaml");
    QVERIFY2(tiny.ok(), tiny ? "" : tiny.failure().message.c_str());
    QCOMPARE(tiny->intake.maxEvidenceBytes, std::size_t(0));
}

void ConfigTest::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // the start of the message: file, line and field

    const auto row = [](const char* name, const std::string& text, const char* expected) {
        QTest::newRow(name) << QString::fromStdString(text) << QString::fromUtf8(expected);
    };
    row("unknown top-level key", replaced("default_queue:", "defualt_queue:"),
        "latch.yaml:8: defualt_queue: unknown key; expected one of server, auth");
    row("unknown key in when", replaced("      type: refund", "      typ: refund"),
        "latch.yaml:12: rules[0].when.typ: unknown key");
    row("evidence that leaves no room in a frame",
        replaced("  listen:", "  limits: {max_frame_bytes: 131072, snapshot_page_bytes: 32768}\n  listen:")
            + "intake: {max_evidence_bytes: 98304}\n",
        "latch.yaml:21: intake.max_evidence_bytes: must leave 64 KiB of "
        "server.limits.max_frame_bytes (131072)");
    row("unknown key in limits", replaced("  listen:", "  limits: {max_frames: 10}\n  listen:"),
        "latch.yaml:2: server.limits.max_frames: unknown key");
    row("bad amount", replaced("\"1000.00 USD\"", "\"1000.000 USD\""),
        "latch.yaml:13: rules[0].when.amount_over: ");
    row("unknown currency", replaced("\"1000.00 USD\"", "{USD: \"1000.00\", XXQ: \"5\"}"),
        "latch.yaml:13: rules[0].when.amount_over.XXQ: ");
    row("negative amount", replaced("\"1000.00 USD\"", "\"-5.00 USD\""),
        "latch.yaml:13: rules[0].when.amount_over: -5.00 USD is negative");
    row("unknown role in rule", replaced("approver_roles: [finance]", "approver_roles: [fnance]"),
        "latch.yaml:16: rules[0].requires.approver_roles: role fnance does not exist");
    row("unknown role in queue", replaced("roles: [operator]\n", "roles: [operators]\n"),
        "latch.yaml:6: queues.support.roles: role operators does not exist");
    row("duplicate rule name",
        std::string(kBase)
            + "  - name: big-refund\n    requires: {approvals: 1, approver_roles: [finance]}\n",
        "latch.yaml:20: rules[1].name: rule big-refund is already defined on line 10");
    row("empty rule name", replaced("name: big-refund", "name: \"\""),
        "latch.yaml:10: rules[0].name: must be a non-empty rule name");
    row("missing rule name", replaced("- name: big-refund\n    when:", "- when:"),
        "latch.yaml:10: rules[0].name: is missing");
    row("approvals 0", replaced("approvals: 1", "approvals: 0"),
        "latch.yaml:15: rules[0].requires.approvals: must be a whole number of at least 1");
    row("approvals not a number", replaced("approvals: 1", "approvals: one"),
        "latch.yaml:15: rules[0].requires.approvals: must be a whole number of at least 1");
    row("approvals unsatisfiable", replaced("approvals: 1", "approvals: 1000"),
        "latch.yaml:15: rules[0].requires.approvals: must be a whole number of at least 1 and at "
        "most 20");
    row("stage approvals 0",
        replaced("      approvals: 1\n      approver_roles: [finance]\n",
            "      stages:\n        - {approvals: 1, approver_roles: [finance]}\n        - "
            "{approvals: 0, approver_roles: [admin]}\n"),
        "latch.yaml:17: rules[0].requires.stages[1].approvals: must be a whole number of at least "
        "1");
    row("stages and approvals together",
        replaced("      approvals: 1\n", "      approvals: 1\n      stages: []\n"),
        "latch.yaml:15: rules[0].requires: give either stages or approvals");
    row("approver_not without preparer",
        replaced("approver_not: [preparer, requester]", "approver_not: [requester]"),
        "latch.yaml:17: rules[0].requires.approver_not: must list both preparer and requester: the "
        "two-person rule cannot be relaxed");
    row("approver_not empty", replaced("approver_not: [preparer, requester]", "approver_not: []"),
        "latch.yaml:17: rules[0].requires.approver_not: must list both preparer and requester");
    row("approver_not unknown kind",
        replaced("[preparer, requester]", "[preparer, requester, manager]"),
        "latch.yaml:17: rules[0].requires.approver_not: \"manager\" is not one of preparer, "
        "requester, assignee");
    row("bad duration", replaced("expires_after: 72h", "expires_after: 3 days"),
        "latch.yaml:18: rules[0].requires.expires_after: must be a duration such as 30m, 72h or "
        "7d, not \"3 days\"");
    row("zero duration", replaced("expires_after: 72h", "expires_after: 0h"),
        "latch.yaml:18: rules[0].requires.expires_after: must be a duration");
    row("bad action id", replaced("[stripe.refund]", "[stripe.refund, Stripe Refund]"),
        "latch.yaml:19: rules[0].gates_actions: \"Stripe Refund\" is not an action id");
    row("action id without plugin", replaced("[stripe.refund]", "[refund]"),
        "latch.yaml:19: rules[0].gates_actions: \"refund\" is not an action id");
    row("duplicate currency in list",
        replaced("\"1000.00 USD\"", "[\"1000.00 USD\", \"2000.00 EUR\", \"$500\"]"),
        "latch.yaml:13: rules[0].when.amount_over[2]: a threshold for USD is already given");
    row("duplicate currency across over and at_least",
        replaced("      amount_over: \"1000.00 USD\"\n",
            "      amount_over: \"1000.00 USD\"\n      amount_at_least: {USD: \"5.00\"}\n"),
        "latch.yaml:14: rules[0].when.amount_at_least.USD: a threshold for USD is already given");
    row("wrong type: roles is a string", replaced("roles: [operator, finance]", "roles: finance"),
        "latch.yaml:3: roles: must be a list of role names");
    row("wrong type: approvals is a list", replaced("approvals: 1", "approvals: [1]"),
        "latch.yaml:15: rules[0].requires.approvals: must be a whole number");
    row("wrong type: rules is a map",
        std::string(kBase).substr(0, std::string(kBase).find("rules:\n")) + "rules:\n  x: 1\n",
        "latch.yaml:10: rules: must be a list of rules");
    row("wrong type: allow_plain_remote",
        replaced("  listen:", "  allow_plain_remote: maybe\n  listen:"),
        "latch.yaml:2: server.allow_plain_remote: must be true or false");
    row("wrong type: when is a list",
        replaced(
            "when:\n      type: refund\n      amount_over: \"1000.00 USD\"\n", "when: [refund]\n"),
        "latch.yaml:11: rules[0].when: must be a map with the keys type, types, amount_over");
    row("type not routed by any queue", replaced("      type: refund", "      type: refnd"),
        "latch.yaml:12: rules[0].when.type: type refnd is not routed by any queue");
    row("duplicate key",
        replaced("      approvals: 1\n", "      approvals: 1\n      approvals: 2\n"),
        "latch.yaml:16: rules[0].requires.approvals: is given twice");
    row("bad listen", replaced("\"127.0.0.1:0\"", "localhost"),
        "latch.yaml:2: server.listen: must be an address and port such as 127.0.0.1:7443");
    row("default queue missing", replaced("default_queue: support", "default_queue: billing"),
        "latch.yaml:8: default_queue: queue billing is not defined under queues");
    row("type in two queues", replaced("queues:\n", "queues:\n  other:\n    types: [refund]\n"),
        "latch.yaml:9: queues.support.types: type refund is already routed to queue other");
    row("tls without key", replaced("  listen:", "  tls: {cert: a.pem}\n  listen:"),
        "latch.yaml:2: server.tls: needs both cert and key");
    row("snapshot page bigger than a frame",
        replaced("  listen:",
            "  limits: {max_frame_bytes: 65536, snapshot_page_bytes: 65536}\n  listen:"),
        "latch.yaml:2: server.limits.snapshot_page_bytes: must be smaller than max_frame_bytes");
    row("auth value", replaced("roles:", "auth: {max_failures_per_user: 0}\nroles:"),
        "latch.yaml:3: auth.max_failures_per_user: must be a whole number of at least 1");
    row("fields value not scalar",
        replaced("      type: refund\n", "      type: refund\n      fields: {region: [EU]}\n"),
        "latch.yaml:13: rules[0].when.fields.region: must be a single value");
    row("requires missing",
        replaced("    requires:\n      approvals: 1\n      approver_roles: [finance]\n      "
                 "approver_not: [preparer, requester]\n      expires_after: 72h\n",
            ""),
        "latch.yaml:10: rules[0].requires: is missing");
    row("empty file", "# nothing here\n", "latch.yaml: the file is empty");
    // Plugins: a misspelt key, a URL that is not one, a role that does not exist.
    row("unknown plugin", std::string(kBase) + "plugins:\n  strip: {enabled: true}\n",
        "latch.yaml:21: plugins.strip: unknown key; expected one of workers, stripe, slack, http, external");
    row("no plugin workers", std::string(kBase) + "plugins:\n  workers: 0\n",
        "latch.yaml:21: plugins.workers: must be a whole number of at least 1");
    row("unknown stripe key", std::string(kBase) + "plugins:\n  stripe: {api_key: sk_live_x}\n",
        "latch.yaml:21: plugins.stripe.api_key: unknown key");
    row("stripe url", std::string(kBase) + "plugins:\n  stripe: {base_url: api.stripe.com}\n",
        "latch.yaml:21: plugins.stripe.base_url: must start with https://");
    row("stripe role", std::string(kBase) + "plugins:\n  stripe: {roles: [finanse]}\n",
        "latch.yaml:21: plugins.stripe.roles: role finanse does not exist");
    // External plugins: the directory is required, time-outs are bounded, settings are checked.
    const std::string external = std::string(kBase) + "plugins:\n  external:\n";
    row("external without dir", external + "    call_timeout_ms: 500\n",
        "latch.yaml:22: plugins.external.dir: is missing");
    row("external call time-out too long",
        external + "    dir: plugins\n    call_timeout_ms: 60000\n",
        "latch.yaml:23: plugins.external.call_timeout_ms: must be a whole number of at least 50 "
        "and at most 10000");
    row("external unknown key", external + "    dir: plugins\n    timeout_ms: 5\n",
        "latch.yaml:23: plugins.external.timeout_ms: unknown key");
    row("external executable is a path",
        external + "    dir: plugins\n    executables: {../bin/tool: {}}\n",
        "latch.yaml:23: plugins.external.executables: \"../bin/tool\" must be a file name");
    row("external env name", external + "    dir: p\n    executables: {t: {env: {A-B: x}}}\n",
        "latch.yaml:23: plugins.external.executables.t.env: \"A-B\" is not an environment "
        "variable name");
    row("external secret also a setting",
        external + "    dir: p\n    executables: {t: {env: {TOKEN: x}, secret_env: [TOKEN]}}\n",
        "latch.yaml:23: plugins.external.executables.t.secret_env: TOKEN is also under env");
    row("external role", external + "    dir: p\n    executables: {t: {roles: [finanse]}}\n",
        "latch.yaml:23: plugins.external.executables.t.roles: role finanse does not exist");
    const std::string http = std::string(kBase) + "plugins:\n  http:\n    - id: erp.update\n";
    const std::string url = "      url: https://erp.example/v/{fields.vendor}\n";
    row("slack webhook as a value",
        std::string(kBase) + "plugins:\n  slack: {webhook_url_env: \"https://hooks.slack.com/x\"}\n",
        "latch.yaml:21: plugins.slack.webhook_url_env: \"https://hooks.slack.com/x\" is not an "
        "environment variable name");
    row("slack member id", std::string(kBase) + "plugins:\n  slack: {members: {ann: \"@ann\"}}\n",
        "latch.yaml:21: plugins.slack.members.ann: \"@ann\" is not a Slack member id");
    row("slack case link", std::string(kBase) + "plugins:\n  slack: {case_url_template: \"latch://case\"}\n",
        "latch.yaml:21: plugins.slack.case_url_template: must contain {id}");
    row("slack notify key", std::string(kBase) + "plugins:\n  slack: {notify: {approval: true}}\n",
        "latch.yaml:21: plugins.slack.notify.approval: unknown key");
    row("http not a list", std::string(kBase) + "plugins:\n  http: {id: erp.x}\n",
        "latch.yaml:21: plugins.http: must be a list of actions");
    row("http id without plugin", std::string(kBase) + "plugins:\n  http:\n    - id: update\n" + url,
        "latch.yaml:22: plugins.http[0].id: \"update\" must be <plugin>.<action>");
    row("http url missing", http, "latch.yaml:22: plugins.http[0].url: is missing");
    row("http method", http + url + "      method: SEND\n",
        "latch.yaml:24: plugins.http[0].method: must be GET, POST, PUT, PATCH or DELETE");
    row("http unknown variable", http + "      url: https://erp.example/v/{case.vendor}\n",
        "latch.yaml:23: plugins.http[0].url: unknown template variable {case.vendor}");
    row("http stripe prefix", std::string(kBase) + "plugins:\n  http:\n    - id: stripe.refund\n" + url,
        "latch.yaml:22: plugins.http[0].id: \"stripe.refund\" would belong to the built-in stripe");
    row("http duplicate", http + url + "    - id: erp.update\n" + url,
        "latch.yaml:24: plugins.http[1].id: action erp.update is already defined on line 22");
    row("http role", http + url + "      roles: [financ]\n",
        "latch.yaml:24: plugins.http[0].roles: role financ does not exist");
    row("http idempotency header by hand",
        http + url + "      headers: {Idempotency-Key: \"{case.id}\"}\n",
        "latch.yaml:24: plugins.http[0].headers.Idempotency-Key: is set by Latch");
    row("http hmac algorithm",
        http + url + "      hmac: {secret_env: K, header: X-Sig, algorithm: md5}\n",
        "latch.yaml:24: plugins.http[0].hmac.algorithm: must be sha256 or sha512");
    row("http equals without path", http + url + "      success: {equals: ok}\n",
        "latch.yaml:24: plugins.http[0].success.equals: needs json_path");
    row("http status", http + url + "      success: {status: [200, 99]}\n",
        "latch.yaml:24: plugins.http[0].success.status[1]: must be a whole number of at least 100");
    row("webhook tolerance", std::string(kBase) + "plugins:\n  stripe: {webhook_tolerance_s: 0}\n",
        "latch.yaml:21: plugins.stripe.webhook_tolerance_s: must be a whole number of at least 1");
}

void ConfigTest::commentedPluginSampleParses()
{
    // The commented plugins section at the end of the shipped config documents every key: with
    // the comment marks removed it must be a valid config, so the documentation cannot drift.
    const std::string& text = latch::core::builtInConfigText();
    const std::size_t at = text.find("\n# plugins:\n");
    QVERIFY(at != std::string::npos);
    std::string uncommented = text.substr(0, at + 1);
    std::istringstream rest(text.substr(at + 1));
    for (std::string line; std::getline(rest, line);) {
        if (line.rfind("# ", 0) == 0)
            uncommented += line.substr(2) + "\n";
        else if (line != "#")
            uncommented += line + "\n";
    }
    const auto config = parseConfig(uncommented, "latch.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    QVERIFY(config->plugins.stripe.enabled);
    QVERIFY(config->plugins.slack.enabled);
    QVERIFY(config->plugins.slack.notify.approvalWaiting);
    QCOMPARE(config->plugins.http.size(), std::size_t(1));
    QCOMPARE(config->plugins.http[0].id, std::string("erp.update_bank_details"));
    QCOMPARE(config->plugins.http[0].hmacHeader, std::string("X-Signature"));
}

void ConfigTest::slackAndHttpPluginsAreRead()
{
    const std::string text = std::string(kBase)
        + "plugins:\n"
          "  slack:\n"
          "    enabled: true\n"
          "    webhook_url_env: SLACK_HOOK\n"
          "    roles: [finance]\n"
          "    case_url_template: \"https://latch.example/case/{id}\"\n"
          "    members: {ann: U012AB3CD}\n"
          "    notify: {approval_waiting: true, webhook_url_env: SLACK_APPROVALS}\n"
          "  http:\n"
          "    - id: erp.update\n"
          "      method: patch\n"
          "      url: \"https://erp.example/v/{fields.vendor}\"\n"
          "      headers: {Content-Type: application/json, X-Key: \"{env.ERP_KEY}\"}\n"
          "      body: '{\"iban\": \"{fields.iban}\"}'\n"
          "      success: {status: 204, json_path: $.result.ok, equals: \"true\"}\n"
          "      hmac: {secret_env: ERP_HMAC, header: X-Signature}\n";
    const auto config = parseConfig(text, "latch.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    const auto& slack = config->plugins.slack;
    QVERIFY(slack.enabled);
    QCOMPARE(slack.webhookUrlEnv, std::string("SLACK_HOOK"));
    QCOMPARE(slack.members.at("ann"), std::string("U012AB3CD"));
    QVERIFY(slack.notify.approvalWaiting);
    QCOMPARE(slack.notify.webhookUrlEnv, std::string("SLACK_APPROVALS"));
    QCOMPARE(config->plugins.http.size(), std::size_t(1));
    const auto& a = config->plugins.http[0];
    QCOMPARE(a.method, std::string("PATCH"));
    QCOMPARE(a.label, std::string("erp.update"));
    QCOMPARE(a.headers.size(), std::size_t(2));
    QCOMPARE(a.success.status, std::vector<int> { 204 });
    QCOMPARE(a.success.jsonPath, std::string("result.ok"));
    QCOMPARE(a.success.equals.value_or(""), std::string("true"));
    QCOMPARE(a.hmacAlgorithm, std::string("sha256"));
    QCOMPARE(a.idempotencyHeader, std::string("Idempotency-Key"));
    QCOMPARE(a.line, 29);
}

void ConfigTest::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto config = parseConfig(text.toStdString(), "latch.yaml");
    QVERIFY2(!config.ok(), "the config was accepted");
    QCOMPARE(QString::fromStdString(config.failure().code), QStringLiteral("config.invalid"));
    const QString message = QString::fromStdString(config.failure().message);
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void ConfigTest::bypassKeysAreRefused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bypass on a rule") << QString::fromStdString(
        replaced("    gates_actions:", "    bypass: true\n    gates_actions:"))
                                      << "latch.yaml:19: rules[0].bypass: unknown key";
    QTest::newRow("skip_approval in requires")
        << QString::fromStdString(replaced("      expires_after: 72h\n",
               "      expires_after: 72h\n      skip_approval: true\n"))
        << "latch.yaml:19: rules[0].requires.skip_approval: unknown key";
    QTest::newRow("bypass at top level")
        << QString::fromStdString(std::string(kBase) + "bypass: true\n")
        << "latch.yaml:20: bypass: unknown key";
    QTest::newRow("admin exemption in server")
        << QString::fromStdString(replaced("  listen:", "  admins_skip_rules: true\n  listen:"))
        << "latch.yaml:2: server.admins_skip_rules: unknown key";
}

void ConfigTest::bypassKeysAreRefused()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto config = parseConfig(text.toStdString(), "latch.yaml");
    QVERIFY2(!config.ok(), "a bypass key was accepted");
    const QString message = QString::fromStdString(config.failure().message);
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void ConfigTest::twoPersonRuleIsAlwaysOn()
{
    // Without approver_not at all, preparer and requester are still excluded.
    auto config
        = parseConfig(replaced("      approver_not: [preparer, requester]\n", ""), "x.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    const auto& excluded = config->rules[0].approverNot;
    QVERIFY(excluded.count(Exclusion::Preparer) == 1);
    QVERIFY(excluded.count(Exclusion::Requester) == 1);
    QVERIFY(excluded.count(Exclusion::Assignee) == 0);
}

void ConfigTest::thresholdForms()
{
    const auto parseOver = [](const std::string& form) {
        auto config = parseConfig(replaced("\"1000.00 USD\"", form), "x.yaml");
        if (!config) {
            qWarning("%s", config.failure().message.c_str());
            return std::map<std::string, latch::Money> {};
        }
        return config->rules[0].when.amountOver;
    };
    const std::map<std::string, latch::Money> expected { { "USD", { 100000, "USD" } },
        { "EUR", { 90000, "EUR" } } };
    QCOMPARE(parseOver("[\"1,000.00 USD\", \"900 EUR\"]"), expected);
    QCOMPARE(parseOver("{USD: \"1000.00\", EUR: 900}"), expected);
    QCOMPARE(parseOver("\"$1,000\""),
        (std::map<std::string, latch::Money> { { "USD", { 100000, "USD" } } }));

    auto atLeast = parseConfig(
        replaced("amount_over: \"1000.00 USD\"", "amount_at_least: 500 JPY"), "x.yaml");
    QVERIFY2(atLeast.ok(), atLeast ? "" : atLeast.failure().message.c_str());
    QVERIFY(atLeast->rules[0].when.amountOver.empty());
    QCOMPARE(atLeast->rules[0].when.amountAtLeast.at("JPY"), (latch::Money { 500, "JPY" }));
}

void ConfigTest::multiStageAndAssignee()
{
    auto config = parseConfig(
        replaced("      approvals: 1\n      approver_roles: [finance]\n      approver_not: "
                 "[preparer, requester]\n      expires_after: 72h\n",
            "      stages:\n        - approvals: 2\n          approver_roles: [finance, "
            "operator]\n        - {approvals: 1, approver_roles: admin}\n      approver_not: "
            "[requester, preparer, assignee]\n      expires_after: 30m\n"),
        "x.yaml");
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    const auto& rule = config->rules[0];
    QCOMPARE(rule.stages.size(), std::size_t(2));
    QCOMPARE(rule.stages[0].approvals, 2u);
    QCOMPARE(rule.stages[0].approverRoles, (std::vector<std::string> { "finance", "operator" }));
    QCOMPARE(rule.stages[1].approverRoles, std::vector<std::string> { "admin" });
    QVERIFY(rule.approverNot.count(Exclusion::Assignee) == 1);
    QCOMPARE(rule.approvalExpiry->count(), 30LL * 60 * 1000);
}

void ConfigTest::rulesVersionFollowsRulesOnly()
{
    const auto version = [](const std::string& text) {
        auto config = parseConfig(text, "x.yaml");
        return config ? config->rulesVersion : std::string("invalid: ") + config.failure().message;
    };
    const std::string base = version(kBase);
    QCOMPARE(base.size(), std::size_t(64));
    // Comments, quoting, flow style and other sections do not change it...
    QCOMPARE(version(replaced("approvals: 1", "approvals: 1   # one is enough")), base);
    QCOMPARE(version(replaced("name: big-refund", "name: \"big-refund\"")), base);
    QCOMPARE(
        version(replaced("approver_roles: [finance]", "approver_roles:\n        - finance")), base);
    QCOMPARE(version(replaced("127.0.0.1:0", "127.0.0.1:9")), base);
    // ...a change to a rule does.
    QVERIFY(version(replaced("1000.00 USD", "1000.01 USD")) != base);
    QVERIFY(version(replaced("expires_after: 72h", "expires_after: 73h")) != base);
}

void ConfigTest::yamlSyntaxError()
{
    const auto config = parseConfig(
        replaced("roles: [operator, finance]", "roles: [operator, finance"), "bad.yaml");
    QVERIFY(!config.ok());
    QCOMPARE(config.failure().code, std::string("config.invalid"));
    const QString message = QString::fromStdString(config.failure().message);
    QVERIFY2(
        message.startsWith("bad.yaml:") && message.contains("not valid YAML"), qPrintable(message));
}

void ConfigTest::externalPluginsAreRead()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("latch.yaml").toStdString();
    {
        std::ofstream out(path);
        out << kBase
            << "plugins:\n  external:\n    dir: plugins\n    call_timeout_ms: 700\n"
               "    run_timeout_ms: 9000\n    restart_backoff_ms: 50\n"
               "    executables:\n      latch-ticket:\n        env: {URL: \"http://x/y\"}\n"
               "        secret_env: TOKEN\n        roles: [finance]\n";
    }
    auto config = latch::core::loadConfigFile(path);
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    const auto& external = config->plugins.external;
    // Relative to the config file, like certificates.
    QCOMPARE(external.dir, dir.filePath("plugins").toStdString());
    QCOMPARE(external.callTimeout, std::chrono::milliseconds(700));
    QCOMPARE(external.runTimeout, std::chrono::milliseconds(9000));
    QCOMPARE(external.startTimeout, std::chrono::milliseconds(5000));
    QCOMPARE(external.restartBackoff, std::chrono::milliseconds(50));
    QCOMPARE(external.maxFrameBytes, std::size_t(1) << 20);
    const auto& ticket = external.executables.at("latch-ticket");
    QCOMPARE(ticket.env.at("URL"), std::string("http://x/y"));
    QCOMPARE(ticket.secretEnv, std::vector<std::string> { "TOKEN" });
    QCOMPARE(ticket.roles, std::vector<std::string> { "finance" });
    // Off unless configured.
    QVERIFY(parseConfig(kBase, "x.yaml")->plugins.external.dir.empty());
}

void ConfigTest::loadFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("latch.yaml").toStdString();
    {
        std::ofstream out(path);
        out << replaced(
            "  listen:", "  tls: {cert: certs/server.crt, key: /etc/key.pem}\n  listen:");
    }
    auto config = latch::core::loadConfigFile(path);
    QVERIFY2(config.ok(), config ? "" : config.failure().message.c_str());
    QCOMPARE(config->source, path);
    // Relative certificate paths are taken relative to the config file.
    QCOMPARE(config->tls.certFile, dir.filePath("certs/server.crt").toStdString());
    QCOMPARE(config->tls.keyFile, std::string("/etc/key.pem"));

    {
        std::ofstream out(path);
        out << replaced("approvals: 1", "approvals: 0");
    }
    auto invalid = latch::core::loadConfigFile(path);
    QVERIFY(!invalid.ok());
    QVERIFY2(invalid.failure().message.rfind(path + ":15: rules[0].requires.approvals", 0) == 0,
        invalid.failure().message.c_str());

    auto missing = latch::core::loadConfigFile(dir.filePath("nope.yaml").toStdString());
    QVERIFY(!missing.ok());
    QCOMPARE(missing.failure().code, std::string("config.unreadable"));
}

void ConfigTest::queueForType()
{
    auto config = parseConfig(latch::core::builtInConfigText(), "<built-in>");
    QVERIFY(config.ok());
    QCOMPARE(config->queueForType("escalation"), std::string("support"));
    QCOMPARE(config->queueForType("invoice_dispute"), std::string("finance"));
    QCOMPARE(config->queueForType("unheard_of"), std::string("support"));
    QVERIFY(config->queue("finance") != nullptr);
    QCOMPARE(config->queue("finance")->roles, std::vector<std::string> { "finance" });
    QVERIFY(config->queue("billing") == nullptr);
}

QTEST_GUILESS_MAIN(ConfigTest)
#include "configtest.moc"
