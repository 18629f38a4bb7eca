#pragma once
// Builders and a raw sqlite3 connection shared by the store suites.
#include "core/store.h"
#include "latch.pb.h"
#include "latch/hashing.h"
#include "store/sqlitestore.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <vector>

namespace storetest {

namespace v1 = latch::v1;
using latch::core::CommitBatch;
using latch::core::UserRecord;

// A plain sqlite3 connection to the same file, as any other program (or an attacker with file
// access and the sqlite3 shell) would have.
class RawDb {
public:
    explicit RawDb(const QString& path)
    {
        sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~RawDb() { sqlite3_close(m_db); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    int exec(const std::string& sql)
    {
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr);
        m_message = sqlite3_errmsg(m_db);
        return rc;
    }
    QString message() const { return QString::fromStdString(m_message); }

    // First column of every row, as text.
    QStringList column(const std::string& sql)
    {
        QStringList out;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                const auto* text = sqlite3_column_text(stmt, 0);
                out << QString::fromUtf8(reinterpret_cast<const char*>(text));
            }
        }
        sqlite3_finalize(stmt);
        return out;
    }

private:
    sqlite3* m_db = nullptr;
    std::string m_message;
};

inline v1::Event noteEvent(std::uint64_t seq, const std::string& caseId, std::uint64_t version)
{
    v1::Event e;
    e.set_seq(seq);
    e.set_case_id(caseId);
    e.set_case_version(version);
    e.set_time_ms(1'718'000'000'000 + static_cast<std::int64_t>(seq));
    e.set_actor("alice");
    e.set_command_id("cmd-" + std::to_string(seq));
    e.set_prev_hash(latch::zeroHash());
    e.mutable_note_added()->set_text("note " + std::to_string(seq));
    e.set_hash(latch::computeEventHash(e));
    return e;
}

inline v1::Case caseRow(const std::string& id, v1::CaseStatus status, const std::string& type,
    const std::string& assignee, std::uint64_t lastSeq)
{
    v1::Case c;
    c.set_id(id);
    c.set_version(1);
    c.set_status(status);
    c.set_type(type);
    c.set_title("Case " + id);
    c.set_assignee(assignee);
    c.set_queue("ops");
    c.set_updated_ms(1'718'000'000'000 + static_cast<std::int64_t>(lastSeq));
    c.set_last_seq(lastSeq);
    return c;
}

// One event for each of `cases`, with consecutive seqs from `firstSeq`, plus their rows.
inline CommitBatch batchOf(
    const std::vector<std::string>& cases, std::uint64_t firstSeq, std::uint64_t version = 1)
{
    CommitBatch batch;
    std::uint64_t seq = firstSeq;
    for (const std::string& id : cases) {
        batch.events.push_back(noteEvent(seq, id, version));
        batch.cases.push_back(caseRow(id, v1::CASE_STATUS_IN_REVIEW, "refund", "", seq));
        ++seq;
    }
    return batch;
}

inline UserRecord userRecord(const std::string& name, const std::vector<std::string>& roles)
{
    UserRecord r;
    r.user.set_id(name);
    r.user.set_username(name);
    r.user.set_display_name("User " + name);
    for (const auto& role : roles) {
        r.user.add_roles(role);
    }
    r.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$" + name;
    return r;
}

inline QStringList ids(const std::vector<v1::Case>& cases)
{
    QStringList out;
    for (const auto& c : cases) {
        out << QString::fromStdString(c.id());
    }
    return out;
}

inline QStringList toList(const std::vector<std::string>& values)
{
    QStringList out;
    for (const auto& v : values) {
        out << QString::fromStdString(v);
    }
    return out;
}

// Opens the store at `path`; nullptr (with the failure logged) when it cannot.
inline std::unique_ptr<latch::store::SqliteStore> openStore(const QString& path)
{
    auto opened = latch::store::SqliteStore::open(path.toStdString());
    if (!opened) {
        qWarning(
            "open failed: %s %s", opened.failure().code.c_str(), opened.failure().message.c_str());
        return nullptr;
    }
    return std::move(*opened);
}

} // namespace storetest
