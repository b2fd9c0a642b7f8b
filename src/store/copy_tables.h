#ifndef IZDE_STORE_COPY_TABLES_H_
#define IZDE_STORE_COPY_TABLES_H_

// Table-level access to a registry database for `izde copy` and the verifier (store/copy.h):
// rows read and written as canonical text, one interface over both backends
// (sqlite/sqlite_copy.cc, postgres/pg_copy.cc). Private to store/.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace izde::store::internal {

// How a column's value is written as text, the same on both backends:
//   kInt  decimal ("-12");  kReal  shortest text that reads back to the same double ("0.5");
//   kBool "0" or "1" (SQLite INTEGER, PostgreSQL BOOLEAN);  kText  the bytes as stored.
enum class ColumnType { kInt, kText, kReal, kBool };

struct ColumnSpec {
  const char* name;
  ColumnType type;
};

// A table as both schemas declare it. The first `key_columns` columns are its primary key,
// all integers; rows are read in key order. `serial` when column 0 is an id handed out by a
// sequence (SQLite AUTOINCREMENT, PostgreSQL BIGSERIAL).
struct TableSpec {
  const char* name;
  std::vector<ColumnSpec> columns;
  size_t key_columns = 1;
  bool serial = true;
};

using Cell = std::optional<std::string>;  // nullopt is NULL
using Row = std::vector<Cell>;
using Key = std::vector<int64_t>;

class TableDatabase {
 public:
  virtual ~TableDatabase() = default;

  // The schema version (PRAGMA user_version; izde_schema).
  virtual Result<int> SchemaVersion() = 0;
  // The names of the database's own tables (not SQLite's, not izde_schema).
  virtual Result<std::vector<std::string>> Tables() = 0;
  virtual Result<int64_t> Count(const TableSpec& table) = 0;
  // Up to `limit` rows whose key is greater than `after` (every row when `after` is empty),
  // in key order.
  virtual Result<std::vector<Row>> Read(const TableSpec& table, const Key& after,
                                        int64_t limit) = 0;
  // The rows whose key lies between `first` and `last`, both included, in key order.
  virtual Result<std::vector<Row>> ReadRange(const TableSpec& table, const Key& first,
                                             const Key& last) = 0;
  // Inserts `rows` (explicit keys) in one transaction: all or none.
  virtual Status Insert(const TableSpec& table, const std::vector<Row>& rows) = 0;
  // The highest id the table's sequence has handed out (0 when none).
  virtual Result<int64_t> Sequence(const TableSpec& table) = 0;
  // Moves the sequence so that the next id is above `at_least` and above every id in the
  // table; never moves it back.
  virtual Status RaiseSequence(const TableSpec& table, int64_t at_least) = 0;
};

// A SQLite database file that exists.
Result<std::unique_ptr<TableDatabase>> OpenSqliteTables(const std::string& path);
// A PostgreSQL database (libpq URI) that exists.
Result<std::unique_ptr<TableDatabase>> OpenPgTables(const std::string& url);

// The key of a row read from `table` (its first key_columns cells as integers).
Result<Key> RowKey(const TableSpec& table, const Row& row);

// The quoted column names of `table` ("\"id\", \"text\""), and those of its key alone, for
// SQL both backends share.
std::string ColumnList(const TableSpec& table);
std::string KeyList(const TableSpec& table);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_COPY_TABLES_H_
