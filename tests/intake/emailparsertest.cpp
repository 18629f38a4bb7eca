// EmailParser against messages shaped like the ones real clients send (tests/intake/mail/*.eml):
// what a person handling the case would check. The text reads right (umlauts, euro signs, curly
// quotes from windows-1252 and ISO-8859-1, quoted-printable and base64), an HTML-only newsletter
// turns into readable lines, attachments carry the SHA-256 of their original files (hashed here
// with Qt, not taken from the parser), a reply threads on its parents or on its case tag, and
// what is not a usable message is refused with the documented code.
#include "intake/mail/emailparser.h"

#include "intake/mail/casetag.h"
#include "intake/mail/htmltext.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QtTest>
#include <future>

using latch::intake::mail::Attachment;
using latch::intake::mail::EmailParser;
using latch::intake::mail::ParsedEmail;
using latch::intake::mail::ParseLimits;

namespace {

const char* const kCaseId = "018e1f2a-7c3b-7d40-9a51-3c2e8b6f0d17";
// The Message-ID Outlook gave the customer's first mail.
const QString kOutlookId
    = "AM6PR05MB61524C3E1A2B9D8F0A1B2C3D9E4F5@AM6PR05MB6152.eurprd05.prod.outlook.com";

QString fixtureDir()
{
    return qEnvironmentVariable("LATCH_SOURCE_DIR") + "/tests/intake/mail/";
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

std::string message(const char* name)
{
    return readFile(fixtureDir() + name).toStdString();
}

// The original file a message carries, as the sender had it on disk.
QByteArray original(const char* name)
{
    return readFile(fixtureDir() + "attachments/" + name);
}

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

QByteArray bytes(const std::string& data)
{
    return QByteArray(data.data(), qsizetype(data.size()));
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC).toMSecsSinceEpoch();
}

ParsedEmail parsed(const char* name, ParseLimits limits = {})
{
    auto result = EmailParser(limits).parse(message(name));
    if (!result)
        qFatal("%s: %s", result.failure().code.c_str(), result.failure().message.c_str());
    return *result;
}

QStringList keys(const ParsedEmail& email)
{
    QStringList out;
    for (const std::string& key : email.threadKeys())
        out << q(key);
    return out;
}

void verifyAttachment(const Attachment& attachment, const QByteArray& expected)
{
    QCOMPARE(attachment.size, std::uint64_t(expected.size()));
    QCOMPARE(q(attachment.sha256), sha256Hex(expected));
    QVERIFY(attachment.stored);
    QVERIFY(bytes(attachment.bytes) == expected);
    QVERIFY(attachment.reason.empty());
}

} // namespace

class EmailParserTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void outlookAlternativeReadsThePlainPart();
    void gmailReplyThreadsOnItsParents();
    void htmlOnlyNewsletterReadsAsText();
    void germanLatin1SubjectSenderAndBody();
    void windows1252Base64Body();
    void pdfAndInlineImageAreAttachments();
    void oversizeAttachmentKeepsOnlyMetadata();
    void messageOverTheTotalLimitRefused();
    void caseTagInSubjectThreadsToTheCase();
    void notAMessageIsMalformed();
    void messageWithoutFromHasNoSender();
    void nestedAlternativeInsideMixed();
    void forwardedMessageIsTextAndAttachment();
    void attachmentsPastTheCountAreListedNotStored();
    void blankPlainAlternativeGivesWayToHtml();
    void unreadableDateIsAbsent();
    void automaticMessagesAreMarked();
    void mboxSeparatorLineIsSkipped();
    void absurdNestingIsCutOff();
    void caseTagForms_data();
    void caseTagForms();
    void htmlToTextDetails_data();
    void htmlToTextDetails();
    void parsesOnSeveralThreadsAtOnce();
};

void EmailParserTest::initTestCase()
{
    QVERIFY2(!qEnvironmentVariable("LATCH_SOURCE_DIR").isEmpty(), "LATCH_SOURCE_DIR is not set");
    QVERIFY(QFile::exists(fixtureDir() + "gmail-reply.eml"));
}

