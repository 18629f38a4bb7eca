#pragma once
// One prepared statement (RAII), in the shape of SQLiteCpp's Statement: bind by 1-based index,
// step() row by row, read columns by 0-based index, reset() to run it again.
//
// Threading: belongs to its Database's thread of the moment.
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace latch::store::sqlite {

class Database;

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Values are copied at bind time, so the arguments need not outlive the call.
    void bindInt64(int index, std::int64_t value);
    void bindText(int index, std::string_view value);
    void bindBlob(int index, std::string_view bytes);
    void bindNull(int index);

    // true: a row is ready to read; false: the statement has finished. Throws SqliteError.
    bool step();
    // Steps a statement that returns no rows (INSERT, UPDATE, ...) to its end.
    void run();

    std::int64_t columnInt64(int column) const;
    std::string columnText(int column) const; // "" for NULL
    std::string columnBlob(int column) const; // "" for NULL
    bool columnIsNull(int column) const;

    // Ready to run again from the start with no bindings. Never throws: the error of a failed
    // step was already thrown by step().
    void reset() noexcept;

    const std::string& sql() const { return m_sql; }

private:
    [[noreturn]] void throwError(int rc) const;
    void check(int rc) const;

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

} // namespace latch::store::sqlite
