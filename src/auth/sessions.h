#ifndef IZDE_AUTH_SESSIONS_H_
#define IZDE_AUTH_SESSIONS_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/clock.h"
#include "auth/role.h"
#include "core/result.h"
#include "registry/store.h"
#include "registry/user.h"

namespace izde::auth {

struct SessionOptions {
  int64_t lifetime_s = 12 * 3600;  // a session ends this long after sign-in at the latest
  int64_t idle_s = 2 * 3600;       // ... or after this long without a request
  int64_t touch_interval_s = 60;   // last_seen_at is written at most this often
  // A verified session is answered from memory for this long before the store is read
  // again. Revocation, disabling, password and role changes made through this object (the
  // server's) take effect at once; those made by another process (`izde user disable`)
  // within this many seconds. 0 reads the store on every request.
  int64_t cache_s = 2;
};

// A session as handed to the client once: the token goes into the cookie; only its hash
// is stored.
struct NewSession {
  std::string token;
  registry::Session session;
};

// Who a verified session belongs to.
struct Authenticated {
  registry::User user;
  Role role = Role::kAnonymous;
  registry::Session session;
};

// Creates, verifies and revokes sessions kept in the store, with a short-lived cache of
// verified sessions (SessionOptions::cache_s) so that a request does not read the store.
// Thread safety: may be used from several threads (the store serialises writes).
class Sessions {
 public:
  explicit Sessions(registry::Store& store, SessionOptions options = {},
                    Clock clock = SystemClock())
      : store_(store), options_(options), clock_(std::move(clock)) {}

  // A new session for `user` with a random 256-bit token and CSRF token.
  Result<NewSession> Create(const registry::User& user, std::string_view address);

  // The session whose token is `token`. kUnauthenticated when it is unknown, revoked,
  // expired (lifetime or idle), or its user is disabled or has an unknown role.
  Result<Authenticated> Verify(std::string_view token);

  // kNotFound when no session has that hash. Revoking twice is fine.
  Status Revoke(std::string_view token_hash);
  // Revokes every open session of a user (disable, password change).
  Status RevokeAllOf(int64_t user_id);
  // Drops the cached sessions of a user, so that the next request reads the account again
  // (after a change of role, say). Call it after the change is committed.
  void Forget(int64_t user_id);

  int64_t Now() const { return clock_(); }

 private:
  struct Cached {
    Authenticated who;
    int64_t read_at = 0;  // when it was read from the store
  };
  // The cached session of `token_hash` if it is fresh and still open at `now`.
  std::optional<Authenticated> FromCache(const std::string& token_hash, int64_t now);
  void Remember(const Authenticated& who, int64_t now, uint64_t epoch);
  uint64_t Epoch();

  registry::Store& store_;
  SessionOptions options_;
  Clock clock_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;  // GUARDED_BY(cache_mu_), by token hash
  uint64_t epoch_ = 0;  // GUARDED_BY(cache_mu_), bumped by every revocation and Forget
};

}  // namespace izde::auth

#endif  // IZDE_AUTH_SESSIONS_H_
