#pragma once
// The offline check of an exported case bundle (bundle.h): the checkpoint's signature by a
// trusted key and its origin; each event's bytes, canonical form and hash; the case's hash chain
// (versions 1..n, each prev_hash the hash of the version before, the first one zero); seqs
// strictly increasing; and each event's inclusion, as leaf seq - 1, in the tree the checkpoint
// signs. Every problem names the event (seq and version) or the checkpoint, in words.
//
// What it cannot see: events removed from the end of the case. The log proves that each listed
// event is in it, not that the case has no later event; compare the case's version with the
// server's to be sure of that.
#include "bundle.h"
#include "latch/signednote.h"

#include <string>
#include <vector>

namespace latch::cli {

struct BundleCheck {
    std::vector<std::string> problems; // empty: verified
    std::vector<std::string> signers; // key names that signed the checkpoint, when it verified
    note::Checkpoint checkpoint; // as signed, when it parsed
    bool checkpointVerified = false;
    std::size_t events = 0;
    bool verified() const { return problems.empty(); }
};

BundleCheck verifyBundle(const Bundle& bundle, const std::vector<note::VerifierKey>& keys);

// Verifier keys from KEY: a key's text ("name+id+base64"), or a file of them, one a line. Blank
// lines are skipped, and so are comments, except that "# name+id+base64" is read as a key (latch-
// server key prints retired keys that way; they still verify the checkpoints they signed).
// Failure key.unreadable when it is neither, or the file holds no key.
Expected<std::vector<note::VerifierKey>> readVerifierKeys(const std::string& key);

// The same, from the text of such a file (GET /.well-known/latch/log-keys serves one); `source`
// names it in the failure.
Expected<std::vector<note::VerifierKey>> parseVerifierKeys(
    const std::string& text, const std::string& source);

} // namespace latch::cli
