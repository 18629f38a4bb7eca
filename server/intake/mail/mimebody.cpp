#include "intake/mail/mimebody.h"

#include "intake/mail/charset.h"
#include "intake/mail/gmimesupport.h"
#include "intake/mail/htmltext.h"
#include "latch/hashing.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <openssl/evp.h>

namespace latch::intake::mail {

namespace {

// Deeper nesting than this is no mail client's doing; it only serves to exhaust the stack.
constexpr int kMaxDepth = 32;
constexpr std::size_t kChunk = std::size_t { 64 } * 1024;

struct Decoded {
    std::string bytes; // empty when not kept
    std::uint64_t size = 0;
    std::string sha256;
    bool kept = true;
};

// The part's content with its Content-Transfer-Encoding undone, read in pieces so that a part
// over `keepAtMost` is hashed and measured without being held.
Decoded decode(GMimePart* part, std::uint64_t keepAtMost)
{
    Decoded out;
    using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
    const Context digest(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content != nullptr) {
        GMimeStream* source = g_mime_data_wrapper_get_stream(content);
        g_mime_stream_reset(source);
        const auto filtered = detail::adopt(g_mime_stream_filter_new(source));
        const auto decoder = detail::adopt(
            g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(content), FALSE));
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), decoder.get());
        std::array<char, kChunk> buffer {};
        ssize_t n = 0;
        while ((n = g_mime_stream_read(filtered.get(), buffer.data(), buffer.size())) > 0) {
            const auto count = static_cast<std::size_t>(n);
            EVP_DigestUpdate(digest.get(), buffer.data(), count);
            out.size += count;
            if (out.kept && out.size > keepAtMost) {
                out.kept = false;
                std::string().swap(out.bytes);
            }
            if (out.kept)
                out.bytes.append(buffer.data(), count);
        }
    }
    Digest value {};
    EVP_DigestFinal_ex(digest.get(), value.data(), nullptr);
    out.sha256 = toHex(value);
    return out;
}

std::string lower(std::string text)
{
    for (char& ch : text) {
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    }
    return text;
}

bool isType(GMimeObject* object, const char* type, const char* subtype)
{
    GMimeContentType* contentType = g_mime_object_get_content_type(object);
    return contentType != nullptr && g_mime_content_type_is_type(contentType, type, subtype);
}

bool isAttachmentDisposition(GMimeObject* object)
{
    const char* disposition = g_mime_object_get_disposition(object);
    return disposition != nullptr && g_ascii_strcasecmp(disposition, "attachment") == 0;
}

// text/plain or text/html meant to be read as the message, not a file that happens to be text:
// not marked as an attachment and without a file name.
bool isBodyText(GMimePart* part)
{
    auto* object = GMIME_OBJECT(part);
    if (!isType(object, "text", "plain") && !isType(object, "text", "html"))
        return false;
    return !isAttachmentDisposition(object) && g_mime_part_get_filename(part) == nullptr;
}

bool isBlank(const std::string& text)
{
    return std::all_of(text.begin(), text.end(),
        [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

// "\r\n" and lone "\r" become "\n"; blank lines and trailing spaces at either end go.
std::string tidyPlain(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else if (text[i] != '\0') {
            out += text[i];
        }
    }
    const auto last = out.find_last_not_of(" \t\n");
    out.erase(last == std::string::npos ? 0 : last + 1);
    const auto firstLine = out.find_first_not_of('\n');
    out.erase(0, firstLine == std::string::npos ? out.size() : firstLine);
    return out;
}

std::string describeBytes(std::uint64_t bytes)
{
    std::array<char, 32> buffer {};
    if (bytes >= (std::uint64_t { 1 } << 20))
        std::snprintf(buffer.data(), buffer.size(), "%.1f MiB", double(bytes) / double(1 << 20));
    else if (bytes >= 1024)
        std::snprintf(buffer.data(), buffer.size(), "%.1f KiB", double(bytes) / 1024.0);
    else
        std::snprintf(
            buffer.data(), buffer.size(), "%llu bytes", static_cast<unsigned long long>(bytes));
    return buffer.data();
}

std::string addresses(InternetAddressList* list)
{
    return list == nullptr
        ? std::string()
        : detail::takeString(internet_address_list_to_string(list, nullptr, FALSE));
}

// The block mail clients put above forwarded text, so a reader sees whose words follow.
std::string forwardedHeading(GMimeMessage* message)
{
    std::string heading = "---------- Forwarded message ----------\n";
    const auto line = [&heading](const char* label, const std::string& value) {
        if (!value.empty())
            heading += std::string(label) + ": " + value + "\n";
    };
    line("From", addresses(g_mime_message_get_from(message)));
    line("Date", detail::utf8(g_mime_object_get_header(GMIME_OBJECT(message), "Date")));
    line("Subject", detail::utf8(g_mime_message_get_subject(message)));
    line("To", addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO)));
    return heading + "\n";
}

