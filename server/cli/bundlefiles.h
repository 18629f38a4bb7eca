#pragma once
// Writing an exported case bundle to disk: bundle.json, checkpoint.note and report.html in one
// directory, as `latchctl export` and the app's Proof tab both write it.
#include "latch.pb.h"
#include "latch/expected.h"
#include "people.h"

#include <cstdint>
#include <string>
#include <vector>

namespace latch::cli {

struct BundleTarget {
    std::string dir; // created when missing
    std::string server; // where the proof came from (informational, in bundle.json and the report)
    std::int64_t exportedMs = 0;
    bool force = false; // write into a directory that already holds other files
};

// Writes the three files, each through a temporary file renamed into place, and returns their
// paths. Failures: bundle.not_a_directory, bundle.not_empty (a directory with files in it and no
// `force`), bundle.write_failed; each names the path.
Expected<std::vector<std::string>> writeBundleFiles(
    const v1::CaseProof& proof, const People& people, const BundleTarget& target);

} // namespace latch::cli
