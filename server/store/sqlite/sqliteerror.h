#pragma once
// The one exception the SQLite wrapper throws: an SQLite result code plus the connection's message.
// Callers on an expected-failure path (a commit, an account write) catch it and turn it into a
// latch::Failure; elsewhere it means the database itself failed (I/O error, corruption).
#include <stdexcept>
#include <string>

namespace latch::store::sqlite {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, int extendedCode, const std::string& message)
        : std::runtime_error(message)
        , m_code(code)
        , m_extendedCode(extendedCode)
    {
    }

    int code() const { return m_code; } // primary result code, e.g. 19
    int extendedCode() const { return m_extendedCode; } // e.g. 1555 (primary key constraint)
    bool isConstraint() const { return m_code == 19; } // SQLITE_CONSTRAINT (see database.cpp)

private:
    int m_code;
    int m_extendedCode;
};

} // namespace latch::store::sqlite
