#include "auth/permissions.h"

namespace izde::auth {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kRead:
      return "read";
    case Action::kWriteRecords:
      return "write_records";
    case Action::kGrade:
      return "grade";
    case Action::kResolveDuplicates:
      return "resolve_duplicates";
    case Action::kManageUsers:
      return "manage_users";
    case Action::kBackups:
      return "backups";
  }
  return "read";
}

Role MinimumRole(Action action) {
  // No default: a new action must be placed here (-Wswitch).
  switch (action) {
    case Action::kRead:
      return Role::kViewer;
    case Action::kWriteRecords:
      return Role::kEditor;
    case Action::kGrade:
    case Action::kResolveDuplicates:
      return Role::kReviewer;
    case Action::kManageUsers:
    case Action::kBackups:
      return Role::kAdmin;
  }
  return Role::kAdmin;
}

}  // namespace izde::auth
