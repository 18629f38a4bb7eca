#pragma once
// HMAC-SHA256 as webhook senders and receivers use it (OpenSSL underneath).
#include <string>
#include <string_view>

namespace latch::fakes {

// Lower-case hex of HMAC-SHA256(`key`, `data`).
std::string hmacSha256Hex(std::string_view key, std::string_view data);

} // namespace latch::fakes
