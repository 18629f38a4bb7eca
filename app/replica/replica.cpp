#include "replica/replica.h"

#include "latch/casefold.h"
#include "replica/caserows.h"
#include "replica/database.h"
#include "replica/migrations.h"
#include "replica/statement.h"
#include "replica/transaction.h"

#include <QFile>
#include <QLoggingCategory>
#include <algorithm>
#include <charconv>
#include <google/protobuf/descriptor.h>
#include <map>
#include <set>

Q_LOGGING_CATEGORY(lcReplica, "latch.replica")

namespace latch::app {

namespace {

// The outbox is the user's own work and cannot be fetched again, so its writes wait for the disk
// (synchronous = FULL). Everything else the server can resend; NORMAL in WAL mode may lose the
// last commits on power loss but never corrupts.
class DurableWrites {
public:
    explicit DurableWrites(db::Database& db)
        : m_db(db)
    {
        m_db.exec("PRAGMA synchronous = FULL");
    }
    ~DurableWrites()
    {
        try {
            m_db.exec("PRAGMA synchronous = NORMAL");
        } catch (const db::Error& e) {
            qCWarning(lcReplica) << "could not restore synchronous = NORMAL:" << e.what();
        }
    }
    DurableWrites(const DurableWrites&) = delete;
    DurableWrites& operator=(const DurableWrites&) = delete;

private:
    db::Database& m_db;
};

std::string fileName(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

std::string_view keyBytes(const QByteArray& key)
{
    return { key.constData(), std::size_t(key.size()) };
}

// What a user is told for each way open() can fail.
Failure openFailure(int code, const std::string& detail, const QString& path)
{
    switch (code) {
    case db::NotADb:
        return fail("replica.wrong_key",
            "The key or passphrase does not open the copy of your cases on this computer, "
            "or that file is not a Latch replica.");
    case db::Corrupt:
    case 1: // SQLITE_ERROR: tables missing or not as we left them
        return fail("replica.corrupt", "The copy of your cases on this computer is damaged.");
    case db::Busy:
    case db::Locked:
        return fail("replica.io",
            "The copy of your cases on this computer (" + fileName(path)
                + ") is in use by another program; close it and try again.");
    default:
        return fail("replica.io",
            "The copy of your cases on this computer (" + fileName(path)
                + ") cannot be read or written (" + detail + ").");
    }
}

// The case an outbox entry is about, from whichever command the oneof holds: every command
// message names its case in a `case_id` field, so new commands need no change here.
std::string commandCaseId(const v1::Command& command)
{
    const auto* reflection = command.GetReflection();
    const auto* kind = v1::Command::descriptor()->FindOneofByName("kind");
    const auto* field = kind ? reflection->GetOneofFieldDescriptor(command, kind) : nullptr;
    if (!field || field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE)
        return {};
    const auto& message = reflection->GetMessage(command, field);
    const auto* caseId = message.GetDescriptor()->FindFieldByName("case_id");
    if (!caseId || caseId->type() != google::protobuf::FieldDescriptor::TYPE_STRING)
        return {};
    return message.GetReflection()->GetString(message, caseId);
}

const char* stateName(OutboxEntry::State state)
{
    return state == OutboxEntry::State::Rejected ? "rejected" : "pending";
}

// Columns in the order readEntry() expects.
constexpr const char* kOutboxSelect = "SELECT local_seq, command_id, case_id, command, state, "
                                      "code, message, created_ms FROM outbox";

OutboxEntry readEntry(const db::Statement& s)
{
    OutboxEntry entry;
    entry.localSeq = s.columnInt64(0);
    entry.commandId = s.columnText(1);
    entry.caseId = s.columnText(2);
    if (!entry.command.ParseFromString(s.columnBlob(3)))
        qCWarning(lcReplica) << "outbox entry" << entry.localSeq << "holds an unreadable command";
    entry.state = s.columnText(4) == "rejected" ? OutboxEntry::State::Rejected
                                                : OutboxEntry::State::Pending;
    entry.code = s.columnText(5);
    entry.message = s.columnText(6);
    entry.createdMs = s.columnInt64(7);
    return entry;
}

void insertEntry(db::Database& db, const OutboxEntry& entry)
{
    db::Statement s(db,
        "INSERT OR IGNORE INTO outbox (command_id, case_id, command, state, code, "
        "message, created_ms) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, std::string_view(entry.commandId));
    s.bind(2, std::string_view(entry.caseId));
    s.bindBlob(3, entry.command.SerializeAsString());
    s.bind(4, std::string_view(stateName(entry.state)));
    s.bind(5, std::string_view(entry.code));
    s.bind(6, std::string_view(entry.message));
    s.bind(7, std::int64_t(entry.createdMs));
    s.exec();
}

void setMeta(db::Database& db, const char* key, const std::string& value)
{
    db::Statement s(db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    s.bind(1, std::string_view(key));
    s.bind(2, std::string_view(value));
    s.exec();
}

// A case that arrived whole replaces its row and every event stored for it. By value: a snapshot
// batch owns its pages and moves each case in, so its events are stored without being copied.
void replaceCase(CaseRows& rows, v1::CaseSnapshot snapshot)
{
    const auto& c = snapshot.case_();
    rows.remove(c.id());
    std::string notes;
    for (auto& event : *snapshot.mutable_events())
        rows.putEvent(std::move(event), notes);
    rows.put(c, notes);
}

} // namespace

Replica::Replica(std::unique_ptr<db::Database> db)
    : m_db(std::move(db))
{
}

Replica::~Replica() = default;

int Replica::schemaVersion()
{
    return migrations::kLatestSchema;
}

namespace {

Expected<std::unique_ptr<db::Database>> openDatabase(const QString& path, const QByteArray* key)
{
    if (key && key->size() != 32)
        return fail("replica.wrong_key",
            "The key for the copy of your cases on this computer is not a 256-bit key.");
    std::unique_ptr<db::Database> db;
    try {
        if (key) {
            db = migrations::openKeyed(
                fileName(path), db::OpenMode::ReadWriteCreate, keyBytes(*key));
        } else {
            db = std::make_unique<db::Database>(fileName(path), db::OpenMode::ReadWriteCreate);
            db->exec("PRAGMA page_size = " + std::to_string(migrations::kCipherPageSize));
            // A file that is not a database at all fails here with SQLITE_NOTADB.
            db->execScalar("SELECT count(*) FROM sqlite_master");
        }
    } catch (const db::Error& e) {
        qCWarning(lcReplica) << "cannot open" << path << e.what();
        return openFailure(e.code(), e.what(), path);
    }
    try {
        db->execScalar("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = NORMAL");
        // Every page read from disk is decrypted and checked again: a larger page cache (32 MiB)
        // keeps a bootstrap's index pages decrypted instead of cycling them through the cipher,
        // and holds a whole snapshot batch (kSnapshotBatchBytes), so no page of it is spilled to
        // the WAL, encrypted, and written again before the commit.
        db->exec("PRAGMA cache_size = -32768");
        const int version = migrations::currentVersion(*db);
        if (version > migrations::kLatestSchema) {
            const std::string found = std::to_string(version);
            const std::string ours = std::to_string(migrations::kLatestSchema);
            const std::string format = "(format " + found + "; this version reads up to " + ours;
            return fail("replica.too_new",
                "The copy of your cases on this computer was written by a newer version of Latch "
                    + format + ").");
        }
        if (version == 0 && db->execScalar("SELECT count(*) FROM sqlite_master") != "0")
            return fail("replica.corrupt",
                "The file at " + fileName(path) + " holds a database that is not a Latch replica.");
        // Every page, once: a damaged page found now means a rebuild that keeps the outbox; found
        // later it would fail a sync half-way. About half a second for 100,000 cases.
        const std::string check = db->execScalar("PRAGMA quick_check(5)");
        if (check != "ok") {
            qCWarning(lcReplica) << "integrity check of" << path << "failed:" << check.c_str();
            return openFailure(db::Corrupt, check, path);
        }
        migrations::migrate(*db);
        return db;
    } catch (const db::Error& e) {
        qCWarning(lcReplica) << "cannot open" << path << e.what();
        // The key opened the schema, so a page that now fails to decrypt (SQLITE_NOTADB) was
        // damaged, not keyed differently.
        return openFailure(e.code() == db::NotADb ? int(db::Corrupt) : e.code(), e.what(), path);
    }
}

} // namespace

Expected<std::unique_ptr<Replica>> Replica::open(const QString& path, const QByteArray& key)
{
    auto db = openDatabase(path, &key);
    if (!db)
        return db.failure();
    return std::unique_ptr<Replica>(new Replica(std::move(*db)));
}

Expected<std::unique_ptr<Replica>> Replica::openUnencryptedForBenchmark(const QString& path)
{
    auto db = openDatabase(path, nullptr);
    if (!db)
        return db.failure();
    return std::unique_ptr<Replica>(new Replica(std::move(*db)));
}

QString Replica::cipherVersion() const
{
    return QString::fromStdString(m_db->execScalar("PRAGMA cipher_version"));
}

// --- what the server sent ---

std::uint64_t Replica::cursor() const
{
    const std::string value = m_db->execScalar("SELECT value FROM meta WHERE key = 'cursor'");
    std::uint64_t cursor = 0;
    std::from_chars(value.data(), value.data() + value.size(), cursor); // stays 0 when unreadable
    return cursor;
}

void Replica::applySnapshotPage(const v1::SnapshotPage& page)
{
    if (page.reset())
        dropUnappliedSnapshot(); // a new snapshot supersedes any unfinished one
    m_snapshotBatchBytes += page.ByteSizeLong();
    m_snapshotBatch.push_back(page);
    if (page.last() || m_snapshotBatchBytes >= kSnapshotBatchBytes)
        writeSnapshotBatch();
}

void Replica::dropUnappliedSnapshot()
{
    m_snapshotBatch.clear();
    m_snapshotBatchBytes = 0;
}

void Replica::writeSnapshotBatch()
{
    auto batch = std::move(m_snapshotBatch);
    dropUnappliedSnapshot();
    const bool reset = batch.front().reset();
    const bool last = batch.back().last();
    // A full snapshot writes the whole replica. Checkpointing every 1,000 pages (SQLite's
    // default) would sync the disk some forty times for 10,000 cases; the WAL is checkpointed
    // once instead, by checkpoint() after the last page. Readers on this connection see the WAL.
    if (reset)
        m_db->execScalar("PRAGMA wal_autocheckpoint = 0");
    db::Transaction transaction(*m_db);
    CaseRows rows(*m_db);
    if (reset) {
        m_db->exec("DELETE FROM events; DELETE FROM cases;");
        // Until the last page lands the replica covers nothing consistently: were the snapshot
        // cut short, the next Hello must ask for everything again, not resume from the old cursor.
        setMeta(*m_db, "cursor", "0");
    }
    for (auto& page : batch) {
        for (auto& snapshot : *page.mutable_cases())
            replaceCase(rows, std::move(snapshot));
        for (const auto& id : page.revoked())
            rows.remove(id);
    }
    if (last)
        setMeta(*m_db, "cursor", std::to_string(batch.back().upto_seq()));
    transaction.commit();
    if (last)
        m_db->execScalar("PRAGMA wal_autocheckpoint = 1000");
}

void Replica::checkpoint()
{
    m_db->execScalar("PRAGMA wal_checkpoint(TRUNCATE)");
}

std::vector<std::string> Replica::applyEventBatch(const v1::EventBatch& batch)
{
    std::vector<std::string> changed;
    std::set<std::string> seen;
    const auto noteChange = [&](const std::string& id) {
        if (seen.insert(id).second)
            changed.push_back(id);
    };

    db::Transaction transaction(*m_db);
    CaseRows rows(*m_db);
    for (const auto& snapshot : batch.cases()) {
        replaceCase(rows, snapshot);
        noteChange(snapshot.case_().id());
    }

    // Each touched case is read once, folded in memory and written once, however many of the
    // batch's events it has.
    struct Folding {
        v1::Case c;
        std::string notes;
        bool dirty = false;
    };
    std::map<std::string, std::optional<Folding>> folding;
    db::Statement load(*m_db, "SELECT proto, notes FROM cases WHERE id = ?");
    // In seq order whatever order they came in: an event folded after a later one of its case
    // would be taken for a resend and dropped.
    std::vector<const v1::Event*> ordered;
    ordered.reserve(std::size_t(batch.events_size()));
    for (const auto& event : batch.events())
        ordered.push_back(&event);
    std::stable_sort(ordered.begin(), ordered.end(),
        [](const v1::Event* a, const v1::Event* b) { return a->seq() < b->seq(); });
    for (const v1::Event* next : ordered) {
        const v1::Event& event = *next;
        auto [it, fresh] = folding.try_emplace(event.case_id());
        if (fresh) {
            load.bind(1, std::string_view(event.case_id()));
            if (load.step()) {
                Folding f;
                f.c.ParseFromString(load.columnBlob(0));
                f.notes = load.columnBlob(1);
                it->second = std::move(f);
            }
            load.reset();
        }
        // Not in the replica: the server sends a case whole when it comes into view.
        if (!it->second)
            continue;
        auto& f = *it->second;
        if (event.seq() <= f.c.last_seq())
            continue; // already folded: a resend changes nothing
        if (event.case_version() != f.c.version() + 1)
            qCWarning(lcReplica) << "case" << event.case_id().c_str() << "jumps from version"
                                 << f.c.version() << "to" << event.case_version();
        applyEvent(f.c, event);
        f.dirty = true;
        rows.putEvent(event, f.notes);
        noteChange(event.case_id());
    }
    for (const auto& [id, f] : folding) {
        if (f && f->dirty)
            rows.put(f->c, f->notes);
    }
    // A batch older than what is stored (a late resend) must not move the cursor back.
    if (batch.upto_seq() > cursor())
        setMeta(*m_db, "cursor", std::to_string(batch.upto_seq()));
    transaction.commit();
    return changed;
}

void Replica::revoke(const std::string& caseId)
{
    db::Transaction transaction(*m_db);
    CaseRows(*m_db).remove(caseId);
    transaction.commit();
}

// --- reads ---

std::vector<QueueRow> Replica::queueRows() const
{
    std::vector<QueueRow> rows;
    rows.reserve(caseCount());
    db::Statement s(*m_db,
        std::string("SELECT ") + CaseRows::queueColumns()
            + " FROM cases ORDER BY updated_ms DESC, id");
    CaseRows::Reader reader;
    while (s.step())
        rows.push_back(reader.read(s));
    return rows;
}

std::optional<QueueRow> Replica::queueRow(const std::string& caseId) const
{
    db::Statement s(
        *m_db, std::string("SELECT ") + CaseRows::queueColumns() + " FROM cases WHERE id = ?");
    s.bind(1, std::string_view(caseId));
    if (!s.step())
        return std::nullopt;
    return CaseRows::Reader().read(s);
}

std::optional<v1::Case> Replica::loadCase(const std::string& caseId) const
{
    db::Statement s(*m_db, "SELECT proto FROM cases WHERE id = ?");
    s.bind(1, std::string_view(caseId));
    if (!s.step())
        return std::nullopt;
    v1::Case c;
    if (!c.ParseFromString(s.columnBlob(0)))
        throw db::Error(db::Corrupt, db::Corrupt, "case " + caseId + " is stored unreadably");
    return c;
}

std::vector<v1::Event> Replica::caseEvents(const std::string& caseId) const
{
    return CaseRows::loadEvents(*m_db, caseId);
}

std::size_t Replica::caseCount() const
{
    return std::stoull(m_db->execScalar("SELECT count(*) FROM cases"));
}

// --- the outbox ---

OutboxEntry Replica::enqueue(const v1::Command& command, std::int64_t nowMs)
{
    Q_ASSERT_X(!command.command_id().empty(), "Replica::enqueue", "commands carry a command_id");
    OutboxEntry entry;
    entry.commandId = command.command_id();
    entry.caseId = commandCaseId(command);
    entry.command = command;
    entry.createdMs = nowMs;
    {
        DurableWrites durable(*m_db);
        db::Transaction transaction(*m_db);
        insertEntry(*m_db, entry);
        transaction.commit();
    }
    // The same command id twice is the same command (the server answers it once): hand back
    // the entry already queued rather than a second one.
    db::Statement s(*m_db, std::string(kOutboxSelect) + " WHERE command_id = ?");
    s.bind(1, std::string_view(entry.commandId));
    if (s.step())
        entry = readEntry(s);
    return entry;
}

void Replica::restoreOutbox(std::vector<OutboxEntry> entries)
{
    // Back in their original order, with their command ids (so the server recognises a command
    // it already answered) and their state: a rejected entry stays rejected.
    std::stable_sort(entries.begin(), entries.end(),
        [](const auto& a, const auto& b) { return a.localSeq < b.localSeq; });
    DurableWrites durable(*m_db);
    db::Transaction transaction(*m_db);
    for (const auto& entry : entries)
        insertEntry(*m_db, entry);
    transaction.commit();
}

std::vector<OutboxEntry> Replica::outbox() const
{
    std::vector<OutboxEntry> entries;
    db::Statement s(*m_db, std::string(kOutboxSelect) + " ORDER BY local_seq");
    while (s.step())
        entries.push_back(readEntry(s));
    return entries;
}

std::vector<OutboxEntry> Replica::pendingCommands() const
{
    std::vector<OutboxEntry> entries;
    db::Statement s(
        *m_db, std::string(kOutboxSelect) + " WHERE state = 'pending' ORDER BY local_seq");
    while (s.step())
        entries.push_back(readEntry(s));
    return entries;
}

std::optional<std::string> Replica::completeCommand(const v1::CommandResult& result)
{
    DurableWrites durable(*m_db);
    db::Transaction transaction(*m_db);
    std::string caseId;
    {
        db::Statement find(*m_db, "SELECT case_id FROM outbox WHERE command_id = ?");
        find.bind(1, std::string_view(result.command_id()));
        if (!find.step())
            return std::nullopt;
        caseId = find.columnText(0);
    }
    if (result.accepted()) {
        db::Statement s(*m_db, "DELETE FROM outbox WHERE command_id = ?");
        s.bind(1, std::string_view(result.command_id()));
        s.exec();
    } else {
        db::Statement s(*m_db,
            "UPDATE outbox SET state = 'rejected', code = ?, message = ? "
            "WHERE command_id = ?");
        s.bind(1, std::string_view(result.code()));
        s.bind(2, std::string_view(result.message()));
        s.bind(3, std::string_view(result.command_id()));
        s.exec();
    }
    transaction.commit();
    // A create_case without a client-chosen id learns its case id from the answer.
    return caseId.empty() ? result.case_id() : caseId;
}

void Replica::dismiss(const std::string& commandId)
{
    DurableWrites durable(*m_db);
    db::Transaction transaction(*m_db);
    db::Statement s(*m_db, "DELETE FROM outbox WHERE command_id = ? AND state = 'rejected'");
    s.bind(1, std::string_view(commandId));
    s.exec();
    transaction.commit();
}

// --- settings ---

std::optional<std::string> Replica::setting(const std::string& key) const
{
    db::Statement s(*m_db, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, std::string_view(key));
    if (!s.step())
        return std::nullopt;
    return s.columnBlob(0);
}

void Replica::setSetting(const std::string& key, const std::string& value)
{
    // Values may be binary (a serialised v1::User), hence a blob.
    DurableWrites durable(*m_db);
    db::Statement s(*m_db, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
    s.bind(1, std::string_view(key));
    s.bindBlob(2, value);
    s.exec();
}

void Replica::removeSetting(const std::string& key)
{
    DurableWrites durable(*m_db);
    db::Statement s(*m_db, "DELETE FROM settings WHERE key = ?");
    s.bind(1, std::string_view(key));
    s.exec();
}

} // namespace latch::app
