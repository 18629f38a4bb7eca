// Who sees which case, enforced on every read and on every push: queue roles, assignment,
// eligible approvers, admins; and a case leaving someone's view turns into a Revoke.
#include "corefixture.h"
#include "latch/casefold.h"

using namespace latch;

class AccessTest : public QObject {
    Q_OBJECT

private:
    static v1::QueryResult getCase(CoreFixture& f, const std::string& who, const std::string& id)
    {
        v1::Query q;
        q.mutable_get_case()->set_case_id(id);
        return f.service->query(f.actor(who), q);
    }
    static QStringList listed(CoreFixture& f, const std::string& who)
    {
        v1::Query q;
        q.mutable_list_cases();
        QStringList out;
        const auto result = f.service->query(f.actor(who), q);
        for (const auto& c : result.cases())
            out << QString::fromStdString(c.id());
        return out;
    }

private Q_SLOTS:
    void queuesDecideWhoSees()
    {
        CoreFixture f;
        const auto refund = f.createRefund("jlee");
        v1::Command c;
        c.mutable_create_case()->set_type("vendor_bank_change");
        c.mutable_create_case()->set_title("Vendor bank change");
        const auto vendor = f.run("atorres", c).case_id();

        // The refund is in the support queue: operators and support leads see it, finance doesn't.
        QVERIFY(getCase(f, "mkim", refund).ok());
        QVERIFY(!getCase(f, "rpatel", refund).ok());
        QCOMPARE(getCase(f, "rpatel", refund).code(), std::string("case.not_found"));
        // The vendor change is in the finance queue.
        QVERIFY(getCase(f, "rpatel", vendor).ok());
        QVERIFY(!getCase(f, "jlee", vendor).ok());
        QVERIFY(getCase(f, "admin", vendor).ok());
        QVERIFY(listed(f, "jlee").contains(QString::fromStdString(refund)));
        QVERIFY(!listed(f, "jlee").contains(QString::fromStdString(vendor)));

        // Commands on a case you cannot see act as if it did not exist, and change nothing.
        const auto version = f.load(vendor).version();
        QCOMPARE(f.note("jlee", vendor, "peek").code(), std::string("case.not_found"));
        QCOMPARE(f.load(vendor).version(), version);

        // Assignment brings a case into view.
        v1::Command assign;
        assign.mutable_assign()->set_case_id(vendor);
        assign.mutable_assign()->set_assignee("jlee");
        QVERIFY(f.run("atorres", assign).accepted());
        QVERIFY(getCase(f, "jlee", vendor).ok());
    }

    void eligibleApproversSeeWhatAwaitsThem()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QVERIFY(!getCase(f, "rpatel", id).ok());
        QVERIFY(f.ready("mkim", id).accepted());
        QVERIFY(getCase(f, "rpatel", id).ok()); // finance may approve it now
        QVERIFY(f.approve("atorres", id).accepted());
        QVERIFY(!getCase(f, "rpatel", id).ok()); // nothing left for rpatel to do
        QVERIFY(getCase(f, "atorres", id).ok()); // whoever approved keeps seeing the case
    }

    void pushesFollowVisibility()
    {
        CoreFixture f;
        std::mutex mutex;
        std::vector<std::shared_ptr<const core::CommittedBatch>> batches;
        f.service->addListener([&](const std::shared_ptr<const core::CommittedBatch>& b) {
            std::lock_guard lock(mutex);
            batches.push_back(b);
        });
        const auto id = f.createRefund("mkim");
        QVERIFY(f.ready("mkim", id).accepted());
        QVERIFY(f.approve("atorres", id).accepted());
        QVERIFY(f.note("mkim", id, "approved, thanks").accepted());

        std::lock_guard lock(mutex);
        QCOMPARE(batches.size(), std::size_t(4));
        const auto rpatel = f.actor("rpatel");
        // Created: not rpatel's business.
        QVERIFY(f.service->updateFor(rpatel, *batches[0]).empty());
        // Marked ready: rpatel may approve it now, so the whole case arrives.
        auto u = f.service->updateFor(rpatel, *batches[1]);
        QCOMPARE(u.batch.cases_size(), 1);
        QCOMPARE(u.batch.cases(0).events_size(), 2);
        QCOMPARE(u.batch.cases(0).case_().id(), id);
        // Approved by someone else: it leaves rpatel's view as a Revoke.
        u = f.service->updateFor(rpatel, *batches[2]);
        QCOMPARE(u.revokes.size(), std::size_t(1));
        QCOMPARE(u.revokes[0].case_id(), id);
        QCOMPARE(u.batch.events_size(), 0);
        // Later events on it are not pushed to rpatel at all.
        QVERIFY(f.service->updateFor(rpatel, *batches[3]).empty());
        // The support lead gets every event, one by one.
        u = f.service->updateFor(f.actor("mkim"), *batches[3]);
        QCOMPARE(u.batch.events_size(), 1);
        QCOMPARE(u.batch.events(0).note_added().text(), std::string("approved, thanks"));
    }

    void snapshotAndCatchUp()
    {
        CoreFixture f;
        const auto a = f.createRefund("mkim");
        const auto b = f.createRefund("mkim");
        std::vector<v1::SnapshotPage> pages;
        const auto mkim = f.actor("mkim");
        const auto head = f.service->snapshot(mkim, 0, [&](v1::SnapshotPage&& p) { pages.push_back(p); });
        QCOMPARE(head, f.store->headSeq());
        QVERIFY(pages.front().reset());
        QVERIFY(pages.back().last());
        QCOMPARE(pages.back().upto_seq(), head);
        int cases = 0;
        for (const auto& p : pages)
            cases += p.cases_size();
        QCOMPARE(cases, 2);

        // Catch-up from the cursor: only what changed, and nothing from before.
        QVERIFY(f.note("mkim", b, "new").accepted());
        pages.clear();
        f.service->snapshot(mkim, head, [&](v1::SnapshotPage&& p) { pages.push_back(p); });
        QCOMPARE(pages.size(), std::size_t(1));
        QVERIFY(!pages[0].reset());
        QCOMPARE(pages[0].cases_size(), 1);
        QCOMPARE(pages[0].cases(0).case_().id(), b);
        Q_UNUSED(a);

        // A case that left the user's view while away comes back as revoked.
        QVERIFY(f.ready("mkim", b).accepted());
        const auto cursor = f.store->headSeq();
        const auto rpatel = f.actor("rpatel");
        QVERIFY(f.approve("atorres", b).accepted());
        pages.clear();
        f.service->snapshot(rpatel, cursor, [&](v1::SnapshotPage&& p) { pages.push_back(p); });
        QCOMPARE(pages[0].revoked_size(), 1);
        QCOMPARE(pages[0].revoked(0), b);
    }

    void snapshotPagesAreBounded()
    {
        CoreFixture f;
        for (int i = 0; i < 60; ++i) {
            const auto id = f.createRefund("mkim");
            f.note("mkim", id, std::string(9000, 'x')); // ~9 KB per case, ~540 KB in all
        }
        std::vector<v1::SnapshotPage> pages;
        f.service->snapshot(f.actor("mkim"), 0, [&](v1::SnapshotPage&& p) { pages.push_back(p); });
        QVERIFY(pages.size() >= 2);
        int cases = 0;
        for (const auto& p : pages) {
            QVERIFY(p.ByteSizeLong() <= f.config->limits.snapshotPageBytes + 8192);
            cases += p.cases_size();
        }
        QCOMPARE(cases, 60);
    }
};

QTEST_GUILESS_MAIN(AccessTest)
#include "accesstest.moc"
