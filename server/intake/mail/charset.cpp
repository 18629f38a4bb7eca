#include "intake/mail/charset.h"

#include "intake/mail/gmimesupport.h"

#include <optional>

namespace latch::intake::mail {

namespace {

std::string lowerAscii(std::string_view text)
{
    std::string out(text);
    for (char& ch : out) {
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
}

bool isUtf8(std::string_view bytes)
{
    return g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr) != 0;
}

// nullopt when iconv does not know `from` or the bytes are not valid in it.
std::optional<std::string> convert(std::string_view bytes, const char* from)
{
    gsize written = 0;
    GError* error = nullptr;
    gchar* out = g_convert(
        bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from, nullptr, &written, &error);
    if (out == nullptr) {
        g_clear_error(&error);
        return std::nullopt;
    }
    std::string result(out, written);
    g_free(out);
    return result;
}

// Every byte is a Latin-1 character, so this cannot fail.
std::string fromLatin1(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte < 0x80) {
            out += ch;
        } else {
            out += static_cast<char>(0xC0 | (byte >> 6));
            out += static_cast<char>(0x80 | (byte & 0x3F));
        }
    }
    return out;
}

std::string fromWindows1252(std::string_view bytes)
{
    if (auto text = convert(bytes, "WINDOWS-1252"))
        return *text;
    return fromLatin1(bytes);
}

} // namespace

std::string toUtf8(std::string_view bytes, std::string_view charset)
{
    const std::string declared = lowerAscii(charset);
    if (declared.empty() || declared == "us-ascii" || declared == "ascii") {
        return isUtf8(bytes) ? std::string(bytes) : fromWindows1252(bytes);
    }
    detail::ensureGMime();
    // GMime knows the aliases mail uses ("latin1", "ks_c_5601-1987", "x-unknown"...).
    const std::string name = lowerAscii(g_mime_charset_iconv_name(declared.c_str()));
    if (name == "utf-8" || name == "utf8") {
        if (isUtf8(bytes))
            return std::string(bytes);
        gchar* valid = g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size()));
        std::string result(valid);
        g_free(valid);
        return result;
    }
    if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1")
        return fromWindows1252(bytes);
    if (auto text = convert(bytes, name.c_str()))
        return *text;
    return fromWindows1252(bytes);
}

} // namespace latch::intake::mail
