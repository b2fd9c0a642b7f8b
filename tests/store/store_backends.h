#ifndef IZDE_TESTS_STORE_STORE_BACKENDS_H_
#define IZDE_TESTS_STORE_STORE_BACKENDS_H_

// The backends every store suite runs against. A suite takes `Backend` as its parameter,
// makes a location with NewStoreLocation() (a file in a temporary directory, or a fresh
// database on the test program's throwaway PostgreSQL server) and opens it with OpenStore.

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace izde::store {

enum class Backend { kSqlite, kPostgres };

// Test names read "Postgres/StoreTest.X/postgres" rather than the enum's bytes.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

inline std::string NewStoreLocation(Backend backend, const ::izde::testing::TempDir& dir,
                                    const std::string& file) {
  if (backend == Backend::kSqlite) return dir.File(file);
  return ::izde::testing::FreshPostgresDatabase();
}

}  // namespace izde::store

// INSTANTIATE_STORE_BACKENDS(StoreTest) runs the suite as Sqlite/StoreTest.* and
// Postgres/StoreTest.*.
#define INSTANTIATE_STORE_BACKENDS(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Sqlite, suite, ::testing::Values(::izde::store::Backend::kSqlite)); \
  INSTANTIATE_TEST_SUITE_P(Postgres, suite, ::testing::Values(::izde::store::Backend::kPostgres))

#endif  // IZDE_TESTS_STORE_STORE_BACKENDS_H_