void EmailParserTest::outlookAlternativeReadsThePlainPart()
{
    const ParsedEmail email = parsed("outlook-alternative-qp.eml");
    QCOMPARE(q(email.from.name), QStringLiteral("Hartmann, Sabine"));
    QCOMPARE(q(email.from.address), QStringLiteral("s.hartmann@nordlicht-moebel.de"));
    QCOMPARE(q(email.subject), QStringLiteral("Refund for order 1182 – duplicate charge"));
    QCOMPARE(q(email.messageId), kOutlookId);
    QCOMPARE(email.dateMs, std::optional<std::int64_t>(utcMs(2024, 3, 5, 9, 41, 17)));
    // The text/plain part, not the Word HTML: no "MsoNormal", and the soft line break joined.
    QVERIFY(!email.textFromHtml);
    QCOMPARE(q(email.text),
        QStringLiteral("Hello,\n\n"
                       "we were charged twice for order 1182 (€ 1.249,00 each time, on 4 March). "
                       "Could you please refund the duplicate charge?\n\n"
                       "The “Fjord” tables arrived fine – thank you.\n\n"
                       "Kind regards\nSabine Hartmann\nNordlicht Möbel GmbH"));
    QVERIFY(email.attachments.empty());
    QVERIFY(!email.autoGenerated);
}

void EmailParserTest::gmailReplyThreadsOnItsParents()
{
    const ParsedEmail email = parsed("gmail-reply.eml");
    QCOMPARE(q(email.inReplyTo), QStringLiteral("018e1f2a-ack-0001@latch.example"));
    QCOMPARE(email.references.size(), std::size_t(2));
    // In-Reply-To repeats the first reference; it is one key, not two.
    QCOMPARE(keys(email),
        QStringList({ "msg:CAH8vJm0q3+fGx7Q2wZ_Yc5pN1k4oR9sT6uV8wX0yZ2aB4cD6eF@mail.gmail.com",
            "msg:018e1f2a-ack-0001@latch.example", "msg:" + kOutlookId }));
    QCOMPARE(q(email.subject), QStringLiteral("Re: Refund for order 1182 – duplicate charge"));
    QCOMPARE(email.to.size(), std::size_t(1));
    QCOMPARE(q(email.to[0].address), QStringLiteral("support@latch.example"));
    QCOMPARE(email.cc.size(), std::size_t(1));
    QCOMPARE(q(email.cc[0].name), QStringLiteral("Hartmann, Sabine"));
    // 14:02:45 +0100.
    QCOMPARE(email.dateMs, std::optional<std::int64_t>(utcMs(2024, 3, 6, 13, 2, 45)));
    QVERIFY(email.text.starts_with("Thanks – the bank statement shows both charges on 4 March."));
    // The quoted original stays, as the sender sent it.
    QVERIFY(email.text.find("On Tue, 5 Mar 2024 at 10:15, Latch Support <support@latch.example> "
                            "wrote:\n\n> Hello Jonas,\n")
        != std::string::npos);
    QVERIFY(email.text.find("> — Latch Support") != std::string::npos);
    QVERIFY(email.caseId.empty());
}

void EmailParserTest::htmlOnlyNewsletterReadsAsText()
{
    const ParsedEmail email = parsed("newsletter-html-only.eml");
    QVERIFY(email.textFromHtml);
    QCOMPARE(q(email.subject), QStringLiteral("Spring sale: 20 % off oak tables 🌳"));
    QCOMPARE(q(email.from.name), QStringLiteral("Fjord & Co. Newsletter"));
    QVERIFY(email.to.empty()); // "undisclosed-recipients:;" is a group with no members
    QVERIFY(email.autoGenerated); // Precedence: bulk
    QCOMPARE(q(email.text),
        QStringLiteral("Our oak tables are 20 % off until Sunday.\n\n"
                       "Spring sale: 20 % off oak tables\n\n"
                       "Dear customer,\n"
                       "our Fjord and Skåne oak tables are now 20 % off – only until Sunday.\n\n"
                       "- Oak table „Fjord“ 180 cm: € 1.124 € 899\n"
                       "- Oak bench \"Skåne\": € 319\n"
                       "- Free delivery for orders over € 500 & free returns\n\n"
                       "Shop the sale →\n\n"
                       "Fjord & Co. GmbH · Hafenstraße 12 · 20457 Hamburg\n"
                       "Unsubscribe | Preferences"));
}

