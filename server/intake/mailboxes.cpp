#include "intake/mailboxes.h"

#include "intake/emailintake.h"
#include "latch/ids.h"

#include <spdlog/spdlog.h>

#include <future>

namespace latch::intake {

Mailboxes::Mailboxes(core::Service& service, const core::Config& config)
    : m_service(service)
    , m_config(config)
    , m_parser(mail::ParseLimits{20, config.intake.maxAttachmentBytes, config.intake.maxBodyBytes})
{
}

Mailboxes::~Mailboxes()
{
    stop();
}

Expected<bool> Mailboxes::start()
{
    for (const auto& source : m_config.intake.sources) {
        if (source.channel != core::IntakeChannel::Email || source.maildir.empty())
            continue;
        mail::MaildirWatcher::Options options;
        options.maxMessageBytes = m_config.intake.maxBodyBytes;
        auto watcher = mail::MaildirWatcher::start(
            source.maildir,
            [this, &source](std::string raw, std::string name) {
                return deliver(source, raw, name);
            },
            options);
        if (!watcher)
            return fail(watcher.failure().code,
                        "intake source " + source.name + ": " + watcher.failure().message);
        spdlog::info("intake: watching {} for source {}", source.maildir, source.name);
        m_watchers.push_back(std::move(*watcher));
    }
    return true;
}

void Mailboxes::stop()
{
    for (auto& watcher : m_watchers)
        watcher->stop();
    m_watchers.clear();
}

mail::Disposition Mailboxes::deliver(const core::IntakeSourceConfig& source,
                                     const std::string& raw, const std::string& name)
{
    auto command = emailCommand(m_config.intake, source, m_parser, raw);
    if (!command) {
        spdlog::warn("intake {}: {} rejected: {}", source.name, name, command.failure().message);
        return mail::Disposition::Rejected;
    }
    command->set_command_id(newUuid());
    auto promise = std::make_shared<std::promise<v1::CommandResult>>();
    auto future = promise->get_future();
    m_service.submit(core::Actor{"intake", "intake", {}}, *command,
                     [promise](const v1::CommandResult& r) { promise->set_value(r); });
    const v1::CommandResult r = future.get();
    if (r.accepted()) {
        spdlog::info("intake {}: {} {} case {}", source.name, name,
                     r.code() == "intake.duplicate" ? "already on" : "recorded on", r.case_id());
        return mail::Disposition::Done;
    }
    if (r.code() == "server.stopping" || r.code() == "store.write" || r.code() == "store.read") {
        spdlog::warn("intake {}: {} not stored ({}); it is offered again", source.name, name, r.code());
        return mail::Disposition::Retry;
    }
    spdlog::warn("intake {}: {} refused: {} {}", source.name, name, r.code(), r.message());
    return mail::Disposition::Rejected;
}

} // namespace latch::intake
