#include "store/open.h"

#include <string>

#include "store/sqlite/sqlite_store.h"

namespace izde::store {

Result<std::unique_ptr<registry::Store>> OpenStore(std::string_view location,
                                                   const OpenOptions& options) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return FailedPreconditionError(
        "the PostgreSQL backend is not built yet; use a SQLite file path");
  }
  if (location.starts_with("sqlite:")) location.remove_prefix(7);
  if (location.empty()) return InvalidArgumentError("empty database path", "db");
  IZDE_ASSIGN_OR_RETURN(auto sqlite, SqliteStore::Open(std::string(location), options.create));
  return std::unique_ptr<registry::Store>(std::move(sqlite));
}

}  // namespace izde::store
