#pragma once
// The store's schema as numbered migrations. A migration is applied once, in its own transaction,
// and recorded in schema_migrations(version, applied_ms). Migrations are only ever appended: a
// released one is never edited, a change to the schema is a new migration.
#include "latch/expected.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace latch::store {

namespace sqlite {
class Database;
}

struct Migration {
    int version = 0; // 1, 2, 3, ... without gaps
    std::string_view name;
    std::string_view sql;
    // Run after `sql`, in the same transaction: fills new tables from what is stored.
    void (*fill)(sqlite::Database&) = nullptr;
};

const std::vector<Migration>& migrations();
int latestSchemaVersion();

// Applies every migration the database lacks. Returns the schema version it is now at.
// Failures: store.too_new (the file was written by a newer Latch), store.migrate (SQLite refused).
Expected<int> migrate(sqlite::Database& db, std::int64_t nowMs);

} // namespace latch::store
