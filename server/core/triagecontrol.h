#pragma once
// What the core asks of triage for the admin queries triage_train and triage_eval: retrain the
// model (from the starter set and the cases people confirmed) and score it on labelled examples.
// Implemented by server/triage; called on a network thread, never the writer. Thread-safe.
#include "latch.pb.h"
#include "latch/expected.h"

#include <vector>

namespace latch::core {

class TriageControl {
public:
    virtual ~TriageControl() = default;
    virtual Expected<v1::TriageReport> train() = 0;
    virtual Expected<v1::TriageReport> evaluate(const std::vector<v1::TriageExample>& examples) = 0;
};

} // namespace latch::core
