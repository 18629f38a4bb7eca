#include "plugins/framecodec.h"

#include <cstdint>

namespace latch::plugins {

namespace {

struct TooDeep { };

} // namespace

FrameCodec::FrameCodec(std::size_t maxFrameBytes)
    : m_max(maxFrameBytes)
{
}

Expected<std::string> FrameCodec::encode(const nlohmann::json& message) const
{
    // Strings from a case are UTF-8 already; a stray invalid byte is replaced, never thrown on.
    const std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (body.size() > m_max)
        return fail("plugin.too_large",
            "the message is " + std::to_string(body.size()) + " bytes, more than the "
                + std::to_string(m_max) + " a frame may hold");
    const auto n = static_cast<std::uint32_t>(body.size());
    std::string frame;
    frame.reserve(kHeaderBytes + body.size());
    frame.push_back(char((n >> 24) & 0xff));
    frame.push_back(char((n >> 16) & 0xff));
    frame.push_back(char((n >> 8) & 0xff));
    frame.push_back(char(n & 0xff));
    frame += body;
    return frame;
}

void FrameCodec::feed(std::string_view bytes)
{
    if (m_broken)
        return;
    // Drop what was consumed before growing, so a long stream does not accumulate.
    if (m_read > 0 && m_read == m_buffer.size()) {
        m_buffer.clear();
        m_read = 0;
    } else if (m_read > 64 * 1024) {
        m_buffer.erase(0, m_read);
        m_read = 0;
    }
    m_buffer.append(bytes);
}

std::optional<Expected<nlohmann::json>> FrameCodec::next()
{
    if (m_broken)
        return Expected<nlohmann::json>(*m_broken);
    if (buffered() < kHeaderBytes)
        return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(m_buffer.data() + m_read);
    const std::uint64_t n = (std::uint64_t(p[0]) << 24) | (std::uint64_t(p[1]) << 16)
        | (std::uint64_t(p[2]) << 8) | std::uint64_t(p[3]);
    if (n == 0)
        m_broken
            = fail("plugin.protocol", "an empty frame (length 0); a frame holds a JSON object");
    else if (n > m_max)
        m_broken = fail("plugin.protocol",
            "a frame of " + std::to_string(n) + " bytes, more than the maximum of "
                + std::to_string(m_max));
    if (m_broken) {
        m_buffer.clear();
        m_read = 0;
        return Expected<nlohmann::json>(*m_broken);
    }
    if (buffered() < kHeaderBytes + n)
        return std::nullopt;
    const std::string_view body(m_buffer.data() + m_read + kHeaderBytes, n);
    m_read += kHeaderBytes + n;
    auto message = parse(body);
    if (!message) {
        m_broken = message.failure();
        m_buffer.clear();
        m_read = 0;
    }
    return message;
}

Expected<nlohmann::json> FrameCodec::parse(std::string_view body)
{
    // The depth is bounded before anything recursive (dumping, destroying) sees the value.
    const nlohmann::json::parser_callback_t depthGuard
        = [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
              if ((event == nlohmann::json::parse_event_t::object_start
                      || event == nlohmann::json::parse_event_t::array_start)
                  && depth >= kMaxDepth)
                  throw TooDeep {};
              return true;
          };
    nlohmann::json message;
    try {
        message = nlohmann::json::parse(body.begin(), body.end(), depthGuard, false);
    } catch (const TooDeep&) {
        return fail("plugin.protocol",
            "a message nested more than " + std::to_string(kMaxDepth) + " levels deep");
    }
    if (message.is_discarded())
        return fail("plugin.protocol", "a frame that is not valid UTF-8 JSON");
    if (!message.is_object())
        return fail("plugin.protocol", "a frame whose JSON is not an object");
    return message;
}

} // namespace latch::plugins
