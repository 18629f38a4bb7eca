// Intake and triage through the core, on a real SQLite store: a delivery opens a case or joins the
// one it belongs to, the same delivery twice never makes two cases (also across a restart), and
// triage only ever suggests: a person's decision changes the case, and triage cannot approve,
// deny or run actions.
#include "corefixture.h"
#include "latch/casefold.h"
#include "latch/hashing.h"

using namespace latch;

class IntakeTest : public QObject {
    Q_OBJECT

private:
    static v1::Command delivery(const std::string& key, std::vector<std::string> threads,
                                const std::string& channel = "email")
    {
        v1::Command c;
        c.set_command_id(newUuid());
        auto* in = c.mutable_intake();
        in->set_delivery_key(channel + ":support:" + key);
        for (auto& t : threads)
            in->add_thread_keys(t);
        in->set_join_closed(channel == "email");
        in->mutable_create()->set_title("Refund please");
        in->mutable_create()->set_description("please refund $2,400 for order #4821, Acme Co");
        auto* r = in->mutable_received();
        r->set_channel(channel);
        r->set_source("support");
        r->set_delivery_id(key);
        r->set_summary("Refund please");
        r->set_text("please refund $2,400 for order #4821, Acme Co");
        auto* ev = r->add_evidence();
        ev->set_name("message.eml");
        ev->set_content_type("message/rfc822");
        ev->set_data("From: a@acme.example\r\n\r\nplease refund");
        ev->set_size(ev->data().size());
        ev->set_sha256(digestBytes(sha256(ev->data())));
        ev->set_kept(true);
        return c;
    }

    static v1::Command suggestion(const std::string& caseId, const std::string& type)
    {
        v1::Command c;
        c.set_command_id(newUuid());
        c.mutable_record_triage()->set_case_id(caseId);
        auto* s = c.mutable_record_triage()->mutable_suggestion();
        s->set_model("fasttext");
        s->set_model_version("abc123");
        s->set_type(type);
        s->set_confidence(0.93);
        s->set_priority("high");
        s->set_rule("refund-above-threshold");
        auto* score = s->add_scores();
        score->set_type(type);
        score->set_score(0.93);
        for (auto [k, v] : {std::pair{"amount", "2,400.00 USD"}, {"customer", "Acme Co"},
                            {"order", "4821"}}) {
            auto* f = s->add_extracted();
            f->set_key(k);
            f->set_value(v);
        }
        return c;
    }

    static v1::Command answer(const std::string& caseId, bool accept, const std::string& type = {})
    {
        v1::Command c;
        c.set_command_id(newUuid());
        c.mutable_decide_triage()->set_case_id(caseId);
        c.mutable_decide_triage()->set_accept(accept);
        c.mutable_decide_triage()->set_type(type);
        return c;
    }


private Q_SLOTS:
    void deliveryOpensCaseWithEvidence()
    {
        CoreFixture f;
        const auto r = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1@acme.example", {"msg:m1@acme.example"}));
        QVERIFY2(r.accepted(), r.message().c_str());
        const auto c = f.load(r.case_id());
        QCOMPARE(c.channel(), std::string("email"));
        QCOMPARE(c.deliveries(), 1u);
        QCOMPARE(c.requester(), std::string("intake"));
        QCOMPARE(c.status(), v1::CASE_STATUS_IN_REVIEW);
        const auto events = f.events(r.case_id());
        QCOMPARE(eventKinds(events), (QStringList{"created", "intake_received"}));
        const auto& evidence = events[1].intake_received().evidence(0);
        QCOMPARE(evidence.sha256(), digestBytes(sha256(evidence.data())));
    }

    void sameDeliveryTwiceMakesOneCase()
    {
        CoreFixture f;
        const auto first = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1@acme.example", {"msg:m1@acme.example"}));
        QVERIFY(first.accepted());
        const auto head = f.store->headSeq();
        // Another command id (a fresh HTTP request), the same delivery.
        auto again = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1@acme.example", {"msg:m1@acme.example"}));
        QVERIFY(again.accepted());
        QVERIFY(again.replayed());
        QCOMPARE(again.code(), std::string("intake.duplicate"));
        QCOMPARE(again.case_id(), first.case_id());
        QCOMPARE(f.store->headSeq(), head);
        // Still true after a restart: the key is stored with the case.
        f.reopen();
        again = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1@acme.example", {"msg:m1@acme.example"}));
        QCOMPARE(again.case_id(), first.case_id());
        QCOMPARE(f.store->headSeq(), head);
        QCOMPARE(f.store->read()->caseCount(), 1u);
    }

