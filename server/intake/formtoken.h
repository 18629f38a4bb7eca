#pragma once
// The web forms' CSRF protection: a double-submit token bound to the form, the browser's cookie
// and the time the page was issued, signed with a key this process made at start.
//
//   cookie  latch_form = base64url(16 random bytes), HttpOnly, SameSite=Strict, Path=/forms/
//   token   base64url(nonce[16] | issued_at ms[8, big-endian] |
//                     HMAC-SHA256(key, form name | 0x00 | nonce | issued_at | cookie))
//
// A page from another site can neither read the cookie nor make a token for it, so a POST
// carrying a token that verifies came from a page this server issued to that browser. The nonce
// names the submission (a resend of the same page is the same delivery), and issued_at gives the
// minimum fill time and the token's age. The key lives only in memory: a restart invalidates the
// pages open at that moment, which then come back as "expired, send it again".
//
// Threading: immutable after construction; any thread.
#include <cstdint>
#include <string>
#include <string_view>

namespace latch::intake {

std::string base64UrlEncode(std::string_view bytes);
// False on anything but unpadded base64url (leftover bits must be zero).
bool base64UrlDecode(std::string_view text, std::string& out);

enum class TokenStatus {
    Valid,
    Missing, // no token in the submission
    NoCookie, // the browser sent no (well-formed) cookie
    Forged, // does not verify: another form, another cookie, or a key from before a restart
    Expired, // older than the maximum age
    TooFast, // younger than the minimum fill time
};

struct TokenCheck {
    TokenStatus status = TokenStatus::Missing;
    std::string nonce; // hex, 32 characters, when the token verified
    std::int64_t issuedMs = 0;
};

class FormTokens {
public:
    // 32 random bytes from the OS.
    FormTokens();
    // A fixed key, for tests.
    explicit FormTokens(std::string key);

    static constexpr std::string_view kCookieName = "latch_form";
    static constexpr std::int64_t kMaxAgeMs = 24 * 60 * 60 * 1000;

    // A new cookie value: 16 random bytes, base64url.
    static std::string newCookie();
    static bool wellFormedCookie(std::string_view cookie);

    std::string issue(std::string_view form, std::string_view cookie, std::int64_t nowMs) const;
    // A token issued at `issuedMs` with this nonce (raw 16 bytes); for tests and for issue().
    std::string make(std::string_view form, std::string_view cookie, std::string_view nonce,
        std::int64_t issuedMs) const;
    TokenCheck check(std::string_view token, std::string_view form, std::string_view cookie,
        std::int64_t nowMs, std::int64_t minFillMs) const;

private:
    std::string m_key;
};

// The value of cookie `name` in a Cookie header ("a=1; latch_form=x"); "" when absent.
std::string cookieValue(std::string_view header, std::string_view name);

} // namespace latch::intake
