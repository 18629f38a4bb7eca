// Signed notes and checkpoints, checked against what others publish: the key pair and signed
// note of golang.org/x/mod/sumdb/note's own tests (golang/mod sumdb/note/note_test.go), a real
// checkpoint of sum.golang.org with its published key (as quoted in sigsum/sigsum-go
// pkg/checkpoint/checkpoint_test.go), and the example checkpoint of c2sp.org/tlog-checkpoint.
// Then our own keys round trip, and every kind of tampering is refused with its own code.
#include "latch/signednote.h"

#include "latch/hashing.h"

#include <QtTest>
#include <string>
#include <vector>

namespace note = latch::note;

namespace {

const std::string kDash = "\xE2\x80\x94 "; // U+2014 em dash and a space

// golang/mod sumdb/note/note_test.go.
const std::string kPeterVerifier
    = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kPeterSigner
    = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kEnochVerifier
    = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText = "If you think cryptography is the answer to your problem,\n"
                          "then you don't know what your problem is.\n";
const std::string kPeterSig = kDash
    + "PeterNeumann "
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6R"
      "yyBwJnAM=\n";
const std::string kEnochSig = kDash
    + "EnochRoot "
      "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1Rv"
      "Mc+QQ=\n";

// sum.golang.org's key (golang/go src/cmd/go/internal/modfetch/key.go) and one of its
// checkpoints, retrieved from https://sum.golang.org/latest on 2024-09-23 by sigsum-go's authors.
const std::string kSumdbVerifier
    = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
const std::string kSumdbCheckpoint = "go.sum database tree\n"
                                     "30055305\n"
                                     "mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n"
                                     "\n"
    + kDash
    + "sum.golang.org "
      "Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3E"
      "JlDCrQ+y3A8=\n";

// c2sp.org/tlog-checkpoint's example (its key is not published).
const std::string kSpecCheckpoint = "example.com/behind-the-sofa\n"
                                    "20852163\n"
                                    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
                                    "\n"
    + kDash
    + "example.com/behind-the-sofa "
      "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1g"
      "GzGku9nTo+zyWE+xeMcTOAYQ8=\n";

template <typename T> QString codeOf(const latch::Expected<T>& e)
{
    return e ? QStringLiteral("(ok)") : QString::fromStdString(e.failure().code);
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

note::SigningKey peter()
{
    auto key = note::decodeSigningKey(kPeterSigner);
    Q_ASSERT(key.ok());
    return *key;
}

note::VerifierKey verifier(const std::string& text)
{
    auto key = note::decodeVerifierKey(text);
    Q_ASSERT(key.ok());
    return *key;
}

note::SigningKey generated(const std::string& name)
{
    auto key = note::generateKey(name);
    Q_ASSERT(key.ok());
    return *key;
}

std::string signedBy(const std::string& text, const note::SigningKey& key)
{
    auto n = note::sign(text, key);
    Q_ASSERT(n.ok());
    return *n;
}

} // namespace

class SignedNoteTest : public QObject {
    Q_OBJECT

private slots:
    void goKeys();
    void goKeyManglings();
    void goSign();
    void goAddSignature();
    void goOpen();
    void goMalformedNotes();
    void sumdbCheckpoint();

    void generatedKeys();
    void keyNames();
    void signRefusesBadText();
    void tampering();
    void unknownSignersAreIgnored();
    void ambiguousKeys();

