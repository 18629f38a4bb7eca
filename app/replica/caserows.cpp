#include "replica/caserows.h"

#include "latch/casefold.h"

#include <QLoggingCategory>
#include <QString>
#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcReplica)

namespace latch::app {

namespace {

// Lists inside one text column: approvers and a stage's roles are user ids and role names, which
// never hold control characters, so ASCII unit/record separators cannot collide with them.
constexpr char kUnit = '\x1f';
constexpr char kRecord = '\x1e';

std::string joinApprovers(const v1::Case& c)
{
    std::string out;
    for (const auto& a : c.approvals()) {
        if (!out.empty())
            out += kUnit;
        out += a.approver();
    }
    return out;
}

// "<approvals>\x1f<role>\x1f<role>" per stage, stages separated by \x1e.
std::string joinStages(const v1::Case& c)
{
    std::string out;
    for (const auto& stage : c.stages()) {
        if (!out.empty())
            out += kRecord;
        out += std::to_string(stage.approvals());
        for (const auto& role : stage.roles()) {
            out += kUnit;
            out += role;
        }
    }
    return out;
}

QString text(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
}

// The notes column, per note: its seq and its length in bytes as base-128 varints, then its text.
void appendVarint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

bool takeVarint(std::string_view& in, std::uint64_t& value)
{
    value = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        value |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

// Calls f(seq, text) for each note in a notes column, in stored order; stops where it is damaged.
template <typename F> void forEachNote(std::string_view notes, F&& f)
{
    std::uint64_t seq = 0;
    std::uint64_t size = 0;
    while (!notes.empty()) {
        if (!takeVarint(notes, seq) || !takeVarint(notes, size) || size > notes.size())
            return;
        f(seq, notes.substr(0, std::size_t(size)));
        notes.remove_prefix(std::size_t(size));
    }
}

// One line of the search text: title, customer and order each on one line, so every note starts
// a line of its own.
void appendLine(std::string& out, std::string_view value)
{
    const std::size_t from = out.size();
    out += value;
    std::replace(out.begin() + std::ptrdiff_t(from), out.end(), '\n', ' ');
}

// Lower case exactly as QString::toLower() makes it. That only maps A-Z in ASCII, which is most
// text, so ASCII is folded here byte by byte (UTF-8 never uses those bytes inside a longer
// character) and only text with other characters goes through Qt's Unicode tables: the queue
// folds every note of every case each time it loads.
QString folded(std::string& utf8)
{
    unsigned char seen = 0;
    for (char& ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        seen |= c;
        ch = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 'a' - 'A' : 0));
    }
    if (seen < 0x80)
        return QString::fromLatin1(utf8.data(), qsizetype(utf8.size()));
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).toLower();
}

} // namespace

