#include "emailcorpus.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace latch::bench {

namespace {

constexpr std::string_view kCrlf = "\r\n";

struct Customer {
    const char* name;
    const char* encodedName; // the display name as an RFC 2047 word where it needs one
    const char* address;
    const char* company;
    const char* city;
};

const std::array<Customer, 6> kCustomers { {
    { "Sabine Hartmann", "Sabine Hartmann", "s.hartmann@nordlicht-moebel.de",
        "Nordlicht Möbel GmbH", "Kiel" },
    { "Jörg Müller", "=?utf-8?Q?J=C3=B6rg_M=C3=BCller?=", "j.mueller@fjordhaus.example",
        "Fjordhaus KG", "Lübeck" },
    { "Amelia Clarke", "Amelia Clarke", "amelia.clarke@brightwater.example", "Brightwater Ltd",
        "Leeds" },
    { "Luis Ortega", "Luis Ortega", "lortega@casa-ortega.example", "Casa Ortega S.L.", "Valencia" },
    { "Chloé Martin", "=?utf-8?Q?Chlo=C3=A9_Martin?=", "chloe.martin@atelier-lumen.example",
        "Atelier Lumen SARL", "Lyon" },
    { "Dev Patel", "Dev Patel", "dev@patel-logistics.example", "Patel Logistics", "Birmingham" },
} };

const std::array<const char*, 6> kProducts { "oak dining table \"Fjord\"", "walnut sideboard",
    "linen sofa cover (3-seat)", "ash bookshelf, 5 shelves", "standing desk frame",
    "wool rug 200×300 cm" };

const std::array<const char*, 4> kAmounts { "1.249,00 €", "389,50 €", "2.400,00 €", "74,90 €" };

std::string orderNumber(std::size_t n)
{
    return std::to_string(48000 + (n * 37) % 9000);
}

const Customer& customerFor(std::size_t n)
{
    return kCustomers[n % kCustomers.size()];
}

std::string dateFor(std::size_t n)
{
    static const std::array<const char*, 7> days { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
        "Sun" };
    const std::size_t day = 1 + n % 28;
    return std::string(days[n % 7]) + ", " + std::to_string(day) + " Oct 2026 "
        + std::to_string(10 + n % 10) + ":" + std::to_string(10 + n % 50) + ":0"
        + std::to_string(n % 10) + " +0200";
}

// Lines joined with CRLF (and one at the end).
std::string crlfLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        out += line;
        out += kCrlf;
    }
    return out;
}

// Quoted-printable (RFC 2045 6.7) of UTF-8 text with "\n" line ends: soft breaks keep every line
// within 76 characters; '=', bytes outside printable ASCII and a space before a line end are
// encoded.
std::string quotedPrintable(std::string_view text)
{
    static constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    std::size_t column = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out += kCrlf;
            column = 0;
            continue;
        }
        const bool atLineEnd = i + 1 == text.size() || text[i + 1] == '\n';
        const bool literal = (c >= 33 && c <= 126 && c != '=') || (c == ' ' && !atLineEnd);
        const std::size_t width = literal ? 1 : 3;
        if (column + width > 75) {
            out += "=";
            out += kCrlf;
            column = 0;
        }
        if (literal) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('=');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
        column += width;
    }
    return out;
}

std::string base64Lines(std::string_view data)
{
    static constexpr std::string_view alphabet
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(data.size() * 4 / 3 + data.size() / 57 * 2 + 8);
    std::size_t column = 0;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::uint32_t b0 = static_cast<unsigned char>(data[i]);
        const std::uint32_t b1 = i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) : 0;
        const std::uint32_t b2 = i + 2 < data.size() ? static_cast<unsigned char>(data[i + 2]) : 0;
        const std::uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
        out.push_back(alphabet[(triple >> 18) & 63]);
        out.push_back(alphabet[(triple >> 12) & 63]);
        out.push_back(i + 1 < data.size() ? alphabet[(triple >> 6) & 63] : '=');
        out.push_back(i + 2 < data.size() ? alphabet[triple & 63] : '=');
        column += 4;
        if (column == 76) {
            out += kCrlf;
            column = 0;
        }
    }
    if (column > 0)
        out += kCrlf;
    return out;
}

