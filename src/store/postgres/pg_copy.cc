// TableDatabase over a PostgreSQL database (store/copy_tables.h): the copier's reads and
// writes, in SQL of their own so that postgres_store.cc stays the store's.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "store/copy_tables.h"
#include "store/postgres/pg_connection.h"

namespace izde::store::internal {
namespace {

// Parameters per INSERT statement: PostgreSQL allows 65535; fewer keep statements small.
constexpr size_t kParamsPerStatement = 20000;

std::string SelectList(const TableSpec& table) {
  std::string list;
  for (const ColumnSpec& column : table.columns) {
    if (!list.empty()) list += ", ";
    // Booleans read as 0/1, the canonical form (SQLite stores them so).
    list += column.type == ColumnType::kBool ? fmt::format("\"{}\"::int", column.name)
                                             : fmt::format("\"{}\"", column.name);
  }
  return list;
}

// "$first, $first+1, ..." for `count` parameters.
std::string Placeholders(size_t first, size_t count) {
  std::string list;
  for (size_t idx = 0; idx < count; ++idx) {
    if (idx > 0) list += ", ";
    list += fmt::format("${}", first + idx);
  }
  return list;
}

std::vector<Row> ToRows(const pqxx::result& result, const TableSpec& table) {
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(result.size()));
  for (const pqxx::row& source : result) {
    Row row;
    row.reserve(table.columns.size());
    for (size_t idx = 0; idx < table.columns.size(); ++idx) {
      const pqxx::field field = source[static_cast<pqxx::row::size_type>(idx)];
      if (field.is_null()) {
        row.emplace_back(std::nullopt);
      } else if (table.columns[idx].type == ColumnType::kReal) {
        // PostgreSQL (12+) prints the shortest exact text; read it back and print it as
        // SQLite's side does, so that both give the same bytes.
        row.emplace_back(fmt::format("{}", std::strtod(field.c_str(), nullptr)));
      } else {
        row.emplace_back(std::string(field.c_str(), field.size()));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class PgTables final : public TableDatabase {
 public:
  explicit PgTables(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  Result<int> SchemaVersion() override {
    return ReadOnly(*pool_, [](pqxx::transaction_base& txn) { return PgSchemaVersion(txn); });
  }

  Result<std::vector<std::string>> Tables() override {
    return ReadOnly(*pool_, [](pqxx::transaction_base& txn) -> Result<std::vector<std::string>> {
      IZDE_ASSIGN_OR_RETURN(pqxx::result result,
                            Exec(txn,
                                 "SELECT tablename FROM pg_tables WHERE schemaname = "
                                 "current_schema() AND tablename <> 'izde_schema' ORDER BY 1"));
      std::vector<std::string> names;
      for (const pqxx::row& row : result) names.push_back(Text(row, 0));
      return names;
    });
  }

  Result<int64_t> Count(const TableSpec& table) override {
    return ReadOnly(*pool_, [&](pqxx::transaction_base& txn) -> Result<int64_t> {
      IZDE_ASSIGN_OR_RETURN(pqxx::result result,
                            Exec(txn, fmt::format("SELECT count(*) FROM \"{}\"", table.name)));
      return Int(result[0], 0);
    });
  }

  Result<std::vector<Row>> Read(const TableSpec& table, const Key& after, int64_t limit) override {
    Params params;
    for (int64_t part : after) params.Int(part);
    params.Int(limit);
    const std::string where = after.empty() ? ""
                                            : fmt::format("WHERE ({}) > ({}) ", KeyList(table),
                                                          Placeholders(1, table.key_columns));
    const std::string sql =
        fmt::format("SELECT {} FROM \"{}\" {}ORDER BY {} LIMIT ${}", SelectList(table), table.name,
                    where, KeyList(table), after.size() + 1);
    return ReadOnly(*pool_, [&](pqxx::transaction_base& txn) -> Result<std::vector<Row>> {
      IZDE_ASSIGN_OR_RETURN(pqxx::result result, Exec(txn, sql, params));
      return ToRows(result, table);
    });
  }

  Result<std::vector<Row>> ReadRange(const TableSpec& table, const Key& first,
                                     const Key& last) override {
    Params params;
    for (int64_t part : first) params.Int(part);
    for (int64_t part : last) params.Int(part);
    const std::string sql = fmt::format(
        "SELECT {0} FROM \"{1}\" WHERE ({2}) >= ({3}) AND ({2}) <= ({4}) ORDER BY {2}",
        SelectList(table), table.name, KeyList(table), Placeholders(1, table.key_columns),
        Placeholders(1 + table.key_columns, table.key_columns));
    return ReadOnly(*pool_, [&](pqxx::transaction_base& txn) -> Result<std::vector<Row>> {
      IZDE_ASSIGN_OR_RETURN(pqxx::result result, Exec(txn, sql, params));
      return ToRows(result, table);
    });
  }

  Status Insert(const TableSpec& table, const std::vector<Row>& rows) override {
    const size_t width = table.columns.size();
    const size_t per_statement = std::max<size_t>(1, kParamsPerStatement / width);
    IZDE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
    try {
      pqxx::work txn(connection.get());
      for (size_t start = 0; start < rows.size(); start += per_statement) {
        const size_t end = std::min(rows.size(), start + per_statement);
        std::string sql =
            fmt::format("INSERT INTO \"{}\" ({}) VALUES ", table.name, ColumnList(table));
        Params params;
        for (size_t row_idx = start; row_idx < end; ++row_idx) {
          const Row& row = rows[row_idx];
          if (row.size() != width) {
            return InternalError(fmt::format("a row of {} has {} values", table.name, row.size()));
          }
          sql += fmt::format("{}({})", row_idx == start ? "" : ", ",
                             Placeholders(1 + (row_idx - start) * width, width));
          for (const Cell& cell : row) {
            if (cell) {
              params.Text(*cell);
            } else {
              params.Null();
            }
          }
        }
        IZDE_RETURN_IF_ERROR(Exec(txn, sql, params).status());
      }
      txn.commit();
      return OkStatus();
    } catch (const std::exception& error) {
      return PgError(error, fmt::format("copying into {}", table.name));
    }
  }

  Result<int64_t> Sequence(const TableSpec& table) override {
    return ReadOnly(*pool_, [&](pqxx::transaction_base& txn) -> Result<int64_t> {
      IZDE_ASSIGN_OR_RETURN(std::string name, SequenceName(txn, table));
      if (name.empty()) return 0;
      IZDE_ASSIGN_OR_RETURN(pqxx::result result,
                            Exec(txn, fmt::format("SELECT last_value, is_called FROM {}", name)));
      // Before the first nextval, last_value is the start (1) and is_called false.
      return Bool(result[0], 1) ? Int(result[0], 0) : Int(result[0], 0) - 1;
    });
  }

  Status RaiseSequence(const TableSpec& table, int64_t at_least) override {
    IZDE_ASSIGN_OR_RETURN(int64_t current, Sequence(table));
    IZDE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
    try {
      pqxx::work txn(connection.get());
      IZDE_ASSIGN_OR_RETURN(std::string name, SequenceName(txn, table));
      if (name.empty()) return OkStatus();
      IZDE_ASSIGN_OR_RETURN(
          pqxx::result highest,
          Exec(txn, fmt::format("SELECT COALESCE(max(id), 0) FROM \"{}\"", table.name)));
      const int64_t target = std::max({at_least, Int(highest[0], 0), current});
      if (target > current) {
        IZDE_RETURN_IF_ERROR(
            Exec(txn, "SELECT setval($1::regclass, $2, true)", Params().Text(name).Int(target))
                .status());
      }
      txn.commit();
      return OkStatus();
    } catch (const std::exception& error) {
      return PgError(error, fmt::format("moving the id sequence of {}", table.name));
    }
  }

 private:
  static Result<std::string> SequenceName(pqxx::transaction_base& txn, const TableSpec& table) {
    if (!table.serial) return std::string();
    IZDE_ASSIGN_OR_RETURN(pqxx::result result,
                          Exec(txn, "SELECT pg_get_serial_sequence($1, $2)",
                               Params().Text(table.name).Text(table.columns[0].name)));
    return Text(result[0], 0);
  }

  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace

Result<std::unique_ptr<TableDatabase>> OpenPgTables(const std::string& url) {
  std::string libpq_url;
  IZDE_ASSIGN_OR_RETURN(PoolOptions options, ParsePoolOptions(url, libpq_url));
  options.max_connections = 2;  // the copy reads or writes one table at a time
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool,
                        ConnectionPool::Create(std::move(libpq_url), options));
  return std::unique_ptr<TableDatabase>(std::make_unique<PgTables>(std::move(pool)));
}

}  // namespace izde::store::internal
