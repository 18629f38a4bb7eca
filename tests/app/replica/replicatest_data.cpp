// What a replica stores: the server's data folded exactly as the server folds it, the outbox and
// settings; and where keys come from (Argon2id, the keychain) and the info sidecar beside the file.
#include "replica/keystore.h"
#include "replica/statement.h"
#include "replicatest.h"

#include <QElapsedTimer>
#include <QtTest>

using latch::app::KeyStore;
using latch::app::OutboxEntry;
using latch::app::Replica;
using latch::app::ReplicaInfo;
using namespace latch;
using namespace replicatest;

// --- what the server sent ---

void ReplicaTest::snapshotResetDropsCasesButKeepsOutbox()
{
    History h;
    h.create("case-1", "One", "A");
    h.create("case-2", "Two", "B");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::SnapshotPage first;
    first.set_reset(true);
    *first.add_cases() = h.snapshot("case-1");
    *first.add_cases() = h.snapshot("case-2");
    first.set_last(true);
    first.set_upto_seq(h.head());
    r->applySnapshotPage(first);
    r->enqueue(noteCommand("c-1", "case-1", "mine"), 1);
    r->setSetting("token", "t");
    QCOMPARE(r->caseCount(), std::size_t(2));

    h.create("case-3", "Three", "C");
    v1::SnapshotPage again;
    again.set_reset(true);
    *again.add_cases() = h.snapshot("case-3");
    again.set_last(true);
    again.set_upto_seq(h.head());
    r->applySnapshotPage(again);
    QCOMPARE(r->caseCount(), std::size_t(1));
    QVERIFY(!r->loadCase("case-1"));
    QVERIFY(r->caseEvents("case-1").empty());
    QCOMPARE(commandIds(r->outbox()), std::vector<std::string> { "c-1" });
    QCOMPARE(r->setting("token"), std::optional<std::string>("t"));
}

void ReplicaTest::cursorAdvancesOnlyOnLastPage()
{
    History h;
    for (const char* id : { "case-1", "case-2", "case-3" })
        h.create(id, id, "C");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::EventBatch live;
    live.set_upto_seq(2);
    r->applyEventBatch(live);
    QCOMPARE(r->cursor(), std::uint64_t(2));

    v1::SnapshotPage one;
    one.set_reset(true);
    *one.add_cases() = h.snapshot("case-1");
    one.set_upto_seq(h.head()); // ignored: not the last page
    r->applySnapshotPage(one);
    // Small pages wait for the last one: until then the replica holds what it held, at its cursor.
    QCOMPARE(r->cursor(), std::uint64_t(2));
    QCOMPARE(r->caseCount(), std::size_t(0));
    v1::SnapshotPage two;
    *two.add_cases() = h.snapshot("case-2");
    r->applySnapshotPage(two);
    QCOMPARE(r->cursor(), std::uint64_t(2));
    v1::SnapshotPage last;
    *last.add_cases() = h.snapshot("case-3");
    last.set_last(true);
    last.set_upto_seq(h.head());
    r->applySnapshotPage(last);
    QCOMPARE(r->cursor(), h.head());
    QCOMPARE(r->caseCount(), std::size_t(3));
}