    void checkpointRoundTrip();
    void checkpointRefusals();
    void signedCheckpoint();
};

void SignedNoteTest::goKeys()
{
    const note::VerifierKey p = verifier(kPeterVerifier);
    QCOMPARE(q(p.name), QStringLiteral("PeterNeumann"));
    QCOMPARE(p.keyId, 0xc74f20a3u);
    QCOMPARE(q(note::encodeVerifierKey(p)), q(kPeterVerifier));

    const note::SigningKey s = peter();
    QCOMPARE(q(s.name), QStringLiteral("PeterNeumann"));
    QCOMPARE(s.keyId, 0xc74f20a3u);
    QVERIFY(s.publicKey == p.publicKey);
    QCOMPARE(q(note::encodeSigningKey(s)), q(kPeterSigner));
    QCOMPARE(q(note::encodeVerifierKey(note::verifierKey(s))), q(kPeterVerifier));
    QCOMPARE(note::keyId("PeterNeumann", p.publicKey), 0xc74f20a3u);

    const note::VerifierKey e = verifier(kEnochVerifier);
    QCOMPARE(e.keyId, 0xaf0cfe78u);
    QCOMPARE(q(note::encodeVerifierKey(e)), q(kEnochVerifier));

    const note::VerifierKey sumdb = verifier(kSumdbVerifier);
    QCOMPARE(q(sumdb.name), QStringLiteral("sum.golang.org"));
    QCOMPARE(sumdb.keyId, 0x033de0aeu);
    QCOMPARE(q(note::encodeVerifierKey(sumdb)), q(kSumdbVerifier));

    // Go parses the id with strconv.ParseUint, which takes upper case too.
    const auto upper = note::decodeVerifierKey(
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    QVERIFY(upper.ok());
    QCOMPARE(upper->keyId, 0xc74f20a3u);
}

// note_test.go TestNewVerifier / TestNewSigner: no proper part of a key text and no key text
// with one byte changed is accepted.
void SignedNoteTest::goKeyManglings()
{
    for (const std::string& key : { kPeterVerifier, kEnochVerifier, kSumdbVerifier }) {
        for (std::size_t i = 0; i <= key.size(); ++i) {
            for (std::size_t j = i + 1; j <= key.size(); ++j) {
                if (i == 0 && j == key.size())
                    continue;
                const std::string part = key.substr(i, j - i);
                QVERIFY2(!note::decodeVerifierKey(part).ok(), part.c_str());
            }
        }
        for (std::size_t i = 0; i < key.size(); ++i) {
            std::string changed = key;
            ++changed[i];
            QVERIFY2(!note::decodeVerifierKey(changed).ok(), changed.c_str());
        }
    }
    for (std::size_t i = 0; i <= kPeterSigner.size(); ++i) {
        for (std::size_t j = i + 1; j <= kPeterSigner.size(); ++j) {
            if (i == 0 && j == kPeterSigner.size())
                continue;
            const std::string part = kPeterSigner.substr(i, j - i);
            QVERIFY2(!note::decodeSigningKey(part).ok(), part.c_str());
        }
    }
    for (std::size_t i = 0; i < kPeterSigner.size(); ++i) {
        std::string changed = kPeterSigner;
        ++changed[i];
        QVERIFY2(!note::decodeSigningKey(changed).ok(), changed.c_str());
    }

    // Go's own two: a key of the wrong length and an unknown algorithm, each with the id made to
    // match so that only the key itself is wrong.
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")),
        QStringLiteral("note.bad_key"));
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")),
        QStringLiteral("note.unknown_algorithm"));
    // The id of another key.
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")),
        QStringLiteral("note.key_id_mismatch"));
    QCOMPARE(codeOf(note::decodeSigningKey(
                 "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")),
        QStringLiteral("note.key_id_mismatch"));
    // Another name under the same id and key.
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")),
        QStringLiteral("note.key_id_mismatch"));
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")),
        QStringLiteral("note.bad_name"));
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")),
        QStringLiteral("note.bad_key"));
    QCOMPARE(codeOf(note::decodeVerifierKey(
                 "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T")),
        QStringLiteral("note.bad_key"));
    // A verifier key where a signing key belongs, and the other way round.
    QCOMPARE(codeOf(note::decodeSigningKey(kPeterVerifier)), QStringLiteral("note.bad_key"));
    QVERIFY(!note::decodeVerifierKey(kPeterSigner).ok());
}

// note_test.go TestSign: Ed25519 is deterministic, so the signed note is byte-identical.
void SignedNoteTest::goSign()
{
    const auto signedNote = note::sign(kText, peter());
    QVERIFY(signedNote.ok());
    QCOMPARE(q(*signedNote), q(kText + "\n" + kPeterSig));
    // Text that does not end in a newline is not a note.
    QCOMPARE(codeOf(note::sign("abc", peter())), QStringLiteral("note.malformed"));
}

