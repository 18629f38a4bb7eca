#pragma once
// Labelled examples for training and evaluating the classifier, read from JSONL: one object per
// line, {"type": "refund", "text": "..."}, nothing else. Blank lines are skipped. Every error
// names the source and the line, so a person can fix the file. The starter set ships as
// resources/triage/starter.jsonl (train on it) and resources/triage/heldout.jsonl (evaluate on it,
// never train on it); resources/triage/README.md says how the two were split.
#include "latch/expected.h"

#include <string>
#include <string_view>
#include <vector>

namespace latch::triage {

struct Example {
    std::string type; // lower-case letters, digits and '_': "refund", "vendor_bank_change"
    std::string text;

    friend bool operator==(const Example&, const Example&) = default;
};

// The eight case types of the starter set, sorted.
const std::vector<std::string>& starterTypes();

// True for a usable type name: 1..64 of [a-z0-9_], starting with a letter.
bool isValidTypeName(std::string_view type);

// Failure codes: triage.jsonl (a line is not a valid example; the message names source:line),
// triage.jsonl_empty (no examples at all).
Expected<std::vector<Example>> parseExamples(std::string_view jsonl, const std::string& source);

// As parseExamples, reading the file; triage.io when it cannot be read.
Expected<std::vector<Example>> loadExamples(const std::string& path);

} // namespace latch::triage
