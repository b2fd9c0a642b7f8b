#ifndef IZDE_STORE_VAULT_H_
#define IZDE_STORE_VAULT_H_

// The evidence vault: each evidence file encrypted at rest in a directory beside the
// database, under a key kept in a file of its own (never in the database, so that a copy of
// the database alone reveals no evidence). docs/evidence.md describes the format for users.
//
// Layout: <database>.vault/ab/cdef0123...   (16 random bytes in hex; the first two digits
// name the subdirectory). Each file is
//   "IZDEVLT1"                                   8 bytes: magic and format version
//   secretstream header                          24 bytes
//   chunks                                       libsodium crypto_secretstream_xchacha20poly1305
// Every chunk but the last holds exactly kVaultChunkBytes of plaintext (plus 17 bytes of
// tag and MAC); the last holds 0..kVaultChunkBytes and carries TAG_FINAL. Each chunk is
// authenticated with the file's name as additional data, so a file moved to another name,
// altered, truncated (no final chunk) or extended (bytes after it) fails to decrypt.
//
// Key file: <database>.key, mode 0600, a comment line and 64 hex digits (32 random bytes).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "registry/evidence.h"

namespace izde::store {

inline constexpr size_t kVaultChunkBytes = 64 * 1024;
inline constexpr int64_t kDefaultEvidenceLimitBytes = int64_t{100} * 1024 * 1024;

struct VaultOptions {
  std::string dir;       // created (mode 0700) when the first file is stored
  std::string key_path;  // must exist: CreateVaultKey makes it
  int64_t max_bytes = kDefaultEvidenceLimitBytes;  // largest file Put accepts
};

// Where a database's vault and key live by default: "<db>.vault" and "<db>.key".
std::string DefaultVaultDir(std::string_view db_path);
std::string DefaultVaultKeyPath(std::string_view db_path);

// Writes a new random key to `key_path` with mode 0600. kAlreadyExists when there is a file
// (a key is never overwritten: that would lose every file stored under it); kUnavailable
// when it cannot be written.
Status CreateVaultKey(const std::string& key_path);

// Thread safety: Put, Get and Remove may run concurrently; each file is written to a
// temporary name and renamed into place, so readers never see a partial file.
class Vault final : public registry::EvidenceVault {
 public:
  // Reads the key. kFailedPrecondition when the key file is missing, is readable by others
  // than its owner, or does not hold a key.
  static Result<std::unique_ptr<Vault>> Open(const VaultOptions& options);
  ~Vault() override;
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;

  Result<Stored> Put(std::string_view head, std::istream& rest) override;
  Result<Stored> Get(std::string_view blob, std::ostream& out) override;
  Status Remove(std::string_view blob) override;

  // The path of a stored file (for tests and backups).
  Result<std::string> PathOf(std::string_view blob) const;
  const VaultOptions& options() const { return options_; }

 private:
  explicit Vault(VaultOptions options) : options_(std::move(options)) {}

  VaultOptions options_;
  std::array<unsigned char, 32> key_{};
};

}  // namespace izde::store

#endif  // IZDE_STORE_VAULT_H_
