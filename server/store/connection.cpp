#include "store/connection.h"

#include <stdexcept>

namespace latch::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;

} // namespace

std::unique_ptr<Connection> Connection::open(const std::string& path, sqlite::OpenMode mode)
{
    auto connection = std::make_unique<Connection>(path, mode);
    sqlite::Database& db = connection->db();
    db.setBusyTimeout(kBusyTimeoutMs);
    db.exec("PRAGMA foreign_keys = ON");
    if (mode != sqlite::OpenMode::ReadOnly) {
        std::string journal;
        {
            auto pragma = connection->prepare("PRAGMA journal_mode = WAL");
            if (pragma->step()) {
                journal = pragma->columnText(0);
            }
        }
        if (journal != "wal") {
            throw std::runtime_error("cannot use write-ahead logging (journal mode is \"" + journal
                + "\"); the store needs a file on a local disk");
        }
        db.exec("PRAGMA synchronous = FULL");
    }
    return connection;
}

Connection::Connection(const std::string& path, sqlite::OpenMode mode)
    : m_db(path, mode)
{
}

Connection::~Connection()
{
    m_statements.clear();
}

Connection::Use Connection::prepare(const std::string& sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        it = m_statements.emplace(sql, std::make_unique<sqlite::Statement>(m_db, sql)).first;
    }
    return Use(*it->second);
}

} // namespace latch::store
