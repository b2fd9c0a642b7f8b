#ifndef IZDE_AUTH_PASSWORD_H_
#define IZDE_AUTH_PASSWORD_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace izde::auth {

// How much work a password hash costs. kInteractive is libsodium's recommendation for
// logins (about 64 MiB and a tenth of a second); kMinimum exists for tests only.
enum class HashCost { kInteractive, kModerate, kMinimum };

inline constexpr size_t kMinPasswordLength = 10;
inline constexpr size_t kMaxPasswordLength = 1024;

// Initialises libsodium once; safe to call from several threads. kInternal if it cannot.
Status InitCrypto();

// An argon2id hash in libsodium's self-describing string form ("$argon2id$v=19$m=...").
// kInvalidArgument (field "password") for a password shorter than kMinPasswordLength bytes or
// longer than kMaxPasswordLength; kResourceExhausted when the memory cannot be had.
Result<std::string> HashPassword(std::string_view password, HashCost cost = HashCost::kInteractive);

// True when `password` matches `hash`. False for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A random password of 20 characters from an alphabet without look-alikes (no 0/O, 1/l),
// about 100 bits.
std::string GeneratePassword();

// `bytes` random bytes as lowercase hex (tokens).
std::string RandomHex(size_t bytes);

// Hex of a 32-byte BLAKE2b hash: what is stored of a session token.
std::string HashToken(std::string_view token);

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace izde::auth

#endif  // IZDE_AUTH_PASSWORD_H_
