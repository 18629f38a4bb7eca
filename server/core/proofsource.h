#pragma once
// What the core asks of the audit log for the get_case_proof query: where a case's events sit in
// the log, and a signed checkpoint those proofs are against. Implemented by server/proof; called
// on a network thread, never the writer. Thread-safe.
#include "latch.pb.h"
#include "latch/expected.h"

#include <vector>

namespace latch::core {

class ProofSource {
public:
    virtual ~ProofSource() = default;
    // `events`: one case's events as stored, in seq order (already committed, so already logged).
    // Returns a CaseProof with checkpoint, origin, checkpoint_size and one inclusion per event
    // filled in; the caller adds the case, its events and the rules version. Failures:
    // proof.unavailable, proof.inconsistent (the stored history no longer matches what was
    // signed), store.write (no checkpoint could be recorded).
    virtual Expected<v1::CaseProof> proveCase(const std::vector<v1::Event>& events) = 0;
};

} // namespace latch::core
