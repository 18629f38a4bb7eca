#pragma once
// The e-mail the intake benchmarks parse and deliver: the real-world-shaped fixtures of the mail
// parser's tests (tests/intake/mail/*.eml) and generated messages of four kinds, shaped like what
// a support mailbox receives, each variant with its own names, numbers and Message-ID:
//
//   plain           text/plain UTF-8 (8bit), a customer's mail quoting the thread (about 2 KB)
//   alternative-qp  multipart/alternative, text/plain and Outlook-style HTML, both
//                   quoted-printable UTF-8 (about 4 KB)
//   html-only       a shop's order notification: text/html only, quoted-printable, tables and CSS
//                   (about 7.5 KB)
//   pdf-200k        multipart/mixed: a short text and a 200 KB PDF, base64 (about 275 KB)
//
// Messages use CRLF line ends, as they arrive over SMTP. Generation is deterministic.
//
// Threading: plain functions of their arguments; call from any thread.
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace latch::bench {

enum class MailKind { Plain, AlternativeQp, HtmlOnly, PdfAttachment };

inline constexpr std::array<MailKind, 4> kMailKinds { MailKind::Plain, MailKind::AlternativeQp,
    MailKind::HtmlOnly, MailKind::PdfAttachment };

std::string_view kindName(MailKind kind);

// The n-th variant of `kind`, with `messageId` (without <>) as its Message-ID.
std::string makeMessage(MailKind kind, std::size_t n, const std::string& messageId);

struct FixtureMessage {
    std::string name; // file name
    std::string raw;
};

// Every *.eml directly in `dir`, sorted by name. Throws when the folder cannot be read or holds
// none.
std::vector<FixtureMessage> loadFixtures(const std::filesystem::path& dir);

} // namespace latch::bench
