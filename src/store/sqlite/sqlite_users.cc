#include "store/sqlite/sqlite_users.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "core/ids.h"
#include "store/row_values.h"

namespace izde::store::internal {
namespace {

using registry::Session;
using registry::User;

constexpr std::string_view kUserColumns = "id, name, role, password_hash, disabled, created_at";
constexpr std::string_view kSessionColumns =
    "token_hash, user_id, csrf_token, address, created_at, expires_at, last_seen_at, revoked";

User ReadUser(const Statement& row) {
  User user;
  user.id = row.Int(0);
  user.name = row.Text(1);
  user.role = row.Text(2);
  user.password_hash = row.Text(3);
  user.disabled = row.Int(4) != 0;
  user.created_at = row.Text(5);
  return user;
}

Session ReadSession(const Statement& row) {
  Session session;
  session.token_hash = row.Text(0);
  session.user_id = row.Int(1);
  session.csrf_token = row.Text(2);
  session.address = row.Text(3);
  session.created_at = row.Int(4);
  session.expires_at = row.Int(5);
  session.last_seen_at = row.Int(6);
  session.revoked = row.Int(7) != 0;
  return session;
}

}  // namespace

Result<User> UserOperations::GetUser(int64_t id) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare(fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns)));
  stmt.Bind(1, id);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no user {}", FormatId(IdKind::kUser, id)));
  return ReadUser(stmt);
}

Result<User> UserOperations::FindUserByName(std::string_view name) {
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt, c_.Prepare(fmt::format("SELECT {} FROM users WHERE name = ?", kUserColumns)));
  stmt.Bind(1, name);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no user named '{}'", name));
  return ReadUser(stmt);
}

Result<std::vector<User>> UserOperations::ListUsers() {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare(fmt::format("SELECT {} FROM users ORDER BY id", kUserColumns)));
  std::vector<User> users;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    users.push_back(ReadUser(stmt));
  }
  return users;
}

Result<Session> UserOperations::GetSession(std::string_view token_hash) {
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      c_.Prepare(fmt::format("SELECT {} FROM sessions WHERE token_hash = ?", kSessionColumns)));
  stmt.Bind(1, token_hash);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no such session");
  return ReadSession(stmt);
}

Result<std::vector<Session>> UserOperations::ListSessions(int64_t user_id) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare(fmt::format("SELECT {} FROM sessions WHERE ? = 0 OR user_id = ? "
                                               "ORDER BY created_at DESC, rowid DESC",
                                               kSessionColumns)));
  stmt.Bind(1, user_id).Bind(2, user_id);
  std::vector<Session> sessions;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    sessions.push_back(ReadSession(stmt));
  }
  return sessions;
}

Result<int64_t> UserOperations::InsertUser(const User& user) {
  {
    IZDE_ASSIGN_OR_RETURN(Statement taken, c_.Prepare("SELECT 1 FROM users WHERE name = ?"));
    taken.Bind(1, user.name);
    IZDE_ASSIGN_OR_RETURN(bool row, taken.Step());
    if (row) return AlreadyExistsError(fmt::format("a user named '{}' exists", user.name));
  }
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("INSERT INTO users (name, role, password_hash, disabled, "
                                   "created_at) VALUES (?,?,?,?,?)"));
  stmt.Bind(1, user.name).Bind(2, user.role).Bind(3, user.password_hash);
  stmt.Bind(4, int64_t{user.disabled ? 1 : 0}).Bind(5, NowIso());
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(c_.db());
}

Status UserOperations::UpdateUser(const User& user) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("UPDATE users SET name = ?, role = ?, password_hash = ?, "
                                   "disabled = ? WHERE id = ?"));
  stmt.Bind(1, user.name).Bind(2, user.role).Bind(3, user.password_hash);
  stmt.Bind(4, int64_t{user.disabled ? 1 : 0}).Bind(5, user.id);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(c_.db()) == 0) {
    return NotFoundError(fmt::format("no user {}", FormatId(IdKind::kUser, user.id)));
  }
  return OkStatus();
}

Status UserOperations::InsertSession(const Session& session) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare(fmt::format("INSERT INTO sessions ({}) VALUES (?,?,?,?,?,?,?,?)",
                                               kSessionColumns)));
  stmt.Bind(1, session.token_hash).Bind(2, session.user_id).Bind(3, session.csrf_token);
  stmt.Bind(4, session.address).Bind(5, session.created_at).Bind(6, session.expires_at);
  stmt.Bind(7, session.last_seen_at).Bind(8, int64_t{session.revoked ? 1 : 0});
  Status status = stmt.Run();
  if (!status.ok() && sqlite3_extended_errcode(c_.db()) == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExistsError("a session with this token exists");
  }
  return status;
}

Status UserOperations::UpdateSession(const Session& session) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        c_.Prepare("UPDATE sessions SET expires_at = ?, last_seen_at = ?, "
                                   "revoked = ? WHERE token_hash = ?"));
  stmt.Bind(1, session.expires_at).Bind(2, session.last_seen_at);
  stmt.Bind(3, int64_t{session.revoked ? 1 : 0}).Bind(4, session.token_hash);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(c_.db()) == 0) return NotFoundError("no such session");
  return OkStatus();
}

}  // namespace izde::store::internal
