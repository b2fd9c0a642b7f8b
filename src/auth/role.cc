#include "auth/role.h"

#include <array>
#include <string>
#include <utility>

namespace izde::auth {
namespace {

constexpr std::array<std::pair<std::string_view, Role>, 5> kRoles = {{
    {"anonymous", Role::kAnonymous},
    {"viewer", Role::kViewer},
    {"editor", Role::kEditor},
    {"reviewer", Role::kReviewer},
    {"admin", Role::kAdmin},
}};

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [name, value] : kRoles) {
    if (value == role) return name;
  }
  return "anonymous";
}

Result<Role> ParseRole(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = AsciiLower(c);
  for (const auto& [spelling, value] : kRoles) {
    if (spelling == lower) return value;
  }
  return InvalidArgumentError(
      "'" + std::string(name) + "' is not one of anonymous, viewer, editor, reviewer, admin",
      "role");
}

}  // namespace izde::auth
