// The get_case_proof query on a real core and store, with the server's CaseProver: who may ask
// (as for the timeline), what it answers without a prover (proof.unavailable), and that what it
// answers proves each event of the case against a checkpoint the server signed, signing one on
// demand when the newest does not cover the case yet.
#include "../core/corefixture.h"
#include "latch/merkle.h"
#include "latch/signednote.h"
#include "proof/caseprover.h"
#include "proof/checkpointer.h"
#include "store/checkpoints.h"

#include <QtTest>

using namespace latch;

class CaseProverTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void withoutAProverTheQueryIsUnavailable();
    void whoCannotSeeTheCaseGetsNotFound();
    void everyEventIsProvenAgainstASignedCheckpoint();
    void aCheckpointIsSignedWhenNoneCoversTheCase();
    void anOlderCheckpointThatCoversTheCaseIsUsed();

private:
    v1::QueryResult proofOf(const std::string& who, const std::string& caseId);
    void startProver();

    std::unique_ptr<CoreFixture> m_core;
    std::shared_ptr<store::Checkpoints> m_checkpoints;
    note::SigningKey m_key;
    std::unique_ptr<proof::Checkpointer> m_checkpointer;
    std::unique_ptr<proof::CaseProver> m_prover;
    const std::string m_origin = "latch/prover-test";
};

void CaseProverTest::init()
{
    m_core = std::make_unique<CoreFixture>();
    auto key = note::generateKey(m_origin);
    QVERIFY(key.ok());
    m_key = *key;
}

void CaseProverTest::cleanup()
{
    m_core->service->setProofSource(nullptr);
    m_prover.reset();
    m_checkpointer.reset();
    m_checkpoints.reset();
    m_core.reset();
}

void CaseProverTest::startProver()
{
    const std::string db = (m_core->dir.path() + "/latch.db").toStdString();
    auto opened = store::Checkpoints::open(db);
    QVERIFY(opened.ok());
    m_checkpoints = std::move(*opened);
    QVERIFY(m_checkpoints->useKey(m_key, m_core->now).ok());
    // An interval that never comes: the test decides when checkpoints are signed.
    m_checkpointer = std::make_unique<proof::Checkpointer>(m_checkpoints, m_key, m_origin,
                                                           std::chrono::hours(24));
    auto prover = proof::CaseProver::open(db, m_checkpoints, *m_checkpointer, m_origin);
    QVERIFY2(prover.ok(), prover.ok() ? "" : prover.failure().message.c_str());
    m_prover = std::move(*prover);
    m_core->service->setProofSource(m_prover.get());
}

v1::QueryResult CaseProverTest::proofOf(const std::string& who, const std::string& caseId)
{
    v1::Query q;
    q.set_query_id("q1");
    q.mutable_get_case_proof()->set_case_id(caseId);
    return m_core->service->query(m_core->actor(who), q);
}

void CaseProverTest::withoutAProverTheQueryIsUnavailable()
{
    const auto id = m_core->createRefund("mkim");
    const auto r = proofOf("mkim", id);
    QVERIFY(!r.ok());
    QCOMPARE(r.code(), std::string("proof.unavailable"));
    QVERIFY(!r.message().empty());
}

void CaseProverTest::whoCannotSeeTheCaseGetsNotFound()
{
    startProver();
    const auto id = m_core->createRefund("mkim");
    // rpatel works the finance queue; a refund in review is not theirs to see.
    auto r = proofOf("rpatel", id);
    QVERIFY(!r.ok());
    QCOMPARE(r.code(), std::string("case.not_found"));
    QVERIFY(!r.has_case_proof());
    r = proofOf("mkim", "0190163d-0000-7000-8000-000000000000");
    QCOMPARE(r.code(), std::string("case.not_found"));
    // Whoever sees the timeline sees the proof.
    QVERIFY(proofOf("jlee", id).ok());
    QVERIFY(proofOf("admin", id).ok());
}

