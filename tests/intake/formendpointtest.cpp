// The web forms of a real latch-server over HTTP (/forms/<name>): the page renders its fields
// (escaped, accessible, no script); a submission without a valid token, with the spam trap filled
// or sent too quickly is refused and creates nothing; refused fields come back with their values
// and a message beside them; a good submission opens exactly one case with the form's facts and
// the body as evidence, and sending the same page twice never makes a second case.
#include "../fakes/formencoding.h"
#include "../fakes/httpclient.h"
#include "../plugins/actionharness.h"
#include "../support/serverprocess.h"
#include "latch/hashing.h"

#include <QRegularExpression>
#include <QtTest>

using latch::fakes::ClientResponse;
using latch::fakes::FormParams;
using latch::fakes::HttpClient;

namespace {

const char* kFormsYaml = R"(
intake:
  forms:
    - name: refund
      title: Request a refund
      intro: "Questions & answers <fast>"
      type: refund
      case_title: "Refund request: {customer} order {order_ref}"
      max_per_minute: 1000
      fields:
        - {name: customer, label: Customer or company, required: true, max_length: 60, maps_to: customer}
        - {name: order_ref, label: Order number, required: true, max_length: 20, maps_to: order_ref}
        - {name: amount, label: Amount, kind: amount, required: true, currencies: [USD, EUR]}
        - {name: reason, label: Reason, kind: textarea, required: true, maps_to: description}
        - {name: email, label: Email, kind: email, required: true, maps_to: field.contact_email}
        - {name: channel, label: "How did you pay?", kind: select, options: [Card, "Bank & wire"], maps_to: field.paid_by}
    - name: limited
      title: Limited
      min_fill_seconds: 0
      max_per_minute: 3
      fields:
        - {name: note, label: Note, required: true}
    - name: off
      enabled: false
      title: Switched off
      fields:
        - {name: note, label: Note}
)";

constexpr const char* kForm = "application/x-www-form-urlencoded";

struct Page {
    std::string cookie;
    std::string token;
};

std::string tokenIn(const std::string& html)
{
    static const QRegularExpression re(QStringLiteral("name=\"latch_token\" value=\"([^\"]+)\""));
    const auto m = re.match(QString::fromStdString(html));
    return m.hasMatch() ? m.captured(1).toStdString() : std::string();
}

std::string cookieIn(const ClientResponse& r)
{
    const std::string set = r.header("Set-Cookie").value_or("");
    const auto eq = set.find('=');
    const auto semi = set.find(';');
    return eq == std::string::npos ? std::string() : set.substr(eq + 1, semi - eq - 1);
}

std::string caseIdIn(const std::string& html)
{
    static const QRegularExpression re(QStringLiteral("Case ([0-9a-f-]{36})</span>"));
    const auto m = re.match(QString::fromStdString(html));
    return m.hasMatch() ? m.captured(1).toStdString() : std::string();
}

FormParams goodAnswers(const std::string& token, const std::string& order)
{
    return { { "latch_token", token }, { "customer", "Acme Co" }, { "order_ref", order },
        { "amount", "2,400.00" }, { "amount_currency", "USD" },
        { "reason", "Double charge.\r\nSee invoice." }, { "email", "billing@acme.example" },
        { "channel", "Bank & wire" }, { "latch_website", "" } };
}

} // namespace

class FormEndpointTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    QTemporaryDir m_dir;
    std::string m_cookie;
    std::vector<std::string> m_tokens; // issued over 2 s ago: ready to send

    std::unique_ptr<HttpClient> client() const
    {
        return std::make_unique<HttpClient>("127.0.0.1", m_server->port());
    }
    ClientResponse getForm(const std::string& name, const std::string& cookie = {}) const
    {
        latch::fakes::Headers headers;
        if (!cookie.empty())
            headers.emplace_back("Cookie", "latch_form=" + cookie);
        return client()->get("/forms/" + name, headers);
    }
    ClientResponse post(const std::string& name, const std::string& body, const std::string& cookie,
        latch::fakes::Headers headers = {}) const
    {
        headers.emplace_back("Content-Type", kForm);
        if (!cookie.empty())
            headers.emplace_back("Cookie", "other=1; latch_form=" + cookie);
        return client()->post("/forms/" + name, body, headers);
    }
    // A token issued more than the minimum fill time ago, for this test's cookie.
    std::string readyToken()
    {
        if (m_tokens.empty())
            return {};
        std::string token = m_tokens.back();
        m_tokens.pop_back();
        return token;
    }
    int caseCount() const { return actionharness::caseCount(*m_server); }
    latch::v1::Case loadCase(const std::string& id) const
    {
        return actionharness::loadCase(*m_server, id);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString config = actionharness::writeConfig(
            m_dir.filePath("latch.yaml"), QString::fromLatin1(kFormsYaml));
        QVERIFY(!config.isEmpty());
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start({ QStringLiteral("--config"), config, QStringLiteral("--demo") }),
            qPrintable(m_server->lastError()));
        const auto first = getForm("refund");
        QCOMPARE(first.status, 200u);
        m_cookie = cookieIn(first);
        QCOMPARE(int(m_cookie.size()), 22);
        for (int i = 0; i < 8; ++i) {
            const auto r = getForm("refund", m_cookie);
            QVERIFY(!r.header("Set-Cookie")); // the browser's cookie is kept
            m_tokens.push_back(tokenIn(r.body));
            QVERIFY(!m_tokens.back().empty());
        }
        QTest::qWait(2100); // the refund form's minimum fill time is 2 s
    }

    void pageRendersTheFields()
    {
        const auto r = getForm("refund");
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 200u);
        QCOMPARE(r.header("Content-Type").value_or(""), std::string("text/html; charset=utf-8"));
        QCOMPARE(r.header("Cache-Control").value_or(""), std::string("no-store"));
        const std::string cookie = r.header("Set-Cookie").value_or("");
        QVERIFY2(cookie.rfind("latch_form=", 0) == 0, cookie.c_str());
        QVERIFY2(cookie.find("HttpOnly") != std::string::npos, cookie.c_str());
        QVERIFY2(cookie.find("SameSite=Strict") != std::string::npos, cookie.c_str());
        QVERIFY2(cookie.find("Path=/forms/") != std::string::npos, cookie.c_str());
        QVERIFY(r.header("Content-Security-Policy").value_or("").find("form-action 'self'")
            != std::string::npos);
        const QString html = QString::fromStdString(r.body);
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        QVERIFY(html.contains("<html lang=\"en\">"));
        QVERIFY(html.contains("<form method=\"post\" action=\"/forms/refund\""));
        QVERIFY(html.contains("<fieldset>") && html.contains("<legend>"));
        for (const char* name :
            { "customer", "order_ref", "amount", "reason", "email", "channel" }) {
            QVERIFY2(html.contains(QStringLiteral("<label for=\"f-%1\">").arg(name)), name);
            QVERIFY2(html.contains(QStringLiteral("id=\"f-%1\" name=\"%1\"").arg(name)), name);
        }
        QVERIFY(html.contains("id=\"f-customer\" name=\"customer\" required"));
        QVERIFY(html.contains("type=\"email\" id=\"f-email\""));
        QVERIFY(html.contains("<textarea id=\"f-reason\" name=\"reason\" required"));
        QVERIFY(html.contains("name=\"amount_currency\""));
        QVERIFY(html.contains("<option value=\"USD\" selected>USD</option>"));
        QVERIFY(html.contains("(optional)")); // the select is not required
        QVERIFY(html.contains("name=\"latch_website\"")); // the spam trap...
        QVERIFY(html.contains("class=\"trap\" aria-hidden=\"true\"")); // ...hidden from people
        QVERIFY(!html.contains("<script", Qt::CaseInsensitive));
        // Everything from the config is escaped.
        QVERIFY(html.contains("Questions &amp; answers &lt;fast&gt;"));
        QVERIFY(html.contains("<option value=\"Bank &amp; wire\">Bank &amp; wire</option>"));
    }

    void unknownAndSwitchedOffFormsAre404()
    {
        for (const char* name : { "nothing", "off", "refund/extra", "" }) {
            const auto r = getForm(name);
            QCOMPARE(r.status, 404u);
            QCOMPARE(
                r.header("Content-Type").value_or(""), std::string("text/html; charset=utf-8"));
            QVERIFY(r.body.find("There is no form here") != std::string::npos);
        }
        QCOMPARE(post("off", "note=x", m_cookie).status, 404u);
    }

    void onlyGetAndPost()
    {
        const auto r
            = client()->request("PUT", "/forms/refund", "x", { { "Content-Type", kForm } });
        QCOMPARE(r.status, 405u);
        QCOMPARE(r.header("Allow").value_or(""), std::string("GET, POST"));
    }

    void postWithoutAValidTokenIsRefused()
    {
        const int before = caseCount();
        const std::string good = readyToken();
        QVERIFY(!good.empty());
        auto answers = goodAnswers(good, "T-1");
        // No token at all.
        FormParams noToken(answers.begin() + 1, answers.end());
        auto r = post("refund", latch::fakes::formEncode(noToken), m_cookie);
        QCOMPARE(r.status, 403u);
        // A token that was tampered with.
        std::string forged = good;
        forged[5] = forged[5] == 'A' ? 'B' : 'A';
        answers[0].second = forged;
        r = post("refund", latch::fakes::formEncode(answers), m_cookie);
        QCOMPARE(r.status, 403u);
        QVERIFY(r.body.find("This form expired") != std::string::npos);
        // A good token with another browser's cookie, and with no cookie.
        answers[0].second = good;
        r = post("refund", latch::fakes::formEncode(answers), "AAAAAAAAAAAAAAAAAAAAAA");
        QCOMPARE(r.status, 403u);
        r = post("refund", latch::fakes::formEncode(answers), {});
        QCOMPARE(r.status, 403u);
        QVERIFY(r.body.find("did not send this form&#39;s cookie") != std::string::npos);
        QVERIFY(!cookieIn(r).empty()); // a fresh cookie comes with the fresh form...
        QVERIFY(r.body.find("value=\"Acme Co\"") != std::string::npos); // ...filled in
        QVERIFY(tokenIn(r.body) != good);
        // A token for another form.
        const auto limited = getForm("limited", m_cookie);
        answers[0].second = tokenIn(limited.body);
        r = post("refund", latch::fakes::formEncode(answers), m_cookie);
        QCOMPARE(r.status, 403u);
        // From another site's page.
        answers[0].second = good;
        r = post("refund", latch::fakes::formEncode(answers), m_cookie,
            { { "Sec-Fetch-Site", "cross-site" } });
        QCOMPARE(r.status, 403u);
        QCOMPARE(caseCount(), before);
        m_tokens.push_back(good); // never used: still good
    }

    void spamTrapIsRefused()
    {
        const int before = caseCount();
        auto answers = goodAnswers(readyToken(), "T-2");
        answers.back().second = "http://spam.example";
        const auto r = post("refund", latch::fakes::formEncode(answers), m_cookie);
        QCOMPARE(r.status, 400u);
        QVERIFY(r.body.find("Leave this field empty") != std::string::npos);
        QCOMPARE(caseCount(), before);
    }

    void tooQuickIsRefused()
    {
        const int before = caseCount();
        const auto page = getForm("refund", m_cookie);
        const auto r = post(
            "refund", latch::fakes::formEncode(goodAnswers(tokenIn(page.body), "T-3")), m_cookie);
        QCOMPARE(r.status, 400u);
        QVERIFY(r.body.find("sent very quickly") != std::string::npos);
        QVERIFY(r.body.find("value=\"T-3\"") != std::string::npos);
        QCOMPARE(caseCount(), before);
    }

    void refusedFieldsComeBackWithTheirValues()
    {
        const int before = caseCount();
        const std::string token = readyToken();
        auto answers = goodAnswers(token, "T-4");
        answers[1].second = "<Acme & Co>"; // kept, escaped
        answers[3].second = "12,34"; // not an amount
        answers[6].second = "not-an-email";
        answers[7].second = "Cash"; // not an option
        answers[2].second = std::string(21, '9'); // over max_length 20
        const auto r = post("refund", latch::fakes::formEncode(answers), m_cookie);
        QCOMPARE(r.status, 422u);
        const QString html = QString::fromStdString(r.body);
        QVERIFY(html.contains("value=\"&lt;Acme &amp; Co&gt;\""));
        QVERIFY(html.contains("value=\"12,34\""));
        QVERIFY(html.contains("id=\"f-amount-error\""));
        QVERIFY(html.contains("id=\"f-email-error\""));
        QVERIFY(html.contains("id=\"f-channel-error\""));
        QVERIFY(html.contains("id=\"f-order_ref-error\""));
        QVERIFY(html.contains("the limit is 20"));
        QVERIFY(!html.contains("id=\"f-customer-error\""));
        QVERIFY(html.contains("aria-describedby=\"f-email-error\" aria-invalid=\"true\""));
        QVERIFY(html.contains("Please check these fields"));
        QVERIFY(html.contains("Double charge.\nSee invoice.</textarea>"));
        // The same token comes back: fixing the answers and sending is the same delivery.
        QCOMPARE(tokenIn(r.body), token);
        // A required field left empty.
        answers = goodAnswers(token, "");
        const auto empty = post("refund", latch::fakes::formEncode(answers), m_cookie);
        QCOMPARE(empty.status, 422u);
        QVERIFY(empty.body.find("it is required") != std::string::npos);
        QCOMPARE(caseCount(), before);
        m_tokens.push_back(token);
    }

    void submissionOpensOneCaseWithItsFacts()
    {
        const int before = caseCount();
        // As a browser encodes it: '+' for spaces, UTF-8 percent-encoded.
        const std::string body = "latch_token=" + readyToken()
            + "&customer=Zo%C3%AB+%26+S%C3%B6hne&order_ref=4821&amount=2%2C400.00"
              "&amount_currency=EUR&reason=Double+charge.%0D%0ASee+invoice+%2377."
              "&email=zoe%40acme.example&channel=Card&latch_website=";
        const auto r = post("refund", body, m_cookie);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 200u);
        QCOMPARE(r.header("Cache-Control").value_or(""), std::string("no-store"));
        const std::string id = caseIdIn(r.body);
        QVERIFY2(!id.empty(), r.body.c_str());
        QVERIFY(
            r.body.find("<strong class=\"ref\" id=\"reference\">" + id.substr(0, 13) + "</strong>")
            != std::string::npos);
        QVERIFY(r.body.find("Zoë &amp; Söhne") != std::string::npos); // what was received
        QVERIFY(r.body.find("2,400.00 EUR") != std::string::npos);
        QCOMPARE(caseCount(), before + 1);

        const auto c = loadCase(id);
        QCOMPARE(c.type(), std::string("refund"));
        QCOMPARE(c.title(), std::string("Refund request: Zoë & Söhne order 4821"));
        QCOMPARE(c.customer(), std::string("Zoë & Söhne"));
        QCOMPARE(c.order_ref(), std::string("4821"));
        QCOMPARE(c.amount().minor(), 240000);
        QCOMPARE(c.amount().currency(), std::string("EUR"));
        QCOMPARE(c.description(), std::string("Double charge.\nSee invoice #77."));
        QCOMPARE(c.channel(), std::string("form"));
        std::map<std::string, std::string> fields;
        for (const auto& f : c.fields())
            fields[f.key()] = f.value();
        QCOMPARE(fields["contact_email"], std::string("zoe@acme.example"));
        QCOMPARE(fields["paid_by"], std::string("Card"));

        const auto events = actionharness::timeline(*m_server, id);
        QVERIFY(events.size() >= 2); // triage's suggestion may follow
        QVERIFY(events[0].has_created());
        QVERIFY(events[1].has_intake_received());
        const auto& received = events[1].intake_received();
        QCOMPARE(received.channel(), std::string("form"));
        QCOMPARE(received.source(), std::string("refund"));
        QCOMPARE(received.sender(), std::string("zoe@acme.example"));
        QVERIFY(received.text().find("Amount: 2,400.00 EUR") != std::string::npos);
        QCOMPARE(received.evidence_size(), 1);
        QCOMPARE(received.evidence(0).content_type(), std::string(kForm));
        QCOMPARE(received.evidence(0).data(), body); // the body exactly as received
        QCOMPARE(received.evidence(0).sha256(), latch::digestBytes(latch::sha256(body)));
    }

    void sameSubmissionTwiceMakesOneCase()
    {
        const std::string body = latch::fakes::formEncode(goodAnswers(readyToken(), "T-5"));
        const auto first = post("refund", body, m_cookie);
        QCOMPARE(first.status, 200u);
        const int after = caseCount();
        // A double click, or the browser's "send again" on reload: the same page's token.
        const auto second = post("refund", body, m_cookie);
        QCOMPARE(second.status, 200u);
        QCOMPARE(caseIdIn(second.body), caseIdIn(first.body));
        QVERIFY(second.body.find("We already have this request") != std::string::npos);
        // Even with answers changed in between: still that page's one case.
        const auto third = post("refund",
            latch::fakes::formEncode(goodAnswers(latch::fakes::parseForm(body)[0].second, "T-6")),
            m_cookie);
        QCOMPARE(caseIdIn(third.body), caseIdIn(first.body));
        QCOMPARE(caseCount(), after);
        QCOMPARE(loadCase(caseIdIn(first.body)).order_ref(), std::string("T-5"));
    }

    void rateLimitPerAddress()
    {
        const auto page = getForm("limited", m_cookie);
        const std::string token = tokenIn(page.body);
        unsigned last = 0;
        for (int i = 0; i < 4; ++i)
            last = post("limited", "latch_token=" + token + "&note=hello", m_cookie).status;
        QCOMPARE(last, 429u);
        const auto r = post("limited", "latch_token=" + token + "&note=hello", m_cookie);
        QCOMPARE(r.status, 429u);
        QCOMPARE(r.header("Retry-After").value_or(""), std::string("60"));
        QVERIFY(r.body.find("Too many requests") != std::string::npos);
        // Another form keeps its own count.
        QCOMPARE(getForm("refund", m_cookie).status, 200u);
    }

    void badBodiesAreRefused()
    {
        const int before = caseCount();
        const std::string token = readyToken();
        auto r = post("refund", "latch_token=" + token + "&customer=%E9t%C3", m_cookie);
        QCOMPARE(r.status, 400u); // not UTF-8
        r = post("refund", "latch_token=" + token + "&customer=%zz", m_cookie);
        QCOMPARE(r.status, 400u);
        r = post("refund", "latch_token=" + token + "&customer=a&customer=b", m_cookie);
        QCOMPARE(r.status, 400u);
        r = post("refund", "latch_token=" + token + "&is_admin=1", m_cookie);
        QCOMPARE(r.status, 400u);
        r = client()->post("/forms/refund", R"({"customer":"x"})",
            { { "Content-Type", "application/json" }, { "Cookie", "latch_form=" + m_cookie } });
        QCOMPARE(r.status, 415u);
        r = post(
            "refund", "latch_token=" + token + "&reason=" + std::string(70'000, 'a'), m_cookie);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 413u);
        QCOMPARE(r.header("Content-Type").value_or(""), std::string("text/html; charset=utf-8"));
        QVERIFY(r.body.find("Too much to send") != std::string::npos);
        QCOMPARE(caseCount(), before);
        // The server is still there, and the token still good.
        const auto ok
            = post("refund", latch::fakes::formEncode(goodAnswers(token, "T-7")), m_cookie);
        QCOMPARE(ok.status, 200u);
        QCOMPARE(caseCount(), before + 1);
    }
};

QTEST_GUILESS_MAIN(FormEndpointTest)
#include "formendpointtest.moc"