void EmailParserTest::germanLatin1SubjectSenderAndBody()
{
    const ParsedEmail email = parsed("german-latin1.eml");
    QCOMPARE(
        q(email.subject), QStringLiteral("Rückerstattung für Bestellung 1190: Größe passt nicht"));
    QCOMPARE(q(email.from.name), QStringLiteral("Jürgen Müller"));
    QCOMPARE(q(email.from.address), QStringLiteral("juergen.mueller@example.de"));
    QCOMPARE(q(email.text),
        QStringLiteral("Sehr geehrte Damen und Herren,\n\n"
                       "der Schrank »Fjord« (Bestellung 1190) ist leider zu groß für unser Büro.\n"
                       "Ich möchte ihn zurückgeben und bitte um Rückerstattung des Kaufpreises.\n\n"
                       "Mit freundlichen Grüßen\nJürgen Müller"));
}

void EmailParserTest::windows1252Base64Body()
{
    const ParsedEmail email = parsed("windows1252-base64.eml");
    // „ “ – € ™ are the bytes 0x84 0x93 0x96 0x80 0x99: windows-1252 only, not ISO-8859-1.
    QCOMPARE(q(email.text),
        QStringLiteral("Sehr geehrte Damen und Herren,\n\n"
                       "für die Rechnung „RE-2024-0117“ über 1.249,00 € ist bis heute keine "
                       "Zahlung eingegangen – bitte überweisen Sie den Betrag bis zum "
                       "15.03.2024.\n\n"
                       "Mit freundlichen Grüßen\nIhre Buchhaltung\nStadtwerke Beispielstadt™"));
    QCOMPARE(q(email.messageId),
        QStringLiteral("000001da7123$4a5b6c70$df0f4550$@stadtwerke-example.de"));
}

void EmailParserTest::pdfAndInlineImageAreAttachments()
{
    const ParsedEmail email = parsed("invoice-pdf-inline-png.eml");
    QCOMPARE(q(email.from.name), QStringLiteral("Nordlicht Möbel Buchhaltung"));
    QVERIFY(!email.textFromHtml);
    QCOMPARE(q(email.text),
        QStringLiteral(
            "Guten Tag,\n\n"
            "anbei die Rechnung RE-2024-0117 über 1.249,00 € zu Ihrer Bestellung 1182.\n\n"
            "Freundliche Grüße\nNordlicht Möbel"));
    QCOMPARE(email.attachments.size(), std::size_t(2));

    const Attachment& logo = email.attachments[0];
    QCOMPARE(q(logo.filename), QStringLiteral("logo.png"));
    QCOMPARE(q(logo.contentType), QStringLiteral("image/png"));
    QCOMPARE(q(logo.contentId), QStringLiteral("logo@nordlicht-moebel.de"));
    QVERIFY(logo.isInline);
    verifyAttachment(logo, original("logo.png"));

    const Attachment& invoice = email.attachments[1];
    QCOMPARE(q(invoice.filename), QStringLiteral("RE-2024-0117.pdf"));
    QCOMPARE(q(invoice.contentType), QStringLiteral("application/pdf"));
    QVERIFY(!invoice.isInline);
    QVERIFY(invoice.contentId.empty());
    verifyAttachment(invoice, original("RE-2024-0117.pdf"));
    QVERIFY(invoice.bytes.starts_with("%PDF-1.4"));
}

