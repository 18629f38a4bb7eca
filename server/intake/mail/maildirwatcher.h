#pragma once
// Takes messages out of a Maildir (https://cr.yp.to/proto/maildir.html) as they arrive and hands
// each to a handler, which says what became of it:
//   Done      the message is moved to cur/ as read: "cur/<name>:2,S" (flags it had are kept);
//   Retry     it stays in new/ and is offered again at the next periodic rescan (not sooner,
//             so a handler whose database is down is not called in a tight loop);
//   Rejected  it is moved to the Maildir++ folder ".Rejected" as unread:
//             "<maildir>/.Rejected/cur/<name>:2,". That folder is itself a Maildir (an IMAP
//             server shows it as the folder "Rejected"), so an operator can read what was
//             refused in any mail client and move it back to new/ to have it offered again.
// A message that was handled but cannot be moved (cur/ not writable, say) is logged and not
// offered again until the process restarts: handling it twice could open a case twice.
//
// Only new/ is read: a delivering agent writes into tmp/ and renames into new/ once the file is
// complete, so a file in new/ is whole. new/, cur/ and tmp/ are created if missing. Files whose
// name starts with '.' are ignored, as the Maildir spec says. A file larger than
// Options::maxMessageBytes is not read at all: it is rejected as above and logged; so is anything
// that is not a regular file (a symbolic link is never followed: it could make the server read,
// and pass on as mail, a file whoever planted it could not read).
//
// Arrivals are seen through inotify at once; a rescan every Options::rescanInterval finds
// anything inotify missed (queue overflow, a directory replaced, inotify unavailable) and the
// messages left for Retry. Files present when the watcher starts are taken at once.
//
// Threading and ownership: the watcher owns one thread, started by start(); the handler runs only
// there, one message at a time, in name order (Maildir names start with the delivery time). If the
// handler throws, the message is treated as Retry and the exception logged. stop() may be called
// from any thread, any number of times; it waits for the handler call in progress (if any) and
// returns once the thread has ended, except when called from the handler itself, where it only
// asks the thread to end after the handler returns. The destructor stops; it must not run on the
// watcher's own thread. Whatever the handler captures must outlive the watcher.
#include "latch/expected.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace latch::intake::mail {

enum class Disposition {
    Done,
    Retry,
    Rejected,
};

class MaildirWatcher {
public:
    // `raw` is the whole file; `name` its file name in new/ (unique within the Maildir).
    using Handler = std::function<Disposition(std::string raw, std::string name)>;

    struct Options {
        std::chrono::milliseconds rescanInterval = std::chrono::seconds(2);
        std::uint64_t maxMessageBytes = std::uint64_t { 64 } << 20;
    };

    // Fails with mail.maildir_unavailable when the Maildir's folders cannot be created or read.
    static Expected<std::unique_ptr<MaildirWatcher>> start(
        std::filesystem::path maildir, Handler handler, Options options);
    static Expected<std::unique_ptr<MaildirWatcher>> start(
        std::filesystem::path maildir, Handler handler)
    {
        return start(std::move(maildir), std::move(handler), Options {});
    }

    ~MaildirWatcher();
    MaildirWatcher(const MaildirWatcher&) = delete;
    MaildirWatcher& operator=(const MaildirWatcher&) = delete;

    void stop();

    const std::filesystem::path& maildir() const { return m_root; }

private:
    MaildirWatcher(std::filesystem::path root, Handler handler, Options options, int wake);

    void run();
    void watchNew();
    bool waitForWork(std::chrono::steady_clock::time_point nextRescan); // false: stop
    void scan(bool periodic);
    void deliver(const std::string& name);
    // nullopt: the file went away before it could be read (another reader took it).
    std::optional<Disposition> offer(const std::filesystem::path& file, const std::string& name);
    bool moveTo(const std::filesystem::path& from, const std::filesystem::path& to);

    std::filesystem::path m_root;
    Handler m_handler;
    Options m_options;
    int m_wake = -1; // eventfd: stop() writes to it to end the poll at once
    int m_inotify = -1; // -1 when inotify is unavailable: periodic rescans only
    int m_watch = -1;
    std::atomic<bool> m_stopping { false };
    std::set<std::string> m_deferred; // answered Retry since the last periodic rescan
    std::set<std::string> m_stuck; // handled, but could not be moved out of new/
    std::atomic<std::thread::id> m_threadId {};
    std::mutex m_joinMutex;
    std::thread m_thread;
};

} // namespace latch::intake::mail
