// The audit log's Merkle tree, checked the way an outside verifier would check it: byte for byte
// against the RFC 6962 vectors published with certificate-transparency / Trillian /
// transparency-dev merkle, then exhaustively for small trees (stored subtrees and in-memory leaves
// give the same proofs, and they verify), then against tampering, then at a million leaves.
//
// Published vectors: transparency-dev/merkle testonly/constants.go (leaves, node hashes, roots,
// compact trees), proof/verify_test.go (inclusion and consistency proofs), rfc6962/rfc6962_test.go
// (leaf hashes) and testonly/vectors_test.go (the accumulated subtree vectors of
// draft-ietf-plants-merkle-tree-certs).
#include "latch/merkle.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace merkle = latch::merkle;
using merkle::Hash;

namespace {

Hash h(const char* hex)
{
    const QByteArray bytes = QByteArray::fromHex(hex);
    const auto hash = merkle::hashFromBytes(std::string_view(bytes.constData(), bytes.size()));
    Q_ASSERT(hash.has_value());
    return *hash;
}

QByteArray hex(const Hash& hash)
{
    return QByteArray(reinterpret_cast<const char*>(hash.data()), qsizetype(hash.size())).toHex();
}

QByteArray hex(const std::vector<Hash>& proof)
{
    QByteArrayList parts;
    for (const Hash& p : proof)
        parts << hex(p);
    return "[" + parts.join(' ') + "]";
}

// testonly.LeafInputs(): the eight leaves every RFC 6962 implementation in that family tests with.
std::vector<std::string> publishedLeaves()
{
    std::vector<std::string> leaves;
    for (const char* x : { "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f" })
        leaves.push_back(QByteArray::fromHex(x).toStdString());
    return leaves;
}

// testonly.RootHashes(): MTH of the first n leaves, n = 0..8.
const char* const kRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// testonly.NodeHashes(): every perfect subtree of the 8-leaf tree, by level then index.
const std::vector<std::vector<const char*>> kNodes = {
    { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1" },
    { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0" },
    { "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" },
    { "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" },
};

// testonly.CompactTrees(): the right-edge frontier after n appends, as (level, index) of kNodes.
const std::vector<std::vector<std::pair<int, int>>> kFrontiers = {
    {},
    { { 0, 0 } },
    { { 1, 0 } },
    { { 1, 0 }, { 0, 2 } },
    { { 2, 0 } },
    { { 2, 0 }, { 0, 4 } },
    { { 2, 0 }, { 1, 2 } },
    { { 2, 0 }, { 1, 2 }, { 0, 6 } },
    { { 3, 0 } },
};

struct ProofVector {
    std::uint64_t a; // inclusion: the leaf, 1-based as in the source table; consistency: size1
    std::uint64_t b; // tree size; consistency: size2
    std::vector<const char*> proof;
};

// proof/verify_test.go inclusionProofs (leaf numbers are 1-based there).
const std::vector<ProofVector> kInclusionProofs = {
    { 1, 1, {} },
    { 1, 8,
        { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8,
        { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 3, 3, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
    { 2, 5,
        { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

// proof/verify_test.go consistencyProofs.
const std::vector<ProofVector> kConsistencyProofs = {
    { 1, 1, {} },
    { 1, 8,
        { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8,
        { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 2, 5,
        { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
    { 6, 7,
        { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

std::vector<Hash> hashes(const std::vector<const char*>& hexes)
{
    std::vector<Hash> out;
    for (const char* x : hexes)
        out.push_back(h(x));
    return out;
}

// A log's stored perfect subtrees, filled only through append() as the store fills them.
class StoredTree {
public:
    void append(const Hash& leaf)
    {
        for (const merkle::Node& n : merkle::append(m_frontier, m_size, leaf)) {
            if (m_levels.size() <= n.level)
                m_levels.resize(n.level + 1);
            auto& row = m_levels[n.level];
            // Nodes arrive in order, each exactly once.
            Q_ASSERT(row.size() == n.index);
            row.push_back(n.hash);
        }
        ++m_size;
    }

    merkle::SubtreeSource source() const
    {
        return merkle::perfectSource([this](std::uint32_t level, std::uint64_t index) {
            if (level >= m_levels.size() || index >= m_levels[level].size()) {
                ++m_missing;
                return Hash {};
            }
            return m_levels[level][index];
        });
    }

    std::uint64_t size() const { return m_size; }
    const std::vector<Hash>& frontier() const { return m_frontier; }
    const std::vector<std::vector<Hash>>& levels() const { return m_levels; }
    // Lookups of subtrees append() never wrote: must stay 0.
    int missing() const { return m_missing; }

private:
    std::uint64_t m_size = 0;
    std::vector<Hash> m_frontier;
    std::vector<std::vector<Hash>> m_levels;
    mutable int m_missing = 0;
};

// The published leaves' hashes, each appended to `stored` as well.
std::vector<Hash> publishedTree(StoredTree& stored)
{
    std::vector<Hash> leaves;
    for (const std::string& d : publishedLeaves()) {
        leaves.push_back(merkle::leafHash(d));
        stored.append(leaves.back());
    }
    return leaves;
}

Hash flipped(Hash hash, std::size_t byte, int bit)
{
    hash[byte] ^= static_cast<std::uint8_t>(1u << bit);
    return hash;
}

Hash leafFor(std::uint64_t i)
{
    return merkle::leafHash("event " + std::to_string(i));
}

} // namespace

class MerkleTest : public QObject {
    Q_OBJECT

private slots:
    void publishedHashes();
    void publishedRoots();
    void appendWritesPublishedNodes();
    void appendWritesInPositionOrder();
    void publishedInclusionProofs();
    void publishedConsistencyProofs();
    void publishedSubtreeVectors();

    void everySizeUpTo70();
    void tamperedInclusionFails();
    void tamperedConsistencyFails();
    void sizeIsBoundByTheRoot();
    void edgeCases();

    void millionLeaves();
    void base64();
};

void MerkleTest::publishedHashes()
{
    // rfc6962/rfc6962_test.go TestRFC6962Hasher.
    QCOMPARE(hex(merkle::emptyRoot()),
        QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(hex(merkle::leafHash("")),
        QByteArray("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
    QCOMPARE(hex(merkle::leafHash("L123456")),
        QByteArray("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"));
    // The empty tree is not the empty leaf, and a node is not a leaf over the same bytes.
    QVERIFY(merkle::emptyRoot() != merkle::leafHash(""));
    const Hash a = merkle::leafHash("Hello");
    const Hash b = merkle::leafHash("World");
    const std::string both = std::string(a.begin(), a.end()) + std::string(b.begin(), b.end());
    QVERIFY(merkle::nodeHash(a, b) != merkle::leafHash(both));
    QVERIFY(merkle::nodeHash(a, b) != merkle::nodeHash(b, a));
}

void MerkleTest::publishedRoots()
{
    const std::vector<std::string> data = publishedLeaves();
    std::vector<Hash> leaves;
    StoredTree stored;
    QCOMPARE(hex(merkle::root(0, merkle::memorySource(leaves))), QByteArray(kRoots[0]));
    QCOMPARE(hex(merkle::frontierRoot(stored.frontier())), QByteArray(kRoots[0]));
    for (std::size_t n = 1; n <= data.size(); ++n) {
        leaves.push_back(merkle::leafHash(data[n - 1]));
        stored.append(leaves.back());
        const QByteArray want(kRoots[n]);
        QCOMPARE(hex(merkle::root(n, merkle::memorySource(leaves))), want);
        QCOMPARE(hex(merkle::root(n, stored.source())), want);
        QCOMPARE(hex(merkle::frontierRoot(stored.frontier())), want);
    }
    QCOMPARE(stored.missing(), 0);
}

void MerkleTest::appendWritesPublishedNodes()
{
    const std::vector<std::string> data = publishedLeaves();
    StoredTree stored;
    for (std::size_t n = 1; n <= data.size(); ++n) {
        stored.append(merkle::leafHash(data[n - 1]));
        QByteArrayList got;
        QByteArrayList want;
        for (const Hash& f : stored.frontier())
            got << hex(f);
        for (const auto& [level, index] : kFrontiers[n])
            want << QByteArray(kNodes[level][index]);
        QCOMPARE(got, want);
    }
    // Every perfect subtree of the 8-leaf tree was written, with the published hash, and no other.
    QCOMPARE(stored.levels().size(), kNodes.size());
    for (std::size_t level = 0; level < kNodes.size(); ++level) {
        QCOMPARE(stored.levels()[level].size(), kNodes[level].size());
        for (std::size_t i = 0; i < kNodes[level].size(); ++i)
            QCOMPARE(hex(stored.levels()[level][i]), QByteArray(kNodes[level][i]));
    }
}

void MerkleTest::publishedInclusionProofs()
{
    StoredTree stored;
    const std::vector<Hash> leaves = publishedTree(stored);
    for (const ProofVector& v : kInclusionProofs) {
        const std::uint64_t index = v.a - 1;
        const std::uint64_t size = v.b;
        const std::vector<Hash> want = hashes(v.proof);
        const std::vector<Hash> fromMemory
            = merkle::inclusionProof(index, size, merkle::memorySource(leaves));
        const std::vector<Hash> fromStore = merkle::inclusionProof(index, size, stored.source());
        const QByteArray where
            = QByteArray("leaf ") + QByteArray::number(index) + " of " + QByteArray::number(size);
        QVERIFY2(
            fromMemory == want, (where + ": " + hex(fromMemory) + " != " + hex(want)).constData());
        QVERIFY2(
            fromStore == want, (where + ": " + hex(fromStore) + " != " + hex(want)).constData());
        QVERIFY2(merkle::verifyInclusion(index, size, leaves[index], want, h(kRoots[size])),
            where.constData());
    }
    // {0, 0, nil} in the source table: no leaf, no proof, nothing verifies.
    QVERIFY(merkle::inclusionProof(0, 0, merkle::memorySource(leaves)).empty());
    QVERIFY(!merkle::verifyInclusion(0, 0, leaves[0], {}, h(kRoots[0])));
    QCOMPARE(stored.missing(), 0);
}

void MerkleTest::publishedConsistencyProofs()
{
    StoredTree stored;
    const std::vector<Hash> leaves = publishedTree(stored);
    for (const ProofVector& v : kConsistencyProofs) {
        const std::vector<Hash> want = hashes(v.proof);
        const std::vector<Hash> fromMemory
            = merkle::consistencyProof(v.a, v.b, merkle::memorySource(leaves));
        const std::vector<Hash> fromStore = merkle::consistencyProof(v.a, v.b, stored.source());
        const QByteArray where = QByteArray::number(v.a) + " -> " + QByteArray::number(v.b);
        QVERIFY2(
            fromMemory == want, (where + ": " + hex(fromMemory) + " != " + hex(want)).constData());
        QVERIFY2(
            fromStore == want, (where + ": " + hex(fromStore) + " != " + hex(want)).constData());
        QVERIFY2(merkle::verifyConsistency(v.a, v.b, h(kRoots[v.a]), h(kRoots[v.b]), want),
            where.constData());
    }
    QCOMPARE(stored.missing(), 0);
}

// testonly/vectors_test.go: over a tree of 130 leaves d[i] = byte(i), every valid subtree
// [start, end) (start 0, or a multiple of the smallest power of two >= end - start) is written as
// a line, and the lines are hashed into one SHA-256 the draft publishes. A subtree's hash is MTH of
// its leaves and a leaf's proof in it is PATH within those leaves, so both come from our
// root()/inclusionProof() over a source shifted to the subtree's start.
void MerkleTest::publishedSubtreeVectors()
{
    constexpr std::uint64_t kMax = 130;
    StoredTree stored;
    for (std::uint64_t i = 0; i < kMax; ++i)
        stored.append(merkle::leafHash(std::string(1, static_cast<char>(i))));
    const merkle::SubtreeSource whole = stored.source();
    auto bitCeil = [](std::uint64_t n) { return n <= 1 ? 1 : std::bit_ceil(n); };
    auto valid = [&](std::uint64_t start, std::uint64_t end) {
        return start < end && (start == 0 || start % bitCeil(end - start) == 0);
    };

    QCryptographicHash hashLines(QCryptographicHash::Sha256);
    QCryptographicHash proofLines(QCryptographicHash::Sha256);
    for (std::uint64_t end = 1; end <= kMax; ++end) {
        for (std::uint64_t start = 0; start < end; ++start) {
            if (!valid(start, end))
                continue;
            const merkle::SubtreeSource shifted
                = [&whole, start](
                      std::uint64_t b, std::uint64_t e) { return whole(start + b, start + e); };
            const QByteArray range
                = "[" + QByteArray::number(start) + ", " + QByteArray::number(end) + ")";
            hashLines.addData(range + " " + hex(merkle::root(end - start, shifted)) + "\n");
            for (std::uint64_t index = start; index < end; ++index) {
                QByteArray line = QByteArray::number(index) + " " + range;
                for (const Hash& p : merkle::inclusionProof(index - start, end - start, shifted))
                    line += " " + hex(p);
                proofLines.addData(line + "\n");
            }
        }
    }
    QCOMPARE(hashLines.result().toHex(),
        QByteArray("94a95384a8c69acea9b50d035a58285b3a777cb7a724005faa5e1f1e1190007f"));
    QCOMPARE(proofLines.result().toHex(),
        QByteArray("ac2a8f989e44d99e399db448050ff5f19757df53cfb716aa81015d3955d8163f"));
    QCOMPARE(stored.missing(), 0);
}

void MerkleTest::everySizeUpTo70()
{
    constexpr std::uint64_t kMax = 70;
    std::vector<Hash> leaves;
    StoredTree stored;
    std::vector<Hash> roots { merkle::emptyRoot() };
    for (std::uint64_t n = 1; n <= kMax; ++n) {
        leaves.push_back(leafFor(n - 1));
        // The store holds only what append() has written so far.
        stored.append(leaves.back());
        const merkle::SubtreeSource memory = merkle::memorySource(leaves);
        const merkle::SubtreeSource store = stored.source();

        const Hash root = merkle::root(n, memory);
        QCOMPARE(hex(merkle::root(n, store)), hex(root));
        QCOMPARE(hex(merkle::frontierRoot(stored.frontier())), hex(root));
        QCOMPARE(stored.frontier().size(), std::size_t(std::popcount(n)));
        roots.push_back(root);

        for (std::uint64_t i = 0; i < n; ++i) {
            const std::vector<Hash> proof = merkle::inclusionProof(i, n, memory);
            QVERIFY2(merkle::inclusionProof(i, n, store) == proof,
                qPrintable(QString("inclusion %1 of %2").arg(i).arg(n)));
            QVERIFY2(merkle::verifyInclusion(i, n, leaves[i], proof, root),
                qPrintable(QString("inclusion %1 of %2").arg(i).arg(n)));
            QVERIFY(proof.size() <= std::size_t(std::bit_width(n - 1)));
        }
        for (std::uint64_t m = 0; m <= n; ++m) {
            const std::vector<Hash> proof = merkle::consistencyProof(m, n, memory);
            QVERIFY2(merkle::consistencyProof(m, n, store) == proof,
                qPrintable(QString("consistency %1 -> %2").arg(m).arg(n)));
            QVERIFY2(merkle::verifyConsistency(m, n, roots[m], root, proof),
                qPrintable(QString("consistency %1 -> %2").arg(m).arg(n)));
            QCOMPARE(proof.empty(), m == 0 || m == n);
        }
    }
    QCOMPARE(stored.missing(), 0);
}

void MerkleTest::tamperedInclusionFails()
{
    constexpr std::uint64_t kMax = 70;
    std::vector<Hash> leaves;
    for (std::uint64_t i = 0; i < kMax; ++i)
        leaves.push_back(leafFor(i));
    const merkle::SubtreeSource memory = merkle::memorySource(leaves);
    const Hash other = merkle::leafHash("not in the log");

    for (std::uint64_t n = 1; n <= kMax; ++n) {
        const Hash root = merkle::root(n, memory);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::vector<Hash> proof = merkle::inclusionProof(i, n, memory);
            const QString where = QString("leaf %1 of %2: ").arg(i).arg(n);
            auto refused = [&](const std::vector<Hash>& p, std::uint64_t index, std::uint64_t size,
                               const Hash& leaf, const Hash& r) {
                return !merkle::verifyInclusion(index, size, leaf, p, r);
            };
            // A flipped bit anywhere in any element.
            for (std::size_t k = 0; k < proof.size(); ++k) {
                for (std::size_t byte : { std::size_t(0), std::size_t(17), std::size_t(31) }) {
                    for (int bit : { 0, 3, 7 }) {
                        std::vector<Hash> bad = proof;
                        bad[k] = flipped(bad[k], byte, bit);
                        QVERIFY2(refused(bad, i, n, leaves[i], root),
                            qPrintable(where + QString("element %1 flipped").arg(k)));
                    }
                }
            }
            // Every other index, including one past the end, and the same leaf at another place.
            for (std::uint64_t j = 0; j <= n; ++j) {
                if (j != i)
                    QVERIFY2(refused(proof, j, n, leaves[i], root),
                        qPrintable(where + QString("index %1").arg(j)));
            }
            // Sizes that move the leaf to another depth (the Go verifier's own probes).
            QVERIFY2(refused(proof, i, n * 2, leaves[i], root), qPrintable(where + "size * 2"));
            QVERIFY2(refused(proof, i, n / 2, leaves[i], root), qPrintable(where + "size / 2"));
            QVERIFY2(refused(proof, i, 0, leaves[i], root), qPrintable(where + "size 0"));
            // Wrong leaf, wrong root.
            QVERIFY2(refused(proof, i, n, other, root), qPrintable(where + "wrong leaf"));
            QVERIFY2(refused(proof, i, n, leaves[i], flipped(root, 5, 1)),
                qPrintable(where + "wrong root"));
            QVERIFY2(refused(proof, i, n, leaves[i], merkle::emptyRoot()),
                qPrintable(where + "empty root"));
            // Truncated, extended, padded at the front, an element swapped in.
            if (!proof.empty()) {
                std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
                QVERIFY2(refused(shorter, i, n, leaves[i], root), qPrintable(where + "truncated"));
                std::vector<Hash> headless(proof.begin() + 1, proof.end());
                QVERIFY2(
                    refused(headless, i, n, leaves[i], root), qPrintable(where + "first removed"));
            }
            std::vector<Hash> longer = proof;
            longer.push_back(root);
            QVERIFY2(refused(longer, i, n, leaves[i], root), qPrintable(where + "trailing root"));
            longer.back() = Hash {};
            QVERIFY2(refused(longer, i, n, leaves[i], root), qPrintable(where + "trailing zero"));
            std::vector<Hash> prefixed = proof;
            prefixed.insert(prefixed.begin(), other);
            QVERIFY2(
                refused(prefixed, i, n, leaves[i], root), qPrintable(where + "preceding garbage"));
            if (proof.size() > 1) {
                std::vector<Hash> swapped = proof;
                std::swap(swapped[0], swapped[1]);
                QVERIFY2(refused(swapped, i, n, leaves[i], root), qPrintable(where + "swapped"));
            }
        }
    }
}

void MerkleTest::tamperedConsistencyFails()
{
    constexpr std::uint64_t kMax = 70;
    std::vector<Hash> leaves;
    for (std::uint64_t i = 0; i < kMax; ++i)
        leaves.push_back(leafFor(i));
    const merkle::SubtreeSource memory = merkle::memorySource(leaves);
    std::vector<Hash> roots;
    for (std::uint64_t n = 0; n <= kMax; ++n)
        roots.push_back(merkle::root(n, memory));
    const Hash other = merkle::leafHash("not in the log");

    for (std::uint64_t n = 2; n <= kMax; ++n) {
        for (std::uint64_t m = 1; m < n; ++m) {
            const std::vector<Hash> proof = merkle::consistencyProof(m, n, memory);
            const QString where = QString("%1 -> %2: ").arg(m).arg(n);
            auto refused = [&](const std::vector<Hash>& p, std::uint64_t oldSize,
                               std::uint64_t newSize, const Hash& oldRoot, const Hash& newRoot) {
                return !merkle::verifyConsistency(oldSize, newSize, oldRoot, newRoot, p);
            };
            QVERIFY(!proof.empty());
            for (std::size_t k = 0; k < proof.size(); ++k) {
                for (std::size_t byte : { std::size_t(0), std::size_t(17), std::size_t(31) }) {
                    for (int bit : { 0, 4, 7 }) {
                        std::vector<Hash> bad = proof;
                        bad[k] = flipped(bad[k], byte, bit);
                        QVERIFY2(refused(bad, m, n, roots[m], roots[n]),
                            qPrintable(where + QString("element %1 flipped").arg(k)));
                    }
                }
            }
            // Another old size with this proof and these roots.
            for (std::uint64_t m2 = 1; m2 <= n; ++m2) {
                if (m2 != m)
                    QVERIFY2(refused(proof, m2, n, roots[m], roots[n]),
                        qPrintable(where + QString("old size %1").arg(m2)));
            }
            QVERIFY2(refused(proof, m, n * 2, roots[m], roots[n]), qPrintable(where + "size2 * 2"));
            QVERIFY2(refused(proof, m, n / 2, roots[m], roots[n]), qPrintable(where + "size2 / 2"));
            QVERIFY2(refused(proof, n, m, roots[n], roots[m]), qPrintable(where + "backwards"));
            // Wrong roots.
            QVERIFY2(refused(proof, m, n, flipped(roots[m], 0, 0), roots[n]),
                qPrintable(where + "wrong old root"));
            QVERIFY2(refused(proof, m, n, roots[m], flipped(roots[n], 31, 7)),
                qPrintable(where + "wrong new root"));
            QVERIFY2(refused(proof, m, n, roots[n], roots[m]), qPrintable(where + "roots swapped"));
            QVERIFY2(refused(proof, m, n, roots[m - 1], roots[n]),
                qPrintable(where + "previous old root"));
            // Empty, truncated, extended, padded at the front.
            QVERIFY2(refused({}, m, n, roots[m], roots[n]), qPrintable(where + "empty proof"));
            std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
            QVERIFY2(refused(shorter, m, n, roots[m], roots[n]), qPrintable(where + "truncated"));
            for (const Hash& extra : { roots[m], roots[n], other, Hash {} }) {
                std::vector<Hash> longer = proof;
                longer.push_back(extra);
                QVERIFY2(refused(longer, m, n, roots[m], roots[n]), qPrintable(where + "extended"));
                std::vector<Hash> prefixed = proof;
                prefixed.insert(prefixed.begin(), extra);
                QVERIFY2(
                    refused(prefixed, m, n, roots[m], roots[n]), qPrintable(where + "preceded"));
            }
            std::vector<Hash> doubled = proof;
            doubled.insert(doubled.begin(), proof.front());
            QVERIFY2(
                refused(doubled, m, n, roots[m], roots[n]), qPrintable(where + "proof[0] twice"));
        }
    }
}

// A proof does not name the tree size by itself: the size only shapes the path. A path for one
// size can therefore fit another size with the same shape at that leaf, and then it "verifies"
// against the root it was made for. What binds a root to its size is the signed checkpoint that
// carries both; a verifier must take size and root together from one checkpoint.
void MerkleTest::sizeIsBoundByTheRoot()
{
    std::vector<Hash> leaves;
    for (std::uint64_t i = 0; i < 4; ++i)
        leaves.push_back(leafFor(i));
    const merkle::SubtreeSource memory = merkle::memorySource(leaves);
    const Hash root4 = merkle::root(4, memory);
    const std::vector<Hash> proof = merkle::inclusionProof(0, 4, memory);
    QVERIFY(merkle::verifyInclusion(0, 4, leaves[0], proof, root4));
    // Leaf 0's path in a tree of 3 has the shape of its path in a tree of 4.
    QVERIFY(merkle::verifyInclusion(0, 3, leaves[0], proof, root4));
    // But not against the root of 3 leaves, which a checkpoint of size 3 would carry.
    QVERIFY(!merkle::verifyInclusion(0, 3, leaves[0], proof, merkle::root(3, memory)));
    // Leaf 3 does not exist in a tree of 3, whatever the proof.
    QVERIFY(!merkle::verifyInclusion(3, 3, leaves[3], merkle::inclusionProof(3, 4, memory), root4));
}

void MerkleTest::edgeCases()
{
    std::vector<Hash> leaves;
    for (std::uint64_t i = 0; i < 9; ++i)
        leaves.push_back(leafFor(i));
    const merkle::SubtreeSource memory = merkle::memorySource(leaves);
    const Hash r5 = merkle::root(5, memory);
    const Hash r9 = merkle::root(9, memory);

    // Equal sizes: an empty proof and equal roots, nothing else.
    QVERIFY(merkle::verifyConsistency(5, 5, r5, r5, {}));
    QVERIFY(!merkle::verifyConsistency(5, 5, r5, r9, {}));
    QVERIFY(!merkle::verifyConsistency(5, 5, r5, r5, { r5 }));
    QVERIFY(merkle::consistencyProof(5, 5, memory).empty());
    QVERIFY(merkle::verifyConsistency(0, 0, merkle::emptyRoot(), merkle::emptyRoot(), {}));
    QVERIFY(!merkle::verifyConsistency(0, 0, merkle::emptyRoot(), r5, {}));
    // The empty tree is a prefix of every tree, with an empty proof only.
    QVERIFY(merkle::verifyConsistency(0, 9, merkle::emptyRoot(), r9, {}));
    QVERIFY(!merkle::verifyConsistency(0, 9, merkle::emptyRoot(), r9, { r9 }));
    // The old tree cannot be larger than the new one, whatever the proof.
    const std::vector<Hash> forward = merkle::consistencyProof(5, 9, memory);
    QVERIFY(merkle::verifyConsistency(5, 9, r5, r9, forward));
    QVERIFY(!merkle::verifyConsistency(9, 5, r9, r5, forward));
    QVERIFY(!merkle::verifyConsistency(9, 5, r5, r9, forward));
    QVERIFY(!merkle::verifyConsistency(9, 5, r9, r5, {}));
    QVERIFY(merkle::consistencyProof(9, 5, memory).empty());
    // A sole leaf is its own root, with an empty path.
    QVERIFY(merkle::inclusionProof(0, 1, memory).empty());
    QVERIFY(merkle::verifyInclusion(0, 1, leaves[0], {}, leaves[0]));
    QVERIFY(!merkle::verifyInclusion(0, 1, leaves[0], { leaves[1] }, leaves[0]));
    QVERIFY(!merkle::verifyInclusion(1, 1, leaves[0], {}, leaves[0]));
    // No path for a leaf outside the tree.
    QVERIFY(merkle::inclusionProof(9, 9, memory).empty());
    QVERIFY(!merkle::verifyInclusion(9, 9, leaves[0], {}, r9));
    QCOMPARE(hex(merkle::frontierRoot({})), hex(merkle::emptyRoot()));
    // splitPoint: the largest power of two below n.
    QCOMPARE(merkle::splitPoint(2), std::uint64_t(1));
    QCOMPARE(merkle::splitPoint(3), std::uint64_t(2));
    QCOMPARE(merkle::splitPoint(4), std::uint64_t(2));
    QCOMPARE(merkle::splitPoint(5), std::uint64_t(4));
    QCOMPARE(merkle::splitPoint(1'000'000), std::uint64_t(524'288));
    QCOMPARE(merkle::splitPoint((std::uint64_t(1) << 63) + 1), std::uint64_t(1) << 63);
}

void MerkleTest::millionLeaves()
{
    constexpr std::uint64_t kSize = 1'000'000;
    QElapsedTimer timer;
    timer.start();
    StoredTree stored;
    for (std::uint64_t i = 0; i < kSize; ++i)
        stored.append(leafFor(i));
    const qint64 fillMs = timer.elapsed();
    const Hash root = merkle::frontierRoot(stored.frontier());
    const merkle::SubtreeSource source = stored.source();
    QCOMPARE(hex(merkle::root(kSize, source)), hex(root));

    timer.restart();
    std::size_t longest = 0;
    for (std::uint64_t i : { std::uint64_t(0), std::uint64_t(1), std::uint64_t(123'456),
             std::uint64_t(524'287), std::uint64_t(524'288), std::uint64_t(999'998), kSize - 1 }) {
        const std::vector<Hash> proof = merkle::inclusionProof(i, kSize, source);
        QVERIFY2(proof.size() <= 20, qPrintable(QString("leaf %1: %2").arg(i).arg(proof.size())));
        QVERIFY(merkle::verifyInclusion(i, kSize, leafFor(i), proof, root));
        QVERIFY(!merkle::verifyInclusion(i, kSize, leafFor(i + 1), proof, root));
        longest = std::max(longest, proof.size());
        if (i == 123'456)
            qInfo("inclusion proof of leaf 123456 in 1000000 leaves: %zu hashes", proof.size());
        if (i == kSize - 1)
            qInfo("inclusion proof of the last of 1000000 leaves: %zu hashes", proof.size());
    }
    qInfo("longest inclusion proof at 1000000 leaves: %zu hashes", longest);

    // A consistency proof between two large trees is O(log n) too.
    const std::uint64_t oldSize = 999'000;
    const std::vector<Hash> proof = merkle::consistencyProof(oldSize, kSize, source);
    const Hash oldRoot = merkle::root(oldSize, source);
    QVERIFY(proof.size() <= 2 * 20);
    QVERIFY(merkle::verifyConsistency(oldSize, kSize, oldRoot, root, proof));
    qInfo("consistency proof 999000 -> 1000000: %zu hashes", proof.size());
    qInfo("append of 1000000 leaves took %lld ms; proofs and checks %lld ms", fillMs,
        timer.elapsed());
    QCOMPARE(stored.missing(), 0);
}

void MerkleTest::base64()
{
    // SHA-256("") in standard base64 with padding.
    QCOMPARE(merkle::toBase64(merkle::emptyRoot()),
        std::string("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    QCOMPARE(hex(*merkle::hashFromBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")),
        hex(merkle::emptyRoot()));
    // The tlog-checkpoint example's root line.
    const auto example = merkle::hashFromBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    QVERIFY(example.has_value());
    QCOMPARE(
        merkle::toBase64(*example), std::string("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));

    for (std::uint64_t i = 0; i < 300; ++i) {
        const Hash hash = leafFor(i);
        const std::string text = merkle::toBase64(hash);
        QCOMPARE(text.size(), std::size_t(44));
        const auto back = merkle::hashFromBase64(text);
        QVERIFY(back.has_value());
        QCOMPARE(hex(*back), hex(hash));
    }
    Hash ones {};
    ones.fill(0xff);
    QCOMPARE(merkle::toBase64(ones), std::string("//////////////////////////////////////////8="));
    QVERIFY(merkle::hashFromBase64(merkle::toBase64(ones)).has_value());

    const std::string good = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const std::vector<std::string> bad = {
        "", good.substr(0, 43), // padding dropped
        good + "=", // 45 characters
        good.substr(0, 40) + "====", // 30 bytes, padded out
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUA", // no padding: 33 bytes
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=", // stray bits in the last character
        "47DEQpj8HBSa-_TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", // base64url alphabet
        "47DEQpj8HBSa+/TImW+5JCeuQeRk*5NMpJWZG7hSuFU=", // not base64 at all
        "47DEQpj8HBSa+/TImW+5JCeuQeRk 5NMpJWZG7hSuFU=", // a space inside
        " 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", // a leading space, padding dropped
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF\n=", // a newline inside
        "47DEQpj8HBSa+/TImW+5JCeu=eRkm5NMpJWZG7hSuFU=", // padding in the middle
        std::string("47DEQpj8HBSa+/TImW+5JCeu\0eRkm5NMpJWZG7hSuFU=", 44), // a NUL inside
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 36 bytes
    };
    for (const std::string& text : bad)
        QVERIFY2(!merkle::hashFromBase64(text).has_value(), text.c_str());

    QVERIFY(!merkle::hashFromBytes(std::string(31, 'x')).has_value());
    QVERIFY(!merkle::hashFromBytes(std::string(33, 'x')).has_value());
    QVERIFY(!merkle::hashFromBytes({}).has_value());
    QVERIFY(merkle::hashFromBytes(std::string(32, 'x')).has_value());
}

// The store keeps nodes by the position append() writes them at: every append must write exactly
// the next positions, and the count must give back the size.
void MerkleTest::appendWritesInPositionOrder()
{
    std::vector<Hash> frontier;
    std::uint64_t next = 0;
    for (std::uint64_t size = 0; size < 5000; ++size) {
        QCOMPARE(merkle::nodeCount(size), next);
        QCOMPARE(merkle::sizeForNodeCount(next), std::optional<std::uint64_t>(size));
        for (const auto& node : merkle::append(frontier, size, merkle::leafHash("x")))
            QCOMPARE(merkle::nodePosition(node.level, node.index), next++);
    }
    // Counts between whole trees belong to no size.
    QCOMPARE(merkle::sizeForNodeCount(2), std::optional<std::uint64_t>());
}

QTEST_GUILESS_MAIN(MerkleTest)
#include "merkletest.moc"
