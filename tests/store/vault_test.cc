#include "store/vault.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

namespace fs = std::filesystem;
using ::izde::testing::StatusIs;
using ::testing::HasSubstr;

// Deterministic bytes that look random (xorshift), so that every chunk differs.
std::string Bytes(size_t size, uint64_t seed = 88172645463325252ULL) {
  std::string out(size, '\0');
  uint64_t x = seed;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x & 0xFF);
  }
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.dir = dir_.File("db.vault");
    options_.key_path = dir_.File("db.key");
    ASSERT_OK(CreateVaultKey(options_.key_path));
    auto vault = Vault::Open(options_);
    ASSERT_OK(vault);
    vault_ = std::move(vault).value();
  }

  // Stores `content`, its first bytes as the head (as AddEvidence does).
  registry::EvidenceVault::Stored Put(const std::string& content, size_t head_size = 64) {
    const size_t split = std::min(head_size, content.size());
    std::istringstream rest(content.substr(split));
    auto stored = vault_->Put(std::string_view(content).substr(0, split), rest);
    EXPECT_OK(stored);
    return stored.ok() ? *stored : registry::EvidenceVault::Stored{};
  }

  Result<std::string> Get(const std::string& blob, Vault* vault = nullptr) {
    std::ostringstream out;
    IZDE_ASSIGN_OR_RETURN(auto read, (vault != nullptr ? vault : vault_.get())->Get(blob, out));
    std::string bytes = out.str();
    EXPECT_EQ(read.size, static_cast<int64_t>(bytes.size()));
    return bytes;
  }

  std::string PathOf(const std::string& blob) { return vault_->PathOf(blob).value(); }

  // Files under the vault directory (recursively), to prove nothing was left behind.
  std::vector<std::string> VaultFiles() {
    std::vector<std::string> files;
    if (!fs::exists(options_.dir)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(options_.dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
  }

  ::izde::testing::TempDir dir_;
  VaultOptions options_;
  std::unique_ptr<Vault> vault_;
};

TEST_F(VaultTest, RoundTripsEverySize) {
  const std::vector<size_t> sizes = {0,
                                     1,
                                     63,
                                     64,
                                     65,
                                     kVaultChunkBytes - 1,
                                     kVaultChunkBytes,
                                     kVaultChunkBytes + 1,
                                     2 * kVaultChunkBytes,
                                     3 * 1024 * 1024 + 7};
  for (size_t size : sizes) {
    SCOPED_TRACE(size);
    const std::string content = Bytes(size, size + 1);
    auto stored = Put(content);
    EXPECT_EQ(stored.size, static_cast<int64_t>(size));
    EXPECT_EQ(stored.sha256.size(), 64u);
    ASSERT_OK_AND_ASSIGN(std::string back, Get(stored.blob));
    EXPECT_TRUE(back == content);
    // Magic, header, and one 17-byte tag per chunk (a final, possibly empty, chunk after the
    // full ones).
    const size_t chunks = size / kVaultChunkBytes + 1;
    EXPECT_EQ(fs::file_size(PathOf(stored.blob)), 8 + 24 + size + 17 * chunks);
  }
}

TEST_F(VaultTest, RecordsTheSha256OfThePlaintextAcrossHeadAndRest) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Put("abc", 2).sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Put("", 0).sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(VaultTest, TheFileOnDiskHoldsNoPlaintext) {
  const std::string content = "PRIVATE-" + Bytes(200'000) + "-PRIVATE";
  auto stored = Put(content);
  const std::string on_disk = ReadAll(PathOf(stored.blob));
  EXPECT_EQ(on_disk.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(on_disk.find(content.substr(1000, 32)), std::string::npos);
  EXPECT_EQ(on_disk.substr(0, 8), "IZDEVLT1");
  // Files are readable by their owner only.
  struct stat info {};
  ASSERT_EQ(::stat(PathOf(stored.blob).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(VaultTest, AChangedByteAnywhereIsDataLoss) {
  const std::string content = Bytes(2 * kVaultChunkBytes + 500);
  auto stored = Put(content);
  const std::string path = PathOf(stored.blob);
  const std::string original = ReadAll(path);
  // magic, secretstream header, first chunk, second chunk's tag, last chunk's last byte
  for (size_t offset :
       {size_t{3}, size_t{8 + 5}, size_t{40}, size_t{kVaultChunkBytes + 60}, original.size() - 1}) {
    SCOPED_TRACE(offset);
    std::string tampered = original;
    tampered[offset] = static_cast<char>(tampered[offset] ^ 0x01);
    WriteAll(path, tampered);
    EXPECT_THAT(Get(stored.blob), StatusIs(StatusCode::kDataLoss));
  }
  WriteAll(path, original);
  EXPECT_OK(Get(stored.blob));
}

TEST_F(VaultTest, ATruncatedOrExtendedFileIsDataLoss) {
  const std::string content = Bytes(2 * kVaultChunkBytes + 500);
  auto stored = Put(content);
  const std::string path = PathOf(stored.blob);
  const std::string original = ReadAll(path);
  const size_t full_chunk = kVaultChunkBytes + 17;
  // Cut: the whole final chunk (at a chunk boundary), inside it, one byte, inside the header.
  for (size_t keep : {32 + 2 * full_chunk, 32 + 2 * full_chunk + 100, original.size() - 1,
                      size_t{20}, size_t{0}}) {
    SCOPED_TRACE(keep);
    WriteAll(path, original.substr(0, keep));
    EXPECT_THAT(Get(stored.blob), StatusIs(StatusCode::kDataLoss));
  }
  // Appended bytes join the final chunk as read, which then fails authentication.
  WriteAll(path, original + "x");
  EXPECT_THAT(Get(stored.blob), StatusIs(StatusCode::kDataLoss));
  WriteAll(path, original + original.substr(32));
  EXPECT_THAT(Get(stored.blob), StatusIs(StatusCode::kDataLoss));
  // An exact multiple of the chunk size ends in an empty final chunk; dropping it is caught.
  auto boundary = Put(Bytes(kVaultChunkBytes));
  const std::string boundary_path = PathOf(boundary.blob);
  const std::string whole = ReadAll(boundary_path);
  WriteAll(boundary_path, whole.substr(0, whole.size() - 17));
  EXPECT_THAT(Get(boundary.blob), StatusIs(StatusCode::kDataLoss));
}

TEST_F(VaultTest, AnotherKeyCannotRead) {
  auto stored = Put(Bytes(1000));
  VaultOptions other = options_;
  other.key_path = dir_.File("other.key");
  ASSERT_OK(CreateVaultKey(other.key_path));
  ASSERT_OK_AND_ASSIGN(auto stranger, Vault::Open(other));
  EXPECT_THAT(Get(stored.blob, stranger.get()), StatusIs(StatusCode::kDataLoss));
}

TEST_F(VaultTest, AFileMovedToAnotherNameIsDataLoss) {
  auto first = Put(Bytes(1000, 1));
  auto second = Put(Bytes(1000, 2));
  fs::copy_file(PathOf(first.blob), PathOf(second.blob), fs::copy_options::overwrite_existing);
  EXPECT_THAT(Get(second.blob), StatusIs(StatusCode::kDataLoss));
  EXPECT_OK(Get(first.blob));
}

TEST_F(VaultTest, RefusesFilesOverTheLimitAndLeavesNothing) {
  options_.max_bytes = 1000;
  ASSERT_OK_AND_ASSIGN(auto small, Vault::Open(options_));
  std::istringstream exact(Bytes(1000));
  EXPECT_OK(small->Put("", exact));
  const size_t files = VaultFiles().size();
  std::istringstream over(Bytes(1001));
  EXPECT_THAT(small->Put("", over), StatusIs(StatusCode::kResourceExhausted));
  std::istringstream far_over(Bytes(3 * kVaultChunkBytes));
  auto refused = small->Put("", far_over);
  ASSERT_THAT(refused, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(refused.status().field(), "file");
  EXPECT_EQ(VaultFiles().size(), files);  // no partial file left
}

TEST_F(VaultTest, WritesLeaveNoPartialFiles) {
  for (int count = 0; count < 5; ++count) Put(Bytes(70'000, static_cast<uint64_t>(count + 1)));
  std::vector<std::string> files = VaultFiles();
  EXPECT_EQ(files.size(), 5u);
  for (const std::string& file : files) EXPECT_THAT(file, ::testing::Not(HasSubstr(".partial")));
}

TEST_F(VaultTest, RemoveDeletesAndIsIdempotent) {
  auto stored = Put(Bytes(10));
  EXPECT_OK(vault_->Remove(stored.blob));
  EXPECT_FALSE(fs::exists(PathOf(stored.blob)));
  EXPECT_OK(vault_->Remove(stored.blob));
  EXPECT_THAT(Get(stored.blob), StatusIs(StatusCode::kNotFound));
}

TEST_F(VaultTest, RefusesNamesOutsideTheVault) {
  std::ostringstream out;
  EXPECT_THAT(vault_->Get("../db.key", out), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(vault_->Remove("ab/../../x"), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(vault_->Get("AB/CDEF0123456789ABCDEF0123456789", out),
              StatusIs(StatusCode::kDataLoss));
}

TEST(VaultKeyTest, IsCreatedOnceWithOwnerOnlyMode) {
  ::izde::testing::TempDir dir;
  const std::string key = dir.File("izde.db.key");
  ASSERT_OK(CreateVaultKey(key));
  const std::string first = ReadAll(key);
  EXPECT_THAT(CreateVaultKey(key), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(ReadAll(key), first);  // never overwritten
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_OK(CreateVaultKey(dir.File("second.key")));
  EXPECT_NE(ReadAll(dir.File("second.key")), first);  // random
}

TEST(VaultKeyTest, OpenRefusesAMissingExposedOrBrokenKey) {
  ::izde::testing::TempDir dir;
  VaultOptions options{.dir = dir.File("v"), .key_path = dir.File("missing.key")};
  EXPECT_THAT(Vault::Open(options),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("missing")));
  options.key_path = dir.File("exposed.key");
  ASSERT_OK(CreateVaultKey(options.key_path));
  ASSERT_EQ(::chmod(options.key_path.c_str(), 0644), 0);
  EXPECT_THAT(Vault::Open(options),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("chmod 600")));
  options.key_path = dir.File("broken.key");
  WriteAll(options.key_path, "# comment\nnot a key\n");
  ASSERT_EQ(::chmod(options.key_path.c_str(), 0600), 0);
  EXPECT_THAT(Vault::Open(options), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(VaultPathsTest, SitBesideTheDatabase) {
  EXPECT_EQ(DefaultVaultDir("/data/izde.db"), "/data/izde.db.vault");
  EXPECT_EQ(DefaultVaultKeyPath("/data/izde.db"), "/data/izde.db.key");
  // A PostgreSQL URL names no file: the database's name, in the working directory.
  EXPECT_EQ(DefaultVaultDir("postgresql://u:pw@db.example:5432/coalition?sslmode=require"),
            "coalition.vault");
  EXPECT_EQ(DefaultVaultKeyPath("postgres://u@host/izde"), "izde.key");
  EXPECT_EQ(DefaultVaultKeyPath("postgresql://u@host"), "izde.key");
}

}  // namespace
}  // namespace izde::store
