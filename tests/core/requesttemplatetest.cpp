// Templates of the declarative HTTP actions: placeholders are found (and JSON braces left alone),
// unknown ones refused with the placeholder named, values escaped for JSON, URLs and forms,
// secrets never written, and a missing case value refusing the expansion with its name.
#include "core/requesttemplate.h"

#include "latch/casefold.h"

#include <QtTest>

using latch::core::RequestTemplate;
using latch::core::TemplateEscape;

namespace {

latch::v1::Case sampleCase()
{
    latch::v1::Case c;
    c.set_id("0190-abc");
    c.set_type("vendor_bank_change");
    c.set_title("New bank \"account\"");
    c.set_customer("Smith & Sons");
    c.set_status(latch::v1::CASE_STATUS_APPROVED);
    c.mutable_amount()->set_minor(240050);
    c.mutable_amount()->set_currency("USD");
    latch::setField(c, "vendor_id", "V 17/a");
    latch::setField(c, "note", "line one\nline two\t\x01");
    return c;
}

std::string expand(const std::string& text, TemplateEscape how)
{
    const auto t = RequestTemplate::parse(text);
    if (!t)
        return "parse failed: " + t.failure().message;
    const auto e = t->expand(sampleCase(), how);
    return e ? e->text : "expand failed: " + e.failure().code;
}

} // namespace

class RequestTemplateTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonBracesAreText();
    void valuesAreEscapedForWhereTheyLand();
    void caseVariables();
    void secretsAreNeverWritten();
    void unknownPlaceholdersAreRefused_data();
    void unknownPlaceholdersAreRefused();
    void missingValuesAreNamed();
    void headerValuesRefuseLineBreaks();
    void hostCheck();
};

void RequestTemplateTest::jsonBracesAreText()
{
    const auto t
        = RequestTemplate::parse("{\"a\": {\"b\": \"{case.id}\"}, \"c\": [1, {\"d\": 2}]}");
    QVERIFY(t);
    QCOMPARE(t->parts().size(), std::size_t(3));
    QCOMPARE(expand("{\"a\": {\"b\": \"{case.id}\"}}", TemplateEscape::Json),
        std::string("{\"a\": {\"b\": \"0190-abc\"}}"));
    QCOMPARE(expand("{ case.id }", TemplateEscape::None), std::string("{ case.id }"));
    QCOMPARE(expand("{}", TemplateEscape::None), std::string("{}"));
}

void RequestTemplateTest::valuesAreEscapedForWhereTheyLand()
{
    QCOMPARE(expand("{\"t\": \"{case.title}\"}", TemplateEscape::Json),
        std::string("{\"t\": \"New bank \\\"account\\\"\"}"));
    QCOMPARE(expand("\"{fields.note}\"", TemplateEscape::Json),
        std::string("\"line one\\nline two\\t\\u0001\""));
    QCOMPARE(
        expand("/v/{fields.vendor_id}/x", TemplateEscape::Url), std::string("/v/V%2017%2Fa/x"));
    QCOMPARE(expand("c={case.customer}", TemplateEscape::Form), std::string("c=Smith+%26+Sons"));
    QCOMPARE(expand("c={case.customer}", TemplateEscape::Url), std::string("c=Smith%20%26%20Sons"));
    // Literal text is never escaped: only what comes from the case.
    QCOMPARE(expand("a b/{case.id}", TemplateEscape::Url), std::string("a b/0190-abc"));
    QCOMPARE(RequestTemplate::escape("\xC3\xBC", TemplateEscape::Url), std::string("%C3%BC"));
    QCOMPARE(RequestTemplate::escape("\xC3\xBC", TemplateEscape::Json), std::string("\xC3\xBC"));
}

