// `izde copy` through the real program: a demo registry with evidence, users and linkage,
// SQLite -> PostgreSQL (the throwaway server) -> SQLite, compared table by table and as the
// program shows it; an interrupted copy finished by a second run; a different registry refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/copy.h"
#include "testing/postgres_server.h"
#include "testing/registry_cli_test.h"
#include "testing/run_izde.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class CopyCliTest : public ::izde::testing::RegistryCliTest {
 protected:
  // The registry with every table filled, as these tests copy it.
  void MakeRegistry(const std::string& db, int persons = 40, int seed = 11) {
    RegistryCliTest::MakeRegistry(db, persons, seed, /*with_linkage=*/true);
  }
  std::string Contents(const std::string& db) {
    return RegistryCliTest::Contents(db, /*with_linkage=*/true);
  }
  static std::map<std::string, int64_t> Rows(const std::vector<store::TableDigest>& digests) {
    std::map<std::string, int64_t> rows;
    for (const auto& digest : digests) rows[digest.table] = digest.rows;
    return rows;
  }
};

TEST_F(CopyCliTest, SqliteToPostgresAndBackGivesTheSameRegistry) {
  MakeRegistry("a.db");
  const std::string pg = ::izde::testing::FreshPostgresDatabase();
  ASSERT_FALSE(pg.empty());

  RunResult there = Izde("a.db", {"copy", "--to", pg, "--batch", "7", "--json"});
  ASSERT_EQ(there.exit_code, 0) << there.err << there.out;
  nlohmann::json report = nlohmann::json::parse(there.out);
  EXPECT_TRUE(report["verified"]);
  EXPECT_EQ(report["vault_files"], 1);
  EXPECT_EQ(report["evidence_checked"], 1);
  EXPECT_TRUE(report["key_copied"]);
  EXPECT_TRUE(report["not_copied"].contains("sessions"));
  for (const nlohmann::json& table : report["tables"]) {
    EXPECT_GT(table["source_rows"].get<int64_t>(), 0) << table["table"] << " has no rows to copy";
    EXPECT_EQ(table["copied"], table["source_rows"]) << table["table"];
    EXPECT_EQ(table["source_sha256"], table["target_sha256"]) << table["table"];
  }

  RunResult back = Izde("a.db", {"copy", "--from", pg, "--to", "sqlite:" + dir_.File("b.db")});
  ASSERT_EQ(back.exit_code, 0) << back.err << back.out;
  EXPECT_THAT(back.out, HasSubstr("Verified"));
  EXPECT_THAT(back.out, HasSubstr("sessions         not copied"));

  ASSERT_OK_AND_ASSIGN(auto original, store::DigestRegistry(dir_.File("a.db")));
  ASSERT_OK_AND_ASSIGN(auto returned, store::DigestRegistry(dir_.File("b.db")));
  ASSERT_EQ(original.size(), returned.size());
  for (size_t idx = 0; idx < original.size(); ++idx) {
    EXPECT_EQ(original[idx].rows, returned[idx].rows) << original[idx].table;
    EXPECT_EQ(original[idx].sha256, returned[idx].sha256) << original[idx].table;
  }
  EXPECT_EQ(Contents("a.db"), Contents("b.db"));
  EXPECT_EQ(Contents("a.db"), Contents(pg));

  // The evidence decrypts on both copies, with the key that came along.
  for (const std::string& db : {pg, std::string("b.db")}) {
    const std::string out = dir_.File("out-" + std::to_string(db.size()) + ".jpg");
    RunResult got = Izde(db, {"evidence", "get", "V-000001", "--out", out});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(::izde::testing::ReadWholeFile(out),
              ::izde::testing::ReadWholeFile(dir_.File("photo.jpg")));
  }
  // Sequences moved past the copied ids: new records get new ids on both copies.
  for (const std::string& db : {pg, std::string("b.db")}) {
    RunResult person = Izde(db, {"person", "add", "--name", "Nurlan Amanov", "--json"});
    ASSERT_EQ(person.exit_code, 0) << person.err;
    EXPECT_THAT(person.out, HasSubstr("P-000041")) << db;
    RunResult event = Izde(db, {"event", "add", "--person", "P-000041", "--type", "detained"});
    ASSERT_EQ(event.exit_code, 0) << event.err;
  }
}

