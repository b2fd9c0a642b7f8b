#ifndef IZDE_STORE_SQLITE_SQLITE_EVIDENCE_H_
#define IZDE_STORE_SQLITE_SQLITE_EVIDENCE_H_

// The evidence table (registry/evidence.h) on one SQLite connection whose access the caller
// serialises; SqliteStore and its transaction forward to these.

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "registry/evidence.h"
#include "store/sqlite/connection.h"

namespace izde::store::internal {

Result<registry::Evidence> GetEvidence(SqliteConnection& connection, int64_t id);
Result<std::vector<registry::Evidence>> EvidenceOfPerson(SqliteConnection& connection,
                                                         int64_t person_id);
Result<int64_t> CountEvidence(SqliteConnection& connection);
Result<int64_t> InsertEvidence(SqliteConnection& connection, const registry::Evidence& evidence);
Status DeleteEvidence(SqliteConnection& connection, int64_t id);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_SQLITE_SQLITE_EVIDENCE_H_
