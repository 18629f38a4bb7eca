// The core against a real SQLite store: the story, the state machine, idempotency (also across a
// restart), voided approvals and group commit.
#include "corefixture.h"
#include "latch/casefold.h"
#include "latch/hashing.h"

using namespace latch;

class EngineTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void story()
    {
        CoreFixture f;
        f.now = 1'795'000'000'000;
        const auto id = f.createRefund("mkim");
        QVERIFY(!id.empty());
        f.now += 4 * 60'000;
        QVERIFY(f.note("mkim", id, "Verified — product defect confirmed by warehouse").accepted());
        auto r = f.ready("mkim", id);
        QVERIFY(r.accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_AWAITING_APPROVAL);
        QCOMPARE(f.load(id).rule(), std::string("refund-above-threshold"));

        // The preparer cannot approve her own case, and the refusal is on the case.
        r = f.approve("mkim", id);
        QVERIFY(!r.accepted());
        QCOMPARE(r.code(), std::string("approval.self_approval"));
        QCOMPARE(r.seqs_size(), 1);
        // An operator without the finance role cannot either.
        r = f.approve("jlee", id);
        QCOMPARE(r.code(), std::string("approval.role"));
        // Nor an administrator: there is no bypass.
        r = f.approve("admin", id);
        QCOMPARE(r.code(), std::string("approval.role"));
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_AWAITING_APPROVAL);

        f.now += 4 * 60'000;
        r = f.approve("atorres", id);
        QVERIFY2(r.accepted(), r.message().c_str());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_APPROVED);

        auto events = f.events(id);
        QCOMPARE(eventKinds(events), (QStringList{"created", "note_added", "marked_ready",
                                             "attempt_blocked", "attempt_blocked",
                                             "attempt_blocked", "approval_granted"}));
        QCOMPARE(events[3].actor(), std::string("mkim"));
        QCOMPARE(events[4].actor(), std::string("jlee"));
        QCOMPARE(events[5].actor(), std::string("admin"));
        QCOMPARE(events[4].attempt_blocked().rule(), std::string("refund-above-threshold"));
        QCOMPARE(events[6].actor(), std::string("atorres"));
        for (std::size_t i = 1; i < events.size(); ++i)
            QVERIFY(events[i].time_ms() >= events[i - 1].time_ms());

        auto check = f.service->query(f.actor("mkim"), [&] {
            v1::Query q;
            q.mutable_check_rules()->set_case_id(id);
            return q;
        }());
        QVERIFY(check.ok());
        QVERIFY(check.rule_check().satisfied());
        QCOMPARE(check.rule_check().allowed_actions_size(), 1);
        QCOMPARE(check.rule_check().allowed_actions(0), std::string("stripe.refund"));

        // The amount changes: the approval is void and the case is back in review, saying why.
        r = f.setAmount("mkim", id, 260000);
        QVERIFY(r.accepted());
        QCOMPARE(r.seqs_size(), 2);
        const auto c = f.load(id);
        QCOMPARE(c.status(), v1::CASE_STATUS_IN_REVIEW);
        QCOMPARE(c.approvals_size(), 0);
        events = f.events(id);
        const auto& voided = events.back();
        QCOMPARE(QString::fromStdString(eventKindName(voided)), QStringLiteral("approvals_voided"));
        const QString reason = QString::fromStdString(voided.approvals_voided().reason());
        QVERIFY2(reason.contains("amount changed from 2,400.00 USD to 2,600.00 USD"), qPrintable(reason));
        QVERIFY2(reason.contains("A. Torres"), qPrintable(reason));
        QVERIFY(reason.contains("back in review"));
        check = f.service->query(f.actor("mkim"), [&] {
            v1::Query q;
            q.mutable_check_rules()->set_case_id(id);
            return q;
        }());
        QCOMPARE(check.rule_check().allowed_actions_size(), 0);
        QVERIFY(!check.rule_check().satisfied());
    }

    void stateMachine_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("expected"); // "" = accepted, else the refusal code

        const QStringList statuses{"in_review", "awaiting_approval", "approved", "denied", "closed"};
        struct Row { const char* command; const char* codes[5]; };
        const Row rows[] = {
            {"note", {"", "", "", "", "case.closed"}},
            {"title", {"", "", "", "", "case.closed"}},
            {"assign", {"", "", "", "", "case.closed"}},
            {"ready", {"", "case.not_in_review", "case.not_in_review", "case.not_in_review",
                       "case.not_in_review"}},
            {"approve", {"approval.not_awaiting", "", "approval.not_awaiting",
                         "approval.not_awaiting", "approval.not_awaiting"}},
            {"deny", {"approval.not_awaiting", "", "approval.not_awaiting", "approval.not_awaiting",
                      "approval.not_awaiting"}},
            {"close", {"", "", "", "", "case.closed"}},
            {"reopen", {"case.not_closed", "case.not_closed", "case.not_closed", "", ""}},
        };
        for (const auto& row : rows) {
            for (int s = 0; s < statuses.size(); ++s) {
                QTest::addRow("%s in %s", row.command, qPrintable(statuses[s]))
                    << statuses[s] << row.command << row.codes[s];
            }
        }
    }

    void stateMachine()
    {
        QFETCH(QString, status);
        QFETCH(QString, command);
        QFETCH(QString, expected);
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        if (status != "in_review")
            QVERIFY(f.ready("mkim", id).accepted());
        if (status == "approved")
            QVERIFY(f.approve("atorres", id).accepted());
        if (status == "denied")
            QVERIFY(f.deny("atorres", id).accepted());
        if (status == "closed") {
            v1::Command c;
            c.mutable_close()->set_case_id(id);
            QVERIFY(f.run("mkim", c).accepted());
        }
        QCOMPARE(QString::fromStdString(latch::statusName(f.load(id).status())), status);

        v1::Command c;
        std::string who = "mkim";
        if (command == "note") {
            c.mutable_add_note()->set_case_id(id);
            c.mutable_add_note()->set_text("checked");
        } else if (command == "title") {
            c.mutable_set_fields()->set_case_id(id);
            c.mutable_set_fields()->set_title("New title");
        } else if (command == "assign") {
            c.mutable_assign()->set_case_id(id);
            c.mutable_assign()->set_assignee("jlee");
        } else if (command == "ready") {
            c.mutable_mark_ready()->set_case_id(id);
        } else if (command == "approve") {
            c.mutable_approve()->set_case_id(id);
            who = "rpatel";
        } else if (command == "deny") {
            c.mutable_deny()->set_case_id(id);
            c.mutable_deny()->set_reason("no");
            who = "rpatel";
        } else if (command == "close") {
            c.mutable_close()->set_case_id(id);
        } else if (command == "reopen") {
            c.mutable_reopen()->set_case_id(id);
        }
        const auto before = f.load(id);
        const auto r = f.run(who, c);
        QCOMPARE(QString::fromStdString(r.code()), expected);
        QCOMPARE(r.accepted(), expected.isEmpty());
        if (!expected.isEmpty() && !expected.startsWith("approval."))
            QCOMPARE(f.load(id).version(), before.version()); // a refusal changes nothing
    }

    void replayReturnsFirstResultAlsoAfterRestart()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        v1::Command c;
        c.set_command_id(newUuid());
        c.mutable_add_note()->set_case_id(id);
        c.mutable_add_note()->set_text("first");
        const auto first = f.run("mkim", c);
        QVERIFY(first.accepted());
        QVERIFY(!first.replayed());
        const auto head = f.store->headSeq();

        auto again = f.run("mkim", c);
        QVERIFY(again.replayed());
        QCOMPARE(again.seqs_size(), 1);
        QCOMPARE(again.seqs(0), first.seqs(0));
        QCOMPARE(f.store->headSeq(), head);

        // Someone else reusing the id is refused, not given another user's result.
        auto stolen = f.run("jlee", c);
        QCOMPARE(stolen.code(), std::string("command.id_reused"));
        // So is the same person sending a different command under the id: it is never dropped
        // silently behind the first command's result.
        v1::Command other = c;
        other.mutable_add_note()->set_text("second thoughts");
        QCOMPARE(f.run("mkim", other).code(), std::string("command.id_reused"));
        QCOMPARE(f.store->headSeq(), head);

        f.reopen();
        QCOMPARE(f.run("mkim", other).code(), std::string("command.id_reused"));
        again = f.run("mkim", c);
        QVERIFY(again.replayed());
        QCOMPARE(again.seqs(0), first.seqs(0));
        QCOMPARE(f.store->headSeq(), head);
        QCOMPARE(f.events(id).size(), std::size_t(2));

        // A refusal is replayed too, and appends nothing the second time.
        v1::Command self;
        self.set_command_id(newUuid());
        self.mutable_approve()->set_case_id(id);
        QCOMPARE(f.run("mkim", self).code(), std::string("approval.not_awaiting"));
        const auto count = f.events(id).size();
        QCOMPARE(f.run("mkim", self).code(), std::string("approval.not_awaiting"));
        QCOMPARE(f.events(id).size(), count);
    }

    void groupCommitWritesQueuedCommandsInOneTransaction()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        // Queue 200 commands while the writer is not running; when it starts it must decide and
        // store all of them in one transaction.
        f.close();
        f.open(false);
        std::vector<std::future<v1::CommandResult>> futures;
        for (int i = 0; i < 200; ++i) {
            v1::Command c;
            c.set_command_id(newUuid());
            c.mutable_add_note()->set_case_id(id);
            c.mutable_add_note()->set_text("note " + std::to_string(i));
            auto promise = std::make_shared<std::promise<v1::CommandResult>>();
            futures.push_back(promise->get_future());
            f.service->submit(f.actor("mkim"), c,
                              [promise](const v1::CommandResult& r) { promise->set_value(r); });
        }
        f.service->start();
        std::uint64_t last = 0;
        for (auto& fut : futures) {
            const auto r = fut.get();
            QVERIFY(r.accepted());
            QVERIFY(r.seqs(0) > last); // seqs follow submission order
            last = r.seqs(0);
        }
        QCOMPARE(f.service->engine().batchesCommitted(), std::uint64_t(1));
        QCOMPARE(f.service->engine().maxBatch(), std::uint64_t(200));
        QCOMPARE(f.events(id).size(), std::size_t(201));

        // After stop, new commands are refused with a clear reason, not lost silently.
        f.service->stop();
        QCOMPARE(f.note("mkim", id, "too late").code(), std::string("server.stopping"));
    }

    void seqsAreDenseAndChainsIntact()
    {
        CoreFixture f;
        std::vector<std::string> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(f.createRefund(i % 2 ? "mkim" : "jlee", 100000 + i * 50000));
        for (const auto& id : ids) {
            f.note("mkim", id, "checked");
            f.ready("mkim", id);
            f.approve("mkim", id);
            f.approve("rpatel", id);
        }
        auto view = f.store->read();
        const auto all = view->eventsAfter(0, 10'000);
        QCOMPARE(all.size(), std::size_t(view->headSeq()));
        for (std::size_t i = 0; i < all.size(); ++i)
            QCOMPARE(all[i].seq(), std::uint64_t(i + 1));
        for (const auto& id : ids) {
            const auto problems = verifyCaseChain(view->caseEvents(id));
            QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().message.c_str());
        }
    }

    void serviceActorsCannotApprove()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QVERIFY(f.ready("mkim", id).accepted());
        const auto r = f.approve("triage", id);
        QVERIFY(!r.accepted());
        QCOMPARE(r.code(), std::string("approval.not_person"));
        QCOMPARE(QString::fromStdString(eventKindName(f.events(id).back())),
                 QStringLiteral("attempt_blocked"));
    }

    void adminWithFinanceRoleStillCannotApproveOwnCase()
    {
        CoreFixture f;
        const auto id = f.createRefund("chief");
        QVERIFY(f.ready("chief", id).accepted());
        QCOMPARE(f.approve("chief", id).code(), std::string("approval.self_approval"));
        QVERIFY(f.approve("atorres", id).accepted());
    }

    void gatedActionIsRefusedAndRecordedUntilApproved()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        auto runAction = [&](const std::string& who, const std::string& action) {
            v1::Command c;
            c.mutable_request_action()->set_case_id(id);
            c.mutable_request_action()->set_action(action);
            return f.run(who, c);
        };
        // In review, and again while awaiting approval: the gate holds, and each try is recorded.
        auto r = runAction("mkim", "stripe.refund");
        QCOMPARE(r.code(), std::string("action.gated"));
        QVERIFY2(r.message().find("refund-above-threshold") != std::string::npos, r.message().c_str());
        auto last = f.events(id).back();
        QVERIFY(last.has_attempt_blocked());
        QCOMPARE(last.actor(), std::string("mkim"));
        QCOMPARE(last.attempt_blocked().command(), std::string("action:stripe.refund"));
        QCOMPARE(last.attempt_blocked().rule(), std::string("refund-above-threshold"));
        QCOMPARE(last.attempt_blocked().code(), std::string("action.gated"));
        QVERIFY(f.ready("mkim", id).accepted());
        // Admins are held by the gate like everyone else.
        QCOMPARE(runAction("admin", "stripe.refund").code(), std::string("action.gated"));
        QCOMPARE(f.events(id).back().actor(), std::string("admin"));
        const auto blockedBefore = f.events(id).size();

        // Approved: the gate opens. No plugin offers the action here, so nothing runs and
        // nothing is recorded.
        QVERIFY(f.approve("atorres", id).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_APPROVED);
        const auto approvedEvents = f.events(id).size();
        QCOMPARE(approvedEvents, blockedBefore + 1);
        r = runAction("mkim", "stripe.refund");
        QCOMPARE(r.code(), std::string("action.unavailable"));
        QCOMPARE(f.events(id).size(), approvedEvents);

        // An action no rule gates is not blocked; a nameless one is bad input.
        QCOMPARE(runAction("mkim", "slack.notify").code(), std::string("action.unavailable"));
        QCOMPARE(runAction("mkim", "").code(), std::string("action.bad_name"));
        QCOMPARE(f.events(id).size(), approvedEvents);

        // A change to a free field (the charge to refund) voids the approval: gated again.
        v1::Command set;
        set.mutable_set_fields()->set_case_id(id);
        auto* field = set.mutable_set_fields()->add_set_fields();
        field->set_key("payment_intent");
        field->set_value("pi_3Other");
        QVERIFY(f.run("mkim", set).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_IN_REVIEW);
        QVERIFY(f.events(id).back().has_approvals_voided());
        QVERIFY(f.events(id).back().approvals_voided().reason().find("payment_intent")
                != std::string::npos);
        QCOMPARE(runAction("mkim", "stripe.refund").code(), std::string("action.gated"));

        // A user who cannot see the case learns nothing about it.
        v1::Command other;
        other.mutable_request_action()->set_case_id(latch::newUuid());
        other.mutable_request_action()->set_action("stripe.refund");
        QCOMPARE(f.run("mkim", other).code(), std::string("case.not_found"));
    }

    void twoStageRuleRunsInOrder()
    {
        CoreFixture f;
        v1::Command c;
        c.mutable_create_case()->set_type("vendor_bank_change");
        c.mutable_create_case()->set_title("Vendor bank details change");
        c.mutable_create_case()->set_customer("Initech Supplies");
        const auto id = f.run("mkim", c).case_id();
        QVERIFY(f.ready("mkim", id).accepted());
        auto r = f.approve("admin", id); // stage 2 role before stage 1 is done
        QCOMPARE(r.code(), std::string("approval.role"));
        QVERIFY(f.approve("atorres", id).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_AWAITING_APPROVAL);
        // One person cannot fill two stages, even holding both roles.
        QVERIFY(f.approve("chief", id).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_APPROVED);
    }

    void denyNeedsAnEligibleApprover()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QVERIFY(f.ready("mkim", id).accepted());
        QCOMPARE(f.deny("jlee", id).code(), std::string("approval.role"));
        QCOMPARE(f.deny("atorres", id, "").code(), std::string("case.reason_required"));
        QVERIFY(f.deny("atorres", id).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_DENIED);
        v1::Command reopen;
        reopen.mutable_reopen()->set_case_id(id);
        QVERIFY(f.run("mkim", reopen).accepted());
        QCOMPARE(f.load(id).status(), v1::CASE_STATUS_IN_REVIEW);
    }

    void badInputIsRefusedAndStoresNothing_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty title") << "title" << "case.bad_title";
        QTest::newRow("unknown currency") << "currency" << "case.bad_amount";
        QTest::newRow("unknown queue") << "queue" << "case.bad_queue";
        QTest::newRow("bad client id") << "id" << "case.bad_id";
        QTest::newRow("no command id") << "cmdid" << "command.bad_id";
        QTest::newRow("empty command") << "empty" << "command.unknown";
    }

    void badInputIsRefusedAndStoresNothing()
    {
        QFETCH(QString, what);
        QFETCH(QString, code);
        CoreFixture f;
        v1::Command c;
        c.set_command_id(newUuid());
        auto* cc = c.mutable_create_case();
        cc->set_type("refund");
        cc->set_title("A refund");
        if (what == "title")
            cc->set_title("");
        if (what == "currency") {
            cc->mutable_amount()->set_minor(100);
            cc->mutable_amount()->set_currency("XQZ");
        }
        if (what == "queue")
            cc->set_queue("nowhere");
        if (what == "id")
            cc->set_case_id("not-a-uuid");
        if (what == "cmdid")
            c.set_command_id("");
        if (what == "empty")
            c.clear_kind();
        const auto head = f.store->headSeq();
        const auto r = f.service->engine().submitAndWait(f.actor("mkim"), c);
        QVERIFY(!r.accepted());
        QCOMPARE(QString::fromStdString(r.code()), code);
        QVERIFY(!r.message().empty());
        QCOMPARE(f.store->headSeq(), head);
    }
};

QTEST_GUILESS_MAIN(EngineTest)
#include "enginetest.moc"
