#pragma once
// Per-type confidence thresholds: the classifier names a type only when its score for that type
// reaches the type's threshold; below it the suggestion is "no type" and a person decides. Read
// from JSON:
//   {"default": 0.5, "types": {"refund": 0.45, "vendor_bank_change": 0.6}, "comment": "..."}
// Every value is in [0, 1]; "types" and "comment" may be left out. A plain value type.
#include "latch/expected.h"

#include <map>
#include <string>
#include <string_view>

namespace latch::triage {

struct Thresholds {
    double fallback = 0.5; // for every type not listed in byType
    std::map<std::string, double> byType;

    double forType(const std::string& type) const;

    friend bool operator==(const Thresholds&, const Thresholds&) = default;
};

// Failure code: triage.thresholds, naming the source and what is wrong.
Expected<Thresholds> parseThresholds(std::string_view json, const std::string& source);

// As parseThresholds, reading the file; triage.io when it cannot be read.
Expected<Thresholds> loadThresholds(const std::string& path);

} // namespace latch::triage
