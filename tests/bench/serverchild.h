#pragma once
// A latch-server the scenario starts itself (actions, intake, email): `--demo`, its data under
// `dir`, a config the scenario wrote, port 0 on loopback, output in `dir`/server.log. The
// constructor returns once the server listens (its URL read from that log) and throws when it
// exits or does not listen within 60 s. Stopped with SIGTERM by stop() or the destructor, and by
// the kernel if latch-bench dies first (PR_SET_PDEATHSIG), so no server outlives its benchmark.
//
// Threading: construct, stop and destroy on the main thread; url() and pid() from any.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace latch::bench {

class ServerChild {
public:
    struct Options {
        std::string binary; // latch-server
        std::filesystem::path dir; // data (dir/data) and the log (dir/server.log)
        std::filesystem::path config;
        // Set (or replaced) in the child's environment: secrets the config names by variable.
        std::vector<std::pair<std::string, std::string>> environment;
        std::string logLevel = "warn";
        int threads = 0; // --threads; 0: the server's default
    };

    explicit ServerChild(const Options& options);
    ~ServerChild();
    ServerChild(const ServerChild&) = delete;
    ServerChild& operator=(const ServerChild&) = delete;

    void stop();
    const std::string& url() const { return m_url; } // ws://127.0.0.1:PORT/sync
    int pid() const { return m_pid; }

private:
    std::filesystem::path m_log;
    int m_pid = 0;
    std::string m_url;
};

} // namespace latch::bench
