#include "intake/emailintake.h"

#include "core/intakecommands.h"
#include "latch/hashing.h"

namespace latch::intake {

namespace {

// Shortens to at most `limit` bytes without cutting a UTF-8 sequence.
std::string clip(std::string_view text, std::size_t limit)
{
    if (text.size() <= limit)
        return std::string(text);
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return std::string(text.substr(0, end));
}

std::string senderText(const mail::MailAddress& from)
{
    return from.name.empty() ? from.address : from.name + " <" + from.address + ">";
}

} // namespace

Expected<v1::Command> emailCommand(const core::IntakeConfig& intake,
                                   const core::IntakeSourceConfig& source,
                                   const mail::EmailParser& parser, std::string_view raw)
{
    auto parsed = parser.parse(raw);
    if (!parsed)
        return parsed.failure();
    const mail::ParsedEmail& email = *parsed;
    const std::string deliveryId
        = email.messageId.empty() ? "sha256-" + toHex(sha256(raw)) : email.messageId;

    v1::Command command;
    auto* in = command.mutable_intake();
    in->set_delivery_key(deliveryKey("email", source.name, deliveryId));
    for (const auto& key : email.threadKeys())
        in->add_thread_keys(clip(key, 300));
    in->set_join_closed(true); // a reply about a closed case belongs on that case
    const std::string subject = email.subject.empty() ? std::string("(no subject)") : email.subject;
    auto* create = in->mutable_create();
    create->set_title(clip(subject, 200));
    create->set_type(source.type);
    create->set_queue(source.queue);
    create->set_description(clip(email.text, 10'000));

    auto* received = in->mutable_received();
    received->set_channel("email");
    received->set_source(source.name);
    received->set_delivery_id(deliveryId);
    received->set_summary(clip(subject, 200));
    received->set_text(clip(email.text, core::kMaxIntakeText));
    received->set_sender(senderText(email.from));

    // The message as received first, then each attachment, while the delivery's budget lasts.
    std::size_t budget = intake.maxEvidenceBytes;
    const auto limitFor = [&](std::size_t size) {
        return size <= budget ? std::min(intake.maxAttachmentBytes, budget) : std::size_t{0};
    };
    v1::Evidence message = makeEvidence("message.eml", "message/rfc822", raw, limitFor(raw.size()));
    if (message.kept())
        budget -= raw.size();
    *received->add_evidence() = std::move(message);
    for (const auto& a : email.attachments) {
        v1::Evidence e;
        e.set_name(a.filename.empty() ? "attachment" : clip(a.filename, 200));
        e.set_content_type(a.contentType);
        e.set_size(a.size);
        e.set_sha256(latch::fromHex(a.sha256).value_or(""));
        if (a.stored && a.bytes.size() <= limitFor(a.bytes.size())) {
            e.set_data(a.bytes);
            e.set_kept(true);
            budget -= a.bytes.size();
        } else {
            e.set_note(!a.reason.empty() ? a.reason
                                         : "over the evidence limit; its size and SHA-256 are kept");
        }
        *received->add_evidence() = std::move(e);
    }
    return command;
}

EmailIntake::EmailIntake(const core::Config& config, std::map<std::string, SourceSecrets> secrets)
    : IntakeEndpoint(config, std::move(secrets), core::IntakeChannel::Email, kPath)
    , m_parser(mail::ParseLimits{20, config.intake.maxAttachmentBytes, config.intake.maxBodyBytes})
{
}

core::WebhookDecision EmailIntake::deliver(const core::IntakeSourceConfig& source,
                                           const core::WebhookCall& call) const
{
    auto command = emailCommand(m_config.intake, source, m_parser, call.body);
    if (!command)
        return errorDecision(command.failure().code == "email.too_large" ? 413 : 400,
                             command.failure().code, command.failure().message);
    core::WebhookDecision d;
    d.commands.push_back(std::move(*command));
    return d;
}

} // namespace latch::intake
