#ifndef IZDE_STORE_OPEN_H_
#define IZDE_STORE_OPEN_H_

#include <memory>
#include <string_view>

#include "core/result.h"
#include "registry/store.h"

namespace izde::store {

struct OpenOptions {
  // Create the database (and apply migrations) when it does not exist. When false, a
  // missing database is kNotFound, so that a typo in --db does not create an empty registry.
  bool create = false;
};

// Opens a registry database: a file path or "sqlite:PATH" for the embedded SQLite backend,
// "postgresql://user@host:port/dbname" (or "postgres://...", any libpq URI) for the
// PostgreSQL backend, whose database must exist (`create` then applies the schema). Migrates the
// schema to the current version. kFailedPrecondition when the database was written by a newer izde.
Result<std::unique_ptr<registry::Store>> OpenStore(std::string_view location,
                                                   const OpenOptions& options);

}  // namespace izde::store

#endif  // IZDE_STORE_OPEN_H_
