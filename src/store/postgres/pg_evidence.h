#ifndef IZDE_STORE_POSTGRES_PG_EVIDENCE_H_
#define IZDE_STORE_POSTGRES_PG_EVIDENCE_H_

#include <pqxx/pqxx>
#include <vector>

#include "core/result.h"
#include "registry/evidence.h"

namespace izde::store::internal {

// The evidence table (schema version 5) on PostgreSQL, in the caller's transaction; the
// contracts are StoreReader's and StoreTransaction's.
Result<registry::Evidence> PgGetEvidence(pqxx::transaction_base& txn, int64_t id);
Result<std::vector<registry::Evidence>> PgEvidenceOfPerson(pqxx::transaction_base& txn,
                                                           int64_t person_id);
Result<int64_t> PgCountEvidence(pqxx::transaction_base& txn);
Result<int64_t> PgInsertEvidence(pqxx::transaction_base& txn, const registry::Evidence& evidence);
Status PgDeleteEvidence(pqxx::transaction_base& txn, int64_t id);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_POSTGRES_PG_EVIDENCE_H_
