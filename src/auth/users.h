#ifndef IZDE_AUTH_USERS_H_
#define IZDE_AUTH_USERS_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password.h"
#include "auth/role.h"
#include "core/result.h"
#include "registry/store.h"
#include "registry/user.h"

namespace izde::auth {

// The JSON form of a user, as shown and audited: never the password hash.
nlohmann::json UserJson(const registry::User& user);

// The user use cases: each change is written with its audit entry (entity "U-000001",
// before/after without the password hash) in one transaction.
class Users {
 public:
  explicit Users(registry::Store& store, HashCost cost = HashCost::kInteractive)
      : store_(store), cost_(cost) {}

  // Adds a user. kInvalidArgument for a bad name (field "name": 1-64 of a-z, 0-9, '.', '_',
  // '-'), role (field "role"; anonymous is not a user's role) or password (field
  // "password"); kAlreadyExists when the name is taken.
  Result<registry::User> Add(std::string_view name, std::string_view role,
                             std::string_view password, std::string_view actor);
  Result<registry::User> SetPassword(std::string_view name, std::string_view password,
                                     std::string_view actor);
  Result<registry::User> SetDisabled(std::string_view name, bool disabled, std::string_view actor);
  Result<registry::User> SetRole(std::string_view name, std::string_view role,
                                 std::string_view actor);

  // The user whose name and password match. kUnauthenticated with one message for an
  // unknown name, a wrong password and a disabled account, so that a caller learns nothing
  // about which accounts exist; the time spent is about the same in each case.
  Result<registry::User> Authenticate(std::string_view name, std::string_view password);

 private:
  // Applies `change` to the named user and writes it with an audit entry.
  template <typename Change>
  Result<registry::User> Modify(std::string_view name, std::string_view action,
                                std::string_view actor, std::string_view note, Change change);

  registry::Store& store_;
  HashCost cost_;
};

}  // namespace izde::auth

#endif  // IZDE_AUTH_USERS_H_
