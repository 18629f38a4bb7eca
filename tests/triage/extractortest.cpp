// The extractor on messy real-world text: amounts in both decimal conventions and with symbols,
// codes or words; order references; customers from suffixes, labels, "on behalf of" and
// signatures; email addresses. Each row is one message and everything expected from it, so a
// wrong guess in any field shows as that row failing with both sides printed.
#include "triage/extractor.h"

#include <QtTest>
#include <string>

using latch::triage::Extracted;
using latch::triage::Extractor;

namespace {

constexpr qint64 kNoAmount = -1;

} // namespace

class ExtractorTest : public QObject {
    Q_OBJECT

private slots:
    void messages_data();
    void messages();

    void productStory();
    void fieldsAsKeyValues();
    void emptyAndHostileInput();
};

void ExtractorTest::messages_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("minor"); // kNoAmount: no amount expected
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("order");
    QTest::addColumn<QString>("customer");
    QTest::addColumn<QStringList>("emails");

    // clang-format off
    QTest::newRow("usd code, order no.")
        << "USD 2,400.00 refund requested for Order No. 4821, thanks"
        << qint64(240000) << "USD" << "4821" << "" << QStringList {};
    QTest::newRow("german letter with signature")
        << QString::fromUtf8("Sehr geehrte Damen und Herren,\n\nbitte erstatten Sie 2.400,00 € für "
                             "Bestellung 4821.\n\nMit freundlichen Grüßen\nKlaus Weber\nGlobex GmbH")
        << qint64(240000) << "EUR" << "4821" << "Globex GmbH" << QStringList {};
    QTest::newRow("eur with german thousands")
        << "EUR 1.250 was charged twice, order number: A-4821"
        << qint64(125000) << "EUR" << "A-4821" << "" << QStringList {};
    QTest::newRow("pound, one decimal, labelled customer")
        << QString::fromUtf8("£99.5 refund please. customer: Jane Smith")
        << qint64(9950) << "GBP" << "" << "Jane Smith" << QStringList {};
    QTest::newRow("currency word and purchase order")
        << "They still owe us 2400 dollars for PO-2024-118."
        << qint64(240000) << "USD" << "PO-2024-118" << "" << QStringList {};
    QTest::newRow("yen")
        << QString::fromUtf8("Can you refund ¥12000 to my card? Order #77812")
        << qint64(12000) << "JPY" << "77812" << "" << QStringList {};
    QTest::newRow("shorthand k is skipped")
        << "we expect about 1,2k back from them, probably more"
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("no amount at all")
        << "Please give Dana read access to the finance dashboard.\n\nThanks,\nBob"
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("new text beats the quoted reply")
        << QString::fromUtf8("Yes, approved — refund €150.00.\n\nOn Tue, 4 Jun 2024 at 10:12, Jane "
                             "<jane@acme.com> wrote:\n> I was charged €1,500.00 for order #9912, "
                             "please refund €150.00 of it.\n> Jane\n> Acme Corp.")
        << qint64(15000) << "EUR" << "9912" << "Acme Corp" << QStringList { "jane@acme.com" };
    QTest::newRow("refund amount beats invoice total")
        << "Invoice total was $3,200.00 but we only received half the goods. Please refund "
           "$1,600.00 to the original card."
        << qint64(160000) << "USD" << "" << "" << QStringList {};
    QTest::newRow("phone and date are not amounts")
        << "Call me at +1 (555) 123-4567 about the $45.99 charge on 03/12/2024, order 558812"
        << qint64(4599) << "USD" << "558812" << "" << QStringList {};
    QTest::newRow("iban is not an amount")
        << "New bank details for Globex GmbH: IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX. "
           "Please update before the next payment run."
        << kNoAmount << "" << "" << "Globex GmbH" << QStringList {};
    QTest::newRow("html remnants")
        << "<p>Hello,</p><p>please refund <b>&euro;75,00</b> for order&nbsp;#4410.</p><p>Best "
           "regards,<br>Maria Lopez<br>Umbrella S.A.</p>"
        << qint64(7500) << "EUR" << "4410" << "Umbrella S.A." << QStringList {};
    QTest::newRow("emails deduplicated, domains lower-cased")
        << "Contact jane.doe@ACME.com (or jane.doe@acme.com), cc Billing@Acme.COM; "
           "mailto:ap@globex.de."
        << kNoAmount << "" << "" << ""
        << QStringList { "jane.doe@acme.com", "Billing@acme.com", "ap@globex.de" };
    QTest::newRow("form fields")
        << "Customer: Initech\nOrder: 10023\nAmount: 540.00 USD\nReason: duplicate charge"
        << qint64(54000) << "USD" << "10023" << "Initech" << QStringList {};
    QTest::newRow("on behalf of")
        << "I'm writing on behalf of Globex Corporation regarding a $12,500.00 chargeback."
        << qint64(1250000) << "USD" << "" << "Globex Corporation" << QStringList {};
    QTest::newRow("signature company after a job title")
        << "Hi,\nCould you close our account? We're moving to another provider.\n\nThanks,\nPriya "
           "Raman\nHead of Finance, Stark Industries"
        << kNoAmount << "" << "" << "Stark Industries" << QStringList {};
    QTest::newRow("code glued to the number")
        << "Refund 2400EUR asap pls"
        << qint64(240000) << "EUR" << "" << "" << QStringList {};
    QTest::newRow("swiss apostrophe grouping")
        << QString::fromUtf8("Bitte CHF 1'250.50 zurückerstatten, Kunde: Alpenblick AG")
        << qint64(125050) << "CHF" << "" << "Alpenblick AG" << QStringList {};
    QTest::newRow("no-break spaces group thousands")
        << QString::fromUtf8("Merci de rembourser 1\u00a0250,00\u00a0€ (commande 8812).")
        << qint64(125000) << "EUR" << "8812" << "" << QStringList {};
    QTest::newRow("shorthand with a suffixed customer")
        << "Refund of $2k expected for Acme Corp. by Friday"
        << kNoAmount << "" << "" << "Acme Corp" << QStringList {};
    QTest::newRow("percent and time are not amounts")
        << "Only 15% of the $300 order arrived, at 10:30 on Monday."
        << qint64(30000) << "USD" << "" << "" << QStringList {};
    QTest::newRow("order as a verb")
        << "We want to order 500 units next week, can you send a quote?"
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("hash near the word order")
        << QString::fromUtf8("Re: #4821 — your order never arrived, I want my money back: $89.90")
        << qint64(8990) << "USD" << "4821" << "" << QStringList {};
    QTest::newRow("lower-case code and an address")
        << "refund 49.95 usd to jane@example.org pls"
        << qint64(4995) << "USD" << "" << "" << QStringList { "jane@example.org" };
    QTest::newRow("yen has no decimals")
        << QString::fromUtf8("¥12.5 cannot be a price in yen")
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("spanish with emoji")
        << QString::fromUtf8("Hola 👋, necesito un reembolso de 35,50 € del pedido nº 5521.\n"
                             "Gracias,\nLucía Fernández\nCafé Olé SL")
        << qint64(3550) << "EUR" << "5521" << QString::fromUtf8("Café Olé SL") << QStringList {};
    QTest::newRow("security alert")
        << "ALERT: CVE-2024-3094 detected on 12 hosts, severity 10.0, ALL services affected"
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("receipt: total near refund wins over subtotal")
        << "Subtotal: $120.00\nShipping: $15.00\nTotal: $135.00\nPlease refund the total."
        << qint64(13500) << "USD" << "" << "" << QStringList {};
    QTest::newRow("symbol and code agree")
        << "Charged twice: $2,400 USD on 2024-05-01 (order ORD-55120)"
        << qint64(240000) << "USD" << "ORD-55120" << "" << QStringList {};
    QTest::newRow("german dates and invoice numbers")
        << QString::fromUtf8("Am 12.03.2024 wurden 1.250,00 EUR abgebucht, Rechnung 2024-118, "
                             "Kunde: Müller Bau GmbH")
        << qint64(125000) << "EUR" << "" << QString::fromUtf8("Müller Bau GmbH") << QStringList {};
    QTest::newRow("gmbh & co. kg")
        << QString::fromUtf8("Zahlung an Schmidt Logistik GmbH & Co. KG: neue Bankverbindung ab "
                             "1. Juli, bitte nicht mehr auf das alte Konto überweisen.")
        << kNoAmount << "" << "" << "Schmidt Logistik GmbH & Co. KG" << QStringList {};
    QTest::newRow("comma before inc")
        << "Invoice dispute from Initech, Inc. regarding invoice INV-2291 for $8,450.00"
        << qint64(845000) << "USD" << "" << "Initech, Inc" << QStringList {};
    QTest::newRow("signature with suffixed company")
        << "Please process the refund we discussed.\n\nThanks,\nJane Doe\nAcme Co"
        << kNoAmount << "" << "" << "Acme Co" << QStringList {};
    QTest::newRow("sent from my phone is not a company")
        << "Refund pls!! wrong size\n\nThanks\nTom\nSent from my iPhone"
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("outlook history is quoted")
        << "Following up, see below.\n\n-----Original Message-----\nFrom: ap@initech.com\n"
           "Please refund $310.00 for order 99120.\nInitech LLC"
        << qint64(31000) << "USD" << "99120" << "Initech LLC" << QStringList { "ap@initech.com" };
    QTest::newRow("conflicting symbol and code")
        << "Refund EUR $500 please" // which one? neither
        << kNoAmount << "" << "" << "" << QStringList {};
    QTest::newRow("plain-space grouping with a currency after it")
        << QString::fromUtf8("Montant remboursé : 1 250,00 EUR")
        << qint64(125000) << "EUR" << "" << "" << QStringList {};
    QTest::newRow("plain space does not group after a prefix symbol")
        << "I called about the $20 100 times already"
        << qint64(2000) << "USD" << "" << "" << QStringList {};
    // clang-format on
}

