#pragma once
// The web forms: GET /forms/<name> serves the form, POST /forms/<name> takes a submission and
// opens a case through the intake command (channel "form", source = the form's name). Answers are
// HTML pages (docs/intake.md, "Web forms"):
//
//   200  the form; or the confirmation with the case reference (a resend of the same page, e.g.
//        a double click or a reload, is the same delivery and shows the same case)
//   400  the spam trap was filled, the form came back sooner than min_fill_seconds, or the body
//        is not a form submission: refused, nothing stored
//   403  no cookie, or a token that does not verify or has expired (a restart of the server
//        invalidates open pages): the form comes back, filled in, to be sent again; or a
//        browser says the POST comes from another site's page (Sec-Fetch-Site: cross-site)
//   404  no such form, or it is switched off
//   413  a body over 64 KiB;  415  not application/x-www-form-urlencoded
//   422  a field was refused: the form comes back with the message beside the field
//   429  more than max_per_minute submissions from one address;  503  not stored, send again
//
// Every refusal is logged with the form, the client's address and the reason, never the values.
//
// Threading: any network thread. The token key is fixed at construction; the rate limiter keeps
// its own lock.
#include "core/config.h"
#include "core/webhook.h"
#include "intake/formtoken.h"
#include "intake/ratelimiter.h"

#include <memory>
#include <string>

namespace latch::intake {

class FormSubmission;

class FormEndpoint final : public core::Webhook {
public:
    static constexpr std::string_view kPrefix = "/forms/";
    static constexpr std::size_t kMaxBodyBytes = 64 * 1024;

    // `config` must outlive the endpoint. `tokens`: the CSRF key (a random one by default).
    explicit FormEndpoint(const core::Config& config,
        std::unique_ptr<FormTokens> tokens = std::make_unique<FormTokens>());

    std::string path() const override { return std::string(kPrefix); }
    bool serves(std::string_view target) const override;
    bool allowsGet() const override { return true; }
    std::size_t maxBodyBytes() const override { return kMaxBodyBytes; }
    core::WebhookReply tooLarge(std::size_t limit) const override;
    core::WebhookDecision receive(const core::WebhookCall& call) const override;
    core::WebhookReply answer(const std::vector<v1::CommandResult>& results) const override;

private:
    struct Visitor; // the browser's cookie, and whether it must be set

    core::WebhookDecision show(const core::FormConfig& form, const core::WebhookCall& call) const;
    core::WebhookDecision submit(const core::FormConfig& form, const core::WebhookCall& call) const;
    core::WebhookReply page(unsigned status, std::string html, std::string logText,
        const Visitor* visitor = nullptr) const;
    // The form again, with a fresh token and `notice`, for a token that is not Valid.
    core::WebhookReply refuseToken(const TokenCheck& check, const core::FormConfig& form,
        const FormSubmission& submission, const Visitor& visitor, std::int64_t nowMs) const;
    core::WebhookReply formAgain(unsigned status, const core::FormConfig& form,
        const FormSubmission& submission, const std::string& notice, const Visitor& visitor,
        std::int64_t nowMs, std::string logText) const;

    const core::Config& m_config;
    std::unique_ptr<FormTokens> m_tokens;
    mutable RateLimiter m_limiter;
};

} // namespace latch::intake