    void duplicatesInOneBatchMakeOneCase()
    {
        CoreFixture f;
        f.close();
        f.open(false); // queue both before the writer runs: one group commit
        std::vector<std::future<v1::CommandResult>> results;
        for (int i = 0; i < 2; ++i) {
            auto p = std::make_shared<std::promise<v1::CommandResult>>();
            results.push_back(p->get_future());
            f.service->engine().submit(f.actor("intake"), delivery("dup", {"msg:dup"}),
                                       [p](const v1::CommandResult& r) { p->set_value(r); });
        }
        f.service->start();
        const auto a = results[0].get();
        const auto b = results[1].get();
        QVERIFY(a.accepted() && b.accepted());
        QCOMPARE(a.case_id(), b.case_id());
        QVERIFY(b.replayed());
        QCOMPARE(f.store->read()->caseCount(), 1u);
    }

    void replyJoinsTheCaseEvenWhenClosed()
    {
        CoreFixture f;
        const auto first = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1", {"msg:m1"}));
        v1::Command close;
        close.mutable_close()->set_case_id(first.case_id());
        QVERIFY(f.run("mkim", close).accepted());
        // A reply names the first message in In-Reply-To.
        const auto reply = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m2", {"msg:m2", "msg:m1"}));
        QVERIFY(reply.accepted());
        QCOMPARE(reply.case_id(), first.case_id());
        QCOMPARE(f.load(first.case_id()).deliveries(), 2u);
        // And a reply to the reply finds it through the key the reply registered.
        const auto third = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m3", {"msg:m3", "msg:m2"}));
        QCOMPARE(third.case_id(), first.case_id());
    }

