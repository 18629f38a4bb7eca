#pragma once
// An exported case bundle: what `latchctl export` writes and `latchctl verify` reads. bundle.json
// holds the case's events exactly as the server stored them, each with its canonical bytes, hash
// and inclusion proof, and the signed checkpoint they are proven against (docs/latchctl.md,
// "Exporting and verifying a case"). Nothing in it needs the server to be checked.
//
// Reading is lenient per event on purpose: a bundle whose events were tampered with must still
// read, so that the verifier can name the event; only a file that is not a bundle at all fails.
#include "latch.pb.h"
#include "latch/expected.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace latch::cli {

inline constexpr const char* kBundleFormat = "latch.case-bundle";
inline constexpr int kBundleVersion = 1;

// One event as the bundle lists it. Strings are as written (base64, hex), not decoded: deciding
// whether they are sound is the verifier's job.
struct BundleEvent {
    std::uint64_t seq = 0;
    std::uint64_t version = 0;
    std::string kind;
    std::string event; // base64 of the Event protobuf as stored
    std::string canonical; // base64 of canonicalEventBytes(event)
    std::string hash; // hex SHA-256 of the canonical bytes
    std::uint64_t leafIndex = 0;
    std::vector<std::string> proof; // base64 hashes, the inclusion proof from the leaf up
    std::string malformed; // why the entry could not be read, when it could not
};

struct Bundle {
    int version = 0;
    std::string origin;
    std::string checkpoint; // the signed note
    std::uint64_t checkpointSize = 0;
    std::string rulesVersion;
    std::string caseId;
    std::vector<BundleEvent> events;
    std::string checkpointFile; // checkpoint.note beside it, "" when there is none
    bool hasCheckpointFile = false;
};

// bundle.json for a get_case_proof answer, its keys in the order documented. `server` is the
// address it came from (informational).
nlohmann::ordered_json bundleJson(
    const v1::CaseProof& proof, const std::string& server, std::int64_t exportedMs);

// A bundle from its JSON; `source` names it in the failure (bundle.unreadable).
Expected<Bundle> parseBundle(const nlohmann::json& json, const std::string& source);

// The bundle a get_case_proof answer makes, read back as `latchctl verify` reads bundle.json.
Bundle bundleFromProof(const v1::CaseProof& proof);

// Reads `path`: a bundle directory or its bundle.json. Failure bundle.unreadable with the path
// and what is wrong when it is not a readable bundle.
Expected<Bundle> readBundle(const std::string& path);

// The signers a signed note names on its signature lines: "name (key id 1a2b3c4d)". No signature
// is checked.
std::vector<std::string> noteSigners(const std::string& note);

} // namespace latch::cli