void SignedNoteTest::goAddSignature()
{
    // Peter countersigns the note EnochRoot signed: Enoch's line first, Peter's after it, as Go
    // writes existing signatures before new ones.
    const auto both = note::addSignature(kText + "\n" + kEnochSig, peter());
    QVERIFY(both.ok());
    QCOMPARE(q(*both), q(kText + "\n" + kEnochSig + kPeterSig));
    const auto opened = note::open(*both, { verifier(kPeterVerifier), verifier(kEnochVerifier) });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers, (std::vector<std::string> { "EnochRoot", "PeterNeumann" }));

    // A signature by the same key is replaced, as note_test.go's "BADSIGN" case checks.
    const QByteArray zeros = QByteArray::fromHex("c74f20a3") + QByteArray(64, '\0');
    const std::string stale = kDash + "PeterNeumann " + zeros.toBase64().toStdString() + "\n";
    const auto replaced = note::addSignature(kText + "\n" + stale + kEnochSig, peter());
    QVERIFY(replaced.ok());
    QCOMPARE(q(*replaced), q(kText + "\n" + kEnochSig + kPeterSig));
    // The stale line alone did not verify.
    QCOMPARE(codeOf(note::open(kText + "\n" + stale, { verifier(kPeterVerifier) })),
        QStringLiteral("note.bad_signature"));
    // Signing twice with the same key keeps one line.
    const auto again = note::addSignature(kText + "\n" + kPeterSig, peter());
    QVERIFY(again.ok());
    QCOMPARE(q(*again), q(kText + "\n" + kPeterSig));
    // A malformed note gets no signature.
    QCOMPARE(codeOf(note::addSignature(kText, peter())), QStringLiteral("note.malformed"));
}

// note_test.go TestOpen.
void SignedNoteTest::goOpen()
{
    const note::VerifierKey p = verifier(kPeterVerifier);
    const note::VerifierKey e = verifier(kEnochVerifier);
    const std::string both = kText + "\n" + kPeterSig + kEnochSig;

    auto opened = note::open(both, { p });
    QVERIFY(opened.ok());
    QCOMPARE(q(opened->text), q(kText));
    QCOMPARE(opened->signers, std::vector<std::string> { "PeterNeumann" });

    opened = note::open(both, { p, e });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers, (std::vector<std::string> { "PeterNeumann", "EnochRoot" }));

    opened = note::open(both, { e });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers, std::vector<std::string> { "EnochRoot" });

    // Neither signer known.
    opened = note::open(both, {});
    QCOMPARE(codeOf(opened), QStringLiteral("note.unverified"));
    QVERIFY(opened.failure().message.find("PeterNeumann+c74f20a3") != std::string::npos);

    // A known key listed twice is still one key.
    QVERIFY(note::open(kText + "\n" + kPeterSig, { e, p, e, p }).ok());

    // A known key's signature that does not verify fails the whole note.
    const std::string broken = kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60);
    opened = note::open(kText + "\n" + broken, { p });
    QCOMPARE(codeOf(opened), QStringLiteral("note.bad_signature"));
    QCOMPARE(q(opened.failure().message),
        QStringLiteral("the signature by PeterNeumann+c74f20a3 does not verify"));

    // Repeated signatures, and a broken one by a key we do not know.
    const std::string enochBroken = kEnochSig.substr(0, 60) + "ABCD" + kEnochSig.substr(60);
    opened = note::open(
        kText + "\n" + kPeterSig + kPeterSig + kEnochSig + kEnochSig + enochBroken, { p });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers, std::vector<std::string> { "PeterNeumann" });

    // Too many signatures.
    std::string many = kText + "\n";
    for (int i = 0; i < 101; ++i)
        many += kPeterSig;
    QCOMPARE(codeOf(note::open(many, { p })), QStringLiteral("note.malformed"));
    QCOMPARE(codeOf(note::open(many, {})), QStringLiteral("note.malformed"));
    // The spec asks for at least 16; we take Go's 100.
    std::string hundred = kText + "\n";
    for (int i = 0; i < 100; ++i)
        hundred += kPeterSig;
    QVERIFY(note::open(hundred, { p }).ok());

    // Peter's signature under another name, or with another key id: an unknown signer.
    std::string misnamed = kPeterSig;
    misnamed.replace(misnamed.find("PeterNeumann"), 12, "CarmenSandiego");
    QCOMPARE(codeOf(note::open(kText + "\n" + misnamed, { p })), QStringLiteral("note.unverified"));
    std::string wrongId = kPeterSig;
    wrongId.replace(wrongId.find("x08g"), 4, "xxxx");
    QCOMPARE(codeOf(note::open(kText + "\n" + wrongId, { p })), QStringLiteral("note.unverified"));
}

