// latchctl export and verify, end to end: a real latch-server --demo (with Stripe pointed at the
// local fake) carries the demo's refunds through their story — triage accepted, notes, approvals
// and refused attempts, the refund's request and Stripe's response — then latchctl exports them
// and verifies the bundles offline with the server's published key. Copies of a bundle are then
// tampered with, one way each, and verify must refuse each one and name what is wrong.
#include "fakestripe.h"
#include "latch/base64.h"
#include "latch/hashing.h"
#include "latch.pb.h"
#include "../plugins/actionharness.h"
#include "latchctlrun.h"
#include "serverprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <thread>

using latch::fakes::FakeStripe;
using nlohmann::json;

namespace {

const QString kPassword = QStringLiteral("latch-demo");
const QString kRefundTitle = QStringLiteral("Refund request — Acme Co order #4821");
const QString kEmailTitle = QStringLiteral("Charged twice, please refund");
const QString kDemoNote
    = QStringLiteral("Customer reports the unit arrived damaged; photos attached.");
const char* kKeyEnv = "LATCH_TEST_STRIPE_KEY";
// Go's published example key (golang.org/x/mod/sumdb/note): a valid key, not the server's.
const QString kOtherKey
    = QStringLiteral("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");

using Run = CtlRun;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

json readBundle(const QString& dir)
{
    return json::parse(readAll(dir + "/bundle.json").toStdString(), nullptr, false);
}

bool writeBundle(const QString& dir, const json& bundle)
{
    return writeAll(dir + "/bundle.json", QByteArray::fromStdString(bundle.dump(2)));
}

// "event seq 12 (version 4)", as verify names an event.
QString eventName(const json& entry)
{
    return QStringLiteral("event seq %1 (version %2)")
        .arg(entry["seq"].get<std::uint64_t>())
        .arg(entry["case_version"].get<std::uint64_t>());
}

std::size_t indexOfKind(const json& bundle, const std::string& kind)
{
    const auto& events = bundle["events"];
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i]["kind"] == kind)
            return i;
    }
    return events.size();
}

latch::v1::Event eventOf(const json& entry)
{
    latch::v1::Event e;
    const auto bytes = latch::base64Decode(entry["event"].get<std::string>());
    if (bytes)
        e.ParseFromString(*bytes);
    return e;
}

// Replaces the entry's event with `e`, its canonical bytes and hash made to match: a forgery that
// is consistent in itself.
void rewriteEntry(json& entry, const latch::v1::Event& e)
{
    std::string bytes;
    e.SerializeToString(&bytes);
    entry["event"] = latch::base64Encode(bytes);
    entry["canonical"] = latch::base64Encode(latch::canonicalEventBytes(e));
    entry["hash"] = latch::toHex(e.hash());
}

} // namespace

class ExportTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theRefundStoryExportsAndVerifies();
    void theEmailedRefundExportsWithItsTriage();
    void theReportTellsTheStory();
    void aShortIdWorksAndAFullDirectoryNeedsForce();
    void theKeyMayBeGivenAsText();
    void aFlippedByteIsNamed();
    void aRemovedEventIsNamed();
    void anInsertedEventIsNamed();
    void swappedEventsAreNamed();
    void aForgedEventIsNotInTheSignedLog();
    void aChangedCheckpointIsRefused();
    void aChangedCheckpointFileIsRefused();
    void aWrongKeyIsRefused();
    void anUnreadableBundleOrKeyExitsTwo();
    void whoCannotSeeTheCaseCannotExportIt();

