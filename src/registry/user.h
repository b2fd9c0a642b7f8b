#ifndef IZDE_REGISTRY_USER_H_
#define IZDE_REGISTRY_USER_H_

#include <cstdint>
#include <string>

namespace izde::registry {

// Someone who may sign in to the server. The role is stored as its name ("viewer",
// "editor", "reviewer", "admin"); auth/ gives it meaning, so that the registry stays
// agnostic of who may do what.
struct User {
  int64_t id = 0;    // 0 until stored; shown as "U-000001"
  std::string name;  // unique login name
  std::string role;
  std::string password_hash;  // argon2id string from libsodium; never shown or audited
  bool disabled = false;
  std::string created_at;  // ISO 8601 UTC, set by the store

  friend bool operator==(const User&, const User&) = default;
};

// A signed-in browser or client. Only a hash of the session token is stored, so that a
// copy of the database does not let anyone take over a session. Times are Unix seconds.
struct Session {
  std::string token_hash;  // hex BLAKE2b of the token
  int64_t user_id = 0;
  std::string csrf_token;  // sent back in X-CSRF-Token on state-changing requests
  std::string address;     // client address at sign-in
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t last_seen_at = 0;
  bool revoked = false;

  friend bool operator==(const Session&, const Session&) = default;
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_USER_H_
