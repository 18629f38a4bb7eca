// Money parsing and formatting: what is accepted (and as exactly which amount), what is refused
// (and with which code), and that formatting round-trips.
#include "latch/money.h"

#include <QtTest>
#include <array>
#include <cstdint>
#include <limits>

using latch::Money;

namespace {

// The failure code, or "" when the parse succeeded, so a mismatch prints both sides.
QString code(const latch::Expected<Money>& m)
{
    return m ? QString() : QString::fromStdString(m.failure().code);
}

} // namespace

class MoneyTest : public QObject {
    Q_OBJECT

private slots:
    void exponents();

    void accepted_data();
    void accepted();

    void rejected_data();
    void rejected();

    void defaultCurrency();
    void parseAmountWorks();

    void format_data();
    void format();
    void roundTrip();
    void int64Edges();
    void compare();
};

void MoneyTest::exponents()
{
    QCOMPARE(latch::currencyExponent("USD"), 2);
    QCOMPARE(latch::currencyExponent("EUR"), 2);
    for (const char* c : { "JPY", "KRW", "ISK", "CLP", "VND" }) {
        QVERIFY2(latch::currencyExponent(c) == 0, c);
    }
    for (const char* c : { "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD" }) {
        QVERIFY2(latch::currencyExponent(c) == 3, c);
    }
    for (const char* c : { "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
             "HUF", "CNY", "HKD", "SGD", "INR", "BRL", "MXN", "ZAR", "TRY", "ILS", "AED", "SAR",
             "THB", "MYR", "PHP", "TWD", "RUB", "IDR" }) {
        QVERIFY2(latch::currencyExponent(c) == 2, c);
    }
    QCOMPARE(latch::currencyExponent("CLF"), 4);
    // Unknown, lower-case (the table is upper-case only), withdrawn, and not-a-code.
    QCOMPARE(latch::currencyExponent("XYZ"), -1);
    QCOMPARE(latch::currencyExponent("usd"), -1);
    QCOMPARE(latch::currencyExponent("HRK"), -1);
    QCOMPARE(latch::currencyExponent(""), -1);
}

void MoneyTest::accepted_data()
{
    // clang-format off
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");

    QTest::newRow("grouped with code") << "2,400.00 USD" << qint64(240000) << "USD";
    QTest::newRow("code first") << "USD 2400" << qint64(240000) << "USD";
    QTest::newRow("lower-case code") << "2400 usd" << qint64(240000) << "USD";
    QTest::newRow("mixed-case code") << "2400 Eur" << qint64(240000) << "EUR";
    QTest::newRow("no space before code") << "2400USD" << qint64(240000) << "USD";
    QTest::newRow("dollar grouped") << "$2,400" << qint64(240000) << "USD";
    QTest::newRow("dollar cents") << "$2,400.50" << qint64(240050) << "USD";
    QTest::newRow("euro sign") << "€1,000" << qint64(100000) << "EUR";
    QTest::newRow("pound one decimal") << "£12.5" << qint64(1250) << "GBP";
    QTest::newRow("yen sign") << "¥500" << qint64(500) << "JPY";
    QTest::newRow("negative with code") << "-15.00 EUR" << qint64(-1500) << "EUR";
    QTest::newRow("negative symbol") << "-$15" << qint64(-1500) << "USD";
    QTest::newRow("code then negative") << "USD -15" << qint64(-1500) << "USD";
    QTest::newRow("symbol and same code") << "$2,400 USD" << qint64(240000) << "USD";
    QTest::newRow("space after symbol") << "$ 10" << qint64(1000) << "USD";
    QTest::newRow("whitespace trimmed") << "  \t2,400.00 USD \n" << qint64(240000) << "USD";
    QTest::newRow("non-breaking spaces") << "\u00a02400.00\u00a0USD\u00a0" << qint64(240000)
                                         << "USD";
    QTest::newRow("millions") << "1,234,567.89 USD" << qint64(123456789) << "USD";
    QTest::newRow("comma thousands, no point") << "1,234 USD" << qint64(123400) << "USD";
    QTest::newRow("zero") << "0 USD" << qint64(0) << "USD";
    QTest::newRow("negative zero") << "-0.00 USD" << qint64(0) << "USD";
    QTest::newRow("cents only") << "0.07 USD" << qint64(7) << "USD";
    QTest::newRow("jpy whole") << "500 JPY" << qint64(500) << "JPY";
    QTest::newRow("jpy grouped") << "1,500,000 JPY" << qint64(1500000) << "JPY";
    QTest::newRow("bhd three decimals") << "1,234.567 BHD" << qint64(1234567) << "BHD";
    QTest::newRow("kwd one decimal") << "0.5 KWD" << qint64(500) << "KWD";
    QTest::newRow("clf four decimals") << "1.2345 CLF" << qint64(12345) << "CLF";
    QTest::newRow("max usd") << "92,233,720,368,547,758.07 USD"
                             << std::numeric_limits<qint64>::max() << "USD";
    QTest::newRow("min usd") << "-92233720368547758.08 USD" << std::numeric_limits<qint64>::min()
                             << "USD";
    QTest::newRow("max jpy") << "9223372036854775807 JPY" << std::numeric_limits<qint64>::max()
                             << "JPY";
    // clang-format on
}

