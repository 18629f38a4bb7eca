#pragma once
// One SQLite connection (RAII, move-only), in the shape of SQLiteCpp's Database. Throws SqliteError
// with SQLite's message and code on failure.
//
// Threading: one connection per thread at a time; it may be handed to another thread between uses
// (the reader pool does), never used by two at once.
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;

namespace latch::store::sqlite {

enum class OpenMode {
    ReadOnly,
    ReadWrite, // the file must exist
    ReadWriteCreate, // created when missing
};

class Database {
public:
    Database(const std::string& path, OpenMode mode);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that return no rows we need (DDL, PRAGMA setters, BEGIN...).
    void exec(std::string_view sql);
    void setBusyTimeout(int milliseconds);

    std::int64_t lastInsertRowId() const;
    int changes() const; // rows changed by the last INSERT/UPDATE/DELETE
    bool inTransaction() const; // false in autocommit mode
    std::string errorMessage() const;
    const std::string& path() const { return m_path; }

    sqlite3* handle() const { return m_db; }

    // Throws SqliteError for `rc` with this connection's current message.
    [[noreturn]] void throwError(int rc) const;

private:
    void close() noexcept;

    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace latch::store::sqlite
