#include "replica/statement.h"

#include <sqlcipher/sqlite3.h>

namespace latch::app::db {

Statement::Statement(Database& db, const std::string& sql)
    : m_db(db)
{
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), int(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        throw Error(rc & 0xff, sqlite3_extended_errcode(db.handle()),
            std::string(sqlite3_errmsg(db.handle())) + " (in: " + sql + ")");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::check(int rc) const
{
    if (rc != SQLITE_OK)
        throw Error(
            rc & 0xff, sqlite3_extended_errcode(m_db.handle()), sqlite3_errmsg(m_db.handle()));
}

void Statement::bind(int index, std::int64_t value)
{
    check(sqlite3_bind_int64(m_stmt, index, value));
}

void Statement::bind(int index, std::string_view text)
{
    check(sqlite3_bind_text64(
        m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::bindBlob(int index, std::string_view bytes)
{
    // A zero-length blob with a null pointer would bind NULL; "" keeps it an empty blob.
    check(sqlite3_bind_blob64(
        m_stmt, index, bytes.empty() ? "" : bytes.data(), bytes.size(), SQLITE_TRANSIENT));
}

void Statement::bindNull(int index)
{
    check(sqlite3_bind_null(m_stmt, index));
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    // With sqlite3_prepare_v2 the step's own result code is the precise one.
    const int extended = sqlite3_extended_errcode(m_db.handle());
    const std::string message = sqlite3_errmsg(m_db.handle());
    sqlite3_reset(m_stmt);
    throw Error(rc & 0xff, extended, message);
}

void Statement::exec()
{
    while (step()) { }
    reset();
}

void Statement::reset()
{
    // The error of a failed step was already thrown by step(); reset only rewinds.
    sqlite3_reset(m_stmt);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

std::string Statement::columnName(int index) const
{
    const char* name = sqlite3_column_name(m_stmt, index);
    return name ? name : "";
}

bool Statement::isNull(int index) const
{
    return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

std::int64_t Statement::columnInt64(int index) const
{
    return sqlite3_column_int64(m_stmt, index);
}

std::string Statement::columnText(int index) const
{
    return std::string(columnView(index));
}

std::string Statement::columnBlob(int index) const
{
    return std::string(columnBlobView(index));
}

std::string_view Statement::columnBlobView(int index) const
{
    const void* data = sqlite3_column_blob(m_stmt, index);
    const int size = sqlite3_column_bytes(m_stmt, index);
    return data ? std::string_view(static_cast<const char*>(data), std::size_t(size))
                : std::string_view();
}

std::string_view Statement::columnView(int index) const
{
    // Text first, then bytes: sqlite3_column_bytes after _text gives the UTF-8 length.
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, index));
    const int size = sqlite3_column_bytes(m_stmt, index);
    return data ? std::string_view(data, std::size_t(size)) : std::string_view();
}

} // namespace latch::app::db