// File names end up on disks and in download prompts: no path separators or control characters.
std::string safeFileName(std::string name)
{
    for (char& ch : name) {
        if (ch == '/' || ch == '\\' || (static_cast<unsigned char>(ch) < 0x20))
            ch = '_';
    }
    return name;
}

enum class Kind { Plain, Html, Other };

// What a multipart/alternative child would give as text, to pick the one to read.
Kind kindOf(GMimeObject* object, int depth)
{
    if (depth > kMaxDepth)
        return Kind::Other;
    if (GMIME_IS_PART(object)) {
        if (!isBodyText(GMIME_PART(object)))
            return Kind::Other;
        return isType(object, "text", "plain") ? Kind::Plain : Kind::Html;
    }
    if (!GMIME_IS_MULTIPART(object) || GMIME_IS_MULTIPART_ENCRYPTED(object))
        return Kind::Other;
    auto* multipart = GMIME_MULTIPART(object);
    const int count = g_mime_multipart_get_count(multipart);
    if (count == 0)
        return Kind::Other;
    if (!isType(object, "multipart", "alternative"))
        return kindOf(g_mime_multipart_get_part(multipart, 0), depth + 1);
    Kind best = Kind::Other;
    for (int i = 0; i < count; ++i)
        best = std::min(best, kindOf(g_mime_multipart_get_part(multipart, i), depth + 1));
    return best;
}

} // namespace

MimeBody::Content MimeBody::read(GMimeObject* root)
{
    Content content;
    if (root == nullptr)
        return content;
    Text text = textOf(root, 0);
    content.text = std::move(text.text);
    content.textFromHtml = text.fromHtml && !content.text.empty();
    collect(root, 0, content.attachments);
    return content;
}

MimeBody::Text MimeBody::textOf(GMimeObject* object, int depth)
{
    if (depth > kMaxDepth)
        return {};
    if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner == nullptr)
            return {};
        Text body = textOf(g_mime_message_get_mime_part(inner), depth + 1);
        return { forwardedHeading(inner) + body.text, body.fromHtml };
    }
    if (GMIME_IS_PART(object)) {
        auto* part = GMIME_PART(object);
        if (!isBodyText(part))
            return {};
        const Decoded decoded = decode(part, UINT64_MAX);
        const char* charset = g_mime_object_get_content_type_parameter(object, "charset");
        const std::string utf8 = toUtf8(decoded.bytes, charset == nullptr ? "" : charset);
        if (isType(object, "text", "html"))
            return { htmlToText(tidyPlain(utf8)), true };
        return { tidyPlain(utf8), false };
    }
    if (!GMIME_IS_MULTIPART(object) || GMIME_IS_MULTIPART_ENCRYPTED(object))
        return {};
    auto* multipart = GMIME_MULTIPART(object);
    const int count = g_mime_multipart_get_count(multipart);
    if (count == 0)
        return {};
    if (isType(object, "multipart", "alternative"))
        return alternativeText(object, depth);
    // multipart/related shows its root (the first part) with the rest as its resources; a
    // signed message is its first part, the second being the signature.
    if (isType(object, "multipart", "related") || GMIME_IS_MULTIPART_SIGNED(object))
        return textOf(g_mime_multipart_get_part(multipart, 0), depth + 1);
    // mixed, digest, report, and subtypes we do not know (RFC 2046 says: treat them as mixed).
    Text joined { {}, true };
    for (int i = 0; i < count; ++i) {
        Text text = textOf(g_mime_multipart_get_part(multipart, i), depth + 1);
        if (isBlank(text.text))
            continue;
        if (!joined.text.empty())
            joined.text += "\n\n";
        joined.text += text.text;
        joined.fromHtml = joined.fromHtml && text.fromHtml;
    }
    return joined;
}

// Plain text first (it is what the sender wrote; HTML is a rendering of it), then HTML, then
// whatever else is there. An alternative that turns out blank (some clients send an empty
// text/plain beside the real HTML) gives way to the next.
MimeBody::Text MimeBody::alternativeText(GMimeObject* alternative, int depth)
{
    auto* multipart = GMIME_MULTIPART(alternative);
    std::vector<std::pair<Kind, GMimeObject*>> candidates;
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
        GMimeObject* child = g_mime_multipart_get_part(multipart, i);
        candidates.emplace_back(kindOf(child, depth + 1), child);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& candidate : candidates) {
        Text text = textOf(candidate.second, depth + 1);
        if (!isBlank(text.text))
            return text;
    }
    return {};
}

