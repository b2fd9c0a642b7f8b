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

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(std::string url, size_t max_idle) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(url), max_idle));
  IZDE_ASSIGN_OR_RETURN(auto first, pool->Open());
  pool->Return(std::move(first));
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
    std::lock_guard lock(mu_);
    while (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->is_open()) return PooledConnection(this, std::move(connection));
    }
  }
  IZDE_ASSIGN_OR_RETURN(auto connection, Open());
  return PooledConnection(this, std::move(connection));
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection) {
  if (!connection->is_open()) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace izde::store::internal
