// `izde demo`, `import` and `export` through the real program.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::ReadWholeFile;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;
using ::testing::Not;

class DataCliTest : public ::testing::Test {
 protected:
  RunResult Izde(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File(db)});
    return RunIzde(dir_, args);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name), std::ios::binary) << text;
  }
  int64_t Persons(const std::string& db) {
    RunResult stats = Izde(db, {"stats", "--json"});
    return nlohmann::json::parse(stats.out)["persons"].get<int64_t>();
  }

  ::izde::testing::TempDir dir_;
};

TEST_F(DataCliTest, BadRowsAreListedAsFileLineFieldAndNothingIsWritten) {
  ASSERT_EQ(Izde("a.db", {"init"}).exit_code, 0);
  Write("persons.csv",
        "external_id,name,gender,birth_date,ethnicity,hometown,status\n"
        "x1,Nurlan Bolatuly,male,1974,kazakh,Ghulja,detained\n"
        "x2,Aigul Kasymova,female,1974-13,kazakh,Ghulja,\n"
        "x3,Erlan,martian,1980,kazakh,,\n");
  RunResult result = Izde("a.db", {"import", "persons", dir_.File("persons.csv")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("persons.csv:3: field 'birth_date': month 13 out of range"));
  EXPECT_THAT(result.err, HasSubstr("persons.csv:4: field 'gender'"));
  EXPECT_THAT(result.out, Not(HasSubstr("Imported")));
  EXPECT_EQ(Persons("a.db"), 0);

  RunResult dry = Izde("a.db", {"import", "persons", dir_.File("persons.csv"), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 1);
  EXPECT_EQ(Persons("a.db"), 0);

  RunResult skipped =
      Izde("a.db", {"import", "persons", dir_.File("persons.csv"), "--skip-bad"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(Persons("a.db"), 1);
  std::string rejects = ReadWholeFile(dir_.File("persons.rejects.csv"));
  EXPECT_THAT(rejects, HasSubstr("Aigul Kasymova"));
  EXPECT_THAT(rejects, HasSubstr("month 13 out of range"));
  nlohmann::json shown =
      nlohmann::json::parse(Izde("a.db", {"person", "show", "x1", "--json"}).out);
  EXPECT_EQ(shown["status"], "detained");
  EXPECT_EQ(shown["person"]["hometown_code"], "654002");
}

TEST_F(DataCliTest, DemoIsDeterministicAndExportReimportsLosslessly) {
  for (const char* db : {"one.db", "two.db"}) {
    ASSERT_EQ(Izde(db, {"init"}).exit_code, 0);
    RunResult demo = Izde(db, {"demo", "--persons", "60", "--seed", "7"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }
  for (const char* kind : {"persons", "testimonies", "events"}) {
    RunResult one = Izde("one.db", {"export", kind});
    RunResult two = Izde("two.db", {"export", kind});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(one.out, two.out) << kind;  // same seed, same data
    ASSERT_GT(one.out.size(), 100u);
  }
  // A full export imports into an empty registry and exports back byte for byte.
  ASSERT_EQ(Izde("copy.db", {"init"}).exit_code, 0);
  for (const char* kind : {"persons", "testimonies", "events"}) {
    std::string file = dir_.File(std::string(kind) + ".jsonl");
    ASSERT_EQ(Izde("one.db", {"export", kind, "--format", "jsonl", "--out", file}).exit_code, 0);
    RunResult imported = Izde("copy.db", {"import", kind, file});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  for (const char* kind : {"persons", "testimonies", "events"}) {
    EXPECT_EQ(Izde("one.db", {"export", kind}).out, Izde("copy.db", {"export", kind}).out)
        << kind;
  }
}

TEST_F(DataCliTest, DemoCsvIsAnImportFileWithOneStatusEventPerPersonThatHasOne) {
  RunResult written = RunIzde(dir_, {"demo", "--persons", "300", "--seed", "3", "--csv",
                                     dir_.File("demo.csv")});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("izde.db")));  // no database touched
  ASSERT_EQ(Izde("a.db", {"init"}).exit_code, 0);
  RunResult imported = Izde("a.db", {"import", "persons", dir_.File("demo.csv"), "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  nlohmann::json report = nlohmann::json::parse(imported.out);
  EXPECT_EQ(report["imported"], 300);
  EXPECT_GT(report["events_created"].get<int64_t>(), 250);
  EXPECT_LE(report["events_created"].get<int64_t>(), 300);
  nlohmann::json stats = nlohmann::json::parse(Izde("a.db", {"stats", "--json"}).out);
  EXPECT_EQ(stats["persons"], 300);
  EXPECT_GT(stats["by_ethnicity"]["kazakh"].get<int64_t>(), 100);
}

TEST_F(DataCliTest, PublicExportHoldsNoPrivateField) {
  ASSERT_EQ(Izde("a.db", {"init"}).exit_code, 0);
  ASSERT_EQ(Izde("a.db", {"person", "add", "--name", "Public Person", "--privacy", "public",
                          "--notes", "SECRET-NOTE", "--prc-id", "654002197404120017"})
                .exit_code,
            0);
  ASSERT_EQ(Izde("a.db", {"person", "add", "--name", "Hidden Person", "--privacy",
                          "restricted"})
                .exit_code,
            0);
  ASSERT_EQ(Izde("a.db", {"testimony", "add", "--person", "P-000001:son", "--testifier",
                          "SECRET-TESTIFIER", "--contact", "SECRET-CONTACT", "--consent",
                          "publish", "--summary", "published summary"})
                .exit_code,
            0);
  for (const char* kind : {"persons", "testimonies", "events"}) {
    RunResult result = Izde("a.db", {"export", kind, "--public"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, Not(HasSubstr("SECRET"))) << kind;
    EXPECT_THAT(result.out, Not(HasSubstr("654002197404120017"))) << kind;
    EXPECT_THAT(result.out, Not(HasSubstr("Hidden Person"))) << kind;
  }
  EXPECT_THAT(Izde("a.db", {"export", "persons", "--public"}).out, HasSubstr("Public Person"));
  EXPECT_THAT(Izde("a.db", {"export", "testimonies", "--public"}).out,
              HasSubstr("published summary"));
}

}  // namespace
}  // namespace izde::cli
