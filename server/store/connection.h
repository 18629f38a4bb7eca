#pragma once
// A Database plus its cache of prepared statements: each SQL text is prepared once per connection.
// prepare() hands the statement out wrapped in a Use that resets it at the end of the scope, so a
// cached statement never keeps a read open or carries stale bindings into its next use. A cached
// statement is not re-entrant: one Use of a given SQL text at a time.
//
// Threading: like Database, one thread at a time.
#include "store/sqlite/database.h"
#include "store/sqlite/statement.h"

#include <map>
#include <memory>
#include <string>

namespace latch::store {

class Connection {
public:
    class Use {
    public:
        explicit Use(sqlite::Statement& statement)
            : m_statement(statement)
        {
        }
        ~Use() { m_statement.reset(); }
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;

        sqlite::Statement* operator->() { return &m_statement; }
        sqlite::Statement& operator*() { return m_statement; }

    private:
        sqlite::Statement& m_statement;
    };

    // Opens a connection with the store's settings: busy timeout 5 s and foreign keys on; and for
    // a writable one WAL (so readers never block the writer, nor it them) with synchronous=FULL
    // (a commit is on disk when COMMIT returns). Throws sqlite::SqliteError, or
    // std::runtime_error when the file cannot be put in WAL mode.
    static std::unique_ptr<Connection> open(const std::string& path, sqlite::OpenMode mode);

    Connection(const std::string& path, sqlite::OpenMode mode);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite::Database& db() { return m_db; }
    Use prepare(const std::string& sql);

private:
    // Declared after m_db so the statements are finalised before the connection closes.
    sqlite::Database m_db;
    std::map<std::string, std::unique_ptr<sqlite::Statement>, std::less<>> m_statements;
};

} // namespace latch::store
