// Email intake on a real latch-server: a message posted to /intake/email or dropped into the
// source's Maildir becomes a case with the message and its attachments as evidence; replies
// thread onto their case by In-Reply-To, References or the case tag in the subject; the same
// Message-ID twice is one delivery; a message that is not one is refused and creates nothing.
#include "../fakes/httpclient.h"
#include "../plugins/actionharness.h"
#include "../support/serverprocess.h"
#include "latch/hashing.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <nlohmann/json.hpp>

using json = nlohmann::json;
using latch::fakes::HttpClient;

namespace {

constexpr const char* kTokenEnv = "LATCH_TEST_MAIL_TOKEN";
constexpr const char* kToken = "support-mailbox-token-0123456789";

std::string message(const std::string& id, const std::string& subject, const std::string& body,
                    const std::string& extraHeaders = {})
{
    return "From: Dana Whitfield <dana@acme.example>\r\n"
           "To: support@latch.example\r\n"
           "Subject: " + subject + "\r\n"
           "Date: Sun, 06 Dec 2026 09:14:00 +0000\r\n"
           "Message-ID: <" + id + ">\r\n" + extraHeaders +
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n" + body + "\r\n";
}

std::string withAttachment(const std::string& id, const std::string& attachment)
{
    const std::string encoded = QByteArray::fromStdString(attachment).toBase64().toStdString();
    return "From: dana@acme.example\r\n"
           "Subject: Invoice copy\r\n"
           "Message-ID: <" + id + ">\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
           "\r\n"
           "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe invoice is attached.\r\n"
           "--b1\r\nContent-Type: application/pdf; name=\"invoice-4821.pdf\"\r\n"
           "Content-Disposition: attachment; filename=\"invoice-4821.pdf\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n--b1--\r\n";
}

} // namespace

class EmailIntakeTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    QTemporaryDir m_dir;

    QString maildir() const { return m_dir.filePath("mail"); }

    latch::fakes::ClientResponse post(const std::string& raw)
    {
        HttpClient client("127.0.0.1", m_server->port());
        return client.post("/intake/email", raw,
                           {{"Authorization", std::string("Bearer ") + kToken},
                            {"Content-Type", "message/rfc822"}});
    }
    static std::string caseIdOf(const latch::fakes::ClientResponse& r)
    {
        const auto body = json::parse(r.body, nullptr, false);
        return body.is_object() ? body.value("case_id", std::string()) : std::string();
    }
    int caseCount() const { return actionharness::caseCount(*m_server); }
    latch::v1::Case loadCase(const std::string& id) const
    {
        return actionharness::loadCase(*m_server, id);
    }
    std::vector<latch::v1::IntakeReceived> deliveries(const std::string& id) const
    {
        std::vector<latch::v1::IntakeReceived> out;
        for (const auto& e : actionharness::timeline(*m_server, id)) {
            if (e.has_intake_received())
                out.push_back(e.intake_received());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv(kTokenEnv, kToken);
        // Bodies up to 128 KiB: twice the server's limit for other HTTP requests (64 KiB).
        const QString yaml = QStringLiteral("\nintake:\n"
                                            "  max_body_bytes: 131072\n"
                                            "  max_attachment_bytes: 4096\n"
                                            "  sources:\n"
                                            "    - name: support-mail\n"
                                            "      channel: email\n"
                                            "      token_env: LATCH_TEST_MAIL_TOKEN\n"
                                            "      maildir: %1\n")
                                 .arg(maildir());
        const QString config = actionharness::writeConfig(m_dir.filePath("latch.yaml"), yaml);
        QVERIFY(!config.isEmpty());
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start({QStringLiteral("--config"), config, QStringLiteral("--demo")}),
                 qPrintable(m_server->lastError()));
    }

    void messageOpensCaseWithItselfAsEvidence()
    {
        const std::string raw = message("story-1@acme.example", "Refund for order #4821",
                                        "Hi, please refund $2,400 for order #4821. Acme Co was "
                                        "double charged.\r\nThanks, Dana");
        const auto r = post(raw);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 201u);
        const std::string id = caseIdOf(r);
        const auto c = loadCase(id);
        QCOMPARE(c.title(), std::string("Refund for order #4821"));
        QCOMPARE(c.channel(), std::string("email"));
        QVERIFY(c.description().find("please refund $2,400") != std::string::npos);
        const auto got = deliveries(id);
        QCOMPARE(int(got.size()), 1);
        QCOMPARE(got[0].sender(), std::string("Dana Whitfield <dana@acme.example>"));
        QCOMPARE(got[0].delivery_id(), std::string("story-1@acme.example"));
        QCOMPARE(got[0].evidence(0).name(), std::string("message.eml"));
        QCOMPARE(got[0].evidence(0).data(), raw);

        // The same message again (a mail server retrying) is the same delivery.
        const auto again = post(raw);
        QCOMPARE(again.status, 200u);
        QCOMPARE(caseIdOf(again), id);
        QCOMPARE(int(deliveries(id).size()), 1);
    }

    void repliesThreadOntoTheirCase()
    {
        const auto first = post(message("thread-1@acme.example", "Bank details changed",
                                        "Please update our bank account."));
        const std::string id = caseIdOf(first);
        QVERIFY(!id.empty());
        // A reply names its parent in In-Reply-To.
        auto r = post(message("thread-2@latch.example", "Re: Bank details changed", "Which account?",
                              "In-Reply-To: <thread-1@acme.example>\r\n"));
        QCOMPARE(r.status, 200u);
        QCOMPARE(caseIdOf(r), id);
        // A reply to the reply, through References only.
        r = post(message("thread-3@acme.example", "Re: Re: Bank details changed", "The new one.",
                         "References: <thread-1@acme.example> <thread-2@latch.example>\r\n"));
        QCOMPARE(caseIdOf(r), id);
        // A new message that quotes the case's tag in its subject, even after the case closed.
        latch::v1::Command close;
        close.mutable_close()->set_case_id(id);
        QVERIFY(actionharness::as(*m_server, "mkim", close)->accepted());
        r = post(message("thread-4@acme.example", "Question [Latch #" + id + "]", "One more thing."));
        QCOMPARE(caseIdOf(r), id);
        QCOMPARE(loadCase(id).deliveries(), 4u);
    }

    void attachmentsAreKeptWithTheirHash()
    {
        const std::string small(1000, 'p');
        const std::string large(10'000, 'q'); // over max_attachment_bytes
        auto r = post(withAttachment("att-1@acme.example", small));
        QCOMPARE(r.status, 201u);
        auto got = deliveries(caseIdOf(r));
        QCOMPARE(got[0].evidence_size(), 2);
        const auto& pdf = got[0].evidence(1);
        QCOMPARE(pdf.name(), std::string("invoice-4821.pdf"));
        QCOMPARE(pdf.content_type(), std::string("application/pdf"));
        QVERIFY(pdf.kept());
        QCOMPARE(pdf.data(), small);
        QCOMPARE(pdf.sha256(), latch::digestBytes(latch::sha256(small)));

        r = post(withAttachment("att-2@acme.example", large));
        QCOMPARE(r.status, 201u);
        got = deliveries(caseIdOf(r));
        const auto& big = got[0].evidence(1);
        QVERIFY(!big.kept());
        QVERIFY(big.data().empty());
        QCOMPARE(big.size(), quint64(large.size()));
        QCOMPARE(big.sha256(), latch::digestBytes(latch::sha256(large)));
        QVERIFY(!big.note().empty());
    }

    // A message over the server's 64 KiB limit for other requests is still an email: the source's
    // own limit holds (the Content-Length is checked once the endpoint is known). Over that, 413
    // and nothing is stored.
    void messagesUpToTheIntakeLimitAreTaken()
    {
        const std::string attachment(80'000, 'r'); // about 107 KB once in base64
        const std::string raw = withAttachment("large-1@acme.example", attachment);
        QVERIFY(raw.size() > 65536 && raw.size() < 131072);
        auto r = post(raw);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 201u);
        const auto got = deliveries(caseIdOf(r));
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].evidence(1).size(), quint64(attachment.size()));
        QCOMPARE(got[0].evidence(1).sha256(), latch::digestBytes(latch::sha256(attachment)));

        const int before = caseCount();
        const std::string over = withAttachment("large-2@acme.example", std::string(100'000, 's'));
        QVERIFY(over.size() > 131072);
        r = post(over);
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 413u);
        QCOMPARE(json::parse(r.body)["error"]["code"].get<std::string>(), std::string("intake.too_large"));
        QCOMPARE(caseCount(), before);

        // Other paths keep the server's own limit.
        HttpClient client("127.0.0.1", m_server->port());
        r = client.post("/intake/nowhere", raw, {{"Content-Type", "message/rfc822"}});
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, 413u);
        QCOMPARE(caseCount(), before);
    }

    void badMessagesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<uint>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << 400u << "email.malformed";
        QTest::newRow("not a message") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11) << 400u << "email.malformed";
        QTest::newRow("no sender") << QByteArray("Subject: hi\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n")
                                   << 400u << "email.no_sender";
    }

    void badMessagesAreRefused()
    {
        QFETCH(QByteArray, raw);
        QFETCH(uint, status);
        QFETCH(QString, code);
        const int before = caseCount();
        const auto r = post(raw.toStdString());
        QVERIFY2(r.received(), r.error.c_str());
        QCOMPARE(r.status, status);
        QCOMPARE(QString::fromStdString(json::parse(r.body)["error"]["code"].get<std::string>()), code);
        QCOMPARE(caseCount(), before);
    }

    void maildirMessagesBecomeCases()
    {
        const int before = caseCount();
        // As a delivery agent does: write into tmp/, then rename into new/.
        const QString tmp = maildir() + "/tmp/1765012345.M1P1.mx";
        QFile file(tmp);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(
            message("maildir-1@acme.example", "Access request for the ERP", "Please give me access.")));
        file.close();
        QVERIFY(QFile::rename(tmp, maildir() + "/new/1765012345.M1P1.mx"));
        QTRY_COMPARE_WITH_TIMEOUT(caseCount(), before + 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(QDir(maildir() + "/cur").entryList(QDir::Files).join(",").contains("1765012345.M1P1.mx"), 5000);
        QVERIFY(QDir(maildir() + "/new").entryList(QDir::Files).isEmpty());

        // Something that is not an email goes to the Rejected folder, and creates nothing.
        QFile junk(maildir() + "/tmp/1765012399.M2P1.mx");
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("\x00\x01\x02 not a message", 18);
        junk.close();
        QVERIFY(QFile::rename(junk.fileName(), maildir() + "/new/1765012399.M2P1.mx"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !QDir(maildir() + "/.Rejected/cur").entryList(QDir::Files).isEmpty(), 15000);
        QCOMPARE(caseCount(), before + 1);
    }
};

QTEST_GUILESS_MAIN(EmailIntakeTest)
#include "emailintaketest.moc"
