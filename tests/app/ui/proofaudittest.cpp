// The case view's Proof tab and the audit screen, through the real screens against a real
// latch-server (--demo) that this suite stops, edits and restarts.
//
// M. Kim opens the Acme Co refund, adds a note, and opens the Proof tab: the case is verified on
// this computer against the server's signed log (its key pinned on first use), and the export
// writes a bundle that `latchctl verify` accepts with the key the server publishes. A proof that
// ends before this computer's copy (history cut on the server) or that differs from it is named.
// Offline, the tab and the audit say why they cannot answer, and check again once online. The
// audit screen finds her blocked self-approval by kind, saves it as CSV and JSON, and opens the case
// from its row. Finally the server's SQLite file is edited directly (the note's text changed) and,
// after a restart, the tab reads "Not verified" and names the event.
#include "latch/signednote.h"
#include "models/appsettings.h"
#include "replica/database.h"
#include "replica/statement.h"
#include "latchctlrun.h"
#include "serverprocess.h"
#include "sync/appsession.h"
#include "uidriver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <memory>

#include "models/auditmodel.h"
#include "models/proofcontroller.h"

Q_IMPORT_QML_PLUGIN(LatchPlugin)

using latch::app::AppSession;
using latch::app::AuditModel;
using latch::app::ProofController;
using latch::app::TrustedKey;

namespace {

const QString kNote = QStringLiteral("Checked the order: the customer was charged twice.");

std::unique_ptr<AppSession> newSession(const QString& dataDir)
{
    return newTestSession(dataDir, QStringLiteral("proofaudittest"));
}

// GET on the server's HTTP side.
QByteArray httpGet(quint16 port, const QString& path)
{
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class ProofAuditTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void proofTabVerifiesAndExports();
    void proofNamesAHistoryCutShortOrChanged();
    void auditFindsBlockedAttemptsAndSavesThem();
    void offlineSaysWhyThenChecksAgain();
    void editedStoreIsNotVerified();

private:
    QObject* proofOf(UiDriver& ui) const
    {
        return ui.find(QStringLiteral("casePage"))->property("proof").value<QObject*>();
    }

    QTemporaryDir m_dirs;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<AppSession> m_session;
    std::unique_ptr<UiDriver> m_ui;
    QString m_caseId;
    // The answer to the first proof check and the copy of the case it was held against.
    latch::v1::QueryResult m_proof;
    QVector<TrustedKey> m_keys;
    QVector<latch::v1::Event> m_copy;
};

void ProofAuditTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("LatchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("proofaudittest"));
    QStandardPaths::setTestModeEnabled(true);
    UiDriver::prepareApplication();
    QVERIFY(m_dirs.isValid());
    QVERIFY2(!ServerProcess::serverBinary().isEmpty(), "LATCH_SERVER_BIN is not set");
    QVERIFY2(!ServerProcess::latchctlBinary().isEmpty(), "LATCHCTL_BIN is not set");
    m_server = std::make_unique<ServerProcess>(m_dirs.filePath(QStringLiteral("server")));
    QVERIFY(QDir().mkpath(m_server->dataDir()));
    QVERIFY2(m_server->start({ QStringLiteral("--demo") }), qPrintable(m_server->lastError()));

    m_session = newSession(m_dirs.filePath(QStringLiteral("mkim")));
    m_ui = std::make_unique<UiDriver>(m_session.get());
    QVERIFY(m_ui->loaded());
    m_ui->window()->resize(1280, 800);
    QVERIFY2(m_ui->signIn(m_server->url(), QStringLiteral("mkim"), kDemoPassword, kTestPassphrase),
             qPrintable(m_session->errorMessage()));
}

void ProofAuditTest::cleanupTestCase()
{
    m_ui.reset();
    m_session.reset();
    m_server.reset();
}

void ProofAuditTest::proofTabVerifiesAndExports()
{
    UiDriver& ui = *m_ui;
    m_caseId = ui.openCaseBySearch(QStringLiteral("#4821"));
    QVERIFY(!m_caseId.isEmpty());
    ui.setText(QStringLiteral("searchField"), QString());
    QObject* controller = ui.caseController();
    QSignalSpy proofs(m_session.get(), &AppSession::proofLoaded);
    // The case as this computer holds it, each time it changes.
    QSignalSpy copies(m_session.get(), &AppSession::caseLoaded);
    QVERIFY(QMetaObject::invokeMethod(controller, "addNote", Q_ARG(QString, kNote)));
    // Confirmed by the server: on the timeline as an event, no longer as a command.
    QVERIFY(waitFor([&] {
        return ui.timelineRows().contains(QStringLiteral("note_added|%1||").arg(kNote));
    }));

    QVERIFY(ui.click(QStringLiteral("proofTab")));
    QObject* proof = proofOf(ui);
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("state").value<ProofController::State>(),
                              ProofController::State::Verified, 15000);
    QCOMPARE(ui.property(QStringLiteral("proofHeadline"), "text").toString(),
             QStringLiteral("Verified"));

