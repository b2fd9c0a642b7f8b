#include "auth/sessions.h"

#include "auth/password.h"

namespace izde::auth {
namespace {

Status Unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message));
}

}  // namespace

Result<NewSession> Sessions::Create(const registry::User& user, std::string_view address) {
  IZDE_RETURN_IF_ERROR(InitCrypto());
  NewSession created;
  created.token = RandomHex(32);
  int64_t now = clock_();
  registry::Session& session = created.session;
  session.token_hash = HashToken(created.token);
  session.user_id = user.id;
  session.csrf_token = RandomHex(32);
  session.address = std::string(address);
  session.created_at = now;
  session.expires_at = now + options_.lifetime_s;
  session.last_seen_at = now;
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_RETURN_IF_ERROR(txn->InsertSession(session));
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return created;
}

Result<Authenticated> Sessions::Verify(std::string_view token) {
  if (token.empty()) return Unauthenticated("not signed in");
  Result<registry::Session> found = store_.GetSession(HashToken(token));
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) {
      return Unauthenticated("the session is unknown; sign in again");
    }
    return found.status();
  }
  Authenticated who;
  who.session = std::move(found).value();
  int64_t now = clock_();
  if (who.session.revoked) return Unauthenticated("the session was ended; sign in again");
  if (now >= who.session.expires_at || now - who.session.last_seen_at >= options_.idle_s) {
    return Unauthenticated("the session expired; sign in again");
  }
  IZDE_ASSIGN_OR_RETURN(who.user, store_.GetUser(who.session.user_id));
  if (who.user.disabled) return Unauthenticated("the account is disabled");
  Result<Role> role = ParseRole(who.user.role);
  if (!role.ok() || *role == Role::kAnonymous) {
    return Unauthenticated("the account has no usable role");
  }
  who.role = *role;
  if (now - who.session.last_seen_at >= options_.touch_interval_s) {
    who.session.last_seen_at = now;
    IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
    IZDE_RETURN_IF_ERROR(txn->UpdateSession(who.session));
    IZDE_RETURN_IF_ERROR(txn->Commit());
  }
  return who;
}

Status Sessions::Revoke(std::string_view token_hash) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(registry::Session session, txn->GetSession(token_hash));
  session.revoked = true;
  IZDE_RETURN_IF_ERROR(txn->UpdateSession(session));
  return txn->Commit();
}

Status Sessions::RevokeAllOf(int64_t user_id) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::Session> sessions, txn->ListSessions(user_id));
  for (registry::Session& session : sessions) {
    if (session.revoked) continue;
    session.revoked = true;
    IZDE_RETURN_IF_ERROR(txn->UpdateSession(session));
  }
  return txn->Commit();
}

}  // namespace izde::auth
