// `latch-server verify` on a real server's data: intact history passes; every kind of edit someone
// with the file and the sqlite3 shell could make (dropping the append-only triggers first) is
// detected, and the first bad event is named.
#include "latch.pb.h"
#include "latch/hashing.h"
#include "latch/merkle.h"
#include "latch/signednote.h"
#include "serverprocess.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#include <string>

namespace {

// The database as an attacker opens it: plain SQLite, no Latch code.
class Tamper {
public:
    explicit Tamper(const QString& path)
    {
        sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr);
    }
    ~Tamper() { sqlite3_close(m_db); }
    Tamper(const Tamper&) = delete;
    Tamper& operator=(const Tamper&) = delete;

    bool exec(const std::string& sql)
    {
        return sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    qint64 number(const std::string& sql)
    {
        qint64 out = -1;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK
            && sqlite3_step(s) == SQLITE_ROW)
            out = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return out;
    }
    std::string blob(const std::string& sql)
    {
        std::string out;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK
            && sqlite3_step(s) == SQLITE_ROW)
            out.assign(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                       std::size_t(sqlite3_column_bytes(s, 0)));
        sqlite3_finalize(s);
        return out;
    }
    bool setBlob(const std::string& sql, const std::string& value)
    {
        sqlite3_stmt* s = nullptr;
        bool ok = sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK
            && sqlite3_bind_blob(s, 1, value.data(), int(value.size()), SQLITE_TRANSIENT)
                == SQLITE_OK
            && sqlite3_step(s) == SQLITE_DONE;
        sqlite3_finalize(s);
        return ok;
    }

private:
    sqlite3* m_db = nullptr;
};

struct Verified {
    int exitCode = -1;
    QString output;
};

// Rewrites the text of note event `seq` and everything that hangs on it, as someone who knows how
// Latch hashes could: its hash, the chain of its case after it, and the whole audit log. Only the
// signed checkpoints are beyond reach.
bool rewriteConsistently(Tamper& db, qint64 seq)
{
    if (!db.exec("DROP TRIGGER events_no_update; DROP TRIGGER log_nodes_no_delete;"
                 " DROP TRIGGER log_nodes_no_replace"))
        return false;
    const qint64 count = db.number("SELECT count(*) FROM events");
    std::vector<latch::v1::Event> events;
    for (qint64 s = 1; s <= count; ++s) {
        latch::v1::Event e;
        if (!e.ParseFromString(db.blob("SELECT data FROM events WHERE seq = " + std::to_string(s))))
            return false;
        events.push_back(std::move(e));
    }
    auto& target = events[std::size_t(seq - 1)];
    target.mutable_note_added()->set_text("Customer confirmed the refund is not needed.");
    std::string prev;
    for (auto& e : events) {
        if (e.case_id() != target.case_id() || e.seq() < target.seq())
            continue;
        if (!prev.empty())
            e.set_prev_hash(prev);
        e.set_hash(latch::computeEventHash(e));
        prev = e.hash();
        if (!db.setBlob("UPDATE events SET data = ?1 WHERE seq = " + std::to_string(e.seq()),
                        e.SerializeAsString()))
            return false;
    }
    if (!db.exec("DELETE FROM log_nodes"))
        return false;
    std::vector<latch::merkle::Hash> frontier;
    for (std::uint64_t i = 0; i < events.size(); ++i) {
        for (const auto& n : latch::merkle::append(frontier, i, latch::merkle::leafHash(events[i].hash()))) {
            const std::string hash(reinterpret_cast<const char*>(n.hash.data()), n.hash.size());
            if (!db.setBlob("INSERT INTO log_nodes (pos, hash) VALUES ("
                                + std::to_string(latch::merkle::nodePosition(n.level, n.index))
                                + ", ?1)",
                            hash))
                return false;
        }
    }
    return true;
}

QString get(quint16 port, const QString& path, int* status)
{
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(10000);
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString body = QString::fromUtf8(reply->readAll());
    reply->deleteLater();
    return body;
}

