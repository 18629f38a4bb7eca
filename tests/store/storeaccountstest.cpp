// Accounts in the SQLite store: users, sessions and their revocation, and the admin audit, which
// the database keeps append-only like the events.
#include "latch.pb.h"
#include "store/sqlitestore.h"
#include "storefixture.h"

#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <sqlite3.h>
#include <string>

using latch::core::SessionRecord;
using latch::core::UserRecord;
using latch::store::SqliteStore;
using storetest::RawDb;
using storetest::userRecord;
namespace v1 = latch::v1;

class StoreAccountsTest : public QObject {
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

    void usersRoundTrip()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->insertUser(userRecord("bob", { "finance" })).ok());
        QVERIFY(store->insertUser(userRecord("alice", { "ops", "admin" })).ok());

        auto alice = store->findUser("alice");
        QVERIFY(alice.has_value());
        QCOMPARE(alice->user.SerializeAsString(),
            userRecord("alice", { "ops", "admin" }).user.SerializeAsString());
        QCOMPARE(alice->passwordHash, userRecord("alice", {}).passwordHash);
        QVERIFY(!store->findUser("carol").has_value());

        const auto users = store->listUsers();
        QCOMPARE(users.size(), 2u);
        QCOMPARE(users[0].user.username(), std::string("alice"));
        QCOMPARE(users[1].user.username(), std::string("bob"));

        auto duplicate = store->insertUser(userRecord("alice", { "finance" }));
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.failure().code, std::string("user.exists"));
        QCOMPARE(store->findUser("alice")->user.roles_size(), 2); // the first one is untouched

        UserRecord changed = userRecord("alice", { "finance" });
        changed.user.set_disabled(true);
        changed.passwordHash = "new-hash";
        QVERIFY(store->updateUser(changed).ok());
        alice = store->findUser("alice");
        QVERIFY(alice->user.disabled());
        QCOMPARE(alice->user.roles_size(), 1);
        QCOMPARE(alice->passwordHash, std::string("new-hash"));

        auto unknown = store->updateUser(userRecord("carol", {}));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.failure().code, std::string("user.unknown"));
        QVERIFY(!store->findUser("carol").has_value());

        auto nameless = store->insertUser(UserRecord {});
        QVERIFY(!nameless.ok());
        QCOMPARE(nameless.failure().code, std::string("user.invalid"));
    }

    void sessionsAndRevocation()
    {
        auto store = openStore();
        QVERIFY(store);
        QVERIFY(store->insertUser(userRecord("alice", {})).ok());
        QVERIFY(store->insertUser(userRecord("bob", {})).ok());
        const auto session = [](const char* token, const char* user) {
            return SessionRecord { token, user, "laptop", 1000, 2000, false };
        };
        QVERIFY(store->insertSession(session("t-a1", "alice")).ok());
        QVERIFY(store->insertSession(session("t-a2", "alice")).ok());
        QVERIFY(store->insertSession(session("t-b1", "bob")).ok());

        auto found = store->findSession("t-a1");
        QVERIFY(found.has_value());
        QCOMPARE(found->username, std::string("alice"));
        QCOMPARE(found->device, std::string("laptop"));
        QCOMPARE(found->createdMs, std::int64_t { 1000 });
        QCOMPARE(found->expiresMs, std::int64_t { 2000 });
        QVERIFY(!found->revoked);
        QVERIFY(!store->findSession("t-none").has_value());

        store->revokeSessions("alice");
        QVERIFY(store->findSession("t-a1")->revoked);
        QVERIFY(store->findSession("t-a2")->revoked);
        QVERIFY(!store->findSession("t-b1")->revoked);

        store->revokeSession("t-b1");
        QVERIFY(store->findSession("t-b1")->revoked);

        auto orphan = store->insertSession(session("t-x", "nobody"));
        QVERIFY(!orphan.ok());
        QCOMPARE(orphan.failure().code, std::string("user.unknown"));
    }

    void adminAuditNewestFirst()
    {
        auto store = openStore();
        QVERIFY(store);
        for (const char* action : { "create_user", "set_roles", "revoke_sessions" }) {
            v1::AdminAuditEntry entry;
            entry.set_id(999); // the store assigns ids
            entry.set_time_ms(1000);
            entry.set_actor("root");
            entry.set_action(action);
            entry.set_target("alice");
            entry.set_detail("roles: ops");
            store->appendAdminAudit(entry);
        }
        const auto all = store->adminAudit(0);
        QCOMPARE(all.size(), 3u);
        QCOMPARE(all[0].action(), std::string("revoke_sessions"));
        QCOMPARE(all[2].action(), std::string("create_user"));
        QVERIFY(all[0].id() > all[1].id() && all[1].id() > all[2].id());
        QVERIFY(all[2].id() != 999u);
        QCOMPARE(all[1].actor(), std::string("root"));
        QCOMPARE(all[1].detail(), std::string("roles: ops"));

        const auto newest = store->adminAudit(2);
        QCOMPARE(newest.size(), 2u);
        QCOMPARE(newest[0].action(), std::string("revoke_sessions"));

        RawDb raw(dbPath());
        QCOMPARE(raw.exec("DELETE FROM admin_audit"), SQLITE_CONSTRAINT);
        QCOMPARE(store->adminAudit(0).size(), 3u);
    }
};

QTEST_GUILESS_MAIN(StoreAccountsTest)
#include "storeaccountstest.moc"
