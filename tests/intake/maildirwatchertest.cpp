// MaildirWatcher on a temporary Maildir, delivering the way an MDA does (write into tmp/, then
// rename into new/): a message is handed over once and lands in cur/ as seen; Retry leaves it in
// new/ until the next rescan; Rejected moves it to the .Rejected folder; messages already waiting
// when the watcher starts are taken; what is still in tmp/ is not; stop() is prompt, also from
// inside the handler.
#include "intake/mail/maildirwatcher.h"

#include "intake/mail/emailparser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>

using latch::intake::mail::Disposition;
using latch::intake::mail::EmailParser;
using latch::intake::mail::MaildirWatcher;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Long enough that only inotify can explain a prompt delivery.
constexpr auto kNoRescan = std::chrono::milliseconds(60'000);

std::string readAll(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

void writeFile(const fs::path& path, const std::string& content)
{
    std::ofstream(path, std::ios::binary) << content;
}

// As an MDA delivers: the whole file in tmp/, then one rename into new/.
void deliver(const fs::path& maildir, const std::string& name, const std::string& content)
{
    writeFile(maildir / "tmp" / name, content);
    fs::rename(maildir / "tmp" / name, maildir / "new" / name);
}

std::string sampleMessage(const std::string& subject)
{
    return "From: Anna <anna@example.com>\nTo: support@latch.example\nSubject: " + subject
        + "\nMessage-ID: <" + subject + "@example.com>\n\nHello.\n";
}

std::vector<std::string> namesIn(const fs::path& folder)
{
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
        names.push_back(it->path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// What the handler saw, shared with the watcher's thread.
struct Calls {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> seen; // name, raw
    std::atomic<int> count { 0 };

    void record(const std::string& name, const std::string& raw)
    {
        {
            const std::lock_guard lock(mutex);
            seen.emplace_back(name, raw);
        }
        ++count;
    }
};

struct Maildir {
    QTemporaryDir dir;
    fs::path root;

    Maildir()
        : root(fs::path(dir.path().toStdString()) / "Maildir")
    {
        for (const char* sub : { "tmp", "new", "cur" })
            fs::create_directories(root / sub);
    }
};

} // namespace

class MaildirWatcherTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deliveredMessageIsHandedOverOnceAndMovedToCur();
    void retryLeavesItInNewUntilTheNextRescan();
    void throwingHandlerCountsAsRetry();
    void messageWaitingAtStartIsTaken();
    void rejectedMessageGoesToTheRejectedFolder();
    void parserDecidesDoneOrRejected();
    void tmpAndDotFilesAreNotRead();
    void oversizedFileIsRejectedUnread();
    void symbolicLinkIsRejectedUnread();
    void missingFoldersAreCreated();
    void unusableMaildirIsRefused();
    void stopIsPrompt();
    void stopFromTheHandler();
};

void MaildirWatcherTest::deliveredMessageIsHandedOverOnceAndMovedToCur()
{
    Maildir maildir;
    Calls calls;
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string raw, std::string name) {
            calls.record(name, raw);
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);

    const std::string name = "1710170405.M512P4121Q1.mx1";
    const std::string raw = sampleMessage("first");
    deliver(maildir.root, name, raw);

    QTRY_COMPARE_WITH_TIMEOUT(calls.count.load(), 1, 5000);
    {
        const std::lock_guard lock(calls.mutex);
        QCOMPARE(calls.seen[0].first, name);
        QCOMPARE(calls.seen[0].second, raw);
    }
    const fs::path done = maildir.root / "cur" / (name + ":2,S");
    QTRY_VERIFY_WITH_TIMEOUT(fs::exists(done), 5000);
    QCOMPARE(readAll(done), raw);
    QVERIFY(namesIn(maildir.root / "new").empty());
    // Moving it out of new/ is itself an event in the folder; it must not be offered again.
    QTest::qWait(300);
    QCOMPARE(calls.count.load(), 1);
}

void MaildirWatcherTest::retryLeavesItInNewUntilTheNextRescan()
{
    Maildir maildir;
    Calls calls;
    std::atomic<bool> ready { false };
    const auto interval = 300ms;
    auto watcher = MaildirWatcher::start(maildir.root,
        [&](std::string raw, std::string name) {
            calls.record(name, raw);
            return ready ? Disposition::Done : Disposition::Retry;
        },
        { interval });
    QVERIFY(watcher);
    const std::string name = "1710170406.M1P4121Q2.mx1";
    deliver(maildir.root, name, sampleMessage("retry"));

    QTRY_VERIFY_WITH_TIMEOUT(calls.count.load() >= 1, 5000);
    QCOMPARE(namesIn(maildir.root / "new"), std::vector<std::string>({ name }));
    QVERIFY(namesIn(maildir.root / "cur").empty());
    // Offered again at the rescans, not in a tight loop: another delivery in between (an inotify
    // event) does not make it sooner.
    deliver(maildir.root, "1710170406.M2P4121Q3.mx1", sampleMessage("other"));
    QTest::qWait(1000);
    const int offered = calls.count.load();
    QVERIFY2(offered >= 2 && offered <= 12, qPrintable(QString::number(offered)));
    QCOMPARE(namesIn(maildir.root / "new").size(), std::size_t(2));

    ready = true;
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / "cur").size(), std::size_t(2), 5000);
    QVERIFY(namesIn(maildir.root / "new").empty());
}

