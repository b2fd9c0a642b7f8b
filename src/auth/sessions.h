#ifndef IZDE_AUTH_SESSIONS_H_
#define IZDE_AUTH_SESSIONS_H_

#include <cstdint>
#include <string>
#include <string_view>

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

// Creates, verifies and revokes sessions kept in the store.
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

  int64_t Now() const { return clock_(); }

 private:
  registry::Store& store_;
  SessionOptions options_;
  Clock clock_;
};

}  // namespace izde::auth

#endif  // IZDE_AUTH_SESSIONS_H_
