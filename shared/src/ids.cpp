#include "latch/ids.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sys/random.h>

namespace latch {
namespace {

using u128 = unsigned __int128;

// rand_a (12 bits) and rand_b (62 bits) together: 74 bits treated as one counter.
constexpr int kRandomBits = 74;
constexpr u128 kRandomMask = (u128 { 1 } << kRandomBits) - 1;
constexpr std::uint64_t kTimestampMask = (std::uint64_t { 1 } << 48) - 1;

void fillRandom(void* buffer, std::size_t size)
{
    auto* out = static_cast<unsigned char*>(buffer);
    while (size > 0) {
        const ssize_t n = getrandom(out, size, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            // Ids that might collide are worse than no ids: there is no safe fallback.
            std::perror("latch: getrandom");
            std::abort();
        }
        out += n;
        size -= static_cast<std::size_t>(n);
    }
}

u128 randomBits()
{
    std::array<std::uint64_t, 2> words {};
    fillRandom(words.data(), sizeof words);
    u128 value = (u128 { words[0] } << 64) | words[1];
    // A fresh millisecond starts with the counter's top bit clear, so the many increments that
    // might follow within it cannot run out of room (RFC 9562 section 6.2, method 1).
    return value & (kRandomMask >> 1);
}

std::uint64_t nowMs()
{
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    return ms < 0 ? 0 : static_cast<std::uint64_t>(ms);
}

struct Generator {
    std::mutex mutex;
    std::uint64_t lastMs = 0;
    u128 counter = 0;
};

Generator& generator()
{
    static Generator g;
    return g;
}

} // namespace

std::string newUuid()
{
    std::uint64_t ms = nowMs();
    u128 counter = 0;
    {
        Generator& g = generator();
        const std::lock_guard lock(g.mutex);
        // A clock that stood still or stepped back keeps the last timestamp and counts on, so ids
        // from this process always increase.
        if (ms <= g.lastMs) {
            ms = g.lastMs;
            counter = (g.counter + 1) & kRandomMask;
            if (counter == 0) {
                ++ms; // counter exhausted: borrow the next millisecond
                counter = randomBits();
            }
        } else {
            counter = randomBits();
        }
        g.lastMs = ms;
        g.counter = counter;
    }

    std::array<std::uint8_t, 16> b {};
    ms &= kTimestampMask;
    for (int i = 0; i < 6; ++i) {
        b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    }
    const auto randA = static_cast<std::uint16_t>(counter >> 62); // top 12 bits
    const auto randB = static_cast<std::uint64_t>(counter) & ((std::uint64_t { 1 } << 62) - 1);
    b[6] = static_cast<std::uint8_t>(0x70 | (randA >> 8));
    b[7] = static_cast<std::uint8_t>(randA);
    b[8] = static_cast<std::uint8_t>(0x80 | (randB >> 56));
    for (int i = 9; i < 16; ++i) {
        b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(randB >> (8 * (15 - i)));
    }

    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out.push_back('-');
        }
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0x0F]);
    }
    return out;
}

bool isUuid(std::string_view text)
{
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

} // namespace latch
