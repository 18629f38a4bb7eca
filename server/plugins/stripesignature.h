#pragma once
// Checks a Stripe-Signature header the way Stripe documents it: the header is
// "t=<unix seconds>,v1=<hex>[,v1=<hex>...]" (other schemes, such as v0, are ignored); the
// signature is hex HMAC-SHA256 keyed with the endpoint's signing secret over "<t>.<raw body>";
// any one v1 may match (Stripe sends several while a secret is being rolled), compared in
// constant time; and the timestamp must be within `tolerance` of the server's clock, either way,
// so a captured delivery cannot be replayed later.
//
// Threading: a pure function.
#include <chrono>
#include <cstdint>
#include <string_view>

namespace latch::plugins {

enum class SignatureCheck {
    Valid,
    Malformed, // no t, a t that is not a number, t given twice, or no v1
    Mismatch, // no v1 is the HMAC of this body with this secret
    Expired, // signed, but further than the tolerance from now
};

SignatureCheck verifyStripeSignature(std::string_view header, std::string_view payload,
    std::string_view secret, std::int64_t nowSeconds, std::chrono::seconds tolerance);

// A short sentence for a failed check, for the 400 answer.
std::string_view describe(SignatureCheck check);

} // namespace latch::plugins