void CaseProverTest::everyEventIsProvenAgainstASignedCheckpoint()
{
    startProver();
    const auto id = m_core->createRefund("mkim");
    m_core->createRefund("jlee"); // other cases' events are leaves too
    QVERIFY(m_core->note("mkim", id, "Verified with the warehouse").accepted());
    QVERIFY(m_core->ready("mkim", id).accepted());
    QVERIFY(!m_core->approve("mkim", id).accepted()); // recorded as attempt_blocked
    QVERIFY(m_core->approve("atorres", id).accepted());

    const auto r = proofOf("mkim", id);
    QVERIFY2(r.ok(), r.message().c_str());
    const auto& p = r.case_proof();
    const auto stored = m_core->events(id);
    QCOMPARE(p.case_().id(), id);
    QCOMPARE(p.events_size(), int(stored.size()));
    QCOMPARE(p.inclusions_size(), int(stored.size()));
    QCOMPARE(p.origin(), m_origin);
    QCOMPARE(p.rules_version(), m_core->config->rulesVersion);
    QVERIFY(!p.rules_version().empty());

    const auto opened = note::open(p.checkpoint(), {note::verifierKey(m_key)});
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.failure().message.c_str());
    const auto checkpoint = note::parseCheckpoint(opened->text);
    QVERIFY(checkpoint.ok());
    QCOMPARE(checkpoint->origin, m_origin);
    QCOMPARE(checkpoint->size, p.checkpoint_size());
    QVERIFY(checkpoint->size >= stored.back().seq());
    for (int i = 0; i < p.events_size(); ++i) {
        const auto& e = p.events(i);
        QCOMPARE(e.SerializeAsString(), stored[i].SerializeAsString());
        const auto& inclusion = p.inclusions(i);
        QCOMPARE(inclusion.seq(), e.seq());
        QCOMPARE(inclusion.leaf_index(), e.seq() - 1);
        std::vector<merkle::Hash> path;
        for (const auto& h : inclusion.proof()) {
            const auto hash = merkle::hashFromBytes(h);
            QVERIFY(hash);
            path.push_back(*hash);
        }
        QVERIFY2(merkle::verifyInclusion(inclusion.leaf_index(), checkpoint->size,
                                         merkle::leafHash(e.hash()), path, checkpoint->root),
                 qPrintable(QStringLiteral("event seq %1 is not proven").arg(e.seq())));
    }
    // The names of the people in the story come along, for the report.
    QStringList names;
    for (const auto& u : r.people())
        names << QString::fromStdString(u.display_name());
    QVERIFY(names.contains("M. Kim"));
    QVERIFY(names.contains("A. Torres"));
}

void CaseProverTest::aCheckpointIsSignedWhenNoneCoversTheCase()
{
    startProver();
    const auto id = m_core->createRefund("mkim");
    auto first = m_checkpointer->issueNow();
    QVERIFY(first.ok());
    QVERIFY(m_core->note("mkim", id, "after the checkpoint").accepted());
    const auto newest = m_core->events(id).back().seq();
    QVERIFY(first->size < newest);

    const auto r = proofOf("mkim", id);
    QVERIFY2(r.ok(), r.message().c_str());
    QVERIFY(r.case_proof().checkpoint_size() >= newest);
    const auto latest = m_checkpoints->latest();
    QVERIFY(latest);
    QVERIFY(latest->id > first->id);
    QCOMPARE(r.case_proof().checkpoint(), latest->note);
}

void CaseProverTest::anOlderCheckpointThatCoversTheCaseIsUsed()
{
    startProver();
    const auto id = m_core->createRefund("mkim");
    const auto signed1 = m_checkpointer->issueNow();
    QVERIFY(signed1.ok());
    // Another case moves on; this one does not need a new checkpoint.
    m_core->createRefund("jlee");
    const auto r = proofOf("mkim", id);
    QVERIFY2(r.ok(), r.message().c_str());
    QCOMPARE(r.case_proof().checkpoint(), signed1->note);
    QCOMPARE(m_checkpoints->latest()->id, signed1->id);
}

QTEST_GUILESS_MAIN(CaseProverTest)
#include "caseprovertest.moc"
