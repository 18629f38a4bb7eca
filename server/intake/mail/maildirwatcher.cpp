#include "intake/mail/maildirwatcher.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace latch::intake::mail {

namespace {

// The name a message gets in cur/: the unique part, then ":2," and its flags in ASCII order
// (the spec's form), with `flag` added unless it is 0.
std::string curName(const std::string& name, char flag)
{
    const auto colon = name.find(':');
    std::string flags;
    if (colon != std::string::npos && name.compare(colon, 3, ":2,") == 0)
        flags = name.substr(colon + 3);
    if (flag != 0 && flags.find(flag) == std::string::npos)
        flags += flag;
    std::sort(flags.begin(), flags.end());
    return name.substr(0, colon) + ":2," + flags;
}

// What reading a file in new/ found.
struct FileRead {
    enum class Outcome { Read, Gone, Refused, Failed };
    Outcome outcome = Outcome::Read;
    std::string raw; // when Read
    std::string why; // when Refused or Failed, for the log
};

std::string errnoText()
{
    return std::error_code(errno, std::generic_category()).message();
}

FileRead readMessage(const fs::path& file, std::uint64_t maxBytes)
{
    using Outcome = FileRead::Outcome;
    // O_NOFOLLOW: a symbolic link planted in new/ must not make the server read a file the
    // planter cannot, and pass it on as mail. O_NONBLOCK: nor may a FIFO stall the thread.
    const int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return { Outcome::Gone, {}, {} }; // another reader of this Maildir took it
        if (errno == ELOOP)
            return { Outcome::Refused, {}, "it is a symbolic link" };
        return { Outcome::Failed, {}, errnoText() };
    }
    struct Closer {
        int fd;
        ~Closer() { close(fd); }
    } const closer { fd };
    struct stat info { };
    if (fstat(fd, &info) != 0)
        return { Outcome::Failed, {}, errnoText() };
    if (!S_ISREG(info.st_mode))
        return { Outcome::Refused, {}, "it is not a regular file" };
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size > maxBytes) {
        return { Outcome::Refused, {},
            std::to_string(size) + " bytes is over the " + std::to_string(maxBytes)
                + "-byte limit" };
    }
    std::string raw;
    raw.reserve(size);
    std::array<char, std::size_t { 64 } * 1024> buffer {};
    for (;;) {
        const ssize_t n = read(fd, buffer.data(), buffer.size());
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return { Outcome::Failed, {}, errnoText() };
        }
        raw.append(buffer.data(), static_cast<std::size_t>(n));
        if (raw.size() > maxBytes) // written to after delivery, against the spec
            return { Outcome::Refused, {}, "it grew past the size limit while being read" };
    }
    return { Outcome::Read, std::move(raw), {} };
}

// Creates `folder` as a Maildir: tmp/, new/ and cur/.
std::error_code makeMaildir(const fs::path& folder)
{
    std::error_code error;
    for (const char* sub : { "tmp", "new", "cur" }) {
        fs::create_directories(folder / sub, error);
        if (error)
            return error;
    }
    return {};
}

} // namespace

Expected<std::unique_ptr<MaildirWatcher>> MaildirWatcher::start(
    fs::path maildir, Handler handler, Options options)
{
    assert(handler);
    if (const std::error_code error = makeMaildir(maildir)) {
        return fail("mail.maildir_unavailable",
            "The Maildir " + maildir.string() + " cannot be used: " + error.message() + ".");
    }
    const int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake < 0) {
        return fail("mail.maildir_unavailable",
            "The Maildir watcher cannot start: eventfd failed (" + errnoText() + ").");
    }
    std::unique_ptr<MaildirWatcher> watcher(
        new MaildirWatcher(std::move(maildir), std::move(handler), options, wake));
    watcher->m_thread = std::thread(&MaildirWatcher::run, watcher.get());
    return watcher;
}

MaildirWatcher::MaildirWatcher(fs::path root, Handler handler, Options options, int wake)
    : m_root(std::move(root))
    , m_handler(std::move(handler))
    , m_options(options)
    , m_wake(wake)
{
}

MaildirWatcher::~MaildirWatcher()
{
    assert(m_threadId.load() != std::this_thread::get_id());
    stop();
    if (m_inotify >= 0)
        close(m_inotify);
    close(m_wake);
}

void MaildirWatcher::stop()
{
    m_stopping = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = write(m_wake, &one, sizeof one);
    if (m_threadId.load() == std::this_thread::get_id())
        return; // from the handler: the loop ends once it returns
    const std::lock_guard lock(m_joinMutex);
    if (m_thread.joinable())
        m_thread.join();
}

void MaildirWatcher::run()
{
    m_threadId = std::this_thread::get_id();
    m_inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (m_inotify < 0) {
        spdlog::warn("mail: inotify unavailable ({}); {} is scanned every {} ms only", errnoText(),
            m_root.string(), m_options.rescanInterval.count());
    }
    watchNew();
    // After the watch is in place, so nothing delivered in between is missed.
    auto nextRescan = std::chrono::steady_clock::now() + m_options.rescanInterval;
    scan(true);
    while (waitForWork(nextRescan)) {
        const auto now = std::chrono::steady_clock::now();
        const bool periodic = now >= nextRescan;
        if (periodic) {
            nextRescan = now + m_options.rescanInterval;
            if (m_watch < 0)
                watchNew(); // new/ was removed and made again, or inotify failed before
        }
        scan(periodic);
    }
}