void EmailParserTest::oversizeAttachmentKeepsOnlyMetadata()
{
    const QByteArray log = original("checkout.log");
    QVERIFY(log.size() > 16 * 1024);

    ParseLimits limits;
    limits.maxAttachmentBytes = 16 * 1024;
    const ParsedEmail email = parsed("oversize-attachment.eml", limits);
    // Not an error: the message and its text are there, the log is listed.
    QVERIFY(email.text.starts_with("Hi,\n\nsince 09:00 every checkout ends with a 502"));
    QCOMPARE(email.attachments.size(), std::size_t(1));
    const Attachment& big = email.attachments[0];
    QCOMPARE(q(big.filename), QStringLiteral("checkout.log"));
    QCOMPARE(q(big.contentType), QStringLiteral("text/plain"));
    QVERIFY(!big.stored);
    QVERIFY(big.bytes.empty());
    QCOMPARE(big.size, std::uint64_t(log.size()));
    QCOMPARE(q(big.sha256), sha256Hex(log));
    QCOMPARE(q(big.reason),
        QStringLiteral("The attachment is 17.7 KiB, over the 16.0 KiB limit for one attachment."));

    // With the default 10 MiB it is kept, byte for byte; a text file named as one is not body text.
    const ParsedEmail roomy = parsed("oversize-attachment.eml");
    QCOMPARE(roomy.attachments.size(), std::size_t(1));
    verifyAttachment(roomy.attachments[0], log);
    QVERIFY(roomy.text.find("payment gateway answered") == std::string::npos);
}

void EmailParserTest::messageOverTheTotalLimitRefused()
{
    ParseLimits limits;
    limits.maxTotalBytes = 8 * 1024;
    const auto result = EmailParser(limits).parse(message("oversize-attachment.eml"));
    QVERIFY(!result);
    QCOMPARE(q(result.failure().code), QStringLiteral("email.too_large"));
    QVERIFY(!result.failure().message.empty());
    // A message just at the limit is read.
    const std::string small = message("case-tag-reply.eml");
    limits.maxTotalBytes = small.size();
    QVERIFY(EmailParser(limits).parse(small));
}

void EmailParserTest::caseTagInSubjectThreadsToTheCase()
{
    const ParsedEmail email = parsed("case-tag-reply.eml");
    QCOMPARE(q(email.caseId), QString::fromLatin1(kCaseId));
    // No In-Reply-To or References: the tag is what links it.
    QVERIFY(email.inReplyTo.empty());
    QVERIFY(email.references.empty());
    QCOMPARE(keys(email),
        QStringList({ "msg:0a1b2c3d4e5f$6a7b8c9d$@nordlicht-moebel.de",
            QStringLiteral("case:") + kCaseId }));
    QVERIFY(email.text.find("-----Ursprüngliche Nachricht-----") != std::string::npos);
}

void EmailParserTest::notAMessageIsMalformed()
{
    const EmailParser parser;
    for (const std::string& raw : { message("malformed.eml"), std::string(),
             std::string(" \r\n\r\n\t"), std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
             std::string(": no field name\n\nbody\n") }) {
        const auto result = parser.parse(raw);
        QVERIFY2(!result, raw.c_str());
        QCOMPARE(q(result.failure().code), QStringLiteral("email.malformed"));
        QVERIFY(!result.failure().message.empty());
    }
}

void EmailParserTest::messageWithoutFromHasNoSender()
{
    const auto result = EmailParser().parse(message("no-from.eml"));
    QVERIFY(!result);
    QCOMPARE(q(result.failure().code), QStringLiteral("email.no_sender"));
    QCOMPARE(q(result.failure().message),
        QStringLiteral("The message has no sender address (From), so there is no one to answer."));
    // A From with no usable mailbox is the same.
    const auto empty = EmailParser().parse("From: \nSubject: x\n\nbody\n");
    QVERIFY(!empty);
    QCOMPARE(q(empty.failure().code), QStringLiteral("email.no_sender"));
}