void MoneyTest::accepted()
{
    QFETCH(QString, text);
    QFETCH(qint64, minor);
    QFETCH(QString, currency);

    const auto m = latch::parseMoney(text.toStdString());
    QVERIFY2(m.ok(),
        qPrintable(code(m) + ": " + (m ? QString() : QString::fromStdString(m.failure().message))));
    QCOMPARE(qint64(m->minor), minor);
    QCOMPARE(QString::fromStdString(m->currency), currency);
}

void MoneyTest::rejected_data()
{
    // clang-format off
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("failure");

    QTest::newRow("empty") << "" << "money.empty";
    QTest::newRow("blank") << "   \t " << "money.empty";

    // Readings a person could take two ways: refuse rather than guess.
    QTest::newRow("decimal comma") << "1,23 USD" << "money.ambiguous";
    QTest::newRow("decimal comma after group") << "12,34.5 USD" << "money.ambiguous";
    QTest::newRow("european") << "1.234,56 EUR" << "money.ambiguous";
    QTest::newRow("european grouping dots") << "1.234.567 EUR" << "money.ambiguous";
    QTest::newRow("two-digit last group") << "1,234,56 USD" << "money.ambiguous";
    QTest::newRow("four-digit group") << "1,2345 USD" << "money.ambiguous";
    QTest::newRow("long lead") << "1234,567 USD" << "money.ambiguous";
    QTest::newRow("zero lead") << "0,500 USD" << "money.ambiguous";
    QTest::newRow("symbol vs code") << "$2,400 EUR" << "money.ambiguous";
    QTest::newRow("yen vs cny") << "¥500 CNY" << "money.ambiguous";
    QTest::newRow("pound vs usd") << "USD £5" << "money.ambiguous";

    // Never rounded, not even zeros.
    QTest::newRow("usd three decimals") << "2400.001 USD" << "money.precision";
    QTest::newRow("usd trailing zero") << "2400.000 USD" << "money.precision";
    QTest::newRow("jpy decimals") << "500.5 JPY" << "money.precision";
    QTest::newRow("jpy zero decimal") << "500.0 JPY" << "money.precision";
    QTest::newRow("yen sign decimals") << "¥1.50" << "money.precision";
    QTest::newRow("bhd four decimals") << "1.2345 BHD" << "money.precision";

    QTest::newRow("one over max") << "92233720368547758.08 USD" << "money.overflow";
    QTest::newRow("one under min") << "-92233720368547758.09 USD" << "money.overflow";
    QTest::newRow("huge") << "99999999999999999999999999 JPY" << "money.overflow";
    QTest::newRow("max jpy scaled") << "9223372036854775807 USD" << "money.overflow";

    QTest::newRow("unknown code") << "100 XYZ" << "money.currency";
    QTest::newRow("word for code") << "100 dollars" << "money.currency";
    QTest::newRow("withdrawn code") << "100 HRK" << "money.currency";
    QTest::newRow("no currency") << "2400.00" << "money.currency";

    QTest::newRow("letters") << "abc" << "money.syntax";
    QTest::newRow("code only") << "USD" << "money.syntax";
    QTest::newRow("two codes") << "USD 100 USD" << "money.syntax";
    QTest::newRow("trailing point") << "12. USD" << "money.syntax";
    QTest::newRow("leading point") << ".5 USD" << "money.syntax";
    QTest::newRow("double minus") << "--5 USD" << "money.syntax";
    QTest::newRow("plus sign") << "+5 USD" << "money.syntax";
    QTest::newRow("minus after symbol") << "$-5" << "money.syntax";
    QTest::newRow("space grouping") << "1 234 USD" << "money.syntax";
    QTest::newRow("apostrophe grouping") << "1'234 CHF" << "money.syntax";
    QTest::newRow("exponent") << "1e5 USD" << "money.syntax";
    QTest::newRow("empty group") << "1,,234 USD" << "money.syntax";
    QTest::newRow("trailing comma") << "1, USD" << "money.syntax";
    QTest::newRow("symbol only") << "$" << "money.syntax";
    QTest::newRow("trailing junk") << "100 USD!" << "money.syntax";
    QTest::newRow("unknown symbol") << "₹100" << "money.syntax";
    // clang-format on
}

