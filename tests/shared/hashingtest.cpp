// SHA-256, the canonical event encoding and chain verification: the encoding is pinned by a golden
// hash and by bytes built straight from the spec in hashing.h, and every way of tampering with a
// case's history must be reported at the event where it shows.
#include "latch/hashing.h"

#include "latch.pb.h"

#include <QtTest>
#include <array>
#include <string>
#include <vector>

using latch::v1::Event;

namespace {

QString hex(const std::string& bytes)
{
    return QString::fromStdString(latch::toHex(bytes));
}

Event makeEvent(std::uint64_t seq, std::uint64_t version, const std::string& prevHash)
{
    Event e;
    e.set_seq(seq);
    e.set_case_id("0190163d-8694-739b-aea5-966c26f8ad91");
    e.set_case_version(version);
    e.set_time_ms(1'718'000'000'000 + static_cast<std::int64_t>(seq));
    e.set_actor("u-alice");
    e.set_command_id("cmd-" + std::to_string(seq));
    e.set_prev_hash(prevHash);
    return e;
}

void seal(Event& e)
{
    e.set_hash(latch::computeEventHash(e));
}

// A five-event case: created, note, fields changed, marked ready, approval granted.
std::vector<Event> makeChain()
{
    std::vector<Event> chain;
    std::string prev = latch::zeroHash();
    const std::array<std::uint64_t, 5> seqs { 3, 8, 17, 20,
        26 }; // global seqs interleave with other cases
    for (std::size_t i = 0; i < 5; ++i) {
        Event e = makeEvent(seqs[i], i + 1, prev);
        switch (i) {
        case 0: {
            auto* c = e.mutable_created();
            c->set_type("refund");
            c->set_title("Refund order 1142");
            c->mutable_amount()->set_minor(240000);
            c->mutable_amount()->set_currency("USD");
            break;
        }
        case 1:
            e.mutable_note_added()->set_text("Customer sent photos.");
            break;
        case 2: {
            auto* f = e.mutable_fields_changed();
            auto* change = f->add_changes();
            change->set_name("customer");
            change->set_after("ACME");
            f->set_customer("ACME");
            f->set_material(true);
            break;
        }
        case 3:
            e.mutable_marked_ready()->set_rule("refund-over-1000");
            break;
        default:
            e.mutable_approval_granted()->set_role("finance");
            break;
        }
        seal(e);
        prev = e.hash();
        chain.push_back(e);
    }
    return chain;
}

QString describe(const std::vector<latch::ChainProblem>& problems)
{
    QStringList lines;
    for (const auto& p : problems) {
        lines << QString::number(p.index) + ": " + QString::fromStdString(p.message);
    }
    return lines.join("\n");
}

} // namespace

class HashingTest : public QObject {
    Q_OBJECT

private slots:
    void sha256Vectors();
    void hexAndDigests();
    void hexBackToBytes();
    void kindNames();
    void canonicalBytesFollowSpec();
    void goldenHash();
    void everyFieldCounts();
    void deterministic();
    void factsHash();

    void intactChain();
    void modifiedPayload();
    void removedEvent();
    void removedFirstEvent();
    void reorderedEvents();
    void insertedEvent();
    void wrongPrevHash();
    void foreignCase();
};

