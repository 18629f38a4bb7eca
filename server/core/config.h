#pragma once
// The server's configuration: listening, TLS, roles, queues, the approval rules, plugins, intake
// and triage. Loaded from
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

// The built-in Slack plugin: slack.post posts a case to a channel, and (notify) a message tells
// the people who may approve a case that it is waiting for them. Incoming-webhook URLs are secrets:
// never in this file, read from the environment variables named here when the server starts.
struct SlackNotifyConfig {
    bool approvalWaiting = false;                 // post when a case starts awaiting approval
    std::string webhookUrlEnv;                    // another channel's webhook; empty: the plugin's
    std::vector<std::string> caseTypes;           // empty: every type
};

struct SlackPluginConfig {
    bool enabled = false;
    std::string webhookUrlEnv = "LATCH_SLACK_WEBHOOK_URL";
    std::vector<std::string> roles;               // who may run slack.post; empty: who may act
    std::vector<std::string> caseTypes;           // cases it offers slack.post for; empty: all
    std::string caseUrlTemplate = "latch://case/{id}"; // the link to a case in messages
    std::map<std::string, std::string> members;   // Latch username -> Slack member id (U...)
    SlackNotifyConfig notify;
    std::chrono::milliseconds timeout{10000};     // per HTTP call
    std::uint32_t maxAttempts = 3;                // calls per message, retries included
    std::chrono::milliseconds retryBase{500};     // first back-off; doubles, with jitter
};

// What makes a declarative HTTP action's answer a success. Every criterion given must hold.
struct HttpSuccessConfig {
    std::vector<int> status;                      // empty: any 2xx
    std::string bodyContains;                     // empty: not checked
    std::string jsonPath;                         // "result.status", "items[0].id"; empty: none
    std::optional<std::string> equals;            // with jsonPath: the value there, as text
};

// One declarative HTTP action (plugins.http[i]). url, header values and body are templates (see
// core/requesttemplate.h), checked when the config is loaded.
struct HttpActionConfig {
    std::string id;                               // "erp.update_bank_details": plugin "erp"
    std::string label;
    std::vector<std::string> caseTypes;           // empty: every type
    std::vector<std::string> roles;               // who may run it; empty: who may act on the case
    std::string method = "POST";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers; // in the order given
    std::string body;
    HttpSuccessConfig success;
    std::string hmacSecretEnv;                    // empty: no signature
    std::string hmacHeader;
    std::string hmacAlgorithm = "sha256";         // sha256 or sha512; hex of HMAC over the body
    std::string idempotencyHeader = "Idempotency-Key";
    std::chrono::milliseconds timeout{10000};
    std::uint32_t maxAttempts = 3;
    std::chrono::milliseconds retryBase{500};
    int line = 0;                                 // where it was defined, for messages
};

// What the server gives one external plugin executable (by file name). Secrets are passed from
// the server's environment by name, never written here; their values are redacted everywhere.
struct ExternalPluginSettings {
    std::map<std::string, std::string> env; // set in its environment as given (not secret)
    std::vector<std::string> secretEnv;     // passed from the server's environment, redacted
    std::vector<std::string> roles;         // who may run its actions; empty: who may act
};

// External plugins: every executable in `dir`, spoken to over latch-plugin/1 on stdin/stdout
// (docs/plugin-protocol.md). Off while `dir` is empty.
struct ExternalPluginsConfig {
    std::string dir;
    std::chrono::milliseconds callTimeout{2000};     // offers and plan (the writer waits on them)
    std::chrono::milliseconds runTimeout{60000};     // one run, request to result
    std::chrono::milliseconds startTimeout{5000};    // start and handshake
    std::chrono::milliseconds restartBackoff{1000};  // after a failure; doubles, up to 60 s
    std::size_t maxFrameBytes = 1 << 20;             // either way
    std::map<std::string, ExternalPluginSettings> executables;
};

struct PluginsConfig {
    // Runs that can wait on an external system at the same time; more runs queue until one ends.
    unsigned workers = 16;
    StripePluginConfig stripe;
    ExternalPluginsConfig external;
    SlackPluginConfig slack;
    std::vector<HttpActionConfig> http;
};

