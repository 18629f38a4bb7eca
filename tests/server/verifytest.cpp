// `latch-server verify` on a real server's data: intact history passes; every kind of edit someone
// with the file and the sqlite3 shell could make (dropping the append-only triggers first) is
// detected, and the first bad event is named.
#include "serverprocess.h"

#include <QDir>
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
                QVERIFY(db.exec("UPDATE log_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 4"));
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
