#include "bundleverifier.h"

#include "latch/base64.h"
#include "latch/hashing.h"
#include "latch/merkle.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace latch::cli {

namespace {

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string label(std::uint64_t seq, std::uint64_t version)
{
    return "event seq " + std::to_string(seq) + " (version " + std::to_string(version) + ")";
}

// One event of the bundle once its bytes are read and checked against themselves.
struct Checked {
    std::size_t index = 0;
    v1::Event event;
    std::string name; // "event seq 12 (version 4)"
    bool intact = false; // bytes, canonical form and hash agree
};

class Verifier {
public:
    Verifier(const Bundle& bundle, const std::vector<note::VerifierKey>& keys)
        : m_bundle(bundle)
        , m_keys(keys)
    {
    }

    BundleCheck run()
    {
        checkCheckpoint();
        std::vector<Checked> events;
        for (std::size_t i = 0; i < m_bundle.events.size(); ++i) {
            if (auto checked = readEvent(i))
                events.push_back(std::move(*checked));
        }
        for (const auto& c : events) {
            if (c.intact && m_out.checkpointVerified)
                checkInclusion(c);
        }
        checkOrder(events);
        checkChain(events);
        if (m_bundle.events.empty())
            problem("the bundle holds no events");
        m_out.events = m_bundle.events.size();
        return std::move(m_out);
    }

private:
    void problem(std::string text) { m_out.problems.push_back(std::move(text)); }

    void checkCheckpoint()
    {
        if (m_bundle.hasCheckpointFile && m_bundle.checkpointFile != m_bundle.checkpoint)
            problem("checkpoint.note differs from the checkpoint in bundle.json: one of them was "
                    "changed");
        const auto opened = note::open(m_bundle.checkpoint, m_keys);
        if (!opened) {
            const auto& f = opened.failure();
            if (f.code == "note.unverified")
                problem("the checkpoint is not signed by the key given: " + f.message);
            else if (f.code == "note.bad_signature")
                problem("the checkpoint's signature does not verify (" + f.message
                    + "): the checkpoint was changed after it was signed");
            else
                problem("the checkpoint is not a well-formed signed note: " + f.message);
            return;
        }
        const auto parsed = note::parseCheckpoint(opened->text);
        if (!parsed) {
            problem("the signed checkpoint does not parse: " + parsed.failure().message);
            return;
        }
        m_out.checkpoint = *parsed;
        m_out.signers = opened->signers;
        if (parsed->origin != m_bundle.origin) {
            problem("the checkpoint is of the log \"" + parsed->origin
                + "\", not of this bundle's \"" + m_bundle.origin + "\"");
            return;
        }
        if (m_bundle.checkpointSize != 0 && m_bundle.checkpointSize != parsed->size)
            problem("bundle.json says the checkpoint signs "
                + std::to_string(m_bundle.checkpointSize)
                + " events, but the signed checkpoint says " + std::to_string(parsed->size));
        m_out.checkpointVerified = true;
    }

    std::optional<Checked> readEvent(std::size_t i)
    {
        const BundleEvent& b = m_bundle.events[i];
        const std::string listed = label(b.seq, b.version);
        if (!b.malformed.empty()) {
            problem("entry " + std::to_string(i + 1) + " of the events (" + listed
                + ") cannot be read: " + b.malformed);
            return std::nullopt;
        }
        const auto bytes = base64Decode(b.event);
        if (!bytes) {
            problem(listed + ": its event bytes are not valid base64");
            return std::nullopt;
        }
        Checked c;
        c.index = i;
        if (!c.event.ParseFromString(*bytes)) {
            problem(listed + ": its event bytes do not parse as an event");
            return std::nullopt;
        }
        c.name = label(c.event.seq(), c.event.case_version());
        if (c.event.seq() != b.seq || c.event.case_version() != b.version) {
            problem("entry " + std::to_string(i + 1) + " is listed as " + listed
                + " but its bytes hold " + c.name);
            return c;
        }
        if (c.event.case_id() != m_bundle.caseId) {
            problem(
                c.name + " belongs to case " + c.event.case_id() + ", not to " + m_bundle.caseId);
            return c;
        }
        const std::string canonical = canonicalEventBytes(c.event);
        const std::string computed = computeEventHash(c.event);
        if (computed != c.event.hash()) {
            problem(c.name + ": its hash does not match its contents");
            return c;
        }
        const auto listedCanonical = base64Decode(b.canonical);
        if (!listedCanonical || *listedCanonical != canonical) {
            problem(c.name + ": its canonical bytes are not the canonical form of its contents");
            return c;
        }
        if (b.hash != toHex(computed)) {
            problem(c.name + ": the hash listed for it is not the hash of its contents");
            return c;
        }
        c.intact = true;
        return c;
    }