// The header every generated message shares: the relays it passed, a DKIM signature (as most
// real mail carries), the addresses and ids.
std::string commonHeader(std::size_t n, const std::string& messageId, const std::string& subject)
{
    const Customer& c = customerFor(n);
    const std::string domain = std::string(c.address).substr(std::string(c.address).find('@') + 1);
    const std::string date = dateFor(n);
    return crlfLines({
        "Return-Path: <" + std::string(c.address) + ">",
        "Received: from mx2.latch.example (mx2.latch.example [10.20.0.12])",
        "\tby mail.latch.example (Postfix) with ESMTPS id 4Zk7Qp1" + std::to_string(100 + n % 900)
            + "Fz",
        "\tfor <support@latch.example>; " + date,
        "Received: from smtp-out." + domain + " (smtp-out." + domain + " [198.51.100."
            + std::to_string(n % 250) + "])",
        "\tby mx2.latch.example (Postfix) with ESMTPS id 9Bq2Lm" + std::to_string(n % 1000),
        "\tfor <support@latch.example>; " + date,
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=selector1;",
        "\th=from:to:subject:date:message-id:mime-version:content-type;",
        "\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
        "\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR",
        "\t Xl4BqJMpkQvk1tN9k6LWbfL2DnCM5T8F9uX3cb0qbnR1tpHEnJ7Zp6sG1cK4o8QWmT",
        "From: " + std::string(c.encodedName) + " <" + c.address + ">",
        "To: Support <support@latch.example>",
        "Subject: " + subject,
        "Date: " + date,
        "Message-ID: <" + messageId + ">",
        "MIME-Version: 1.0",
    });
}

std::string plainBody(std::size_t n)
{
    const Customer& c = customerFor(n);
    const std::string order = orderNumber(n);
    std::ostringstream text;
    text << "Hello,\n\nthank you for the quick answer yesterday. Unfortunately the problem with "
            "order "
         << order << " is not solved yet: the " << kProducts[n % kProducts.size()]
         << " arrived with a deep scratch on the top, and the second parcel of the delivery is "
            "still "
            "missing. The tracking page has said \"in transit\" since last Tuesday.\n\n"
            "We were also charged "
         << kAmounts[n % kAmounts.size()]
         << " twice on the card ending in 4417 (once on the 3rd and once on the 4th). Could you "
            "refund the duplicate charge and tell us when the missing parcel will arrive? If it "
            "is lost, we would rather have a refund for that part too.\n\n"
            "Photos of the damage are in our portal ticket. We are available by phone every "
            "morning until 12:00.\n\nKind regards\n"
         << c.name << "\n"
         << c.company << "\n"
         << c.city << "\n\n"
         << "On " << dateFor(n + 1) << ", Latch Support <support@latch.example> wrote:\n"
         << "> Dear " << c.name << ",\n>\n"
         << "> thank you for your message about order " << order << ". We have asked the carrier\n"
         << "> to trace the second parcel and will come back to you within two working days.\n"
         << ">\n> Best regards\n> The support team\n";
    return text.str();
}

std::string plainMessage(std::size_t n, const std::string& messageId)
{
    const std::string subject = "Re: Order " + orderNumber(n) + " - damaged and incomplete";
    std::string body;
    for (char ch : plainBody(n)) {
        if (ch == '\n')
            body += kCrlf;
        else
            body.push_back(ch);
    }
    return commonHeader(n, messageId, subject)
        + crlfLines({ "Content-Type: text/plain; charset=utf-8; format=flowed",
            "Content-Transfer-Encoding: 8bit", "" })
        + body;
}

std::string outlookHtml(std::string_view text)
{
    std::string html
        = "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" "
          "xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
          "xmlns:w=\"urn:schemas-microsoft-com:office:word\" "
          "xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n"
          "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
          "<meta name=\"Generator\" content=\"Microsoft Word 15 (filtered medium)\">\n"
          "<style><!--\n@font-face {font-family:\"Cambria Math\"; panose-1:2 4 5 3 5 4 6 3 2 4;}\n"
          "@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}\n"
          "p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; "
          "font-family:\"Calibri\",sans-serif;}\n"
          "a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; "
          "text-decoration:underline;}\n"
          "span.EmailStyle17 {mso-style-type:personal-compose; "
          "font-family:\"Calibri\",sans-serif; color:windowtext;}\n"
          ".MsoChpDefault {mso-style-type:export-only; font-family:\"Calibri\",sans-serif;}\n"
          "@page WordSection1 {size:612.0pt 792.0pt; margin:70.85pt 70.85pt 2.0cm 70.85pt;}\n"
          "div.WordSection1 {page:WordSection1;}\n--></style>\n</head>\n"
          "<body lang=\"EN-US\" link=\"#0563C1\" vlink=\"#954F72\" "
          "style=\"word-wrap:break-word\">\n<div class=\"WordSection1\">\n";
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        std::string line(text.substr(start, end - start));
        html += line.empty() ? "<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>\n"
                             : "<p class=\"MsoNormal\">" + line + "<o:p></o:p></p>\n";
        start = end + 1;
    }
    html += "</div>\n</body>\n</html>\n";
    return html;
}

