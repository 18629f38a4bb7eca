#pragma once
// A real core on a real SQLite store in a temporary directory, with a clock the test moves and the
// story's people. Used by the core suites; no network.
#include "core/accounts.h"
#include "core/config.h"
#include "core/engine.h"
#include "core/service.h"
#include "latch/hashing.h"
#include "latch/ids.h"
#include "store/sqlitestore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <future>
#include <memory>

// The kinds of `events` in order ("created", "note_added", ...), for comparing timelines.
inline QStringList eventKinds(const std::vector<latch::v1::Event>& events)
{
    QStringList out;
    for (const auto& e : events)
        out << QString::fromStdString(latch::eventKindName(e));
    return out;
}

class CoreFixture {
public:
    CoreFixture() { open(); }
    // `start`: false leaves the writer stopped so a test can queue commands first.
    ~CoreFixture() { close(); }

    void open(bool start = true)
    {
        auto loaded = latch::core::parseConfig(latch::core::builtInConfigText(), "<built-in>");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.failure().message.c_str());
        // The cheapest Argon2id libsodium allows: these suites create many users, and what they
        // test is the rules, not the hash's cost.
        loaded->auth.passwordOpsLimit = 1;
        loaded->auth.passwordMemLimitBytes = 8192;
        config = std::make_shared<const latch::core::Config>(*loaded);
        auto opened = latch::store::SqliteStore::open((dir.path() + "/latch.db").toStdString());
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.failure().message.c_str());
        store = std::move(*opened);
        service = std::make_unique<latch::core::Service>(config, *store, [this] { return now.load(); });
        if (!service->accounts().findActor("mkim")) {
            addUser("mkim", "M. Kim", {"support_lead"});
            addUser("atorres", "A. Torres", {"finance"});
            addUser("jlee", "J. Lee", {"operator"});
            addUser("rpatel", "R. Patel", {"finance"});
            addUser("admin", "Administrator", {"admin"});
            addUser("chief", "C. Chief", {"admin", "finance"});
        }
        if (start)
            service->start();
    }

    void close()
    {
        if (service)
            service->stop();
        service.reset();
        store.reset();
    }

    void reopen()
    {
        close();
        open();
    }

    void addUser(const std::string& name, const std::string& display, std::vector<std::string> roles)
    {
        // The fixture's users have cheap-to-type passwords; Argon2id still hashes them.
        auto ok = service->accounts().createUser("system", name, display, roles, "password-" + name);
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.failure().message.c_str());
    }

    latch::core::Actor actor(const std::string& name)
    {
        if (name == "triage" || name == "system" || name == "intake")
            return latch::core::Actor{name, name, {}};
        auto a = service->accounts().findActor(name);
        return a ? *a : latch::core::Actor{name, name, {}};
    }

    latch::v1::CommandResult run(const std::string& who, latch::v1::Command command)
    {
        if (command.command_id().empty())
            command.set_command_id(latch::newUuid());
        return service->engine().submitAndWait(actor(who), command);
    }

    std::string createRefund(const std::string& who, std::int64_t minor = 240000,
                             const std::string& currency = "USD")
    {
        latch::v1::Command c;
        auto* cc = c.mutable_create_case();
        cc->set_type("refund");
        cc->set_title("Refund request — Acme Co order #4821");
        cc->set_customer("Acme Co");
        cc->set_order_ref("#4821");
        cc->mutable_amount()->set_minor(minor);
        cc->mutable_amount()->set_currency(currency);
        auto r = run(who, c);
        if (!r.accepted())
            qWarning("create refused: %s", r.message().c_str());
        return r.case_id();
    }

    latch::v1::CommandResult note(const std::string& who, const std::string& id, const std::string& text)
    {
        latch::v1::Command c;
        c.mutable_add_note()->set_case_id(id);
        c.mutable_add_note()->set_text(text);
        return run(who, c);
    }
    latch::v1::CommandResult ready(const std::string& who, const std::string& id)
    {
        latch::v1::Command c;
        c.mutable_mark_ready()->set_case_id(id);
        return run(who, c);
    }
    latch::v1::CommandResult approve(const std::string& who, const std::string& id)
    {
        latch::v1::Command c;
        c.mutable_approve()->set_case_id(id);
        c.mutable_approve()->set_comment("looks right");
        return run(who, c);
    }
    latch::v1::CommandResult deny(const std::string& who, const std::string& id,
                                  const std::string& reason = "not enough evidence")
    {
        latch::v1::Command c;
        c.mutable_deny()->set_case_id(id);
        c.mutable_deny()->set_reason(reason);
        return run(who, c);
    }
    latch::v1::CommandResult setAmount(const std::string& who, const std::string& id, std::int64_t minor)
    {
        latch::v1::Command c;
        c.mutable_set_fields()->set_case_id(id);
        c.mutable_set_fields()->mutable_amount()->set_minor(minor);
        c.mutable_set_fields()->mutable_amount()->set_currency("USD");
        return run(who, c);
    }

    latch::v1::Case load(const std::string& id)
    {
        auto c = store->read()->loadCase(id);
        return c ? *c : latch::v1::Case{};
    }
    std::vector<latch::v1::Event> events(const std::string& id)
    {
        return store->read()->caseEvents(id);
    }

    QTemporaryDir dir;
    std::atomic<std::int64_t> now{1'795'000'000'000}; // 2026-11-18, moved by tests
    std::shared_ptr<const latch::core::Config> config;
    std::unique_ptr<latch::store::SqliteStore> store;
    std::unique_ptr<latch::core::Service> service;
};
