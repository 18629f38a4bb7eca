#include "latch/signednote.h"

#include "latch/base64.h"
#include "latch/hashing.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <sodium.h>
#include <utility>

namespace latch::note {

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 "; // U+2014 em dash, then a space
constexpr std::uint8_t kAlgEd25519 = 0x01;
// The spec asks verifiers to accept at least 16; Go's verifier stops at 100.
constexpr std::size_t kMaxSignatures = 100;

void ensureSodium()
{
    // A function-local static is initialised once, thread-safely.
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        std::fputs("latch: sodium_init failed\n", stderr);
        std::abort();
    }
}

// The next code point of well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF), advancing i; nullopt when the bytes at i are not one.
std::optional<char32_t> nextCodePoint(std::string_view s, std::size_t& i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0; // no overlong forms
        if (b0 == 0xED)
            hi = 0x9F; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F; // nothing past U+10FFFF
    } else {
        return std::nullopt;
    }
    if (i + length > s.size())
        return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
        const unsigned char b = byte(i + k);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    i += length;
    return cp;
}

// Unicode White_Space, as Go's unicode.IsSpace sees it.
bool isWhiteSpace(char32_t cp)
{
    switch (cp) {
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case U' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

// Valid UTF-8 with no ASCII control character other than newline: what a note may hold.
bool isNoteText(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto cp = nextCodePoint(s, i);
        if (!cp || (*cp < 0x20 && *cp != U'\n'))
            return false;
    }
    return true;
}

std::string toBase64(std::string_view bytes)
{
    return base64Encode(bytes);
}

// Standard padded base64 in its one canonical spelling; anything else (or nothing) is refused.
std::optional<std::string> fromBase64(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    return base64Decode(text);
}

std::string hex8(std::uint32_t v)
{
    std::array<char, 9> buffer {};
    std::snprintf(buffer.data(), buffer.size(), "%08x", v);
    return buffer.data();
}

std::optional<std::uint32_t> parseHex8(std::string_view text)
{
    if (text.size() != 8)
        return std::nullopt;
    std::uint32_t v = 0;
    for (char c : text) {
        std::uint32_t digit = 0;
        if (c >= '0' && c <= '9')
            digit = static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<std::uint32_t>(c - 'A' + 10);
        else
            return std::nullopt;
        v = (v << 4) | digit;
    }
    return v;
}

std::string bigEndian(std::uint32_t v)
{
    return { static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
        static_cast<char>(v) };
}

std::uint32_t readBigEndian(std::string_view bytes)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
        v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

template <std::size_t N>
std::string_view bytesOf(
    const std::array<std::uint8_t, N>& a, std::size_t from = 0, std::size_t count = N)
{
    return { reinterpret_cast<const char*>(a.data()) + from, count };
}

// The key id over the encoded public key: algorithm byte, then the key.
std::uint32_t keyIdOfEncoded(std::string_view name, std::string_view encodedKey)
{
    std::string input(name);
    input.push_back('\n');
    input.append(encodedKey);
    const Digest digest = sha256(input);
    return readBigEndian(bytesOf(digest, 0, 4));
}

std::string encodedPublicKey(const std::array<std::uint8_t, 32>& publicKey)
{
    std::string out(1, static_cast<char>(kAlgEd25519));
    out.append(bytesOf(publicKey));
    return out;
}

// Splits s at the first `sep`: what comes before, and after (empty when there is no `sep`).
std::pair<std::string_view, std::string_view> chop(std::string_view s, char sep)
{
    const std::size_t at = s.find(sep);
    if (at == std::string_view::npos)
        return { s, {} };
    return { s.substr(0, at), s.substr(at + 1) };
}

std::string keyLabel(std::string_view name, std::uint32_t id)
{
    return std::string(name) + "+" + hex8(id);
}

// The id and the decoded key (algorithm byte first) of "<name>+<hex id>+<base64 key>", the part
// both key forms share, once the name, id and encoding are sound.
struct KeyParts {
    std::uint32_t id = 0;
    std::string key;
};

Expected<KeyParts> decodeKeyParts(
    std::string_view name, std::string_view rest, std::string_view what)
{
    const auto [hex, key64] = chop(rest, '+');
    if (!isValidKeyName(name))
        return fail("note.bad_name",
            std::string(what) + " has no valid key name (non-empty, no spaces, no '+')");
    const auto id = parseHex8(hex);
    if (!id)
        return fail("note.bad_key",
            std::string(what) + " does not give its key id as 8 hexadecimal digits");
    auto key = fromBase64(key64);
    if (!key || key->empty())
        return fail("note.bad_key", std::string(what) + " does not end in a base64 key");
    return KeyParts { *id, std::move(*key) };
}

struct SignatureLine {
    std::string_view line; // without its newline
    std::string_view name;
    std::uint32_t keyId = 0;
    std::string signature; // the bytes after the key id
};

struct ParsedNote {
    std::string_view text;
    std::vector<SignatureLine> signatures;
};

Failure malformed(std::string message)
{
    return fail("note.malformed", std::move(message));
}

Expected<ParsedNote> parseNote(std::string_view note)
{
    if (!isNoteText(note))
        return malformed("the note is not valid UTF-8 or holds a control character other than "
                         "newline");
    const std::size_t split = note.rfind("\n\n");
    if (split == std::string_view::npos)
        return malformed("the note has no blank line between its text and its signatures");
    ParsedNote parsed;
    parsed.text = note.substr(0, split + 1);
    std::string_view block = note.substr(split + 2);
    if (block.empty() || block.back() != '\n')
        return malformed("the note's signature lines do not end with a newline");
    std::size_t number = 0;
    while (!block.empty()) {
        const std::size_t eol = block.find('\n');
        const std::string_view line = block.substr(0, eol);
        block.remove_prefix(eol + 1);
        ++number;
        const std::string where = "signature line " + std::to_string(number);
        if (number > kMaxSignatures)
            return malformed(
                "the note carries more than " + std::to_string(kMaxSignatures) + " signatures");
        if (!line.starts_with(kSignaturePrefix))
            return malformed(where + " does not start with an em dash and a space");
        const auto [name, b64] = chop(line.substr(kSignaturePrefix.size()), ' ');
        if (!isValidKeyName(name))
            return malformed(where + " has no valid key name");
        const auto raw = fromBase64(b64);
        if (!raw || raw->size() < 5)
            return malformed(where + " does not end in a base64 key id and signature");
        parsed.signatures.push_back({ line, name, readBigEndian(*raw), raw->substr(4) });
    }
    return parsed;
}

Expected<std::string> signatureLine(std::string_view text, const SigningKey& key)
{
    if (text.empty() || text.back() != '\n')
        return malformed("a note's text must end with a newline");
    if (!isNoteText(text))
        return malformed("a note's text must be valid UTF-8 without control characters other "
                         "than newline");
    if (!isValidKeyName(key.name))
        return fail("note.bad_name", "the signing key has no valid name");
    if (bytesOf(key.secret, 32, 32) != bytesOf(key.publicKey)
        || keyIdOfEncoded(key.name, encodedPublicKey(key.publicKey)) != key.keyId)
        return fail("note.bad_key",
            "the signing key " + keyLabel(key.name, key.keyId)
                + " does not match its own public key or id");
    ensureSodium();
    std::array<std::uint8_t, crypto_sign_BYTES> signature {};
    crypto_sign_detached(signature.data(), nullptr,
        reinterpret_cast<const unsigned char*>(text.data()), text.size(), key.secret.data());
    return std::string(kSignaturePrefix) + key.name + " "
        + toBase64(bigEndian(key.keyId) + std::string(bytesOf(signature))) + "\n";
}

bool validOrigin(std::string_view origin)
{
    return !origin.empty() && origin.find('\n') == std::string_view::npos && isNoteText(origin);
}

} // namespace

