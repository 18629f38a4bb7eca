#pragma once
// Identifiers: UUID version 7 (RFC 9562), time-ordered so ids sort roughly by creation.
#include <string>
#include <string_view>

namespace latch {

// "0190163d-8694-739b-aea5-966c26f8ad91": 48-bit Unix ms, version 7, variant 10, random rest.
// Random bits come from the OS (getrandom); ids made in the same millisecond still increase.
std::string newUuid();

// Canonical lower-case 8-4-4-4-12 hex form (any version).
bool isUuid(std::string_view text);

} // namespace latch