    void checkInclusion(const Checked& c)
    {
        const BundleEvent& b = m_bundle.events[c.index];
        const std::uint64_t seq = c.event.seq();
        if (seq == 0 || seq > m_out.checkpoint.size) {
            problem(c.name + " is not in the signed log: the checkpoint signs "
                + std::to_string(m_out.checkpoint.size) + " events");
            return;
        }
        if (b.leafIndex != seq - 1) {
            problem(c.name + " is not in the signed log where it should be: its proof is for leaf "
                + std::to_string(b.leafIndex) + ", but event seq " + std::to_string(seq)
                + " is leaf " + std::to_string(seq - 1));
            return;
        }
        std::vector<merkle::Hash> proof;
        for (const auto& h : b.proof) {
            const auto hash = merkle::hashFromBase64(h);
            if (!hash) {
                problem(c.name + ": its inclusion proof holds something that is not a base64 hash");
                return;
            }
            proof.push_back(*hash);
        }
        const auto leaf = merkle::leafHash(c.event.hash());
        if (!merkle::verifyInclusion(
                seq - 1, m_out.checkpoint.size, leaf, proof, m_out.checkpoint.root))
            problem(c.name
                + " is not in the signed log: its inclusion proof does not lead to the "
                  "checkpoint's root");
    }

    void checkOrder(const std::vector<Checked>& events)
    {
        std::set<std::uint64_t> seen;
        std::uint64_t newest = 0;
        for (const auto& c : events) {
            const std::uint64_t seq = c.event.seq();
            if (!seen.insert(seq).second)
                problem(c.name + " appears twice: an event was inserted");
            else if (seq <= newest)
                problem(c.name + " appears out of order (after event seq " + std::to_string(newest)
                    + ")");
            newest = std::max(newest, seq);
        }
    }

    void checkChain(const std::vector<Checked>& events)
    {
        std::map<std::uint64_t, const Checked*> byVersion;
        for (const auto& c : events) {
            if (c.event.case_version() == 0)
                problem(c.name + " has no case version");
            else
                byVersion.emplace(c.event.case_version(), &c); // the first of a duplicate counts
        }
        if (byVersion.empty())
            return;
        const std::uint64_t newest = byVersion.rbegin()->first;
        for (std::uint64_t v = 1; v <= newest; ++v) {
            const auto it = byVersion.find(v);
            if (it == byVersion.end()) {
                problem("version " + std::to_string(v) + " is missing: an event was removed");
                continue;
            }
            const v1::Event& e = it->second->event;
            if (v == 1) {
                if (e.prev_hash() != zeroHash())
                    problem(it->second->name
                        + ": it is the case's first event but its prev_hash is not zero");
                continue;
            }
            const auto before = byVersion.find(v - 1);
            if (before != byVersion.end() && e.prev_hash() != before->second->event.hash())
                problem(it->second->name + ": its prev_hash is not the hash of version "
                    + std::to_string(v - 1) + ": the chain is broken");
        }
    }

    const Bundle& m_bundle;
    const std::vector<note::VerifierKey>& m_keys;
    BundleCheck m_out;
};

} // namespace

BundleCheck verifyBundle(const Bundle& bundle, const std::vector<note::VerifierKey>& keys)
{
    return Verifier(bundle, keys).run();
}

Expected<std::vector<note::VerifierKey>> parseVerifierKeys(
    const std::string& text, const std::string& source)
{
    std::istringstream in(text);
    std::vector<note::VerifierKey> keys;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::string key = trim(line);
        const bool comment = !key.empty() && key[0] == '#';
        if (comment)
            key = trim(key.substr(1));
        if (key.empty())
            continue;
        auto decoded = note::decodeVerifierKey(key);
        if (decoded)
            keys.push_back(*decoded);
        else if (!comment)
            return fail("key.unreadable",
                source + ":" + std::to_string(number)
                    + ": not a verifier key: " + decoded.failure().message);
    }
    if (keys.empty())
        return fail("key.unreadable", source + " holds no verifier key");
    return keys;
}

Expected<std::vector<note::VerifierKey>> readVerifierKeys(const std::string& key)
{
    if (auto one = note::decodeVerifierKey(trim(key)))
        return std::vector<note::VerifierKey> { *one };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(key, ec))
        return fail("key.unreadable",
            "\"" + key + "\" is neither a verifier key (name+id+base64) nor a file of them");
    std::ifstream in(key);
    std::ostringstream text;
    text << in.rdbuf();
    return parseVerifierKeys(text.str(), key);
}

} // namespace latch::cli
