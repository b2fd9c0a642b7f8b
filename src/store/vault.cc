#include "store/vault.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace izde::store {
namespace {

constexpr std::string_view kMagic = "IZDEVLT1";
constexpr size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kABytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr size_t kBlobRandomBytes = 16;
constexpr std::string_view kKeyComment =
    "# izde evidence vault key. Keep a copy apart from the database: without it the "
    "evidence cannot be read.";

static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32);

Status SodiumReady() {
  if (sodium_init() < 0) return InternalError("libsodium failed to initialise");
  return OkStatus();
}

std::string ErrnoText() { return std::strerror(errno); }

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error a deferred write may only show here.
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool WriteAll(int fd, const unsigned char* data, size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

// Reads until `size` bytes or the end of the file; returns how many, or -1 on error.
ssize_t ReadFull(int fd, unsigned char* data, size_t size) {
  size_t got = 0;
  while (got < size) {
    const ssize_t read = ::read(fd, data + got, size - got);
    if (read < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (read == 0) break;
    got += static_cast<size_t>(read);
  }
  return static_cast<ssize_t>(got);
}

Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return OkStatus();
  return UnavailableError(fmt::format("cannot create '{}': {}", path, ErrnoText()));
}

// Makes a rename durable: the directory entry must reach the disk too.
void SyncDir(const std::string& path) {
  Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY));
  if (dir.get() >= 0) ::fsync(dir.get());
}

std::string Hex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

// "ab/cdef...": 32 lower-case hex digits with a slash after the second. Anything else (a
// database edited to point outside the vault) is refused.
bool ValidBlob(std::string_view blob) {
  if (blob.size() != kBlobRandomBytes * 2 + 1 || blob[2] != '/') return false;
  for (size_t pos = 0; pos < blob.size(); ++pos) {
    if (pos == 2) continue;
    const char c = blob[pos];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Supplies the plaintext: first `head`, then what `rest` holds.
class Source {
 public:
  Source(std::string_view head, std::istream& rest) : head_(head), rest_(rest) {}

  // Fills up to `size` bytes; returns how many (fewer only at the end).
  Result<size_t> Read(unsigned char* data, size_t size) {
    size_t got = 0;
    if (!head_.empty()) {
      got = std::min(size, head_.size());
      std::memcpy(data, head_.data(), got);
      head_.remove_prefix(got);
    }
    while (got < size && rest_.good()) {
      rest_.read(reinterpret_cast<char*>(data + got), static_cast<std::streamsize>(size - got));
      got += static_cast<size_t>(rest_.gcount());
    }
    if (rest_.bad()) return UnavailableError("cannot read the file");
    return got;
  }

 private:
  std::string_view head_;
  std::istream& rest_;
};

}  // namespace

namespace {
// A PostgreSQL URL names no file: its vault goes in the working directory under the
// database's name ("postgresql://u@h:5432/izde?x=y" -> "izde"); docs/postgres.md.
std::string VaultBase(std::string_view db_path) {
  if (!db_path.starts_with("postgresql://") && !db_path.starts_with("postgres://")) {
    return std::string(db_path);
  }
  db_path = db_path.substr(0, db_path.find('?'));
  size_t slash = db_path.rfind('/');
  std::string_view name = db_path.substr(slash + 1);
  if (slash < db_path.find("://") + 3 || name.empty()) return "izde";
  return std::string(name);
}
}  // namespace

std::string DefaultVaultDir(std::string_view db_path) { return VaultBase(db_path) + ".vault"; }
std::string DefaultVaultKeyPath(std::string_view db_path) { return VaultBase(db_path) + ".key"; }

Status CreateVaultKey(const std::string& key_path) {
  IZDE_RETURN_IF_ERROR(SodiumReady());
  // O_EXCL: never replace a key, whatever happens between a check and the write.
  Fd fd(::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) return AlreadyExistsError(fmt::format("'{}' exists", key_path));
    return UnavailableError(fmt::format("cannot create '{}': {}", key_path, ErrnoText()));
  }
  std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES> key{};
  crypto_secretstream_xchacha20poly1305_keygen(key.data());
  std::string text = std::string(kKeyComment) + "\n" + Hex(key.data(), key.size()) + "\n";
  sodium_memzero(key.data(), key.size());
  const bool ok =
      WriteAll(fd.get(), reinterpret_cast<const unsigned char*>(text.data()), text.size()) &&
      ::fsync(fd.get()) == 0;
  sodium_memzero(text.data(), text.size());
  if (!fd.Close() || !ok) {
    ::unlink(key_path.c_str());
    return UnavailableError(fmt::format("cannot write '{}'", key_path));
  }
  return OkStatus();
}

