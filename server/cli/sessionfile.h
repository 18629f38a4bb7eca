#pragma once
// Where latchctl keeps its session after `latchctl login`: the server address, the token and the
// username, as JSON in $LATCHCTL_CONFIG, else $XDG_CONFIG_HOME/latch/latchctl.json, else
// ~/.config/latch/latchctl.json. The file holds a bearer token, so it is written with mode 0600
// (and its directory 0700) through a temporary file and a rename, never readable by others.
#include "latch/expected.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace latch::cli {

struct Session {
    std::string server;
    std::string token;
    std::string username;
    std::int64_t expiresMs = 0;
};

class SessionFile {
public:
    // The path from the environment, as described above.
    static std::string defaultPath();

    explicit SessionFile(std::string path = defaultPath());

    const std::string& path() const { return m_path; }

    // No file: nullopt. An unreadable or malformed file is a Failure (code client.session).
    Expected<std::optional<Session>> load() const;
    Expected<std::monostate> save(const Session& session) const;
    // True when a file was removed.
    bool remove() const;

private:
    std::string m_path;
};

} // namespace latch::cli