    // The proof covers every event this computer shows on the timeline.
    int timelineEvents = 0;
    auto* timeline = controller->property("timeline").value<QAbstractItemModel*>();
    const int seqRole = timeline->roleNames().key("seq");
    for (int i = 0; i < timeline->rowCount(); ++i)
        timelineEvents += timeline->index(i, 0).data(seqRole).toULongLong() > 0 ? 1 : 0;
    QVERIFY(timelineEvents >= 3); // opened, the demo's note, ours
    QCOMPARE(proof->property("eventCount").toInt(), timelineEvents);
    QVERIFY(proof->property("summary").toString().contains(QStringLiteral("versions 1 to %1")
                                                               .arg(timelineEvents)));

    // Signed by the key the server publishes, trusted from this first proof on.
    const QByteArray served = httpGet(m_server->port(), QStringLiteral("/.well-known/latch/log-keys"));
    const auto key = latch::note::decodeVerifierKey(served.trimmed().split('\n').front().toStdString());
    QVERIFY(key);
    const QString keyId = QStringLiteral("%1").arg(key->keyId, 8, 16, QLatin1Char('0'));
    const QStringList signers = proof->property("signers").toStringList();
    QCOMPARE(signers.size(), 1);
    QVERIFY2(signers.front().contains(keyId), qPrintable(signers.front()));
    // A key new to this computer is pointed out, so the user can compare it with the server's.
    QVERIFY(proof->property("keyWarning").toString().contains(
        QStringLiteral("since its first proof")));
    QVERIFY(proof->property("keyWarning").toString().contains(keyId));
    QVERIFY(proof->property("checkpointSize").toULongLong() >= quint64(timelineEvents));
    QVERIFY(proof->property("checkpointText").toString().startsWith(
        proof->property("origin").toString() + QLatin1Char('\n')));

    // Keep what was checked for the next test.
    QVERIFY(!proofs.isEmpty());
    m_proof = proofs.last().at(2).value<latch::v1::QueryResult>();
    m_keys = proofs.last().at(3).value<QVector<TrustedKey>>();
    QCOMPARE(m_keys.size(), 1);
    for (const auto& args : copies) {
        if (args.at(0).toString() == m_caseId)
            m_copy = args.at(2).value<QVector<latch::v1::Event>>();
    }
    QCOMPARE(m_copy.size(), timelineEvents);

