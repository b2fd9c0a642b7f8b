#include "auth/users.h"

#include <nlohmann/json.hpp>

namespace izde::auth {
namespace {

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgumentError("a user name has 1 to 64 characters", "name");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidArgumentError("a user name uses only lowercase a-z, digits, '.', '_' and '-'",
                                  "name");
    }
  }
  return OkStatus();
}

Result<std::string> CheckRole(std::string_view text) {
  IZDE_ASSIGN_OR_RETURN(Role role, ParseRole(text));
  if (role == Role::kAnonymous) {
    return InvalidArgumentError("a user's role is viewer, editor, reviewer or admin", "role");
  }
  return std::string(RoleName(role));
}

Status Unauthenticated() {
  return Status(StatusCode::kUnauthenticated, "wrong user name or password");
}

}  // namespace

nlohmann::json UserJson(const registry::User& user) {
  return {{"id", FormatId(IdKind::kUser, user.id)},
          {"name", user.name},
          {"role", user.role},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

Result<registry::User> Users::Add(std::string_view name, std::string_view role,
                                  std::string_view password, std::string_view actor) {
  IZDE_RETURN_IF_ERROR(CheckName(name));
  registry::User user;
  user.name = std::string(name);
  IZDE_ASSIGN_OR_RETURN(user.role, CheckRole(role));
  IZDE_ASSIGN_OR_RETURN(user.password_hash, HashPassword(password, cost_));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(user.id, txn->InsertUser(user));
  IZDE_ASSIGN_OR_RETURN(user, txn->GetUser(user.id));
  registry::AuditEntry entry;
  entry.actor = std::string(actor);
  entry.action = "user.create";
  entry.entity = FormatId(IdKind::kUser, user.id);
  entry.after = UserJson(user).dump();
  IZDE_RETURN_IF_ERROR(txn->AppendAudit(entry).status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return user;
}

template <typename Change>
Result<registry::User> Users::Modify(std::string_view name, std::string_view action,
                                     std::string_view actor, std::string_view note, Change change) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(registry::User user, txn->FindUserByName(name));
  registry::AuditEntry entry;
  entry.before = UserJson(user).dump();
  IZDE_RETURN_IF_ERROR(change(user));
  IZDE_RETURN_IF_ERROR(txn->UpdateUser(user));
  entry.actor = std::string(actor);
  entry.action = std::string(action);
  entry.entity = FormatId(IdKind::kUser, user.id);
  entry.after = UserJson(user).dump();
  entry.note = std::string(note);
  IZDE_RETURN_IF_ERROR(txn->AppendAudit(entry).status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return user;
}

Result<registry::User> Users::SetPassword(std::string_view name, std::string_view password,
                                          std::string_view actor) {
  // Hashing takes a while: do it before taking the write lock.
  IZDE_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost_));
  return Modify(name, "user.password", actor, "password changed",
                [&](registry::User& user) -> Status {
                  user.password_hash = hash;
                  return OkStatus();
                });
}

Result<registry::User> Users::SetDisabled(std::string_view name, bool disabled,
                                          std::string_view actor) {
  return Modify(name, disabled ? "user.disable" : "user.enable", actor, "",
                [&](registry::User& user) -> Status {
                  user.disabled = disabled;
                  return OkStatus();
                });
}

Result<registry::User> Users::SetRole(std::string_view name, std::string_view role,
                                      std::string_view actor) {
  IZDE_ASSIGN_OR_RETURN(std::string checked, CheckRole(role));
  return Modify(name, "user.role", actor, "", [&](registry::User& user) -> Status {
    user.role = checked;
    return OkStatus();
  });
}

Result<registry::User> Users::Authenticate(std::string_view name, std::string_view password) {
  Result<registry::User> user = store_.FindUserByName(name);
  if (!user.ok()) {
    if (user.status().code() != StatusCode::kNotFound) return user.status();
    // Spend the time a real verification takes, so that timing does not tell which names
    // exist. The hash is made once per process.
    static const std::string kDummy =
        HashPassword("not-a-real-password", cost_).value_or(std::string());
    VerifyPassword(kDummy, password);
    return Unauthenticated();
  }
  if (!VerifyPassword(user->password_hash, password) || user->disabled) {
    return Unauthenticated();
  }
  return user;
}

}  // namespace izde::auth
