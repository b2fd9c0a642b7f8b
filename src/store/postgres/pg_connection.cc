#include "store/postgres/pg_connection.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace izde::store::internal {

Status PgError(const std::exception& error, std::string_view what) {
  std::string detail = error.what();
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  std::string message = fmt::format("postgresql: {} ({})", detail, what.substr(0, 120));
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error); sql != nullptr) {
    const std::string& state = sql->sqlstate();
    if (state == "23505") return AlreadyExistsError(message);
    if (state == "23503") {
      return FailedPreconditionError("a referenced record does not exist or is still in use; " +
                                     message);
    }
    if (state.starts_with("23") || state.starts_with("22")) return InvalidArgumentError(message);
    if (state == "40001" || state == "40P01") {
      return AbortedError("the transaction conflicted with another one; try again; " + message);
    }
    if (state == "55P03" || state == "57014" || state.starts_with("53") ||
        state.starts_with("08") || state.starts_with("57P")) {
      return UnavailableError(message);
    }
    if (state == "3D000") return NotFoundError(message);
    return InternalError(message);
  }
  // A server at max_connections, or a role at its CONNECTION LIMIT, refuses at connect time.
  if (detail.find("too many clients") != std::string::npos ||
      detail.find("too many connections") != std::string::npos ||
      detail.find("connection slots are reserved") != std::string::npos) {
    return UnavailableError(
        "the PostgreSQL server refuses more connections (its max_connections or the role's "
        "connection limit is reached): lower izde_pool in the database URL of each izde "
        "process (\"...?izde_pool=N\"; default 16) or raise the limit on the server; " +
        message);
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    // libpq reports an unknown database when connecting, before there is an SQLSTATE.
    if (detail.find("does not exist") != std::string::npos) return NotFoundError(message);
    return UnavailableError(message);
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr) {
    return AbortedError(message);
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    return UnavailableError("the connection broke during COMMIT; the outcome is unknown; " +
                            message);
  }
  return InternalError(message);
}

Params& Params::Real(double value) {
  // {} is the shortest text that reads back as the same double.
  values_.emplace_back(fmt::format("{}", value));
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  return pointers;
}

Result<pqxx::result> Exec(pqxx::transaction_base& txn, const std::string& sql,
                          const Params& params) {
  try {
    std::vector<const char*> pointers = params.Pointers();
    return txn.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
  } catch (const std::exception& error) {
    return PgError(error, sql);
  }
}

Status ExecScript(pqxx::transaction_base& txn, const std::string& sql) {
  try {
    txn.exec(sql);
    return OkStatus();
  } catch (const std::exception& error) {
    return PgError(error, sql);
  }
}

std::string Text(const pqxx::row& row, int column) {
  pqxx::field field = row[static_cast<pqxx::row::size_type>(column)];
  if (field.is_null()) return {};
  return std::string(field.c_str(), field.size());
}

int64_t Int(const pqxx::row& row, int column) {
  pqxx::field field = row[static_cast<pqxx::row::size_type>(column)];
  if (field.is_null()) return 0;
  return std::strtoll(field.c_str(), nullptr, 10);
}

double Real(const pqxx::row& row, int column) {
  pqxx::field field = row[static_cast<pqxx::row::size_type>(column)];
  if (field.is_null()) return 0;
  return std::strtod(field.c_str(), nullptr);
}

bool Bool(const pqxx::row& row, int column) {
  pqxx::field field = row[static_cast<pqxx::row::size_type>(column)];
  return !field.is_null() && field.c_str()[0] == 't';
}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_));
}

Result<PoolOptions> ParsePoolOptions(const std::string& url, std::string& libpq_url) {
  PoolOptions options;
  size_t query = url.find('?');
  libpq_url = url.substr(0, query);
  if (query == std::string::npos) return options;
  std::string rest;
  std::string_view params = std::string_view(url).substr(query + 1);
  while (!params.empty()) {
    size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    size_t eq = param.find('=');
    std::string_view key = param.substr(0, eq);
    if (key != "izde_pool" && key != "izde_pool_wait_ms") {
      if (!param.empty()) rest += (rest.empty() ? "" : "&") + std::string(param);
      continue;
    }
    std::string value(eq == std::string_view::npos ? "" : param.substr(eq + 1));
    char* stop = nullptr;
    long long number = std::strtoll(value.c_str(), &stop, 10);
    if (value.empty() || *stop != '\0' || number <= 0 || number > 100000000) {
      return InvalidArgumentError(
          fmt::format("'{}' is not a positive whole number", value.substr(0, 40)),
          std::string(key));
    }
    if (key == "izde_pool") {
      options.max_connections = static_cast<size_t>(number);
    } else {
      options.wait_ms = number;
    }
  }
  if (!rest.empty()) libpq_url += "?" + rest;
  return options;
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(std::string url,
                                                               PoolOptions options) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(url), options));
  IZDE_ASSIGN_OR_RETURN(PooledConnection first, pool->Acquire());
  return pool;
}

Result<std::unique_ptr<pqxx::connection>> ConnectionPool::Open() {
  try {
    return std::make_unique<pqxx::connection>(url_);
  } catch (const std::exception& error) {
    return PgError(error, "connecting");
  }
}

Result<PooledConnection> ConnectionPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.wait_ms);
    while (true) {
      while (!idle_.empty()) {
        std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
        idle_.pop_back();
        if (connection->is_open()) return PooledConnection(this, std::move(connection));
        --open_;
      }
      if (open_ < options_.max_connections) break;
      if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.max_connections) {
        return UnavailableError(fmt::format(
            "all {} connections of the pool to the PostgreSQL server are in use (waited {} ms); "
            "raise izde_pool in the database URL (\"...?izde_pool=N\") or run fewer requests at "
            "once",
            options_.max_connections, options_.wait_ms));
      }
    }
    ++open_;  // taken now, so that other threads do not open past the limit meanwhile
  }
  Result<std::unique_ptr<pqxx::connection>> connection = Open();
  if (!connection.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    returned_.notify_one();
    return connection.status();
  }
  return PooledConnection(this, std::move(*connection));
}

size_t ConnectionPool::open_connections() {
  std::lock_guard lock(mu_);
  return open_;
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection) {
  std::lock_guard lock(mu_);
  if (connection->is_open()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

}  // namespace izde::store::internal
