#include "store/sqlitereadview.h"

#include <utility>

namespace latch::store {

SqliteReadView::SqliteReadView(std::unique_ptr<ReaderPool::Lease> lease)
    : m_lease(std::move(lease))
    , m_transaction(m_lease->connection().db(), sqlite::TransactionMode::Deferred)
    , m_queries(m_lease->connection())
{
    // BEGIN alone takes no snapshot; the first read does. Reading the head here pins it now.
    m_headSeq = m_queries.headSeq();
}

SqliteReadView::~SqliteReadView() = default;

std::uint64_t SqliteReadView::headSeq()
{
    return m_headSeq;
}

std::optional<v1::Case> SqliteReadView::loadCase(const std::string& id)
{
    return m_queries.loadCase(id);
}

std::vector<v1::Event> SqliteReadView::caseEvents(const std::string& id)
{
    return m_queries.caseEvents(id);
}

std::vector<v1::Case> SqliteReadView::casesPage(const std::string& afterId, std::uint32_t limit)
{
    return m_queries.casesPage(afterId, limit);
}

std::vector<v1::Case> SqliteReadView::listCases(const core::CaseFilter& filter)
{
    return m_queries.listCases(filter);
}

std::vector<std::string> SqliteReadView::casesTouchedAfter(std::uint64_t seq)
{
    return m_queries.casesTouchedAfter(seq);
}

std::vector<v1::Event> SqliteReadView::eventsAfter(std::uint64_t seq, std::uint32_t limit)
{
    return m_queries.eventsAfter(seq, limit);
}

std::uint64_t SqliteReadView::caseCount()
{
    return m_queries.caseCount();
}

core::AuditResult SqliteReadView::auditEvents(const core::AuditFilter& filter)
{
    return m_queries.auditEvents(filter);
}

} // namespace latch::store
