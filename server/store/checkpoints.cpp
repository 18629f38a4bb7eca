#include "store/checkpoints.h"

#include "store/auditlog.h"
#include "store/connection.h"
#include "store/sqlite/sqliteerror.h"
#include "store/sqlite/transaction.h"
#include "store/storelog.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace latch::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKeyFile = "log-signing.key";

std::string_view bytes(const merkle::Hash& h)
{
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

Expected<bool> writeKeyFile(const fs::path& path, const note::SigningKey& key)
{
    // Made private before the key is in it.
    const fs::path tmp = path.string() + ".new";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out)
            return fail("proof.key", "cannot write the log signing key " + tmp.string());
    }
    std::error_code ec;
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    if (ec)
        return fail("proof.key", "cannot make " + tmp.string() + " private: " + ec.message());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << note::encodeSigningKey(key) << "\n";
        if (!out.flush())
            return fail("proof.key", "cannot write the log signing key " + tmp.string());
    }
    fs::rename(tmp, path, ec);
    if (ec)
        return fail("proof.key", "cannot write the log signing key " + path.string() + ": "
                                     + ec.message());
    return true;
}

} // namespace

Expected<note::SigningKey> loadOrCreateLogKey(const std::string& dataDir, const std::string& origin)
{
    const fs::path path = fs::path(dataDir) / kKeyFile;
    if (!fs::exists(path)) {
        auto key = note::generateKey(origin);
        if (!key)
            return fail("proof.key", "cannot make a log signing key named \"" + origin
                                         + "\": " + key.failure().message);
        if (auto written = writeKeyFile(path, *key); !written)
            return written.failure();
        return key;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        return fail("proof.key", path.string()
                                     + " can be read by other users; make it private (chmod 600) "
                                       "or, if it may have leaked, rotate it (latch-server key "
                                       "--rotate)");
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    auto key = note::decodeSigningKey(text);
    if (!key)
        return fail("proof.key", path.string() + " is not a log signing key: "
                                     + key.failure().message);
    return key;
}

Expected<note::SigningKey> rotateLogKey(const std::string& dataDir, const std::string& origin)
{
    auto key = note::generateKey(origin);
    if (!key)
        return key.failure();
    if (auto written = writeKeyFile(fs::path(dataDir) / kKeyFile, *key); !written)
        return written.failure();
    return key;
}

Expected<std::unique_ptr<Checkpoints>> Checkpoints::open(const std::string& dbPath)
{
    try {
        return std::unique_ptr<Checkpoints>(
            new Checkpoints(Connection::open(dbPath, sqlite::OpenMode::ReadWrite)));
    } catch (const std::exception& e) {
        return fail("store.open", "Could not open the database " + dbPath + ": " + e.what());
    }
}

Checkpoints::Checkpoints(std::unique_ptr<Connection> connection)
    : m_connection(std::move(connection))
{
}

Checkpoints::~Checkpoints() = default;

Expected<bool> Checkpoints::useKey(const note::SigningKey& key, std::int64_t nowMs)
{
    const std::string vkey = note::encodeVerifierKey(note::verifierKey(key));
    std::lock_guard lock(m_mutex);
    try {
        sqlite::Transaction txn(m_connection->db(), sqlite::TransactionMode::Immediate);
        {
            auto retire = m_connection->prepare(
                "UPDATE log_keys SET retired_ms = ?1 WHERE retired_ms IS NULL AND verifier_key <> ?2");
            retire->bindInt64(1, nowMs);
            retire->bindText(2, vkey);
            retire->run();
        }
        {
            auto add = m_connection->prepare(
                "INSERT INTO log_keys (verifier_key, created_ms) VALUES (?1, ?2)"
                " ON CONFLICT (verifier_key) DO NOTHING");
            add->bindText(1, vkey);
            add->bindInt64(2, nowMs);
            add->run();
        }
        txn.commit();
        return true;
    } catch (const sqlite::SqliteError& e) {
        return fail("store.write", std::string("Could not record the log key: ") + e.what());
    }
}

std::vector<LogKey> Checkpoints::keys()
{
    std::lock_guard lock(m_mutex);
    std::vector<LogKey> out;
    auto q = m_connection->prepare(
        "SELECT verifier_key, created_ms, retired_ms FROM log_keys ORDER BY created_ms");
    while (q->step()) {
        LogKey k;
        k.verifierKey = q->columnText(0);
        k.createdMs = q->columnInt64(1);
        if (!q->columnIsNull(2))
            k.retiredMs = q->columnInt64(2);
        out.push_back(std::move(k));
    }
    return out;
}

std::vector<note::VerifierKey> Checkpoints::verifierKeys()
{
    std::vector<note::VerifierKey> out;
    for (const auto& k : keys()) {
        if (auto v = note::decodeVerifierKey(k.verifierKey))
            out.push_back(*v);
        else
            storeLog().error("log_keys holds a key that does not decode: {}", k.verifierKey);
    }
    return out;
}

std::optional<CheckpointRecord> Checkpoints::one(const std::string& where, std::int64_t arg)
{
    auto q = m_connection->prepare(
        "SELECT id, size, root, time_ms, key_name, note FROM checkpoints " + where);
    if (where.find("?1") != std::string::npos)
        q->bindInt64(1, arg);
    if (!q->step())
        return std::nullopt;
    CheckpointRecord c;
    c.id = q->columnInt64(0);
    c.size = static_cast<std::uint64_t>(q->columnInt64(1));
    if (const auto root = merkle::hashFromBytes(q->columnBlob(2)))
        c.root = *root;
    c.timeMs = q->columnInt64(3);
    c.keyName = q->columnText(4);
    c.note = q->columnText(5);
    return c;
}

std::optional<CheckpointRecord> Checkpoints::latest()
{
    std::lock_guard lock(m_mutex);
    return one("ORDER BY id DESC LIMIT 1", 0);
}

std::optional<CheckpointRecord> Checkpoints::covering(std::uint64_t size)
{
    std::lock_guard lock(m_mutex);
    return one("WHERE size >= ?1 ORDER BY size, id LIMIT 1", static_cast<std::int64_t>(size));
}

Expected<CheckpointRecord> Checkpoints::issue(const note::SigningKey& key,
                                              const std::string& origin, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    try {
        sqlite::Transaction txn(m_connection->db(), sqlite::TransactionMode::Immediate);
        LogReader log(*m_connection);
        const std::uint64_t size = log.size();
        const merkle::Hash root = log.root(size);
        const auto newest = one("ORDER BY id DESC LIMIT 1", 0);
        if (newest) {
            if (newest->size > size || log.root(newest->size) != newest->root) {
                storeLog().critical(
                    "audit log: checkpoint #{} ({} events) no longer matches the stored log: "
                    "history was rewritten; no checkpoint is signed until this is resolved "
                    "(latch-server verify names the first bad event)",
                    newest->id, newest->size);
                return fail("proof.inconsistent",
                            "The stored history no longer matches checkpoint #"
                                + std::to_string(newest->id) + " (" + std::to_string(newest->size)
                                + " events); nothing was signed. Run latch-server verify.");
            }
            if (newest->size == size && note::open(newest->note, {note::verifierKey(key)}))
                return *newest; // nothing new to sign
        }
        auto body = note::checkpointBody(origin, size, root);
        if (!body)
            return fail("proof.sign", body.failure().message);
        auto signedNote = note::sign(*body, key);
        if (!signedNote)
            return fail("proof.sign", signedNote.failure().message);
        {
            auto insert = m_connection->prepare(
                "INSERT INTO checkpoints (size, root, time_ms, key_name, note)"
                " VALUES (?1, ?2, ?3, ?4, ?5)");
            insert->bindInt64(1, static_cast<std::int64_t>(size));
            insert->bindBlob(2, bytes(root));
            insert->bindInt64(3, nowMs);
            insert->bindText(4, key.name);
            insert->bindText(5, *signedNote);
            insert->run();
        }
        CheckpointRecord c;
        c.id = m_connection->db().lastInsertRowId();
        c.size = size;
        c.root = root;
        c.timeMs = nowMs;
        c.keyName = key.name;
        c.note = *signedNote;
        txn.commit();
        return c;
    } catch (const std::runtime_error& e) { // SqliteError, StoreCorrupt
        return fail("store.write", std::string("Could not issue a checkpoint: ") + e.what());
    }
}

} // namespace latch::store
