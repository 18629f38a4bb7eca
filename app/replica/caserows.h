#pragma once
// The cases table: each row holds the case as the server folded it (a v1::Case blob) and, beside
// it, the columns one queue line needs, already extracted: the queue screen reads 100,000 of them
// with one SELECT and no protobuf parsing, and never re-reads events for the note text it
// searches.
//
// Threading: as db::Database; a CaseRows lives for one transaction.
#include "latch.pb.h"
#include "replica/migrations.h"
#include "replica/replica.h"
#include "replica/statement.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace latch::app {

class CaseRows {
public:
    // `schema`: the version whose columns put() writes. Migration steps that fill rows pass
    // their own version, so an old step never writes a column a later step adds.
    explicit CaseRows(db::Database& db, int schema = migrations::kLatestSchema);

    // Inserts or replaces the row for `c`. `notes` is the lower-cased text of the case's notes,
    // one per line (see addNote); with the case's own lower-cased text it makes the row's search
    // column.
    void put(const v1::Case& c, const std::string& notes);
    // Drops the case and its events.
    void remove(const std::string& caseId);
    // Stores one event. An event's seq is its identity and events never change, so one already
    // stored (a resend) is left as it is.
    void putEvent(const v1::Event& event);

    // Appends the event's note text (lower case) to `notes` when it is a note.
    static void addNote(std::string& notes, const v1::Event& event);
    // The notes part of a stored search column, to append to when more notes arrive.
    static std::string notesOf(std::string_view search);

    // The columns Reader expects, for "SELECT <queueColumns> FROM cases ...".
    static const char* queueColumns();

    // Turns rows into QueueRows. Keeps the values many rows share (type, status, queue, rule,
    // people, stages) as one implicitly shared QString each, so 100,000 rows cost a few
    // allocations per row rather than twenty.
    class Reader {
    public:
        QueueRow read(const db::Statement& statement);

    private:
        const QString& shared(std::string_view bytes);
        const QString& status(std::int64_t value);
        const QStringList& sharedList(std::string_view bytes);
        const std::vector<std::pair<int, QStringList>>& sharedStages(std::string_view bytes);

        std::map<std::string, QString, std::less<>> m_strings;
        std::map<std::int64_t, QString> m_statuses;
        std::map<std::string, QStringList, std::less<>> m_lists;
        std::map<std::string, std::vector<std::pair<int, QStringList>>, std::less<>> m_stages;
    };

private:
    db::Database& m_db;
    bool m_channel; // the channel column (schema 4 on)
    db::Statement m_delete;
    db::Statement m_insert;
    db::Statement m_deleteEvents;
    db::Statement m_insertEvent;
};

} // namespace latch::app
