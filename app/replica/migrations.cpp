#include "replica/migrations.h"

#include "latch.pb.h"
#include "replica/caserows.h"
#include "replica/statement.h"
#include "replica/transaction.h"

#include <array>
#include <cassert>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace latch::app::migrations {

namespace {

// 1: the tables. Cases and events are what the server sent; the outbox is the user's own work;
// settings hold small secrets (the session token) that belong inside the encrypted file.
void createTables(db::Database& db)
{
    db.exec(R"sql(
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            type TEXT NOT NULL,
            updated_ms INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            proto BLOB NOT NULL);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            proto BLOB NOT NULL);
        CREATE INDEX events_by_case ON events (case_id, seq);
        CREATE TABLE outbox (
            local_seq INTEGER PRIMARY KEY AUTOINCREMENT,
            command_id TEXT NOT NULL UNIQUE,
            case_id TEXT NOT NULL,
            command BLOB NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            code TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '',
            created_ms INTEGER NOT NULL);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        INSERT INTO meta (key, value) VALUES ('cursor', '0');
    )sql");
}

// 2: the queue line beside each case (see CaseRows), so the queue loads with one SELECT instead
// of parsing every case and re-reading every note. This step filled the columns of existing rows
// too, through CaseRows; since CaseRows writes step 5's rows, that fill is done by step 5, which
// rebuilds every row from its blob and its events.
void addQueueColumns(db::Database& db)
{
    db.exec(R"sql(
        ALTER TABLE cases ADD COLUMN title TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN customer TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN order_ref TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN requester TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN preparer TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN queue TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN rule TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN amount_minor INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN currency TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE cases ADD COLUMN search TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN approvers TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN stages TEXT NOT NULL DEFAULT '';
        CREATE INDEX cases_by_updated ON cases (updated_ms);
    )sql");
}

// 3: events clustered by case. Keyed (case_id, seq) in a WITHOUT ROWID table, a case's timeline
// sits on one or two pages instead of one page per event across the whole table, and the
// separate (case_id, seq) index is gone: opening a case reads (and, keyed, decrypts) a page or
// two, and a snapshot writes one B-tree for events instead of two. A seq belongs to one case, so
// the key still refuses an event stored twice.
void clusterEventsByCase(db::Database& db)
{
    db.exec(R"sql(
        CREATE TABLE events_by_case_id (
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            proto BLOB NOT NULL,
            PRIMARY KEY (case_id, seq)) WITHOUT ROWID;
        INSERT INTO events_by_case_id (case_id, seq, proto)
            SELECT case_id, seq, proto FROM events ORDER BY case_id, seq;
        DROP TABLE events;
        ALTER TABLE events_by_case_id RENAME TO events;
    )sql");
}

// 4: the intake channel beside each case, for the queue's channel icon (the queue reads no
// blobs). Existing rows are filled from their blobs.
void addChannelColumn(db::Database& db)
{
    db.exec("ALTER TABLE cases ADD COLUMN channel TEXT NOT NULL DEFAULT ''");
    std::vector<std::pair<std::string, std::string>> channels;
    {
        db::Statement rows(db, "SELECT id, proto FROM cases");
        while (rows.step()) {
            v1::Case c;
            if (c.ParseFromString(rows.columnBlob(1)) && !c.channel().empty())
                channels.emplace_back(rows.columnText(0), c.channel());
        }
    }
    db::Statement update(db, "UPDATE cases SET channel = ? WHERE id = ?");
    for (const auto& [id, channel] : channels) {
        update.bind(1, std::string_view(channel));
        update.bind(2, std::string_view(id));
        update.exec();
    }
}

