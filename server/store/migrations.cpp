#include "store/migrations.h"

#include "store/auditlog.h"
#include "store/casequeries.h"
#include "store/sqlite/database.h"
#include "store/sqlite/sqliteerror.h"
#include "store/sqlite/statement.h"
#include "store/sqlite/transaction.h"
#include "store/storelog.h"

#include <string>

namespace latch::store {

namespace {

// Version 1: the whole first schema.
// - events is append-only: triggers make SQLite itself refuse UPDATE and DELETE, whoever asks, and
//   refuse a seq that does not come after every stored one (seq is the clients' sync cursor).
//   INSERT OR REPLACE would delete the row it collides with without firing the DELETE trigger
//   (unless recursive_triggers is on, which no other connection can be made to set), so the
//   BEFORE INSERT triggers refuse a colliding seq or (case_id, case_version) before it gets there.
// - cases holds each case's materialised row; the columns beside `data` exist only for filtering.
// - admin_audit is append-only for the same reason as events.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    case_id      TEXT NOT NULL,
    case_version INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    time_ms      INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    data         BLOB NOT NULL,
    UNIQUE (case_id, case_version)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_seq_increases BEFORE INSERT ON events
WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events)
BEGIN
    SELECT RAISE(ABORT, 'event seq must be greater than every stored seq');
END;
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events
             WHERE case_id = NEW.case_id AND case_version = NEW.case_version)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: that case version is already stored');
END;

CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    status     TEXT NOT NULL,
    type       TEXT NOT NULL,
    queue      TEXT NOT NULL,
    assignee   TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    data       BLOB NOT NULL
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_type ON cases (type);
CREATE INDEX cases_assignee ON cases (assignee);
CREATE INDEX cases_last_seq ON cases (last_seq);

CREATE TABLE commands (
    command_id TEXT PRIMARY KEY,
    actor      TEXT NOT NULL,
    data       BLOB NOT NULL
);

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    data          BLOB NOT NULL,
    password_hash TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username),
    device     TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_username ON sessions (username);

CREATE TABLE admin_audit (
    id     INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'the admin audit is append-only');
END;
CREATE TRIGGER admin_audit_no_delete BEFORE DELETE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'the admin audit is append-only');
END;
)sql";

// Version 2: each stored command result keeps the SHA-256 of the command it answers, so a
// command_id reused for a different command is refused instead of answered with the old result.
// Rows from version 1 keep an empty fingerprint and are matched by id alone.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE commands ADD COLUMN fingerprint BLOB NOT NULL DEFAULT x'';
)sql";

// Version 3: intake thread keys. An email reply, a repeated alert or the same delivery again finds
// the case it belongs to by one of these keys.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE intake_threads (
    key TEXT PRIMARY KEY,
    case_id TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 4: the audit log (store/auditlog.h). log_nodes holds the Merkle tree of every event's
// hash, filled from the events already stored; checkpoints holds every signed tree head issued,
// and log_keys every key that signed one. Nodes and checkpoints are append-only.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE log_nodes (
    pos  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);
CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER log_nodes_no_replace BEFORE INSERT ON log_nodes
WHEN EXISTS (SELECT 1 FROM log_nodes WHERE pos = NEW.pos)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: that node is already stored');
END;
CREATE TABLE checkpoints (
    id       INTEGER PRIMARY KEY,
    size     INTEGER NOT NULL,
    root     BLOB NOT NULL,
    time_ms  INTEGER NOT NULL,
    key_name TEXT NOT NULL,
    note     TEXT NOT NULL
);
CREATE INDEX checkpoints_by_size ON checkpoints (size);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TRIGGER checkpoints_no_replace BEFORE INSERT ON checkpoints
WHEN EXISTS (SELECT 1 FROM checkpoints WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TABLE log_keys (
    verifier_key TEXT PRIMARY KEY,
    created_ms   INTEGER NOT NULL,
    retired_ms   INTEGER
);
)sql";

int currentVersion(sqlite::Database& db)
{
    sqlite::Statement query(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    query.step();
    return static_cast<int>(query.columnInt64(0));
}

Failure tooNew(const sqlite::Database& db, int found)
{
    return fail("store.too_new",
        "The database " + db.path() + " has schema version " + std::to_string(found)
            + " but this build of Latch only knows up to version "
            + std::to_string(latestSchemaVersion())
            + "; run a newer latch-server or restore a backup.");
}

} // namespace

const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> all {
        { 1, "initial schema", kSchemaV1 },
        { 2, "command fingerprints", kSchemaV2 },
        { 3, "intake threads", kSchemaV3 },
        { 4, "audit log", kSchemaV4, fillLogFromEvents },
    };
    return all;
}

int latestSchemaVersion()
{
    return migrations().back().version;
}

Expected<int> migrate(sqlite::Database& db, std::int64_t nowMs)
{
    try {
        int version = 0;
        {
            sqlite::Transaction txn(db, sqlite::TransactionMode::Immediate);
            db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)");
            version = currentVersion(db);
            txn.commit();
        }
        if (version > latestSchemaVersion()) {
            return tooNew(db, version);
        }
        for (const Migration& migration : migrations()) {
            if (migration.version <= version) {
                continue;
            }
            sqlite::Transaction txn(db, sqlite::TransactionMode::Immediate);
            // Another process may have migrated between our transactions.
            const int now = currentVersion(db);
            if (now >= migration.version) {
                version = now;
                continue;
            }
            db.exec(migration.sql);
            if (migration.fill)
                migration.fill(db);
            sqlite::Statement record(
                db, "INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)");
            record.bindInt64(1, migration.version);
            record.bindInt64(2, nowMs);
            record.run();
            txn.commit();
            version = migration.version;
            storeLog().info(
                "{}: applied migration {} ({})", db.path(), migration.version, migration.name);
        }
        if (version > latestSchemaVersion()) {
            return tooNew(db, version);
        }
        return version;
    } catch (const StoreCorrupt& e) {
        return fail("store.migrate",
            "Could not bring the database " + db.path() + " up to date: " + e.what());
    } catch (const sqlite::SqliteError& e) {
        return fail("store.migrate",
            "Could not bring the database " + db.path() + " up to date: " + e.what());
    }
}

} // namespace latch::store