void EmailParserTest::nestedAlternativeInsideMixed()
{
    const ParsedEmail email = parsed("nested-mixed-alternative.eml");
    QVERIFY(!email.textFromHtml);
    QCOMPARE(q(email.text),
        QStringLiteral(
            "Hi team,\n\nthe returns for this week are in the attached list.\n\nBest,\nMia"));
    // Two To mailboxes; the Cc group "Returns:" contributes its members.
    QCOMPARE(email.to.size(), std::size_t(2));
    QCOMPARE(q(email.to[1].name), QStringLiteral("Team Returns"));
    QCOMPARE(email.cc.size(), std::size_t(2));
    QCOMPARE(q(email.cc[0].address), QStringLiteral("jonas.weber@gmail.com"));
    QCOMPARE(q(email.cc[1].address), QStringLiteral("s.hartmann@nordlicht-moebel.de"));

    QCOMPARE(email.attachments.size(), std::size_t(1));
    const Attachment& list = email.attachments[0];
    // RFC 2231: filename*=UTF-8''R%C3%BCcksendungen%20%C3%9Cbersicht.csv
    QCOMPARE(q(list.filename), QStringLiteral("Rücksendungen Übersicht.csv"));
    QCOMPARE(q(list.contentType), QStringLiteral("text/csv"));
    verifyAttachment(list,
        QStringLiteral("order;item;qty;reason\n"
                       "1182;Eichentisch Fjord;1;doppelt geliefert\n"
                       "1190;Schrank Fjord;1;zu groß\n")
            .toUtf8());
}

void EmailParserTest::forwardedMessageIsTextAndAttachment()
{
    const ParsedEmail email = parsed("forwarded-rfc822.eml");
    QCOMPARE(q(email.text),
        QStringLiteral(
            "Please check this reminder - we paid on 1 March.\n\nMia\n\n"
            "---------- Forwarded message ----------\n"
            "From: Buchhaltung <buchhaltung@stadtwerke-example.de>\n"
            "Date: Fri, 8 Mar 2024 07:12:03 +0100\n"
            "Subject: Zahlungserinnerung Nr. 4471\n"
            "To: einkauf@nordlicht-moebel.de\n\n"
            "Sehr geehrte Damen und Herren,\n\n"
            "für die Rechnung „RE-2024-0117“ ist bis heute keine Zahlung eingegangen.\n\n"
            "Mit freundlichen Grüßen\nIhre Buchhaltung"));
    // The forwarded message itself, byte for byte as it was embedded.
    QCOMPARE(email.attachments.size(), std::size_t(1));
    const Attachment& forwarded = email.attachments[0];
    QCOMPARE(q(forwarded.filename), QStringLiteral("Zahlungserinnerung Nr. 4471.eml"));
    QCOMPARE(q(forwarded.contentType), QStringLiteral("message/rfc822"));
    QVERIFY(!forwarded.isInline);
    verifyAttachment(forwarded, original("forwarded-inner.eml"));
    // Its own ids are not this message's thread keys.
    QCOMPARE(keys(email),
        QStringList({ "msg:9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a@nordlicht-moebel.de" }));
}

void EmailParserTest::attachmentsPastTheCountAreListedNotStored()
{
    std::string raw = "From: a@example.com\nMIME-Version: 1.0\n"
                      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                      "Content-Type: text/plain\n\nThree files.\n";
    for (int i = 1; i <= 3; ++i) {
        raw += "--b\nContent-Type: application/octet-stream\n"
               "Content-Disposition: attachment; filename=part"
            + std::to_string(i) + ".bin\nContent-Transfer-Encoding: base64\n\n"
            + QByteArray("file " + QByteArray::number(i)).toBase64().toStdString() + "\n";
    }
    raw += "--b--\n";
    ParseLimits limits;
    limits.maxAttachments = 2;
    const auto result = EmailParser(limits).parse(raw);
    QVERIFY(result);
    QCOMPARE(result->text, std::string("Three files."));
    QCOMPARE(result->attachments.size(), std::size_t(3));
    verifyAttachment(result->attachments[0], "file 1");
    verifyAttachment(result->attachments[1], "file 2");
    const Attachment& third = result->attachments[2];
    QCOMPARE(q(third.filename), QStringLiteral("part3.bin"));
    QVERIFY(!third.stored);
    QVERIFY(third.bytes.empty());
    QCOMPARE(third.size, std::uint64_t(6));
    QCOMPARE(q(third.sha256), sha256Hex("file 3"));
    QCOMPARE(q(third.reason),
        QStringLiteral("The message has more than 2 attachments; only the first 2 are kept."));
}

