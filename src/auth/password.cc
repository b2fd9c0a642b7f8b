#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <string>

namespace izde::auth {

Status InitCrypto() {
  // sodium_init is itself thread-safe and returns 1 when already initialised.
  if (sodium_init() < 0) return InternalError("libsodium could not be initialised");
  return OkStatus();
}

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
  IZDE_RETURN_IF_ERROR(InitCrypto());
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError(
        "a password needs at least " + std::to_string(kMinPasswordLength) + " characters",
        "password");
  }
  if (password.size() > kMaxPasswordLength) {
    return InvalidArgumentError(
        "a password has at most " + std::to_string(kMaxPasswordLength) + " characters", "password");
  }
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  switch (cost) {
    case HashCost::kInteractive:
      break;
    case HashCost::kModerate:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case HashCost::kMinimum:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      break;
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(StatusCode::kResourceExhausted, "not enough memory to hash the password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitCrypto().ok()) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string GeneratePassword() {
  InitCrypto().IgnoreError();
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
  std::string password;
  for (int char_idx = 0; char_idx < 20; ++char_idx) {
    password += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return password;
}

std::string RandomHex(size_t bytes) {
  InitCrypto().IgnoreError();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

std::string HashToken(std::string_view token) {
  InitCrypto().IgnoreError();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace izde::auth