void ReplicaTest::snapshotCutShortLeavesAConsistentReplica()
{
    History h;
    h.create("case-1", "Kept", "C");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::SnapshotPage first;
    first.set_reset(true);
    *first.add_cases() = h.snapshot("case-1");
    first.set_last(true);
    first.set_upto_seq(h.head());
    r->applySnapshotPage(first);
    const auto cursor = r->cursor();

    // A new snapshot's first page arrives, then the connection goes: nothing of it was written.
    h.create("case-2", "Never finished", "C");
    v1::SnapshotPage cut;
    cut.set_reset(true);
    *cut.add_cases() = h.snapshot("case-2");
    r->applySnapshotPage(cut);
    r->dropUnappliedSnapshot();
    QCOMPARE(r->cursor(), cursor);
    QCOMPARE(r->caseCount(), std::size_t(1));
    QVERIFY(r->loadCase("case-1"));

    // Pages past the batch size are written before the last one comes: from then on the replica
    // covers nothing consistently, so a snapshot cut short there must start again from 0.
    v1::SnapshotPage big;
    big.set_reset(true);
    const std::string filler(64 * 1024, 'x');
    std::size_t n = 0;
    while (big.ByteSizeLong() < latch::app::Replica::kSnapshotBatchBytes) {
        const std::string id = "big-" + std::to_string(n++);
        h.create(id, "Big " + filler, "C");
        *big.add_cases() = h.snapshot(id);
    }
    r->applySnapshotPage(big);
    QCOMPARE(r->cursor(), std::uint64_t(0));
    QCOMPARE(r->caseCount(), n);
    QVERIFY(!r->loadCase("case-1"));

    // The next connection's snapshot replaces it whole.
    r->dropUnappliedSnapshot();
    v1::SnapshotPage again;
    again.set_reset(true);
    *again.add_cases() = h.snapshot("case-1");
    *again.add_cases() = h.snapshot("case-2");
    again.set_last(true);
    again.set_upto_seq(h.head());
    r->applySnapshotPage(again);
    QCOMPARE(r->cursor(), h.head());
    QCOMPARE(r->caseCount(), std::size_t(2));
}

void ReplicaTest::batchEventsFoldLikeTheServer()
{
    History h;
    h.create("case-1", "Refund", "Acme");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::SnapshotPage page;
    page.set_reset(true);
    *page.add_cases() = h.snapshot("case-1");
    page.set_last(true);
    page.set_upto_seq(h.head());
    r->applySnapshotPage(page);

    h.create("case-2", "Not in view", "Other"); // the server never sent case-2
    v1::EventBatch batch;
    *batch.add_events() = h.note("case-1", "first note");
    *batch.add_events() = h.note("case-2", "not mine");
    const auto retitled = h.retitle("case-1", "Refund (partial)");
    *batch.add_events() = h.markReady("case-1");
    *batch.add_events() = retitled; // out of order: folded in seq order all the same
    *batch.add_events() = h.approve("case-1", "carol", 0);
    batch.set_upto_seq(h.head());
    QCOMPARE(r->applyEventBatch(batch), std::vector<std::string> { "case-1" });
    QCOMPARE(r->cursor(), h.head());

    const auto stored = r->loadCase("case-1");
    QVERIFY(stored);
    QVERIFY(sameMessage(*stored, foldEvents(h.events("case-1"))));
    QVERIFY(sameMessage(*stored, foldEvents(r->caseEvents("case-1"))));
    QCOMPARE(r->caseEvents("case-1").size(), std::size_t(5));
    QVERIFY(!r->loadCase("case-2"));
    QVERIFY(r->caseEvents("case-2").empty());

    // A resend, older events mixed in: nothing changes, the cursor does not go back.
    v1::EventBatch resend = batch;
    resend.set_upto_seq(3);
    QVERIFY(r->applyEventBatch(resend).empty());
    QVERIFY(sameMessage(*r->loadCase("case-1"), *stored));
    QCOMPARE(r->caseEvents("case-1").size(), std::size_t(5));
    QCOMPARE(r->cursor(), h.head());
}

void ReplicaTest::wholeCaseReplacesRowAndEvents()
{
    History h;
    h.create("case-1", "Refund", "Acme");
    h.note("case-1", "stale note");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::EventBatch arrive;
    *arrive.add_cases() = h.snapshot("case-1");
    arrive.set_upto_seq(h.head());
    QCOMPARE(r->applyEventBatch(arrive), std::vector<std::string> { "case-1" });

    // The server's version of the case is the truth: a whole case replaces what was stored,
    // including events the replica has and the new one does not.
    History other;
    other.create("case-1", "Refund", "Acme");
    other.retitle("case-1", "Replaced");
    v1::EventBatch replace;
    *replace.add_cases() = other.snapshot("case-1");
    *replace.add_events() = other.events("case-1").back(); // also inside the snapshot: ignored
    replace.set_upto_seq(h.head() + 1);
    QCOMPARE(r->applyEventBatch(replace), std::vector<std::string> { "case-1" });
    QCOMPARE(r->caseEvents("case-1").size(), std::size_t(2));
    QCOMPARE(r->loadCase("case-1")->title(), std::string("Replaced"));
    QVERIFY(!r->queueRow("case-1")->searchText.contains(QStringLiteral("stale note")));
}

