#include "store/sqlite/database.h"

#include "store/sqlite/sqliteerror.h"

#include <sqlite3.h>
#include <utility>

namespace latch::store::sqlite {

static_assert(SQLITE_CONSTRAINT == 19, "SqliteError::isConstraint assumes SQLITE_CONSTRAINT is 19");

namespace {

int openFlags(OpenMode mode)
{
    // EXRESCODE: extended result codes (which constraint failed) from every call.
    int flags = SQLITE_OPEN_EXRESCODE;
    switch (mode) {
    case OpenMode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case OpenMode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case OpenMode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    return flags;
}

} // namespace

Database::Database(const std::string& path, OpenMode mode)
    : m_path(path)
{
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, openFlags(mode), nullptr);
    if (rc != SQLITE_OK) {
        // sqlite3_open_v2 hands back a handle even on failure, for the message; close it after.
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        const int extended = m_db ? sqlite3_extended_errcode(m_db) : rc;
        close();
        throw SqliteError(rc & 0xff, extended, message);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database()
{
    close();
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{
}

Database& Database::operator=(Database&& other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

void Database::close() noexcept
{
    if (m_db) {
        // close_v2 defers the close until the last statement is finalised instead of failing.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw SqliteError(rc & 0xff, sqlite3_extended_errcode(m_db), message);
    }
}

void Database::setBusyTimeout(int milliseconds)
{
    const int rc = sqlite3_busy_timeout(m_db, milliseconds);
    if (rc != SQLITE_OK) {
        throwError(rc);
    }
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

std::string Database::errorMessage() const
{
    return sqlite3_errmsg(m_db);
}

void Database::throwError(int rc) const
{
    throw SqliteError(rc & 0xff, sqlite3_extended_errcode(m_db), sqlite3_errmsg(m_db));
}

} // namespace latch::store::sqlite