void MaildirWatcherTest::throwingHandlerCountsAsRetry()
{
    Maildir maildir;
    std::atomic<int> calls { 0 };
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string, std::string) {
            if (++calls == 1)
                throw std::runtime_error("database is locked");
            return Disposition::Done;
        },
        { 200ms });
    QVERIFY(watcher);
    deliver(maildir.root, "1710170407.M1P4121Q4.mx1", sampleMessage("throws"));
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / "cur").size(), std::size_t(1), 5000);
    QCOMPARE(calls.load(), 2);
}

void MaildirWatcherTest::messageWaitingAtStartIsTaken()
{
    Maildir maildir;
    // Delivered while no watcher ran; it already carries a flag (F, flagged) from another reader.
    const std::string name = "1710170400.M9P4000Q1.mx1:2,F";
    deliver(maildir.root, name, sampleMessage("waiting"));
    Calls calls;
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string raw, std::string name) {
            calls.record(name, raw);
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);
    QTRY_COMPARE_WITH_TIMEOUT(calls.count.load(), 1, 5000);
    // Flags are kept, S added, in ASCII order as the spec asks.
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / "cur"),
        std::vector<std::string>({ "1710170400.M9P4000Q1.mx1:2,FS" }), 5000);
}

void MaildirWatcherTest::rejectedMessageGoesToTheRejectedFolder()
{
    Maildir maildir;
    auto watcher = MaildirWatcher::start(maildir.root,
        [](std::string, std::string) { return Disposition::Rejected; }, { kNoRescan });
    QVERIFY(watcher);
    const std::string name = "1710170408.M1P4121Q5.mx1";
    const std::string raw = sampleMessage("rejected");
    deliver(maildir.root, name, raw);
    // Unread ("2," without S) in a Maildir++ folder an IMAP client shows as "Rejected".
    const fs::path rejected = maildir.root / ".Rejected" / "cur" / (name + ":2,");
    QTRY_VERIFY_WITH_TIMEOUT(fs::exists(rejected), 5000);
    QCOMPARE(readAll(rejected), raw);
    QVERIFY(fs::is_directory(maildir.root / ".Rejected" / "new"));
    QVERIFY(fs::is_directory(maildir.root / ".Rejected" / "tmp"));
    QVERIFY(fs::exists(maildir.root / ".Rejected" / "maildirfolder"));
    QVERIFY(namesIn(maildir.root / "new").empty());
    QVERIFY(namesIn(maildir.root / "cur").empty());
}

void MaildirWatcherTest::parserDecidesDoneOrRejected()
{
    // How the server is meant to use the two together.
    Maildir maildir;
    const EmailParser parser;
    std::mutex mutex;
    std::vector<std::string> subjects;
    auto watcher = MaildirWatcher::start(maildir.root,
        [&](std::string raw, std::string) {
            const auto email = parser.parse(raw);
            if (!email)
                return Disposition::Rejected;
            const std::lock_guard lock(mutex);
            subjects.push_back(email->subject);
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);
    const QString fixtures = qEnvironmentVariable("LATCH_SOURCE_DIR") + "/tests/intake/mail/";
    for (const char* file : { "gmail-reply.eml", "malformed.eml" }) {
        QFile fixture(fixtures + file);
        QVERIFY2(fixture.open(QIODevice::ReadOnly), file);
        deliver(maildir.root, std::string("1710170409.M1P4121.") + file,
            fixture.readAll().toStdString());
    }
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / "cur").size(), std::size_t(1), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / ".Rejected" / "cur"),
        std::vector<std::string>({ "1710170409.M1P4121.malformed.eml:2," }), 5000);
    const std::lock_guard lock(mutex);
    QCOMPARE(
        subjects, std::vector<std::string>({ "Re: Refund for order 1182 – duplicate charge" }));
}

void MaildirWatcherTest::tmpAndDotFilesAreNotRead()
{
    Maildir maildir;
    std::atomic<int> calls { 0 };
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string, std::string) {
            ++calls;
            return Disposition::Done;
        },
        { 100ms });
    QVERIFY(watcher);
    writeFile(maildir.root / "tmp" / "1710170410.M1P4121Q6.mx1", "From: half a messa");
    writeFile(maildir.root / "new" / ".nfs000000000123", sampleMessage("hidden"));
    fs::create_directories(maildir.root / "new" / "subfolder");
    QTest::qWait(500); // several rescans
    QCOMPARE(calls.load(), 0);
    QVERIFY(fs::exists(maildir.root / "tmp" / "1710170410.M1P4121Q6.mx1"));
    QVERIFY(fs::exists(maildir.root / "new" / ".nfs000000000123"));
}