// 5: nothing stored twice (see CaseRows). A note's text leaves its event for its case's row,
// which no longer keeps a lower-cased copy of it (the queue folds case as it loads); events are
// keyed by the case's number (`num`) instead of its id, and no longer carry their case id and
// seq, nor a prev_hash that is the hash of the event before them (`prev` names that event).
// The cipher encrypts every byte written and decrypts every byte read back. Both tables are
// rebuilt through CaseRows, each case from its blob and its events; events of a case that has no
// row were unreachable and are dropped.
void storeNotesOnce(db::Database& db)
{
    db.exec(R"sql(
        DROP INDEX cases_by_updated;
        ALTER TABLE cases RENAME TO cases_v4;
        ALTER TABLE events RENAME TO events_v4;
        CREATE TABLE cases (
            num INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            status INTEGER NOT NULL,
            type TEXT NOT NULL,
            updated_ms INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            proto BLOB NOT NULL,
            title TEXT NOT NULL,
            customer TEXT NOT NULL,
            order_ref TEXT NOT NULL,
            assignee TEXT NOT NULL,
            requester TEXT NOT NULL,
            preparer TEXT NOT NULL,
            queue TEXT NOT NULL,
            rule TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            notes BLOB NOT NULL,
            approvers TEXT NOT NULL,
            stages TEXT NOT NULL,
            channel TEXT NOT NULL);
        CREATE INDEX cases_by_updated ON cases (updated_ms);
        CREATE TABLE events (
            case_num INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            prev INTEGER,
            proto BLOB NOT NULL,
            PRIMARY KEY (case_num, seq)) WITHOUT ROWID;
    )sql");
    {
        CaseRows rows(db);
        db::Statement cases(db, "SELECT proto FROM cases_v4 ORDER BY id");
        db::Statement events(db, "SELECT proto FROM events_v4 WHERE case_id = ? ORDER BY seq");
        while (cases.step()) {
            v1::Case c;
            if (!c.ParseFromString(cases.columnBlob(0)))
                continue; // as step 2 did: unreadable, so never shown; the server has it
            std::string notes;
            events.bind(1, std::string_view(c.id()));
            while (events.step()) {
                v1::Event event;
                if (event.ParseFromString(events.columnBlob(0)))
                    rows.putEvent(std::move(event), notes);
            }
            events.reset();
            rows.put(c, notes);
        }
    } // the statements are finalized before their tables go
    db.exec("DROP TABLE events_v4; DROP TABLE cases_v4;");
}

using Step = void (*)(db::Database&);
// Index i holds the step that takes a file from version i to i + 1.
constexpr auto kSteps
    = std::to_array<Step>({ createTables, addQueueColumns, clusterEventsByCase, addChannelColumn,
                            storeNotesOnce });
static_assert(kSteps.size() == kLatestSchema, "one step per schema version");

} // namespace

void useKey(db::Database& db, std::string_view rawKey, int pageSize)
{
    db.key(rawKey);
    db.exec("PRAGMA cipher_page_size = " + std::to_string(pageSize));
}

std::unique_ptr<db::Database> openKeyed(
    const std::string& path, db::OpenMode mode, std::string_view rawKey)
{
    for (std::size_t i = 0;; ++i) {
        auto db = std::make_unique<db::Database>(path, mode);
        useKey(*db, rawKey, kCipherPageSizes[i]);
        try {
            // The first read is where SQLCipher checks the key and page size: either wrong fails
            // here with SQLITE_NOTADB. A new, empty file reads fine and gets the first size.
            db->execScalar("SELECT count(*) FROM sqlite_master");
            return db;
        } catch (const db::Error& e) {
            if (e.code() != db::NotADb || i + 1 == kCipherPageSizes.size())
                throw;
        }
    }
}

int currentVersion(db::Database& db)
{
    if (!db.tableExists("meta"))
        return 0;
    // Step 1 writes meta and the version in one transaction: a meta table without a readable
    // version was not written by Latch, or was damaged.
    const std::string value = db.execScalar("SELECT value FROM meta WHERE key = 'schema_version'");
    int version = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), version);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || version < 1)
        throw db::Error(db::Corrupt, db::Corrupt, "schema_version is missing or unreadable");
    return version;
}

void migrate(db::Database& db, int target)
{
    assert(target <= kLatestSchema);
    const int from = currentVersion(db);
    for (int version = from; version < target; ++version) {
        db::Transaction transaction(db);
        kSteps[version](db);
        db::Statement record(
            db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)");
        record.bind(1, std::string_view(std::to_string(version + 1)));
        record.exec();
        transaction.commit();
    }
    // A step that rebuilds a table (3, 5) leaves the old one's pages free inside the file: an
    // upgraded replica would keep twice its size on disk until new data filled them. Compacted
    // once, outside the steps' transactions (VACUUM cannot run inside one).
    if (from > 0 && from < target && db.execScalar("PRAGMA freelist_count") != "0")
        db.exec("VACUUM");
}

} // namespace latch::app::migrations