// One intake source: which channel it delivers on, how it proves who it is, and what its cases
// start as. Secrets are never in this file: token_env and hmac_secret_env name environment
// variables the server reads when it starts.
enum class IntakeChannel { Webhook, Alertmanager, Email };

struct IntakeSourceConfig {
    std::string name;
    IntakeChannel channel = IntakeChannel::Webhook;
    std::string tokenEnv;       // Authorization: Bearer <token>
    std::string hmacSecretEnv;  // X-Latch-Signature: sha256=<hex HMAC-SHA256 of the body>
    std::string type;           // the type its cases start with; "" leaves it to triage
    std::string queue;          // "" the type's queue
    std::string maildir;        // email: a Maildir whose new/ folder the server takes mail from
    int line = 0;
};

// A web form served at /forms/<name>: plain HTML that a visitor fills in and sends; each
// submission opens a case (channel "form"). Forms are public pages, so they have no secret; they
// are protected by a CSRF token, a spam trap, a minimum fill time and a per-address rate limit
// (docs/intake.md, "Web forms").
enum class FormFieldKind { Text, Textarea, Email, Amount, Select };

struct FormFieldConfig {
    std::string name;       // the input's name: [a-z][a-z0-9_]*, unique in its form
    std::string label;
    std::string hint;       // a line of help under the label; "" none
    FormFieldKind kind = FormFieldKind::Text;
    bool required = false;
    std::size_t maxLength = 200; // characters (the amount: its number)
    std::string mapsTo;     // title, description, customer, order_ref, amount or field.<key>
    std::vector<std::string> options;    // select: the choices, in order
    std::vector<std::string> currencies; // amount: the visitor picks one (the first is preset)...
    std::string currency;                // ...or the amount is always in this one
    int line = 0;
};

struct FormConfig {
    std::string name;       // URL-safe: /forms/<name>
    bool enabled = true;    // false: the page answers 404 and nothing is taken
    std::string title;      // the page's heading
    std::string intro;      // a paragraph under it; "" none
    std::string legend = "Your request"; // the fieldset's legend
    std::string submitLabel = "Send";
    std::string type;       // the type its cases start with; "" leaves it to triage
    std::string queue;      // "" the type's queue
    std::string caseTitle;  // "Refund request: {customer} order {order}" ({field name}); "" title
    std::vector<FormFieldConfig> fields;
    std::uint32_t minFillSeconds = 2;    // sent sooner after the page was issued: refused
    std::uint32_t maxPerMinute = 10;     // submissions per client address; more: 429
    int line = 0;

    const FormFieldConfig* field(const std::string& name) const;
};

struct IntakeConfig {
    std::size_t maxBodyBytes = 1u << 20;          // webhook, alert and email bodies; larger: 413
    // Evidence rides in the case's events, which reach every client's replica, so what is kept
    // stays well under a sync frame (limits.max_frame_bytes). Past these, a file keeps only its
    // size and SHA-256.
    std::size_t maxAttachmentBytes = 256u << 10;  // one evidence file
    std::size_t maxEvidenceBytes = 512u << 10;    // all evidence of one delivery
    std::vector<IntakeSourceConfig> sources;
    std::vector<FormConfig> forms;

    const IntakeSourceConfig* source(const std::string& name) const;
    const FormConfig* form(const std::string& name) const;
};

// An OpenAI-compatible chat-completions endpoint triage may ask first (llama.cpp's server,
// Ollama, vLLM). Off while url is empty; the local model answers whenever it fails.
struct TriageLlmConfig {
    std::string url;                              // http(s)://host:port/v1/chat/completions
    std::string model;
    std::string apiKeyEnv;                        // empty: no Authorization header
    std::chrono::milliseconds timeout{5000};
};

struct TriageConfig {
    bool enabled = true;
    std::string starter;   // labelled examples (JSONL); "" the starter set shipped with Latch
    std::string modelFile; // where the trained model is kept; "" beside the database
    TriageLlmConfig llm;
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
    IntakeConfig intake;
    TriageConfig triage;
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
