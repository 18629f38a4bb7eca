#pragma once
// A ReadView on one pooled read-only connection. The constructor begins a deferred transaction and
// reads at once, so the snapshot is fixed when read() returns: commits made after that are not
// seen, however long the view lives. WAL lets the writer go on committing meanwhile. The
// destructor ends the transaction and returns the connection to the pool.
//
// Threading: one thread at a time; must be destroyed before the SqliteStore that made it.
// Methods throw sqlite::SqliteError (I/O failure) or StoreCorrupt (unparsable row).
#include "core/store.h"
#include "store/casequeries.h"
#include "store/readerpool.h"
#include "store/sqlite/transaction.h"

#include <memory>

namespace latch::store {

class SqliteReadView final : public core::ReadView {
public:
    explicit SqliteReadView(std::unique_ptr<ReaderPool::Lease> lease);
    ~SqliteReadView() override;

    std::uint64_t headSeq() override;
    std::optional<v1::Case> loadCase(const std::string& id) override;
    std::vector<v1::Event> caseEvents(const std::string& id) override;
    std::vector<v1::Case> casesPage(const std::string& afterId, std::uint32_t limit) override;
    std::vector<v1::Case> listCases(const core::CaseFilter& filter) override;
    std::vector<std::string> casesTouchedAfter(std::uint64_t seq) override;
    std::vector<v1::Event> eventsAfter(std::uint64_t seq, std::uint32_t limit) override;
    std::uint64_t caseCount() override;
    core::AuditResult auditEvents(const core::AuditFilter& filter) override;

private:
    // Member order matters: the transaction ends before the lease returns the connection.
    std::unique_ptr<ReaderPool::Lease> m_lease;
    sqlite::Transaction m_transaction;
    CaseQueries m_queries;
    std::uint64_t m_headSeq = 0;
};

} // namespace latch::store