    void repeatedAlertJoinsOnlyAnOpenCase()
    {
        CoreFixture f;
        const auto first = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("n1", {"alert:fp1"}, "alertmanager"));
        QVERIFY(first.accepted());
        const auto repeat = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("n2", {"alert:fp1"}, "alertmanager"));
        QCOMPARE(repeat.case_id(), first.case_id());
        v1::Command close;
        close.mutable_close()->set_case_id(first.case_id());
        QVERIFY(f.run("mkim", close).accepted());
        // Firing again after the case was closed is a new incident: a new case takes the key.
        const auto later = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("n3", {"alert:fp1"}, "alertmanager"));
        QVERIFY(later.accepted());
        QVERIFY(later.case_id() != first.case_id());
        const auto again = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("n4", {"alert:fp1"}, "alertmanager"));
        QCOMPARE(again.case_id(), later.case_id());
    }

    void onlyIntakeRecordsDeliveries()
    {
        CoreFixture f;
        for (const char* who : {"mkim", "triage", "system"}) {
            const auto r = f.run(who, delivery(std::string("x-") + who, {}));
            QVERIFY(!r.accepted());
            QCOMPARE(r.code(), std::string("command.not_allowed"));
        }
        QCOMPARE(f.store->read()->caseCount(), 0u);
    }

    void badDeliveryChangesNothing()
    {
        CoreFixture f;
        auto c = delivery("", {});
        c.mutable_intake()->set_delivery_key("");
        auto r = f.service->engine().submitAndWait(f.actor("intake"), c);
        QCOMPARE(r.code(), std::string("intake.bad_delivery"));
        c = delivery("t", {});
        c.mutable_intake()->mutable_create()->set_title("");
        r = f.service->engine().submitAndWait(f.actor("intake"), c);
        QCOMPARE(r.code(), std::string("case.bad_title"));
        QCOMPARE(f.store->headSeq(), 0u);
        // Refused deliveries register no key: the same delivery, fixed, opens its case.
        c.mutable_intake()->mutable_create()->set_title("Fixed");
        c.set_command_id(newUuid());
        QVERIFY(f.service->engine().submitAndWait(f.actor("intake"), c).accepted());
    }

    void acceptingTriageSetsTypeAndFillsFacts()
    {
        CoreFixture f;
        const auto id = f.service->engine().submitAndWait(
            f.actor("intake"), delivery("m1", {"msg:m1"})).case_id();
        auto r = f.run("triage", suggestion(id, "refund"));
        QVERIFY2(r.accepted(), r.message().c_str());
        auto c = f.load(id);
        QCOMPARE(c.triage().type(), std::string("refund"));
        QVERIFY(c.type().empty()); // a suggestion changes nothing by itself
        QVERIFY(c.customer().empty());

        r = f.run("jlee", answer(id, true));
        QVERIFY2(r.accepted(), r.message().c_str());
        c = f.load(id);
        QCOMPARE(c.type(), std::string("refund"));
        QCOMPARE(c.customer(), std::string("Acme Co"));
        QCOMPARE(c.order_ref(), std::string("4821"));
        QCOMPARE(c.amount().minor(), 240000);
        QCOMPARE(c.amount().currency(), std::string("USD"));
        QCOMPARE(c.priority(), std::string("high"));
        QCOMPARE(c.triage().decision(), std::string("accepted"));
        QCOMPARE(c.triage().decided_by(), std::string("jlee"));
        QCOMPARE(eventKinds(f.events(id)).mid(2),
                 (QStringList{"triage_suggested", "triage_decided", "fields_changed"}));
        // With the facts in, the refund rule applies when it is marked ready.
        QVERIFY(f.ready("jlee", id).accepted());
        QCOMPARE(f.load(id).rule(), std::string("refund-above-threshold"));
    }

    void overrideKeepsFactsPeopleSet()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim", 5000);
        QVERIFY(f.run("triage", suggestion(id, "chargeback")).accepted());
        const auto r = f.run("mkim", answer(id, false, "refund"));
        QVERIFY2(r.accepted(), r.message().c_str());
        const auto c = f.load(id);
        QCOMPARE(c.type(), std::string("refund"));
        QCOMPARE(c.amount().minor(), 5000); // not replaced by the extracted 2,400
        QCOMPARE(c.triage().decision(), std::string("overridden"));
        const auto last = f.events(id).back();
        QVERIFY(last.has_triage_decided());
        QCOMPARE(last.triage_decided().suggested_type(), std::string("chargeback"));
        QCOMPARE(last.triage_decided().type(), std::string("refund"));
    }

    void lateSuggestionNeverOverwritesAPersonsDecision()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QVERIFY(f.run("triage", suggestion(id, "refund")).accepted());
        QVERIFY(f.run("mkim", answer(id, false, "chargeback")).accepted());
        const auto head = f.store->headSeq();
        const auto late = f.run("triage", suggestion(id, "escalation"));
        QVERIFY(!late.accepted());
        QCOMPARE(late.code(), std::string("triage.decided"));
        QCOMPARE(f.store->headSeq(), head);
        QCOMPARE(f.load(id).type(), std::string("chargeback"));
        // Deciding twice is refused too.
        QCOMPARE(f.run("jlee", answer(id, true)).code(), std::string("triage.decided"));
    }

    void triageCannotApproveDenyOrRunActions()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QVERIFY(f.ready("mkim", id).accepted());
        QCOMPARE(f.approve("triage", id).code(), std::string("approval.not_person"));
        QVERIFY(!f.deny("triage", id).accepted());
        v1::Command action;
        action.mutable_request_action()->set_case_id(id);
        action.mutable_request_action()->set_action("stripe.refund");
        QVERIFY(!f.run("triage", action).accepted());
        QCOMPARE(f.run("triage", answer(id, true)).code(), std::string("command.not_allowed"));
        // Nor can it pose as intake, or a person pose as triage.
        QCOMPARE(f.run("triage", delivery("t1", {})).code(), std::string("command.not_allowed"));
        QCOMPARE(f.run("mkim", suggestion(id, "refund")).code(),
                 std::string("command.not_allowed"));
        const auto c = f.load(id);
        QCOMPARE(c.status(), v1::CASE_STATUS_AWAITING_APPROVAL);
        QCOMPARE(c.approvals_size(), 0);
    }

    void answeringNeedsASuggestion()
    {
        CoreFixture f;
        const auto id = f.createRefund("mkim");
        QCOMPARE(f.run("mkim", answer(id, true)).code(), std::string("triage.none"));
        QVERIFY(f.run("triage", suggestion(id, "")).accepted()); // below every threshold
        QCOMPARE(f.run("mkim", answer(id, true)).code(), std::string("triage.no_type"));
        auto bad = answer(id, false, "refund");
        bad.mutable_decide_triage()->set_priority("whenever");
        QCOMPARE(f.run("mkim", bad).code(), std::string("triage.bad_priority"));
        QVERIFY(f.run("mkim", answer(id, false, "refund")).accepted());
    }
};

QTEST_GUILESS_MAIN(IntakeTest)
#include "intaketest.moc"
