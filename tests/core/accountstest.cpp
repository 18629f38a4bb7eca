// Sign-in, sessions and user administration: wrong passwords, lock-outs per user and per address,
// expiry, revocation, disabled accounts, admin-only changes and their audit trail.
#include "corefixture.h"

#include <QFile>

using namespace latch;

class AccountsTest : public QObject {
    Q_OBJECT

private:
    static v1::LoginResult login(CoreFixture& f, const std::string& user, const std::string& password,
                                 const std::string& address = "127.0.0.1")
    {
        v1::Login l;
        l.set_username(user);
        l.set_password(password);
        l.set_device("test");
        return f.service->login(l, address);
    }
    static v1::QueryResult admin(CoreFixture& f, const std::string& who, v1::AdminRequest request)
    {
        v1::Query q;
        *q.mutable_admin() = std::move(request);
        return f.service->query(f.actor(who), q);
    }

private Q_SLOTS:
    void rightAndWrongPasswords()
    {
        CoreFixture f;
        auto r = login(f, "mkim", "password-mkim");
        QVERIFY(r.ok());
        QVERIFY(r.token().size() > 40);
        auto actor = f.service->authenticate(r.token());
        QVERIFY(actor.ok());
        QCOMPARE(actor->id, std::string("mkim"));
        QCOMPARE(actor->roles, std::vector<std::string>{"support_lead"});

        r = login(f, "mkim", "wrong");
        QVERIFY(!r.ok());
        QCOMPARE(r.code(), std::string("auth.failed"));
        QVERIFY(r.token().empty());
        // An unknown user gets exactly the same answer.
        const auto unknown = login(f, "nobody", "wrong");
        QCOMPARE(unknown.code(), r.code());
        QCOMPARE(unknown.message(), r.message());
        QCOMPARE(f.service->authenticate("lt_forged").failure().code, std::string("auth.invalid"));
    }

    void tokensAreStoredOnlyHashed()
    {
        CoreFixture f;
        const auto r = login(f, "mkim", "password-mkim");
        QVERIFY(r.ok());
        f.close();
        QFile db(f.dir.path() + "/latch.db");
        QVERIFY(db.open(QIODevice::ReadOnly));
        QByteArray bytes = db.readAll();
        QFile wal(f.dir.path() + "/latch.db-wal");
        if (wal.open(QIODevice::ReadOnly))
            bytes += wal.readAll();
        QVERIFY(!bytes.contains(QByteArray::fromStdString(r.token())));
        QVERIFY(!bytes.contains("password-mkim"));
    }

    void failuresLockTheUserForAWhile()
    {
        CoreFixture f;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(login(f, "jlee", "nope").code(), std::string("auth.failed"));
        // Now even the right password is refused until the window passes.
        auto r = login(f, "jlee", "password-jlee");
        QCOMPARE(r.code(), std::string("auth.locked"));
        QVERIFY(r.message().find("try again") != std::string::npos);
        // Other users are not affected.
        QVERIFY(login(f, "mkim", "password-mkim").ok());
        f.now += 301'000;
        QVERIFY(login(f, "jlee", "password-jlee").ok());
    }

    void failuresLockTheAddress()
    {
        CoreFixture f;
        // Guessing across many user names from one address.
        for (int i = 0; i < 20; ++i)
            login(f, "user" + std::to_string(i), "guess", "10.9.8.7");
        QCOMPARE(login(f, "mkim", "password-mkim", "10.9.8.7").code(), std::string("auth.locked"));
        QVERIFY(login(f, "mkim", "password-mkim", "10.9.8.8").ok());
    }

    void sessionsExpireAndCanBeRevoked()
    {
        CoreFixture f;
        const auto a = login(f, "mkim", "password-mkim");
        const auto b = login(f, "mkim", "password-mkim");
        f.service->logout(a.token());
        QCOMPARE(f.service->authenticate(a.token()).failure().code, std::string("auth.revoked"));
        QVERIFY(f.service->authenticate(b.token()).ok()); // logout ends one session only

        v1::AdminRequest revoke;
        revoke.mutable_revoke_sessions()->set_username("mkim");
        QVERIFY(admin(f, "admin", revoke).ok());
        QCOMPARE(f.service->authenticate(b.token()).failure().code, std::string("auth.revoked"));

        const auto c = login(f, "mkim", "password-mkim");
        f.now += std::int64_t(7 * 24 + 1) * 3600 * 1000;
        QCOMPARE(f.service->authenticate(c.token()).failure().code, std::string("auth.expired"));
    }

