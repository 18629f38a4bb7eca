#pragma once
// The cases and events tables. Each case row holds the case as the server folded it (a v1::Case
// blob) and, beside it, the columns one queue line needs, already extracted: the queue screen
// reads 100,000 of them with one SELECT and no protobuf parsing, and never re-reads events for the
// note text it searches.
//
// Nothing is stored twice. A case's notes (their text, with their events' seq) live in its row's
// notes column, where the queue search reads them. Its events are keyed by the case's number in
// this file (`num`, a few bytes instead of a 36-character id in every event) and their seq, and
// stored without what is kept elsewhere: their case id and seq, a note's text, and their
// prev_hash when it is the hash of the case's event before them (stored as that event's seq);
// loadEvents() puts all of it back. Keeping note text in both places made it a fifth of the file,
// and the cipher encrypts every byte written and decrypts every byte read back.
//
// Threading: as db::Database; a CaseRows lives for one transaction.
#include "latch.pb.h"
#include "replica/replica.h"
#include "replica/statement.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latch::app {

class CaseRows {
public:
    explicit CaseRows(db::Database& db);

    // Inserts or replaces the row for `c`. `notes` is its notes column as putEvent() builds it.
    void put(const v1::Case& c, const std::string& notes);
    // Drops the case and its events.
    void remove(const std::string& caseId);
    // Stores one event as described above; a note's text is appended to `notes` (the case's
    // notes column, for put()). An event's seq is its identity and events never change, so one
    // already stored (a resend) is left as it is and adds no note. Takes the event by value:
    // callers that own it move it in.
    void putEvent(v1::Event event, std::string& notes);

    // A case's events as the server sent them, oldest first.
    static std::vector<v1::Event> loadEvents(db::Database& db, const std::string& caseId);

    // The notes column: per note, its event's seq and its text as written (not case-folded).
    // Views into `notes`; a damaged column yields the notes before the damage.
    static std::vector<std::pair<std::uint64_t, std::string_view>> notesIn(std::string_view notes);

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
        QString searchText(const db::Statement& s);

        std::string m_search; // reused for every row's search text before it is folded

        std::map<std::string, QString, std::less<>> m_strings;
        std::map<std::int64_t, QString> m_statuses;
        std::map<std::string, QStringList, std::less<>> m_lists;
        std::map<std::string, std::vector<std::pair<int, QStringList>>, std::less<>> m_stages;
    };

private:
    using Newest = std::optional<std::pair<std::uint64_t, std::string>>; // seq, hash
    // What this transaction knows of a case it touched.
    struct Known {
        std::int64_t num = 0; // kept for a case removed and stored again
        // Its newest stored event, which a following event's prev_hash is checked against
        // (outer nullopt: not looked up yet; inner: none stored).
        std::optional<Newest> newest;
    };
    Known& known(const std::string& caseId);
    Newest& newestEvent(Known& known);

    db::Database& m_db;
    db::Statement m_findNum;
    db::Statement m_delete;
    db::Statement m_insert;
    db::Statement m_deleteEvents;
    db::Statement m_insertEvent;
    db::Statement m_newestEvent;
    std::map<std::string, Known, std::less<>> m_known;
    std::int64_t m_lastNum = -1; // the highest num given out (-1: not read yet)
};

} // namespace latch::app