bool isValidKeyName(std::string_view name)
{
    if (name.empty())
        return false;
    for (std::size_t i = 0; i < name.size();) {
        const auto cp = nextCodePoint(name, i);
        // Control characters could never appear in a note, so no key could sign under them.
        if (!cp || *cp == U'+' || *cp < 0x20 || isWhiteSpace(*cp))
            return false;
    }
    return true;
}

std::uint32_t keyId(std::string_view name, const std::array<std::uint8_t, 32>& publicKey)
{
    return keyIdOfEncoded(name, encodedPublicKey(publicKey));
}

Expected<SigningKey> generateKey(std::string name)
{
    if (!isValidKeyName(name))
        return fail("note.bad_name",
            "a key name must be non-empty UTF-8 without spaces, control characters or '+'");
    ensureSodium();
    SigningKey key;
    key.name = std::move(name);
    crypto_sign_keypair(key.publicKey.data(), key.secret.data());
    key.keyId = keyId(key.name, key.publicKey);
    return key;
}

VerifierKey verifierKey(const SigningKey& key)
{
    return { key.name, key.keyId, key.publicKey };
}

std::string encodeVerifierKey(const VerifierKey& key)
{
    return key.name + "+" + hex8(key.keyId) + "+" + toBase64(encodedPublicKey(key.publicKey));
}

