#include "store/sqlite/connection.h"

#include <fmt/format.h>

#include <filesystem>

namespace izde::store::internal {

Status SqliteError(sqlite3* db, int code, std::string_view what) {
  std::string message =
      fmt::format("sqlite: {} ({})", db != nullptr ? sqlite3_errmsg(db) : "", what.substr(0, 120));
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError("database is locked by another process; " + message);
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(message);
      }
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return FailedPreconditionError("a referenced record does not exist or is still in use; " +
                                       message);
      }
      return InvalidArgumentError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(message);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return UnavailableError(message);
    default:
      return InternalError(message);
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 bool create) {
  std::error_code error;
  if (!create && !std::filesystem::exists(path, error)) {
    return NotFoundError(
        fmt::format("no registry database at '{}' (create one with `izde init`)", path));
  }
  // SQLite's memory statistics take a global mutex on every allocation; izde never reads
  // them. Must be set before SQLite initialises.
  static const int configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }();
  (void)configured;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (code != SQLITE_OK) {
    Status status = SqliteError(db, code, "open " + path);
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers do not block the writer and a crash mid-transaction leaves the last
  // committed state. synchronous=NORMAL is durable across process crashes in WAL mode.
  IZDE_RETURN_IF_ERROR(
      connection->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                       "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<Statement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (code != SQLITE_OK) return SqliteError(db_, code, sql);
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(db_, it->second);
}

Status SqliteConnection::Exec(std::string_view sql) {
  char* error = nullptr;
  int code = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    return SqliteError(db_, code, std::string(sql.substr(0, 80)) + ": " + message);
  }
  return OkStatus();
}

}  // namespace izde::store::internal