    // A second check trusts the same pinned key, known since the first.
    const int asked = proofs.size();
    QVERIFY(ui.click(QStringLiteral("checkProofButton")));
    QTRY_VERIFY_WITH_TIMEOUT(proofs.size() > asked, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("state").value<ProofController::State>(),
                              ProofController::State::Verified, 15000);
    const auto again = proofs.last().at(3).value<QVector<TrustedKey>>();
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.front().verifierKey, m_keys.front().verifierKey);
    QCOMPARE(again.front().firstSeenMs, m_keys.front().firstSeenMs);

    // In German, the verdict and its sentences are German too (they are made again, not kept).
    m_ui->settings()->setLanguage(QStringLiteral("de"));
    QCOMPARE(ui.property(QStringLiteral("proofHeadline"), "text").toString(),
             QStringLiteral("Verifiziert"));
    QVERIFY2(proof->property("summary").toString().contains(QStringLiteral("signierten Protokoll")),
             qPrintable(proof->property("summary").toString()));
    QVERIFY(!proof->property("signers").toStringList().front().contains(QStringLiteral("trusted")));
    m_ui->settings()->setLanguage(QStringLiteral("en"));
    QVERIFY(proof->property("summary").toString().startsWith(QStringLiteral("All ")));

    // Export from the tab; latchctl verifies the bundle offline with the published key.
    const QString bundle = m_dirs.filePath(QStringLiteral("exports/refund-4821"));
    QVERIFY(ui.setText(QStringLiteral("exportFolderField"), bundle));
    QVERIFY(ui.click(QStringLiteral("exportButton")));
    QTRY_VERIFY(!proof->property("exportMessage").toString().isEmpty());
    QVERIFY2(!proof->property("exportFailed").toBool(),
             qPrintable(proof->property("exportMessage").toString()));
    for (const char* file : { "bundle.json", "checkpoint.note", "report.html" })
        QVERIFY2(QFile::exists(QDir(bundle).filePath(QLatin1String(file))), file);
    QVERIFY(readText(QDir(bundle).filePath(QStringLiteral("report.html"))).contains(kNote));
    QCOMPARE(proof->property("reportUrl").toUrl(),
             QUrl::fromLocalFile(QDir(bundle).filePath(QStringLiteral("report.html"))));
    const QString keyFile = m_dirs.filePath(QStringLiteral("log-keys.txt"));
    {
        QFile f(keyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(served);
    }
    const CtlRun verified
        = runLatchctl({ QStringLiteral("verify"), bundle, QStringLiteral("--key"), keyFile });
    QVERIFY2(verified.exitCode == 0, qPrintable(verified.describe()));
    QVERIFY(verified.text().contains(QStringLiteral("verified: %1 events").arg(timelineEvents)));

    // The same folder again is refused: an export never mixes with other files.
    QVERIFY(ui.click(QStringLiteral("exportButton")));
    QTRY_VERIFY(proof->property("exportFailed").toBool());
    QVERIFY(proof->property("exportMessage").toString().contains(QStringLiteral("already holds")));
    // Neither no folder nor a file in the folder's place: each says why, and writes nothing.
    bool exported = true;
    QVERIFY(QMetaObject::invokeMethod(proof, "exportTo", Q_RETURN_ARG(bool, exported),
                                      Q_ARG(QString, QStringLiteral("  "))));
    QVERIFY(!exported);
    QVERIFY(proof->property("exportMessage").toString().contains(QStringLiteral("Choose a folder")));
    const QString reportFile = QDir(bundle).filePath(QStringLiteral("report.html"));
    QVERIFY(QMetaObject::invokeMethod(proof, "exportTo", Q_RETURN_ARG(bool, exported),
                                      Q_ARG(QString, reportFile)));
    QVERIFY(!exported);
    QVERIFY(proof->property("exportMessage").toString().contains(
        QStringLiteral("is not a directory")));
    QVERIFY(readText(reportFile).contains(kNote));
    QVERIFY(ui.click(QStringLiteral("timelineTab")));
}

