#pragma once
// The read queries both the writer (its lookups) and every ReadView run, on whichever connection
// they are given. Throws sqlite::SqliteError when SQLite fails, and StoreCorrupt (a
// std::runtime_error) when a stored protobuf no longer parses.
#include "core/store.h"
#include "latch.pb.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace latch::store {

class Connection;

class StoreCorrupt : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CaseQueries {
public:
    explicit CaseQueries(Connection& connection)
        : m_connection(connection)
    {
    }

    std::uint64_t headSeq();
    std::optional<v1::Case> loadCase(const std::string& id);
    std::optional<core::CommandRecord> findCommand(const std::string& commandId);
    std::vector<v1::Event> caseEvents(const std::string& id);
    std::vector<v1::Case> casesPage(const std::string& afterId, std::uint32_t limit);
    std::vector<v1::Case> listCases(const core::CaseFilter& filter);
    std::vector<std::string> casesTouchedAfter(std::uint64_t seq);
    std::vector<v1::Event> eventsAfter(std::uint64_t seq, std::uint32_t limit);
    std::uint64_t caseCount();
    core::AuditResult auditEvents(const core::AuditFilter& filter);

private:
    Connection& m_connection;
};

// Parses a stored protobuf, throwing StoreCorrupt naming `what` when it does not parse.
template <typename Message> Message parseStored(const std::string& bytes, const char* what)
{
    Message message;
    if (!message.ParseFromString(bytes)) {
        throw StoreCorrupt(std::string("store: a stored ") + what + " does not parse");
    }
    return message;
}

} // namespace latch::store
