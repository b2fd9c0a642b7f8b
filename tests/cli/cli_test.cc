// Drives the real `izde` program on real database files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class CliTest : public ::testing::Test {
 protected:
  RunResult Izde(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("cli.db")});
    return RunIzde(dir_, args);
  }

  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult result = Izde(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out, nullptr, false);
  }

  ::izde::testing::TempDir dir_;
};

TEST_F(CliTest, CommandsRefuseAMissingDatabaseInsteadOfCreatingOne) {
  RunResult result = Izde({"stats"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("izde init"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("cli.db")));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Izde({}).exit_code, 2);
  EXPECT_EQ(Izde({"person", "add"}).exit_code, 2);  // --name is required
  EXPECT_EQ(Izde({"--help"}).exit_code, 0);
}

TEST_F(CliTest, DefaultDatabaseComesFromTheEnvironment) {
  // Without --db: $IZDE_DB, else ./izde.db in the working directory.
  RunResult result = RunIzde(dir_, {"init"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("izde.db")));
}

TEST_F(CliTest, VolunteerRecordsAPersonEventAndTestimonyThenReadsTheHistory) {
  ASSERT_EQ(Izde({"init"}).exit_code, 0);
  nlohmann::json added =
      Json({"person", "add", "--name", "Serikzhan Bilash", "--name", "Серікжан Біләш",
            "--gender", "male", "--birth-date", "12 April 1974", "--ethnicity", "Kazakh",
            "--hometown", "Ghulja"});
  ASSERT_TRUE(added.is_object());
  EXPECT_EQ(added["person"]["id"], "P-000001");
  EXPECT_EQ(added["person"]["birth_date"], "1974-04-12");
  EXPECT_EQ(added["person"]["hometown_code"], "654002");
  EXPECT_EQ(added["person"]["names"][1]["script"], "cyrillic");

  RunResult event = Izde({"event", "add", "--person", "P-000001", "--type", "camp", "--date",
                          "2017-04..2017-06"});
  ASSERT_EQ(event.exit_code, 0) << event.err;
  RunResult testimony =
      Izde({"testimony", "add", "--person", "P-000001:son", "--testifier", "Relative",
            "--contact", "+7 700 000 0000", "--language", "kk", "--consent", "anonymise"});
  ASSERT_EQ(testimony.exit_code, 0) << testimony.err;

  nlohmann::json shown = Json({"person", "show", "P-000001"});
  EXPECT_EQ(shown["status"], "camp");
  EXPECT_EQ(shown["events"][0]["date"], "2017-04..2017-06");
  EXPECT_EQ(shown["testimonies"][0]["persons"][0]["relation"], "son");

  RunResult text = Izde({"person", "show", "1"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("Серікжан Біләш"));
  EXPECT_THAT(text.out, HasSubstr("camp"));

  nlohmann::json history = Json({"history", "P-000001"});
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["action"], "person.create");
  EXPECT_EQ(history[1]["action"], "event.create");
  EXPECT_THAT(history[0]["actor"].get<std::string>(), HasSubstr("cli:"));

  // Undo the event: the status goes back to unknown, and the undo is itself audited.
  RunResult reverted = Izde({"revert", std::to_string(history[1]["id"].get<int64_t>())});
  ASSERT_EQ(reverted.exit_code, 0) << reverted.err;
  EXPECT_EQ(Json({"person", "show", "P-000001"})["status"], "unknown");
  EXPECT_EQ(Json({"history", "P-000001"}).size(), 3u);

  nlohmann::json stats = Json({"stats"});
  EXPECT_EQ(stats["persons"], 1);
  EXPECT_EQ(stats["by_ethnicity"]["kazakh"], 1);
}

TEST_F(CliTest, BadInputNamesTheFieldAndWritesNothing) {
  ASSERT_EQ(Izde({"init"}).exit_code, 0);
  RunResult result = Izde({"person", "add", "--name", "Ali", "--birth-date", "1974-13"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("field 'birth_date': month 13 out of range"));
  result = Izde({"person", "add", "--name", "Ali", "--prc-id", "654002197404120015"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("field 'prc_id'"));
  result = Izde({"event", "add", "--person", "P-000009", "--type", "detained"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("P-000009"));
  EXPECT_EQ(Json({"stats"})["persons"], 0);
}

TEST_F(CliTest, PrcIdMismatchIsAcceptedWithAWarning) {
  ASSERT_EQ(Izde({"init"}).exit_code, 0);
  // Valid number (check digit 7) whose embedded birth date is 1974-04-12.
  RunResult result = Izde({"person", "add", "--name", "Ali", "--birth-date", "1975",
                           "--prc-id", "654002197404120017"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("warning: PRC ID says born 1974"));
  nlohmann::json shown = Json({"person", "show", "P-000001"});
  ASSERT_EQ(shown["warnings"].size(), 1u);
}

}  // namespace
}  // namespace izde::cli
