#include "plugins/slacknotifier.h"

#include "core/accounts.h"
#include "core/actor.h"
#include "core/rules.h"
#include "latch/casefold.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace latch::plugins {

namespace {

using json = nlohmann::ordered_json;

// Owed notifications older than this are not sent at start: news that stale helps nobody.
constexpr std::int64_t kCatchUpMs = std::int64_t(3600) * 1000;

json field(const std::string& label, const std::string& value)
{
    return { { "type", "mrkdwn" }, { "text", fieldText(label, value) } };
}

std::string joined(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ", ") + p;
    return out;
}

} // namespace

SlackNotifier::SlackNotifier(core::Service& service, core::Store& store,
    core::SlackPluginConfig config, std::string webhookUrl)
    : m_service(service)
    , m_store(store)
    , m_config(std::move(config))
    , m_target { std::move(webhookUrl), m_config.timeout, m_config.maxAttempts, m_config.retryBase }
{
}

SlackNotifier::~SlackNotifier()
{
    stop();
}

bool SlackNotifier::wanted(const v1::Case& c) const
{
    const auto& types = m_config.notify.caseTypes;
    return c.status() == v1::CASE_STATUS_AWAITING_APPROVAL
        && (types.empty() || std::find(types.begin(), types.end(), c.type()) != types.end());
}

void SlackNotifier::start()
{
    m_stopping = false;
    m_listener
        = m_service.addListener([this](const std::shared_ptr<const core::CommittedBatch>& batch) {
              for (const auto& change : batch->changes) {
                  for (const auto& e : change.events) {
                      if (e.has_marked_ready()
                          && e.marked_ready().new_status() == v1::CASE_STATUS_AWAITING_APPROVAL
                          && wanted(change.after))
                          enqueue({ e.case_id(), e.seq() });
                  }
              }
          });
    m_worker = std::thread([this] { work(); });
    resume();
}

void SlackNotifier::requestStop()
{
    m_stopping = true;
    m_wake.notify_all();
}

void SlackNotifier::stop()
{
    if (m_listener) {
        m_service.removeListener(m_listener);
        m_listener = 0;
    }
    requestStop();
    if (m_worker.joinable())
        m_worker.join();
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_seen.clear();
    m_resumed = false;
}

void SlackNotifier::enqueue(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || !m_seen.insert(job.readySeq).second)
            return;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void SlackNotifier::resume()
{
    auto view = m_store.read();
    core::CaseFilter filter;
    filter.status = "awaiting_approval";
    const std::int64_t now = core::systemNowMs();
    std::size_t owed = 0;
    for (const auto& c : view->listCases(filter)) {
        if (!wanted(c))
            continue;
        const v1::Event* ready = nullptr;
        bool told = false;
        const auto events = view->caseEvents(c.id());
        for (const auto& e : events) {
            if (e.has_marked_ready()) {
                ready = &e;
                told = false;
            } else if (e.has_notification() && ready && e.notification().about_seq() == ready->seq()
                && e.notification().channel() == "slack") {
                told = true;
            }
        }
        if (ready && !told && now - ready->time_ms() < kCatchUpMs) {
            enqueue({ c.id(), ready->seq() });
            ++owed;
        }
    }
    if (owed)
        spdlog::info("slack: sending {} approval notification(s) left owed", owed);
    std::lock_guard lock(m_mutex);
    m_resumed = true;
}

void SlackNotifier::work()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        try {
            notify(job);
        } catch (const std::exception& e) {
            spdlog::error("slack: the approval notification for case {} failed unexpectedly: {}",
                job.caseId, e.what());
        }
        // Once resuming is over, a new ready event is only ever announced by the listener.
        std::lock_guard lock(m_mutex);
        if (m_resumed)
            m_seen.erase(job.readySeq);
    }
}

