#include "formencoding.h"

#include <cctype>

namespace latch::fakes {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::string percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0
            && hexValue(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c); // a stray '%' stays as it is, as lenient servers do
        }
    }
    return out;
}

std::string percentEncode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0x0f]);
        }
    }
    return out;
}

FormParams parseForm(std::string_view encoded)
{
    FormParams params;
    while (!encoded.empty()) {
        const auto amp = encoded.find('&');
        const auto piece = encoded.substr(0, amp);
        encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
        if (piece.empty())
            continue;
        const auto eq = piece.find('=');
        params.emplace_back(percentDecode(piece.substr(0, eq)),
            eq == std::string_view::npos ? std::string() : percentDecode(piece.substr(eq + 1)));
    }
    return params;
}

std::string formEncode(const FormParams& params)
{
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty())
            out.push_back('&');
        out += percentEncode(name);
        out.push_back('=');
        out += percentEncode(value);
    }
    return out;
}

} // namespace latch::fakes
