#pragma once
// A transaction that rolls back in its destructor unless commit() was called (SQLiteCpp's
// Transaction). Immediate takes the write lock at BEGIN, so a writer waits (busy timeout) there
// instead of failing half-way when another connection writes; Deferred is for readers.
namespace latch::store::sqlite {

class Database;

enum class TransactionMode { Deferred, Immediate };

class Transaction {
public:
    explicit Transaction(Database& db, TransactionMode mode = TransactionMode::Deferred);
    ~Transaction(); // never throws
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit(); // throws SqliteError; the destructor then rolls back what is left
    void rollback() noexcept;

private:
    Database& m_db;
    bool m_open = true;
};

} // namespace latch::store::sqlite