private:
    Run ctl(const QString& user, const QStringList& args, bool human = false);
    Run verify(const QString& bundle, const QString& key);
    void login(const QString& user);
    QString caseWithTitle(const QString& title);
    QJsonArray timeline(const QString& caseId);
    bool waitForKind(const QString& caseId, const QString& kind, int timeoutMs = 30000);
    QString exportTo(const QString& caseRef, const QString& name);
    // A fresh copy of the refund's bundle directory to tamper with.
    QString tamperCopy(const QString& name);
    QString configFor(const QString& user) const { return m_dir.filePath(user + ".json"); }
    QString writeConfig();

    FakeStripe m_stripe;
    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_keyFile; // what GET /.well-known/latch/log-keys answered
    QString m_keyText; // what latch-server key printed
    QString m_refundId;
    QString m_emailId;
    QString m_refundBundle;
    QString m_emailBundle;
};

QString ExportTest::writeConfig()
{
    return actionharness::writeConfig(m_dir.filePath("latch.yaml"),
        QStringLiteral("plugins:\n  stripe:\n    enabled: true\n    base_url: %1\n"
                       "    api_key_env: %2\n    timeout_ms: 5000\n    max_attempts: 3\n"
                       "    retry_base_ms: 20\n")
            .arg(QString::fromStdString(m_stripe.baseUrl()), QLatin1String(kKeyEnv)));
}

Run ExportTest::ctl(const QString& user, const QStringList& args, bool human)
{
    QProcessEnvironment env;
    env.insert("LATCHCTL_CONFIG", configFor(user));
    QStringList all { "--server", m_server->url() };
    if (!human)
        all << "--json";
    return runLatchctl(all + args, env);
}

Run ExportTest::verify(const QString& bundle, const QString& key)
{
    // Offline: no session, and a server address nothing listens on.
    QProcessEnvironment env;
    env.insert("LATCHCTL_CONFIG", m_dir.filePath("nobody.json"));
    env.insert("LATCH_SERVER", "ws://127.0.0.1:1/sync");
    return runLatchctl({ "verify", bundle, "--key", key }, env);
}

void ExportTest::login(const QString& user)
{
    const Run r = ctl(user, { "login", user, "--password", kPassword });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
}

QString ExportTest::caseWithTitle(const QString& title)
{
    const Run r = ctl("admin", { "case", "list" });
    for (const auto& c : r.json.array()) {
        if (c.toObject().value("title").toString() == title)
            return c.toObject().value("id").toString();
    }
    return {};
}

QJsonArray ExportTest::timeline(const QString& caseId)
{
    return ctl("admin", { "timeline", caseId }).json.array();
}

bool ExportTest::waitForKind(const QString& caseId, const QString& kind, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        for (const auto& e : timeline(caseId)) {
            if (e.toObject().value("kind").toString() == kind)
                return true;
        }
        QTest::qWait(200);
    }
    return false;
}

QString ExportTest::exportTo(const QString& caseRef, const QString& name)
{
    const QString dir = m_dir.filePath(name);
    const Run r = ctl("mkim", { "export", caseRef, "--out", dir });
    if (r.exitCode != 0) {
        qWarning("export failed: %s", qPrintable(r.describe()));
        return {};
    }
    return dir;
}

QString ExportTest::tamperCopy(const QString& name)
{
    const QString dir = m_dir.filePath("tampered-" + name);
    QDir().mkpath(dir);
    for (const QString file : { "bundle.json", "checkpoint.note", "report.html" }) {
        QFile::remove(dir + "/" + file);
        QFile::copy(m_refundBundle + "/" + file, dir + "/" + file);
    }
    return dir;
}