void MaildirWatcher::watchNew()
{
    if (m_inotify < 0)
        return;
    // IN_MOVED_TO: the rename from tmp/ an MDA does; IN_CREATE: a link(2) into new/, the other
    // way the spec allows.
    m_watch = inotify_add_watch(
        m_inotify, (m_root / "new").c_str(), IN_MOVED_TO | IN_CREATE | IN_ONLYDIR);
    if (m_watch < 0) {
        spdlog::warn("mail: cannot watch {} ({}); scanning it every {} ms",
            (m_root / "new").string(), errnoText(), m_options.rescanInterval.count());
    }
}

bool MaildirWatcher::waitForWork(std::chrono::steady_clock::time_point nextRescan)
{
    std::array<pollfd, 2> fds { { { m_wake, POLLIN, 0 }, { m_inotify, POLLIN, 0 } } };
    const nfds_t count = m_inotify >= 0 ? 2 : 1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        nextRescan - std::chrono::steady_clock::now());
    const int timeout = static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 0, 60'000));
    const int ready = poll(fds.data(), count, timeout);
    if (m_stopping)
        return false;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
        // The events only say "look again"; scan() reads the directory itself. IN_IGNORED means
        // the watch is gone (new/ removed): the next periodic rescan makes a new one.
        alignas(inotify_event) std::array<char, 4096> buffer {};
        ssize_t n = 0;
        while ((n = read(m_inotify, buffer.data(), buffer.size())) > 0) {
            for (std::size_t at = 0; at < static_cast<std::size_t>(n);) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
                if ((event->mask & IN_IGNORED) != 0 && event->wd == m_watch)
                    m_watch = -1;
                at += sizeof(inotify_event) + event->len;
            }
        }
    }
    return true;
}

void MaildirWatcher::scan(bool periodic)
{
    if (periodic)
        m_deferred.clear();
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(m_root / "new", error), end; !error && it != end;
         it.increment(error)) {
        std::string name = it->path().filename().string();
        // Not is_regular_file(): that follows links. A link, FIFO or socket is offered so that
        // readMessage() refuses it and it leaves new/, rather than lying there unnoticed.
        std::error_code typeError;
        if (name.empty() || name.front() == '.'
            || it->symlink_status(typeError).type() == fs::file_type::directory)
            continue;
        if (!m_deferred.contains(name) && !m_stuck.contains(name))
            names.push_back(std::move(name));
    }
    if (error && periodic) {
        spdlog::warn("mail: cannot read {}: {}", (m_root / "new").string(), error.message());
        makeMaildir(m_root); // recreated if someone removed it; retried next time otherwise
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        if (m_stopping)
            return;
        deliver(name);
    }
}

void MaildirWatcher::deliver(const std::string& name)
{
    const fs::path file = m_root / "new" / name;
    const std::optional<Disposition> disposition = offer(file, name);
    if (!disposition)
        return;
    switch (*disposition) {
    case Disposition::Done:
        if (!moveTo(file, m_root / "cur" / curName(name, 'S'))) {
            // Never offered again while it cannot be moved: handling it twice could open a case
            // twice. A restart offers it again.
            m_stuck.insert(name);
        }
        break;
    case Disposition::Retry:
        m_deferred.insert(name);
        break;
    case Disposition::Rejected: {
        const fs::path folder = m_root / ".Rejected";
        std::error_code error = makeMaildir(folder);
        if (!error) {
            // Maildir++: marks a folder as a subfolder, for the IMAP servers that look for it.
            std::ofstream(folder / "maildirfolder", std::ios::app);
        }
        if (!moveTo(file, folder / "cur" / curName(name, 0)))
            m_stuck.insert(name);
        break;
    }
    }
}

std::optional<Disposition> MaildirWatcher::offer(const fs::path& file, const std::string& name)
{
    FileRead read = readMessage(file, m_options.maxMessageBytes);
    switch (read.outcome) {
    case FileRead::Outcome::Gone:
        return std::nullopt;
    case FileRead::Outcome::Refused:
        spdlog::warn("mail: {} not read ({}); moved to .Rejected", name, read.why);
        return Disposition::Rejected;
    case FileRead::Outcome::Failed:
        spdlog::warn("mail: cannot read {} ({}); offered again later", file.string(), read.why);
        return Disposition::Retry;
    case FileRead::Outcome::Read:
        break;
    }
    try {
        return m_handler(std::move(read.raw), name);
    } catch (const std::exception& e) {
        spdlog::error("mail: handling {} failed ({}); offered again later", name, e.what());
    } catch (...) {
        spdlog::error("mail: handling {} failed; offered again later", name);
    }
    return Disposition::Retry;
}

bool MaildirWatcher::moveTo(const fs::path& from, const fs::path& to)
{
    std::error_code error;
    fs::rename(from, to, error);
    if (!error)
        return true;
    if (error == std::errc::no_such_file_or_directory && !fs::exists(from))
        return true; // another reader of this Maildir moved it first
    spdlog::error("mail: cannot move {} to {}: {}", from.string(), to.string(), error.message());
    return false;
}

} // namespace latch::intake::mail
