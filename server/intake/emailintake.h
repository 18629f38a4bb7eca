#pragma once
// Email intake: a raw RFC 5322 message, posted to POST /intake/email or taken from a source's
// Maildir, becomes a delivery. The subject is the case's title, the body its description; the
// message as received and each attachment are kept as evidence (within the evidence limits, else
// their size and SHA-256). A reply threads onto its case by In-Reply-To, References, or the
// "[Latch #<case id>]" tag in the subject, even when the case was closed; the same Message-ID twice
// is one delivery.
//
// Threading: immutable after construction; receive() from any network thread, emailCommand()
// from any thread.
#include "intake/intakeendpoint.h"
#include "intake/mail/emailparser.h"

namespace latch::intake {

// The intake command for one raw message from `source`, or why it cannot be one
// (email.malformed, email.too_large, email.no_sender).
Expected<v1::Command> emailCommand(const core::IntakeConfig& intake,
                                   const core::IntakeSourceConfig& source,
                                   const mail::EmailParser& parser, std::string_view raw);

class EmailIntake final : public IntakeEndpoint {
public:
    static constexpr const char* kPath = "/intake/email";

    EmailIntake(const core::Config& config, std::map<std::string, SourceSecrets> secrets);

protected:
    core::WebhookDecision deliver(const core::IntakeSourceConfig& source,
                                  const core::WebhookCall& call) const override;

private:
    mail::EmailParser m_parser;
};

} // namespace latch::intake