void ExportTest::initTestCase()
{
    if (ServerProcess::serverBinary().isEmpty() || ServerProcess::latchctlBinary().isEmpty())
        QFAIL("LATCH_SERVER_BIN and LATCHCTL_BIN must name the built binaries (run through ctest)");
    QVERIFY(m_dir.isValid());
    m_stripe.start();
    m_stripe.addPaymentIntent("pi_export_4821", 240000);
    qputenv(kKeyEnv, FakeStripe::kDefaultApiKey);
    const QString config = writeConfig();
    QVERIFY(!config.isEmpty());
    m_server = std::make_unique<ServerProcess>(m_dir.filePath("data"));
    QVERIFY2(m_server->start({ "--config", config, "--demo" }), qPrintable(m_server->lastError()));
    for (const QString user : { "admin", "mkim", "atorres", "jlee", "rpatel" })
        login(user);

    // The server's public key, as a third party gets it: from the well-known URL, and from the
    // operator (latch-server key).
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(QNetworkRequest(
        QUrl(QStringLiteral("http://127.0.0.1:%1/.well-known/latch/log-keys").arg(m_server->port()))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    const QByteArray keys = reply->readAll();
    reply->deleteLater();
    QVERIFY2(keys.contains('+'), keys.constData());
    m_keyFile = m_dir.filePath("log-keys.txt");
    QVERIFY(writeAll(m_keyFile, keys));
    QProcess key;
    key.start(ServerProcess::serverBinary(), { "key", "--data", m_server->dataDir() });
    QVERIFY(key.waitForFinished(30000));
    QCOMPARE(key.exitCode(), 0);
    m_keyText = QString::fromUtf8(key.readAllStandardOutput()).section('\n', 0, 0).trimmed();
    QCOMPARE(m_keyText, QString::fromUtf8(keys).trimmed().section('\n', -1));

    // The demo's refund, through its story: ready, two attempts the rules refuse, approval by
    // finance, and the refund at (fake) Stripe.
    m_refundId = caseWithTitle(kRefundTitle);
    QVERIFY(!m_refundId.isEmpty());
    Run r = ctl("mkim", { "case", "set", m_refundId, "--field", "payment_intent=pi_export_4821" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = ctl("mkim", { "case", "ready", m_refundId });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = ctl("mkim", { "case", "approve", m_refundId });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    r = ctl("jlee", { "case", "approve", m_refundId });
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    r = ctl("atorres",
        { "case", "approve", m_refundId, "--comment", "Damage confirmed from the photos" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = ctl("mkim", { "action", "run", m_refundId, "stripe.refund" });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(waitForKind(m_refundId, "action_finished"), "the refund did not finish");

    // The emailed refund: triage's suggestion, accepted by a person.
    m_emailId = caseWithTitle(kEmailTitle);
    QVERIFY(!m_emailId.isEmpty());
    QVERIFY2(waitForKind(m_emailId, "triage_suggested"), "triage made no suggestion");
    r = ctl("mkim", { "triage", "accept", m_emailId });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
}

void ExportTest::theRefundStoryExportsAndVerifies()
{
    const QString dir = m_dir.filePath("refund");
    const Run r = ctl("mkim", { "export", m_refundId, "--out", dir });
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject out = r.json.object();
    QCOMPARE(out.value("case_id").toString(), m_refundId);
    QCOMPARE(out.value("files").toArray().size(), 3);
    for (const QString file : { "bundle.json", "checkpoint.note", "report.html" })
        QVERIFY2(QFile::exists(dir + "/" + file), qPrintable(file));
    m_refundBundle = dir;

    const json bundle = readBundle(dir);
    QVERIFY(bundle.is_object());
    QCOMPARE(bundle["format"].get<std::string>(), std::string("latch.case-bundle"));
    QCOMPARE(bundle["version"].get<int>(), 1);
    QCOMPARE(QString::fromStdString(bundle["case_id"].get<std::string>()), m_refundId);
    QVERIFY(bundle["origin"].get<std::string>().rfind("latch/", 0) == 0);
    QCOMPARE(bundle["rules_version"].get<std::string>().size(), std::size_t(64));
    QCOMPARE(QString::fromUtf8(readAll(dir + "/checkpoint.note")),
        QString::fromStdString(bundle["checkpoint"].get<std::string>()));
    const auto& events = bundle["events"];
    QCOMPARE(events.size(), std::size_t(timeline(m_refundId).size()));
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        QCOMPARE(e["case_version"].get<std::uint64_t>(), std::uint64_t(i + 1));
        QVERIFY(e["seq"].get<std::uint64_t>() > seq);
        seq = e["seq"].get<std::uint64_t>();
        QCOMPARE(e["leaf_index"].get<std::uint64_t>(), seq - 1);
        QCOMPARE(e["hash"].get<std::string>().size(), std::size_t(64));
        QVERIFY(e["inclusion_proof"].is_array());
    }
    QVERIFY(bundle["checkpoint_size"].get<std::uint64_t>() >= seq);
    const QStringList kinds = [&] {
        QStringList k;
        for (const auto& e : events)
            k << QString::fromStdString(e["kind"].get<std::string>());
        return k;
    }();
    for (const QString kind : { "created", "note_added", "marked_ready", "attempt_blocked",
             "approval_granted", "action_requested", "action_finished" })
        QVERIFY2(kinds.contains(kind), qPrintable(kinds.join(", ")));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 0, qPrintable(v.describe()));
    QVERIFY2(v.text().contains(QStringLiteral("verified: %1 events of case %2").arg(events.size()).arg(m_refundId)),
        qPrintable(v.describe()));
    // The bundle.json itself names the bundle as well as its directory.
    QCOMPARE(verify(dir + "/bundle.json", m_keyFile).exitCode, 0);
}

void ExportTest::theEmailedRefundExportsWithItsTriage()
{
    const QString dir = exportTo(m_emailId, "email");
    QVERIFY(!dir.isEmpty());
    m_emailBundle = dir;
    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 0, qPrintable(v.describe()));
    const QString report = QString::fromUtf8(readAll(dir + "/report.html"));
    QVERIFY(report.contains(kEmailTitle));
    QVERIFY2(report.contains("An email came in through support-mailbox"), qPrintable(report));
    QVERIFY(report.contains("Dana Whitfield"));
    QVERIFY(report.contains("Triage ("));
    QVERIFY(report.contains("suggested the type <b>refund</b>"));
    QVERIFY(report.contains("accepted triage's suggestion: the case is a <b>refund</b>"));
    QVERIFY(report.contains("message.eml"));
}

void ExportTest::theReportTellsTheStory()
{
    QVERIFY(!m_refundBundle.isEmpty());
    const QString report = QString::fromUtf8(readAll(m_refundBundle + "/report.html"));
    const json bundle = readBundle(m_refundBundle);
    QVERIFY(report.startsWith("<!DOCTYPE html>"));
    QVERIFY2(!report.contains("<script") && !report.contains("http-equiv"), "not self-contained");
    // Title and facts.
    QVERIFY(report.contains("<h1>" + kRefundTitle + "</h1>"));
    QVERIFY(report.contains("2,400.00 USD"));
    QVERIFY(report.contains("Acme Co"));
    // The story: the note, readiness under the rule, the refused attempts and why, the approval by
    // name, the refund's request and Stripe's response, the result.
    QVERIFY(report.contains(kDemoNote));
    QVERIFY(report.contains("marked the case ready. Rule <b>refund-above-threshold</b>"));
    QVERIFY(report.contains("Refused.</span> M. Kim (mkim) tried to approve the case"));
    QVERIFY(report.contains("[approval.self_approval]"));
    QVERIFY(report.contains("Refused.</span> J. Lee (jlee) tried to approve the case"));
    QVERIFY(report.contains("[approval.role]"));
    QVERIFY(report.contains("A. Torres (atorres) <b>approved</b> as finance"));
    QVERIFY(report.contains("Damage confirmed from the photos"));
    QVERIFY(report.contains("asked to run <b>stripe.refund</b>"));
    QVERIFY(report.contains("<b>stripe.refund</b> succeeded"));
    QVERIFY(report.contains("Request, as sent"));
    QVERIFY(report.contains("Response, as received"));
    QVERIFY(!m_stripe.refunds().empty());
    QVERIFY(report.contains(QString::fromStdString(m_stripe.refunds().front().id)));
    QVERIFY(!report.contains(FakeStripe::kDefaultApiKey));
    QVERIFY(report.contains("The case is <b>approved</b>"));
    QVERIFY(report.contains("The rules refused 2 attempts"));
    // The proof it rests on.
    QVERIFY(report.contains(QString::fromStdString(bundle["rules_version"].get<std::string>())));
    QVERIFY(report.contains(QString::fromStdString(bundle["origin"].get<std::string>())));
    QVERIFY(report.contains("Signed by"));
    QVERIFY(report.contains(
        QStringLiteral("%1 events").arg(bundle["checkpoint_size"].get<std::uint64_t>())));
}

void ExportTest::aShortIdWorksAndAFullDirectoryNeedsForce()
{
    const QString dir = m_dir.filePath("short");
    Run r = ctl("mkim", { "export", m_refundId.left(13), "--out", dir }, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.text().contains(dir + "/bundle.json") && r.text().contains(dir + "/report.html")
            && r.text().contains(dir + "/checkpoint.note"),
        qPrintable(r.describe()));
    QCOMPARE(QString::fromStdString(readBundle(dir)["case_id"].get<std::string>()), m_refundId);

    r = ctl("mkim", { "export", m_refundId, "--out", dir }, true);
    QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.text().contains("--force"), qPrintable(r.describe()));
    r = ctl("mkim", { "export", m_refundId, "--out", dir, "--force" }, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(verify(dir, m_keyFile).exitCode, 0);
}

void ExportTest::theKeyMayBeGivenAsText()
{
    const Run v = verify(m_refundBundle, m_keyText);
    QVERIFY2(v.exitCode == 0, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("signed by latch/"), qPrintable(v.describe()));
}

void ExportTest::aFlippedByteIsNamed()
{
    const QString dir = tamperCopy("flipped");
    json bundle = readBundle(dir);
    const std::size_t i = indexOfKind(bundle, "note_added");
    QVERIFY(i < bundle["events"].size());
    auto& entry = bundle["events"][i];
    auto bytes = latch::base64Decode(entry["event"].get<std::string>());
    QVERIFY(bytes);
    const auto at = bytes->find("damaged");
    QVERIFY(at != std::string::npos);
    (*bytes)[at] = static_cast<char>((*bytes)[at] ^ 0x20); // "Damaged"
    entry["event"] = latch::base64Encode(*bytes);
    QVERIFY(writeBundle(dir, bundle));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains(eventName(entry) + ": its hash does not match its contents"),
        qPrintable(v.describe()));
}

void ExportTest::aRemovedEventIsNamed()
{
    const QString dir = tamperCopy("removed");
    json bundle = readBundle(dir);
    auto& events = bundle["events"];
    QVERIFY(events.size() > 3);
    events.erase(events.begin() + 2); // version 3
    QVERIFY(writeBundle(dir, bundle));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("version 3 is missing: an event was removed"), qPrintable(v.describe()));
}

void ExportTest::anInsertedEventIsNamed()
{
    const QString dir = tamperCopy("inserted");
    json bundle = readBundle(dir);
    auto& events = bundle["events"];
    const json copy = events[1];
    events.insert(events.begin() + 3, copy);
    QVERIFY(writeBundle(dir, bundle));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains(eventName(copy) + " appears twice: an event was inserted"),
        qPrintable(v.describe()));
}