std::string SlackNotifier::message(const v1::Case& c, const std::vector<v1::User>& eligible,
    const std::string& missing, std::vector<std::string>& mentioned,
    std::vector<std::string>& named) const
{
    std::vector<std::string> who;
    for (const auto& u : eligible) {
        const auto member = m_config.members.find(u.username());
        if (member != m_config.members.end()) {
            who.push_back("<@" + member->second + ">");
            mentioned.push_back(u.id());
        } else {
            who.push_back(slackEscape(u.display_name().empty() ? u.username() : u.display_name()));
            named.push_back(u.id());
        }
    }
    const std::string title = c.title().empty() ? "Case " + c.id() : c.title();
    const std::string link = caseLink(m_config.caseUrlTemplate, c.id());
    const std::string whoText = who.empty()
        ? "*Nobody can approve it now*" + (missing.empty() ? "" : ": " + slackEscape(missing))
        : "*Can approve:* " + joined(who);
    const std::string fallback = "Approval waiting: " + slackEscape(clipText(title, 300)) + " <"
        + link + "> — "
        + (who.empty() ? "nobody can approve it now" : "can approve: " + joined(who));
    const json body = {
        { "text", fallback },
        { "blocks",
            json::array({
                { { "type", "section" },
                    { "text",
                        { { "type", "mrkdwn" },
                            { "text",
                                "*Approval waiting:* <" + link + "|"
                                    + slackEscape(clipText(title, 300)) + ">" } } } },
                { { "type", "section" },
                    { "fields",
                        json::array({ field("Type", c.type()), field("Amount", caseAmountText(c)),
                            field("Customer", c.customer()), field("Rule", c.rule()) }) } },
                { { "type", "section" },
                    { "text", { { "type", "mrkdwn" }, { "text", whoText } } } },
            }) },
    };
    return body.dump();
}

void SlackNotifier::notify(const Job& job)
{
    auto c = m_store.read()->loadCase(job.caseId);
    if (!c)
        return;
    if (!wanted(*c)) {
        // Approved, denied or sent back before the worker got to it: nobody is waiting any more.
        spdlog::info("slack: case {} no longer awaits approval; no notification sent", job.caseId);
        return;
    }
    const auto people = m_service.accounts().people();
    const std::int64_t now = core::systemNowMs();
    const v1::RuleCheck check = core::explain(m_service.config(), *c, people, now);
    std::vector<v1::User> eligible;
    std::string missing;
    // The open stage is the first one not satisfied: its eligible approvers are who can act now.
    for (const auto& stage : check.stages()) {
        if (stage.satisfied())
            continue;
        for (const auto& username : stage.eligible()) {
            const auto it = std::find_if(people.begin(), people.end(),
                [&](const v1::User& u) { return u.username() == username; });
            if (it != people.end())
                eligible.push_back(*it);
        }
        break;
    }
    if (eligible.empty() && check.missing_size() > 0)
        missing = check.missing(0);

    v1::Notification notification;
    notification.set_channel("slack");
    notification.set_reason("approval_waiting");
    notification.set_about_seq(job.readySeq);
    std::vector<std::string> mentioned;
    std::vector<std::string> named;
    const std::string body = message(*c, eligible, missing, mentioned, named);
    for (const auto& id : mentioned)
        notification.add_mentioned(id);
    for (const auto& id : named)
        notification.add_named(id);

    const SlackDelivery delivery = postToSlack(m_target, body, &m_stopping);
    if (delivery.state == v1::ACTION_STATE_UNSPECIFIED)
        return; // stopping before it was posted: sent at the next start
    notification.set_state(delivery.state);
    notification.set_code(delivery.code);
    notification.set_message(delivery.message);
    notification.set_attempts(delivery.attempts);
    if (delivery.state == v1::ACTION_STATE_SUCCEEDED)
        spdlog::info("slack: told {} that case {} awaits approval",
            eligible.empty() ? std::string("the channel (nobody is eligible)")
                             : std::to_string(eligible.size()) + " approver(s)",
            job.caseId);
    else
        spdlog::warn("slack: the approval notification for case {} was not confirmed: {} {}",
            job.caseId, delivery.code, delivery.message);
    record(job.caseId, notification);
}

void SlackNotifier::record(const std::string& caseId, const v1::Notification& notification)
{
    v1::Command command;
    command.set_command_id(
        "notify-slack-" + caseId + "-" + std::to_string(notification.about_seq()));
    auto* recordAction = command.mutable_record_action();
    recordAction->set_case_id(caseId);
    *recordAction->mutable_notification() = notification;
    const core::Actor actor { "plugin:slack", "slack", {} };
    auto done = std::make_shared<std::promise<v1::CommandResult>>();
    auto result = done->get_future();
    m_service.submit(actor, command, [done](const v1::CommandResult& r) { done->set_value(r); });
    for (int slice = 0;
         result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready; ++slice) {
        if (m_stopping || slice == 300) {
            spdlog::warn(
                "slack: the approval notification for case {} was sent but not recorded", caseId);
            return;
        }
    }
    const auto r = result.get();
    if (!r.accepted())
        spdlog::error("slack: recording the notification for case {} was refused: {} {}", caseId,
            r.code(), r.message());
}

} // namespace latch::plugins