Verified runVerify(const QString& dataDir)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(ServerProcess::serverBinary(), {QStringLiteral("verify"), QStringLiteral("--data"), dataDir});
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAll())};
}

} // namespace

class VerifyTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_pristine; // a real server's data, never edited
    qint64 m_events = 0;

    // A copy of the pristine data to edit.
    QString copy(QTemporaryDir& into)
    {
        QFile::copy(m_pristine.filePath(QStringLiteral("latch.db")),
                    into.filePath(QStringLiteral("latch.db")));
        return into.path();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ServerProcess server(m_pristine.path());
        QVERIFY2(server.start({QStringLiteral("--demo")}), qPrintable(server.lastError()));
        // The demo's emailed and alerted cases are triaged after the start: let that land too.
        QTest::qWait(1500);
        QCOMPARE(server.stop(), 0); // a clean stop checkpoints the WAL into the file
        Tamper db(m_pristine.filePath(QStringLiteral("latch.db")));
        m_events = db.number("SELECT count(*) FROM events");
        QVERIFY(m_events > 10);
    }

    void intactHistoryPasses()
    {
        const auto r = runVerify(m_pristine.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("checked %1 events").arg(m_events)),
                 qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("intact")), qPrintable(r.output));
        // Signed at start and again at stop when the log grew meanwhile: the newest covers all.
        Tamper db(m_pristine.filePath(QStringLiteral("latch.db")));
        QVERIFY(db.number("SELECT count(*) FROM checkpoints") >= 1);
        QCOMPARE(db.number("SELECT max(size) FROM checkpoints"), m_events);
    }

    // Someone who rewrites a note and recomputes every hash and the whole log still cannot
    // re-sign the checkpoints: verify says which range was rewritten, and a server started on
    // that data refuses to sign anything more.
    void consistentRewriteIsCaughtByTheCheckpoints()
    {
        QTemporaryDir dir;
        const QString data = copy(dir);
        qint64 note = 0;
        {
            Tamper db(QDir(data).filePath(QStringLiteral("latch.db")));
            note = db.number("SELECT min(seq) FROM events WHERE kind = 'note_added'");
            QVERIFY(rewriteConsistently(db, note));
        }
        const auto r = runVerify(data);
        QVERIFY2(r.exitCode == 3, qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("was signed for a different history: an event "
                                                  "from seq 1 to seq")),
                 qPrintable(r.output));
        // Nothing else looks wrong: the hashes, chains and log were all redone.
        QVERIFY2(!r.output.contains(QStringLiteral("hash does not match")), qPrintable(r.output));

        Tamper db(QDir(data).filePath(QStringLiteral("latch.db")));
        const qint64 before = db.number("SELECT count(*) FROM checkpoints");
        ServerProcess server(data);
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        server.stop();
        QVERIFY2(server.output().contains(QStringLiteral("no longer matches the stored log")),
                 qPrintable(server.output()));
        QCOMPARE(db.number("SELECT count(*) FROM checkpoints"), before);
    }

    void forgedCheckpointsAreRefused_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("expected");
        QTest::newRow("signed with another key") << "forged" << "does not verify with the server's log keys";
        QTest::newRow("row's root edited") << "root" << "the row was edited";
    }

    void forgedCheckpointsAreRefused()
    {
        QFETCH(QString, what);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString data = copy(dir);
        {
            Tamper db(QDir(data).filePath(QStringLiteral("latch.db")));
            QVERIFY(db.exec("DROP TRIGGER checkpoints_no_update"));
            if (what == QLatin1String("forged")) {
                const auto key = latch::note::generateKey("mallory");
                QVERIFY(key.ok());
                const auto note = latch::note::sign(
                    db.blob("SELECT CAST(note AS BLOB) FROM checkpoints ORDER BY id DESC LIMIT 1")
                        .substr(0, db.blob("SELECT CAST(note AS BLOB) FROM checkpoints ORDER BY id "
                                           "DESC LIMIT 1").find("\n\n") + 1),
                    *key);
                QVERIFY(note.ok());
                QVERIFY(db.setBlob("INSERT INTO checkpoints (size, root, time_ms, key_name, note)"
                                   " SELECT size, root, time_ms + 1, 'mallory', CAST(?1 AS TEXT)"
                                   " FROM checkpoints ORDER BY id DESC LIMIT 1",
                                   *note));
            } else {
                QVERIFY(db.exec("UPDATE checkpoints SET root = zeroblob(32) WHERE id = 1"));
            }
        }
        const auto r = runVerify(data);
        QVERIFY2(r.exitCode == 3, qPrintable(r.output));
        QVERIFY2(r.output.contains(expected), qPrintable(r.output));
    }

    // The public key at the well-known URL and from `latch-server key` is the one the served
    // checkpoint verifies with; rotating keeps old checkpoints verifiable.
    void publicKeyAndRotation()
    {
        QTemporaryDir dir;
        const QString data = copy(dir);
        QFile::copy(m_pristine.filePath(QStringLiteral("log-signing.key")),
                    dir.filePath(QStringLiteral("log-signing.key")));
        QFile(dir.filePath(QStringLiteral("log-signing.key")))
            .setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QProcess key;
        key.start(ServerProcess::serverBinary(), {QStringLiteral("key"), QStringLiteral("--data"), data});
        QVERIFY(key.waitForFinished(30000));
        QCOMPARE(key.exitCode(), 0);
        const QString printed = QString::fromUtf8(key.readAllStandardOutput()).section('\n', 0, 0);
        const auto verifier = latch::note::decodeVerifierKey(printed.toStdString());
        QVERIFY2(verifier.ok(), qPrintable(printed));

        ServerProcess server(data);
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        int status = 0;
        QCOMPARE(get(server.port(), QStringLiteral("/.well-known/latch/log-keys"), &status).trimmed(), printed);
        QCOMPARE(status, 200);
        const QString note = get(server.port(), QStringLiteral("/.well-known/latch/checkpoint"), &status);
        QCOMPARE(status, 200);
        const auto opened = latch::note::open(note.toStdString(), {*verifier});
        QVERIFY2(opened.ok(), qPrintable(note));
        const auto checkpoint = latch::note::parseCheckpoint(opened->text);
        QVERIFY(checkpoint.ok());
        QCOMPARE(qint64(checkpoint->size), m_events);
        get(server.port(), QStringLiteral("/.well-known/latch/nothing"), &status);
        QCOMPARE(status, 404);
        server.stop();

        key.start(ServerProcess::serverBinary(),
                  {QStringLiteral("key"), QStringLiteral("--rotate"), QStringLiteral("--data"), data});
        QVERIFY(key.waitForFinished(30000));
        QCOMPARE(key.exitCode(), 0);
        const QString rotated = QString::fromUtf8(key.readAllStandardOutput());
        QVERIFY(!rotated.startsWith(printed));
        QVERIFY2(rotated.contains(QStringLiteral("# ") + printed), qPrintable(rotated));
        // A new event signed with the new key; the old checkpoints still verify with the old one.
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        server.stop();
        const auto r = runVerify(data);
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        Tamper db(QDir(data).filePath(QStringLiteral("latch.db")));
        QCOMPARE(db.number("SELECT count(DISTINCT key_name) FROM checkpoints"), qint64(1));
        QVERIFY(db.number("SELECT count(*) FROM log_keys WHERE retired_ms IS NOT NULL") == 1);
    }

    void editsAreDetectedAndLocated_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("expected"); // in the first problem
        QTest::newRow("a note's text changed") << "note" << "its hash does not match its contents";
        QTest::newRow("an event removed") << "remove" << "removed";
        QTest::newRow("a row's actor changed") << "actor" << "the row was edited";
        QTest::newRow("two events of a case swapped") << "swap" << "the row was edited";
        QTest::newRow("an event copied in as a new one") << "copy" << "the row was edited";
        QTest::newRow("a log leaf changed") << "leaf" << "audit log: leaf";
        QTest::newRow("the last events removed") << "truncate" << "removed from the end";
        QTest::newRow("stored bytes garbled") << "garble" << "does not parse";
    }

    void editsAreDetectedAndLocated()
    {
        QFETCH(QString, what);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString data = copy(dir);
        qint64 bad = 0; // the seq the report must name first; 0: none in particular
        {
            Tamper db(QDir(data).filePath(QStringLiteral("latch.db")));
            QVERIFY(db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"
                            " DROP TRIGGER events_no_replace; DROP TRIGGER log_nodes_no_update"));
            if (what == QLatin1String("note")) {
                bad = db.number("SELECT min(seq) FROM events WHERE kind = 'note_added'");
                std::string bytes
                    = db.blob("SELECT data FROM events WHERE seq = " + std::to_string(bad));
                const auto at = bytes.find("arrived");
                QVERIFY(at != std::string::npos);
                bytes[at] = 'A';
                QVERIFY(db.setBlob("UPDATE events SET data = ?1 WHERE seq = " + std::to_string(bad),
                                   bytes));
            } else if (what == QLatin1String("remove")) {
                bad = 3;
                QVERIFY(db.exec("DELETE FROM events WHERE seq = 3"));
            } else if (what == QLatin1String("actor")) {
                bad = 2;
                QVERIFY(db.exec("UPDATE events SET actor = 'mallory' WHERE seq = 2"));
            } else if (what == QLatin1String("swap")) {
                // Versions 1 and 2 of one case trade places, columns and all.
                const qint64 second
                    = db.number("SELECT min(seq) FROM events WHERE case_version = 2");
                const qint64 first = db.number(
                    "SELECT seq FROM events WHERE case_version = 1 AND case_id = (SELECT case_id "
                    "FROM events WHERE seq = " + std::to_string(second) + ")");
                bad = first;
                QVERIFY(db.exec("UPDATE events SET seq = -1 WHERE seq = " + std::to_string(first)));
                QVERIFY(db.exec("UPDATE events SET seq = " + std::to_string(first)
                                + " WHERE seq = " + std::to_string(second)));
                QVERIFY(db.exec("UPDATE events SET seq = " + std::to_string(second)
                                + " WHERE seq = -1"));
            } else if (what == QLatin1String("copy")) {
                // An approval-looking copy of event 2 appended as the newest event.
                bad = m_events + 1;
                QVERIFY(db.exec("INSERT INTO events (seq, case_id, case_version, kind, time_ms, "
                                "actor, data) SELECT " + std::to_string(bad)
                                + ", case_id, 99, kind, time_ms, actor, data FROM events WHERE seq = 2"));
            } else if (what == QLatin1String("leaf")) {
                bad = 5;
                // Leaf 4 is the 8th node written (after leaves 0-3 and their 3 parents).
                QVERIFY(db.exec("UPDATE log_nodes SET hash = zeroblob(32) WHERE pos = 7"));
            } else if (what == QLatin1String("truncate")) {
                QVERIFY(db.exec("DELETE FROM events WHERE seq > " + std::to_string(m_events - 2)));
            } else if (what == QLatin1String("garble")) {
                bad = 4;
                QVERIFY(db.exec("UPDATE events SET data = x'ffffffff' WHERE seq = 4"));
            }
        }
        const auto r = runVerify(data);
        QVERIFY2(r.exitCode == 3, qPrintable(r.output));
        QVERIFY2(r.output.contains(QStringLiteral("NOT INTACT")), qPrintable(r.output));
        if (bad != 0)
            QVERIFY2(r.output.contains(QStringLiteral("the first bad event is seq %1\n").arg(bad)),
                     qPrintable(r.output));
        const QString firstProblem = r.output.section(QLatin1Char('\n'), 2, 2);
        QVERIFY2(firstProblem.contains(expected), qPrintable(r.output));
    }

    void missingDataIsAClearError()
    {
        QTemporaryDir empty;
        const auto r = runVerify(empty.filePath(QStringLiteral("nowhere")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains(QStringLiteral("no database at")), qPrintable(r.output));
    }
};

QTEST_GUILESS_MAIN(VerifyTest)
#include "verifytest.moc"