void RequestTemplateTest::caseVariables()
{
    QCOMPARE(expand("{case.amount} {case.amount_minor} {case.currency}", TemplateEscape::None),
        std::string("2400.50 240050 USD"));
    QCOMPARE(expand("{case.status}/{case.type}", TemplateEscape::None),
        std::string("approved/vendor_bank_change"));
    auto c = sampleCase();
    c.mutable_amount()->set_minor(5);
    c.mutable_amount()->set_currency("JPY");
    std::string value;
    QVERIFY(RequestTemplate::caseValue(c, "amount", value));
    QCOMPARE(value, std::string("5"));
    c.mutable_amount()->set_minor(-7);
    c.mutable_amount()->set_currency("EUR");
    QVERIFY(RequestTemplate::caseValue(c, "amount", value));
    QCOMPARE(value, std::string("-0.07"));
    QVERIFY(!RequestTemplate::caseValue(c, "amout", value));
}

void RequestTemplateTest::secretsAreNeverWritten()
{
    const auto t = RequestTemplate::parse("Bearer {env.ERP_KEY} for {case.id} {env.OTHER}");
    QVERIFY(t);
    QCOMPARE(t->envs(), (std::vector<std::string> { "ERP_KEY", "OTHER" }));
    const auto e = t->expand(sampleCase(), TemplateEscape::None);
    QVERIFY(e);
    QCOMPARE(e->text, std::string("Bearer [redacted] for 0190-abc [redacted]"));
    QCOMPARE(e->secrets.size(), std::size_t(2));
    QCOMPARE(e->secrets[0].at, std::size_t(7));
    QCOMPARE(e->secrets[0].env, std::string("ERP_KEY"));
    QCOMPARE(e->text.substr(e->secrets[1].at), std::string("[redacted]"));
    QCOMPARE(e->secrets[1].env, std::string("OTHER"));
}

void RequestTemplateTest::unknownPlaceholdersAreRefused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown case variable") << "/v/{case.vendor}"
                                           << "{case.vendor}";
    QTest::newRow("unknown namespace") << "/v/{feilds.iban}"
                                       << "{feilds.iban}";
    QTest::newRow("unclosed") << "/v/{fields.iban"
                              << "is not closed";
    QTest::newRow("bad env name") << "{env.ERP-KEY}"
                                  << "{env.ERP-KEY}";
    QTest::newRow("empty name") << "{fields.}"
                                << "has no name";
}

void RequestTemplateTest::unknownPlaceholdersAreRefused()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto t = RequestTemplate::parse(text.toStdString());
    QVERIFY(!t);
    QVERIFY2(QString::fromStdString(t.failure().message).contains(expected),
        t.failure().message.c_str());
}

void RequestTemplateTest::missingValuesAreNamed()
{
    const auto t = RequestTemplate::parse("{fields.iban} {case.order_ref}");
    QVERIFY(t);
    QCOMPARE(t->fields(), std::vector<std::string> { "iban" });
    auto c = sampleCase();
    auto e = t->expand(c, TemplateEscape::Json);
    QVERIFY(!e);
    QCOMPARE(e.failure().code, std::string("http.missing_field"));
    QVERIFY(e.failure().message.find("iban") != std::string::npos);
    latch::setField(c, "iban", "DE89");
    e = t->expand(c, TemplateEscape::Json);
    QVERIFY(!e);
    QVERIFY(e.failure().message.find("order_ref") != std::string::npos);
    c.clear_amount();
    QCOMPARE(RequestTemplate::parse("{case.amount}")->expand(c, TemplateEscape::None).ok(), false);
}

void RequestTemplateTest::headerValuesRefuseLineBreaks()
{
    const auto t = RequestTemplate::parse("x {fields.note}");
    QVERIFY(t);
    const auto e = t->expand(sampleCase(), TemplateEscape::None);
    QVERIFY(!e);
    QCOMPARE(e.failure().code, std::string("http.bad_value"));
}

void RequestTemplateTest::hostCheck()
{
    const std::string fixed = "https://erp.example/api/{case.id}";
    QVERIFY(!RequestTemplate::parse(fixed)->hasPlaceholderBefore(fixed.find("/api")));
    const std::string variable = "https://{env.HOST}/api";
    QVERIFY(RequestTemplate::parse(variable)->hasPlaceholderBefore(variable.find("/api")));
}

QTEST_GUILESS_MAIN(RequestTemplateTest)
#include "requesttemplatetest.moc"
