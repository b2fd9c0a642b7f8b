// `izde search` through the real program, on a temporary database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class SearchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Izde({"init"}).exit_code, 0);
    // Noise first, so that the persons sought are not simply the only ones.
    ASSERT_EQ(Izde({"demo", "--persons", "40", "--seed", "3"}).exit_code, 0);
    nlohmann::json added = Json({"person", "add", "--name", "Серікжан Біләш", "--gender", "male",
                                 "--birth-date", "1974", "--hometown", "654002"});
    ASSERT_TRUE(added.is_object());
    serikzhan_ = added["person"]["id"];
  }

  RunResult Izde(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("search.db")});
    return RunIzde(dir_, args);
  }

  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult result = Izde(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out, nullptr, false);
  }

  // The id of the best result of `izde search QUERY [extra...] --json`.
  std::string Top(const std::string& query, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"search", query};
    args.insert(args.end(), extra.begin(), extra.end());
    nlohmann::json found = Json(args);
    if (!found.is_object() || found["results"].empty()) return "";
    return found["results"][0]["id"];
  }

  ::izde::testing::TempDir dir_;
  std::string serikzhan_;
};

TEST_F(SearchCliTest, FindsTheCyrillicRecordFromAnyScript) {
  EXPECT_EQ(Top("Serikzhan Bilash"), serikzhan_);
  EXPECT_EQ(Top("赛力克江·比拉什"), serikzhan_);
  EXPECT_EQ(Top("Serikjan Bilaş"), serikzhan_);
}

TEST_F(SearchCliTest, JsonExplainsEachField) {
  nlohmann::json found = Json(
      {"search", "Serikzhan Bilash", "--birth-year", "1974", "--place", "Ghulja", "--limit", "3"});
  ASSERT_TRUE(found.is_object());
  ASSERT_GE(found["results"].size(), 1u);
  EXPECT_LE(found["results"].size(), 3u);
  const nlohmann::json& top = found["results"][0];
  EXPECT_EQ(top["id"], serikzhan_);
  EXPECT_EQ(top["name"], "Серікжан Біләш");
  std::vector<std::string> fields;
  for (const nlohmann::json& field : top["explanation"]) fields.push_back(field["field"]);
  EXPECT_THAT(fields, ::testing::ElementsAre("name", "birth_year", "hometown"));
  EXPECT_EQ(found["query"]["place"], "654002");
  EXPECT_EQ(found["index"]["persons"], 41);
}

TEST_F(SearchCliTest, BirthYearRanksNamesakes) {
  ASSERT_EQ(Izde({"person", "add", "--name", "Serikzhan Bilash", "--birth-date", "1990"}).exit_code,
            0);
  nlohmann::json found = Json({"search", "Serikzhan Bilash", "--birth-year", "1990"});
  ASSERT_GE(found["results"].size(), 2u);
  EXPECT_NE(found["results"][0]["id"], serikzhan_);
  EXPECT_EQ(found["results"][1]["id"], serikzhan_);
  EXPECT_EQ(Top("Serikzhan Bilash", {"--birth-year", "1974"}), serikzhan_);
}

TEST_F(SearchCliTest, TextOutputIsOneLinePerPerson) {
  RunResult result = Izde({"search", "Serikzhan Bilash", "--limit", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(serikzhan_ + "  Серікжан Біләш  "));
  EXPECT_THAT(result.out, HasSubstr("name +"));
  EXPECT_THAT(result.out, HasSubstr("41 persons"));
}

TEST_F(SearchCliTest, RefusesBadInput) {
  EXPECT_EQ(Izde({"search", "Serikzhan", "--place", "Atlantis"}).exit_code, 1);
  EXPECT_EQ(Izde({"search", "Serikzhan", "--birth-year", "19x4"}).exit_code, 1);
  EXPECT_EQ(Izde({"search", "Serikzhan", "--limit", "0"}).exit_code, 2);
  EXPECT_EQ(Izde({"search", "..."}).exit_code, 1);
}

}  // namespace
}  // namespace izde::cli