CaseRows::CaseRows(db::Database& db)
    : m_db(db)
    , m_findNum(db, "SELECT num FROM cases WHERE id = ?")
    , m_delete(db, "DELETE FROM cases WHERE num = ?")
    , m_insert(db,
          "INSERT INTO cases (num, id, status, type, updated_ms, last_seq, proto,"
          " title, customer, order_ref, assignee, requester, preparer, queue, rule,"
          " amount_minor, currency, created_ms, notes, approvers, stages, channel)"
          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    , m_deleteEvents(db, "DELETE FROM events WHERE case_num = ?")
    , m_insertEvent(
          db, "INSERT OR IGNORE INTO events (case_num, seq, prev, proto) VALUES (?,?,?,?)")
    , m_newestEvent(
          db, "SELECT seq, proto FROM events WHERE case_num = ? ORDER BY seq DESC LIMIT 1")
{
}

CaseRows::Known& CaseRows::known(const std::string& caseId)
{
    auto it = m_known.find(caseId);
    if (it != m_known.end())
        return it->second;
    Known k;
    m_findNum.bind(1, std::string_view(caseId));
    if (m_findNum.step()) {
        k.num = m_findNum.columnInt64(0);
    } else {
        // Read when first needed, not when constructed: a snapshot empties the tables first.
        if (m_lastNum < 0)
            m_lastNum = std::stoll(m_db.execScalar("SELECT coalesce(max(num), 0) FROM cases"));
        k.num = ++m_lastNum;
        k.newest.emplace(); // a case without a row has no events stored
    }
    m_findNum.reset();
    return m_known.emplace(caseId, std::move(k)).first->second;
}

void CaseRows::put(const v1::Case& c, const std::string& notes)
{
    // Delete then insert rather than INSERT OR REPLACE: inside a transaction a REPLACE makes
    // SQLite keep a statement journal, and SQLCipher encrypts every page written to it. On a
    // bootstrap that was ten cipher calls per page actually stored.
    const std::int64_t num = known(c.id()).num;
    m_delete.bind(1, num);
    m_delete.exec();
    auto& s = m_insert;
    s.bind(1, num);
    s.bind(2, std::string_view(c.id()));
    s.bind(3, std::int64_t(c.status()));
    s.bind(4, std::string_view(c.type()));
    s.bind(5, std::int64_t(c.updated_ms()));
    s.bind(6, std::int64_t(c.last_seq()));
    s.bindBlob(7, c.SerializeAsString());
    s.bind(8, std::string_view(c.title()));
    s.bind(9, std::string_view(c.customer()));
    s.bind(10, std::string_view(c.order_ref()));
    s.bind(11, std::string_view(c.assignee()));
    s.bind(12, std::string_view(c.requester()));
    s.bind(13, std::string_view(c.preparer()));
    s.bind(14, std::string_view(c.queue()));
    s.bind(15, std::string_view(c.rule()));
    s.bind(16, std::int64_t(c.has_amount() ? c.amount().minor() : 0));
    s.bind(17, std::string_view(c.has_amount() ? c.amount().currency() : std::string()));
    s.bind(18, std::int64_t(c.created_ms()));
    s.bindBlob(19, notes);
    s.bind(20, std::string_view(joinApprovers(c)));
    s.bind(21, std::string_view(joinStages(c)));
    s.bind(22, std::string_view(c.channel()));
    s.exec();
}

void CaseRows::remove(const std::string& caseId)
{
    Known& k = known(caseId);
    for (db::Statement* s : { &m_deleteEvents, &m_delete }) {
        s->bind(1, k.num);
        s->exec();
    }
    k.newest.emplace();
}

CaseRows::Newest& CaseRows::newestEvent(Known& k)
{
    if (k.newest)
        return *k.newest;
    Newest newest;
    m_newestEvent.bind(1, k.num);
    if (m_newestEvent.step()) {
        v1::Event event; // the hash is stored as it came; only prev_hash may be left out
        if (event.ParseFromString(m_newestEvent.columnBlob(1)))
            newest.emplace(std::uint64_t(m_newestEvent.columnInt64(0)), event.hash());
    }
    m_newestEvent.reset();
    return k.newest.emplace(std::move(newest));
}

void CaseRows::putEvent(v1::Event event, std::string& notes)
{
    // What the file holds elsewhere is left out of the stored event; loadEvents() puts it back.
    // The note's text stays beside the case because the queue search reads it there.
    const std::string caseId = std::move(*event.mutable_case_id());
    event.clear_case_id();
    const std::uint64_t seq = event.seq();
    event.clear_seq();
    std::string text;
    const bool note = event.payload_case() == v1::Event::kNoteAdded;
    if (note) {
        text = std::move(*event.mutable_note_added()->mutable_text());
        event.mutable_note_added()->clear_text();
    }
    // The chain the server keeps: an event's prev_hash is the hash of the case's event before it.
    // Only when the event before it in seq order is stored already (events arrive oldest first)
    // is that link kept as its seq; any other prev_hash is stored as it came.
    Known& k = known(caseId);
    Newest& newest = newestEvent(k);
    const bool linked = newest && seq > newest->first && !event.prev_hash().empty()
        && event.prev_hash() == newest->second;
    m_insertEvent.bind(1, k.num);
    m_insertEvent.bind(2, std::int64_t(seq));
    if (linked) {
        m_insertEvent.bind(3, std::int64_t(newest->first));
        event.clear_prev_hash();
    } else {
        m_insertEvent.bindNull(3);
    }
    m_insertEvent.bindBlob(4, event.SerializeAsString());
    m_insertEvent.exec();
    if (m_db.changes() == 0)
        return; // stored already
    if (!newest || seq > newest->first)
        newest.emplace(seq, event.hash());
    if (note) {
        appendVarint(notes, seq);
        appendVarint(notes, text.size());
        notes += text;
    }
}

std::vector<v1::Event> CaseRows::loadEvents(db::Database& db, const std::string& caseId)
{
    std::int64_t num = 0;
    std::string notes;
    {
        db::Statement s(db, "SELECT num, notes FROM cases WHERE id = ?");
        s.bind(1, std::string_view(caseId));
        if (!s.step())
            return {};
        num = s.columnInt64(0);
        notes = s.columnBlob(1);
    }
    auto texts = notesIn(notes);
    std::sort(texts.begin(), texts.end());
    std::vector<v1::Event> events;
    db::Statement s(db, "SELECT seq, prev, proto FROM events WHERE case_num = ? ORDER BY seq");
    s.bind(1, num);
    while (s.step()) {
        v1::Event& event = events.emplace_back();
        if (!event.ParseFromString(s.columnBlob(2)))
            throw db::Error(db::Corrupt, db::Corrupt, "an event of " + caseId + " is unreadable");
        event.set_seq(std::uint64_t(s.columnInt64(0)));
        event.set_case_id(caseId);
        if (!s.isNull(1)) {
            // Linked to an event before it, usually the one just before.
            const auto prev = std::uint64_t(s.columnInt64(1));
            const auto end = events.end() - 1;
            const auto found = std::lower_bound(events.begin(), end, prev,
                [](const v1::Event& e, std::uint64_t value) { return e.seq() < value; });
            if (found != end && found->seq() == prev)
                event.set_prev_hash(found->hash());
            else
                qCWarning(lcReplica) << "event" << event.seq() << "of" << caseId.c_str()
                                     << "links to a missing event" << prev;
        }
        if (event.payload_case() != v1::Event::kNoteAdded)
            continue;
        const auto found = std::lower_bound(texts.begin(), texts.end(),
            std::pair<std::uint64_t, std::string_view>(event.seq(), {}));
        if (found != texts.end() && found->first == event.seq())
            event.mutable_note_added()->set_text(std::string(found->second));
        else
            qCWarning(lcReplica) << "the text of note" << event.seq() << "of" << caseId.c_str()
                                 << "is missing";
    }
    return events;
}

std::vector<std::pair<std::uint64_t, std::string_view>> CaseRows::notesIn(std::string_view notes)
{
    std::vector<std::pair<std::uint64_t, std::string_view>> out;
    forEachNote(
        notes, [&](std::uint64_t seq, std::string_view text) { out.emplace_back(seq, text); });
    return out;
}

const char* CaseRows::queueColumns()
{
    return "id, title, type, status, customer, order_ref, assignee, requester, preparer, queue, "
           "rule, amount_minor, currency, created_ms, updated_ms, notes, approvers, stages, "
           "channel";
}

const QString& CaseRows::Reader::shared(std::string_view bytes)
{
    auto it = m_strings.find(bytes);
    if (it == m_strings.end())
        it = m_strings.emplace(std::string(bytes), text(bytes)).first;
    return it->second;
}

const QString& CaseRows::Reader::status(std::int64_t value)
{
    auto it = m_statuses.find(value);
    if (it == m_statuses.end())
        it = m_statuses.emplace(value, QString::fromStdString(statusName(v1::CaseStatus(value))))
                 .first;
    return it->second;
}

const QStringList& CaseRows::Reader::sharedList(std::string_view bytes)
{
    auto it = m_lists.find(bytes);
    if (it == m_lists.end()) {
        QStringList list;
        if (!bytes.empty())
            list = text(bytes).split(QChar(kUnit));
        it = m_lists.emplace(std::string(bytes), std::move(list)).first;
    }
    return it->second;
}

const std::vector<std::pair<int, QStringList>>& CaseRows::Reader::sharedStages(
    std::string_view bytes)
{
    auto it = m_stages.find(bytes);
    if (it == m_stages.end()) {
        std::vector<std::pair<int, QStringList>> stages;
        if (!bytes.empty()) {
            for (const auto& stage : text(bytes).split(QChar(kRecord))) {
                QStringList parts = stage.split(QChar(kUnit));
                const int approvals = parts.takeFirst().toInt();
                stages.emplace_back(approvals, parts);
            }
        }
        it = m_stages.emplace(std::string(bytes), std::move(stages)).first;
    }
    return it->second;
}

// Lower case: title, customer and order on a line each, then every note's text.
QString CaseRows::Reader::searchText(const db::Statement& s)
{
    m_search.clear();
    appendLine(m_search, s.columnView(1));
    m_search += '\n';
    appendLine(m_search, s.columnView(4));
    m_search += '\n';
    appendLine(m_search, s.columnView(5));
    forEachNote(s.columnBlobView(15), [this](std::uint64_t, std::string_view text) {
        m_search += '\n';
        m_search += text;
    });
    return folded(m_search);
}

QueueRow CaseRows::Reader::read(const db::Statement& s)
{
    QueueRow row;
    row.id = text(s.columnView(0));
    row.title = text(s.columnView(1));
    row.type = shared(s.columnView(2));
    row.status = status(s.columnInt64(3));
    row.customer = text(s.columnView(4));
    row.orderRef = text(s.columnView(5));
    row.assignee = shared(s.columnView(6));
    row.requester = shared(s.columnView(7));
    row.preparer = shared(s.columnView(8));
    row.queue = shared(s.columnView(9));
    row.rule = shared(s.columnView(10));
    row.amountMinor = s.columnInt64(11);
    row.currency = shared(s.columnView(12));
    row.createdMs = s.columnInt64(13);
    row.updatedMs = s.columnInt64(14);
    row.searchText = searchText(s);
    row.approvers = sharedList(s.columnView(16));
    row.stages = sharedStages(s.columnView(17));
    row.channel = shared(s.columnView(18));
    return row;
}

} // namespace latch::app
