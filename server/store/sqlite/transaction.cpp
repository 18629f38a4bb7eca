#include "store/sqlite/transaction.h"

#include "store/sqlite/database.h"
#include "store/sqlite/sqliteerror.h"

namespace latch::store::sqlite {

Transaction::Transaction(Database& db, TransactionMode mode)
    : m_db(db)
{
    m_db.exec(mode == TransactionMode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction()
{
    rollback();
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

void Transaction::rollback() noexcept
{
    if (!m_open) {
        return;
    }
    m_open = false;
    // Some errors (an I/O error during COMMIT, a full disk) already rolled SQLite back; a second
    // ROLLBACK would only fail with "no transaction is active".
    if (!m_db.inTransaction()) {
        return;
    }
    try {
        m_db.exec("ROLLBACK");
    } catch (const SqliteError&) {
        // Nothing more can be done here; the connection's next BEGIN reports the problem.
    }
}

} // namespace latch::store::sqlite
