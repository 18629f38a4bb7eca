#pragma once
// The replica's schema, as numbered steps. Version n is what step n leaves behind; meta holds
// `schema_version`, written in the same transaction as the step, so a crash mid-migration leaves
// the file at the previous version, intact.
//
// Adding a step: append it to the list in migrations.cpp and bump kLatestSchema. Never edit a
// step that has shipped; a file written by a newer build (version above kLatestSchema) is refused
// by Replica::open, not migrated down.
#include "replica/database.h"

#include <string_view>

namespace latch::app::migrations {

inline constexpr int kLatestSchema = 2;

// Keys a connection to a replica file and applies the cipher settings every replica file is
// written with; runs before anything is read. The pages are 4 KiB rather than SQLCipher 3.4's
// 1 KiB default: a queue load of 100,000 cases decrypts a third as many pages and runs about
// three times faster. (A move to SQLCipher 4 needs `cipher_compatibility = 3` and then this page
// size again.)
inline constexpr int kCipherPageSize = 4096;
void useKey(db::Database& db, std::string_view rawKey);

// The version recorded in the file: 0 for a new, empty file.
int currentVersion(db::Database& db);

// Runs the steps from the file's version up to `target` (at most kLatestSchema), each in its own
// transaction. Throws db::Error; asserts the file is not above `target`.
void migrate(db::Database& db, int target = kLatestSchema);

} // namespace latch::app::migrations
