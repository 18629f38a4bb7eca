// UUID v7: the canonical text form, the version and variant bits, the embedded time, and that ids
// from one process are unique and sort in creation order, also across threads.
#include "latch/ids.h"

#include <QtTest>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

std::uint64_t timestampOf(const std::string& id)
{
    // The first 48 bits: 8 hex digits, a dash, then 4 more.
    return std::stoull(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
}

std::uint64_t nowMs()
{
    using namespace std::chrono;
    return static_cast<std::uint64_t>(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

} // namespace

class IdsTest : public QObject {
    Q_OBJECT

private slots:
    void format();
    void versionAndVariant();
    void timestamp();
    void uniqueAndIncreasing();
    void threads();
    void randomPartVaries();

    void isUuid_data();
    void isUuid();
};

void IdsTest::format()
{
    const std::string id = latch::newUuid();
    QCOMPARE(id.size(), std::size_t { 36 });
    QVERIFY2(latch::isUuid(id), id.c_str());
}

void IdsTest::versionAndVariant()
{
    for (int i = 0; i < 1000; ++i) {
        const std::string id = latch::newUuid();
        QCOMPARE(id[14], '7'); // version nibble
        // Variant 10xx: the first hex digit of the fourth group is 8, 9, a or b.
        QVERIFY2(std::string("89ab").find(id[19]) != std::string::npos, id.c_str());
    }
}

void IdsTest::timestamp()
{
    const std::uint64_t before = nowMs();
    const std::string id = latch::newUuid();
    const std::uint64_t after = nowMs();
    const std::uint64_t ts = timestampOf(id);
    // The generator may run a millisecond ahead if earlier ids used up a millisecond's counter,
    // which cannot happen in practice; allow a little slack anyway.
    QVERIFY2(ts >= before && ts <= after + 1, id.c_str());
}

void IdsTest::uniqueAndIncreasing()
{
    std::vector<std::string> ids;
    ids.reserve(10000);
    for (int i = 0; i < 10000; ++i) {
        ids.push_back(latch::newUuid());
    }
    // 10,000 ids come out in a few milliseconds, so most share one: the counter must order them.
    for (std::size_t i = 1; i < ids.size(); ++i) {
        QVERIFY2(ids[i - 1] < ids[i], (ids[i - 1] + " !< " + ids[i]).c_str());
    }
    QCOMPARE(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

void IdsTest::threads()
{
    constexpr int kThreads = 8;
    constexpr int kEach = 2000;
    std::vector<std::vector<std::string>> made(kThreads);
    std::vector<std::thread> workers;
    workers.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        workers.emplace_back([&made, t] {
            for (int i = 0; i < kEach; ++i) {
                made[static_cast<std::size_t>(t)].push_back(latch::newUuid());
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    std::set<std::string> all;
    for (const auto& list : made) {
        for (std::size_t i = 1; i < list.size(); ++i) {
            QVERIFY(list[i - 1] < list[i]); // each thread still sees increasing ids
        }
        all.insert(list.begin(), list.end());
    }
    QCOMPARE(all.size(), std::size_t(kThreads) * kEach);
}

void IdsTest::randomPartVaries()
{
    // Across a fresh millisecond the tail is new random data, not a counter restarting at zero.
    const std::string a = latch::newUuid();
    QTest::qWait(3);
    const std::string b = latch::newUuid();
    QVERIFY(timestampOf(b) > timestampOf(a));
    QVERIFY(a.substr(24) != b.substr(24));
}

void IdsTest::isUuid_data()
{
    // clang-format off
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");

    QTest::newRow("v7") << "0190163d-8694-739b-aea5-966c26f8ad91" << true;
    QTest::newRow("v4") << "f47ac10b-58cc-4372-a567-0e02b2c3d479" << true;
    QTest::newRow("nil") << "00000000-0000-0000-0000-000000000000" << true;
    QTest::newRow("upper case") << "0190163D-8694-739B-AEA5-966C26F8AD91" << false;
    QTest::newRow("braces") << "{0190163d-8694-739b-aea5-966c26f8ad91}" << false;
    QTest::newRow("no dashes") << "0190163d8694739baea5966c26f8ad91" << false;
    QTest::newRow("dash misplaced") << "0190163d8-694-739b-aea5-966c26f8ad91" << false;
    QTest::newRow("too short") << "0190163d-8694-739b-aea5-966c26f8ad9" << false;
    QTest::newRow("too long") << "0190163d-8694-739b-aea5-966c26f8ad911" << false;
    QTest::newRow("non-hex") << "0190163g-8694-739b-aea5-966c26f8ad91" << false;
    QTest::newRow("empty") << "" << false;
    // clang-format on
}

void IdsTest::isUuid()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QCOMPARE(latch::isUuid(text.toStdString()), valid);
}

QTEST_GUILESS_MAIN(IdsTest)
#include "idstest.moc"
