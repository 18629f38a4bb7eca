// The replica file: nothing readable at rest, refusals a user can act on (wrong key, damage, a
// newer format), rebuild and salvage that keep the user's unsent work, and migrations.
#include "replicatest.h"

#include "replica/caserows.h"
#include "replica/keystore.h"
#include "replica/statement.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using latch::app::KeyStore;
using latch::app::OutboxEntry;
using latch::app::Replica;
using latch::app::ReplicaInfo;
using namespace latch;
using namespace replicatest;

namespace {

// Runs plainsqliteprobe (plain SQLite, its own process) on `path`: its exit code and output.
std::pair<int, QString> probeWithPlainSqlite(const QString& path)
{
    QProcess probe;
    probe.start(QStringLiteral(LATCH_PLAIN_SQLITE_PROBE), { path });
    if (!probe.waitForFinished(10000))
        return { -1, QStringLiteral("probe did not finish") };
    return { probe.exitCode(), QString::fromUtf8(probe.readAllStandardOutput()).trimmed() };
}

} // namespace

void ReplicaTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// --- at rest ---

void ReplicaTest::fileHoldsNoTextInTheClear()
{
    History h;
    h.create("case-1", "Zanzibar pelican refund", "Quetzalcoatl Trading");
    h.note("case-1", "the customer mentioned marmalade-ostrich");
    const QList<QByteArray> secrets = { "Zanzibar", "Quetzalcoatl", "marmalade-ostrich",
        "outbox-wombat", "session-token-kumquat" };
    auto check = [&](const char* when) {
        for (const QString& file : QDir(m_dir->path()).entryList(QDir::Files)) {
            const QByteArray bytes = readAll(m_dir->filePath(file));
            for (const auto& secret : secrets) {
                if (bytes.contains(secret))
                    QFAIL(qPrintable(
                        QStringLiteral("%1 holds \"%2\" in the clear (%3)")
                            .arg(file, QString::fromLatin1(secret), QLatin1String(when))));
            }
        }
    };
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        v1::SnapshotPage page;
        page.set_reset(true);
        *page.add_cases() = h.snapshot("case-1");
        page.set_last(true);
        page.set_upto_seq(h.head());
        r->applySnapshotPage(page);
        r->enqueue(noteCommand("c-1", "case-1", "outbox-wombat"), 1);
        r->setSetting("token", "session-token-kumquat");
        // While open, the newest pages sit in the -wal file: it must be ciphertext too.
        QVERIFY(QFile::exists(path() + QStringLiteral("-wal")));
        check("while open");
    }
    check("after closing");
    QVERIFY(readAll(path()).size() > 4096);
}

void ReplicaTest::plainSqliteCannotReadIt()
{
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        r->enqueue(noteCommand("c-1", "case-1", "hello"), 1);
    }
    const auto [code, output] = probeWithPlainSqlite(path());
    QCOMPARE(code, 26); // SQLITE_NOTADB
    QVERIFY2(output.contains(QStringLiteral("not a database")), qPrintable(output));

    // The probe itself works: the same workload without a key is plain SQLite, and it reads it.
    const QString plain = m_dir->filePath(QStringLiteral("plain.db"));
    {
        auto r = Replica::openUnencryptedForBenchmark(plain);
        QVERIFY(r.ok());
        (*r)->enqueue(noteCommand("c-1", "case-1", "hello"), 1);
    }
    const auto [plainCode, plainOutput] = probeWithPlainSqlite(plain);
    QCOMPARE(plainCode, 0);
    QCOMPARE(plainOutput, QStringLiteral("0 ok"));
}

// --- refusals ---

void ReplicaTest::wrongKeyIsRefused()
{
    QVERIFY(openOk(path(), m_key));
    auto r = Replica::open(path(), testKey('b'));
    QVERIFY(!r);
    QCOMPARE(r.failure().code, std::string("replica.wrong_key"));
    QVERIFY(r.failure().message.find("passphrase") != std::string::npos);
    // Refusing did not damage anything: the right key still opens it.
    QVERIFY(openOk(path(), m_key));
}

void ReplicaTest::missingFolderIsAnIoError()
{
    auto r = Replica::open(m_dir->filePath(QStringLiteral("no/such/folder/replica.db")), m_key);
    QVERIFY(!r);
    QCOMPARE(r.failure().code, std::string("replica.io"));
    QVERIFY2(r.failure().message.find("no/such/folder") != std::string::npos,
        r.failure().message.c_str());
}

