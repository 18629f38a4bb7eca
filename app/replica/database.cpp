#include "replica/database.h"

#include "replica/statement.h"

#include <cassert>
#include <sodium.h>
#include <sqlcipher/sqlite3.h>

namespace latch::app::db {

namespace {

// Our enum mirrors sqlite3.h so the public header can stay free of it; keep them in step.
static_assert(NotADb == SQLITE_NOTADB && Corrupt == SQLITE_CORRUPT && IoErr == SQLITE_IOERR
    && CantOpen == SQLITE_CANTOPEN && Full == SQLITE_FULL && Busy == SQLITE_BUSY
    && Locked == SQLITE_LOCKED && ReadOnly == SQLITE_READONLY);

[[noreturn]] void throwFrom(sqlite3* db, int rc, const std::string& context)
{
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    const char* text = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw Error(rc & 0xff, extended, context + ": " + (text ? text : sqlite3_errstr(rc)));
}

} // namespace

Error::Error(int code, int extendedCode, const std::string& message)
    : std::runtime_error(message)
    , m_code(code)
    , m_extendedCode(extendedCode)
{
}

Database::Database(const std::string& path, OpenMode mode)
    : m_path(path)
{
    int flags = SQLITE_OPEN_NOMUTEX; // one connection per thread: SQLite's own locks buy nothing
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
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        // sqlite3_open_v2 hands back a handle even on failure; it only carries the message.
        Error error(rc & 0xff, m_db ? sqlite3_extended_errcode(m_db) : rc,
            "open " + path + ": " + (m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc)));
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw error;
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database()
{
    // close_v2 defers the close until any statement a caller leaked is finalized, instead of
    // failing with SQLITE_BUSY and leaking the connection.
    sqlite3_close_v2(m_db);
}

void Database::key(std::string_view rawKey)
{
    assert(rawKey.size() == 32);
    // PRAGMA key = "x'<hex>'" hands SQLCipher the raw key, skipping its PBKDF2 step (the key is
    // already random or Argon2id output). The statement text holds the key, so wipe it after.
    std::string sql = "PRAGMA key = \"x'";
    static const char* digits = "0123456789ABCDEF";
    for (unsigned char byte : rawKey) {
        sql += digits[byte >> 4];
        sql += digits[byte & 0xf];
    }
    sql += "'\";";
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
    sodium_memzero(sql.data(), sql.size());
    if (rc != SQLITE_OK)
        throwFrom(m_db, rc, "key");
}

void Database::exec(const std::string& sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(rc & 0xff, sqlite3_extended_errcode(m_db), text);
    }
}

std::string Database::execScalar(const std::string& sql)
{
    Statement statement(*this, sql);
    return statement.step() ? statement.columnText(0) : std::string();
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::tableExists(const std::string& name)
{
    Statement statement(*this, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    statement.bind(1, std::string_view(name));
    return statement.step();
}

} // namespace latch::app::db
