#include "bundle.h"

#include "latch/base64.h"
#include "latch/hashing.h"
#include "render.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace latch::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 "; // U+2014 em dash, then a space

Failure unreadable(const std::string& path, const std::string& why)
{
    return fail("bundle.unreadable", path + " is not a readable case bundle: " + why);
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// An unsigned number in a JSON object, 0 (and `ok` false) when absent or of another type.
std::uint64_t number(const nlohmann::json& object, const char* key, bool& ok)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_unsigned()) {
        ok = false;
        return 0;
    }
    return it->get<std::uint64_t>();
}

std::string text(const nlohmann::json& object, const char* key, bool& ok)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        ok = false;
        return {};
    }
    return it->get<std::string>();
}

BundleEvent readEvent(const nlohmann::json& entry)
{
    BundleEvent e;
    if (!entry.is_object()) {
        e.malformed = "it is not a JSON object";
        return e;
    }
    bool ok = true;
    e.seq = number(entry, "seq", ok);
    e.version = number(entry, "case_version", ok);
    bool optional = true;
    e.kind = text(entry, "kind", optional);
    e.event = text(entry, "event", ok);
    e.canonical = text(entry, "canonical", ok);
    e.hash = text(entry, "hash", ok);
    e.leafIndex = number(entry, "leaf_index", ok);
    const auto proof = entry.find("inclusion_proof");
    if (proof == entry.end() || !proof->is_array()) {
        ok = false;
    } else {
        for (const auto& h : *proof) {
            if (h.is_string())
                e.proof.push_back(h.get<std::string>());
            else
                ok = false;
        }
    }
    if (!ok)
        e.malformed = "it lacks one of seq, case_version, event, canonical, hash, leaf_index and "
                      "inclusion_proof, or one of them has the wrong type";
    return e;
}

std::string hex8(std::uint32_t v)
{
    char buffer[9] = {};
    std::snprintf(buffer, sizeof buffer, "%08x", v);
    return buffer;
}

} // namespace

nlohmann::ordered_json bundleJson(
    const v1::CaseProof& proof, const std::string& server, std::int64_t exportedMs)
{
    auto events = nlohmann::ordered_json::array();
    for (int i = 0; i < proof.events_size(); ++i) {
        const v1::Event& e = proof.events(i);
        std::string bytes;
        e.SerializeToString(&bytes);
        auto hashes = nlohmann::ordered_json::array();
        std::uint64_t leaf = e.seq() - 1;
        if (i < proof.inclusions_size()) {
            leaf = proof.inclusions(i).leaf_index();
            for (const auto& h : proof.inclusions(i).proof())
                hashes.push_back(base64Encode(h));
        }
        events.push_back(nlohmann::ordered_json { { "seq", e.seq() },
            { "case_version", e.case_version() }, { "kind", eventKindName(e) },
            { "actor", e.actor() }, { "time_ms", e.time_ms() }, { "time", isoTime(e.time_ms()) },
            { "event", base64Encode(bytes) }, { "canonical", base64Encode(canonicalEventBytes(e)) },
            { "hash", toHex(e.hash()) }, { "leaf_index", leaf }, { "inclusion_proof", hashes } });
    }
    return nlohmann::ordered_json { { "format", kBundleFormat }, { "version", kBundleVersion },
        { "case_id", proof.case_().id() }, { "title", proof.case_().title() },
        { "origin", proof.origin() }, { "checkpoint", proof.checkpoint() },
        { "checkpoint_size", proof.checkpoint_size() }, { "rules_version", proof.rules_version() },
        { "server", server }, { "exported", isoTime(exportedMs) }, { "events", events } };
}

Expected<Bundle> parseBundle(const nlohmann::json& json, const std::string& source)
{
    if (!json.is_object())
        return unreadable(source, "it is not a JSON object");
    bool ok = true;
    if (text(json, "format", ok) != kBundleFormat || !ok)
        return unreadable(source, std::string("its \"format\" is not \"") + kBundleFormat + "\"");
    Bundle b;
    b.version = static_cast<int>(number(json, "version", ok));
    if (!ok || b.version != kBundleVersion)
        return unreadable(source,
            "it is version " + (ok ? std::to_string(b.version) : std::string("?"))
                + " of the format; this Latch reads version " + std::to_string(kBundleVersion));
    b.origin = text(json, "origin", ok);
    b.checkpoint = text(json, "checkpoint", ok);
    b.caseId = text(json, "case_id", ok);
    bool optional = true;
    b.rulesVersion = text(json, "rules_version", optional);
    b.checkpointSize = number(json, "checkpoint_size", optional);
    const auto events = json.find("events");
    if (!ok || events == json.end() || !events->is_array())
        return unreadable(source, "it lacks origin, checkpoint, case_id or events");
    for (const auto& entry : *events)
        b.events.push_back(readEvent(entry));
    return b;
}

Bundle bundleFromProof(const v1::CaseProof& proof)
{
    // Through the JSON a bundle file holds, so that what is checked here is checked as
    // `latchctl verify` checks an exported bundle.
    auto parsed = parseBundle(nlohmann::json::parse(bundleJson(proof, {}, 0).dump()), "the proof");
    return parsed ? std::move(*parsed) : Bundle {};
}

Expected<Bundle> readBundle(const std::string& path)
{
    std::error_code ec;
    fs::path file = path;
    if (fs::is_directory(file, ec))
        file /= "bundle.json";
    if (!fs::is_regular_file(file, ec))
        return unreadable(file.string(), "there is no such file");
    const auto json = nlohmann::json::parse(readFile(file), nullptr, false);
    if (json.is_discarded())
        return unreadable(file.string(), "it is not a JSON object");
    auto b = parseBundle(json, file.string());
    if (!b)
        return b;
    const fs::path note = file.parent_path() / "checkpoint.note";
    if (fs::is_regular_file(note, ec)) {
        b->hasCheckpointFile = true;
        b->checkpointFile = readFile(note);
    }
    return b;
}

std::vector<std::string> noteSigners(const std::string& note)
{
    std::vector<std::string> out;
    const std::size_t blank = note.find("\n\n");
    if (blank == std::string::npos)
        return out;
    std::istringstream lines(note.substr(blank + 2));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(kSignaturePrefix, 0) != 0)
            continue;
        const std::string rest = line.substr(kSignaturePrefix.size());
        const std::size_t space = rest.find(' ');
        if (space == std::string::npos)
            continue;
        std::string signer = rest.substr(0, space);
        const auto raw = base64Decode(rest.substr(space + 1));
        if (raw && raw->size() >= 4) {
            const auto byte = [&](std::size_t i) {
                return static_cast<std::uint32_t>(static_cast<unsigned char>((*raw)[i]));
            };
            signer += " (key id "
                + hex8((byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3)) + ")";
        }
        out.push_back(signer);
    }
    return out;
}

} // namespace latch::cli
