#ifndef IZDE_AUTH_ROLE_H_
#define IZDE_AUTH_ROLE_H_

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace izde::auth {

// What a caller may do, from least to most. Each role can do everything the roles before it
// can (see permissions):
//   kAnonymous: the optional public read of redacted data (off unless the admin enables it);
//   kViewer:    read the registry;
//   kEditor:    record testimonies, persons, events and evidence;
//   kReviewer:  an editor who also grades entries and resolves duplicates and list matches;
//   kAdmin:     users, settings and backups.
enum class Role : uint8_t { kAnonymous, kViewer, kEditor, kReviewer, kAdmin };

// "anonymous", "viewer", "editor", "reviewer", "admin".
std::string_view RoleName(Role role);

// Parses a role name, case-insensitively; kInvalidArgument (field "role") otherwise.
Result<Role> ParseRole(std::string_view name);

// True when `role` has at least the rights of `least`.
constexpr bool AtLeast(Role role, Role least) {
  return static_cast<uint8_t>(role) >= static_cast<uint8_t>(least);
}

}  // namespace izde::auth

#endif  // IZDE_AUTH_ROLE_H_
