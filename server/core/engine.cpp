#include "core/engine.h"

#include "core/accounts.h"
#include "latch/casefold.h"
#include "core/commands.h"
#include "latch/hashing.h"

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <unordered_map>

namespace latch::core {

namespace {

constexpr std::size_t batchLimit = 512;
constexpr std::size_t maxCommandIdLength = 64;

std::shared_ptr<spdlog::logger> logger()
{
    static auto log = [] {
        auto existing = spdlog::get("engine");
        return existing ? existing : spdlog::default_logger()->clone("engine");
    }();
    return log;
}

v1::CommandResult refusal(const v1::Command& command, std::string code, std::string message)
{
    v1::CommandResult r;
    r.set_command_id(command.command_id());
    r.set_accepted(false);
    r.set_case_id(commandCaseId(command));
    r.set_code(std::move(code));
    r.set_message(std::move(message));
    return r;
}

} // namespace

Engine::Engine(const Config& config, Store& store, Accounts& accounts, Clock clock)
    : m_config(config)
    , m_store(store)
    , m_accounts(accounts)
    , m_clock(std::move(clock))
{
}

Engine::~Engine()
{
    stop();
}

void Engine::setBatchListener(BatchListener listener)
{
    m_listener = std::move(listener);
}

void Engine::start()
{
    m_nextSeq = m_store.headSeq() + 1;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void Engine::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Engine::submit(const Actor& actor, const v1::Command& command, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(Item{actor, command, std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    done(refusal(command, "server.stopping", "the server is shutting down; send it again later"));
}

v1::CommandResult Engine::submitAndWait(const Actor& actor, const v1::Command& command)
{
    auto promise = std::make_shared<std::promise<v1::CommandResult>>();
    auto future = promise->get_future();
    submit(actor, command, [promise](const v1::CommandResult& r) { promise->set_value(r); });
    return future.get();
}

void Engine::run()
{
    for (;;) {
        std::deque<Item> items;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                return;
            while (!m_queue.empty() && items.size() < batchLimit) {
                items.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        try {
            applyBatch(items);
        } catch (const std::exception& e) {
            // Only storage reads before the commit can throw (a failing disk, a damaged file):
            // nothing of the batch was stored and nobody was answered yet.
            logger()->error("batch of {} commands abandoned: {}", items.size(), e.what());
            m_nextSeq = m_store.headSeq() + 1;
            for (auto& item : items) {
                item.done(refusal(item.command, "store.read",
                                  "the server could not read its store; nothing was changed, "
                                  "send it again"));
            }
        }
    }
}

void Engine::applyBatch(std::deque<Item>& items)
{
    CommitBatch batch;
    std::vector<v1::CommandResult> results(items.size());
    // Cases touched by this batch, in their newest state, and as they were before it.
    std::unordered_map<std::string, v1::Case> working;
    std::map<std::string, CaseChange> changes; // ordered for a stable fan-out
    std::unordered_map<std::string, std::size_t> inBatch; // command_id -> index in batch.commands
    std::unordered_map<std::string, std::string> threads; // intake keys registered in this batch
    std::vector<bool> replay(items.size(), false);
    const std::uint64_t firstSeq = m_nextSeq;

    auto findPerson = [this](const std::string& username) { return m_accounts.findActor(username); };

    for (std::size_t i = 0; i < items.size(); ++i) {
        const Item& item = items[i];
        const v1::Command& cmd = item.command;
        if (cmd.command_id().empty() || cmd.command_id().size() > maxCommandIdLength) {
            results[i] = refusal(cmd, "command.bad_id", "every command needs an id of 1 to 64 characters");
            replay[i] = true; // not stored: there is no id to store it under
            continue;
        }
        // A command id names one command from one person: the same command again is a replay and
        // gets the first result; anything else under that id is refused, never silently answered
        // with another command's result.
        const std::string fingerprint = digestBytes(sha256(cmd.SerializeAsString()));
        const auto replayOf = [&](const std::string& actor, const std::string& storedFingerprint,
                                  const v1::CommandResult& first) {
            if (actor != item.actor.id || (!storedFingerprint.empty() && storedFingerprint != fingerprint)) {
                return refusal(cmd, "command.id_reused",
                               "this command id was already used for a different command; make a "
                               "new id for every command");
            }
            v1::CommandResult again = first;
            again.set_replayed(true);
            return again;
        };
        if (auto it = inBatch.find(cmd.command_id()); it != inBatch.end()) {
            const auto& earlier = batch.commands[it->second];
            results[i] = replayOf(earlier.actor, earlier.fingerprint, earlier.result);
            replay[i] = true;
            continue;
        }
        if (auto stored = m_store.findCommand(cmd.command_id())) {
            results[i] = replayOf(stored->actor, stored->fingerprint, stored->result);
            replay[i] = true;
            continue;
        }

        const auto loadCase = [&](const std::string& id) -> std::optional<v1::Case> {
            if (auto it = working.find(id); it != working.end())
                return it->second;
            return m_store.loadCase(id);
        };
        const auto findThread = [&](const std::string& key) -> std::optional<std::string> {
            if (auto it = threads.find(key); it != threads.end())
                return it->second;
            return m_store.findThread(key);
        };

        std::optional<v1::Case> current;
        if (cmd.kind_case() == v1::Command::kIntake) {
            const auto& intake = cmd.intake();
            // The same delivery again (a retried webhook, an email fetched twice) records
            // nothing: the answer names the case the first one went to.
            if (auto first = findThread("delivery:" + intake.delivery_key());
                first && !intake.delivery_key().empty()) {
                v1::CommandResult& r = results[i];
                r.set_command_id(cmd.command_id());
                r.set_accepted(true);
                r.set_replayed(true);
                r.set_case_id(*first);
                r.set_code("intake.duplicate");
                r.set_message("this delivery was already received, as case " + *first);
                inBatch[cmd.command_id()] = batch.commands.size();
                batch.commands.push_back(CommandRecord{cmd.command_id(), item.actor.id, r, fingerprint});
                continue;
            }
            for (const auto& key : intake.thread_keys()) {
                const auto id = findThread(key);
                if (!id)
                    continue;
                auto found = loadCase(*id);
                if (found && (found->status() != v1::CASE_STATUS_CLOSED || intake.join_closed())) {
                    current = std::move(found);
                    break;
                }
            }
        } else if (const std::string caseId = commandCaseId(cmd); !caseId.empty()) {
            current = loadCase(caseId);
        }

        const std::int64_t now = std::max(m_clock(), m_lastTimeMs);
        m_lastTimeMs = now;
        DecideContext ctx{m_config, now, findPerson, m_actions};
        Decision d = decide(ctx, item.actor, cmd, current);

        v1::CommandResult& r = results[i];
        r.set_command_id(cmd.command_id());
        r.set_accepted(d.accepted);
        r.set_case_id(d.caseId);
        r.set_code(d.code);
        r.set_message(d.message);

        if (!d.events.empty()) {
            v1::Case state = current ? *current : v1::Case{};
            auto& change = changes[d.caseId];
            if (change.after.id().empty() && change.events.empty())
                change.before = state;
            for (auto& e : d.events) {
                e.set_seq(m_nextSeq++);
                e.set_case_version(state.version() + 1);
                e.set_time_ms(now);
                e.set_prev_hash(state.last_hash().empty() ? zeroHash() : state.last_hash());
                e.set_hash(computeEventHash(e));
                applyEvent(state, e);
                r.add_seqs(e.seq());
                change.events.push_back(e);
                batch.events.push_back(e);
            }
            change.after = state;
            working[d.caseId] = std::move(state);
        }
        if (d.accepted) {
            for (const auto& key : d.threadKeys) {
                threads[key] = d.caseId;
                batch.threads.emplace_back(key, d.caseId);
            }
        }
        inBatch[cmd.command_id()] = batch.commands.size();
        batch.commands.push_back(CommandRecord{cmd.command_id(), item.actor.id, r, fingerprint});
    }

    for (const auto& [id, state] : working)
        batch.cases.push_back(state);

    if (!batch.events.empty() || !batch.commands.empty()) {
        auto committed = m_store.commit(batch);
        if (!committed) {
            logger()->error("commit of {} commands failed: {}", batch.commands.size(),
                            committed.failure().message);
            m_nextSeq = firstSeq;
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (!replay[i]) {
                    results[i] = refusal(items[i].command, "store.write",
                                         "the server could not store the command; nothing was "
                                         "changed, send it again");
                }
            }
            for (std::size_t i = 0; i < items.size(); ++i)
                items[i].done(results[i]);
            return;
        }
        ++m_batches;
        m_maxBatch = std::max<std::uint64_t>(m_maxBatch, items.size());
    }

    // Fan-out first, then the results: whoever gets a result can count on the batch being on its
    // way to every subscriber already.
    if (!batch.events.empty() && m_listener) {
        auto out = std::make_shared<CommittedBatch>();
        out->uptoSeq = m_nextSeq - 1;
        for (auto& [id, change] : changes)
            out->changes.push_back(std::move(change));
        m_listener(out);
    }

    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].done)
            items[i].done(results[i]);
    }
}

} // namespace latch::core