void MoneyTest::rejected()
{
    QFETCH(QString, text);
    QFETCH(QString, failure);

    const auto m = latch::parseMoney(text.toStdString());
    if (m.ok()) {
        QFAIL(qPrintable("accepted as " + QString::fromStdString(latch::formatMoney(*m))));
    }
    QCOMPARE(code(m), failure);
    QVERIFY(!m.failure().message.empty());
}

void MoneyTest::defaultCurrency()
{
    auto m = latch::parseMoney("2400.00", "usd");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { 240000, "USD" }));

    // A written currency or symbol wins over the default.
    m = latch::parseMoney("500 JPY", "USD");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { 500, "JPY" }));
    m = latch::parseMoney("€3", "USD");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { 300, "EUR" }));

    // The default's exponent applies to a bare number.
    QCOMPARE(code(latch::parseMoney("1.5", "JPY")), QString("money.precision"));
    QCOMPARE(code(latch::parseMoney("1", "NOPE")), QString("money.currency"));
}

void MoneyTest::parseAmountWorks()
{
    auto m = latch::parseAmount("1000.00", "USD");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { 100000, "USD" }));
    m = latch::parseAmount(" 1,000 ", "jpy");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { 1000, "JPY" }));
    m = latch::parseAmount("-0.125", "BHD");
    QVERIFY(m.ok());
    QCOMPARE(*m, (Money { -125, "BHD" }));

    QCOMPARE(code(latch::parseAmount("", "USD")), QString("money.empty"));
    QCOMPARE(code(latch::parseAmount("1", "")), QString("money.currency"));
    QCOMPARE(code(latch::parseAmount("1", "ABC")), QString("money.currency"));
    QCOMPARE(code(latch::parseAmount("$1", "USD")), QString("money.syntax"));
    QCOMPARE(code(latch::parseAmount("1 USD", "USD")), QString("money.syntax"));
    QCOMPARE(code(latch::parseAmount("1,23", "USD")), QString("money.ambiguous"));
    QCOMPARE(code(latch::parseAmount("1.001", "USD")), QString("money.precision"));
    QCOMPARE(code(latch::parseAmount("92233720368547758.08", "USD")), QString("money.overflow"));
}

