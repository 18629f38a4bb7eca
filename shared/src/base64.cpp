#include "latch/base64.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sodium.h>

namespace latch {

namespace {

void ensureSodium()
{
    // A function-local static is initialised once, thread-safely.
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        std::fputs("latch: sodium_init failed\n", stderr);
        std::abort();
    }
}

} // namespace

std::string base64Encode(std::string_view bytes)
{
    ensureSodium();
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> base64Decode(std::string_view text)
{
    ensureSodium();
    if (text.size() % 4 != 0)
        return std::nullopt;
    if (text.empty())
        return std::string();
    std::string out(text.size() / 4 * 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
            text.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL)
            != 0
        || end != text.data() + text.size())
        return std::nullopt;
    out.resize(length);
    if (base64Encode(out) != text)
        return std::nullopt;
    return out;
}

} // namespace latch