Result<std::unique_ptr<Vault>> Vault::Open(const VaultOptions& options) {
  IZDE_RETURN_IF_ERROR(SodiumReady());
  struct stat info {};
  if (::stat(options.key_path.c_str(), &info) != 0) {
    return FailedPreconditionError(fmt::format(
        "the evidence vault key '{}' is missing ({}); `izde init` creates one for a new "
        "registry, or restore it from your backup",
        options.key_path, ErrnoText()));
  }
  if ((info.st_mode & 077) != 0) {
    return FailedPreconditionError(fmt::format(
        "the evidence vault key '{}' may be read by other users (mode {:o}); run chmod 600 on it",
        options.key_path, info.st_mode & 0777));
  }
  std::ifstream in(options.key_path);
  std::string line;
  std::string hex;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    hex = line;
    break;
  }
  std::unique_ptr<Vault> vault(new Vault(options));
  size_t size = 0;
  if (hex.size() != vault->key_.size() * 2 ||
      sodium_hex2bin(vault->key_.data(), vault->key_.size(), hex.data(), hex.size(), nullptr, &size,
                     nullptr) != 0 ||
      size != vault->key_.size()) {
    sodium_memzero(hex.data(), hex.size());
    return FailedPreconditionError(
        fmt::format("'{}' does not hold an evidence vault key (64 hex digits)", options.key_path));
  }
  sodium_memzero(hex.data(), hex.size());
  return vault;
}

Vault::~Vault() { sodium_memzero(key_.data(), key_.size()); }

Result<std::string> Vault::PathOf(std::string_view blob) const {
  if (!ValidBlob(blob)) {
    return DataLossError(fmt::format("'{}' is not the name of a vault file", blob));
  }
  return options_.dir + "/" + std::string(blob);
}

Result<registry::EvidenceVault::Stored> Vault::Put(std::string_view head, std::istream& rest) {
  std::array<unsigned char, kBlobRandomBytes> name{};
  randombytes_buf(name.data(), name.size());
  const std::string hex = Hex(name.data(), name.size());
  Stored stored;
  stored.blob = hex.substr(0, 2) + "/" + hex.substr(2);
  IZDE_RETURN_IF_ERROR(MakeDir(options_.dir));
  IZDE_RETURN_IF_ERROR(MakeDir(options_.dir + "/" + hex.substr(0, 2)));
  IZDE_ASSIGN_OR_RETURN(const std::string path, PathOf(stored.blob));
  // Written under a temporary name and renamed: a crash leaves a ".partial" file, never a
  // half-written file under a name the database could refer to.
  const std::string partial = path + ".partial";
  Fd fd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return UnavailableError(fmt::format("cannot create '{}': {}", partial, ErrnoText()));
  }
  auto fail = [&](Status status) {
    ::unlink(partial.c_str());
    return status;
  };

  crypto_secretstream_xchacha20poly1305_state state;
  std::array<unsigned char, kHeaderBytes> header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state, header.data(), key_.data());
  if (!WriteAll(fd.get(), reinterpret_cast<const unsigned char*>(kMagic.data()), kMagic.size()) ||
      !WriteAll(fd.get(), header.data(), header.size())) {
    return fail(UnavailableError(fmt::format("cannot write '{}': {}", partial, ErrnoText())));
  }
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  Source source(head, rest);
  std::vector<unsigned char> plain(kVaultChunkBytes);
  std::vector<unsigned char> cipher(kVaultChunkBytes + kABytes);
  const auto* ad = reinterpret_cast<const unsigned char*>(stored.blob.data());
  for (;;) {
    Result<size_t> got = source.Read(plain.data(), plain.size());
    if (!got.ok()) return fail(got.status());
    stored.size += static_cast<int64_t>(*got);
    if (stored.size > options_.max_bytes) {
      return fail(Status(StatusCode::kResourceExhausted,
                         fmt::format("the file is larger than the limit of {} bytes ({} MiB)",
                                     options_.max_bytes, options_.max_bytes / (1024 * 1024)),
                         "file"));
    }
    crypto_hash_sha256_update(&sha, plain.data(), *got);
    // A short read is the end; a full one may be followed by nothing, which then gets an
    // empty final chunk.
    const bool last = *got < plain.size();
    unsigned long long cipher_size = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state, cipher.data(), &cipher_size, plain.data(), *got, ad, stored.blob.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    if (!WriteAll(fd.get(), cipher.data(), static_cast<size_t>(cipher_size))) {
      return fail(UnavailableError(fmt::format("cannot write '{}': {}", partial, ErrnoText())));
    }
    if (last) break;
  }
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(&state, sizeof state);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&sha, digest.data());
  stored.sha256 = Hex(digest.data(), digest.size());

  if (::fsync(fd.get()) != 0 || !fd.Close()) {
    return fail(UnavailableError(fmt::format("cannot write '{}': {}", partial, ErrnoText())));
  }
  if (::rename(partial.c_str(), path.c_str()) != 0) {
    return fail(UnavailableError(fmt::format("cannot rename '{}': {}", partial, ErrnoText())));
  }
  SyncDir(options_.dir + "/" + hex.substr(0, 2));
  return stored;
}