void ProofAuditTest::proofNamesAHistoryCutShortOrChanged()
{
    QVERIFY(m_proof.case_proof().events_size() >= 3);
    QCOMPARE(m_copy.size(), m_proof.case_proof().events_size());

    // The server leaves the newest event out: the proof alone still holds (the chain from version
    // 1 is whole and every event is in the log), but this computer has seen that event.
    latch::v1::QueryResult cut = m_proof;
    cut.mutable_case_proof()->mutable_events()->RemoveLast();
    cut.mutable_case_proof()->mutable_inclusions()->RemoveLast();
    {
        ProofController alone;
        alone.setProof(true, cut, m_keys, {}, {}, {});
        QCOMPARE(alone.state(), ProofController::State::Verified);
    }
    ProofController controller;
    controller.setCopy(m_copy);
    controller.setProof(true, cut, m_keys, {}, {}, {});
    QCOMPARE(controller.state(), ProofController::State::NotVerified);
    const int newest = int(m_copy.back().case_version());
    QVERIFY2(controller.problems().join('\n').contains(
                 QStringLiteral("This computer has version %1").arg(newest)),
             qPrintable(controller.problems().join('\n')));
    QVERIFY(controller.problems().join('\n').contains(
        QStringLiteral("ends at version %1").arg(newest - 1)));

    // This computer was shown a different actor for version 2 than the log holds.
    QVector<latch::v1::Event> shown = m_copy;
    shown[1].set_actor("someone-else");
    ProofController differs;
    differs.setCopy(shown);
    differs.setProof(true, m_proof, m_keys, {}, {}, {});
    QCOMPARE(differs.state(), ProofController::State::NotVerified);
    QVERIFY2(differs.problems().join('\n').contains(QStringLiteral("Version 2 differs")),
             qPrintable(differs.problems().join('\n')));

    // With no key this computer trusts, nothing verifies.
    ProofController keyless;
    keyless.setProof(true, m_proof, {}, {}, {}, {});
    QCOMPARE(keyless.state(), ProofController::State::NotVerified);
    QVERIFY(keyless.problems().front().contains(QStringLiteral("knows no log key")));

    // Beside a key trusted for weeks, a key first seen today signs: the server says it rotated its
    // key, and the tab asks the user to compare it before relying on it.
    const auto older = latch::note::generateKey("latch/earlier");
    QVERIFY(older);
    QVector<TrustedKey> rotated = m_keys;
    rotated.push_front({ QString::fromStdString(
                             latch::note::encodeVerifierKey(latch::note::verifierKey(*older))),
                         QDateTime::currentMSecsSinceEpoch() - 30LL * 86'400'000 });
    ProofController rotation;
    rotation.setProof(true, m_proof, rotated, {}, {}, {});
    QVERIFY(rotation.verified());
    QVERIFY2(rotation.keyWarning().contains(QStringLiteral("beside the key it trusted before")),
             qPrintable(rotation.keyWarning()));

    // The untouched proof against the untouched copy holds.
    ProofController whole;
    whole.setCopy(m_copy);
    whole.setProof(true, m_proof, m_keys, {}, {}, {});
    QVERIFY2(whole.verified(), qPrintable(whole.problems().join('\n')));
}