    void adminManagesUsersAndEveryChangeIsAudited()
    {
        CoreFixture f;
        v1::AdminRequest create;
        auto* cu = create.mutable_create_user();
        cu->set_username("nsmith");
        cu->set_display_name("N. Smith");
        cu->add_roles("finance");
        cu->set_password("correct horse battery");
        // Only admins may change users.
        QCOMPARE(admin(f, "mkim", create).code(), std::string("auth.forbidden"));
        QVERIFY(admin(f, "admin", create).ok());
        QCOMPARE(admin(f, "admin", create).code(), std::string("user.exists"));
        QVERIFY(login(f, "nsmith", "correct horse battery").ok());

        v1::AdminRequest roles;
        roles.mutable_set_roles()->set_username("nsmith");
        roles.mutable_set_roles()->add_roles("superuser");
        QCOMPARE(admin(f, "admin", roles).code(), std::string("user.unknown_role"));
        roles.mutable_set_roles()->set_roles(0, "operator");
        QVERIFY(admin(f, "admin", roles).ok());
        QCOMPARE(f.actor("nsmith").roles, std::vector<std::string>{"operator"});

        v1::AdminRequest weak;
        weak.mutable_set_password()->set_username("nsmith");
        weak.mutable_set_password()->set_password("short");
        QCOMPARE(admin(f, "admin", weak).code(), std::string("user.weak_password"));

        const auto session = login(f, "nsmith", "correct horse battery");
        v1::AdminRequest disable;
        disable.mutable_set_disabled()->set_username("nsmith");
        disable.mutable_set_disabled()->set_disabled(true);
        QVERIFY(admin(f, "admin", disable).ok());
        QVERIFY(!f.service->authenticate(session.token()).ok());
        QCOMPARE(login(f, "nsmith", "correct horse battery").code(), std::string("auth.disabled"));
        // A disabled user cannot be given cases.
        const auto id = f.createRefund("mkim");
        v1::Command assign;
        assign.mutable_assign()->set_case_id(id);
        assign.mutable_assign()->set_assignee("nsmith");
        QCOMPARE(f.run("mkim", assign).code(), std::string("user.unknown"));

        v1::AdminRequest self;
        self.mutable_set_disabled()->set_username("admin");
        self.mutable_set_disabled()->set_disabled(true);
        QCOMPARE(admin(f, "admin", self).code(), std::string("user.self"));

        v1::AdminRequest audit;
        audit.mutable_list_admin_audit()->set_limit(10);
        const auto log = admin(f, "admin", audit);
        QVERIFY(log.ok());
        QStringList actions;
        for (const auto& e : log.admin().audit())
            actions << QString::fromStdString(e.action() + " " + e.target() + " by " + e.actor());
        QCOMPARE(actions.mid(0, 3), (QStringList{"user.disable nsmith by admin",
                                                 "user.roles nsmith by admin",
                                                 "user.create nsmith by admin"}));
        QCOMPARE(admin(f, "mkim", audit).code(), std::string("auth.forbidden"));
    }

    void firstStartCreatesOneAdmin()
    {
        QTemporaryDir dir;
        auto loaded = core::parseConfig(core::builtInConfigText(), "<built-in>");
        loaded->auth.passwordOpsLimit = 1;
        loaded->auth.passwordMemLimitBytes = 8192;
        auto config = std::make_shared<const core::Config>(*loaded);
        auto store = std::move(*store::SqliteStore::open((dir.path() + "/latch.db").toStdString()));
        core::Service service(config, *store);
        const auto password = service.accounts().ensureAdmin();
        QVERIFY(password.has_value());
        QVERIFY(password->size() >= 16);
        QVERIFY(!service.accounts().ensureAdmin().has_value()); // never a second one
        v1::Login l;
        l.set_username("admin");
        l.set_password(*password);
        QVERIFY(service.login(l, "127.0.0.1").ok());
    }
};

QTEST_GUILESS_MAIN(AccountsTest)
#include "accountstest.moc"
