#include "store/sqlite/statement.h"

#include "store/sqlite/database.h"
#include "store/sqlite/sqliteerror.h"

#include <cassert>
#include <sqlite3.h>

namespace latch::store::sqlite {

namespace {

// sqlite3_bind_text/blob read a null pointer as SQL NULL even with length 0; an empty value must
// stay an empty value (NOT NULL columns hold empty protobufs and strings).
const char* nonNull(std::string_view value)
{
    return value.data() ? value.data() : "";
}

} // namespace

Statement::Statement(Database& db, std::string_view sql)
    : m_db(db.handle())
    , m_sql(sql)
{
    const int rc = sqlite3_prepare_v3(m_db, m_sql.data(), static_cast<int>(m_sql.size()),
        SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        throw SqliteError(rc & 0xff, sqlite3_extended_errcode(m_db),
            std::string(sqlite3_errmsg(m_db)) + " in: " + m_sql);
    }
    assert(m_stmt && "empty SQL");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::bindInt64(int index, std::int64_t value)
{
    check(sqlite3_bind_int64(m_stmt, index, value));
}

void Statement::bindText(int index, std::string_view value)
{
    check(sqlite3_bind_text64(
        m_stmt, index, nonNull(value), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::bindBlob(int index, std::string_view bytes)
{
    check(sqlite3_bind_blob64(m_stmt, index, nonNull(bytes), bytes.size(), SQLITE_TRANSIENT));
}

void Statement::bindNull(int index)
{
    check(sqlite3_bind_null(m_stmt, index));
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    throwError(rc);
}

void Statement::run()
{
    while (step()) { }
}

std::int64_t Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

std::string Statement::columnText(int column) const
{
    // The pointer must be fetched before the size (the documented order for a conversion).
    const auto* text = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
                : std::string();
}

std::string Statement::columnBlob(int column) const
{
    const void* blob = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return blob ? std::string(static_cast<const char*>(blob), static_cast<std::size_t>(size))
                : std::string();
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void Statement::reset() noexcept
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void Statement::check(int rc) const
{
    if (rc != SQLITE_OK) {
        throwError(rc);
    }
}

void Statement::throwError(int rc) const
{
    throw SqliteError(rc & 0xff, sqlite3_extended_errcode(m_db), sqlite3_errmsg(m_db));
}

} // namespace latch::store::sqlite