Expected<VerifierKey> decodeVerifierKey(std::string_view text)
{
    const auto [name, rest] = chop(text, '+');
    auto parts = decodeKeyParts(name, rest, "the verifier key");
    if (!parts)
        return parts.failure();
    const std::uint32_t id = parts->id;
    const std::string& key = parts->key;
    if (keyIdOfEncoded(name, key) != id)
        return fail("note.key_id_mismatch",
            "the verifier key's id " + hex8(id) + " is not the id of its name and public key");
    if (static_cast<std::uint8_t>(key[0]) != kAlgEd25519)
        return fail("note.unknown_algorithm",
            "the verifier key is not an Ed25519 key (algorithm byte 0x01)");
    if (key.size() != 1 + crypto_sign_PUBLICKEYBYTES)
        return fail("note.bad_key",
            "an Ed25519 verifier key holds 32 bytes, this one " + std::to_string(key.size() - 1));
    VerifierKey out;
    out.name = std::string(name);
    out.keyId = id;
    std::memcpy(out.publicKey.data(), key.data() + 1, out.publicKey.size());
    return out;
}

std::string encodeSigningKey(const SigningKey& key)
{
    std::string seed(1, static_cast<char>(kAlgEd25519));
    seed.append(bytesOf(key.secret, 0, crypto_sign_SEEDBYTES));
    std::string out = "PRIVATE+KEY+" + key.name + "+" + hex8(key.keyId) + "+" + toBase64(seed);
    sodium_memzero(seed.data(), seed.size());
    return out;
}

Expected<SigningKey> decodeSigningKey(std::string_view text)
{
    const auto [private1, afterPrivate] = chop(text, '+');
    const auto [private2, afterKey] = chop(afterPrivate, '+');
    if (private1 != "PRIVATE" || private2 != "KEY")
        return fail("note.bad_key", "a signing key starts with PRIVATE+KEY+");
    const auto [name, rest] = chop(afterKey, '+');
    auto parts = decodeKeyParts(name, rest, "the signing key");
    if (!parts)
        return parts.failure();
    const std::uint32_t id = parts->id;
    std::string& seed = parts->key;
    if (static_cast<std::uint8_t>(seed[0]) != kAlgEd25519)
        return fail("note.unknown_algorithm",
            "the signing key is not an Ed25519 key (algorithm byte 0x01)");
    if (seed.size() != 1 + crypto_sign_SEEDBYTES) {
        sodium_memzero(seed.data(), seed.size());
        return fail("note.bad_key",
            "an Ed25519 signing key holds a 32-byte seed, this one "
                + std::to_string(seed.size() - 1) + " bytes");
    }
    ensureSodium();
    SigningKey key;
    key.name = std::string(name);
    crypto_sign_seed_keypair(key.publicKey.data(), key.secret.data(),
        reinterpret_cast<const unsigned char*>(seed.data() + 1));
    sodium_memzero(seed.data(), seed.size());
    key.keyId = keyId(key.name, key.publicKey);
    // The id names the public key, which only the seed gives.
    if (key.keyId != id)
        return fail("note.key_id_mismatch",
            "the signing key's id " + hex8(id) + " is not the id of its name and public key");
    return key;
}

Expected<std::string> sign(std::string_view text, const SigningKey& key)
{
    auto line = signatureLine(text, key);
    if (!line)
        return line.failure();
    return std::string(text) + "\n" + *line;
}