void MaildirWatcherTest::oversizedFileIsRejectedUnread()
{
    Maildir maildir;
    std::atomic<int> calls { 0 };
    MaildirWatcher::Options options;
    options.rescanInterval = kNoRescan;
    options.maxMessageBytes = 1024;
    auto watcher = MaildirWatcher::start(
        maildir.root,
        [&calls](std::string, std::string) {
            ++calls;
            return Disposition::Done;
        },
        options);
    QVERIFY(watcher);
    deliver(maildir.root, "1710170411.M1P4121Q7.mx1", sampleMessage(std::string(2000, 'x')));
    QTRY_COMPARE_WITH_TIMEOUT(
        namesIn(maildir.root / ".Rejected" / "cur").size(), std::size_t(1), 5000);
    QCOMPARE(calls.load(), 0);
}

void MaildirWatcherTest::symbolicLinkIsRejectedUnread()
{
    Maildir maildir;
    const fs::path secret = maildir.root.parent_path() / "latch.yaml";
    writeFile(secret, "From: x@example.com\n\nstripe_secret: sk_live_123\n");
    std::atomic<int> calls { 0 };
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string, std::string) {
            ++calls;
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);
    const std::string name = "1710170411.M2P4121Q8.mx1";
    fs::create_symlink(secret, maildir.root / "tmp" / name);
    fs::rename(maildir.root / "tmp" / name, maildir.root / "new" / name);
    const fs::path rejected = maildir.root / ".Rejected" / "cur" / (name + ":2,");
    QTRY_VERIFY_WITH_TIMEOUT(fs::is_symlink(rejected), 5000);
    QCOMPARE(calls.load(), 0);
    QVERIFY(fs::exists(secret));
}

void MaildirWatcherTest::missingFoldersAreCreated()
{
    QTemporaryDir dir;
    const fs::path root = fs::path(dir.path().toStdString()) / "fresh" / "Maildir";
    auto watcher
        = MaildirWatcher::start(root, [](std::string, std::string) { return Disposition::Done; });
    QVERIFY(watcher);
    for (const char* sub : { "tmp", "new", "cur" })
        QVERIFY(fs::is_directory(root / sub));
    QCOMPARE(QString::fromStdString((*watcher)->maildir().string()),
        QString::fromStdString(root.string()));
}

void MaildirWatcherTest::unusableMaildirIsRefused()
{
    QTemporaryDir dir;
    const fs::path file = fs::path(dir.path().toStdString()) / "not-a-folder";
    writeFile(file, "x");
    auto watcher = MaildirWatcher::start(
        file / "Maildir", [](std::string, std::string) { return Disposition::Done; });
    QVERIFY(!watcher);
    QCOMPARE(
        QString::fromStdString(watcher.failure().code), QStringLiteral("mail.maildir_unavailable"));
    QVERIFY(!watcher.failure().message.empty());
}

void MaildirWatcherTest::stopIsPrompt()
{
    Maildir maildir;
    std::atomic<int> calls { 0 };
    auto watcher = MaildirWatcher::start(maildir.root,
        [&calls](std::string, std::string) {
            ++calls;
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);
    deliver(maildir.root, "1710170412.M1P4121Q8.mx1", sampleMessage("before stop"));
    QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 1, 5000); // now waiting in poll, a minute to go
    QElapsedTimer timer;
    timer.start();
    (*watcher)->stop();
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed())));
    (*watcher)->stop(); // again: harmless
    // Stopped means stopped: nothing more is taken.
    deliver(maildir.root, "1710170412.M2P4121Q9.mx1", sampleMessage("after stop"));
    QTest::qWait(200);
    QCOMPARE(calls.load(), 1);
    timer.restart();
    watcher->reset();
    QVERIFY(timer.elapsed() < 500);
}

void MaildirWatcherTest::stopFromTheHandler()
{
    Maildir maildir;
    std::atomic<MaildirWatcher*> self { nullptr };
    std::atomic<int> calls { 0 };
    // Two messages waiting: the handler stops the watcher on the first, so the second stays.
    deliver(maildir.root, "1710170413.M1P4121Q1.mx1", sampleMessage("one"));
    deliver(maildir.root, "1710170413.M2P4121Q2.mx1", sampleMessage("two"));
    auto watcher = MaildirWatcher::start(maildir.root,
        [&](std::string, std::string) {
            ++calls;
            while (self.load() == nullptr)
                std::this_thread::sleep_for(1ms);
            self.load()->stop(); // must not wait for itself
            return Disposition::Done;
        },
        { kNoRescan });
    QVERIFY(watcher);
    self = watcher->get();
    QTRY_COMPARE_WITH_TIMEOUT(namesIn(maildir.root / "cur").size(), std::size_t(1), 5000);
    watcher->reset();
    QCOMPARE(calls.load(), 1);
    QCOMPARE(
        namesIn(maildir.root / "new"), std::vector<std::string>({ "1710170413.M2P4121Q2.mx1" }));
}

QTEST_GUILESS_MAIN(MaildirWatcherTest)
#include "maildirwatchertest.moc"