void ReplicaTest::garbageAndTruncatedFilesAreRefused()
{
    QFile garbage(path());
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    QByteArray noise(64 * 1024, Qt::Uninitialized);
    for (int i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 7919 + 13) % 251);
    garbage.write(noise);
    garbage.close();
    auto r = Replica::open(path(), m_key);
    QVERIFY(!r);
    // Random bytes and a file keyed with another key look the same to SQLCipher.
    QCOMPARE(r.failure().code, std::string("replica.wrong_key"));
    QVERIFY(!r.failure().message.empty());
    QVERIFY(QFile::remove(path()));

    // A real replica cut short: the pages past the cut are gone.
    {
        auto replica = openOk(path(), m_key);
        QVERIFY(replica);
        fillCases(*replica, 300);
    }
    QFile file(path());
    const qint64 size = file.size();
    QVERIFY(size > 64 * 1024);
    QVERIFY(file.resize(size / 2 + 100)); // not even a whole page
    auto cut = Replica::open(path(), m_key);
    QVERIFY(!cut);
    QVERIFY2(cut.failure().code == "replica.corrupt" || cut.failure().code == "replica.wrong_key",
        cut.failure().code.c_str());
    QVERIFY(!cut.failure().message.empty());
}

void ReplicaTest::damagedPageIsFoundOnOpen()
{
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        fillCases(*r, 300);
        r->enqueue(noteCommand("c-1", "case-1", "kept"), 1);
    }
    // Somewhere in the middle of the cases, as a bad sector or a stray write would do it.
    QFile file(path());
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.seek(file.size() / 2 + 300));
    file.write(QByteArray(16, '\x5a'));
    file.close();
    auto r = Replica::open(path(), m_key);
    QVERIFY(!r);
    QCOMPARE(r.failure().code, std::string("replica.corrupt"));
    QCOMPARE(
        r.failure().message, std::string("The copy of your cases on this computer is damaged."));
    // The outbox lives on other pages: it can still be read back.
    QCOMPARE(commandIds(Replica::salvageOutbox(path(), m_key)), std::vector<std::string> { "c-1" });
}

void ReplicaTest::newerFormatIsRefusedButItsOutboxSalvaged()
{
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        r->enqueue(noteCommand("c-1", "case-1", "first"), 1);
        r->enqueue(noteCommand("c-2", "case-1", "second"), 2);
    }
    rawOpen(path(), m_key)->exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    auto r = Replica::open(path(), m_key);
    QVERIFY(!r);
    QCOMPARE(r.failure().code, std::string("replica.too_new"));
    QVERIFY(r.failure().message.find("newer version") != std::string::npos);

    const auto salvaged = Replica::salvageOutbox(path(), m_key);
    QCOMPARE(commandIds(salvaged), (std::vector<std::string> { "c-1", "c-2" }));
    QCOMPARE(salvaged[1].command.add_note().text(), std::string("second"));
    // With the wrong key nothing can be read, and salvage says so by returning nothing.
    QVERIFY(Replica::salvageOutbox(path(), testKey('b')).empty());
}

void ReplicaTest::rebuildKeepsUnsentCommandsInOrder()
{
    ReplicaInfo info;
    info.keySource = QStringLiteral("passphrase");
    info.passphraseSalt = KeyStore::newSalt();
    QVERIFY(Replica::writeInfo(path(), info));
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        for (const char* id : { "c-1", "c-2", "c-3", "c-4" })
            r->enqueue(noteCommand(id, "case-1", id), 10);
        r->completeCommand(answer("c-2", false, "case.closed", "The case is closed."));
        r->completeCommand(answer("c-3", true));
    }
    rawOpen(path(), m_key)->exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    QCOMPARE(Replica::open(path(), m_key).failure().code, std::string("replica.too_new"));

    const auto salvaged = Replica::salvageOutbox(path(), m_key);
    auto rebuilt = Replica::rebuild(path(), m_key, salvaged);
    QVERIFY(rebuilt.ok());
    const auto outbox = (*rebuilt)->outbox();
    QCOMPARE(commandIds(outbox), (std::vector<std::string> { "c-1", "c-2", "c-4" }));
    QCOMPARE(outbox[1].state, OutboxEntry::State::Rejected);
    QCOMPARE(outbox[1].code, std::string("case.closed"));
    QCOMPARE(
        commandIds((*rebuilt)->pendingCommands()), (std::vector<std::string> { "c-1", "c-4" }));
    QCOMPARE((*rebuilt)->cursor(), std::uint64_t(0));

    // The old file is set aside, not deleted, with a copy of its sidecar (it holds the salt).
    const QStringList aside
        = QDir(m_dir->path()).entryList({ QStringLiteral("replica.db.broken-*") }, QDir::Files);
    QVERIFY2(
        aside.contains(QRegularExpression(QStringLiteral("^replica\\.db\\.broken-\\d{8}-\\d{6}$"))),
        qPrintable(aside.join(u',')));
    QVERIFY(aside.contains(
        QRegularExpression(QStringLiteral("^replica\\.db\\.broken-\\d{8}-\\d{6}\\.json$"))));
    auto sidecar = Replica::readInfo(path());
    QVERIFY(sidecar.ok());
    QCOMPARE(sidecar->schemaVersion, Replica::schemaVersion());
    QCOMPARE(sidecar->passphraseSalt, info.passphraseSalt);
}

