#pragma once
// The Maildirs of the email sources that name one: each message that arrives in new/ becomes a
// delivery, submitted through the Service as "intake" like a posted one. A message the core
// recorded (or had recorded already) is filed in cur/; one that is not an email, or that the core
// refuses, goes to the Maildir's ".Rejected" folder with the reason logged; one the server could
// not store (stopping, a store failure) stays in new/ and is offered again.
//
// Threading: one watcher thread per Maildir; each waits for its message's result before taking
// the next. start() and stop() from the main thread. The Service must outlive the mailboxes.
#include "core/config.h"
#include "core/service.h"
#include "intake/mail/emailparser.h"
#include "intake/mail/maildirwatcher.h"

#include <memory>
#include <vector>

namespace latch::intake {

class Mailboxes {
public:
    Mailboxes(core::Service& service, const core::Config& config);
    ~Mailboxes();

    // Starts a watcher per email source with a maildir. After Service::start().
    Expected<bool> start();
    void stop();

    // What becomes of one message from `source` (the watcher's handler).
    mail::Disposition deliver(const core::IntakeSourceConfig& source, const std::string& raw,
                              const std::string& name);

private:
    core::Service& m_service;
    const core::Config& m_config;
    mail::EmailParser m_parser;
    std::vector<std::unique_ptr<mail::MaildirWatcher>> m_watchers;
};

} // namespace latch::intake
