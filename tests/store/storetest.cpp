// The SQLite store: schema and migrations, atomic commits, an event table the database itself keeps
// append-only, snapshot isolation of read views and case queries. Every test works on its own
// database file in a fresh temporary directory.
#include "latch/casefold.h"
#include "latch.pb.h"
#include "latch/hashing.h"
#include "latch/ids.h"
#include "store/migrations.h"
#include "store/sqlitestore.h"
#include "storefixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

using latch::core::CaseFilter;
using latch::core::CommitBatch;
using latch::store::SqliteStore;
using storetest::batchOf;
using storetest::caseRow;
using storetest::ids;
using storetest::noteEvent;
using storetest::RawDb;
using storetest::toList;
using storetest::userRecord;
namespace v1 = latch::v1;

class StoreTest : public QObject {
    Q_OBJECT

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("latch.db")); }
    std::unique_ptr<SqliteStore> openStore() { return storetest::openStore(dbPath()); }

    std::unique_ptr<QTemporaryDir> m_dir;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void openCreatesSchema()
    {
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), latch::store::latestSchemaVersion());
        QVERIFY(latch::isUuid(store->serverId()));
        QCOMPARE(store->headSeq(), 0u);
        QCOMPARE(store->read()->caseCount(), 0u);

        RawDb raw(dbPath());
        const QStringList tables = raw.column("SELECT name FROM sqlite_master WHERE type='table'");
        for (const char* table : { "events", "cases", "commands", "users", "sessions",
                 "admin_audit", "meta", "schema_migrations" }) {
            QVERIFY2(tables.contains(QLatin1String(table)), table);
        }
        QCOMPARE(raw.column("PRAGMA journal_mode"), QStringList { QStringLiteral("wal") });
        QCOMPARE(raw.column("SELECT count(*) FROM schema_migrations").value(0).toInt(),
            static_cast<int>(latch::store::migrations().size()));
    }

    void reopenKeepsDataAndSkipsMigrations()
    {
        std::string serverId;
        {
            auto store = openStore();
            QVERIFY(store);
            serverId = store->serverId();
            QVERIFY(store->commit(batchOf({ "case-a", "case-b" }, 1)).ok());
            QVERIFY(store->insertUser(userRecord("alice", { "ops" })).ok());
        }
        {
            // Mark the recorded migrations: a re-run would add rows or fail on existing tables.
            RawDb raw(dbPath());
            QCOMPARE(raw.exec("UPDATE schema_migrations SET applied_ms = 42"), SQLITE_OK);
        }
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->serverId(), serverId);
        QCOMPARE(store->headSeq(), 2u);
        QVERIFY(store->loadCase("case-b").has_value());
        QVERIFY(store->findUser("alice").has_value());

        RawDb raw(dbPath());
        const QStringList applied = raw.column("SELECT applied_ms FROM schema_migrations");
        QCOMPARE(applied.size(), static_cast<int>(latch::store::migrations().size()));
        for (const QString& ms : applied) {
            QCOMPARE(ms, QStringLiteral("42"));
        }
    }

    void differentDatabasesHaveDifferentServerIds()
    {
        auto first = openStore();
        QVERIFY(first);
        QTemporaryDir other;
        auto second = SqliteStore::open(other.filePath(QStringLiteral("x.db")).toStdString());
        QVERIFY(second.ok());
        QVERIFY((*second)->serverId() != first->serverId());
    }

    void newerSchemaIsRefused()
    {
        QVERIFY(openStore());
        const int newer = latch::store::latestSchemaVersion() + 1;
        {
            RawDb raw(dbPath());
            QCOMPARE(
                raw.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(newer) + ", 0)"),
                SQLITE_OK);
        }
        auto opened = SqliteStore::open(dbPath().toStdString());
        QVERIFY(!opened.ok());
        QCOMPARE(opened.failure().code, std::string("store.too_new"));
        QVERIFY(opened.failure().message.find(std::to_string(newer)) != std::string::npos);
    }

    void unusableFileIsRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("missing directory")
            << QStringLiteral("no/such/dir/latch.db") << QByteArray();
        QTest::newRow("not a database") << QStringLiteral("junk.db")
                                        << QByteArray("this is not an SQLite file, ").repeated(200);
    }

    void unusableFileIsRefused()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, contents);
        const QString path = m_dir->filePath(name);
        if (!contents.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(contents);
        }
        auto opened = SqliteStore::open(path.toStdString());
        QVERIFY(!opened.ok());
        QCOMPARE(opened.failure().code, std::string("store.open"));
    }

    void commitIsAtomic()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "case-a" }, 1)).ok());

        // case-b is new, but the batch's second event repeats case-a version 1.
        CommitBatch bad = batchOf({ "case-b", "case-a" }, 2);
        bad.commands.push_back({ "cmd-bad", "alice", {} });
        auto result = store->commit(bad);
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().code, std::string("store.write"));
        QVERIFY2(result.failure().message.find("already stored") != std::string::npos,
            result.failure().message.c_str());

        QCOMPARE(store->headSeq(), 1u);
        QVERIFY(!store->loadCase("case-b").has_value());
        QVERIFY(!store->findCommand("cmd-bad").has_value());
        QCOMPARE(store->read()->eventsAfter(0, 0).size(), 1u);

        // The writer is not left inside the failed transaction.
        QVERIFY(store->commit(batchOf({ "case-b" }, 2)).ok());
        QCOMPARE(store->headSeq(), 2u);
    }

    void seqMustIncrease()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "case-a", "case-b" }, 1)).ok());
        auto result = store->commit(batchOf({ "case-c" }, 1));
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().code, std::string("store.write"));
        // Nor may it skip one: the audit log holds every event, leaf i being seq i + 1.
        result = store->commit(batchOf({ "case-c" }, 4));
        QVERIFY(!result.ok());
        QCOMPARE(result.failure().code, std::string("store.write"));
        QCOMPARE(store->headSeq(), 2u);
        // The next seq after both refusals is still taken.
        QVERIFY(store->commit(batchOf({ "case-c" }, 3)).ok());
    }

    void eventsAreAppendOnly_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("update") << QStringLiteral(
            "UPDATE events SET actor = 'mallory' WHERE seq = 1");
        QTest::newRow("update data") << QStringLiteral("UPDATE events SET data = x'00'");
        QTest::newRow("delete one") << QStringLiteral("DELETE FROM events WHERE seq = 1");
        QTest::newRow("delete all") << QStringLiteral("DELETE FROM events");
        QTest::newRow("replace by seq")
            << QStringLiteral("INSERT OR REPLACE INTO events SELECT * FROM events WHERE seq = 1");
        QTest::newRow("replace by version") << QStringLiteral(
            "INSERT OR REPLACE INTO events (seq, case_id, case_version, kind, time_ms, actor, data)"
            " VALUES (100, 'case-a', 1, 'note_added', 0, 'mallory', x'00')");
    }

    void eventsAreAppendOnly()
    {
        QFETCH(QString, sql);
        auto store = openStore();
        QVERIFY(store);
        const CommitBatch batch = batchOf({ "case-a", "case-b" }, 1);
        QVERIFY(store->commit(batch).ok());

        RawDb raw(dbPath());
        QCOMPARE(raw.exec(sql.toStdString()), SQLITE_CONSTRAINT);
        QVERIFY2(raw.message().contains(QLatin1String("events are append-only"))
                || raw.message().contains(QLatin1String("event seq must be greater")),
            qPrintable(raw.message()));

        const auto stored = store->read()->eventsAfter(0, 0);
        QCOMPARE(stored.size(), 2u);
        QCOMPARE(stored[0].SerializeAsString(), batch.events[0].SerializeAsString());
    }

    void eventsComeBackByteIdentical()
    {
        auto store = openStore();
        QVERIFY(store);
        v1::Event created = noteEvent(1, "case-a", 1);
        auto* payload = created.mutable_created();
        payload->set_type("refund");
        payload->set_title("Refund \xC3\xA9l\xC3\xA8ve \xE2\x82\xAC");
        payload->mutable_amount()->set_minor(240000);
        payload->mutable_amount()->set_currency("EUR");
        auto* field = payload->add_fields();
        field->set_key("order");
        field->set_value(std::string("a\0b", 3));
        created.set_hash(latch::computeEventHash(created));

        v1::Event changed = noteEvent(2, "case-a", 2);
        changed.set_prev_hash(created.hash());
        auto* fields = changed.mutable_fields_changed();
        fields->set_title(""); // present but empty: proto3 optional presence must survive
        fields->set_material(true);
        changed.set_hash(latch::computeEventHash(changed));

        CommitBatch batch;
        batch.events = { created, changed };
        batch.cases.push_back(caseRow("case-a", v1::CASE_STATUS_IN_REVIEW, "refund", "", 2));
        batch.commands.push_back({ "cmd-2", "alice", {} });
        batch.commands.back().result.set_accepted(true);
        batch.commands.back().result.add_seqs(2);
        QVERIFY(store->commit(batch).ok());

        auto view = store->read();
        const auto events = view->caseEvents("case-a");
        QCOMPARE(events.size(), 2u);
        for (std::size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].SerializeAsString(), batch.events[i].SerializeAsString());
        }
        QVERIFY(events[1].fields_changed().has_title());
        QVERIFY(latch::verifyCaseChain(events).empty());
        QCOMPARE(view->loadCase("case-a")->SerializeAsString(), batch.cases[0].SerializeAsString());

        const auto command = store->findCommand("cmd-2");
        QVERIFY(command.has_value());
        QCOMPARE(command->actor, std::string("alice"));
        QCOMPARE(command->result.SerializeAsString(), batch.commands[0].result.SerializeAsString());
        QVERIFY(!store->findCommand("cmd-unknown").has_value());
    }

    void eventsAfterPages()
    {
        auto store = openStore();
        QVERIFY(store);
        std::uint64_t seq = 1;
        for (std::uint64_t version = 1; version <= 5; ++version) {
            CommitBatch batch = batchOf({ "a", "b", "c", "d", "e" }, seq, version);
            QVERIFY(store->commit(batch).ok());
            seq += batch.events.size();
        }
        auto view = store->read();
        QCOMPARE(view->headSeq(), 25u);
        std::vector<std::uint64_t> seen;
        std::vector<std::size_t> pageSizes;
        std::uint64_t cursor = 0;
        for (;;) {
            const auto page = view->eventsAfter(cursor, 10);
            if (page.empty()) {
                break;
            }
            pageSizes.push_back(page.size());
            for (const auto& e : page) {
                seen.push_back(e.seq());
            }
            cursor = page.back().seq();
        }
        QCOMPARE(pageSizes, (std::vector<std::size_t> { 10, 10, 5 }));
        QCOMPARE(seen.size(), 25u);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.front(), 1u);
        QCOMPARE(seen.back(), 25u);
        QCOMPARE(view->eventsAfter(25, 10).size(), 0u);
        QCOMPARE(view->eventsAfter(0, 0).size(), 25u);
        QCOMPARE(view->eventsAfter(~std::uint64_t { 0 }, 0).size(), 0u); // no wrap to "everything"
    }

    void casesTouchedAfter()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "a" }, 1)).ok()); // a: 1
        QVERIFY(store->commit(batchOf({ "a" }, 2, 2)).ok()); // a: 2
        QVERIFY(store->commit(batchOf({ "b", "c" }, 3)).ok()); // b: 3, c: 4
        QVERIFY(store->commit(batchOf({ "c" }, 5, 2)).ok()); // c: 5
        QVERIFY(store->commit(batchOf({ "a" }, 6, 3)).ok()); // a: 6
        auto view = store->read();
        QCOMPARE(toList(view->casesTouchedAfter(0)), (QStringList { "a", "b", "c" }));
        QCOMPARE(toList(view->casesTouchedAfter(3)), (QStringList { "a", "c" }));
        QCOMPARE(toList(view->casesTouchedAfter(5)), (QStringList { "a" }));
        QCOMPARE(toList(view->casesTouchedAfter(6)), QStringList {});
    }

    void readViewKeepsItsSnapshot()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "case-a" }, 1)).ok());
        auto before = store->read();

        QElapsedTimer timer;
        timer.start();
        QVERIFY(store->commit(batchOf({ "case-b" }, 2)).ok());
        QVERIFY2(timer.elapsed() < 2000, "an open ReadView must not block the writer");

        auto after = store->read();
        QCOMPARE(before->headSeq(), 1u);
        QVERIFY(!before->loadCase("case-b").has_value());
        QCOMPARE(before->caseCount(), 1u);
        QCOMPARE(before->eventsAfter(0, 0).size(), 1u);
        QCOMPARE(before->casesPage("", 0).size(), 1u);

        QCOMPARE(after->headSeq(), 2u);
        QVERIFY(after->loadCase("case-b").has_value());
        QCOMPARE(after->caseCount(), 2u);
        QCOMPARE(store->headSeq(), 2u);
    }

    void readViewsAreConsistentWhileWriting()
    {
        auto store = openStore();
        QVERIFY(store);
        constexpr int kBatches = 60;
        std::atomic<bool> done { false };
        std::atomic<int> inconsistent { 0 };
        std::atomic<int> views { 0 };
        const auto reader = [&] {
            while (!done.load()) {
                auto view = store->read();
                // Every batch adds one event and one case: within one snapshot, all agree.
                const auto head = view->headSeq();
                if (view->eventsAfter(0, 0).size() != head || view->caseCount() != head
                    || view->casesTouchedAfter(0).size() != head) {
                    ++inconsistent;
                }
                ++views;
            }
        };
        std::thread r1(reader);
        std::thread r2(reader);
        for (int i = 1; i <= kBatches; ++i) {
            if (!store->commit(batchOf({ "case-" + std::to_string(i) }, i)).ok()) {
                break;
            }
        }
        done = true;
        r1.join();
        r2.join();
        QCOMPARE(store->headSeq(), std::uint64_t { kBatches });
        QCOMPARE(inconsistent.load(), 0);
        QVERIFY(views.load() > 0);
    }

    void listCasesFilters_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("assignee");
        QTest::addColumn<uint>("limit");
        QTest::addColumn<QStringList>("expected"); // newest change first

        QTest::newRow("all") << ""
                             << ""
                             << "" << 0u << QStringList { "c5", "c4", "c3", "c2", "c1" };
        QTest::newRow("status") << "awaiting_approval"
                                << ""
                                << "" << 0u << QStringList { "c3", "c2" };
        QTest::newRow("type") << ""
                              << "refund"
                              << "" << 0u << QStringList { "c4", "c2", "c1" };
        QTest::newRow("assignee") << ""
                                  << ""
                                  << "alice" << 0u << QStringList { "c3", "c1" };
        QTest::newRow("status+type") << "awaiting_approval"
                                     << "refund"
                                     << "" << 0u << QStringList { "c2" };
        QTest::newRow("type+assignee") << ""
                                       << "vendor"
                                       << "bob" << 0u << QStringList { "c5" };
        QTest::newRow("all three") << "closed"
                                   << "vendor"
                                   << "bob" << 0u << QStringList { "c5" };
        QTest::newRow("limit") << ""
                               << ""
                               << "" << 2u << QStringList { "c5", "c4" };
        QTest::newRow("filter+limit") << ""
                                      << "refund"
                                      << "" << 1u << QStringList { "c4" };
        QTest::newRow("unknown status") << "bogus"
                                        << ""
                                        << "" << 0u << QStringList {};
    }

    void listCasesFilters()
    {
        QFETCH(QString, status);
        QFETCH(QString, type);
        QFETCH(QString, assignee);
        QFETCH(uint, limit);
        QFETCH(QStringList, expected);

        auto store = openStore();
        QVERIFY(store);
        CommitBatch batch;
        const auto add = [&](const char* id, v1::CaseStatus s, const char* t, const char* who) {
            const auto seq = batch.events.size() + 1;
            batch.events.push_back(noteEvent(seq, id, 1));
            batch.cases.push_back(caseRow(id, s, t, who, seq));
        };
        add("c1", v1::CASE_STATUS_IN_REVIEW, "refund", "alice");
        add("c2", v1::CASE_STATUS_AWAITING_APPROVAL, "refund", "bob");
        add("c3", v1::CASE_STATUS_AWAITING_APPROVAL, "vendor", "alice");
        add("c4", v1::CASE_STATUS_APPROVED, "refund", "");
        add("c5", v1::CASE_STATUS_CLOSED, "vendor", "bob");
        QVERIFY(store->commit(batch).ok());

        CaseFilter filter;
        filter.status = status.toStdString();
        filter.type = type.toStdString();
        filter.assignee = assignee.toStdString();
        filter.limit = limit;
        QCOMPARE(ids(store->read()->listCases(filter)), expected);
    }

    void caseRowIsReplacedOnChange()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "case-a" }, 1)).ok());
        CommitBatch approve;
        approve.events.push_back(noteEvent(2, "case-a", 2));
        approve.cases.push_back(caseRow("case-a", v1::CASE_STATUS_APPROVED, "refund", "bob", 2));
        QVERIFY(store->commit(approve).ok());

        QCOMPARE(store->loadCase("case-a")->status(), v1::CASE_STATUS_APPROVED);
        auto view = store->read();
        QCOMPARE(view->caseCount(), 1u);
        CaseFilter inReview;
        inReview.status = "in_review";
        QCOMPARE(ids(view->listCases(inReview)), QStringList {});
        CaseFilter bobs;
        bobs.assignee = "bob";
        QCOMPARE(ids(view->listCases(bobs)), QStringList { "case-a" });
    }

    void casesPageByIds()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->commit(batchOf({ "d", "b", "e", "a", "c" }, 1)).ok());
        auto view = store->read();
        QCOMPARE(ids(view->casesPage("", 2)), (QStringList { "a", "b" }));
        QCOMPARE(ids(view->casesPage("b", 2)), (QStringList { "c", "d" }));
        QCOMPARE(ids(view->casesPage("d", 2)), (QStringList { "e" }));
        QCOMPARE(ids(view->casesPage("e", 2)), QStringList {});
    }

    void integrityCheck()
    {
        {
            auto store = openStore();
            QVERIFY(store);
            QVERIFY(store->commit(batchOf({ "a", "b", "c" }, 1)).ok());
            auto intact = store->checkIntegrity();
            QVERIFY(intact.ok());
        }
        {
            // Swap the roots of the status and type indexes: each now holds the other's rows.
            RawDb raw(dbPath());
            const auto root = [&](const char* index) {
                return raw
                    .column(std::string("SELECT rootpage FROM sqlite_master WHERE name = '") + index
                        + "'")
                    .value(0)
                    .toStdString();
            };
            const std::string statusRoot = root("cases_status");
            const std::string typeRoot = root("cases_type");
            QVERIFY(!statusRoot.empty() && !typeRoot.empty());
            QCOMPARE(raw.exec("PRAGMA writable_schema = ON;"
                              "UPDATE sqlite_master SET rootpage = "
                         + typeRoot
                         + " WHERE name = 'cases_status';"
                           "UPDATE sqlite_master SET rootpage = "
                         + statusRoot + " WHERE name = 'cases_type';"),
                SQLITE_OK);
        }
        auto store = openStore();
        QVERIFY(store);
        auto damaged = store->checkIntegrity();
        QVERIFY(!damaged.ok());
        QCOMPARE(damaged.failure().code, std::string("store.integrity"));
    }

    void statusNames_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("name");
        QTest::newRow("in review") << int(v1::CASE_STATUS_IN_REVIEW) << "in_review";
        QTest::newRow("awaiting") << int(v1::CASE_STATUS_AWAITING_APPROVAL) << "awaiting_approval";
        QTest::newRow("approved") << int(v1::CASE_STATUS_APPROVED) << "approved";
        QTest::newRow("denied") << int(v1::CASE_STATUS_DENIED) << "denied";
        QTest::newRow("closed") << int(v1::CASE_STATUS_CLOSED) << "closed";
    }

    void statusNames()
    {
        QFETCH(int, status);
        QFETCH(QString, name);
        const auto s = static_cast<v1::CaseStatus>(status);
        // The status column and list filters use the core's names.
        QCOMPARE(QString::fromStdString(latch::statusName(s)), name);
        QCOMPARE(latch::statusFromName(name.toStdString()), s);
        QCOMPARE(latch::statusFromName(""), v1::CASE_STATUS_UNSPECIFIED);
        QVERIFY(latch::statusName(v1::CASE_STATUS_UNSPECIFIED).empty());
    }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "storetest.moc"
