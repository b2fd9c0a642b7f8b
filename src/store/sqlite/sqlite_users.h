#ifndef IZDE_STORE_SQLITE_SQLITE_USERS_H_
#define IZDE_STORE_SQLITE_SQLITE_USERS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "registry/user.h"
#include "store/sqlite/connection.h"

namespace izde::store::internal {

// Reads and writes of the users and sessions tables, on a connection whose access the
// caller serialises (SqliteStore's mutex or an open transaction).
class UserOperations {
 public:
  explicit UserOperations(SqliteConnection& connection) : c_(connection) {}

  Result<registry::User> GetUser(int64_t id);
  Result<registry::User> FindUserByName(std::string_view name);
  Result<std::vector<registry::User>> ListUsers();
  Result<registry::Session> GetSession(std::string_view token_hash);
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id);

  Result<int64_t> InsertUser(const registry::User& user);
  Status UpdateUser(const registry::User& user);
  Status InsertSession(const registry::Session& session);
  Status UpdateSession(const registry::Session& session);

 private:
  SqliteConnection& c_;
};

}  // namespace izde::store::internal

#endif  // IZDE_STORE_SQLITE_SQLITE_USERS_H_