void ExportTest::swappedEventsAreNamed()
{
    const QString dir = tamperCopy("swapped");
    json bundle = readBundle(dir);
    auto& events = bundle["events"];
    std::swap(events[1], events[2]);
    QVERIFY(writeBundle(dir, bundle));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    // Now listed after version 3, version 2 is the one out of place.
    QVERIFY2(v.text().contains(eventName(events[2]) + " appears out of order"),
        qPrintable(v.describe()));
}

void ExportTest::aForgedEventIsNotInTheSignedLog()
{
    // The newest event rewritten with its hash recomputed: the chain still holds (nothing follows
    // it), but the log signed another event at that seq.
    const QString dir = tamperCopy("forged");
    json bundle = readBundle(dir);
    auto& entry = bundle["events"].back();
    latch::v1::Event e = eventOf(entry);
    QVERIFY(e.seq() > 0);
    e.set_time_ms(e.time_ms() + 60000);
    e.set_hash(latch::computeEventHash(e));
    rewriteEntry(entry, e);
    QVERIFY(writeBundle(dir, bundle));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains(eventName(entry) + " is not in the signed log"), qPrintable(v.describe()));
}

void ExportTest::aChangedCheckpointIsRefused()
{
    const QString dir = tamperCopy("checkpoint");
    json bundle = readBundle(dir);
    std::string note = bundle["checkpoint"].get<std::string>();
    const std::string size = "\n" + std::to_string(bundle["checkpoint_size"].get<std::uint64_t>()) + "\n";
    const auto at = note.find(size);
    QVERIFY(at != std::string::npos);
    note.replace(at, size.size(),
        "\n" + std::to_string(bundle["checkpoint_size"].get<std::uint64_t>() + 1) + "\n");
    bundle["checkpoint"] = note;
    QVERIFY(writeBundle(dir, bundle));
    QVERIFY(writeAll(dir + "/checkpoint.note", QByteArray::fromStdString(note)));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("the checkpoint's signature does not verify"), qPrintable(v.describe()));
}

