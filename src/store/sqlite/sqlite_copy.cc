// TableDatabase over a SQLite file (store/copy_tables.h): the copier's reads and writes, in
// SQL of their own so that sqlite_store.cc stays the store's.
#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/copy_tables.h"
#include "store/sqlite/connection.h"

namespace izde::store::internal {
namespace {

std::string Placeholders(size_t count) {
  std::string list;
  for (size_t idx = 0; idx < count; ++idx) list += idx == 0 ? "?" : ", ?";
  return list;
}

class SqliteTables final : public TableDatabase {
 public:
  explicit SqliteTables(std::unique_ptr<SqliteConnection> connection)
      : connection_(std::move(connection)) {}
  ~SqliteTables() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  }

  Result<int> SchemaVersion() override {
    IZDE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare("PRAGMA user_version"));
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, Collect(stmt, {{"v", ColumnType::kInt}}));
    if (rows.empty() || !rows[0][0]) return 0;
    return std::atoi(rows[0][0]->c_str());
  }

  Result<std::vector<std::string>> Tables() override {
    IZDE_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' ORDER BY name"));
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, Collect(stmt, {{"name", ColumnType::kText}}));
    std::vector<std::string> names;
    for (const Row& row : rows) names.push_back(row[0].value_or(""));
    return names;
  }

  Result<int64_t> Count(const TableSpec& table) override {
    IZDE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                          Prepare(fmt::format("SELECT count(*) FROM \"{}\"", table.name)));
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, Collect(stmt, {{"n", ColumnType::kInt}}));
    return std::atoll(rows.at(0)[0].value_or("0").c_str());
  }

  Result<std::vector<Row>> Read(const TableSpec& table, const Key& after, int64_t limit) override {
    const std::string where = after.empty() ? ""
                                            : fmt::format("WHERE ({}) > ({}) ", KeyList(table),
                                                          Placeholders(table.key_columns));
    IZDE_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        Prepare(fmt::format("SELECT {} FROM \"{}\" {}ORDER BY {} LIMIT ?", ColumnList(table),
                            table.name, where, KeyList(table))));
    int index = 1;
    for (int64_t part : after) sqlite3_bind_int64(stmt, index++, part);
    sqlite3_bind_int64(stmt, index, limit);
    return Collect(stmt, table.columns);
  }

  Result<std::vector<Row>> ReadRange(const TableSpec& table, const Key& first,
                                     const Key& last) override {
    const std::string placeholders = Placeholders(table.key_columns);
    IZDE_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        Prepare(fmt::format("SELECT {0} FROM \"{1}\" WHERE ({2}) >= ({3}) AND ({2}) <= ({3}) "
                            "ORDER BY {2}",
                            ColumnList(table), table.name, KeyList(table), placeholders)));
    int index = 1;
    for (int64_t part : first) sqlite3_bind_int64(stmt, index++, part);
    for (int64_t part : last) sqlite3_bind_int64(stmt, index++, part);
    return Collect(stmt, table.columns);
  }

  Status Insert(const TableSpec& table, const std::vector<Row>& rows) override {
    IZDE_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        Prepare(fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table.name, ColumnList(table),
                            Placeholders(table.columns.size()))));
    IZDE_RETURN_IF_ERROR(connection_->Exec("BEGIN IMMEDIATE"));
    Status status = OkStatus();
    for (const Row& row : rows) {
      status = BindRow(stmt, table, row);
      if (!status.ok()) break;
      int code = sqlite3_step(stmt);
      sqlite3_reset(stmt);
      if (code != SQLITE_DONE) {
        status = SqliteError(connection_->db(), code, fmt::format("copying into {}", table.name));
        break;
      }
    }
    sqlite3_clear_bindings(stmt);
    if (status.ok()) status = connection_->Exec("COMMIT");
    if (!status.ok()) connection_->Exec("ROLLBACK").IgnoreError();
    return status;
  }

  Result<int64_t> Sequence(const TableSpec& table) override {
    IZDE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                          Prepare("SELECT seq FROM sqlite_sequence WHERE name = ?"));
    sqlite3_bind_text(stmt, 1, table.name, -1, SQLITE_STATIC);
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, Collect(stmt, {{"seq", ColumnType::kInt}}));
    if (rows.empty() || !rows[0][0]) return 0;
    return std::atoll(rows[0][0]->c_str());
  }

  Status RaiseSequence(const TableSpec& table, int64_t at_least) override {
    // An AUTOINCREMENT table's sqlite_sequence row already follows the highest id inserted;
    // only a higher sequence of the source (ids handed out, then deleted) is carried over.
    IZDE_ASSIGN_OR_RETURN(int64_t current, Sequence(table));
    if (at_least <= current) return OkStatus();
    const std::string sql =
        current == 0 && !HasSequenceRow(table)
            ? fmt::format("INSERT INTO sqlite_sequence (name, seq) VALUES ('{}', {})", table.name,
                          at_least)
            : fmt::format("UPDATE sqlite_sequence SET seq = {} WHERE name = '{}'", at_least,
                          table.name);
    return connection_->Exec(sql);
  }

 private:
  bool HasSequenceRow(const TableSpec& table) {
    Result<sqlite3_stmt*> stmt = Prepare("SELECT 1 FROM sqlite_sequence WHERE name = ?");
    if (!stmt.ok()) return false;
    sqlite3_bind_text(*stmt, 1, table.name, -1, SQLITE_STATIC);
    const bool found = sqlite3_step(*stmt) == SQLITE_ROW;
    sqlite3_reset(*stmt);
    sqlite3_clear_bindings(*stmt);
    return found;
  }

  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    sqlite3_stmt* stmt = nullptr;
    int code = sqlite3_prepare_v2(connection_->db(), sql.c_str(), -1, &stmt, nullptr);
    if (code != SQLITE_OK) return SqliteError(connection_->db(), code, sql);
    statements_.emplace(sql, stmt);
    return stmt;
  }

  // Steps `stmt` to the end, reading each row as canonical text; resets it.
  Result<std::vector<Row>> Collect(sqlite3_stmt* stmt, const std::vector<ColumnSpec>& columns) {
    std::vector<Row> rows;
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      row.reserve(columns.size());
      for (size_t idx = 0; idx < columns.size(); ++idx) {
        const int column = static_cast<int>(idx);
        if (sqlite3_column_type(stmt, column) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
          continue;
        }
        switch (columns[idx].type) {
          case ColumnType::kInt:
            row.emplace_back(std::to_string(sqlite3_column_int64(stmt, column)));
            break;
          case ColumnType::kBool:
            row.emplace_back(sqlite3_column_int64(stmt, column) != 0 ? "1" : "0");
            break;
          case ColumnType::kReal:
            row.emplace_back(fmt::format("{}", sqlite3_column_double(stmt, column)));
            break;
          case ColumnType::kText: {
            const auto* text = sqlite3_column_text(stmt, column);
            row.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt, column))));
            break;
          }
        }
      }
      rows.push_back(std::move(row));
    }
    Status status =
        code == SQLITE_DONE ? OkStatus() : SqliteError(connection_->db(), code, sqlite3_sql(stmt));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (!status.ok()) return status;
    return rows;
  }

  static Status BindRow(sqlite3_stmt* stmt, const TableSpec& table, const Row& row) {
    if (row.size() != table.columns.size()) {
      return InternalError(fmt::format("a row of {} has {} values", table.name, row.size()));
    }
    for (size_t idx = 0; idx < row.size(); ++idx) {
      const int index = static_cast<int>(idx) + 1;
      if (!row[idx]) {
        sqlite3_bind_null(stmt, index);
        continue;
      }
      const std::string& text = *row[idx];
      switch (table.columns[idx].type) {
        case ColumnType::kInt:
        case ColumnType::kBool: {
          int64_t value = 0;
          auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
          if (error != std::errc() || end != text.data() + text.size()) {
            return InvalidArgumentError(fmt::format("'{}' is not an integer", text),
                                        fmt::format("{}.{}", table.name, table.columns[idx].name));
          }
          sqlite3_bind_int64(stmt, index, value);
          break;
        }
        case ColumnType::kReal:
          sqlite3_bind_double(stmt, index, std::strtod(text.c_str(), nullptr));
          break;
        case ColumnType::kText:
          sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT);
          break;
      }
    }
    return OkStatus();
  }

  std::unique_ptr<SqliteConnection> connection_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<TableDatabase>> OpenSqliteTables(const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection,
                        SqliteConnection::Open(path, /*create=*/false));
  return std::unique_ptr<TableDatabase>(std::make_unique<SqliteTables>(std::move(connection)));
}

}  // namespace izde::store::internal
