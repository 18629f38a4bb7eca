#pragma once
// Tells the people who may approve a case that it is waiting for them. When a case is marked ready
// and a rule needs approvals, it posts "Approval waiting: <case>" to a Slack channel, mentioning
// the approvers eligible for the rule's open stage (the same list the app's approval panel shows:
// the stage's roles, never the preparer or the requester, nobody who already approved), by Slack
// member id where plugins.slack.members has one and by name otherwise. Then it records on the case,
// as plugin:slack, a notification event saying whom it told, or that telling them failed.
//
// A notification is not an action: no gate, no plan, and the writer never waits for Slack (it is
// posted from a worker of its own). One per time a case becomes ready: the recorded event's command
// id is derived from the marked_ready event, and at start it posts the ones a stop or a crash left
// owed (cases still waiting, marked ready within the last hour). A crash between posting and
// recording can post one a second time; a call Slack may have received unanswered is recorded as
// unknown and not sent again.
//
// Threading: start()/stop() from the main thread; the listener only queues; one worker posts.
// Must outlive the Service's writer (stop() it after Service::stop()).
#include "core/config.h"
#include "core/service.h"
#include "core/store.h"
#include "plugins/slackwebhook.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace latch::plugins {

class SlackNotifier {
public:
    SlackNotifier(core::Service& service, core::Store& store, core::SlackPluginConfig config,
        std::string webhookUrl);
    ~SlackNotifier();
    SlackNotifier(const SlackNotifier&) = delete;
    SlackNotifier& operator=(const SlackNotifier&) = delete;

    // Listens for cases becoming ready and posts the notifications left owed.
    void start();
    // requestStop() only asks (safe from a signal handler's strand); stop() also joins.
    void requestStop();
    void stop();

    // The message for case `c` waiting for the people in `eligible` (user ids), as posted; fills
    // `mentioned` and `named` with who is addressed how.
    std::string message(const v1::Case& c, const std::vector<v1::User>& eligible,
        const std::string& missing, std::vector<std::string>& mentioned,
        std::vector<std::string>& named) const;

private:
    struct Job {
        std::string caseId;
        std::uint64_t readySeq = 0; // the marked_ready event it is about
    };

    bool wanted(const v1::Case& c) const;
    void enqueue(Job job);
    void resume();
    void work();
    void notify(const Job& job);
    void record(const std::string& caseId, const v1::Notification& notification);

    core::Service& m_service;
    core::Store& m_store;
    core::SlackPluginConfig m_config;
    SlackTarget m_target;
    std::uint64_t m_listener = 0;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::set<std::uint64_t> m_seen; // ready seqs queued or running (and done while resuming)
    bool m_resumed = false; // the owed ones are queued: done seqs need no remembering
    std::thread m_worker;
    std::atomic<bool> m_stopping { false };
};

} // namespace latch::plugins
