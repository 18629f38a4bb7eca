#pragma once
// The classifier's file format. Line 1 is "latch-triage-model 1"; line 2 is a JSON header
// (model, version, options with thresholds, types, payload_bytes, payload_sha256); the rest is
// fastText's own .bin, byte for byte. The payload's size and SHA-256 are checked here, before
// fastText reads it: fastText trusts the sizes it finds in a file, and a damaged one could make
// it allocate without bound or read past the end.
#include "latch/expected.h"
#include "triage/classifier.h"

#include <string>
#include <vector>

namespace latch::triage {

struct ModelHeader {
    std::string version;
    TrainOptions options;
    std::vector<std::string> types;
};

struct ModelFile {
    ModelHeader header;
    std::string payload; // fastText's .bin
};

// The options as canonical JSON (sorted keys, shortest round-trip numbers). Also what
// Classifier::version() hashes, so it must not change for the same options.
std::string optionsToJson(const TrainOptions& options);

std::string encodeModelFile(const ModelHeader& header, const std::string& payload);

// Failure codes: triage.model_format (not this format, or a newer one), triage.model_corrupt
// (bad header, wrong size or checksum). `path` is only used in messages.
Expected<ModelFile> decodeModelFile(std::string bytes, const std::string& path);

} // namespace latch::triage