void ExtractorTest::messages()
{
    QFETCH(QString, text);
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, order);
    QFETCH(QString, customer);
    QFETCH(QStringList, emails);

    const Extracted got = Extractor().extract(text.toStdString());

    if (minor == kNoAmount) {
        QVERIFY2(!got.amount,
            got.amount ? latch::formatMoney(*got.amount).c_str() : "no amount, as expected");
    } else {
        QVERIFY2(got.amount.has_value(), "no amount found");
        QCOMPARE(qint64(got.amount->minor), minor);
        QCOMPARE(QString::fromStdString(got.amount->currency), currency);
    }
    QCOMPARE(QString::fromStdString(got.orderRef), order);
    QCOMPARE(QString::fromStdString(got.customer), customer);
    QStringList gotEmails;
    for (const std::string& e : got.emails) {
        gotEmails << QString::fromStdString(e);
    }
    QCOMPARE(gotEmails, emails);
}

// The story the product is sold on: one sentence, three facts.
void ExtractorTest::productStory()
{
    const Extracted got = Extractor().extract(
        "Hi, please refund $2,400 for order #4821 \xE2\x80\x94 Acme Co was double charged");
    QVERIFY(got.amount.has_value());
    QCOMPARE(got.amount->minor, std::int64_t(240000));
    QCOMPARE(got.amount->currency, std::string("USD"));
    QCOMPARE(got.orderRef, std::string("4821"));
    QCOMPARE(got.customer, std::string("Acme Co"));
    QVERIFY(got.emails.empty());
}