void ExportTest::aChangedCheckpointFileIsRefused()
{
    const QString dir = tamperCopy("checkpoint-file");
    QByteArray note = readAll(dir + "/checkpoint.note");
    QVERIFY(!note.isEmpty());
    note[note.indexOf('\n') + 1] = note[note.indexOf('\n') + 1] == '9' ? '8' : '9';
    QVERIFY(writeAll(dir + "/checkpoint.note", note));

    const Run v = verify(dir, m_keyFile);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("checkpoint.note differs from the checkpoint in bundle.json"),
        qPrintable(v.describe()));
}

void ExportTest::aWrongKeyIsRefused()
{
    Run v = verify(m_refundBundle, kOtherKey);
    QVERIFY2(v.exitCode == 3, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("the checkpoint is not signed by the key given"), qPrintable(v.describe()));
    QVERIFY2(v.text().contains("latch/"), qPrintable(v.describe())); // who did sign it
    const QString file = m_dir.filePath("other-key.txt");
    QVERIFY(writeAll(file, kOtherKey.toUtf8() + "\n"));
    v = verify(m_refundBundle, file);
    QCOMPARE(v.exitCode, 3);
}

void ExportTest::anUnreadableBundleOrKeyExitsTwo()
{
    Run v = verify(m_dir.filePath("no-such-bundle"), m_keyFile);
    QVERIFY2(v.exitCode == 2, qPrintable(v.describe()));
    QVERIFY2(v.text().contains("not a readable case bundle"), qPrintable(v.describe()));
    v = verify(m_refundBundle, "not-a-key");
    QVERIFY2(v.exitCode == 2, qPrintable(v.describe()));
    const QString junk = m_dir.filePath("junk");
    QDir().mkpath(junk);
    QVERIFY(writeAll(junk + "/bundle.json", "{\"hello\": 1}"));
    v = verify(junk, m_keyFile);
    QVERIFY2(v.exitCode == 2, qPrintable(v.describe()));
}

void ExportTest::whoCannotSeeTheCaseCannotExportIt()
{
    // R. Patel works finance; the refund is the support queue's, and R. Patel took no part in it.
    const QString dir = m_dir.filePath("rpatel");
    Run r = ctl("rpatel", { "export", m_refundId, "--out", dir }, true);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY2(r.text().contains("there is no case " + m_refundId + " that you can see"),
        qPrintable(r.describe()));
    QVERIFY(!QFile::exists(dir + "/bundle.json"));
    r = ctl("rpatel", { "export", m_refundId.left(13), "--out", dir }, true);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY(!QFile::exists(dir + "/bundle.json"));
}

QTEST_GUILESS_MAIN(ExportTest)
#include "exporttest.moc"
