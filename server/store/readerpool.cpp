#include "store/readerpool.h"

#include <cassert>
#include <utility>

namespace latch::store {

ReaderPool::Lease::Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
    : m_pool(pool)
    , m_connection(std::move(connection))
{
}

ReaderPool::Lease::~Lease()
{
    m_pool.release(std::move(m_connection));
}

ReaderPool::ReaderPool(std::string path, std::size_t maxIdle)
    : m_path(std::move(path))
    , m_maxIdle(maxIdle)
{
}

ReaderPool::~ReaderPool()
{
    assert(m_leased == 0 && "a ReadView outlived its store");
}

std::unique_ptr<ReaderPool::Lease> ReaderPool::acquire()
{
    std::unique_ptr<Connection> connection;
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            connection = std::move(m_idle.back());
            m_idle.pop_back();
        }
        ++m_leased;
    }
    if (!connection) {
        try {
            // Opened outside the lock: opening touches the file system.
            connection = Connection::open(m_path, sqlite::OpenMode::ReadOnly);
        } catch (...) {
            std::lock_guard lock(m_mutex);
            --m_leased;
            throw;
        }
    }
    return std::make_unique<Lease>(*this, std::move(connection));
}

void ReaderPool::release(std::unique_ptr<Connection> connection) noexcept
{
    // A connection still inside a transaction (its ROLLBACK failed) would pin an old snapshot for
    // the next reader: close it instead of keeping it.
    const bool reusable = connection && !connection->db().inTransaction();
    std::unique_ptr<Connection> toClose;
    {
        std::lock_guard lock(m_mutex);
        --m_leased;
        if (reusable && m_idle.size() < m_maxIdle) {
            m_idle.push_back(std::move(connection));
        } else {
            toClose = std::move(connection);
        }
    }
}

} // namespace latch::store