void ExtractorTest::fieldsAsKeyValues()
{
    const Extracted got = Extractor().extract(
        "Please refund $2,400 for order #4821. Customer: Acme Co, contact ap@Acme.com or "
        "jane@acme.com");
    using Pair = std::pair<std::string, std::string>;
    const std::vector<Pair> expected { { "amount", "2,400.00 USD" }, { "order", "4821" },
        { "customer", "Acme Co" }, { "email", "ap@acme.com" }, { "email", "jane@acme.com" } };
    QCOMPARE(got.fields(), expected);
    // The amount's text is what the rest of Latch parses.
    auto back = latch::parseMoney(got.fields().front().second);
    QVERIFY(back.ok());
    QCOMPARE(*back, *got.amount);

    QVERIFY(Extractor().extract("nothing here").fields().empty());
}

// Nothing a sender can type makes the extractor crash or claim something.
void ExtractorTest::emptyAndHostileInput()
{
    const Extractor extractor;
    QCOMPARE(extractor.extract(""), Extracted {});
    QCOMPARE(extractor.extract("\n\n>\n> >"), Extracted {});
    // Too large to be a payment: no amount rather than an overflow.
    QVERIFY(!extractor.extract("refund $999999999999999999999999.99 now").amount);
    // Unterminated tags and entities, stray separators, bytes that are not UTF-8.
    const std::string junk = "<p <b &#; &#xZZ; &amp $,.,., 1,,2 \xFF\xFE @@ a@ @b .@. <a@b> "
                             "order # order: -- PO- #";
    const Extracted got = extractor.extract(junk);
    QVERIFY(!got.amount);
    QVERIFY(got.orderRef.empty());
    QVERIFY(got.emails.empty());
    std::string long_(200000, 'x');
    long_ += " refund $5.00";
    QCOMPARE(extractor.extract(long_).amount->minor, std::int64_t(500));
}

QTEST_GUILESS_MAIN(ExtractorTest)
#include "extractortest.moc"
