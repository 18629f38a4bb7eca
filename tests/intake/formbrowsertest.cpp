// The shipped refund form (resources/config/latch.yaml) in real headless Chromium, driven through
// chromedriver's W3C WebDriver API the way a person uses it: open /forms/refund, fill in the
// fields, wait, press the button, and read the case reference on the confirmation page; then
// check the case exists with those facts. Once with JavaScript on, once with it switched off
// (the page needs none), and once with an answer the server refuses, which comes back beside its
// field with the other answers kept.
//
// Needs the Debian packages chromium and chromium-driver (scripts/setup.sh installs them); without
// them the suite fails and says so. LATCH_SCREENSHOT_DIR: where the PNGs of the form, the errors
// and the confirmation go (scripts/screenshots.sh sets docs/screenshots); otherwise a temporary
// folder.
#include "../plugins/actionharness.h"
#include "../support/serverprocess.h"
#include "webdriver.h"

#include <QDir>
#include <QFile>
#include <QtTest>

namespace {

const std::string kCaseIdPrefix = "Case ";

} // namespace

class FormBrowserTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<webdriver::Driver> m_driver;
    QTemporaryDir m_dir;
    QString m_shots;

    std::string formUrl() const
    {
        return "http://127.0.0.1:" + std::to_string(m_server->port()) + "/forms/refund";
    }
    void save(webdriver::Session& session, const QString& name)
    {
        const std::string png = session.screenshot();
        QVERIFY2(png.rfind("\x89PNG", 0) == 0, session.lastError().c_str());
        QFile file(QDir(m_shots).filePath(name));
        QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.fileName()));
        file.write(png.data(), qint64(png.size()));
    }
    latch::v1::Case loadCase(const std::string& id) const
    {
        return actionharness::loadCase(*m_server, id);
    }
    // Fills the refund form as a person would, waits past the minimum fill time and sends it.
    void fillAndSend(webdriver::Session& s, const std::string& customer)
    {
        QVERIFY2(s.type("#f-customer", customer), s.lastError().c_str());
        QVERIFY2(s.type("#f-order_ref", "4821"), s.lastError().c_str());
        QVERIFY2(s.type("#f-amount", "2,400.00"), s.lastError().c_str());
        QVERIFY2(s.click("#f-amount-currency option[value=\"EUR\"]"), s.lastError().c_str());
        QVERIFY2(s.type("#f-reason", "Charged twice for the November invoice.\nPlease refund one."),
            s.lastError().c_str());
        QVERIFY2(s.type("#f-email", "billing@acme.example"), s.lastError().c_str());
        QTest::qWait(2500); // the form refuses anything sent within 2 s of the page
    }
    // Reads the confirmation and checks the case it names; returns the case id.
    std::string confirmedCase(webdriver::Session& s, const std::string& customer)
    {
        const std::string reference = s.text("#reference");
        const std::string full = s.text(".full");
        if (full.rfind(kCaseIdPrefix, 0) != 0)
            return {};
        const std::string id = full.substr(kCaseIdPrefix.size());
        if (reference.size() != 13 || id.rfind(reference, 0) != 0)
            return {};
        const auto c = loadCase(id);
        if (c.customer() != customer || c.type() != "refund" || c.order_ref() != "4821"
            || c.amount().minor() != 240000 || c.amount().currency() != "EUR"
            || c.channel() != "form"
            || c.description() != "Charged twice for the November invoice.\nPlease refund one.")
            return {};
        return id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString problem;
        if (webdriver::chromedriverBinary(&problem).isEmpty()
            || webdriver::chromiumBinary(&problem).isEmpty())
            QFAIL(qPrintable(problem)); // CI installs them (scripts/setup.sh): never skip quietly
        m_shots
            = qEnvironmentVariable("LATCH_SCREENSHOT_DIR", m_dir.filePath(QStringLiteral("shots")));
        QVERIFY(QDir().mkpath(m_shots));
        // The shipped configuration, as latch-server runs it out of the box.
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start({ QStringLiteral("--demo") }), qPrintable(m_server->lastError()));
        m_driver = std::make_unique<webdriver::Driver>();
        QVERIFY2(m_driver->start(), qPrintable(m_driver->error()));
    }

    void refundFormInChromium()
    {
        auto s = m_driver->newSession(true);
        QVERIFY2(s, qPrintable(m_driver->error()));
        QVERIFY2(s->open(formUrl()), s->lastError().c_str());
        QCOMPARE(s->text("h1"), std::string("Request a refund"));
        QVERIFY(!s->find("label[for=\"f-customer\"]").empty());
        save(*s, QStringLiteral("form-refund.png"));

        fillAndSend(*s, "Acme Co");
        QVERIFY2(s->click("button[type=\"submit\"]"), s->lastError().c_str());
        QVERIFY2(!s->find("#reference").empty(), s->source().c_str()); // waits for the page
        QCOMPARE(s->text("h1"), std::string("Thank you, we have your request"));
        const std::string id = confirmedCase(*s, "Acme Co");
        QVERIFY2(!id.empty(), s->source().c_str());
        QVERIFY(s->source().find("2,400.00 EUR") != std::string::npos);
        save(*s, QStringLiteral("form-confirmation.png"));
    }

    void worksWithJavaScriptOff()
    {
        auto s = m_driver->newSession(false);
        QVERIFY2(s, qPrintable(m_driver->error()));
        // JavaScript really is off in this browser.
        QVERIFY(s->open("data:text/html,<p id=\"js\">off</p>"
                        "<script>document.getElementById('js').textContent='on'</script>"));
        QCOMPARE(s->text("#js"), std::string("off"));

        QVERIFY2(s->open(formUrl()), s->lastError().c_str());
        fillAndSend(*s, "Beta GmbH");
        QVERIFY2(s->click("button[type=\"submit\"]"), s->lastError().c_str());
        QVERIFY2(!s->find("#reference").empty(), s->source().c_str()); // waits for the page
        QCOMPARE(s->text("h1"), std::string("Thank you, we have your request"));
        QVERIFY2(!confirmedCase(*s, "Beta GmbH").empty(), s->source().c_str());
    }

    void refusedAnswerComesBackBesideItsField()
    {
        auto s = m_driver->newSession(true);
        QVERIFY2(s, qPrintable(m_driver->error()));
        QVERIFY2(s->open(formUrl()), s->lastError().c_str());
        // The browser accepts any text in the amount box; the server reads it as money.
        fillAndSend(*s, "Gamma Ltd");
        QVERIFY(s->type("#f-amount", "12")); // now "2,400.0012": more decimals than EUR has
        QVERIFY2(s->click("button[type=\"submit\"]"), s->lastError().c_str());
        QVERIFY2(s->text("#f-amount-error").find("has 4 decimal places") != std::string::npos,
            s->source().c_str());
        QCOMPARE(s->property("#f-customer", "value"), std::string("Gamma Ltd"));
        QCOMPARE(s->property("#f-amount", "value"), std::string("2,400.0012"));
        QCOMPARE(s->property("#f-amount-currency", "value"), std::string("EUR"));
        QVERIFY(s->text("#problem").find("Please check this field") != std::string::npos);
        save(*s, QStringLiteral("form-errors.png"));
    }

    void cleanupTestCase()
    {
        m_driver.reset();
        if (m_server)
            m_server->stop();
    }
};

QTEST_GUILESS_MAIN(FormBrowserTest)
#include "formbrowsertest.moc"
