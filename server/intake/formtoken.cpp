#include "intake/formtoken.h"

#include "latch/hashing.h"

#include <array>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace latch::intake {

namespace {

constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kTimeBytes = 8;
constexpr std::size_t kMacBytes = 32;
constexpr std::size_t kTokenBytes = kNonceBytes + kTimeBytes + kMacBytes;
constexpr std::string_view kAlphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string randomBytes(std::size_t count)
{
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(count)) != 1)
        throw std::runtime_error("the system's random number generator failed");
    return out;
}

int alphabetIndex(char ch)
{
    const auto at = kAlphabet.find(ch);
    return at == std::string_view::npos ? -1 : int(at);
}

std::string timeBytes(std::int64_t ms)
{
    std::string out(kTimeBytes, '\0');
    auto value = static_cast<std::uint64_t>(ms);
    for (std::size_t i = kTimeBytes; i-- > 0;) {
        out[i] = static_cast<char>(value & 0xFF);
        value >>= 8;
    }
    return out;
}

std::int64_t timeFrom(std::string_view bytes)
{
    std::uint64_t value = 0;
    for (const char ch : bytes)
        value = (value << 8) | static_cast<unsigned char>(ch);
    return static_cast<std::int64_t>(value);
}

} // namespace

std::string base64UrlEncode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16)
            | (std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8)
            | static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2)
            n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        if (rest == 2)
            out += kAlphabet[(n >> 6) & 63];
    }
    return out;
}

bool base64UrlDecode(std::string_view text, std::string& out)
{
    out.clear();
    if (text.size() % 4 == 1)
        return false;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char ch : text) {
        const int value = alphabetIndex(ch);
        if (value < 0)
            return false;
        buffer = (buffer << 6) | std::uint32_t(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
            buffer &= (1u << bits) - 1;
        }
    }
    // Leftover bits must be zero, so every byte string has exactly one spelling.
    return (buffer & ((1u << bits) - 1)) == 0;
}

FormTokens::FormTokens()
    : m_key(randomBytes(32))
{
}

FormTokens::FormTokens(std::string key)
    : m_key(std::move(key))
{
}

std::string FormTokens::newCookie()
{
    return base64UrlEncode(randomBytes(16));
}

bool FormTokens::wellFormedCookie(std::string_view cookie)
{
    std::string bytes;
    return cookie.size() == 22 && base64UrlDecode(cookie, bytes) && bytes.size() == 16;
}

std::string FormTokens::issue(
    std::string_view form, std::string_view cookie, std::int64_t nowMs) const
{
    return make(form, cookie, randomBytes(kNonceBytes), nowMs);
}

std::string FormTokens::make(std::string_view form, std::string_view cookie, std::string_view nonce,
    std::int64_t issuedMs) const
{
    const std::string time = timeBytes(issuedMs);
    std::string message;
    message.append(form).push_back('\0');
    message.append(nonce).append(time).append(cookie);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac {};
    unsigned int length = 0;
    HMAC(EVP_sha256(), m_key.data(), int(m_key.size()),
        reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
        &length);
    std::string token(nonce);
    token += time;
    token.append(reinterpret_cast<const char*>(mac.data()), length);
    return base64UrlEncode(token);
}

TokenCheck FormTokens::check(std::string_view token, std::string_view form, std::string_view cookie,
    std::int64_t nowMs, std::int64_t minFillMs) const
{
    TokenCheck out;
    if (token.empty())
        return out; // Missing
    if (!wellFormedCookie(cookie)) {
        out.status = TokenStatus::NoCookie;
        return out;
    }
    std::string bytes;
    out.status = TokenStatus::Forged;
    if (!base64UrlDecode(token, bytes) || bytes.size() != kTokenBytes)
        return out;
    const std::string_view nonce = std::string_view(bytes).substr(0, kNonceBytes);
    const std::int64_t issued = timeFrom(std::string_view(bytes).substr(kNonceBytes, kTimeBytes));
    std::string expected;
    base64UrlDecode(make(form, cookie, nonce, issued), expected);
    if (CRYPTO_memcmp(expected.data(), bytes.data(), kTokenBytes) != 0)
        return out;
    out.nonce = toHex(nonce);
    out.issuedMs = issued;
    if (nowMs - issued > kMaxAgeMs || issued - nowMs > 60'000)
        out.status = TokenStatus::Expired;
    else if (nowMs - issued < minFillMs)
        out.status = TokenStatus::TooFast;
    else
        out.status = TokenStatus::Valid;
    return out;
}

std::string cookieValue(std::string_view header, std::string_view name)
{
    while (!header.empty()) {
        const auto semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t'))
            pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            std::string_view value = pair.substr(eq + 1);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
                value.remove_suffix(1);
            return std::string(value);
        }
    }
    return {};
}

} // namespace latch::intake
