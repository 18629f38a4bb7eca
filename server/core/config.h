#pragma once
// The server's configuration: listening, TLS, roles, queues and the approval rules. Loaded from
// YAML once at start and validated whole; every error names the file, line and field. A Config is
// immutable once loaded and shared read-only between threads.
#include "latch/expected.h"
#include "latch/money.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace latch::core {

struct ApprovalStage {
    std::uint32_t approvals = 1;          // distinct people needed at this stage
    std::vector<std::string> approverRoles; // any of these roles may approve
};

// Who may never approve a case under the rule. Preparer and requester are always excluded: the
// two-person rule cannot be relaxed by config, flag or role.
enum class Exclusion { Preparer, Requester, Assignee };

struct RuleMatch {
    std::vector<std::string> types;            // empty: any type
    std::map<std::string, Money> amountOver;   // per currency: amount strictly greater than
    std::map<std::string, Money> amountAtLeast;// per currency: amount greater or equal
    std::map<std::string, std::string> fields; // free field (or customer/order_ref) equals value
};

struct Rule {
    std::string name;
    std::string description;
    RuleMatch when;
    std::vector<ApprovalStage> stages;   // in order; stage k counts only once k-1 is satisfied
    std::set<Exclusion> approverNot;     // always contains Preparer and Requester
    std::optional<std::chrono::milliseconds> approvalExpiry;
    std::vector<std::string> gatesActions;
    int line = 0;                        // where it was defined, for messages

    bool gates(const std::string& action) const
    {
        return std::find(gatesActions.begin(), gatesActions.end(), action) != gatesActions.end();
    }
};

struct QueueDef {
    std::string name;
    std::vector<std::string> roles;      // roles that work this queue (and so see its cases)
    std::vector<std::string> types;      // case types routed here by default
};

struct TlsConfig {
    std::string certFile;
    std::string keyFile;
    bool enabled() const { return !certFile.empty(); }
};

struct Limits {
    std::size_t maxFrameBytes = 1 << 20;          // 1 MiB per WebSocket message
    std::size_t maxSendQueueBytes = 16u << 20;    // a slower consumer is dropped
    std::size_t snapshotPageBytes = 256u << 10;   // bounded so keepalives are never starved
    std::uint64_t resetAfterEvents = 50'000;      // a cursor further behind gets a full reset
    std::chrono::seconds idleTimeout{60};
    std::chrono::seconds handshakeTimeout{15};
    std::size_t maxHttpBodyBytes = 64u << 10;
};

struct AuthConfig {
    std::chrono::hours tokenTtl{24 * 7};
    int maxFailuresPerUser = 5;         // within failureWindow, then locked for failureWindow
    int maxFailuresPerAddress = 20;
    std::chrono::seconds failureWindow{300};
    // Argon2id cost for new password hashes (libsodium's "interactive" level by default).
    // Verification reads the cost from each stored hash, so raising it later is safe.
    std::uint64_t passwordOpsLimit = 2;                 // crypto_pwhash_OPSLIMIT_INTERACTIVE
    std::size_t passwordMemLimitBytes = 64u << 20;      // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// The built-in Stripe plugin (stripe.refund). Its API key is never in this file: it is read from
// the environment variable named here, when the server starts.
struct StripePluginConfig {
    bool enabled = false;
    std::string baseUrl = "https://api.stripe.com";
    std::string apiKeyEnv = "LATCH_STRIPE_API_KEY";
    std::vector<std::string> roles;               // who may run it; empty: who may act on the case
    std::vector<std::string> caseTypes{"refund"}; // case types it offers refunds for
    std::chrono::milliseconds timeout{10000};     // per HTTP call
    std::uint32_t maxAttempts = 4;                // calls per run, retries included
    std::chrono::milliseconds retryBase{500};     // first back-off; doubles, with jitter
    std::chrono::milliseconds followFor{60000};   // how long a pending refund is followed up
    // Stripe's webhook endpoint (POST /hooks/stripe) is served when this names the environment
    // variable holding its signing secret ("whsec_..."); empty: no endpoint.
    std::string webhookSecretEnv;
    std::chrono::seconds webhookTolerance{300};   // how far a signature's timestamp may be off
};

struct PluginsConfig {
    StripePluginConfig stripe;
};

struct Config {
    std::string source;                  // file name the config came from ("<built-in>" for default)
    std::string listen = "127.0.0.1:7443";
    bool allowPlainRemote = false;       // plain ws on a non-loopback address needs this
    TlsConfig tls;
    std::vector<std::string> roles;      // every role name; "admin" is always present
    std::vector<QueueDef> queues;
    std::string defaultQueue = "support";
    std::vector<Rule> rules;             // first match wins
    Limits limits;
    AuthConfig auth;
    PluginsConfig plugins;
    std::string rulesVersion;            // hex SHA-256 of the rules section as loaded

    bool hasRole(const std::string& role) const;
    const QueueDef* queue(const std::string& name) const;
    std::string queueForType(const std::string& type) const;
};

// Parses and validates. `fileName` is used in messages: "latch.yaml:14: rules[0].requires.stages[1]
// .approvals: must be at least 1". Unknown keys are errors (a typo must not silently loosen a rule).
Expected<Config> parseConfig(const std::string& yamlText, const std::string& fileName);
Expected<Config> loadConfigFile(const std::string& path);

// The configuration latch-server runs with when given none (resources/config/latch.yaml, built in).
const std::string& builtInConfigText();

} // namespace latch::core