// note_test.go's badMsgs, and a few more.
void SignedNoteTest::goMalformedNotes()
{
    const note::VerifierKey p = verifier(kPeterVerifier);
    const std::vector<std::string> bad = {
        kText,
        kText + "\n",
        kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),
        "\x01" + kText + "\n" + kPeterSig,
        "\xff" + kText + "\n" + kPeterSig,
        kText + "\n" + kDash
            + "Bad Name "
              "x08go/ZJkuBS9UG/"
              "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        kText + "\n" + kPeterSig + "Unexpected line.\n",
        // Ours: a hyphen for the dash, a tab, a carriage return, a short signature, no base64.
        kText
            + "\n- PeterNeumann "
              "x08go/ZJkuBS9UG/"
              "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        kText + "\n" + kDash
            + "PeterNeumann\tx08go/ZJkuBS9UG/"
              "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1) + "\r\n",
        kText + "\n" + kDash + "PeterNeumann x08gow==\n", // a key id and no signature
        kText + "\n" + kDash + "PeterNeumann\n",
        kText + "\n" + kDash + "PeterNeumann \n",
        kText + "\n" + kDash
            + "PeterNeumann "
              "x08go/"
              "ZJkuBS9UG*"
              "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        kText + "\n" + kDash
            + "Peter+Neumann "
              "x08go/ZJkuBS9UG/"
              "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        // An overlong encoding of '/' inside the text.
        "\xC0\xAF" + kText + "\n" + kPeterSig,
        "",
        "\n\n",
    };
    for (const std::string& n : bad) {
        const auto opened = note::open(n, { p });
        QVERIFY2(!opened.ok() && opened.failure().code == "note.malformed", n.c_str());
    }
    // An extra blank line belongs to the text, which Peter did not sign.
    QCOMPARE(codeOf(note::open(kText + "\n\n" + kPeterSig, { p })),
        QStringLiteral("note.bad_signature"));
    // The body may hold blank lines: the last one separates it from the signatures.
    const std::string body = "first\n\nsecond\n";
    const auto opened = note::open(signedBy(body, peter()), { p });
    QVERIFY(opened.ok());
    QCOMPARE(q(opened->text), q(body));
}

void SignedNoteTest::sumdbCheckpoint()
{
    const note::VerifierKey sumdb = verifier(kSumdbVerifier);
    const auto opened = note::open(kSumdbCheckpoint, { sumdb });
    QVERIFY2(opened.ok(), opened ? "" : opened.failure().message.c_str());
    QCOMPARE(opened->signers, std::vector<std::string> { "sum.golang.org" });

    const auto checkpoint = note::parseCheckpoint(opened->text);
    QVERIFY(checkpoint.ok());
    QCOMPARE(q(checkpoint->origin), QStringLiteral("go.sum database tree"));
    QCOMPARE(checkpoint->size, std::uint64_t(30055305));
    QCOMPARE(q(latch::merkle::toBase64(checkpoint->root)),
        QStringLiteral("mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM="));
    QVERIFY(checkpoint->extensions.empty());
    const auto body = note::checkpointBody(checkpoint->origin, checkpoint->size, checkpoint->root);
    QVERIFY(body.ok());
    QCOMPARE(q(*body), q(opened->text));

    // One more leaf claimed, or one bit of the root changed: the log's signature no longer holds.
    std::string larger = kSumdbCheckpoint;
    larger.replace(larger.find("30055305"), 8, "30055306");
    QCOMPARE(codeOf(note::open(larger, { sumdb })), QStringLiteral("note.bad_signature"));
    std::string otherRoot = kSumdbCheckpoint;
    otherRoot.replace(otherRoot.find("mXfg"), 4, "mXfh");
    QCOMPARE(codeOf(note::open(otherRoot, { sumdb })), QStringLiteral("note.bad_signature"));
    // Peter's key does not speak for sum.golang.org.
    QCOMPARE(codeOf(note::open(kSumdbCheckpoint, { verifier(kPeterVerifier) })),
        QStringLiteral("note.unverified"));
}

