#pragma once
// A write transaction on a db::Database (see database.h), in the shape of SQLiteCpp's Transaction.
#include "replica/database.h"

namespace latch::app::db {

// BEGIN IMMEDIATE (the write lock up front, so a transaction never fails half-way on BUSY);
// rolls back in the destructor unless commit() ran.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace latch::app::db
