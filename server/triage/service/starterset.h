#pragma once
// The starter set shipped in resources/triage, compiled into the server: labelled examples
// (JSONL) and the per-type confidence thresholds tuned on them (JSON).
#include <string>

namespace latch::triage {

const std::string& starterSetText();
const std::string& starterThresholdsText();

} // namespace latch::triage
