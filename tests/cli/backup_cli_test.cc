// `izde backup` and `izde restore` through the real program, on real SQLite files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/registry_cli_test.h"
#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;
using ::izde::testing::ReadWholeFile;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

using BackupCliTest = ::izde::testing::RegistryCliTest;

TEST_F(BackupCliTest, RestoreIntoANewPathGivesTheSameRegistry) {
  MakeRegistry("a.db");
  RunResult backup = Izde("a.db", {"backup", dir_.File("bk"), "--include-key", "--json"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  nlohmann::json manifest = nlohmann::json::parse(backup.out);
  EXPECT_EQ(manifest["rows"]["persons"], 40);
  EXPECT_EQ(manifest["vault_files"], 1);
  EXPECT_TRUE(fs::exists(dir_.File("bk/manifest.txt")));
  EXPECT_FALSE(fs::exists(dir_.File("bk.partial")));

  RunResult restore = Izde("b.db", {"restore", dir_.File("bk"), "--json"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(nlohmann::json::parse(restore.out)["rows"], manifest["rows"]);
  EXPECT_FALSE(fs::exists(dir_.File("b.db.restore-partial")));

  const std::string original = Contents("a.db");
  EXPECT_THAT(original, HasSubstr("released"));
  EXPECT_EQ(Contents("b.db"), original);
  // The evidence decrypts from the restored vault with the restored key.
  RunResult got = Izde("b.db", {"evidence", "get", "V-000001", "--out", dir_.File("back.jpg")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(ReadWholeFile(dir_.File("back.jpg")), ReadWholeFile(dir_.File("photo.jpg")));
}

TEST_F(BackupCliTest, RestoreOverAnExistingRegistryNeedsForce) {
  MakeRegistry("a.db");
  ASSERT_EQ(Izde("a.db", {"backup", dir_.File("bk")}).exit_code, 0);
  ASSERT_EQ(Izde("b.db", {"init"}).exit_code, 0);
  ASSERT_EQ(Izde("b.db", {"person", "add", "--name", "Other Person"}).exit_code, 0);
  const std::string before = ReadWholeFile(dir_.File("b.db"));
  const std::string persons_before = Izde("b.db", {"export", "persons"}).out;
  ASSERT_THAT(persons_before, HasSubstr("Other Person"));

  RunResult refused = Izde("b.db", {"restore", dir_.File("bk")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--force"));
  EXPECT_EQ(ReadWholeFile(dir_.File("b.db")), before);
  EXPECT_EQ(Izde("b.db", {"export", "persons"}).out, persons_before);
  EXPECT_FALSE(fs::exists(dir_.File("b.db.restore-partial")));

  RunResult forced = Izde("b.db", {"restore", dir_.File("bk"), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  // Without --include-key the key stays where it was: the old one of b.db, which the
  // evidence list does not need.
  EXPECT_EQ(Contents("b.db"), Contents("a.db"));
}

TEST_F(BackupCliTest, ACorruptedBackupIsRefusedAndNothingIsWritten) {
  MakeRegistry("a.db");
  ASSERT_EQ(Izde("a.db", {"backup", dir_.File("bk")}).exit_code, 0);
  ASSERT_EQ(Izde("a.db", {"restore", dir_.File("bk"), "--verify-only"}).exit_code, 0);
  {
    // One byte changed in the middle of the database copy.
    std::fstream file(dir_.File("bk/izde.db"), std::ios::binary | std::ios::in | std::ios::out);
    const auto size = static_cast<std::streamoff>(fs::file_size(dir_.File("bk/izde.db")));
    file.seekg(size / 2);
    char byte = 0;
    file.get(byte);
    file.seekp(size / 2);
    file.put(static_cast<char>(byte ^ 0x20));
  }
  RunResult verify = Izde("a.db", {"restore", dir_.File("bk"), "--verify-only"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.err, HasSubstr("sha256"));
  RunResult restore = Izde("c.db", {"restore", dir_.File("bk")});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_THAT(restore.err, HasSubstr("corrupt"));
  EXPECT_FALSE(fs::exists(dir_.File("c.db")));
  EXPECT_FALSE(fs::exists(dir_.File("c.db.restore-partial")));
  EXPECT_FALSE(fs::exists(dir_.File("c.db.vault")));
}

TEST_F(BackupCliTest, AManifestWhoseCountsDisagreeIsRefused) {
  MakeRegistry("a.db");
  ASSERT_EQ(Izde("a.db", {"backup", dir_.File("bk")}).exit_code, 0);
  std::string manifest = ReadWholeFile(dir_.File("bk/manifest.txt"));
  const size_t at = manifest.find("rows persons 40\n");
  ASSERT_NE(at, std::string::npos) << manifest;
  manifest.replace(at, 16, "rows persons 41\n");
  std::ofstream(dir_.File("bk/manifest.txt"), std::ios::binary | std::ios::trunc) << manifest;
  RunResult restore = Izde("c.db", {"restore", dir_.File("bk")});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_THAT(restore.err, HasSubstr("table persons: 40 rows, the manifest says 41"));
  EXPECT_FALSE(fs::exists(dir_.File("c.db")));
}

TEST_F(BackupCliTest, BackupRefusesAnExistingDirectoryAndLeavesNothingOnFailure) {
  MakeRegistry("a.db");
  fs::create_directory(dir_.File("taken"));
  RunResult taken = Izde("a.db", {"backup", dir_.File("taken")});
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_THAT(taken.err, HasSubstr("exists"));
  EXPECT_TRUE(fs::is_empty(dir_.File("taken")));

  // A PostgreSQL server that is not there (port 1): an error, and no directory left behind.
  RunResult postgres =
      RunIzde(dir_, {"--db", "postgresql://izde@127.0.0.1:1/izde", "backup", dir_.File("pg")});
  EXPECT_EQ(postgres.exit_code, 1);
  EXPECT_THAT(postgres.err, HasSubstr("postgresql"));
  EXPECT_FALSE(fs::exists(dir_.File("pg")));
  EXPECT_FALSE(fs::exists(dir_.File("pg.partial")));
}

TEST_F(BackupCliTest, BackupWhileAnotherProcessWritesIsConsistent) {
  MakeRegistry("a.db");
  // A writer adds persons in the background (one transaction per batch) while backups run.
  const std::string binary =
      std::getenv("IZDE_BINARY") != nullptr ? std::getenv("IZDE_BINARY") : IZDE_DEFAULT_BINARY;
  const std::string writer = ::izde::testing::ShellQuote(binary) + " --db " +
                             ::izde::testing::ShellQuote(dir_.File("a.db")) +
                             " demo --persons 3000 --seed 5 >/dev/null 2>&1 & echo $! > " +
                             ::izde::testing::ShellQuote(dir_.File("writer.pid"));
  ASSERT_EQ(std::system(writer.c_str()), 0);
  for (int round = 0; round < 3; ++round) {
    const std::string out = dir_.File("bk" + std::to_string(round));
    RunResult backup = Izde("a.db", {"backup", out});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    RunResult verify = Izde("a.db", {"restore", out, "--verify-only"});
    EXPECT_EQ(verify.exit_code, 0) << verify.err;
  }
  ASSERT_EQ(
      std::system(("while kill -0 $(cat " + ::izde::testing::ShellQuote(dir_.File("writer.pid")) +
                   ") 2>/dev/null; do sleep 0.1; done")
                      .c_str()),
      0);
  RunResult restore = Izde("r.db", {"restore", dir_.File("bk2")});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(Izde("r.db", {"stats", "--json"}).exit_code, 0);
}

}  // namespace
}  // namespace izde::cli