TEST_F(CopyCliTest, AnInterruptedCopyIsFinishedByRunningItAgain) {
  MakeRegistry("a.db", 60);
  const std::string pg = ::izde::testing::FreshPostgresDatabase();
  ASSERT_FALSE(pg.empty());
  // The PostgreSQL target's vault goes in the working directory: the test's directory.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_.path());
  store::CopyOptions stopping{.batch_rows = 13, .fail_after_batches = 9};
  Result<store::CopyReport> stopped = store::CopyRegistry(dir_.File("a.db"), pg, stopping);
  EXPECT_THAT(stopped.status(), ::izde::testing::StatusIs(StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(auto partial, store::DigestRegistry(pg));
  ASSERT_OK_AND_ASSIGN(auto source, store::DigestRegistry(dir_.File("a.db")));
  EXPECT_LT(Rows(partial)["person_names"], Rows(source)["person_names"]);
  EXPECT_GT(Rows(partial)["persons"], 0);

  // Stopped once more, later, and then to the end.
  stopping.fail_after_batches = 5;
  EXPECT_THAT(store::CopyRegistry(dir_.File("a.db"), pg, stopping).status(),
              ::izde::testing::StatusIs(StatusCode::kAborted));
  Result<store::CopyReport> finished =
      store::CopyRegistry(dir_.File("a.db"), pg, {.batch_rows = 13});
  fs::current_path(cwd);
  ASSERT_OK(finished.status());
  EXPECT_TRUE(finished->verified()) << finished->problems.front();
  int64_t copied_now = 0;
  for (const store::TableCheck& check : finished->tables) {
    EXPECT_EQ(check.source_rows, check.target_rows) << check.table;
    copied_now += check.copied;
  }
  EXPECT_GT(copied_now, 0);
  EXPECT_LT(copied_now, Rows(source)["persons"] + Rows(source)["person_names"] +
                            Rows(source)["events"] + Rows(source)["audit"]);
  ASSERT_OK_AND_ASSIGN(auto done, store::DigestRegistry(pg));
  for (size_t idx = 0; idx < source.size(); ++idx) {
    EXPECT_EQ(done[idx].sha256, source[idx].sha256) << source[idx].table;
  }
  // A copy run again over a finished one writes nothing and still verifies.
  RunResult again = Izde("a.db", {"copy", "--to", pg, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json again_report = nlohmann::json::parse(again.out);
  EXPECT_TRUE(again_report["verified"]);
  for (const nlohmann::json& table : again_report["tables"]) {
    EXPECT_EQ(table["copied"], 0) << table["table"];
  }
}

TEST_F(CopyCliTest, ADifferentRegistryAtTheTargetIsRefusedAndLeftAsItWas) {
  MakeRegistry("a.db", 20, 11);
  ASSERT_EQ(Izde("other.db", {"init"}).exit_code, 0);
  ASSERT_EQ(Izde("other.db", {"demo", "--persons", "20", "--seed", "12"}).exit_code, 0);
  ASSERT_OK_AND_ASSIGN(auto before, store::DigestRegistry(dir_.File("other.db")));
  RunResult refused = Izde("a.db", {"copy", "--to", dir_.File("other.db")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("different registry"));
  ASSERT_OK_AND_ASSIGN(auto after, store::DigestRegistry(dir_.File("other.db")));
  for (size_t idx = 0; idx < before.size(); ++idx) {
    EXPECT_EQ(before[idx].sha256, after[idx].sha256) << before[idx].table;
  }
  EXPECT_FALSE(fs::exists(dir_.File("other.db.key.before-copy")));
  EXPECT_FALSE(fs::exists(dir_.File("other.db.vault")));
  RunResult same = Izde("a.db", {"copy", "--to", "sqlite:" + dir_.File("a.db")});
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_THAT(same.err, HasSubstr("the same registry"));
}

TEST_F(CopyCliTest, SqliteToSqliteCarriesTheSequenceOfIdsHandedOutBefore) {
  MakeRegistry("a.db", 10);
  // As if persons 11..100 had been added and deleted: their ids are never handed out again.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("a.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "UPDATE sqlite_sequence SET seq = 100 WHERE name = 'persons'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  RunResult copied = Izde("a.db", {"copy", "--to", dir_.File("c.db")});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_THAT(copied.out, HasSubstr("Verified"));
  EXPECT_THAT(copied.out, HasSubstr("persons"));
  EXPECT_EQ(Contents("a.db"), Contents("c.db"));
  RunResult person = Izde("c.db", {"person", "add", "--name", "Nurlan Amanov", "--json"});
  ASSERT_EQ(person.exit_code, 0) << person.err;
  EXPECT_THAT(person.out, HasSubstr("P-000101"));
}

}  // namespace
}  // namespace izde::cli

namespace izde::cli {
namespace {

TEST_F(CopyCliTest, BackupAndRestoreOfAPostgresRegistryGiveTheSameRegistry) {
  MakeRegistry("a.db");
  const std::string pg = ::izde::testing::FreshPostgresDatabase();
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(Izde("a.db", {"copy", "--to", pg}).exit_code, 0);

  RunResult backup = Izde(pg, {"backup", dir_.File("bk"), "--include-key", "--json"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  nlohmann::json manifest = nlohmann::json::parse(backup.out);
  EXPECT_EQ(manifest["rows"]["persons"], 40);
  EXPECT_EQ(manifest["vault_files"], 1);
  EXPECT_TRUE(fs::exists(dir_.File("bk/izde.dump")));
  EXPECT_THAT(::izde::testing::ReadWholeFile(dir_.File("bk/manifest.txt")),
              HasSubstr("backend postgresql\n"));
  RunResult verified = Izde(pg, {"restore", dir_.File("bk"), "--verify-only"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;

  // Into a new, empty database: the same rows, the evidence readable with the key restored.
  const std::string restored_url = ::izde::testing::FreshPostgresDatabase();
  ASSERT_FALSE(restored_url.empty());
  RunResult restore = Izde(restored_url, {"restore", dir_.File("bk"), "--json"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  ASSERT_OK_AND_ASSIGN(auto original, store::DigestRegistry(pg));
  ASSERT_OK_AND_ASSIGN(auto restored, store::DigestRegistry(restored_url));
  ASSERT_EQ(original.size(), restored.size());
  for (size_t idx = 0; idx < original.size(); ++idx) {
    EXPECT_EQ(original[idx].rows, restored[idx].rows) << original[idx].table;
    EXPECT_EQ(original[idx].sha256, restored[idx].sha256) << original[idx].table;
  }
  EXPECT_EQ(Contents(pg), Contents(restored_url));
  RunResult got = Izde(restored_url, {"evidence", "get", "V-000001", "--out", dir_.File("r.jpg")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(::izde::testing::ReadWholeFile(dir_.File("r.jpg")),
            ::izde::testing::ReadWholeFile(dir_.File("photo.jpg")));

  // Not over a registry, not into SQLite, and not from a damaged archive.
  RunResult again = Izde(restored_url, {"restore", dir_.File("bk")});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("exists"));
  RunResult into_sqlite = Izde("c.db", {"restore", dir_.File("bk")});
  EXPECT_EQ(into_sqlite.exit_code, 1);
  EXPECT_THAT(into_sqlite.err, HasSubstr("izde copy"));
  EXPECT_FALSE(fs::exists(dir_.File("c.db")));
  {
    std::fstream dump(dir_.File("bk/izde.dump"), std::ios::in | std::ios::out | std::ios::binary);
    dump.seekp(100);
    dump.put('\x7f');
  }
  RunResult damaged = Izde(pg, {"restore", dir_.File("bk"), "--verify-only"});
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_THAT(damaged.err, HasSubstr("corrupt"));
}

}  // namespace
}  // namespace izde::cli
