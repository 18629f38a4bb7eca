#include "replica/transaction.h"

namespace latch::app::db {

Transaction::Transaction(Database& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    // Runs during unwinding: a failing ROLLBACK (the connection already rolled back on its own
    // after an I/O error) must not throw out of a destructor.
    try {
        m_db.exec("ROLLBACK");
    } catch (const Error&) {
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace latch::app::db
