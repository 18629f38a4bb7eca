#include "plugins/stripesignature.h"

#include "latch/hashing.h"

#include <array>
#include <charconv>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <optional>
#include <string>
#include <vector>

namespace latch::plugins {

namespace {

constexpr std::size_t kDigestBytes = 32;

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace

SignatureCheck verifyStripeSignature(std::string_view header, std::string_view payload,
    std::string_view secret, std::int64_t nowSeconds, std::chrono::seconds tolerance)
{
    std::optional<std::string_view> timestamp;
    std::vector<std::string_view> signatures;
    bool twice = false;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos)
            continue;
        const std::string_view key = item.substr(0, eq);
        const std::string_view value = item.substr(eq + 1);
        if (key == "t") {
            twice = twice || timestamp.has_value();
            timestamp = value;
        } else if (key == "v1") {
            signatures.push_back(value);
        }
    }
    std::int64_t t = 0;
    if (!timestamp || twice || signatures.empty() || timestamp->empty())
        return SignatureCheck::Malformed;
    const auto [end, ec]
        = std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), t);
    if (ec != std::errc() || end != timestamp->data() + timestamp->size() || t < 0)
        return SignatureCheck::Malformed;

    // HMAC-SHA256(secret, "<t>.<payload>") over the exact bytes received.
    std::string signedPayload(*timestamp);
    signedPayload += '.';
    signedPayload += payload;
    std::array<unsigned char, EVP_MAX_MD_SIZE> expected {};
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(signedPayload.data()), signedPayload.size(),
            expected.data(), &length)
        || length != kDigestBytes)
        return SignatureCheck::Mismatch; // no HMAC, no match: a failure never lets a body in

    bool matched = false;
    for (const auto candidate : signatures) {
        // Anything but 64 hex digits matches nothing. Every candidate is compared, matched or
        // not, in constant time.
        const auto bytes = latch::fromHex(candidate);
        if (bytes && bytes->size() == kDigestBytes
            && CRYPTO_memcmp(bytes->data(), expected.data(), kDigestBytes) == 0)
            matched = true;
    }
    if (!matched)
        return SignatureCheck::Mismatch;
    const std::int64_t skew = nowSeconds > t ? nowSeconds - t : t - nowSeconds;
    if (skew > tolerance.count())
        return SignatureCheck::Expired;
    return SignatureCheck::Valid;
}

std::string_view describe(SignatureCheck check)
{
    switch (check) {
    case SignatureCheck::Valid:
        return "valid";
    case SignatureCheck::Malformed:
        return "the Stripe-Signature header is not t=<timestamp>,v1=<signature>";
    case SignatureCheck::Mismatch:
        return "no signature matches this body and the endpoint's signing secret";
    case SignatureCheck::Expired:
        return "the signature's timestamp is too far from the server's clock";
    }
    return "invalid signature";
}

} // namespace latch::plugins
