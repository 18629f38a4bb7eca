#pragma once
// Standard base64 (RFC 4648 section 4, with padding), as signed notes, checkpoints and exported
// case bundles write it. Decoding accepts only the one canonical spelling of the bytes: no white
// space, no missing padding, no stray bits in the last character.
#include <optional>
#include <string>
#include <string_view>

namespace latch {

std::string base64Encode(std::string_view bytes);
// nullopt when `text` is not canonical base64. "" decodes to "".
std::optional<std::string> base64Decode(std::string_view text);

} // namespace latch
