#pragma once
// One prepared statement on a db::Database (see database.h); finalized in its destructor.
#include "replica/database.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace latch::app::db {

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Indexes start at 1, as in SQL. Text and blobs are copied (SQLITE_TRANSIENT).
    void bind(int index, std::int64_t value);
    void bind(int index, std::string_view text);
    void bindBlob(int index, std::string_view bytes);
    void bindNull(int index);

    // Advances: true when a row is available, false when the statement is done.
    bool step();
    // Runs a statement that returns no rows, then resets it for the next bindings.
    void exec();
    // Ready to run again; bindings are kept until rebound.
    void reset();

    int columnCount() const;
    std::string columnName(int index) const; // indexes start at 0, as in sqlite3_column_*
    bool isNull(int index) const;
    std::int64_t columnInt64(int index) const;
    std::string columnText(int index) const;
    std::string columnBlob(int index) const;
    // Zero-copy view valid until the next step/reset: for building QStrings without a detour.
    std::string_view columnView(int index) const;
    // The same for a blob: its bytes as stored, with no conversion to text on the way.
    std::string_view columnBlobView(int index) const;

private:
    void check(int rc) const;

    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace latch::app::db