void ProofAuditTest::auditFindsBlockedAttemptsAndSavesThem()
{
    UiDriver& ui = *m_ui;
    // M. Kim tries to approve the case she prepared; the server blocks it and records the attempt.
    QObject* controller = ui.caseController();
    if (controller->property("status").toString() == QLatin1String("in_review")) {
        QVERIFY(ui.click(QStringLiteral("markReadyButton")));
        QTRY_COMPARE_WITH_TIMEOUT(controller->property("status").toString(),
                                  QStringLiteral("awaiting_approval"), 15000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(controller->property("rulesKnown").toBool(), 15000);
    QVERIFY(ui.click(QStringLiteral("tryApproveButton")));
    QVERIFY(ui.waitForItem(QStringLiteral("refusalBanner"), 15000));

    QVERIFY(ui.click(QStringLiteral("auditButton")));
    QVERIFY(ui.waitForItem(QStringLiteral("auditPage")));
    auto* audit = qobject_cast<AuditModel*>(
        ui.find(QStringLiteral("auditPage"))->property("model").value<QObject*>());
    QVERIFY(audit);
    // It searches the last 90 days on opening.
    QTRY_VERIFY_WITH_TIMEOUT(audit->searched(), 15000);
    // Its pickers follow the language, keeping what was chosen.
    m_ui->settings()->setLanguage(QStringLiteral("de"));
    QCOMPARE(ui.property(QStringLiteral("auditRange"), "currentText").toString(),
             QStringLiteral("Letzte 90 Tage"));
    QCOMPARE(ui.property(QStringLiteral("auditKind"), "currentText").toString(),
             QStringLiteral("Jede Ereignisart"));
    m_ui->settings()->setLanguage(QStringLiteral("en"));
    QCOMPARE(ui.property(QStringLiteral("auditRange"), "currentText").toString(),
             QStringLiteral("Last 90 days"));
    const int everything = audit->count();
    QVERIFY(everything > 1);

    QVERIFY(audit->setProperty("kind", QStringLiteral("attempt_blocked")));
    QCOMPARE(audit->query(0).kinds_size(), 1);
    QSignalSpy answers(m_session.get(), &AppSession::auditAnswered);
    QTRY_VERIFY(!ui.find(QStringLiteral("stack"))->property("busy").toBool()); // pushed
    QVERIFY(ui.click(QStringLiteral("auditSearchButton")));
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 15000);
    QTRY_VERIFY2_WITH_TIMEOUT(!audit->busy() && audit->count() < everything,
                              qPrintable(QStringLiteral("%1 rows of %2; %3")
                                             .arg(audit->count())
                                             .arg(everything)
                                             .arg(audit->message())),
                              15000);
    QCOMPARE(audit->count(), 1);
    const QModelIndex row = audit->index(0, 0);
    QCOMPARE(row.data(AuditModel::KindRole).toString(), QStringLiteral("attempt_blocked"));
    QCOMPARE(row.data(AuditModel::CaseIdRole).toString(), m_caseId);
    QVERIFY(row.data(AuditModel::BlockedRole).toBool());
    QCOMPARE(row.data(AuditModel::ActorRole).toString(), QStringLiteral("mkim (M. Kim)"));
    QVERIFY(row.data(AuditModel::SummaryRole).toString().contains(QStringLiteral("self_approval")));
    QCOMPARE(ui.property(QStringLiteral("auditResultText"), "text").toString(),
             QStringLiteral("1 event, newest first"));

    // A kind the server does not know: its refusal is shown, the rows shown stay.
    audit->setProperty("kind", QStringLiteral("no_such_kind"));
    QVERIFY(audit->search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->busy(), 15000);
    QVERIFY2(audit->message().contains(QStringLiteral("no_such_kind")), qPrintable(audit->message()));
    QCOMPARE(audit->count(), 1);

    // By actor: only triage's suggestions.
    audit->setProperty("kind", QString());
    audit->setProperty("actor", QStringLiteral("triage"));
    QVERIFY(audit->search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->busy(), 15000);
    QVERIFY(audit->count() >= 1);
    for (int i = 0; i < audit->count(); ++i)
        QCOMPARE(audit->index(i, 0).data(AuditModel::KindRole).toString(),
                 QStringLiteral("triage_suggested"));

    // By case type and a range of days: nothing happened in January 2020.
    audit->setProperty("actor", QString());
    audit->setProperty("caseType", QStringLiteral("refund"));
    audit->setProperty("range", QStringLiteral("custom"));
    audit->setProperty("fromDate", QStringLiteral("2020-01-01"));
    audit->setProperty("toDate", QStringLiteral("2020-01-31"));
    QVERIFY(audit->search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->busy(), 15000);
    QCOMPARE(audit->count(), 0);
    QCOMPARE(audit->resultText(), QStringLiteral("No events match."));
    // A date that does not read is refused before anything is asked.
    audit->setProperty("toDate", QStringLiteral("31/01/2020"));
    QVERIFY(!audit->search());
    QVERIFY(audit->message().contains(QStringLiteral("not a date")));
    audit->setProperty("toDate", QString());
    audit->setProperty("fromDate", QStringLiteral("2020-01-01"));
    QVERIFY(audit->search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->busy(), 15000);
    QVERIFY(audit->count() >= 2);
    for (int i = 0; i < audit->count(); ++i)
        QCOMPARE(audit->index(i, 0).data(AuditModel::CaseTypeRole).toString(),
                 QStringLiteral("refund"));

    // The blocked attempts again, saved in the forms latchctl prints.
    audit->setProperty("caseType", QString());
    audit->setProperty("range", QStringLiteral("24h"));
    audit->setProperty("kind", QStringLiteral("attempt_blocked"));
    QVERIFY(audit->search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->busy() && audit->count() == 1, 15000);
    const QString csvPath = m_dirs.filePath(QStringLiteral("blocked.csv"));
    QVERIFY(audit->saveCsv(QUrl::fromLocalFile(csvPath).toString()));
    const QStringList lines = readText(csvPath).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0],
             QStringLiteral("time,seq,case_id,case_type,case_title,kind,actor,blocked,summary"));
    QVERIFY(lines[1].contains(QStringLiteral(",%1,refund,").arg(m_caseId)));
    QVERIFY(lines[1].contains(QStringLiteral(",attempt_blocked,mkim,yes,")));
    const QString jsonPath = m_dirs.filePath(QStringLiteral("blocked.json"));
    QVERIFY(audit->saveJson(jsonPath));
    const QJsonObject json = QJsonDocument::fromJson(readText(jsonPath).toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("events")).toArray().size(), 1);
    QCOMPARE(json.value(QStringLiteral("truncated")).toBool(true), false);
    QCOMPARE(json.value(QStringLiteral("events")).toArray().at(0).toObject()
                 .value(QStringLiteral("case_id")).toString(), m_caseId);
    QVERIFY(!audit->saveCsv(m_dirs.filePath(QStringLiteral("no-such-dir/blocked.csv"))));
    QVERIFY(audit->saveMessage().contains(QStringLiteral("Cannot write")));

    // Enter on a row opens its case beside the queue.
    auto* table = ui.item(QStringLiteral("auditTable"));
    table->setProperty("currentIndex", 0);
    table->forceActiveFocus();
    ui.key(Qt::Key_Return);
    QTRY_VERIFY(ui.find(QStringLiteral("auditPage")) == nullptr);
    QTRY_COMPARE(ui.find(QStringLiteral("casePage"))->property("caseId").toString(), m_caseId);
}