void HashingTest::sha256Vectors()
{
    // FIPS 180-2 test vectors.
    QCOMPARE(QString::fromStdString(latch::toHex(latch::sha256("abc"))),
        QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(QString::fromStdString(latch::toHex(latch::sha256(""))),
        QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(QString::fromStdString(latch::toHex(
                 latch::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
        QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

void HashingTest::hexAndDigests()
{
    QCOMPARE(hex(std::string("\x00\x0f\xa0\xff", 4)), QString("000fa0ff"));
    QCOMPARE(hex(""), QString());
    const latch::Digest d = latch::sha256("abc");
    const std::string bytes = latch::digestBytes(d);
    QCOMPARE(bytes.size(), std::size_t { 32 });
    QCOMPARE(hex(bytes), QString::fromStdString(latch::toHex(d)));
    QCOMPARE(latch::zeroHash(), std::string(32, '\0'));
}

void HashingTest::kindNames()
{
    Event e;
    QCOMPARE(QString::fromStdString(latch::eventKindName(e)), QString());
    const QStringList expected { "created", "note_added", "fields_changed", "assigned",
        "marked_ready", "approval_granted", "approval_denied", "attempt_blocked",
        "approvals_voided", "closed", "reopened", "action_requested", "action_finished",
        "action_updated", "notification", "action_cancel_requested", "intake_received",
        "triage_suggested", "triage_decided" };
    // Set each payload field in turn through reflection, as a future kind would be.
    const auto* oneof = Event::descriptor()->FindOneofByName("payload");
    QVERIFY(oneof);
    QCOMPARE(oneof->field_count(), int(expected.size()));
    for (int i = 0; i < oneof->field_count(); ++i) {
        e.GetReflection()->MutableMessage(&e, oneof->field(i));
        QCOMPARE(QString::fromStdString(latch::eventKindName(e)), expected[i]);
    }
    e.Clear();
    e.mutable_closed()->set_reason("done");
    QCOMPARE(QString::fromStdString(latch::eventKindName(e)), QString("closed"));
}

void HashingTest::canonicalBytesFollowSpec()
{
    // Built by hand from the comment in hashing.h, independently of the implementation.
    const auto u32 = [](std::uint32_t v) {
        return std::string { char(v >> 24), char(v >> 16), char(v >> 8), char(v) };
    };
    const auto u64
        = [&](std::uint64_t v) { return u32(std::uint32_t(v >> 32)) + u32(std::uint32_t(v)); };
    const auto item = [&](const std::string& s) { return u32(std::uint32_t(s.size())) + s; };

    Event e;
    e.set_seq(42);
    e.set_case_id("c1");
    e.set_case_version(2);
    e.set_time_ms(-5); // negative times are two's complement
    e.set_actor("bob");
    e.set_command_id("k");
    e.mutable_note_added()->set_text("hi");
    e.set_prev_hash(std::string(32, '\x11'));
    e.set_hash("ignored: the hash is never part of its own input");

    const std::string expected = item("latch.event.v1") + u64(42) + item("c1") + u64(2)
        + u64(std::uint64_t(-5)) + item("bob") + item("k") + item("note_added")
        + item(std::string("\x0a\x02hi", 4)) + std::string(32, '\x11');
    QCOMPARE(hex(latch::canonicalEventBytes(e)), hex(expected));
    QCOMPARE(hex(latch::computeEventHash(e)), hex(latch::digestBytes(latch::sha256(expected))));

    // No payload: empty kind and empty payload items, not omitted ones.
    e.clear_payload();
    const std::string bare = item("latch.event.v1") + u64(42) + item("c1") + u64(2)
        + u64(std::uint64_t(-5)) + item("bob") + item("k") + item("") + item("")
        + std::string(32, '\x11');
    QCOMPARE(hex(latch::canonicalEventBytes(e)), hex(bare));
}

void HashingTest::goldenHash()
{
    // Golden value computed once from this implementation and hard-coded on purpose: if it
    // changes, every stored chain stops verifying. Change the encoding only with a new version
    // tag ("latch.event.v2") and a migration, never by updating this string.
    const std::vector<Event> chain = makeChain();
    QCOMPARE(hex(chain[0].hash()),
        QString("b334256ebeec14cfbd594a03e1e95a6add5e9a9086e9a84d0bbc72aa636558e6"));
    QCOMPARE(hex(chain[4].hash()),
        QString("d5bd4929a4fb6b97e05c61a7d7e6187ba523dd6a81da1b3a4809278a967b3921"));
}

void HashingTest::everyFieldCounts()
{
    const Event base = makeChain()[2];
    const std::string h = latch::computeEventHash(base);
    std::vector<Event> variants(9, base);
    variants[0].set_seq(base.seq() + 1);
    variants[1].set_case_id(base.case_id() + "x");
    variants[2].set_case_version(base.case_version() + 1);
    variants[3].set_time_ms(base.time_ms() + 1);
    variants[4].set_actor("u-mallory");
    variants[5].set_command_id("cmd-other");
    variants[6].mutable_fields_changed()->set_customer("ACMF");
    variants[7].mutable_fields_changed()->set_material(false);
    std::string prev = base.prev_hash();
    prev[31] = char(prev[31] ^ 1);
    variants[8].set_prev_hash(prev);
    for (std::size_t i = 0; i < variants.size(); ++i) {
        QVERIFY2(latch::computeEventHash(variants[i]) != h, qPrintable(QString::number(i)));
    }

    // Same payload bytes under another kind must not collide either.
    Event closed = makeEvent(1, 1, latch::zeroHash());
    Event reopened = closed;
    closed.mutable_closed()->set_reason("x");
    reopened.mutable_reopened()->set_reason("x");
    QVERIFY(latch::computeEventHash(closed) != latch::computeEventHash(reopened));

    // Shifting bytes between adjacent strings changes the hash (the length prefixes).
    Event a = makeEvent(1, 1, latch::zeroHash());
    Event b = a;
    a.set_actor("ab");
    a.set_command_id("c");
    b.set_actor("a");
    b.set_command_id("bc");
    QVERIFY(latch::computeEventHash(a) != latch::computeEventHash(b));
}

void HashingTest::deterministic()
{
    // Same content, built in another order and round-tripped through the wire format.
    Event a = makeChain()[2];
    Event b;
    b.mutable_fields_changed()->set_material(true);
    b.mutable_fields_changed()->set_customer("ACME");
    auto* change = b.mutable_fields_changed()->add_changes();
    change->set_after("ACME");
    change->set_name("customer");
    b.set_prev_hash(a.prev_hash());
    b.set_command_id(a.command_id());
    b.set_actor(a.actor());
    b.set_time_ms(a.time_ms());
    b.set_case_version(a.case_version());
    b.set_case_id(a.case_id());
    b.set_seq(a.seq());
    QCOMPARE(hex(latch::canonicalEventBytes(b)), hex(latch::canonicalEventBytes(a)));

    Event parsed;
    QVERIFY(parsed.ParseFromString(a.SerializeAsString()));
    QCOMPARE(hex(latch::computeEventHash(parsed)), hex(a.hash()));
}

void HashingTest::factsHash()
{
    latch::v1::Case c;
    c.set_type("refund");
    c.set_customer("ACME");
    c.set_order_ref("SO-1142");
    c.mutable_amount()->set_minor(240000);
    c.mutable_amount()->set_currency("USD");
    const std::string h = latch::factsHash(c);
    QCOMPARE(h.size(), std::size_t { 32 });
    // Pinned like the event hash: approvals stored with this hash must keep matching. (v2: free
    // fields joined the material facts.)
    QCOMPARE(hex(h), QString("206a6c555dacb2b228204cbb401d463015bb6323ffc78808626939a22c397b4c"));

    // Facts that are not material leave it alone.
    latch::v1::Case same = c;
    same.set_title("New title");
    same.set_description("More words");
    same.set_version(9);
    QCOMPARE(hex(latch::factsHash(same)), hex(h));

    // Free fields are material (plugin actions take their parameters from them); their order
    // is not.
    latch::v1::Case withFields = c;
    auto* f = withFields.add_fields();
    f->set_key("payment_intent");
    f->set_value("pi_1");
    f = withFields.add_fields();
    f->set_key("reason");
    f->set_value("defect");
    QVERIFY(latch::factsHash(withFields) != h);
    latch::v1::Case reordered = c;
    *reordered.add_fields() = withFields.fields(1);
    *reordered.add_fields() = withFields.fields(0);
    QCOMPARE(hex(latch::factsHash(reordered)), hex(latch::factsHash(withFields)));
    latch::v1::Case otherValue = withFields;
    otherValue.mutable_fields(0)->set_value("pi_2");
    QVERIFY(latch::factsHash(otherValue) != latch::factsHash(withFields));

    // Every material fact changes it.
    std::vector<latch::v1::Case> changed(6, c);
    changed[0].set_type("chargeback");
    changed[1].mutable_amount()->set_minor(240001);
    changed[2].mutable_amount()->set_currency("EUR");
    changed[3].set_customer("ACME Ltd");
    changed[4].set_order_ref("SO-1143");
    changed[5].mutable_amount()->set_minor(-240000);
    for (std::size_t i = 0; i < changed.size(); ++i) {
        QVERIFY2(latch::factsHash(changed[i]) != h, qPrintable(QString::number(i)));
    }
    latch::v1::Case shifted = c;
    shifted.set_customer("ACMESO-1142");
    shifted.set_order_ref("");
    QVERIFY(latch::factsHash(shifted) != h);
}

void HashingTest::intactChain()
{
    const auto chain = makeChain();
    QCOMPARE(describe(latch::verifyCaseChain(chain)), QString());
    QVERIFY(latch::verifyCaseChain({}).empty());
    QVERIFY(latch::verifyCaseChain({ chain[0] }).empty());
}

void HashingTest::modifiedPayload()
{
    auto chain = makeChain();
    chain[2].mutable_fields_changed()->set_customer("EVIL");
    const auto problems = latch::verifyCaseChain(chain);
    QCOMPARE(problems.size(), std::size_t { 1 });
    QCOMPARE(problems[0].index, std::size_t { 2 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 3 (seq 17, fields_changed): hash does not match its contents"));

    // Re-sealing the forged event moves the break to the link that follows it.
    seal(chain[2]);
    const auto resealed = latch::verifyCaseChain(chain);
    QCOMPARE(resealed.size(), std::size_t { 1 });
    QCOMPARE(resealed[0].index, std::size_t { 3 });
    QCOMPARE(QString::fromStdString(resealed[0].message),
        QString("event 4 (seq 20, marked_ready): prev_hash does not link to event 3"));
}

void HashingTest::removedEvent()
{
    auto chain = makeChain();
    chain.erase(chain.begin() + 2);
    const auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(problems.size() == 2, qPrintable(describe(problems)));
    QCOMPARE(problems[0].index, std::size_t { 2 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 3 (seq 20, marked_ready): case_version 4, expected 3"));
    QCOMPARE(problems[1].index, std::size_t { 2 });
    QCOMPARE(QString::fromStdString(problems[1].message),
        QString("event 3 (seq 20, marked_ready): prev_hash does not link to event 2"));
    // Dropping only the newest event leaves a valid shorter chain: that takes comparing with the
    // case's last_hash, which is the caller's job.
}

void HashingTest::removedFirstEvent()
{
    auto chain = makeChain();
    chain.erase(chain.begin());
    const auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(problems.size() == 2, qPrintable(describe(problems)));
    QCOMPARE(problems[0].index, std::size_t { 0 });
    QVERIFY(problems[0].message.find("case_version 2, expected 1") != std::string::npos);
    QCOMPARE(problems[1].index, std::size_t { 0 });
    QVERIFY(problems[1].message.find("prev_hash is not the zero hash") != std::string::npos);
}

void HashingTest::reorderedEvents()
{
    auto chain = makeChain();
    std::swap(chain[1], chain[2]);
    const auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(!problems.empty(), "reordering went unnoticed");
    QCOMPARE(problems[0].index, std::size_t { 1 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 2 (seq 17, fields_changed): case_version 3, expected 2"));
    for (const auto& p : problems) {
        QVERIFY2(p.index >= 1 && p.index <= 3, qPrintable(describe(problems)));
        QVERIFY(p.message.find("hash does not match") == std::string::npos); // contents intact
    }
}

void HashingTest::insertedEvent()
{
    // A careless insertion: an event that claims a version and links to nothing.
    auto chain = makeChain();
    Event extra = makeEvent(18, 4, std::string(32, '\x42'));
    extra.mutable_note_added()->set_text("backdated");
    seal(extra);
    chain.insert(chain.begin() + 3, extra);
    auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(!problems.empty(), "insertion went unnoticed");
    QCOMPARE(problems[0].index, std::size_t { 3 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 4 (seq 18, note_added): prev_hash does not link to event 3"));

    // A careful one, correctly linked and sealed: the break shows at the event after it.
    chain = makeChain();
    extra = makeEvent(18, 4, chain[2].hash());
    extra.mutable_note_added()->set_text("backdated");
    seal(extra);
    chain.insert(chain.begin() + 3, extra);
    problems = latch::verifyCaseChain(chain);
    QVERIFY2(problems.size() == 2, qPrintable(describe(problems)));
    QCOMPARE(problems[0].index, std::size_t { 4 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 5 (seq 20, marked_ready): case_version 4, expected 5"));
    QCOMPARE(QString::fromStdString(problems[1].message),
        QString("event 5 (seq 20, marked_ready): prev_hash does not link to event 4"));
    QCOMPARE(problems[1].index, std::size_t { 4 });
}

void HashingTest::wrongPrevHash()
{
    auto chain = makeChain();
    chain[3].set_prev_hash(latch::zeroHash());
    seal(chain[3]);
    chain[4].set_prev_hash(chain[3].hash()); // keep the rest consistent: only the bad link shows
    seal(chain[4]);
    const auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(problems.size() == 1, qPrintable(describe(problems)));
    QCOMPARE(problems[0].index, std::size_t { 3 });
    QCOMPARE(QString::fromStdString(problems[0].message),
        QString("event 4 (seq 20, marked_ready): prev_hash does not link to event 3"));

    // The first event must carry the zero hash.
    chain = makeChain();
    chain[0].set_prev_hash(std::string(32, '\x01'));
    const auto first = latch::verifyCaseChain(chain);
    QVERIFY2(first.size() == 2, qPrintable(describe(first))); // the link, and its own hash
    QCOMPARE(first[0].index, std::size_t { 0 });
    QCOMPARE(QString::fromStdString(first[0].message),
        QString("event 1 (seq 3, created): prev_hash is not the zero hash a case's first "
                "event carries"));
}

void HashingTest::foreignCase()
{
    auto chain = makeChain();
    chain[1].set_case_id("0190163d-0000-7000-8000-000000000000");
    seal(chain[1]);
    chain[2].set_prev_hash(chain[1].hash());
    seal(chain[2]);
    seal(chain[3]);
    chain[3].set_prev_hash(chain[2].hash());
    seal(chain[3]);
    chain[4].set_prev_hash(chain[3].hash());
    seal(chain[4]);
    const auto problems = latch::verifyCaseChain(chain);
    QVERIFY2(problems.size() == 1, qPrintable(describe(problems)));
    QCOMPARE(problems[0].index, std::size_t { 1 });
    QVERIFY(problems[0].message.find("case_id 0190163d-0000") != std::string::npos);
}

// fromHex undoes toHex in either case, and refuses what is not hex digits in pairs.
void HashingTest::hexBackToBytes()
{
    const std::string bytes("\x00\x01\xab\xff\x10", 5);
    QCOMPARE(latch::fromHex(latch::toHex(bytes)), std::optional<std::string>(bytes));
    QCOMPARE(latch::fromHex("0001ABFF10"), std::optional<std::string>(bytes));
    QCOMPARE(latch::fromHex(""), std::optional<std::string>(std::string()));
    QCOMPARE(latch::fromHex("abc"), std::optional<std::string>());  // odd length
    QCOMPARE(latch::fromHex("zz"), std::optional<std::string>());   // not hex
    QCOMPARE(latch::fromHex("0g"), std::optional<std::string>());
    QCOMPARE(latch::fromHex(" 0a"), std::optional<std::string>());
}

QTEST_GUILESS_MAIN(HashingTest)
#include "hashingtest.moc"