void ReplicaTest::rebuildSetsTheWalAsideWithItsFile()
{
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        r->enqueue(noteCommand("c-1", "case-1", "only in the wal"), 1);
        // Copy the files as a crash would leave them: the newest commit only in the -wal.
        QVERIFY(QFile::copy(path(), path() + QStringLiteral(".crash")));
        QVERIFY(
            QFile::copy(path() + QStringLiteral("-wal"), path() + QStringLiteral(".crash-wal")));
    }
    for (const char* suffix : { "", "-wal", "-shm" })
        QFile::remove(path() + QLatin1String(suffix));
    QVERIFY(QFile::rename(path() + QStringLiteral(".crash"), path()));
    QVERIFY(QFile::rename(path() + QStringLiteral(".crash-wal"), path() + QStringLiteral("-wal")));

    auto rebuilt = Replica::rebuild(path(), m_key, {});
    QVERIFY(rebuilt.ok());
    // Had the old -wal stayed, SQLite would have replayed it into the fresh file.
    QVERIFY((*rebuilt)->outbox().empty());
    rebuilt->reset();
    const QStringList aside
        = QDir(m_dir->path()).entryList({ QStringLiteral("replica.db.broken-*") }, QDir::Files);
    QCOMPARE(aside.filter(QStringLiteral("-wal")).size(), 1);
    // The pair set aside is whole: with the key, it still holds the command.
    const QString broken
        = m_dir->filePath(aside.filter(QRegularExpression(QStringLiteral("\\d$"))).value(0));
    auto old = Replica::open(broken, m_key);
    QVERIFY(old.ok());
    QCOMPARE(commandIds((*old)->outbox()), std::vector<std::string> { "c-1" });
}

void ReplicaTest::exportOutboxWritesReadableJson()
{
    OutboxEntry pending;
    pending.localSeq = 1;
    pending.commandId = "c-1";
    pending.caseId = "case-1";
    pending.command = noteCommand("c-1", "case-1", "call the customer back");
    pending.createdMs = 42;
    OutboxEntry rejected = pending;
    rejected.localSeq = 2;
    rejected.commandId = "c-2";
    rejected.command.set_command_id("c-2");
    rejected.state = OutboxEntry::State::Rejected;
    rejected.code = "case.closed";
    rejected.message = "The case is closed.";

    const QString file = m_dir->filePath(QStringLiteral("unsent.json"));
    QVERIFY(Replica::exportOutbox({ pending, rejected }, file));
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(readAll(file), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    const auto commands = doc.object().value(QStringLiteral("commands")).toArray();
    QCOMPARE(commands.size(), 2);
    const auto first = commands.at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("commandId")).toString(), QStringLiteral("c-1"));
    QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    QCOMPARE(first.value(QStringLiteral("command"))
                 .toObject()
                 .value(QStringLiteral("add_note"))
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
        QStringLiteral("call the customer back"));
    const auto second = commands.at(1).toObject();
    QCOMPARE(second.value(QStringLiteral("state")).toString(), QStringLiteral("rejected"));
    QCOMPARE(
        second.value(QStringLiteral("message")).toString(), QStringLiteral("The case is closed."));
    QVERIFY(
        !Replica::exportOutbox({ pending }, m_dir->filePath(QStringLiteral("no/such/dir.json"))));
}

void ReplicaTest::olderFormatMigrates_data()
{
    QTest::addColumn<int>("version");
    // The first format: cases without the queue columns, events keyed by seq.
    QTest::newRow("version 1") << 1;
    // The last with every note's text twice: in its event, and lower-cased in the case's search
    // column; events keyed by case.
    QTest::newRow("version 3") << 3;
    // The same with the intake channel beside each case.
    QTest::newRow("version 4") << 4;
}