void SignedNoteTest::generatedKeys()
{
    const note::SigningKey a = generated("latch.example/audit");
    const note::SigningKey b = generated("latch.example/audit");
    QVERIFY(a.publicKey != b.publicKey);
    QVERIFY(a.secret != b.secret);

    // key id = SHA-256(name || "\n" || 0x01 || public key)[:4], big endian.
    std::string input = "latch.example/audit\n\x01";
    input.append(reinterpret_cast<const char*>(a.publicKey.data()), a.publicKey.size());
    const latch::Digest digest = latch::sha256(input);
    const std::uint32_t expected = (std::uint32_t(digest[0]) << 24)
        | (std::uint32_t(digest[1]) << 16) | (std::uint32_t(digest[2]) << 8)
        | std::uint32_t(digest[3]);
    QCOMPARE(a.keyId, expected);

    // Text forms, as Go writes them, round trip.
    const std::string vkey = note::encodeVerifierKey(note::verifierKey(a));
    QVERIFY(vkey.starts_with("latch.example/audit+"));
    QCOMPARE(vkey.size(), std::string("latch.example/audit+").size() + 8 + 1 + 44);
    const auto v = note::decodeVerifierKey(vkey);
    QVERIFY(v.ok());
    QCOMPARE(q(v->name), q(a.name));
    QCOMPARE(v->keyId, a.keyId);
    QVERIFY(v->publicKey == a.publicKey);

    const std::string skey = note::encodeSigningKey(a);
    QVERIFY(skey.starts_with("PRIVATE+KEY+latch.example/audit+"));
    const auto s = note::decodeSigningKey(skey);
    QVERIFY(s.ok());
    QCOMPARE(q(s->name), q(a.name));
    QCOMPARE(s->keyId, a.keyId);
    QVERIFY(s->publicKey == a.publicKey);
    QVERIFY(s->secret == a.secret);

    // Signed with one, opened with its verifier key, from its text form.
    const std::string text = "Latch audit log\n42\n";
    const std::string signedNote = signedBy(text, *s);
    QCOMPARE(q(signedBy(text, a)), q(signedNote)); // deterministic
    const auto opened = note::open(signedNote, { *v });
    QVERIFY(opened.ok());
    QCOMPARE(q(opened->text), q(text));
    QCOMPARE(opened->signers, std::vector<std::string> { "latch.example/audit" });
    // Keys with the same name are told apart by their ids.
    QCOMPARE(codeOf(note::open(signedNote, { note::verifierKey(b) })),
        QStringLiteral("note.unverified"));

    // A hand-made key whose parts disagree signs nothing.
    note::SigningKey mixed = a;
    mixed.publicKey = b.publicKey;
    QCOMPARE(codeOf(note::sign(text, mixed)), QStringLiteral("note.bad_key"));
    mixed = a;
    mixed.keyId ^= 1;
    QCOMPARE(codeOf(note::sign(text, mixed)), QStringLiteral("note.bad_key"));
}

void SignedNoteTest::keyNames()
{
    for (const char* name : { "latch.example/audit", "PeterNeumann", "a",
             "\xC3\x9C"
             "ber/log",
             "x\x7fy", "\xF0\x9F\x94\x92" }) {
        QVERIFY2(note::isValidKeyName(name), name);
        QVERIFY2(note::generateKey(name).ok(), name);
    }
    // Empty, '+', ASCII and Unicode white space, control characters, broken UTF-8.
    const std::vector<std::string> bad = { "", "a+b", "+", "a b", " a", "a\t", "a\nb", "a\rb",
        "a\x01"
        "b",
        "a\xC2\xA0"
        "b",
        "a\xE2\x80\x83"
        "b",
        "a\xE3\x80\x80"
        "b",
        "a\xC2\x85"
        "b",
        "a\xE2\x80\xA8"
        "b",
        "\xff", "a\xC3", "\xED\xA0\x80", "\xC0\xAF", std::string("a\0b", 3) };
    for (const std::string& name : bad) {
        QVERIFY2(!note::isValidKeyName(name), name.c_str());
        QCOMPARE(codeOf(note::generateKey(name)), QStringLiteral("note.bad_name"));
    }
}

