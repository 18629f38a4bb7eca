#pragma once
// A small RAII wrapper over the SQLCipher C API, in the shape of SQLiteCpp: Database owns one
// connection, Statement (statement.h) one prepared statement, Transaction (transaction.h) one
// BEGIN that rolls back unless committed. Failures throw db::Error carrying SQLite's result
// code, so callers can tell a wrong key (SQLITE_NOTADB) from a damaged file (SQLITE_CORRUPT) from
// a full disk.
//
// This header never includes sqlite3.h: the connection is an opaque `sqlite3*`, so nothing that
// includes it can mix up SQLCipher's declarations with plain SQLite's.
//
// Threading: one Database per thread (opened without SQLite's mutexes); its Statements and
// Transactions are used on that thread and must not outlive it.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace latch::app::db {

// SQLite result codes the replica reacts to (the same numbers as sqlite3.h, which we keep out of
// this header).
enum ResultCode : int {
    Ok = 0,
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    IoErr = 10,
    Corrupt = 11,
    Full = 13,
    CantOpen = 14,
    NotADb = 26,
};

class Error : public std::runtime_error {
public:
    Error(int code, int extendedCode, const std::string& message);
    int code() const { return m_code; } // primary result code, e.g. NotADb
    int extendedCode() const { return m_extendedCode; } // e.g. SQLITE_IOERR_READ

private:
    int m_code;
    int m_extendedCode;
};

enum class OpenMode { ReadOnly, ReadWrite, ReadWriteCreate };

class Database {
public:
    // Opens the file; nothing is read until the first statement (so a wrong key shows up there).
    Database(const std::string& path, OpenMode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Keys the connection with a raw 32-byte key (no PBKDF2 step). Must be the first statement on
    // the connection; SQLCipher does not check the key until something is read.
    void key(std::string_view rawKey);

    // Runs one or more statements that return no rows we need.
    void exec(const std::string& sql);
    // The first column of the first row as text ("" when there is no row): for PRAGMAs.
    std::string execScalar(const std::string& sql);

    std::int64_t lastInsertRowId() const;
    int changes() const; // rows changed by the last INSERT/UPDATE/DELETE
    bool tableExists(const std::string& name);

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace latch::app::db