Result<registry::EvidenceVault::Stored> Vault::Get(std::string_view blob, std::ostream& out) {
  IZDE_ASSIGN_OR_RETURN(const std::string path, PathOf(blob));
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFoundError(fmt::format("the vault has no file '{}'", path));
    return UnavailableError(fmt::format("cannot open '{}': {}", path, ErrnoText()));
  }
  auto damaged = [&](std::string_view what) {
    return DataLossError(
        fmt::format("the vault file '{}' {}: it was altered, damaged, or written under another key",
                    path, what));
  };
  std::array<unsigned char, kMagic.size() + kHeaderBytes> start{};
  const ssize_t start_size = ReadFull(fd.get(), start.data(), start.size());
  if (start_size < 0) return UnavailableError(fmt::format("cannot read '{}'", path));
  if (static_cast<size_t>(start_size) != start.size() ||
      std::memcmp(start.data(), kMagic.data(), kMagic.size()) != 0) {
    return damaged("does not start as a vault file");
  }
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, start.data() + kMagic.size(),
                                                      key_.data()) != 0) {
    return damaged("has a bad header");
  }
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  Stored read;
  read.blob = std::string(blob);
  std::vector<unsigned char> cipher(kVaultChunkBytes + kABytes);
  std::vector<unsigned char> plain(kVaultChunkBytes);
  const auto* ad = reinterpret_cast<const unsigned char*>(blob.data());
  for (;;) {
    const ssize_t got = ReadFull(fd.get(), cipher.data(), cipher.size());
    if (got < 0) return UnavailableError(fmt::format("cannot read '{}'", path));
    if (static_cast<size_t>(got) < kABytes) return damaged("ends before its last chunk");
    unsigned long long plain_size = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, plain.data(), &plain_size, &tag,
                                                   cipher.data(), static_cast<size_t>(got), ad,
                                                   blob.size()) != 0) {
      return damaged(fmt::format("fails authentication at byte {}",
                                 read.size + static_cast<int64_t>(kMagic.size() + kHeaderBytes)));
    }
    crypto_hash_sha256_update(&sha, plain.data(), plain_size);
    out.write(reinterpret_cast<const char*>(plain.data()),
              static_cast<std::streamsize>(plain_size));
    if (!out) return UnavailableError("cannot write the decrypted file");
    read.size += static_cast<int64_t>(plain_size);
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) break;
    // Only the final chunk may be short: a short chunk without the final tag is a
    // truncated file (and would fail authentication anyway).
    if (static_cast<size_t>(got) < cipher.size()) return damaged("ends before its last chunk");
  }
  sodium_memzero(plain.data(), plain.size());
  unsigned char extra = 0;
  if (ReadFull(fd.get(), &extra, 1) != 0) return damaged("goes on after its last chunk");
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&sha, digest.data());
  read.sha256 = Hex(digest.data(), digest.size());
  return read;
}

Status Vault::Remove(std::string_view blob) {
  IZDE_ASSIGN_OR_RETURN(const std::string path, PathOf(blob));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return UnavailableError(fmt::format("cannot delete '{}': {}", path, ErrnoText()));
  }
  return OkStatus();
}

}  // namespace izde::store
