#pragma once
// The replica's schema, as numbered steps. Version n is what step n leaves behind; meta holds
// `schema_version`, written in the same transaction as the step, so a crash mid-migration leaves
// the file at the previous version, intact.
//
// Adding a step: append it to the list in migrations.cpp and bump kLatestSchema. Never edit a
// step that has shipped; a file written by a newer build (version above kLatestSchema) is refused
// by Replica::open, not migrated down. A step that writes rows through CaseRows writes the newest
// row format: when a later step changes that format, the earlier step's fill moves to the later
// step (as step 2's did to step 5).
#include "replica/database.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace latch::app::migrations {

inline constexpr int kLatestSchema = 5;

// Replica files are written in 16 KiB pages. SQLCipher 3.4 spends a fixed cost on every page it
// encrypts (an IV from RAND_bytes, the cipher and HMAC set-up) besides the bytes themselves, so
// fewer, larger pages cut that cost: a 10,000-case bootstrap writes a quarter as many pages as
// with 4 KiB and runs within about 15 % of the same workload unencrypted. Files written before
// (4 KiB pages) still open: the page size is not readable from an encrypted file, so openKeyed
// tries each size, newest first. (A move to SQLCipher 4 needs `cipher_compatibility = 3`.)
inline constexpr int kCipherPageSize = 16384;
inline constexpr std::array<int, 2> kCipherPageSizes = { kCipherPageSize, 4096 };

// Keys a connection and sets its page size; runs before anything is read.
void useKey(db::Database& db, std::string_view rawKey, int pageSize = kCipherPageSize);

// Opens the file at `path` keyed with `rawKey`, trying each of kCipherPageSizes until the key
// reads the schema. Throws db::Error (NotADb when no page size opens it: a wrong key, or not a
// database at all).
std::unique_ptr<db::Database> openKeyed(
    const std::string& path, db::OpenMode mode, std::string_view rawKey);

// The version recorded in the file: 0 for a new, empty file.
int currentVersion(db::Database& db);

// Runs the steps from the file's version up to `target` (at most kLatestSchema), each in its own
// transaction. Throws db::Error; asserts the file is not above `target`.
void migrate(db::Database& db, int target = kLatestSchema);

} // namespace latch::app::migrations
