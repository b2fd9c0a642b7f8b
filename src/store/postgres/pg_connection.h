#ifndef IZDE_STORE_POSTGRES_PG_CONNECTION_H_
#define IZDE_STORE_POSTGRES_PG_CONNECTION_H_

// libpqxx (which throws) is used only in store/postgres/; every call into it goes through
// Exec() or a `try` in this folder, and comes back as a Status.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"

namespace izde::store::internal {

// Turns an exception from libpqxx into a Status; `what` says what was being done.
// unique violation -> kAlreadyExists; foreign key -> kFailedPrecondition; other integrity
// violations and bad data -> kInvalidArgument; serialization failure or deadlock ->
// kAborted; lock not available, lost or refused connection -> kUnavailable; unknown
// database -> kNotFound.
Status PgError(const std::exception& error, std::string_view what);

// Positional parameters ($1, $2, ...) of one statement, in order, as text or NULL.
class Params {
 public:
  Params& Text(std::string_view text) {
    values_.emplace_back(std::string(text));
    return *this;
  }
  // NULL for "" (unique columns where "no value" must not collide).
  Params& TextOrNull(std::string_view text) { return text.empty() ? Null() : Text(text); }
  Params& Int(int64_t value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  // NULL for id 0 ("none").
  Params& IdOrNull(int64_t id) { return id == 0 ? Null() : Int(id); }
  Params& Real(double value);
  Params& Bool(bool value) { return Text(value ? "true" : "false"); }
  Params& Null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }

  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// Runs one statement in `txn`; a driver exception becomes a Status.
Result<pqxx::result> Exec(pqxx::transaction_base& txn, const std::string& sql,
                          const Params& params = {});

// Runs several statements without parameters or results (schema changes).
Status ExecScript(pqxx::transaction_base& txn, const std::string& sql);

// Reads a column of a result row; NULL reads as "" or 0.
std::string Text(const pqxx::row& row, int column);
int64_t Int(const pqxx::row& row, int column);
double Real(const pqxx::row& row, int column);
bool Bool(const pqxx::row& row, int column);

class ConnectionPool;

// A connection lent by the pool; goes back to it when destroyed, unless it broke.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  PooledConnection(const PooledConnection&) = delete;
  ~PooledConnection();

  pqxx::connection& get() { return *connection_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection> connection_;
};

// How many connections one izde process opens to its database. Read from the URL's query
// string, where izde's own options sit beside libpq's and are removed before libpq sees the
// URL: "postgresql://u@host/db?izde_pool=32&izde_pool_wait_ms=2000&connect_timeout=5".
struct PoolOptions {
  // At most this many connections open at once (transactions and reads in progress, idle
  // ones). The server's max_connections (100 by default) is shared by every izde process.
  size_t max_connections = 16;
  // How long Acquire() waits for a connection when all are in use.
  int64_t wait_ms = 10000;
};

// Splits izde_pool and izde_pool_wait_ms off `url`: the options, and the URL for libpq in
// `libpq_url`. kInvalidArgument naming the option when a value is not a positive number.
Result<PoolOptions> ParsePoolOptions(const std::string& url, std::string& libpq_url);

// Connections to one database. Acquire() hands out an idle connection or opens a new one while
// fewer than options.max_connections are open; otherwise it waits up to options.wait_ms for
// one to come back, then answers kUnavailable. A server that refuses a new connection (too
// many clients) is kUnavailable too, with a message that says what to change.
// Thread safety: Acquire() and the return of connections may run on any thread.
class ConnectionPool {
 public:
  // Opens one connection to check the URL. kNotFound when the database does not exist,
  // kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<ConnectionPool>> Create(std::string url, PoolOptions options);

  Result<PooledConnection> Acquire();
  // The URL as given to libpq (without izde's options).
  const std::string& url() const { return url_; }
  const PoolOptions& options() const { return options_; }
  // Connections open now, lent and idle.
  size_t open_connections();

 private:
  friend class PooledConnection;
  ConnectionPool(std::string url, PoolOptions options) : url_(std::move(url)), options_(options) {}
  Result<std::unique_ptr<pqxx::connection>> Open();
  void Return(std::unique_ptr<pqxx::connection> connection);

  std::string url_;
  PoolOptions options_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // GUARDED_BY(mu_)
  size_t open_ = 0;                                      // GUARDED_BY(mu_), lent + idle
};

// Runs `fn(txn)` in a read-only transaction on a pooled connection, catching what the driver
// throws. `fn` returns a Result or Status.
template <typename Fn>
std::invoke_result_t<Fn, pqxx::transaction_base&> ReadOnly(ConnectionPool& pool, Fn fn) {
  IZDE_ASSIGN_OR_RETURN(PooledConnection connection, pool.Acquire());
  try {
    pqxx::read_transaction txn(connection.get());
    return fn(static_cast<pqxx::transaction_base&>(txn));
  } catch (const std::exception& error) {
    return PgError(error, "reading");
  }
}

// Runs `fn()` (writes in `txn`) under a savepoint: when it fails, its writes are undone and
// the transaction stays usable (PostgreSQL otherwise refuses every later statement).
template <typename Fn>
std::invoke_result_t<Fn> Savepoint(pqxx::transaction_base& txn, Fn fn) {
  IZDE_RETURN_IF_ERROR(ExecScript(txn, "SAVEPOINT izde_write"));
  auto result = fn();
  if (result.ok()) {
    IZDE_RETURN_IF_ERROR(ExecScript(txn, "RELEASE SAVEPOINT izde_write"));
  } else {
    IZDE_RETURN_IF_ERROR(
        ExecScript(txn, "ROLLBACK TO SAVEPOINT izde_write; RELEASE SAVEPOINT izde_write"));
  }
  return result;
}

// Applies the migrations the database lacks, each in its own transaction, under an advisory
// lock so that servers starting together do not race. With `create` false, a database
// without the izde schema is kFailedPrecondition ("not an izde database").
// kFailedPrecondition when the database is newer than this program.
Status PgMigrate(ConnectionPool& pool, bool create);
int PgLatestSchemaVersion();
// The version stored in the database (0 when it has no izde schema).
Result<int> PgSchemaVersion(pqxx::transaction_base& txn);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_POSTGRES_PG_CONNECTION_H_
