#include "proof/caseprover.h"

#include "store/auditlog.h"
#include "store/connection.h"

#include <spdlog/spdlog.h>

namespace latch::proof {

Expected<std::unique_ptr<CaseProver>> CaseProver::open(const std::string& dbPath,
                                                       std::shared_ptr<store::Checkpoints> checkpoints,
                                                       Checkpointer& checkpointer, std::string origin)
{
    try {
        auto connection = store::Connection::open(dbPath, store::sqlite::OpenMode::ReadOnly);
        return std::unique_ptr<CaseProver>(new CaseProver(
            std::move(connection), std::move(checkpoints), checkpointer, std::move(origin)));
    } catch (const std::exception& e) {
        return fail("store.open", "Could not open the database " + dbPath + ": " + e.what());
    }
}

CaseProver::CaseProver(std::unique_ptr<store::Connection> connection,
                       std::shared_ptr<store::Checkpoints> checkpoints, Checkpointer& checkpointer,
                       std::string origin)
    : m_connection(std::move(connection))
    , m_checkpoints(std::move(checkpoints))
    , m_checkpointer(checkpointer)
    , m_origin(std::move(origin))
{
}

CaseProver::~CaseProver() = default;

Expected<store::CheckpointRecord> CaseProver::checkpointCovering(std::uint64_t seq)
{
    if (auto newest = m_checkpoints->latest(); newest && newest->size >= seq)
        return *newest;
    // The case moved on since the last checkpoint: its events are committed, so logged; sign now.
    auto issued = m_checkpointer.issueNow();
    if (!issued)
        return issued.failure();
    if (issued->size < seq)
        return fail("proof.unavailable", "the newest checkpoint signs " + std::to_string(issued->size)
                                             + " events, not yet event " + std::to_string(seq)
                                             + "; try again");
    return issued;
}

Expected<v1::CaseProof> CaseProver::proveCase(const std::vector<v1::Event>& events)
{
    if (events.empty())
        return fail("proof.unavailable", "the case has no events to prove");
    auto checkpoint = checkpointCovering(events.back().seq());
    if (!checkpoint)
        return checkpoint.failure();
    v1::CaseProof proof;
    proof.set_checkpoint(checkpoint->note);
    proof.set_origin(m_origin);
    proof.set_checkpoint_size(checkpoint->size);
    std::lock_guard lock(m_mutex);
    // Subtrees the checkpoint covers are complete and never rewritten, so any later read of the
    // log answers for them exactly as it did when the checkpoint was signed.
    store::LogReader log(*m_connection);
    for (const auto& e : events) {
        auto* inclusion = proof.add_inclusions();
        inclusion->set_seq(e.seq());
        inclusion->set_leaf_index(e.seq() - 1);
        for (const auto& h : log.inclusionProof(e.seq() - 1, checkpoint->size))
            inclusion->add_proof(reinterpret_cast<const char*>(h.data()), h.size());
    }
    spdlog::debug("proof: case {} proven against checkpoint #{} ({} events)", events.front().case_id(),
                  checkpoint->id, checkpoint->size);
    return proof;
}

} // namespace latch::proof