void EmailParserTest::blankPlainAlternativeGivesWayToHtml()
{
    // Some web mailers send an empty text/plain beside the real HTML.
    const auto result
        = EmailParser().parse("From: Form <noreply@forms.example>\nMIME-Version: 1.0\n"
                              "Content-Type: multipart/alternative; boundary=x\n\n"
                              "--x\nContent-Type: text/plain; charset=utf-8\n\n \n"
                              "--x\nContent-Type: text/html; charset=utf-8\n\n"
                              "<p>Name: Anna</p><p>Order: 1182<br>Reason: damaged</p>\n--x--\n");
    QVERIFY(result);
    QVERIFY(result->textFromHtml);
    QCOMPARE(q(result->text), QStringLiteral("Name: Anna\n\nOrder: 1182\nReason: damaged"));
}

void EmailParserTest::unreadableDateIsAbsent()
{
    const auto result
        = EmailParser().parse("From: a@example.com\nDate: sometime last week\n\nhello\n");
    QVERIFY(result);
    QVERIFY(!result->dateMs.has_value());
    QCOMPARE(result->text, std::string("hello"));
    QVERIFY(result->messageId.empty());
    QVERIFY(result->threadKeys().empty());
}

void EmailParserTest::automaticMessagesAreMarked()
{
    const auto parse = [](const std::string& headers) {
        auto result = EmailParser().parse("From: a@example.com\n" + headers + "\nbody\n");
        if (!result)
            qFatal("%s", result.failure().message.c_str());
        return result->autoGenerated;
    };
    QVERIFY(parse("Auto-Submitted: auto-replied\n")); // an out-of-office reply
    QVERIFY(parse("Auto-Submitted: auto-generated; owner-email=\"x@example.com\"\n"));
    QVERIFY(parse("Return-Path: <>\n")); // a bounce
    QVERIFY(parse("X-Autoreply: yes\n"));
    QVERIFY(parse("Precedence: junk\n"));
    QVERIFY(!parse("Auto-Submitted: no\n"));
    QVERIFY(!parse("Return-Path: <a@example.com>\n"));
    QVERIFY(!parse(""));
}

void EmailParserTest::mboxSeparatorLineIsSkipped()
{
    const auto result = EmailParser().parse(
        "From anna@example.com Tue Mar  5 10:00:00 2024\nFrom: Anna <anna@example.com>\n"
        "Subject: hi\n\nhello\n");
    QVERIFY(result);
    QCOMPARE(q(result->from.address), QStringLiteral("anna@example.com"));
    QCOMPARE(q(result->subject), QStringLiteral("hi"));
    // The obsolete header form with a space before the colon is a From header, not an mbox line.
    const auto obsolete = EmailParser().parse("From : anna@example.com\nSubject: hi\n\nhello\n");
    QVERIFY(obsolete);
    QCOMPARE(q(obsolete->from.address), QStringLiteral("anna@example.com"));
}

void EmailParserTest::absurdNestingIsCutOff()
{
    // 500 multiparts deep: no mail client writes this; it is there to exhaust a recursive reader.
    const int depth = 500;
    std::string raw = "From: a@example.com\nMIME-Version: 1.0\n";
    for (int i = 0; i < depth; ++i) {
        raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b"
            + std::to_string(i) + "\n";
    }
    raw += "Content-Type: text/plain\n\ndeep\n";
    for (int i = depth - 1; i >= 0; --i)
        raw += "--b" + std::to_string(i) + "--\n";
    const auto result = EmailParser().parse(raw);
    QVERIFY(result);
    QVERIFY(result->text.empty());
    QVERIFY(result->attachments.empty());
}

void EmailParserTest::caseTagForms_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("caseId");
    const QString id = QString::fromLatin1(kCaseId);
    QTest::newRow("formatted") << q(latch::intake::mail::formatCaseTag(kCaseId)) << id;
    QTest::newRow("reply prefix") << "Re: Refund [Latch #" + id + "]" << id;
    QTest::newRow("upper case") << "AW: [LATCH #" + id.toUpper() + "] Rückfrage" << id;
    QTest::newRow("spaces") << "Fwd: [ Latch # " + id + " ]" << id;
    QTest::newRow("first valid wins") << "[Latch #draft] [Latch #" + id + "]" << id;
    QTest::newRow("no tag") << "Refund for order 1182" << QString();
    QTest::newRow("short id") << "[Latch #018e1f2a-7c3b]" << QString();
    QTest::newRow("other tag") << "[JIRA #" + id + "]" << QString();
    QTest::newRow("unclosed") << "[Latch #" + id << QString();
}

