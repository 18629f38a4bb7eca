#include "sessionfile.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace latch::cli {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

Failure sessionFailure(const std::string& path, const std::string& what)
{
    return fail("client.session", "cannot use the session file " + path + ": " + what);
}

} // namespace

std::string SessionFile::defaultPath()
{
    if (auto explicitPath = env("LATCHCTL_CONFIG"); !explicitPath.empty())
        return explicitPath;
    std::string base = env("XDG_CONFIG_HOME");
    if (base.empty()) {
        const std::string home = env("HOME");
        base = (home.empty() ? std::string(".") : home) + "/.config";
    }
    return base + "/latch/latchctl.json";
}

SessionFile::SessionFile(std::string path)
    : m_path(std::move(path))
{
}

Expected<std::optional<Session>> SessionFile::load() const
{
    std::ifstream in(m_path);
    if (!in) {
        if (errno == ENOENT)
            return std::optional<Session>();
        return sessionFailure(m_path, std::strerror(errno));
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return sessionFailure(m_path,
            "it is not valid JSON — delete it and run `latchctl login` "
            "again");
    Session s;
    s.server = json.value("server", "");
    s.token = json.value("token", "");
    s.username = json.value("username", "");
    s.expiresMs = json.value("expires_ms", std::int64_t { 0 });
    return std::optional<Session>(std::move(s));
}

Expected<std::monostate> SessionFile::save(const Session& session) const
{
    const fs::path path(m_path);
    std::error_code ec;
    if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
        fs::create_directories(path.parent_path(), ec);
        if (ec)
            return sessionFailure(m_path, ec.message());
        fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
    }
    nlohmann::json json = { { "server", session.server }, { "token", session.token },
        { "username", session.username }, { "expires_ms", session.expiresMs } };
    const std::string text = json.dump(2) + "\n";
    const std::string tmp = m_path + ".tmp" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return sessionFailure(m_path, std::strerror(errno));
    ::fchmod(fd, 0600); // the umask must not widen what create gave us
    std::size_t written = 0;
    while (written < text.size()) {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return sessionFailure(m_path, why);
        }
        written += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.c_str(), m_path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return sessionFailure(m_path, why);
    }
    return std::monostate {};
}

bool SessionFile::remove() const
{
    return ::unlink(m_path.c_str()) == 0;
}

} // namespace latch::cli