void ReplicaTest::olderFormatMigrates()
{
    QFETCH(int, version);
    History h;
    h.create("case-1", "Old Title", "Old Customer");
    h.add("case-1", "intake",
        [](latch::v1::Event& e) { e.mutable_intake_received()->set_channel("webhook"); });
    h.note("case-1", "Note From Before");
    h.retitle("case-1", "Old Title Again");
    h.note("case-1", "Second Old Note");
    const auto c = foldEvents(h.events("case-1"));
    {
        auto db = rawOpen(path(), m_key);
        latch::app::migrations::migrate(*db, version);
        latch::app::db::Statement insertCase(*db,
            version == 1 ? "INSERT INTO cases (id, status, type, updated_ms, last_seq, proto) "
                           "VALUES (?,?,?,?,?,?)"
                         : "INSERT INTO cases (id, status, type, updated_ms, last_seq, proto, "
                           "title, customer, order_ref, search) VALUES (?,?,?,?,?,?,?,?,?,?)");
        insertCase.bind(1, std::string_view(c.id()));
        insertCase.bind(2, std::int64_t(c.status()));
        insertCase.bind(3, std::string_view(c.type()));
        insertCase.bind(4, std::int64_t(c.updated_ms()));
        insertCase.bind(5, std::int64_t(c.last_seq()));
        insertCase.bindBlob(6, c.SerializeAsString());
        if (version >= 3) {
            insertCase.bind(7, std::string_view(c.title()));
            insertCase.bind(8, std::string_view(c.customer()));
            insertCase.bind(9, std::string_view(c.order_ref()));
            insertCase.bind(10,
                std::string_view("old title again\nold customer\npo-1\n"
                                 "note from before\nsecond old note"));
        }
        insertCase.exec();
        // Events as the server sent them: with their case id and a note's text.
        latch::app::db::Statement insertEvent(
            *db, "INSERT INTO events (seq, case_id, proto) VALUES (?,?,?)");
        for (const auto& e : h.events("case-1")) {
            insertEvent.bind(1, std::int64_t(e.seq()));
            insertEvent.bind(2, std::string_view(e.case_id()));
            insertEvent.bindBlob(3, e.SerializeAsString());
            insertEvent.exec();
        }
        QCOMPARE(latch::app::migrations::currentVersion(*db), version);
    }
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        const auto row = r->queueRow("case-1");
        QVERIFY(row);
        QCOMPARE(row->title, QStringLiteral("Old Title Again"));
        QCOMPARE(row->status, QStringLiteral("in_review"));
        QCOMPARE(row->amountMinor, qint64(12'500));
        QCOMPARE(r->queueRows().size(), std::size_t(1));
        // The search still finds the notes once their text has moved beside the case (version 5).
        for (const char* needle : { "note from before", "second old note", "old customer" })
            QVERIFY2(row->searchText.contains(QString::fromUtf8(needle)), needle);
        // The intake channel came out of the stored case (its column came in version 4).
        QCOMPARE(row->channel, QStringLiteral("webhook"));
        // The timeline came along (per-case table in version 3), each event as the server sent
        // it: case id and note text put back.
        const auto events = r->caseEvents("case-1");
        QCOMPARE(events.size(), h.events("case-1").size());
        for (std::size_t i = 0; i < events.size(); ++i)
            QVERIFY2(
                sameMessage(events[i], h.events("case-1")[i]), events[i].DebugString().c_str());
        // Notes keep arriving after the move.
        v1::EventBatch more;
        *more.add_events() = h.note("case-1", "After The Move");
        more.set_upto_seq(h.head());
        r->applyEventBatch(more);
        QVERIFY(r->queueRow("case-1")->searchText.contains(QStringLiteral("after the move")));
        QVERIFY(r->queueRow("case-1")->searchText.contains(QStringLiteral("note from before")));
        QCOMPARE(r->caseEvents("case-1").back().note_added().text(), std::string("After The Move"));
    }
    auto raw = rawOpen(path(), m_key);
    QCOMPARE(latch::app::migrations::currentVersion(*raw), Replica::schemaVersion());
    // The tables rebuilt on the way left no free pages behind: the file was compacted.
    QCOMPARE(raw->execScalar("PRAGMA freelist_count"), std::string("0"));
}

void ReplicaTest::olderPageSizeStillOpens()
{
    // Files written before the replica moved to 16 KiB pages have 4 KiB pages; they open as they
    // are, with their cases, and new files get the new size.
    History h;
    h.create("case-1", "Written With Small Pages", "Customer");
    {
        auto db = rawOpen(path(), m_key, 4096);
        latch::app::migrations::migrate(*db);
        latch::app::CaseRows rows(*db);
        rows.put(foldEvents(h.events("case-1")), {});
    }
    QVERIFY_THROWS_EXCEPTION(latch::app::db::Error,
        rawOpen(path(), m_key)->execScalar("SELECT count(*) FROM sqlite_master"));
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        const auto row = r->queueRow("case-1");
        QVERIFY(row);
        QCOMPARE(row->title, QStringLiteral("Written With Small Pages"));
    }

    const QString fresh = m_dir->filePath(QStringLiteral("fresh.db"));
    QVERIFY(openOk(fresh, m_key));
    QVERIFY_THROWS_EXCEPTION(latch::app::db::Error,
        rawOpen(fresh, m_key, 4096)->execScalar("SELECT count(*) FROM sqlite_master"));
    QVERIFY(rawOpen(fresh, m_key)->execScalar("SELECT count(*) FROM sqlite_master") != "0");
}

QTEST_GUILESS_MAIN(ReplicaTest)
