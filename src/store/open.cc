#include "store/open.h"

#include <string>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace izde::store {

Result<std::unique_ptr<registry::Store>> OpenStore(std::string_view location,
                                                   const OpenOptions& options) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    IZDE_ASSIGN_OR_RETURN(auto postgres,
                          PostgresStore::Open(std::string(location), options.create));
    return std::unique_ptr<registry::Store>(std::move(postgres));
  }
  if (location.starts_with("sqlite:")) location.remove_prefix(7);
  if (location.empty()) return InvalidArgumentError("empty database path", "db");
  IZDE_ASSIGN_OR_RETURN(auto sqlite, SqliteStore::Open(std::string(location), options.create));
  return std::unique_ptr<registry::Store>(std::move(sqlite));
}

}  // namespace izde::store