std::string alternativeMessage(std::size_t n, const std::string& messageId)
{
    const Customer& c = customerFor(n);
    const std::string boundary
        = "_000_AM6PR05MB6152" + std::to_string(100000 + n) + "eurprd05prodoutlook_";
    std::ostringstream text;
    text << "Hello,\n\nwe were charged twice for order " << orderNumber(n) << " ("
         << kAmounts[n % kAmounts.size()] << " each time, on " << 1 + n % 28
         << " October). Could you please refund the duplicate charge?\n\n"
         << "The “" << kProducts[n % kProducts.size()]
         << "” arrived fine – thank you. Our accounts team needs a credit note for the refund; "
            "please send it to buchhaltung@"
         << std::string(c.address).substr(std::string(c.address).find('@') + 1) << ".\n\n"
         << "Kind regards\n"
         << c.name << "\n"
         << c.company << "\n"
         << c.city << "\n";
    const std::string plain = text.str();
    const std::string subject
        = "=?utf-8?Q?Refund_for_order_" + orderNumber(n) + "_=E2=80=93_duplicate_charge?=";
    return commonHeader(n, messageId, subject)
        + crlfLines({ "Thread-Topic: Refund for order " + orderNumber(n),
            "Accept-Language: de-DE, en-US", "Content-Language: en-US",
            "X-MS-Has-Attach:", "X-MS-TNEF-Correlator:", "Content-Type: multipart/alternative;",
            "\tboundary=\"" + boundary + "\"", "", "--" + boundary,
            "Content-Type: text/plain; charset=\"utf-8\"",
            "Content-Transfer-Encoding: quoted-printable", "" })
        + quotedPrintable(plain) + std::string(kCrlf)
        + crlfLines({ "--" + boundary, "Content-Type: text/html; charset=\"utf-8\"",
            "Content-Transfer-Encoding: quoted-printable", "" })
        + quotedPrintable(outlookHtml(plain)) + std::string(kCrlf)
        + crlfLines({ "--" + boundary + "--" });
}

std::string notificationHtml(std::size_t n)
{
    const Customer& c = customerFor(n);
    std::ostringstream html;
    html << "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
            "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
            "<title>Your return request</title>\n<style type=\"text/css\">\n"
            "  body { margin:0; padding:0; font-family: Helvetica, Arial, sans-serif; }\n"
            "  table { border-collapse: collapse; }\n  .preheader { display:none !important; }\n"
            "  .item td { padding: 8px 12px; border-bottom: 1px solid #e4e0d8; }\n"
            "  @media only screen and (max-width:600px) { .col { width:100% !important; } }\n"
            "</style>\n</head>\n<body style=\"margin:0;padding:0;background:#f4f1ea\">\n"
            "<div class=\"preheader\">Return request for order "
         << orderNumber(n)
         << " received&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;</div>\n"
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">\n"
            "<tr><td align=\"center\">\n<table class=\"col\" width=\"600\" "
            "style=\"background:#ffffff\">\n"
            "<tr><td style=\"padding:24px\"><img src=\"https://shop.example/img/logo.png\" "
            "width=\"140\" alt=\"Fjord &amp; Co.\"></td></tr>\n"
            "<tr><td style=\"padding:0 24px\"><h1 style=\"font-size:22px\">Return request "
         << orderNumber(n) << "-R" << n % 7 << "</h1>\n<p>Customer: <b>" << c.name << "</b>, "
         << c.company << ", " << c.city << " &lt;" << c.address
         << "&gt;</p>\n<p>The customer asks to return the items below and requests a refund of "
            "<b>"
         << kAmounts[n % kAmounts.size()] << "</b> to the original payment method.</p>\n"
         << "</td></tr>\n<tr><td style=\"padding:0 24px\"><table width=\"100%\">\n";
    for (std::size_t i = 0; i < 24; ++i) {
        html << "<tr class=\"item\"><td>" << 1 + i << "</td><td>"
             << kProducts[(n + i) % kProducts.size()] << "</td><td>SKU-"
             << 7000 + (n * 13 + i) % 900 << "</td><td align=\"right\">" << 1 + i % 3
             << "</td><td align=\"right\">" << kAmounts[(n + i) % kAmounts.size()] << "</td><td>"
             << (i % 4 == 0          ? "damaged in transit"
                        : i % 4 == 1 ? "wrong colour"
                                     : "not as described")
             << "</td></tr>\n";
    }
    html << "</table></td></tr>\n<tr><td style=\"padding:24px;font-size:12px;color:#7a756c\">"
            "Reply to this message to add a note to the request. "
            "<a href=\"https://shop.example/returns/"
         << orderNumber(n)
         << "\">Open the request</a> &middot; <a href=\"https://shop.example/u/7f3a\">"
            "Notification "
            "settings</a></td></tr>\n</table>\n</td></tr>\n</table>\n</body>\n</html>\n";
    return html.str();
}