void ReplicaTest::revokeDropsCaseAndEvents()
{
    History h;
    h.create("case-1", "One", "A");
    h.create("case-2", "Two", "B");
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::EventBatch batch;
    *batch.add_cases() = h.snapshot("case-1");
    *batch.add_cases() = h.snapshot("case-2");
    r->applyEventBatch(batch);
    r->enqueue(noteCommand("c-1", "case-1", "on a case about to go"), 1);

    r->revoke("case-1");
    QVERIFY(!r->loadCase("case-1"));
    QVERIFY(!r->queueRow("case-1"));
    QVERIFY(r->caseEvents("case-1").empty());
    QCOMPARE(r->caseCount(), std::size_t(1));
    QCOMPARE(r->outbox().size(), std::size_t(1)); // the server will refuse it; the user sees why

    // Events are keyed by the case's number in the file: a case that comes later gets one of its
    // own, and the others keep theirs.
    h.create("case-3", "Three", "C");
    h.note("case-3", "third case");
    v1::EventBatch later;
    *later.add_cases() = h.snapshot("case-3");
    r->applyEventBatch(later);
    for (const char* id : { "case-2", "case-3" }) {
        const auto events = r->caseEvents(id);
        QCOMPARE(events.size(), h.events(id).size());
        for (std::size_t i = 0; i < events.size(); ++i)
            QVERIFY(sameMessage(events[i], h.events(id)[i]));
    }
    r->revoke("case-3");

    // A snapshot page can revoke too (catch-up after an absence).
    v1::SnapshotPage page;
    page.add_revoked("case-2");
    page.set_last(true);
    page.set_upto_seq(h.head());
    r->applySnapshotPage(page);
    QCOMPARE(r->caseCount(), std::size_t(0));
}

