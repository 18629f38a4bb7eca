// The audit log in the store: every committed event is a leaf of the Merkle tree in the same
// transaction, the stored tree gives the same roots and proofs as one computed from the events
// themselves, a refused commit leaves it as it was, reopening continues it, it cannot be edited
// through SQL, and a database from before the log gets one filled from its events.
#include "latch/merkle.h"
#include "store/auditlog.h"
#include "store/connection.h"
#include "store/migrations.h"
#include "storefixture.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace storetest;
using latch::merkle::Hash;
using latch::store::Connection;
using latch::store::LogReader;
using latch::store::SqliteStore;

class AuditLogTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::vector<Hash> m_leaves; // what the log should hold: each committed event's leaf

    QString dbPath() const { return m_dir->filePath(QStringLiteral("latch.db")); }
    std::unique_ptr<SqliteStore> openStore()
    {
        auto store = SqliteStore::open(dbPath().toStdString());
        return store ? std::move(*store) : nullptr;
    }
    bool commit(SqliteStore& store, const std::vector<std::string>& cases)
    {
        const auto batch = batchOf(cases, m_leaves.size() + 1);
        if (!store.commit(batch).ok())
            return false;
        for (const auto& e : batch.events)
            m_leaves.push_back(latch::store::eventLeaf(e));
        return true;
    }
    // The stored log, read as any reader would, checked against the leaves committed.
    void checkLog()
    {
        auto connection = Connection::open(dbPath().toStdString(), latch::store::sqlite::OpenMode::ReadOnly);
        LogReader log(*connection);
        const auto n = m_leaves.size();
        QCOMPARE(log.size(), std::uint64_t(n));
        const auto memory = latch::merkle::memorySource(m_leaves);
        const Hash root = latch::merkle::root(n, memory);
        QCOMPARE(log.root(n), root);
        for (std::uint64_t i = 0; i < n; ++i) {
            const auto proof = log.inclusionProof(i, n);
            QCOMPARE(proof, latch::merkle::inclusionProof(i, n, memory));
            QVERIFY(latch::merkle::verifyInclusion(i, n, m_leaves[i], proof, root));
        }
        for (std::uint64_t m = 1; m < n; ++m) {
            const auto proof = log.consistencyProof(m, n);
            QVERIFY(latch::merkle::verifyConsistency(m, n, log.root(m), root, proof));
        }
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_leaves.clear();
    }

    void everyCommitIsLogged()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(commit(*store, { "a" }));
        QVERIFY(commit(*store, { "b", "c", "d" }));
        QVERIFY(commit(*store, { "e", "f", "g", "h", "i" }));
        checkLog();
    }

    void refusedCommitLeavesTheLogAsItWas()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(commit(*store, { "a", "b" }));
        // Case "a" at version 1 again: the events table refuses it, so nothing is logged either.
        auto bad = batchOf({ "c", "a" }, 3);
        QVERIFY(!store->commit(bad).ok());
        checkLog();
        QVERIFY(commit(*store, { "c", "d", "e" }));
        checkLog();
    }

    void reopeningContinuesTheLog()
    {
        // Across sizes that are and are not powers of two, so the frontier read back at open
        // must be right for the next append to give the right tree.
        for (int round = 0; round < 12; ++round) {
            auto store = openStore();
            QVERIFY(store);
            std::vector<std::string> cases;
            for (int i = 0; i <= round % 4; ++i)
                cases.push_back("r" + std::to_string(round) + "-" + std::to_string(i));
            QVERIFY(commit(*store, cases));
        }
        checkLog();
    }

    void theLogCannotBeEditedThroughSql_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("update") << QStringLiteral("UPDATE log_nodes SET hash = zeroblob(32)");
        QTest::newRow("delete") << QStringLiteral("DELETE FROM log_nodes WHERE pos = 3");
        QTest::newRow("replace") << QStringLiteral(
            "INSERT OR REPLACE INTO log_nodes SELECT pos, zeroblob(32) FROM log_nodes");
    }

    void theLogCannotBeEditedThroughSql()
    {
        QFETCH(QString, sql);
        {
            auto store = openStore();
            QVERIFY(store);
            QVERIFY(commit(*store, { "a", "b", "c" }));
        }
        RawDb raw(dbPath());
        QVERIFY(raw.exec(sql.toStdString()) != SQLITE_OK);
        checkLog();
    }

    void olderDatabaseGetsItsLogFromItsEvents()
    {
        {
            auto store = openStore();
            QVERIFY(store);
            QVERIFY(commit(*store, { "a", "b", "c", "d", "e", "f", "g" }));
        }
        {
            // The file as Latch left it before the log: no log tables, schema version 3.
            RawDb raw(dbPath());
            QCOMPARE(raw.exec("DROP TABLE log_nodes; DROP TABLE checkpoints; DROP TABLE log_keys;"
                              " DELETE FROM schema_migrations WHERE version >= 4"),
                     SQLITE_OK);
        }
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), latch::store::latestSchemaVersion());
        checkLog();
        QVERIFY(commit(*store, { "h", "i" }));
        checkLog();
    }
};

QTEST_GUILESS_MAIN(AuditLogTest)
#include "auditlogtest.moc"