void SignedNoteTest::signRefusesBadText()
{
    const note::SigningKey key = generated("latch.example/audit");
    for (const std::string& text :
        std::vector<std::string> { "", "no newline", "line\nno final newline", "tab\there\n",
            "cr\r\n", "\xff\n", std::string("nul\0\n", 5) })
        QCOMPARE(codeOf(note::sign(text, key)), QStringLiteral("note.malformed"));
    // A single newline is the smallest text; blank lines inside are fine.
    QVERIFY(note::open(signedBy("\n", key), { note::verifierKey(key) }).ok());
    QVERIFY(note::open(signedBy("a\n\n\nb\n\n", key), { note::verifierKey(key) }).ok());
    QCOMPARE(q(note::open(signedBy("a\n\n\nb\n\n", key), { note::verifierKey(key) })->text),
        QStringLiteral("a\n\n\nb\n\n"));
}

void SignedNoteTest::tampering()
{
    const note::SigningKey key = generated("latch.example/audit");
    const note::VerifierKey good = note::verifierKey(key);
    const std::string text
        = "latch.example/audit\n17\nqL8xw0P5Sr1Y0QxIEhS9qFaqOEwDkHhKp5j4FwBkx1U=\n";
    const std::string signedNote = signedBy(text, key);
    QVERIFY(note::open(signedNote, { good }).ok());

    // Any changed byte of the body.
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n')
            continue;
        std::string changed = signedNote;
        changed[i] = changed[i] == 'A' ? 'B' : 'A';
        QVERIFY2(codeOf(note::open(changed, { good })) == "note.bad_signature",
            qPrintable(QString("body byte %1").arg(i)));
    }
    // Any changed character of the signature after the key id: the first 6 base64 characters
    // carry the id's 32 bits and 4 of the signature's; the last before the '=' carries 2
    // padding bits that must stay zero, so changing it makes the line malformed.
    const std::size_t sigStart = signedNote.rfind(' ') + 1;
    for (std::size_t i = sigStart + 6; i < signedNote.size() - 3; ++i) {
        std::string changed = signedNote;
        changed[i] = changed[i] == 'A' ? 'B' : 'A';
        QVERIFY2(codeOf(note::open(changed, { good })) == "note.bad_signature",
            qPrintable(QString("signature character %1").arg(i - sigStart)));
    }
    // A changed key id: another (unknown) key.
    std::string otherId = signedNote;
    otherId[sigStart] = otherId[sigStart] == 'A' ? 'B' : 'A';
    QCOMPARE(codeOf(note::open(otherId, { good })), QStringLiteral("note.unverified"));

    // The wrong public key under the right name and id.
    note::VerifierKey impostor = good;
    impostor.publicKey = generated("latch.example/audit").publicKey;
    QCOMPARE(codeOf(note::open(signedNote, { impostor })), QStringLiteral("note.bad_signature"));
    // The right key under another name, or another id: not this note's signer.
    note::VerifierKey renamed = good;
    renamed.name = "latch.example/other";
    QCOMPARE(codeOf(note::open(signedNote, { renamed })), QStringLiteral("note.unverified"));
    note::VerifierKey reIded = good;
    reIded.keyId ^= 0x80000000u;
    QCOMPARE(codeOf(note::open(signedNote, { reIded })), QStringLiteral("note.unverified"));
    // Only an unknown key: nothing to trust.
    QCOMPARE(codeOf(note::open(signedNote, { verifier(kPeterVerifier) })),
        QStringLiteral("note.unverified"));
    QCOMPARE(codeOf(note::open(signedNote, {})), QStringLiteral("note.unverified"));
    // The signature line moved under another name.
    std::string misnamed = signedNote;
    misnamed.replace(misnamed.rfind("latch.example/audit"), 19, "latch.example/other");
    QCOMPARE(codeOf(note::open(misnamed, { good })), QStringLiteral("note.unverified"));
    // A valid signature of this key over another text.
    const std::string otherNote = signedBy("latch.example/audit\n18\n", key);
    const std::string transplanted = text + "\n" + otherNote.substr(otherNote.rfind("\n\n") + 2);
    QCOMPARE(codeOf(note::open(transplanted, { good })), QStringLiteral("note.bad_signature"));
    // A truncated signature.
    std::string truncated = signedNote;
    truncated.replace(truncated.size() - 5, 4, "");
    QVERIFY(!note::open(truncated, { good }).ok());
}