void ReplicaTest::queueRowCarriesStagesApproversAndNotes()
{
    History h;
    h.create("case-1", "Refund ÄÖÜ", "Acme GmbH", "PO-77");
    h.note("case-1", "Called THE customer");
    h.markReady("case-1");
    h.approve("case-1", "carol", 0);
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::EventBatch batch;
    *batch.add_cases() = h.snapshot("case-1");
    r->applyEventBatch(batch);

    const auto row = r->queueRow("case-1");
    QVERIFY(row);
    QCOMPARE(row->id, QStringLiteral("case-1"));
    QCOMPARE(row->title, QStringLiteral("Refund ÄÖÜ"));
    QCOMPARE(row->status, QStringLiteral("awaiting_approval"));
    QCOMPARE(row->type, QStringLiteral("refund"));
    QCOMPARE(row->orderRef, QStringLiteral("PO-77"));
    QCOMPARE(row->requester, QStringLiteral("alice"));
    QCOMPARE(row->preparer, QStringLiteral("bob"));
    QCOMPARE(row->rule, QStringLiteral("big-refund"));
    QCOMPARE(row->queue, QStringLiteral("refunds"));
    QCOMPARE(row->currency, QStringLiteral("EUR"));
    QCOMPARE(row->amountMinor, qint64(12'500));
    QCOMPARE(row->createdMs, h.events("case-1").front().time_ms());
    QCOMPARE(row->updatedMs, h.events("case-1").back().time_ms());
    QCOMPARE(row->approvers, QStringList { QStringLiteral("carol") });
    QCOMPARE(row->stages.size(), std::size_t(2));
    QCOMPARE(row->stages[0].first, 1);
    QCOMPARE(row->stages[0].second, QStringList { QStringLiteral("manager") });
    QCOMPARE(
        row->stages[1].second, (QStringList { QStringLiteral("finance"), QStringLiteral("cfo") }));
    for (const char* needle : { "refund äöü", "acme gmbh", "po-77", "called the customer" })
        QVERIFY2(row->searchText.contains(QString::fromUtf8(needle)), needle);

    // A note added live reaches the search text without re-reading the case's events.
    v1::EventBatch more;
    *more.add_events() = h.note("case-1", "Second NOTE");
    more.set_upto_seq(h.head());
    r->applyEventBatch(more);
    QVERIFY(r->queueRow("case-1")->searchText.contains(QStringLiteral("second note")));
    QCOMPARE(r->queueRows().size(), std::size_t(1));

    // Made in the app: no channel. A delivery that joins the case later names the one it came
    // by, and the queue line carries it for the channel icon.
    QCOMPARE(row->channel, QString());
    v1::EventBatch delivery;
    *delivery.add_events() = h.add("case-1", "intake",
        [](v1::Event& e) { e.mutable_intake_received()->set_channel("email"); });
    delivery.set_upto_seq(h.head());
    r->applyEventBatch(delivery);
    QCOMPARE(r->queueRow("case-1")->channel, QStringLiteral("email"));
    QCOMPARE(r->queueRows().front().channel, QStringLiteral("email"));

    // Nothing is stored twice: the stored events leave out a note's text (it is beside the case),
    // their case id and seq (the key holds the case's number and the seq) and a prev_hash that is
    // the hash of the event before them, and caseEvents() puts all of it back.
    {
        auto raw = rawOpen(path(), m_key);
        latch::app::db::Statement s(*raw, "SELECT seq, prev, proto FROM events ORDER BY seq");
        int notes = 0;
        std::int64_t before = 0;
        while (s.step()) {
            v1::Event stored;
            QVERIFY(stored.ParseFromString(s.columnBlob(2)));
            QVERIFY(stored.case_id().empty());
            QCOMPARE(stored.seq(), std::uint64_t(0));
            if (before == 0) {
                QVERIFY(s.isNull(1)); // the first event's 32 zero bytes stay
                QCOMPARE(stored.prev_hash(), latch::zeroHash());
            } else {
                QCOMPARE(s.columnInt64(1), before);
                QVERIFY(stored.prev_hash().empty());
            }
            before = s.columnInt64(0);
            if (stored.has_note_added()) {
                ++notes;
                QVERIFY(stored.note_added().text().empty());
            }
        }
        QCOMPARE(notes, 2);
    }
    const auto events = r->caseEvents("case-1");
    QCOMPARE(events.size(), h.events("case-1").size());
    for (std::size_t i = 0; i < events.size(); ++i)
        QVERIFY2(sameMessage(events[i], h.events("case-1")[i]), events[i].DebugString().c_str());
}

void ReplicaTest::eventsComeBackAsTheServerSentThem()
{
    // Whatever the order and whatever the chain: events sent out of order, a prev_hash that is
    // not the hash of the event before, an empty one, and a resend. Each comes back as sent.
    History h;
    h.create("case-1", "Refund", "Acme");
    h.note("case-1", "first");
    h.note("case-1", "second");
    h.retitle("case-1", "Refund again");
    auto snapshot = h.snapshot("case-1");
    snapshot.mutable_events()->SwapElements(1, 2); // "second" before "first"
    snapshot.mutable_events(3)->set_prev_hash(std::string(32, 'x'));
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::EventBatch batch;
    *batch.add_cases() = snapshot;
    r->applyEventBatch(batch);

    v1::EventBatch live;
    auto unchained = h.note("case-1", "unchained");
    unchained.clear_prev_hash();
    *live.add_events() = unchained;
    *live.add_events() = h.note("case-1", "chained again");
    *live.add_events() = h.events("case-1").back(); // a resend within the batch
    live.set_upto_seq(h.head());
    r->applyEventBatch(live);

    std::vector<v1::Event> sent(snapshot.events().begin(), snapshot.events().end());
    sent.push_back(unchained);
    sent.push_back(h.events("case-1").back());
    std::sort(
        sent.begin(), sent.end(), [](const auto& a, const auto& b) { return a.seq() < b.seq(); });
    const auto events = r->caseEvents("case-1");
    QCOMPARE(events.size(), sent.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        QVERIFY2(sameMessage(events[i], sent[i]), events[i].DebugString().c_str());
    for (const char* needle : { "first", "second", "unchained", "chained again" })
        QVERIFY2(r->queueRow("case-1")->searchText.contains(QString::fromUtf8(needle)), needle);

    // The same from a fresh connection, and after the whole case arrives again.
    r.reset();
    r = openOk(path(), m_key);
    QVERIFY(r);
    QCOMPARE(r->caseEvents("case-1").size(), sent.size());
    v1::EventBatch again;
    *again.add_cases() = h.snapshot("case-1");
    r->applyEventBatch(again);
    const auto whole = r->caseEvents("case-1");
    QCOMPARE(whole.size(), h.events("case-1").size());
    for (std::size_t i = 0; i < whole.size(); ++i)
        QVERIFY(sameMessage(whole[i], h.events("case-1")[i]));
}

// --- the outbox and settings ---

void ReplicaTest::outboxKeepsOrderAndFilesAnswers()
{
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    v1::Command create;
    create.set_command_id("c-0");
    create.mutable_create_case()->set_title("New");
    const auto first = r->enqueue(create, 100);
    QVERIFY(first.caseId.empty()); // no client-chosen id
    for (const char* id : { "c-1", "c-2", "c-3" })
        r->enqueue(noteCommand(id, "case-9", id), 200);
    QCOMPARE(commandIds(r->outbox()), (std::vector<std::string> { "c-0", "c-1", "c-2", "c-3" }));
    QCOMPARE(r->outbox()[1].caseId, std::string("case-9"));
    QVERIFY(r->outbox()[0].localSeq < r->outbox()[1].localSeq);

    // The same command id twice is one command.
    const auto again = r->enqueue(noteCommand("c-1", "case-9", "c-1"), 300);
    QCOMPARE(again.localSeq, r->outbox()[1].localSeq);
    QCOMPARE(again.createdMs, std::int64_t(200));
    QCOMPARE(r->outbox().size(), std::size_t(4));

    auto created = answer("c-0", true);
    created.set_case_id("case-new");
    QCOMPARE(r->completeCommand(created), std::optional<std::string>("case-new"));
    QCOMPARE(r->completeCommand(answer("c-2", false, "case.closed", "The case is closed.")),
        std::optional<std::string>("case-9"));
    QCOMPARE(r->completeCommand(answer("unknown", true)), std::nullopt);

    QCOMPARE(commandIds(r->outbox()), (std::vector<std::string> { "c-1", "c-2", "c-3" }));
    QCOMPARE(commandIds(r->pendingCommands()), (std::vector<std::string> { "c-1", "c-3" }));
    const auto rejected = r->outbox()[1];
    QCOMPARE(rejected.state, OutboxEntry::State::Rejected);
    QCOMPARE(rejected.code, std::string("case.closed"));
    QCOMPARE(rejected.message, std::string("The case is closed."));
    QCOMPARE(rejected.command.add_note().text(), std::string("c-2"));

    r->dismiss("c-1"); // pending: dismiss only removes rejected entries
    r->dismiss("c-2");
    QCOMPARE(commandIds(r->outbox()), (std::vector<std::string> { "c-1", "c-3" }));
}

void ReplicaTest::settingsKeepBinaryValues()
{
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    const std::string binary("a\0b\xff", 4);
    r->setSetting("user", binary);
    QCOMPARE(r->setting("user"), std::optional<std::string>(binary));
    r->setSetting("user", "x");
    QCOMPARE(r->setting("user"), std::optional<std::string>("x"));
    r->removeSetting("user");
    QCOMPARE(r->setting("user"), std::nullopt);
}

void ReplicaTest::dataSurvivesReopening()
{
    History h;
    h.create("case-1", "One", "A");
    {
        auto r = openOk(path(), m_key);
        QVERIFY(r);
        v1::SnapshotPage page;
        page.set_reset(true);
        *page.add_cases() = h.snapshot("case-1");
        page.set_last(true);
        page.set_upto_seq(h.head());
        r->applySnapshotPage(page);
        r->enqueue(noteCommand("c-1", "case-1", "x"), 1);
        QCOMPARE(r->cipherVersion(), QStringLiteral("3.4.1"));
    }
    auto r = openOk(path(), m_key);
    QVERIFY(r);
    QCOMPARE(r->cursor(), h.head());
    QCOMPARE(r->caseCount(), std::size_t(1));
    QCOMPARE(commandIds(r->pendingCommands()), std::vector<std::string> { "c-1" });
}

// --- keys ---

void ReplicaTest::deriveKeyIsDeterministicPerSalt()
{
    const QByteArray salt = KeyStore::newSalt();
    QCOMPARE(salt.size(), 16);
    QVERIFY(KeyStore::newSalt() != salt);
    const QString passphrase = QStringLiteral("correct horse battery staple");
    auto a = KeyStore::deriveKey(passphrase, salt);
    auto b = KeyStore::deriveKey(passphrase, salt);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->size(), 32);
    QCOMPARE(*a, *b);
    auto other = KeyStore::deriveKey(passphrase, KeyStore::newSalt());
    QVERIFY(other.ok());
    QVERIFY(*other != *a);
    // Composed and decomposed "é" are the same passphrase.
    auto composed = KeyStore::deriveKey(QStringLiteral("caf\u00e9 au lait"), salt);
    auto decomposed = KeyStore::deriveKey(QStringLiteral("cafe\u0301 au lait"), salt);
    QCOMPARE(*composed, *decomposed);
    // And the derived key opens a replica like any other.
    QVERIFY(openOk(path(), *a));
    QVERIFY(openOk(path(), *b));
}

void ReplicaTest::weakPassphraseIsRefused()
{
    auto weak = KeyStore::deriveKey(QStringLiteral("short"), KeyStore::newSalt());
    QVERIFY(!weak);
    QCOMPARE(weak.failure().code, std::string("key.weak_passphrase"));
    QVERIFY(KeyStore::deriveKey(QStringLiteral("12345678"), KeyStore::newSalt()).ok());
    auto badSalt = KeyStore::deriveKey(QStringLiteral("long enough"), QByteArray(3, 'x'));
    QVERIFY(!badSalt);
    QCOMPARE(badSalt.failure().code, std::string("key.kdf"));
}

void ReplicaTest::keychainProbeIsBoundedAndFailsCleanly()
{
    KeyStore store(QStringLiteral("LatchReplicaTest"));
    QElapsedTimer timer;
    timer.start();
    const bool available = store.keychainAvailable();
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    timer.restart();
    QCOMPARE(store.keychainAvailable(), available); // probed once
    QVERIFY(timer.elapsed() < 100);
    if (available) {
        QVERIFY(store.backendName() != QStringLiteral("none"));
        QSKIP("a keychain answers here; the no-keychain path cannot be checked");
    }
    QCOMPARE(store.backendName(), QStringLiteral("none"));
    auto key = store.keychainKey(QStringLiteral("ws://example|alice"));
    QVERIFY(!key);
    QCOMPARE(key.failure().code, std::string("key.no_keychain"));
    store.forget(QStringLiteral("ws://example|alice")); // nothing to forget; must not hang
}

void ReplicaTest::infoSidecarRoundTripsWithoutTheKey()
{
    const QByteArray salt = KeyStore::newSalt();
    auto key = KeyStore::deriveKey(QStringLiteral("correct horse battery staple"), salt);
    QVERIFY(key.ok());
    auto r = openOk(path(), *key);
    QVERIFY(r);
    ReplicaInfo info;
    info.keySource = QStringLiteral("passphrase");
    info.keychainBackend = QStringLiteral("none");
    info.cipherVersion = r->cipherVersion();
    info.passphraseSalt = salt;
    info.schemaVersion = Replica::schemaVersion();
    QVERIFY(Replica::writeInfo(path(), info));

    auto read = Replica::readInfo(path());
    QVERIFY(read.ok());
    QCOMPARE(read->keySource, info.keySource);
    QCOMPARE(read->keychainBackend, info.keychainBackend);
    QCOMPARE(read->cipherVersion, QStringLiteral("3.4.1"));
    QCOMPARE(read->passphraseSalt, salt);
    QCOMPARE(read->schemaVersion, Replica::schemaVersion());

    const QByteArray json = readAll(path() + QStringLiteral(".json"));
    QVERIFY(!json.contains(key->toHex()));
    QVERIFY(!json.contains(key->toBase64()));
    QVERIFY(!json.contains("correct horse"));
    QVERIFY(!Replica::readInfo(m_dir->filePath(QStringLiteral("missing.db"))));
}