void MoneyTest::format_data()
{
    // clang-format off
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("text");

    QTest::newRow("usd") << qint64(240000) << "USD" << "2,400.00 USD";
    QTest::newRow("negative eur") << qint64(-1500) << "EUR" << "-15.00 EUR";
    QTest::newRow("jpy") << qint64(500) << "JPY" << "500 JPY";
    QTest::newRow("bhd") << qint64(1234567) << "BHD" << "1,234.567 BHD";
    QTest::newRow("zero") << qint64(0) << "USD" << "0.00 USD";
    QTest::newRow("one cent") << qint64(1) << "USD" << "0.01 USD";
    QTest::newRow("minus one cent") << qint64(-1) << "USD" << "-0.01 USD";
    QTest::newRow("one fils") << qint64(1) << "KWD" << "0.001 KWD";
    QTest::newRow("exactly thousand") << qint64(100000) << "GBP" << "1,000.00 GBP";
    QTest::newRow("below thousand") << qint64(99999) << "GBP" << "999.99 GBP";
    QTest::newRow("jpy million") << qint64(-1000000) << "JPY" << "-1,000,000 JPY";
    QTest::newRow("max") << std::numeric_limits<qint64>::max() << "USD"
                         << "92,233,720,368,547,758.07 USD";
    QTest::newRow("min") << std::numeric_limits<qint64>::min() << "USD"
                         << "-92,233,720,368,547,758.08 USD";
    QTest::newRow("min jpy") << std::numeric_limits<qint64>::min() << "JPY"
                             << "-9,223,372,036,854,775,808 JPY";
    QTest::newRow("unknown code raw") << qint64(1234) << "XYZ" << "1,234 XYZ";
    // clang-format on
}

void MoneyTest::format()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, text);
    QCOMPARE(
        QString::fromStdString(latch::formatMoney(Money { minor, currency.toStdString() })), text);
}

void MoneyTest::roundTrip()
{
    QCOMPARE(QString::fromStdString(latch::formatMoney(Money {})), QString());

    const auto samples = std::to_array<std::int64_t>(
        { 0, 1, -1, 7, 99, 100, 999, 1000, 123456, -987654321, 1'000'000'000'000,
            std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min() });
    for (const char* currency : { "USD", "JPY", "BHD", "CLF", "EUR" }) {
        for (std::int64_t minor : samples) {
            const Money original { minor, currency };
            const std::string text = latch::formatMoney(original);
            const auto parsed = latch::parseMoney(text);
            QVERIFY2(parsed.ok(), text.c_str());
            QVERIFY2(*parsed == original, text.c_str());
        }
    }
}

void MoneyTest::int64Edges()
{
    // The exact boundary on both sides, for a 0-, 2- and 3-exponent currency.
    QCOMPARE(latch::parseMoney("9,223,372,036,854,775,807 JPY")->minor,
        std::numeric_limits<std::int64_t>::max());
    QCOMPARE(code(latch::parseMoney("9,223,372,036,854,775,808 JPY")), QString("money.overflow"));
    QCOMPARE(latch::parseMoney("-9,223,372,036,854,775,808 JPY")->minor,
        std::numeric_limits<std::int64_t>::min());
    QCOMPARE(code(latch::parseMoney("-9,223,372,036,854,775,809 JPY")), QString("money.overflow"));
    QCOMPARE(latch::parseMoney("9223372036854775.807 BHD")->minor,
        std::numeric_limits<std::int64_t>::max());
    QCOMPARE(code(latch::parseMoney("9223372036854775.808 BHD")), QString("money.overflow"));
    // Overflows in the multiplication, not just the final range check.
    QCOMPARE(code(latch::parseMoney("18446744073709551616 JPY")), QString("money.overflow"));
    QCOMPARE(code(latch::parseMoney("184467440737095516.16 USD")), QString("money.overflow"));
    // Leading zeros do not count towards overflow.
    QCOMPARE(latch::parseMoney("0000000000000000000000001 JPY")->minor, std::int64_t { 1 });
}

void MoneyTest::compare()
{
    QCOMPARE(latch::compareMoney({ 100, "USD" }, { 200, "USD" }), -1);
    QCOMPARE(latch::compareMoney({ 200, "USD" }, { 200, "USD" }), 0);
    QCOMPARE(latch::compareMoney({ std::numeric_limits<std::int64_t>::max(), "USD" },
                 { std::numeric_limits<std::int64_t>::min(), "USD" }),
        1);
}

QTEST_GUILESS_MAIN(MoneyTest)
#include "moneytest.moc"
