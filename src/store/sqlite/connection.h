#ifndef IZDE_STORE_SQLITE_CONNECTION_H_
#define IZDE_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace izde::store::internal {

// Turns a SQLite result code into a Status; `what` says what was being done.
Status SqliteError(sqlite3* db, int code, std::string_view what);

// A cached prepared statement in use: bind, step, read columns. Resets and clears its
// bindings when it goes out of scope, so the cache can hand it out again.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Binds 1-based parameter `index`. Empty strings bind as text, not NULL, unless
  // BindTextOrNull is used (unique columns where "no value" must not collide).
  Statement& Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // For text that outlives the statement's next Step(): SQLite does not copy it.
  Statement& BindStable(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& BindTextOrNull(int index, std::string_view text) {
    if (text.empty()) return BindNull(index);
    return Bind(index, text);
  }
  Statement& Bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& BindIdOrNull(int index, int64_t id) {
    if (id == 0) return BindNull(index);
    return Bind(index, id);
  }
  Statement& BindReal(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
  }
  Statement& BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }

  // True while there is a row to read, false when done.
  Result<bool> Step() {
    int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return SqliteError(db_, code, sqlite3_sql(stmt_));
  }
  // Runs a statement that returns no rows.
  Status Run() {
    Result<bool> stepped = Step();
    return stepped.ok() ? OkStatus() : stepped.status();
  }

  std::string Text(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Real(int column) const { return sqlite3_column_double(stmt_, column); }

  // Makes a stepped statement ready to run again with new bindings.
  void Rewind() { sqlite3_reset(stmt_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Owns a sqlite3 connection and its cache of prepared statements.
// Not thread-safe: the owner serialises access.
class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool create);
  ~SqliteConnection();

  sqlite3* db() const { return db_; }

  // A prepared statement for `sql`, compiled once per connection.
  Result<Statement> Prepare(std::string_view sql);
  // Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  // Looks statements up by string_view: no string is built per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

// Applies the migrations the database lacks, each in its own transaction.
// kFailedPrecondition when the database is newer than this program.
Status Migrate(SqliteConnection& connection);
int LatestSchemaVersion();

}  // namespace izde::store::internal

#endif  // IZDE_STORE_SQLITE_CONNECTION_H_