void SignedNoteTest::unknownSignersAreIgnored()
{
    const note::SigningKey log = generated("latch.example/audit");
    const note::SigningKey witness = generated("witness.example/w1");
    const std::string text
        = "latch.example/audit\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    const auto cosigned = note::addSignature(signedBy(text, log), witness);
    QVERIFY(cosigned.ok());
    // Only the log's key known: the witness's line is skipped, not an error.
    auto opened = note::open(*cosigned, { note::verifierKey(log) });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers, std::vector<std::string> { "latch.example/audit" });
    // With both keys known, both verify.
    opened = note::open(*cosigned, { note::verifierKey(log), note::verifierKey(witness) });
    QVERIFY(opened.ok());
    QCOMPARE(opened->signers,
        (std::vector<std::string> { "latch.example/audit", "witness.example/w1" }));
    // A line that is no signature at all, under the witness's name and id: ignored while the
    // witness is unknown, refused once it is known.
    const QByteArray id
        = QByteArray::fromHex(QByteArray::number(witness.keyId, 16).rightJustified(8, '0'));
    const std::string garbage
        = kDash + "witness.example/w1 " + (id + "junk").toBase64().toStdString() + "\n";
    QVERIFY(note::open(*cosigned + garbage, { note::verifierKey(log) }).ok());
    QCOMPARE(codeOf(note::open(
                 *cosigned + garbage, { note::verifierKey(log), note::verifierKey(witness) })),
        QStringLiteral("note.bad_signature"));
}

void SignedNoteTest::ambiguousKeys()
{
    const note::SigningKey log = generated("latch.example/audit");
    const std::string signedNote = signedBy("x\n", log);
    note::VerifierKey twin = note::verifierKey(log);
    twin.publicKey[0] ^= 1; // same name and id, another key: the list itself is wrong
    QCOMPARE(codeOf(note::open(signedNote, { note::verifierKey(log), twin })),
        QStringLiteral("note.ambiguous_key"));
    // Unused, the clash does not matter.
    QVERIFY(note::open(
        signedBy("x\n", peter()), { verifier(kPeterVerifier), note::verifierKey(log), twin })
                .ok());
}

