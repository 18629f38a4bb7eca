#pragma once
// A small pool of read-only connections for ReadViews. acquire() hands out an idle connection, or
// opens a new one when none is idle; the Lease gives it back when it ends. At most `maxIdle` idle
// connections are kept open.
//
// Threading: acquire() and lease ends may happen on any thread. Every Lease must end before the
// pool is destroyed (asserted).
#include "store/connection.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace latch::store {

class ReaderPool {
public:
    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<Connection> connection);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        Connection& connection() { return *m_connection; }

    private:
        ReaderPool& m_pool;
        std::unique_ptr<Connection> m_connection;
    };

    explicit ReaderPool(std::string path, std::size_t maxIdle = 4);
    ~ReaderPool();
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    // Throws sqlite::SqliteError when a new connection cannot be opened.
    std::unique_ptr<Lease> acquire();

private:
    void release(std::unique_ptr<Connection> connection) noexcept;

    const std::string m_path;
    const std::size_t m_maxIdle;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Connection>> m_idle;
    std::size_t m_leased = 0;
};

} // namespace latch::store
