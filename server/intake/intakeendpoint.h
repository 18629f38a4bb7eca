#pragma once
// What every intake endpoint (POST /intake/webhook, /intake/alertmanager, /intake/email) shares:
// finding the source a delivery claims to come from (?source=NAME or the X-Latch-Source header;
// the only source of the channel when there is one), checking that it proves it (its own bearer
// token, or an HMAC signature of the body), keeping the delivery as evidence, and turning the
// core's results into JSON answers.
//
// Answers are JSON. Success: {"case_id": "...", "result": "created" | "appended" | "duplicate"}
// (201 for a new case, 200 otherwise); several deliveries in one request answer with "cases".
// Failure: {"error": {"code": "...", "message": "..."}} with 400 (malformed), 401 (no or wrong
// token), 403 (bad signature), 404 (unknown source), 413 (too large), 422 (the core refused what
// it describes) or 503 (not stored; send it again).
//
// Threading: immutable after construction; called from any network thread.
#include "core/config.h"
#include "latch/expected.h"
#include "core/webhook.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latch::intake {

// A source's secrets, read from the environment when the server starts.
struct SourceSecrets {
    std::string token;      // expected as "Authorization: Bearer <token>"
    std::string hmacSecret; // expected as "X-Latch-Signature: t=<unix seconds>,v1=<hex>"
};

// Reads every source's secrets from the environment; fails naming the first variable unset.
Expected<std::map<std::string, SourceSecrets>> readSourceSecrets(
    const core::IntakeConfig& intake);

// The signature an HMAC source sends: "t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">".
std::string signBody(std::string_view body, std::string_view secret, std::int64_t unixSeconds);

core::WebhookReply errorReply(unsigned status, const std::string& code, const std::string& message);
core::WebhookDecision errorDecision(unsigned status, const std::string& code,
                                    const std::string& message);

// Evidence for a payload (or attachment): kept when within `limit`, else its size and hash only.
v1::Evidence makeEvidence(std::string name, std::string contentType, std::string_view data,
                          std::size_t limit);

// "<channel>:<source>:<id>", kept short: a long or odd id is represented by its SHA-256.
std::string deliveryKey(std::string_view channel, const std::string& source,
                        std::string_view deliveryId);

class IntakeEndpoint : public core::Webhook {
public:
    IntakeEndpoint(const core::Config& config, std::map<std::string, SourceSecrets> secrets,
                   core::IntakeChannel channel, std::string path);

    std::string path() const override { return m_path; }
    std::size_t maxBodyBytes() const override { return m_config.intake.maxBodyBytes; }
    // 413 as the other refusals: JSON with the code intake.too_large.
    core::WebhookReply tooLarge(std::size_t limit) const override;
    core::WebhookDecision receive(const core::WebhookCall& call) const final;
    core::WebhookReply answer(const std::vector<v1::CommandResult>& results) const override;

protected:
    // The delivery from an authenticated `source`, as commands for the "intake" actor (the
    // command ids are set by the caller), or an error reply.
    virtual core::WebhookDecision deliver(const core::IntakeSourceConfig& source,
                                          const core::WebhookCall& call) const = 0;

    const core::Config& m_config;

private:
    std::optional<core::WebhookReply> authenticate(const core::IntakeSourceConfig& source,
                                                   const core::WebhookCall& call) const;

    std::map<std::string, SourceSecrets> m_secrets;
    core::IntakeChannel m_channel;
    std::string m_path;
};

} // namespace latch::intake
