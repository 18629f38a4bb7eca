#include "replica/caserows.h"

#include "latch/casefold.h"

#include <QString>

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

// One line of the search column: lower case, and on one line so the notes start at line four.
std::string searchLine(const std::string& value)
{
    return QString::fromStdString(value)
        .toLower()
        .replace(QLatin1Char('\n'), QLatin1Char(' '))
        .toStdString();
}

std::string searchText(const v1::Case& c, const std::string& notes)
{
    std::string search = searchLine(c.title()) + '\n' + searchLine(c.customer()) + '\n'
        + searchLine(c.order_ref());
    if (!notes.empty())
        search += '\n' + notes;
    return search;
}

} // namespace

CaseRows::CaseRows(db::Database& db, int schema)
    : m_db(db)
    , m_channel(schema >= 4)
    , m_delete(db, "DELETE FROM cases WHERE id = ?")
    , m_insert(db,
          std::string("INSERT INTO cases (id, status, type, updated_ms, last_seq, proto,"
                      " title, customer, order_ref, assignee, requester, preparer, queue, rule,"
                      " amount_minor, currency, created_ms, search, approvers, stages")
              + (m_channel ? ", channel" : "") + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
              + (m_channel ? ",?" : "") + ")")
    , m_deleteEvents(db, "DELETE FROM events WHERE case_id = ?")
    , m_insertEvent(db, "INSERT OR IGNORE INTO events (seq, case_id, proto) VALUES (?,?,?)")
{
}

void CaseRows::put(const v1::Case& c, const std::string& notes)
{
    // Delete then insert rather than INSERT OR REPLACE: inside a transaction a REPLACE makes
    // SQLite keep a statement journal, and SQLCipher encrypts every page written to it. On a
    // bootstrap that was ten cipher calls per page actually stored.
    m_delete.bind(1, std::string_view(c.id()));
    m_delete.exec();
    auto& s = m_insert;
    s.bind(1, std::string_view(c.id()));
    s.bind(2, std::int64_t(c.status()));
    s.bind(3, std::string_view(c.type()));
    s.bind(4, std::int64_t(c.updated_ms()));
    s.bind(5, std::int64_t(c.last_seq()));
    s.bindBlob(6, c.SerializeAsString());
    s.bind(7, std::string_view(c.title()));
    s.bind(8, std::string_view(c.customer()));
    s.bind(9, std::string_view(c.order_ref()));
    s.bind(10, std::string_view(c.assignee()));
    s.bind(11, std::string_view(c.requester()));
    s.bind(12, std::string_view(c.preparer()));
    s.bind(13, std::string_view(c.queue()));
    s.bind(14, std::string_view(c.rule()));
    s.bind(15, std::int64_t(c.has_amount() ? c.amount().minor() : 0));
    s.bind(16, std::string_view(c.has_amount() ? c.amount().currency() : std::string()));
    s.bind(17, std::int64_t(c.created_ms()));
    s.bind(18, std::string_view(searchText(c, notes)));
    s.bind(19, std::string_view(joinApprovers(c)));
    s.bind(20, std::string_view(joinStages(c)));
    if (m_channel)
        s.bind(21, std::string_view(c.channel()));
    s.exec();
}

void CaseRows::remove(const std::string& caseId)
{
    for (db::Statement* s : { &m_deleteEvents, &m_delete }) {
        s->bind(1, std::string_view(caseId));
        s->exec();
    }
}

void CaseRows::putEvent(const v1::Event& event)
{
    m_insertEvent.bind(1, std::int64_t(event.seq()));
    m_insertEvent.bind(2, std::string_view(event.case_id()));
    m_insertEvent.bindBlob(3, event.SerializeAsString());
    m_insertEvent.exec();
}

void CaseRows::addNote(std::string& notes, const v1::Event& event)
{
    if (event.payload_case() != v1::Event::kNoteAdded)
        return;
    // Lower-cased once here, with Unicode rules, so searching never folds case at read time.
    const std::string lower
        = QString::fromStdString(event.note_added().text()).toLower().toStdString();
    if (!notes.empty())
        notes += '\n';
    notes += lower;
}

std::string CaseRows::notesOf(std::string_view search)
{
    std::size_t at = 0;
    for (int line = 0; line < 3; ++line) {
        at = search.find('\n', at);
        if (at == std::string_view::npos)
            return {};
        ++at;
    }
    return std::string(search.substr(at));
}

const char* CaseRows::queueColumns()
{
    return "id, title, type, status, customer, order_ref, assignee, requester, preparer, queue, "
           "rule, amount_minor, currency, created_ms, updated_ms, search, approvers, stages, "
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
    row.searchText = text(s.columnView(15));
    row.approvers = sharedList(s.columnView(16));
    row.stages = sharedStages(s.columnView(17));
    row.channel = shared(s.columnView(18));
    return row;
}

} // namespace latch::app