void ProofAuditTest::offlineSaysWhyThenChecksAgain()
{
    UiDriver& ui = *m_ui;
    m_session->goOffline();
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->online(), 15000);
    QVERIFY(ui.click(QStringLiteral("proofTab")));
    QObject* proof = proofOf(ui);
    QVERIFY(QMetaObject::invokeMethod(proof, "check"));
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("state").value<ProofController::State>(),
                              ProofController::State::Unavailable, 15000);
    QVERIFY(proof->property("summary").toString().startsWith(QStringLiteral("Offline")));
    QVERIFY(!ui.click(QStringLiteral("exportButton"))); // nothing to export: disabled

    AuditModel audit;
    audit.setSession(m_session.get());
    QVERIFY(audit.search());
    QTRY_VERIFY_WITH_TIMEOUT(!audit.busy(), 15000);
    QVERIFY(audit.message().startsWith(QStringLiteral("Offline")));

    // Back online, the open tab checks again by itself.
    m_session->goOnline();
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("state").value<ProofController::State>(),
                              ProofController::State::Verified, 20000);
}

void ProofAuditTest::editedStoreIsNotVerified()
{
    UiDriver& ui = *m_ui;
    QObject* proof = proofOf(ui);
    QCOMPARE(proof->property("state").value<ProofController::State>(),
             ProofController::State::Verified);

    // Someone with access to the server's disk rewrites the note's text in the SQLite file.
    const quint16 port = m_server->port();
    QCOMPARE(m_server->stop(), 0);
    qint64 seq = 0;
    {
        latch::app::db::Database db(QDir(m_server->dataDir()).filePath(QStringLiteral("latch.db")).toStdString(),
                                    latch::app::db::OpenMode::ReadWrite);
        db.exec("DROP TRIGGER events_no_update");
        latch::v1::Event note;
        {
            latch::app::db::Statement find(db,
                "SELECT seq, data FROM events WHERE case_id = ?1 AND kind = 'note_added' "
                "ORDER BY seq DESC LIMIT 1");
            find.bind(1, m_caseId.toStdString());
            QVERIFY(find.step());
            seq = find.columnInt64(0);
            QVERIFY(note.ParseFromString(find.columnBlob(1)));
        }
        QCOMPARE(QString::fromStdString(note.note_added().text()), kNote);
        note.mutable_note_added()->set_text("Customer withdrew the request.");
        latch::app::db::Statement write(db, "UPDATE events SET data = ?1 WHERE seq = ?2");
        write.bindBlob(1, note.SerializeAsString());
        write.bind(2, std::int64_t(seq));
        write.exec();
        QCOMPARE(db.changes(), 1);
    }
    m_server->setListenPort(port);
    QVERIFY2(m_server->start({ QStringLiteral("--demo") }), qPrintable(m_server->lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(m_session->state() == AppSession::State::Live, 30000);

    QVERIFY(ui.click(QStringLiteral("checkProofButton")));
    QTRY_COMPARE_WITH_TIMEOUT(proof->property("state").value<ProofController::State>(),
                              ProofController::State::NotVerified, 15000);
    QCOMPARE(ui.property(QStringLiteral("proofHeadline"), "text").toString(),
             QStringLiteral("Not verified"));
    const QString problems = proof->property("problems").toStringList().join('\n');
    QVERIFY2(problems.contains(QStringLiteral("event seq %1").arg(seq)), qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("hash does not match its contents")),
             qPrintable(problems));

    // scripts/screenshots.sh keeps this screen for the docs.
    const QString shots = qEnvironmentVariable("LATCH_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        QVERIFY(ui.savePng(QDir(shots).filePath(QStringLiteral("case-proof-not-verified.png")), 400));
}

QTEST_MAIN(ProofAuditTest)
#include "proofaudittest.moc"
