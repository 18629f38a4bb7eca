#pragma once
// The framing of the external plugin protocol (docs/plugin-protocol.md): each message is a 4-byte
// big-endian length followed by that many bytes of UTF-8 JSON, one JSON object per frame. The
// codec turns messages into frames and a byte stream (read in pieces of any size) back into
// messages. It refuses what a misbehaving plugin might send: an empty frame, a frame over the
// maximum (before reading it), bytes that are not a JSON object, JSON nested deeper than
// kMaxDepth. After the first such error the stream is broken (its framing can no longer be
// trusted) and next() keeps reporting it.
//
// Threading: one per stream, used by one thread at a time. No I/O here.
#include "latch/expected.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace latch::plugins {

class FrameCodec {
public:
    static constexpr std::size_t kHeaderBytes = 4;
    static constexpr int kMaxDepth = 64; // nesting of arrays and objects in one message

    explicit FrameCodec(std::size_t maxFrameBytes);

    std::size_t maxFrameBytes() const { return m_max; }

    // The frame for `message`; fails (plugin.too_large) when its JSON is over the maximum.
    Expected<std::string> encode(const nlohmann::json& message) const;

    // Appends bytes as they were read.
    void feed(std::string_view bytes);
    // The next whole message, nullopt while more bytes are needed, or a Failure with code
    // plugin.protocol saying what was wrong.
    std::optional<Expected<nlohmann::json>> next();

    bool broken() const { return m_broken.has_value(); }
    std::size_t buffered() const { return m_buffer.size() - m_read; }

    // Parses one message body (without its header): a JSON object, at most kMaxDepth deep.
    static Expected<nlohmann::json> parse(std::string_view body);

private:
    std::size_t m_max;
    std::string m_buffer;
    std::size_t m_read = 0; // bytes of m_buffer already consumed
    std::optional<Failure> m_broken;
};

} // namespace latch::plugins