std::string htmlOnlyMessage(std::size_t n, const std::string& messageId)
{
    const std::string subject
        = "Return request " + orderNumber(n) + "-R" + std::to_string(n % 7) + ": refund requested";
    return commonHeader(n, messageId, subject)
        + crlfLines({ "X-Mailer: ShopNotify 4.2", "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable", "" })
        + quotedPrintable(notificationHtml(n));
}

// A PDF of exactly `size` bytes: the structure of a real one around a compressed-looking (random)
// content stream, which is what most of a real PDF's bytes are.
std::string fakePdf(std::size_t n, std::size_t size)
{
    std::string head
        = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
          "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
          "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\n"
          "endobj\n4 0 obj\n<< /Filter /FlateDecode /Length "
        + std::to_string(size) + " >>\nstream\n";
    const std::string tail = "\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    std::mt19937_64 random(0x1a7c4 + n);
    std::string pdf = head;
    pdf.reserve(size + head.size() + tail.size());
    while (pdf.size() + tail.size() < size) {
        const std::uint64_t word = random();
        for (int b = 0; b < 8 && pdf.size() + tail.size() < size; ++b)
            pdf.push_back(static_cast<char>((word >> (8 * b)) & 0xFF));
    }
    return pdf + tail;
}

std::string pdfMessage(std::size_t n, const std::string& messageId)
{
    const Customer& c = customerFor(n);
    const std::string boundary
        = "----=_Part_" + std::to_string(771200 + n) + "_1893472.1729" + std::to_string(n % 1000);
    const std::string invoice = "RE-2026-" + std::to_string(1000 + n % 9000);
    const std::string text = "Hello,\n\nattached is invoice " + invoice + " for order "
        + orderNumber(n) + " (" + kAmounts[n % kAmounts.size()]
        + "). We dispute the freight surcharge on page 2: the delivery was agreed free of charge. "
          "Please correct the invoice or refund the surcharge.\n\nBest regards\n"
        + c.name + "\n" + c.company + "\n";
    return commonHeader(
               n, messageId, "Invoice " + invoice + " disputed (order " + orderNumber(n) + ")")
        + crlfLines({ "Content-Type: multipart/mixed;", "\tboundary=\"" + boundary + "\"", "",
            "--" + boundary, "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable", "" })
        + quotedPrintable(text) + std::string(kCrlf)
        + crlfLines(
            { "--" + boundary, "Content-Type: application/pdf; name=\"" + invoice + ".pdf\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"" + invoice + ".pdf\"", "" })
        + base64Lines(fakePdf(n % 4, std::size_t { 200 } * 1024))
        + crlfLines({ "--" + boundary + "--" });
}

} // namespace

std::string_view kindName(MailKind kind)
{
    switch (kind) {
    case MailKind::Plain:
        return "plain";
    case MailKind::AlternativeQp:
        return "alternative-qp";
    case MailKind::HtmlOnly:
        return "html-only";
    case MailKind::PdfAttachment:
        return "pdf-200k";
    }
    return "";
}

std::string makeMessage(MailKind kind, std::size_t n, const std::string& messageId)
{
    switch (kind) {
    case MailKind::Plain:
        return plainMessage(n, messageId);
    case MailKind::AlternativeQp:
        return alternativeMessage(n, messageId);
    case MailKind::HtmlOnly:
        return htmlOnlyMessage(n, messageId);
    case MailKind::PdfAttachment:
        return pdfMessage(n, messageId);
    }
    return {};
}

std::vector<FixtureMessage> loadFixtures(const std::filesystem::path& dir)
{
    std::vector<FixtureMessage> out;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".eml")
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        out.push_back({ entry.path().filename().string(), bytes.str() });
    }
    if (error)
        throw std::runtime_error(
            "cannot read the mail fixtures in " + dir.string() + ": " + error.message());
    if (out.empty())
        throw std::runtime_error("no .eml fixtures in " + dir.string());
    std::sort(out.begin(), out.end(),
        [](const FixtureMessage& a, const FixtureMessage& b) { return a.name < b.name; });
    return out;
}

} // namespace latch::bench
