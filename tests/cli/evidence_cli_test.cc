// `izde init` (the vault key), `izde evidence add/list/get`, and the public export and
// statistics through the redaction policy, all through the real program.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "registry/store.h"
#include "store/open.h"
#include "testing/run_izde.h"
#include "testing/status_matchers.h"
#include "testing/substring_finder.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;
using ::izde::testing::ReadWholeFile;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class EvidenceCliTest : public ::testing::Test {
 protected:
  RunResult Izde(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("a.db")});
    return RunIzde(dir_, args);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_.File(name), std::ios::binary) << bytes;
    return dir_.File(name);
  }
  void InitWithPerson() {
    RunResult init = Izde({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    ASSERT_EQ(Izde({"person", "add", "--name", "Test Person"}).exit_code, 0);
  }

  ::izde::testing::TempDir dir_;
};

std::string Jpeg(size_t size) {
  std::string out = "\xFF\xD8\xFF\xE0";
  for (size_t idx = 0; out.size() < size; ++idx) out += static_cast<char>(idx * 31 % 251);
  return out;
}

TEST_F(EvidenceCliTest, InitCreatesAPrivateKeyOnceOutsideTheDatabase) {
  RunResult init = Izde({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_THAT(init.out, HasSubstr("a.db.key"));
  const std::string key = dir_.File("a.db.key");
  ASSERT_TRUE(fs::exists(key));
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string first = ReadWholeFile(key);
  ASSERT_EQ(Izde({"init"}).exit_code, 0);  // again: the key stays
  EXPECT_EQ(ReadWholeFile(key), first);
}

TEST_F(EvidenceCliTest, AddListGetRoundTrip) {
  InitWithPerson();
  const std::string content = Jpeg(300'000);
  RunResult added = Izde({"evidence", "add", Write("scan.pdf", content), "--person", "P-000001",
                          "--note", "front page", "--json"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  nlohmann::json record = nlohmann::json::parse(added.out);
  EXPECT_EQ(record["id"], "V-000001");
  EXPECT_EQ(record["media_type"], "image/jpeg");  // the content, not the ".pdf" name
  EXPECT_EQ(record["kind"], "photo");
  EXPECT_EQ(record["size"], 300'000);
  EXPECT_EQ(record["original_name"], "scan.pdf");

  RunResult listed = Izde({"evidence", "list", "P-000001"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("V-000001"));
  EXPECT_THAT(listed.out, HasSubstr("image/jpeg"));

  RunResult got = Izde({"evidence", "get", "V-000001", "--out", dir_.File("copy.jpg")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_TRUE(ReadWholeFile(dir_.File("copy.jpg")) == content);

  // The vault holds no plaintext and the database no file content.
  for (const auto& entry : fs::recursive_directory_iterator(dir_.File("a.db.vault"))) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(ReadWholeFile(entry.path().string()).find(content.substr(5000, 64)),
              std::string::npos);
  }
  EXPECT_EQ(ReadWholeFile(dir_.File("a.db")).find(content.substr(5000, 64)), std::string::npos);

  RunResult history = Izde({"history", "P-000001"});
  EXPECT_THAT(history.out, HasSubstr("evidence.create"));
}

TEST_F(EvidenceCliTest, RefusesUnknownTypesAndOversizedFiles) {
  InitWithPerson();
  RunResult text = Izde(
      {"evidence", "add", Write("photo.jpg", "just text, not a photo"), "--person", "P-000001"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.err, HasSubstr("not a type"));
  RunResult big = Izde({"evidence", "add", Write("big.jpg", Jpeg(2 * 1024 * 1024 + 1)), "--person",
                        "P-000001", "--max-size", "2"});
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_THAT(big.err, HasSubstr("limit"));
  EXPECT_THAT(Izde({"evidence", "list", "P-000001"}).out, HasSubstr("No evidence"));
}

TEST_F(EvidenceCliTest, ATamperedFileIsReportedAndNotWritten) {
  InitWithPerson();
  ASSERT_EQ(
      Izde({"evidence", "add", Write("a.jpg", Jpeg(100'000)), "--person", "P-000001"}).exit_code,
      0);
  for (const auto& entry : fs::recursive_directory_iterator(dir_.File("a.db.vault"))) {
    if (!entry.is_regular_file()) continue;
    std::string bytes = ReadWholeFile(entry.path().string());
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << bytes;
  }
  RunResult got = Izde({"evidence", "get", "V-000001", "--out", dir_.File("copy.jpg")});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_THAT(got.err, HasSubstr("data_loss"));
  EXPECT_FALSE(fs::exists(dir_.File("copy.jpg")));
  EXPECT_FALSE(fs::exists(dir_.File("copy.jpg.partial")));
}

TEST_F(EvidenceCliTest, AMissingKeyIsAClearErrorWhenEvidenceExists) {
  InitWithPerson();
  ASSERT_EQ(Izde({"evidence", "add", Write("a.jpg", Jpeg(1000)), "--person", "P-000001"}).exit_code,
            0);
  fs::rename(dir_.File("a.db.key"), dir_.File("elsewhere.key"));
  RunResult got = Izde({"evidence", "get", "V-000001", "--out", dir_.File("copy.jpg")});
  EXPECT_EQ(got.exit_code, 1);
  EXPECT_THAT(got.err, HasSubstr("holds 1 evidence files"));
  EXPECT_THAT(got.err, HasSubstr("a.db.key"));
  EXPECT_THAT(got.err, HasSubstr("backup"));
  RunResult add = Izde({"evidence", "add", Write("b.jpg", Jpeg(1000)), "--person", "P-000001"});
  EXPECT_EQ(add.exit_code, 1);
  // With the key restored from the "backup", the evidence reads again.
  fs::rename(dir_.File("elsewhere.key"), dir_.File("a.db.key"));
  EXPECT_EQ(Izde({"evidence", "get", "V-000001", "--out", dir_.File("copy.jpg")}).exit_code, 0);
}

// The CLI's public export and statistics go through the redaction policy: over a demo
// database, none of the private values appears.
TEST_F(EvidenceCliTest, PublicExportAndStatsOfTheDemoDatabase) {
  ASSERT_EQ(Izde({"init"}).exit_code, 0);
  ASSERT_EQ(Izde({"demo", "--persons", "400", "--seed", "3"}).exit_code, 0);
  auto opened = store::OpenStore(dir_.File("a.db"), {});
  ASSERT_OK(opened);
  registry::Store& store = **opened;
  std::vector<std::string> secrets;
  int64_t public_persons = 0;
  ASSERT_OK(
      store.ScanPersons([&](const registry::Person& person, const std::vector<registry::Event>&) {
        if (person.privacy == registry::Privacy::kPublic) ++public_persons;
        if (!person.prc_id.empty()) secrets.push_back(person.prc_id);
        if (person.privacy != registry::Privacy::kPublic) secrets.push_back(person.public_id());
        return OkStatus();
      }));
  ASSERT_OK(store.ScanTestimonies([&](const registry::Testimony& testimony) {
    secrets.push_back(testimony.testifier_contact);
    return OkStatus();
  }));
  ASSERT_GT(secrets.size(), 300u);
  ::izde::testing::SubstringFinder finder(secrets);
  std::string all;
  for (const char* kind : {"persons", "testimonies", "events"}) {
    for (const char* format : {"csv", "jsonl"}) {
      RunResult exported = Izde({"export", kind, "--public", "--format", format});
      ASSERT_EQ(exported.exit_code, 0) << exported.err;
      all += exported.out;
    }
  }
  EXPECT_THAT(finder.FindIn(all), IsEmpty());
  RunResult full = Izde({"export", "testimonies"});
  EXPECT_FALSE(finder.FindIn(full.out).empty());  // the search works

  nlohmann::json stats = nlohmann::json::parse(Izde({"stats", "--public", "--json"}).out);
  EXPECT_EQ(stats["persons"], public_persons);
  nlohmann::json all_stats = nlohmann::json::parse(Izde({"stats", "--json"}).out);
  EXPECT_EQ(all_stats["persons"], 400);
}

}  // namespace
}  // namespace izde::cli
