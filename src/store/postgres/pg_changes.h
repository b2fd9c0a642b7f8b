#ifndef IZDE_STORE_POSTGRES_PG_CHANGES_H_
#define IZDE_STORE_POSTGRES_PG_CHANGES_H_

// The change sequence of a PostgreSQL registry (registry/store.h, "Following changes").

#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

#include "core/status.h"

namespace izde::store::internal {

// The channel a committing writer NOTIFYs and a ChangeWatch LISTENs on.
inline constexpr const char* kChangeChannel = "izde_changes";

// Records the transaction's audit entries as the next change, last thing before COMMIT:
// takes the change lock (held until the transaction ends), numbers the change, and queues a
// NOTIFY that PostgreSQL sends at commit. Does nothing when `audit_ids` is empty.
Status PgRecordChange(pqxx::transaction_base& txn, const std::vector<int64_t>& audit_ids);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_POSTGRES_PG_CHANGES_H_
