#pragma once
// Signed notes (c2sp.org/signed-note) with Ed25519 keys, and the transparency-log checkpoints
// carried in them (c2sp.org/tlog-checkpoint). Byte for byte what golang.org/x/mod/sumdb/note
// writes and accepts, so a log's checkpoints verify with the Go tools and witnesses, and theirs
// with ours.
//
// A note is a text ending in "\n", a blank line, and one or more signature lines
//   "\u2014 <key name> <base64(4-byte big-endian key id || 64-byte Ed25519 signature)>\n".
// A key is named (non-empty UTF-8, no white space, no '+') and identified by
//   key id = first 4 bytes, big endian, of SHA-256(name || "\n" || 0x01 || 32-byte public key).
// Its text forms are "<name>+<8 hex key id>+<base64(0x01 || public key)>" and, for the secret
// one, "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>".
//
// Every function is reentrant; libsodium is initialised once, on first use, from any thread.
// A SigningKey holds its secret in plain memory: keep it out of logs and copies.
#include "latch/expected.h"
#include "latch/merkle.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace latch::note {

struct SigningKey {
    std::string name;
    std::array<std::uint8_t, 64> secret {}; // libsodium's form: the 32-byte seed, then publicKey
    std::array<std::uint8_t, 32> publicKey {};
    std::uint32_t keyId = 0;
};

struct VerifierKey {
    std::string name;
    std::uint32_t keyId = 0;
    std::array<std::uint8_t, 32> publicKey {};
};

// Failure codes: "note.bad_name", "note.bad_key", "note.key_id_mismatch",
// "note.unknown_algorithm", "note.malformed", "note.ambiguous_key", "note.bad_signature",
// "note.unverified", "checkpoint.malformed", "checkpoint.bad_origin".

bool isValidKeyName(std::string_view name);
std::uint32_t keyId(std::string_view name, const std::array<std::uint8_t, 32>& publicKey);

// A new random Ed25519 key. Refuses a name that is not a valid key name.
Expected<SigningKey> generateKey(std::string name);
VerifierKey verifierKey(const SigningKey& key);

std::string encodeVerifierKey(const VerifierKey& key);
Expected<VerifierKey> decodeVerifierKey(std::string_view text);
std::string encodeSigningKey(const SigningKey& key);
Expected<SigningKey> decodeSigningKey(std::string_view text);

// `text` is the note's body and must end with "\n" and be valid UTF-8 without control
// characters other than newline. Returns text, a blank line and the key's signature line.
Expected<std::string> sign(std::string_view text, const SigningKey& key);
// Adds the key's signature line after those `note` already carries; one by the same name and
// key id is replaced. The existing signatures are checked for syntax only.
Expected<std::string> addSignature(std::string_view note, const SigningKey& key);

struct Verified {
    std::string text; // the body, ending in "\n"
    std::vector<std::string> signers; // names of the known keys that signed it, in note order
};
// Verifies every signature whose (name, key id) is a known key's and ignores the others. Fails
// when a line is malformed, when a known key's signature does not verify, or when no known key
// signed the note.
Expected<Verified> open(std::string_view note, const std::vector<VerifierKey>& keys);

struct Checkpoint {
    std::string origin;
    std::uint64_t size = 0;
    merkle::Hash root {};
    std::vector<std::string> extensions; // extra lines, opaque, each non-empty
};
// "<origin>\n<decimal size>\n<base64 root>\n". The origin must be non-empty, one line, valid
// UTF-8 without control characters.
Expected<std::string> checkpointBody(
    std::string origin, std::uint64_t size, const merkle::Hash& root);
Expected<Checkpoint> parseCheckpoint(std::string_view body);

} // namespace latch::note
