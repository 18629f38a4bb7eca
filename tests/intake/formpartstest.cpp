// The web forms' parts without a server: the urlencoded decoder and UTF-8 checks, the CSRF token
// (bound to the form, the cookie and the time), the rate limiter, field checks and the case they
// make, the page's escaping, and the config reader's refusals.
#include "core/config.h"
#include "intake/formpage.h"
#include "intake/formsubmission.h"
#include "intake/formtoken.h"
#include "intake/ratelimiter.h"
#include "intake/urlencoded.h"

#include <QtTest>

using namespace latch::intake;

namespace {

const char* const kBase = R"(server:
  listen: "127.0.0.1:0"
roles: [operator]
queues:
  support:
    roles: [operator]
    types: [refund, other]
default_queue: support
intake:
  forms:
    - name: refund
      title: Refund <now>
      type: refund
      case_title: "Refund request: {customer} order {order_ref}"
      fields:
        - {name: customer, label: Customer, required: true, max_length: 10, maps_to: customer}
        - {name: order_ref, label: Order, maps_to: order_ref}
        - {name: amount, label: Amount, kind: amount, currency: USD}
        - {name: email, label: Email, kind: email, maps_to: field.contact_email}
        - {name: reason, label: Reason, kind: textarea, maps_to: description}
)";

latch::Expected<latch::core::Config> parseWith(const std::string& from, const std::string& to)
{
    std::string text = kBase;
    const std::size_t at = text.find(from);
    Q_ASSERT_X(at != std::string::npos, "parseWith", from.c_str());
    text.replace(at, from.size(), to);
    return latch::core::parseConfig(text, "latch.yaml");
}

} // namespace

class FormPartsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesAsBrowsersEncode()
    {
        const auto pairs = parseUrlEncoded("a=1+2&b=%C3%A9t%C3%A9&&c&d=%2B%26%3D&e=");
        QVERIFY(pairs);
        QCOMPARE(int(pairs->size()), 5);
        QCOMPARE((*pairs)[0].second, std::string("1 2"));
        QCOMPARE((*pairs)[1].second, std::string("été"));
        QCOMPARE((*pairs)[2].first, std::string("c"));
        QCOMPARE((*pairs)[2].second, std::string());
        QCOMPARE((*pairs)[3].second, std::string("+&="));
        QVERIFY(!parseUrlEncoded("a=%2"));
        QVERIFY(!parseUrlEncoded("a=%zz"));
        QVERIFY(!parseUrlEncoded("a=%"));
    }

    void checksUtf8()
    {
        QVERIFY(validUtf8("plain"));
        QVERIFY(validUtf8("Zoë € 𝄞"));
        QVERIFY(!validUtf8("\xC3"));
        QVERIFY(!validUtf8("\xC0\xAF")); // overlong '/'
        QVERIFY(!validUtf8("\xED\xA0\x80")); // a surrogate
        QVERIFY(!validUtf8("\xF4\x90\x80\x80")); // past U+10FFFF
        QCOMPARE(utf8Length("Zoë€"), std::size_t(4));
        QCOMPARE(std::string(utf8Prefix("aé", 2)), std::string("a"));
    }

    void base64UrlRoundTrips()
    {
        for (const std::string bytes : { std::string(), std::string("f"), std::string("fo"),
                 std::string("foo"), std::string("\xff\xfe\x00\x01", 4) }) {
            std::string back;
            QVERIFY(base64UrlDecode(base64UrlEncode(bytes), back));
            QCOMPARE(back, bytes);
        }
        std::string out;
        QVERIFY(!base64UrlDecode("Zg=", out)); // no padding
        QVERIFY(!base64UrlDecode("Zh", out)); // non-zero leftover bits
        QVERIFY(!base64UrlDecode("a+b/", out)); // not the URL alphabet
    }

    void tokenIsBoundToFormCookieAndTime()
    {
        const FormTokens tokens(std::string(32, 'k'));
        const std::string cookie = FormTokens::newCookie();
        QVERIFY(FormTokens::wellFormedCookie(cookie));
        const std::int64_t t0 = 1'800'000'000'000;
        const std::string token = tokens.issue("refund", cookie, t0);

        auto check = tokens.check(token, "refund", cookie, t0 + 3000, 2000);
        QCOMPARE(check.status, TokenStatus::Valid);
        QCOMPARE(int(check.nonce.size()), 32);
        QCOMPARE(check.issuedMs, t0);
        // The nonce names the page: the same token checks to the same nonce.
        QCOMPARE(tokens.check(token, "refund", cookie, t0 + 9000, 2000).nonce, check.nonce);

        QCOMPARE(
            tokens.check(token, "refund", cookie, t0 + 1000, 2000).status, TokenStatus::TooFast);
        QCOMPARE(tokens.check(token, "refund", cookie, t0 + FormTokens::kMaxAgeMs + 1, 2000).status,
            TokenStatus::Expired);
        QCOMPARE(tokens.check(token, "other", cookie, t0 + 3000, 2000).status, TokenStatus::Forged);
        QCOMPARE(tokens.check(token, "refund", FormTokens::newCookie(), t0 + 3000, 2000).status,
            TokenStatus::Forged);
        QCOMPARE(tokens.check(token, "refund", "", t0 + 3000, 2000).status, TokenStatus::NoCookie);
        QCOMPARE(tokens.check("", "refund", cookie, t0 + 3000, 2000).status, TokenStatus::Missing);
        QCOMPARE(tokens.check(token.substr(1), "refund", cookie, t0 + 3000, 2000).status,
            TokenStatus::Forged);
        // Another key (the server restarted): the token no longer verifies.
        const FormTokens restarted;
        QCOMPARE(
            restarted.check(token, "refund", cookie, t0 + 3000, 2000).status, TokenStatus::Forged);
        // The issue time cannot be moved back to skip the fill time.
        std::string bytes;
        QVERIFY(base64UrlDecode(token, bytes));
        bytes[23] = static_cast<char>(bytes[23] ^ 0x40);
        QCOMPARE(tokens.check(base64UrlEncode(bytes), "refund", cookie, t0 + 3000, 2000).status,
            TokenStatus::Forged);
    }

    void readsCookieHeader()
    {
        QCOMPARE(cookieValue("a=1; latch_form=xyz; b=2", "latch_form"), std::string("xyz"));
        QCOMPARE(cookieValue("latch_form=xyz", "latch_form"), std::string("xyz"));
        QCOMPARE(cookieValue("not_latch_form=xyz", "latch_form"), std::string());
        QCOMPARE(cookieValue("", "latch_form"), std::string());
    }

    void rateLimiterCountsPerWindow()
    {
        RateLimiter limiter(60'000, 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(limiter.allow("a", 3, 1000));
        QVERIFY(!limiter.allow("a", 3, 2000));
        QVERIFY(limiter.allow("b", 3, 2000)); // another key counts apart
        QVERIFY(limiter.allow("a", 3, 61'000)); // a new window
        QVERIFY(limiter.allow("c", 3, 61'000));
        // Full of live keys: a new key is refused rather than the table growing.
        QVERIFY(!limiter.allow("d", 3, 61'500));
        // Once their windows pass, old keys make room.
        QVERIFY(limiter.allow("d", 3, 200'000));
    }

    void submissionChecksAndMakesTheCase()
    {
        auto config = latch::core::parseConfig(kBase, "latch.yaml");
        QVERIFY2(config, config ? "" : config.failure().message.c_str());
        const auto& form = config->intake.forms.at(0);
        QCOMPARE(form.minFillSeconds, 2u);
        QCOMPARE(form.maxPerMinute, 10u);
        QCOMPARE(form.fields.at(2).mapsTo, std::string("amount")); // an amount's default

        auto bad = FormSubmission::check(form,
            { { "customer", "  " }, { "amount", "12,34" }, { "email", "a@b" },
                { "order_ref", "x\x01" } });
        QVERIFY(!bad.ok());
        QCOMPARE(int(bad.errors().size()), 4);
        QVERIFY(bad.errors().count("customer"));
        QVERIFY(bad.errors().count("amount"));
        QVERIFY(bad.errors().count("email"));
        QVERIFY(bad.errors().count("order_ref"));
        QVERIFY(!FormSubmission::check(form, { { "customer", "Elevenchars" } }).ok());
        QVERIFY(!FormSubmission::check(form, { { "customer", "A" }, { "amount", "0" } }).ok());
        QVERIFY(FormSubmission::check(form, { { "customer", "Zoë €€€€€€" } }).ok()); // characters

        const auto good = FormSubmission::check(form,
            { { "customer", " Acme " }, { "order_ref", "4821" }, { "amount", "$2,400" },
                { "email", "a@acme.example" }, { "reason", "Line one\r\nLine two" } });
        QVERIFY(good.ok());
        QCOMPARE(good.caseTitle(), std::string("Refund request: Acme order 4821"));
        const auto command = good.command("00112233445566778899aabbccddeeff", "raw-body", 1024);
        const auto& intake = command.intake();
        QCOMPARE(
            intake.delivery_key(), std::string("form:refund:00112233445566778899aabbccddeeff"));
        QCOMPARE(intake.create().customer(), std::string("Acme"));
        QCOMPARE(intake.create().amount().minor(), 240000);
        QCOMPARE(intake.create().amount().currency(), std::string("USD"));
        QCOMPARE(intake.create().description(), std::string("Line one\nLine two"));
        QCOMPARE(intake.create().fields(0).key(), std::string("contact_email"));
        QCOMPARE(intake.received().channel(), std::string("form"));
        QCOMPARE(intake.received().evidence(0).data(), std::string("raw-body"));

        // An optional field left out of the title leaves no stray space.
        const auto bare = FormSubmission::check(form, { { "customer", std::string(10, 'x') } });
        QCOMPARE(bare.caseTitle(), std::string("Refund request: xxxxxxxxxx order"));
    }

    void pageEscapesEverything()
    {
        QCOMPARE(htmlEscape("<a href=\"x\">'&'</a>"),
            std::string("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"));
        auto config = latch::core::parseConfig(kBase, "latch.yaml");
        QVERIFY(config);
        const auto& form = config->intake.forms.at(0);
        const auto sent = FormSubmission::check(form, { { "customer", "\"><script>x</script>" } });
        const std::string html = FormPage::form(form, sent, "tok\"en");
        QVERIFY(html.find("<script") == std::string::npos);
        QVERIFY(html.find("Refund &lt;now&gt;") != std::string::npos);
        QVERIFY(html.find("value=\"tok&quot;en\"") != std::string::npos);
        QCOMPARE(FormPage::reference("0190163d-8694-739b-aea5-966c26f8ad91"),
            std::string("0190163d-8694"));
    }

    void configErrorsNameTheKey_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad name") << "name: refund"
                                  << "name: Refund/Now"
                                  << "latch.yaml:11: intake.forms[0].name: must be 1 to 64";
        QTest::newRow("unknown key") << "type: refund\n      case"
                                     << "typ: refund\n      case"
                                     << "latch.yaml:13: intake.forms[0].typ: unknown key";
        QTest::newRow("bad kind") << "kind: textarea"
                                  << "kind: checkbox"
                                  << "intake.forms[0].fields[4].kind: is 'checkbox'";
        QTest::newRow("bad maps_to") << "maps_to: order_ref"
                                     << "maps_to: orders"
                                     << "intake.forms[0].fields[1].maps_to: is 'orders'";
        QTest::newRow("maps twice")
            << "maps_to: order_ref"
            << "maps_to: customer"
            << "intake.forms[0].fields[1].maps_to: customer is already filled";
        QTest::newRow("too long for the case") << "max_length: 10"
                                               << "max_length: 201"
                                               << "intake.forms[0].fields[0].max_length: must be a "
                                                  "whole number of at least 1 and at most 200";
        QTest::newRow("unknown placeholder")
            << "{order_ref}\""
            << "{order}\""
            << "intake.forms[0].case_title: {order} names no field";
        QTest::newRow("unclosed placeholder") << "{order_ref}\""
                                              << "{order_ref\""
                                              << "intake.forms[0].case_title: every { must close";
        QTest::newRow("amount without currency")
            << ", currency: USD}"
            << "}"
            << "intake.forms[0].fields[2]: an amount field needs";
        QTest::newRow("unknown currency") << "currency: USD"
                                          << "currency: XXQ"
                                          << "intake.forms[0].fields[2].currency: 'XXQ'";
        QTest::newRow("reserved name") << "name: email"
                                       << "name: latch_email"
                                       << "intake.forms[0].fields[3].name: must be a lower-case";
        QTest::newRow("select without options")
            << "kind: email"
            << "kind: select"
            << "intake.forms[0].fields[3].options: a select needs";
        QTest::newRow("unknown queue") << "type: refund\n"
                                       << "type: refund\n      queue: nowhere\n"
                                       << "intake.forms[0].queue: queue nowhere is not defined";
        QTest::newRow("two forms, one name")
            << "intake:\n  forms:\n"
            << "intake:\n  forms:\n    - {name: refund, title: T, fields: [{name: a, label: A}]}\n"
            << "intake.forms[1].name: form refund is already defined on line 11";
    }

    void configErrorsNameTheKey()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        const auto config = parseWith(from.toStdString(), to.toStdString());
        QVERIFY(!config);
        QVERIFY2(QString::fromStdString(config.failure().message).contains(expected),
            config.failure().message.c_str());
    }

    void shippedConfigHasTheRefundForm()
    {
        const auto config
            = latch::core::parseConfig(latch::core::builtInConfigText(), "<built-in>");
        QVERIFY2(config, config ? "" : config.failure().message.c_str());
        const auto* form = config->intake.form("refund");
        QVERIFY(form);
        QVERIFY(form->enabled);
        QCOMPARE(form->type, std::string("refund"));
        for (const char* target :
            { "customer", "order_ref", "amount", "description", "field.contact_email" }) {
            QVERIFY2(std::any_of(form->fields.begin(), form->fields.end(),
                         [&](const auto& f) { return f.mapsTo == target; }),
                target);
        }
    }
};

QTEST_GUILESS_MAIN(FormPartsTest)
#include "formpartstest.moc"
