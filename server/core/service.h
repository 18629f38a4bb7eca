#pragma once
// The core as the network layer sees it: log in, authenticate a token, submit commands, run
// queries, read snapshots, and hear about every committed batch. Knows nothing of sockets.
//
// Threading: every method is thread-safe. Command results and committed batches are delivered on
// the writer thread; receivers must only copy and post the data to their own executor.
#include "core/actioncatalog.h"
#include "core/actor.h"
#include "core/config.h"
#include "core/proofsource.h"
#include "core/store.h"
#include "core/triagecontrol.h"
#include "latch.pb.h"
#include "latch/expected.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace latch::core {

class Engine;
class Accounts;

using Clock = std::function<std::int64_t()>; // Unix milliseconds

std::int64_t systemNowMs();

// One case's change in a committed batch: its row before (empty id when it is new), after, and the
// events appended to it.
struct CaseChange {
    v1::Case before;
    v1::Case after;
    std::vector<v1::Event> events;
};

struct CommittedBatch {
    std::vector<CaseChange> changes;
    std::uint64_t uptoSeq = 0;
};

// What one connected session must be sent for a committed batch.
struct SessionUpdate {
    v1::EventBatch batch;          // events the user may see + cases that just came into view
    std::vector<v1::Revoke> revokes;
    bool empty() const { return batch.events_size() == 0 && batch.cases_size() == 0 && revokes.empty(); }
};

class Service {
public:
    Service(std::shared_ptr<const Config> config, Store& store, Clock clock = systemNowMs);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    const Config& config() const { return *m_config; }

    void start(); // starts the writer thread
    void stop();  // finishes every queued command, then stops the writer

    // Password login. `address` is the peer address, for rate limiting.
    v1::LoginResult login(const v1::Login& login, const std::string& address);
    // A token from LoginResult -> the acting user; fails with auth.invalid / auth.expired /
    // auth.revoked / auth.disabled.
    Expected<Actor> authenticate(const std::string& token);
    void logout(const std::string& token);

    // Queues a command. `done` runs on the writer thread after the command's events are durable
    // (or it was refused). A replayed command_id gets the first result.
    void submit(const Actor& actor, const v1::Command& command,
                std::function<void(const v1::CommandResult&)> done);

    // Read-only queries and admin requests, with visibility enforced.
    v1::QueryResult query(const Actor& actor, const v1::Query& query);

    // Sends the pages a (re)connecting client needs. cursor 0, or further behind than
    // limits.resetAfterEvents: a reset and every visible case. Otherwise a catch-up: every case
    // touched after the cursor, whole if visible, as a revocation if not. Pages stay under
    // limits.snapshotPageBytes. Returns the seq the snapshot covers; live batches with
    // uptoSeq <= it must be skipped by the caller. Throws std::runtime_error when the store
    // cannot be read; the caller ends that one connection.
    std::uint64_t snapshot(const Actor& actor, std::uint64_t cursor,
                           const std::function<void(v1::SnapshotPage&&)>& emit);

    // Filters a committed batch for one user (visibility before and after each change).
    SessionUpdate updateFor(const Actor& actor, const CommittedBatch& batch) const;

    // Listeners are called on the writer thread for every committed batch, in seq order.
    using Listener = std::function<void(const std::shared_ptr<const CommittedBatch>&)>;
    std::uint64_t addListener(Listener listener);
    void removeListener(std::uint64_t id);

    // Account listeners hear the username of every account an administrator just changed (roles,
    // password, disabled, sessions revoked), on the thread that made the change, so that open
    // sessions of that user can re-check their token and roles at once. Must only post.
    using AccountListener = std::function<void(const std::string& username)>;
    std::uint64_t addAccountListener(AccountListener listener);
    void removeAccountListener(std::uint64_t id);

    // The actions plugins offer (null: none). Before start(); must outlive the service.
    void setActionCatalog(const ActionCatalog* catalog);
    // Triage's model, for the triage_train and triage_eval queries (null: triage is off). Before
    // start(); must outlive the service.
    void setTriageControl(TriageControl* triage) { m_triage = triage; }
    // The audit log's proofs, for the get_case_proof query (null: the query fails with
    // proof.unavailable). Before start(); must outlive the service.
    void setProofSource(ProofSource* proofs) { m_proofs = proofs; }

    std::uint64_t headSeq();
    Engine& engine();
    Accounts& accounts();

private:
    v1::QueryResult runQuery(const Actor& actor, const v1::Query& query);
    v1::QueryResult caseProof(const Actor& actor, const v1::Query& query, std::int64_t now);
    v1::ActionOffer describeOffer(const Actor& actor, const v1::Case& c, const ActionSpec& spec,
                                  std::int64_t now) const;
    void accountChanged(const std::string& username);

    std::shared_ptr<const Config> m_config;
    Store& m_store;
    Clock m_clock;
    std::unique_ptr<Accounts> m_accounts;
    std::unique_ptr<Engine> m_engine;
    const ActionCatalog* m_actions = nullptr;
    TriageControl* m_triage = nullptr;
    ProofSource* m_proofs = nullptr;

    std::mutex m_listenerMutex;
    std::uint64_t m_nextListener = 1;
    std::vector<std::pair<std::uint64_t, Listener>> m_listeners;
    std::vector<std::pair<std::uint64_t, AccountListener>> m_accountListeners;
};

// Whether `actor` may see case `c`: admins; the assignee, requester, preparer and approvers; members of a role
// that works the case's queue; and, while it awaits approval, anyone eligible to approve it now.
bool canSee(const Config& config, const Actor& actor, const v1::Case& c, std::int64_t nowMs);

} // namespace latch::core