Expected<std::string> addSignature(std::string_view note, const SigningKey& key)
{
    auto parsed = parseNote(note);
    if (!parsed)
        return parsed.failure();
    auto line = signatureLine(parsed->text, key);
    if (!line)
        return line.failure();
    std::string out(parsed->text);
    out += "\n";
    for (const SignatureLine& s : parsed->signatures) {
        // A new signature by the same key replaces the old one, as Go's note.Sign does.
        if (s.name == key.name && s.keyId == key.keyId)
            continue;
        out.append(s.line);
        out += "\n";
    }
    out += *line;
    return out;
}

Expected<Verified> open(std::string_view note, const std::vector<VerifierKey>& keys)
{
    auto parsed = parseNote(note);
    if (!parsed)
        return parsed.failure();
    ensureSodium();
    Verified out;
    out.text = std::string(parsed->text);
    std::vector<std::string> unknown;
    for (const SignatureLine& s : parsed->signatures) {
        const VerifierKey* match = nullptr;
        for (const VerifierKey& k : keys) {
            if (k.name != s.name || k.keyId != s.keyId)
                continue;
            if (match && match->publicKey != k.publicKey)
                return fail("note.ambiguous_key",
                    "two known keys are named " + keyLabel(s.name, s.keyId)
                        + "; the note cannot be checked");
            match = &k;
        }
        if (!match) {
            // The spec: signatures by unknown keys are ignored.
            unknown.push_back(keyLabel(s.name, s.keyId));
            continue;
        }
        const bool valid = s.signature.size() == crypto_sign_BYTES
            && crypto_sign_verify_detached(
                   reinterpret_cast<const unsigned char*>(s.signature.data()),
                   reinterpret_cast<const unsigned char*>(parsed->text.data()), parsed->text.size(),
                   match->publicKey.data())
                == 0;
        if (!valid)
            return fail("note.bad_signature",
                "the signature by " + keyLabel(s.name, s.keyId) + " does not verify");
        if (std::find(out.signers.begin(), out.signers.end(), s.name) == out.signers.end())
            out.signers.emplace_back(s.name);
    }
    if (out.signers.empty()) {
        std::string by;
        for (const std::string& u : unknown)
            by += (by.empty() ? "" : ", ") + u;
        return fail("note.unverified", "no known key signed the note (it is signed by " + by + ")");
    }
    return out;
}

Expected<std::string> checkpointBody(
    std::string origin, std::uint64_t size, const merkle::Hash& root)
{
    if (!validOrigin(origin))
        return fail("checkpoint.bad_origin",
            "a checkpoint's origin must be one non-empty line "
            "of UTF-8 without control characters");
    return std::move(origin) + "\n" + std::to_string(size) + "\n" + merkle::toBase64(root) + "\n";
}

Expected<Checkpoint> parseCheckpoint(std::string_view body)
{
    const auto malformedCheckpoint
        = [](std::string message) { return fail("checkpoint.malformed", std::move(message)); };
    if (body.empty() || body.back() != '\n')
        return malformedCheckpoint("the checkpoint does not end with a newline");
    if (!isNoteText(body))
        return malformedCheckpoint(
            "the checkpoint is not valid UTF-8 or holds a control character other than newline");
    std::vector<std::string_view> lines;
    for (std::string_view rest = body; !rest.empty();) {
        const std::size_t eol = rest.find('\n');
        lines.push_back(rest.substr(0, eol));
        rest.remove_prefix(eol + 1);
    }
    if (lines.size() < 3)
        return malformedCheckpoint("the checkpoint has " + std::to_string(lines.size())
            + " lines; it needs an origin, a tree size and a root hash");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty())
            return malformedCheckpoint(
                "line " + std::to_string(i + 1) + " of the checkpoint is empty");
    }

    Checkpoint out;
    out.origin = std::string(lines[0]);
    const std::string_view size = lines[1];
    if ((size.size() > 1 && size[0] == '0')
        || !std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return malformedCheckpoint("the checkpoint's tree size \"" + std::string(size)
            + "\" is not a decimal number without leading zeros");
    for (char c : size) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (out.size > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
            return malformedCheckpoint("the checkpoint's tree size does not fit in 64 bits");
        out.size = out.size * 10 + digit;
    }
    const auto root = merkle::hashFromBase64(lines[2]);
    if (!root)
        return malformedCheckpoint("the checkpoint's root hash is not the base64 of 32 bytes");
    out.root = *root;
    for (std::size_t i = 3; i < lines.size(); ++i)
        out.extensions.emplace_back(lines[i]);
    return out;
}

} // namespace latch::note
