#ifndef IZDE_STORE_POSTGRES_PG_BULK_H_
#define IZDE_STORE_POSTGRES_PG_BULK_H_

// Bulk writes on PostgreSQL (imports, `izde demo`): inserts of persons, testimonies, events
// and audit entries are buffered and written with COPY, thousands of rows per round trip,
// instead of one savepoint and one INSERT per row.

#include <memory>
#include <pqxx/pqxx>

#include "registry/store.h"

namespace izde::store::internal {

// Wraps `inner`, a transaction whose statements run in `work`, so that InsertPerson,
// InsertTestimony, InsertEvent and AppendAudit are buffered and written by COPY, a few
// thousand rows at a time, in the same transaction (all or nothing, as before). The rows and
// audit entries are the ones the row-by-row statements write.
//
// - Ids are still returned at once: they are reserved from the tables' sequences in blocks
//   (64, doubling to 4096). Ids reserved and not used stay unused (a gap of at most one block
//   after a bulk write), as ids of a rolled back transaction do.
// - Every other call (a read, an update, a delete, Commit) first writes what is buffered, so
//   reads inside the transaction see its own writes, as the interface promises.
// - A buffered row that the database refuses (a taken id or external_id, a missing person)
//   fails the call that writes the buffer, or Commit(), not the insert that buffered it; the
//   transaction is then unusable (every later call returns that error) and rolls back when
//   destroyed. Callers that need an error per row check first (io::Import does).
// The wrapper belongs to the thread that began the transaction, like the transaction.
std::unique_ptr<registry::StoreTransaction> MakePgBulkTransaction(
    std::unique_ptr<registry::StoreTransaction> inner, pqxx::transaction_base& work);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_POSTGRES_PG_BULK_H_
