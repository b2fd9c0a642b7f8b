#ifndef IZDE_AUTH_PERMISSIONS_H_
#define IZDE_AUTH_PERMISSIONS_H_

#include <cstdint>
#include <string_view>

#include "auth/role.h"

namespace izde::auth {

// What a request wants to do. Every API route names one.
enum class Action : uint8_t {
  kRead,               // read records, search, statistics, history
  kWriteRecords,       // create and change persons, testimonies, events, relations; revert
  kGrade,              // set an entry's grade
  kResolveDuplicates,  // judge duplicate pairs and list matches, merge
  kManageUsers,        // users, roles, sessions of others
  kBackups,            // backups and settings
};

// "read", "write_records", "grade", "resolve_duplicates", "manage_users", "backups".
std::string_view ActionName(Action action);

// The least role that may do `action`: the one table of who may do what.
//   read: viewer; write_records: editor; grade, resolve_duplicates: reviewer;
//   manage_users, backups: admin.
// Anonymous may do nothing here; the server's optional public read is a separate switch
// and shows only what the redaction policy lets the public see.
Role MinimumRole(Action action);

inline bool Allowed(Role role, Action action) { return AtLeast(role, MinimumRole(action)); }

}  // namespace izde::auth

#endif  // IZDE_AUTH_PERMISSIONS_H_