void MimeBody::collect(GMimeObject* object, int depth, std::vector<Attachment>& out)
{
    if (depth > kMaxDepth)
        return;
    if (GMIME_IS_MESSAGE_PART(object)) {
        out.push_back(fromMessage(GMIME_MESSAGE_PART(object)));
        return;
    }
    if (GMIME_IS_PART(object)) {
        if (!isBodyText(GMIME_PART(object)))
            out.push_back(fromPart(GMIME_PART(object)));
        return;
    }
    if (!GMIME_IS_MULTIPART(object))
        return;
    auto* multipart = GMIME_MULTIPART(object);
    // A signature proves nothing apart from the exact bytes it signed; it is not a document.
    const int count = GMIME_IS_MULTIPART_SIGNED(object)
        ? std::min(1, g_mime_multipart_get_count(multipart))
        : g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i)
        collect(g_mime_multipart_get_part(multipart, i), depth + 1, out);
}

bool MimeBody::admit()
{
    return m_seen++ < m_limits.maxAttachments;
}

std::string MimeBody::tooMany() const
{
    const std::string limit = std::to_string(m_limits.maxAttachments);
    return "The message has more than " + limit + " attachments; only the first " + limit
        + " are kept.";
}

Attachment MimeBody::fromPart(GMimePart* part)
{
    auto* object = GMIME_OBJECT(part);
    Attachment attachment;
    attachment.filename = safeFileName(detail::utf8(g_mime_part_get_filename(part)));
    GMimeContentType* contentType = g_mime_object_get_content_type(object);
    attachment.contentType = contentType == nullptr
        ? "application/octet-stream"
        : lower(detail::takeString(g_mime_content_type_get_mime_type(contentType)));
    attachment.contentId = detail::utf8(g_mime_object_get_content_id(object));
    const char* disposition = g_mime_object_get_disposition(object);
    // Without a disposition, a part with a Content-ID is there to be shown by an HTML body.
    attachment.isInline = disposition == nullptr ? !attachment.contentId.empty()
                                                 : g_ascii_strcasecmp(disposition, "inline") == 0;
    const bool admitted = admit();
    Decoded decoded = decode(part, admitted ? m_limits.maxAttachmentBytes : 0);
    attachment.size = decoded.size;
    attachment.sha256 = std::move(decoded.sha256);
    if (!admitted) {
        attachment.stored = false;
        attachment.reason = tooMany();
    } else if (!decoded.kept) {
        attachment.stored = false;
        attachment.reason = "The attachment is " + describeBytes(decoded.size) + ", over the "
            + describeBytes(m_limits.maxAttachmentBytes) + " limit for one attachment.";
    } else {
        attachment.bytes = std::move(decoded.bytes);
    }
    return attachment;
}

Attachment MimeBody::fromMessage(GMimeMessagePart* part)
{
    auto* object = GMIME_OBJECT(part);
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    Attachment attachment;
    attachment.contentType = "message/rfc822";
    attachment.isInline = false;
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    std::string name = disposition == nullptr
        ? std::string()
        : detail::utf8(g_mime_content_disposition_get_parameter(disposition, "filename"));
    if (name.empty())
        name = detail::utf8(g_mime_object_get_content_type_parameter(object, "name"));
    if (name.empty() && inner != nullptr)
        name = detail::utf8(g_mime_message_get_subject(inner));
    if (name.empty())
        name = "forwarded message";
    if (name.size() < 4 || lower(name.substr(name.size() - 4)) != ".eml")
        name += ".eml";
    attachment.filename = safeFileName(std::move(name));
    // As written in the message: GMime keeps the parsed headers' raw form and the parts' bytes.
    std::string bytes;
    if (inner != nullptr) {
        const auto memory = detail::adopt(g_mime_stream_mem_new());
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, memory.get());
        const GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
        bytes.assign(reinterpret_cast<const char*>(array->data), array->len);
    }
    attachment.size = bytes.size();
    attachment.sha256 = toHex(sha256(bytes));
    if (!admit()) {
        attachment.stored = false;
        attachment.reason = tooMany();
    } else if (bytes.size() > m_limits.maxAttachmentBytes) {
        attachment.stored = false;
        attachment.reason = "The forwarded message is " + describeBytes(bytes.size())
            + ", over the " + describeBytes(m_limits.maxAttachmentBytes)
            + " limit for one attachment.";
    } else {
        attachment.bytes = std::move(bytes);
    }
    return attachment;
}

} // namespace latch::intake::mail
