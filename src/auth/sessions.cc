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

std::optional<Authenticated> Sessions::FromCache(const std::string& token_hash, int64_t now) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(token_hash);
  if (it == cache_.end()) return std::nullopt;
  const Cached& cached = it->second;
  const registry::Session& session = cached.who.session;
  // Stale, expired, or due for a touch of last_seen_at: the store decides (and says why).
  if (now < cached.read_at || now - cached.read_at >= options_.cache_s ||
      now >= session.expires_at || now - session.last_seen_at >= options_.idle_s ||
      now - session.last_seen_at >= options_.touch_interval_s) {
    cache_.erase(it);
    return std::nullopt;
  }
  return cached.who;
}

void Sessions::Remember(const Authenticated& who, int64_t now, uint64_t epoch) {
  if (options_.cache_s <= 0) return;
  std::lock_guard lock(cache_mu_);
  // A revocation or account change since this request read the store: its copy may be stale.
  if (epoch != epoch_) return;
  // Bounded: a flood of sign-ins empties it rather than growing it.
  if (cache_.size() >= 100000) cache_.clear();
  cache_[who.session.token_hash] = Cached{who, now};
}

uint64_t Sessions::Epoch() {
  std::lock_guard lock(cache_mu_);
  return epoch_;
}

void Sessions::Forget(int64_t user_id) {
  std::lock_guard lock(cache_mu_);
  ++epoch_;
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.who.user.id == user_id; });
}

Result<Authenticated> Sessions::Verify(std::string_view token) {
  if (token.empty()) return Unauthenticated("not signed in");
  const std::string token_hash = HashToken(token);
  if (options_.cache_s > 0) {
    if (std::optional<Authenticated> cached = FromCache(token_hash, clock_())) return *cached;
  }
  const uint64_t epoch = Epoch();
  Result<registry::Session> found = store_.GetSession(token_hash);
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
  Remember(who, now, epoch);
  return who;
}

// The cache is cleared after the commit: a request that read the store before it then finds
// the epoch changed and does not cache what it read.
Status Sessions::Revoke(std::string_view token_hash) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(registry::Session session, txn->GetSession(token_hash));
  session.revoked = true;
  IZDE_RETURN_IF_ERROR(txn->UpdateSession(session));
  IZDE_RETURN_IF_ERROR(txn->Commit());
  std::lock_guard lock(cache_mu_);
  ++epoch_;
  cache_.erase(std::string(token_hash));
  return OkStatus();
}

Status Sessions::RevokeAllOf(int64_t user_id) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::Session> sessions, txn->ListSessions(user_id));
  for (registry::Session& session : sessions) {
    if (session.revoked) continue;
    session.revoked = true;
    IZDE_RETURN_IF_ERROR(txn->UpdateSession(session));
  }
  IZDE_RETURN_IF_ERROR(txn->Commit());
  Forget(user_id);
  return OkStatus();
}

}  // namespace izde::auth
