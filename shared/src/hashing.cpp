#include "latch/hashing.h"

#include "latch/text.h"

#include "latch.pb.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/evp.h>

namespace latch {
namespace {

void appendU32(std::string& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}

void appendU64(std::string& out, std::uint64_t v)
{
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}

// Two's complement, so negative amounts and times encode the same on every platform.
void appendI64(std::string& out, std::int64_t v)
{
    appendU64(out, static_cast<std::uint64_t>(v));
}

// The length prefix is what keeps ("ab","c") and ("a","bc") from hashing alike.
void appendBytes(std::string& out, std::string_view bytes)
{
    if (bytes.size() > UINT32_MAX) {
        std::fputs("latch: canonical item longer than 4 GiB\n", stderr);
        std::abort();
    }
    appendU32(out, static_cast<std::uint32_t>(bytes.size()));
    out.append(bytes);
}

const google::protobuf::FieldDescriptor* payloadField(const v1::Event& event)
{
    static const google::protobuf::OneofDescriptor* oneof
        = v1::Event::descriptor()->FindOneofByName("payload");
    return event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
}

// Deterministic even if a payload one day gains a map; the default serialiser promises only
// "some valid encoding", not a stable one.
std::string deterministicBytes(const google::protobuf::Message& message)
{
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        // Partial: proto3 has no required fields, so this cannot fail for want of one.
        message.SerializePartialToCodedStream(&coded);
    }
    return out;
}

std::string describe(std::size_t index, const v1::Event& event)
{
    std::string label
        = "event " + std::to_string(index + 1) + " (seq " + std::to_string(event.seq());
    const std::string kind = eventKindName(event);
    if (!kind.empty()) {
        label += ", " + kind;
    }
    label += ")";
    return label;
}

} // namespace

Digest sha256(std::string_view data)
{
    Digest digest {};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1
        || length != digest.size()) {
        // Only a broken OpenSSL install gets here; a wrong hash would be silently worse.
        std::fputs("latch: EVP_Digest(SHA-256) failed\n", stderr);
        std::abort();
    }
    return digest;
}

std::optional<std::string> fromHex(std::string_view hex)
{
    if (hex.size() % 2 != 0)
        return std::nullopt;
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hexDigitValue(hex[i]);
        const int lo = hexDigitValue(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

std::string toHex(std::string_view bytes)
{
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0x0F]);
    }
    return out;
}

std::string toHex(const Digest& digest)
{
    return toHex(digestBytes(digest));
}

std::string digestBytes(const Digest& digest)
{
    return { reinterpret_cast<const char*>(digest.data()), digest.size() };
}

std::string zeroHash()
{
    return std::string(32, '\0'); // NOLINT(modernize-return-braced-init-list): braces mean a list
}

std::string eventKindName(const v1::Event& event)
{
    const auto* field = payloadField(event);
    return field ? std::string(field->name()) : std::string();
}

std::string canonicalEventBytes(const v1::Event& event)
{
    std::string out;
    appendBytes(out, "latch.event.v1");
    appendU64(out, event.seq());
    appendBytes(out, event.case_id());
    appendU64(out, event.case_version());
    appendI64(out, event.time_ms());
    appendBytes(out, event.actor());
    appendBytes(out, event.command_id());
    const auto* field = payloadField(event);
    if (field) {
        appendBytes(out, field->name());
        appendBytes(out, deterministicBytes(event.GetReflection()->GetMessage(event, field)));
    } else {
        appendBytes(out, "");
        appendBytes(out, "");
    }
    // Fixed-size and last, so it needs no length prefix (the header's format).
    out.append(event.prev_hash());
    return out;
}

std::string computeEventHash(const v1::Event& event)
{
    return digestBytes(sha256(canonicalEventBytes(event)));
}

std::string factsHash(const v1::Case& c)
{
    std::string out;
    appendBytes(out, "latch.facts.v2");
    appendBytes(out, c.type());
    appendI64(out, c.amount().minor());
    appendBytes(out, c.amount().currency());
    appendBytes(out, c.customer());
    appendBytes(out, c.order_ref());
    // Free fields carry the parameters plugin actions use; sorted so their order never matters.
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& f : c.fields())
        fields.emplace_back(f.key(), f.value());
    std::sort(fields.begin(), fields.end());
    appendI64(out, static_cast<std::int64_t>(fields.size()));
    for (const auto& [key, value] : fields) {
        appendBytes(out, key);
        appendBytes(out, value);
    }
    return digestBytes(sha256(out));
}

std::vector<ChainProblem> verifyCaseChain(const std::vector<v1::Event>& events)
{
    std::vector<ChainProblem> problems;
    const auto report = [&](std::size_t i, const std::string& what) {
        problems.push_back({ i, describe(i, events[i]) + ": " + what });
    };
    // Versions are checked against the previous event rather than the position, so one missing
    // or extra event is reported once instead of flagging every event after it.
    for (std::size_t i = 0; i < events.size(); ++i) {
        const v1::Event& e = events[i];
        if (e.case_id() != events.front().case_id()) {
            report(i,
                "case_id " + e.case_id() + " is not the case of event 1 ("
                    + events.front().case_id() + ")");
        }
        const std::uint64_t expected = i == 0 ? 1 : events[i - 1].case_version() + 1;
        if (e.case_version() != expected) {
            report(i,
                "case_version " + std::to_string(e.case_version()) + ", expected "
                    + std::to_string(expected));
        }
        if (i == 0) {
            if (e.prev_hash() != zeroHash()) {
                report(i, "prev_hash is not the zero hash a case's first event carries");
            }
        } else if (e.prev_hash() != events[i - 1].hash()) {
            report(i, "prev_hash does not link to event " + std::to_string(i));
        }
        if (e.hash() != computeEventHash(e)) {
            report(i, "hash does not match its contents");
        }
    }
    return problems;
}

} // namespace latch