void SignedNoteTest::checkpointRoundTrip()
{
    // c2sp.org/tlog-checkpoint's example body.
    const std::string specBody = kSpecCheckpoint.substr(0, kSpecCheckpoint.find("\n\n") + 1);
    const auto spec = note::parseCheckpoint(specBody);
    QVERIFY(spec.ok());
    QCOMPARE(q(spec->origin), QStringLiteral("example.com/behind-the-sofa"));
    QCOMPARE(spec->size, std::uint64_t(20852163));
    QCOMPARE(q(latch::merkle::toBase64(spec->root)),
        QStringLiteral("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
    QCOMPARE(q(*note::checkpointBody(spec->origin, spec->size, spec->root)), q(specBody));
    // Its signature line is well formed, by a key we do not have.
    QCOMPARE(codeOf(note::open(kSpecCheckpoint, {})), QStringLiteral("note.unverified"));

    const latch::merkle::Hash root = latch::merkle::leafHash("root");
    for (std::uint64_t size : { std::uint64_t(0), std::uint64_t(1), std::uint64_t(10),
             std::uint64_t(1'000'000), std::uint64_t(18446744073709551615u) }) {
        const auto body = note::checkpointBody("latch.example/audit", size, root);
        QVERIFY(body.ok());
        QCOMPARE(q(*body),
            q("latch.example/audit\n" + std::to_string(size) + "\n" + latch::merkle::toBase64(root)
                + "\n"));
        const auto parsed = note::parseCheckpoint(*body);
        QVERIFY(parsed.ok());
        QCOMPARE(q(parsed->origin), QStringLiteral("latch.example/audit"));
        QCOMPARE(parsed->size, size);
        QVERIFY(parsed->root == root);
        QVERIFY(parsed->extensions.empty());
    }
    // Extension lines are kept, in order; the origin may hold spaces (it only SHOULD not).
    const auto extended = note::parseCheckpoint(
        "go.sum database tree\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nfirst "
        "ext\nsecond\n");
    QVERIFY(extended.ok());
    QCOMPARE(q(extended->origin), QStringLiteral("go.sum database tree"));
    QCOMPARE(extended->extensions, (std::vector<std::string> { "first ext", "second" }));
    QVERIFY(extended->root == latch::merkle::emptyRoot());
}

void SignedNoteTest::checkpointRefusals()
{
    const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const std::vector<std::string> bad = {
        "", "\n",
        "origin\n5\n", // no root line
        "origin\n", // nor size
        "origin\n5\n" + root, // no final newline
        "\n5\n" + root + "\n", // empty origin
        "origin\n\n" + root + "\n", // empty size
        "origin\n05\n" + root + "\n", // leading zero
        "origin\n00\n" + root + "\n", "origin\n+5\n" + root + "\n", "origin\n-5\n" + root + "\n",
        "origin\n5 \n" + root + "\n", "origin\n 5\n" + root + "\n", "origin\n0x10\n" + root + "\n",
        "origin\n1e3\n" + root + "\n",
        "origin\n18446744073709551616\n" + root + "\n", // 2^64
        "origin\n99999999999999999999\n" + root + "\n",
        "origin\n5\n" + root.substr(0, 43) + "\n", // padding dropped
        "origin\n5\nAAAA\n", // 3 bytes
        "origin\n5\n" + root.substr(0, 40) + "*" + root.substr(41) + "\n",
        "origin\n5\n" + root + "\n\n", // empty extension line
        "origin\n5\n" + root + "\n\next\n",
        "origin\n5\n" + root + "\r\n", // CR
        "ori\tgin\n5\n" + root + "\n", // control character
        "\xff"
        "origin\n5\n"
            + root + "\n", // broken UTF-8
        "origin\n5\n" + root + "\n\n" + kDash + "origin AAAAAAAA\n", // a whole note, not a body
    };
    for (const std::string& body : bad) {
        const auto parsed = note::parseCheckpoint(body);
        QVERIFY2(!parsed.ok() && parsed.failure().code == "checkpoint.malformed", body.c_str());
    }
    QVERIFY(note::parseCheckpoint("origin\n0\n" + root + "\n").ok());
    QVERIFY(note::parseCheckpoint("origin\n18446744073709551615\n" + root + "\n").ok());

    const latch::merkle::Hash hash = latch::merkle::emptyRoot();
    for (const std::string& origin :
        std::vector<std::string> { "", "two\nlines", "tab\there", "\xff", std::string("nul\0", 4) })
        QCOMPARE(
            codeOf(note::checkpointBody(origin, 1, hash)), QStringLiteral("checkpoint.bad_origin"));
}

void SignedNoteTest::signedCheckpoint()
{
    const note::SigningKey log = generated("latch.example/audit");
    std::vector<latch::merkle::Hash> leaves;
    for (int i = 0; i < 5; ++i)
        leaves.push_back(latch::merkle::leafHash("event " + std::to_string(i)));
    const latch::merkle::Hash root = latch::merkle::root(5, latch::merkle::memorySource(leaves));
    const auto body = note::checkpointBody(log.name, 5, root);
    QVERIFY(body.ok());
    const std::string checkpoint = signedBy(*body, log);

    const auto opened = note::open(checkpoint, { note::verifierKey(log) });
    QVERIFY(opened.ok());
    const auto parsed = note::parseCheckpoint(opened->text);
    QVERIFY(parsed.ok());
    QCOMPARE(q(parsed->origin), q(log.name));
    QCOMPARE(parsed->size, std::uint64_t(5));
    QVERIFY(parsed->root == root);
    // The checkpoint vouches for leaf 3 through an inclusion proof against its own size and root.
    const auto proof = latch::merkle::inclusionProof(3, 5, latch::merkle::memorySource(leaves));
    QVERIFY(latch::merkle::verifyInclusion(3, parsed->size, leaves[3], proof, parsed->root));
}

QTEST_GUILESS_MAIN(SignedNoteTest)
#include "signednotetest.moc"