void EmailParserTest::caseTagForms()
{
    QFETCH(QString, subject);
    QFETCH(QString, caseId);
    const auto found = latch::intake::mail::findCaseTag(subject.toStdString());
    QCOMPARE(found ? q(*found) : QString(), caseId);
}

void EmailParserTest::htmlToTextDetails_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("text");
    QTest::newRow("entities") << "Fish &amp; chips &lt;3 &euro;5 &#8364;6 &#x20AC;7 &#128;8 &copy"
                              << "Fish & chips <3 €5 €6 €7 €8 &copy";
    QTest::newRow("unknown entity stays") << "a &bogus; b"
                                          << "a &bogus; b";
    QTest::newRow("whitespace") << "  one\n\t two   <b>three</b>\n"
                                << "one two three";
    QTest::newRow("nbsp is a space") << "a&nbsp;&nbsp;b"
                                     << "a b";
    QTest::newRow("br and p") << "<p>one<br/>two</p><p>three</p>"
                              << "one\ntwo\n\nthree";
    QTest::newRow("divs end lines") << "<div>a</div><div><div>b</div></div>c"
                                    << "a\nb\nc";
    QTest::newRow("list") << "<ul><li>one</li><li> two </li></ul>after"
                          << "- one\n- two\n\nafter";
    QTest::newRow("script and style") << "<style>p{color:red}</style><script>if (a<b) x();</script>"
                                         "<SCRIPT type=x>y()</SCRIPT>shown"
                                      << "shown";
    QTest::newRow("comment") << "a<!-- <p>hidden</p> -->b"
                             << "ab";
    QTest::newRow("quoted >") << "<a title=\"x>y\" href='z'>link</a>"
                              << "link";
    QTest::newRow("lone <") << "1 < 2"
                            << "1 < 2";
    QTest::newRow("pre") << "<pre>a  b\n  c</pre>d"
                         << "a  b\n  c\n\nd";
    QTest::newRow("table cells") << "<table><tr><td>Qty</td><td>2</td></tr><tr><td>Sum</td>"
                                    "<td>&euro; 10</td></tr></table>"
                                 << "Qty 2\nSum € 10";
    QTest::newRow("invisible padding") << "Preview&zwnj;&nbsp;&#847;&zwnj;&shy;\u200B end"
                                       << "Preview end";
    QTest::newRow("unclosed script") << "text<script>never closed"
                                     << "text";
}

void EmailParserTest::htmlToTextDetails()
{
    QFETCH(QString, html);
    QFETCH(QString, text);
    QCOMPARE(q(latch::intake::mail::htmlToText(html.toStdString())), text);
}

void EmailParserTest::parsesOnSeveralThreadsAtOnce()
{
    const std::vector<const char*> names { "outlook-alternative-qp.eml", "gmail-reply.eml",
        "newsletter-html-only.eml", "german-latin1.eml", "invoice-pdf-inline-png.eml",
        "forwarded-rfc822.eml" };
    std::vector<std::string> expected;
    for (const char* name : names)
        expected.push_back(parsed(name).text);
    std::vector<std::future<bool>> runs;
    for (int t = 0; t < 4; ++t) {
        runs.push_back(std::async(std::launch::async, [&] {
            const EmailParser parser;
            for (int round = 0; round < 5; ++round) {
                for (std::size_t i = 0; i < names.size(); ++i) {
                    const auto result = parser.parse(message(names[i]));
                    if (!result || result->text != expected[i])
                        return false;
                }
            }
            return true;
        }));
    }
    for (auto& run : runs)
        QVERIFY(run.get());
}

QTEST_GUILESS_MAIN(EmailParserTest)
#include "emailparsertest.moc"
