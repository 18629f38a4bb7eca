#pragma once
// The server's ProofSource (core/proofsource.h): proves a case's events against a signed
// checkpoint of the audit log. It uses the newest checkpoint when that covers the case's newest
// event, and otherwise has the Checkpointer sign one now, so an export never waits for the next
// interval. Inclusion proofs are read from the log's stored subtrees (store/auditlog.h).
//
// Threading: any thread; its read connection is used under a mutex. The Checkpoints and the
// Checkpointer must outlive it.
#include "core/proofsource.h"
#include "proof/checkpointer.h"
#include "store/checkpoints.h"

#include <memory>
#include <mutex>
#include <string>

namespace latch::store {
class Connection;
}

namespace latch::proof {

class CaseProver final : public core::ProofSource {
public:
    // Opens a read-only connection of its own to the store's database. Failure store.open.
    static Expected<std::unique_ptr<CaseProver>> open(const std::string& dbPath,
                                                      std::shared_ptr<store::Checkpoints> checkpoints,
                                                      Checkpointer& checkpointer, std::string origin);
    ~CaseProver() override;

    Expected<v1::CaseProof> proveCase(const std::vector<v1::Event>& events) override;

private:
    CaseProver(std::unique_ptr<store::Connection> connection,
               std::shared_ptr<store::Checkpoints> checkpoints, Checkpointer& checkpointer,
               std::string origin);
    Expected<store::CheckpointRecord> checkpointCovering(std::uint64_t seq);

    std::mutex m_mutex;
    std::unique_ptr<store::Connection> m_connection;
    std::shared_ptr<store::Checkpoints> m_checkpoints;
    Checkpointer& m_checkpointer;
    std::string m_origin;
};

} // namespace latch::proof
