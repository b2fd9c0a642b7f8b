// Drives `izde name analyze` and `izde name compare` in the real program; no database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class NameCliTest : public ::testing::Test {
 protected:
  nlohmann::json Json(const std::vector<std::string>& args) {
    RunResult result = RunIzde(dir_, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out, nullptr, false);
  }

  ::izde::testing::TempDir dir_;
};

TEST_F(NameCliTest, AnalyzeShowsScriptPartsFormsAndKeys) {
  nlohmann::json analysis = Json({"name", "analyze", "Серікжан Біләш", "--json"});
  ASSERT_TRUE(analysis.is_object());
  EXPECT_EQ(analysis["script"], "cyrillic");
  EXPECT_EQ(analysis["language"], "kazakh");
  ASSERT_EQ(analysis["parts"].size(), 2u);
  EXPECT_EQ(analysis["parts"][0]["role"], "given");
  EXPECT_EQ(analysis["parts"][0]["ascii"], "serikzhan");
  EXPECT_EQ(analysis["forms"][0]["latin"], "Serikzhan Bilash");
  EXPECT_EQ(analysis["forms"][0]["keys"][0], "SLKJN");
  EXPECT_TRUE(analysis["chinese_variants"].is_array());
  // Needs no database and creates none.
  EXPECT_FALSE(std::filesystem::exists(dir_.File("izde.db")));
}

TEST_F(NameCliTest, AnalyzeReadsChineseGivenFatherOrder) {
  nlohmann::json analysis = Json({"name", "analyze", "伊力哈木·土赫提", "--json"});
  EXPECT_EQ(analysis["script"], "han");
  EXPECT_EQ(analysis["parts"][0]["role"], "given");
  EXPECT_EQ(analysis["parts"][1]["role"], "father");
  EXPECT_EQ(analysis["forms"][0]["latin"], "Yilihamu Tuheti");
}

TEST_F(NameCliTest, AnalyzeAsTextNamesEachPart) {
  RunResult result = RunIzde(dir_, {"name", "analyze", "Ilham Tohti"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Tohti"));
  EXPECT_THAT(result.out, HasSubstr("father"));
}

TEST_F(NameCliTest, AnalyzeRefusesInvalidUtf8) {
  RunResult result = RunIzde(dir_, {"name", "analyze", "Il\xff"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("UTF-8"));
}

TEST_F(NameCliTest, CompareFindsOnePersonAcrossScripts) {
  nlohmann::json comparison = Json({"name", "compare", "Ilham Tohti", "伊力哈木·土赫提", "--json"});
  EXPECT_EQ(comparison["verdict"], "same");
  EXPECT_GE(comparison["score"].get<double>(), 0.8);
  ASSERT_EQ(comparison["matches"].size(), 2u);
  EXPECT_EQ(comparison["matches"][0]["left"], "Ilham");
  EXPECT_EQ(comparison["matches"][0]["right"], "伊力哈木");

  nlohmann::json different =
      Json({"name", "compare", "Bakhyt Nurlanuly", "Бауыржан Нұрланұлы", "--json"});
  EXPECT_NE(different["verdict"], "same");
}

TEST_F(NameCliTest, CompareAsTextExplainsEachPart) {
  RunResult result = RunIzde(dir_, {"name", "compare", "Ilham Tohti", "Ilham"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("possibly"));
  EXPECT_THAT(result.out, HasSubstr("missing"));
}

TEST_F(NameCliTest, CompareNeedsTwoNames) {
  RunResult result = RunIzde(dir_, {"name", "compare", "Ilham Tohti"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("two names"));
}

TEST_F(NameCliTest, CompareBatchWritesOneLinePerLineInOrder) {
  const std::string input =
      "Ilham Tohti\t伊力哈木·土赫提\r\n"
      "Serikzhan Bilash\tСерікжан Біләш\n"
      "Serikzhan Bilash\tAbdulla Memet\n"
      "Ilham Tohti\tIlham\n";
  RunResult result = RunIzde(dir_, {"name", "compare", "--batch", "-"}, input);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<std::string> verdicts;
  for (std::string line; std::getline(lines, line);) {
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const double score = std::stod(line.substr(0, tab));
    EXPECT_GE(score, 0.0);
    EXPECT_LE(score, 1.0);
    verdicts.push_back(line.substr(tab + 1));
  }
  EXPECT_THAT(verdicts, ::testing::ElementsAre("same", "same", "different", "possibly"));
}

TEST_F(NameCliTest, CompareBatchReadsAFile) {
  const std::string path = dir_.File("pairs.tsv");
  std::ofstream(path) << "Ilham Tohti\tIlham Tohti\n";
  RunResult result = RunIzde(dir_, {"name", "compare", "--batch", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\tsame\n"));
  EXPECT_EQ(RunIzde(dir_, {"name", "compare", "--batch", dir_.File("missing.tsv")}).exit_code, 1);
}

TEST_F(NameCliTest, CompareBatchNamesBadLinesAndKeepsGoing) {
  const std::string input =
      "Ilham Tohti\tIlham Tohti\n"
      "no tab here\n"
      "Il\xff\tIlham\n"
      "Ilham Tohti\tIlham Tohti\n";
  RunResult result = RunIzde(dir_, {"name", "compare", "--batch", "-"}, input);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("stdin:2:"));
  EXPECT_THAT(result.err, HasSubstr("stdin:3:"));
  EXPECT_THAT(result.err, ::testing::Not(HasSubstr("stdin:4:")));
  std::istringstream lines(result.out);
  std::vector<std::string> out_lines;
  for (std::string line; std::getline(lines, line);) out_lines.push_back(line);
  ASSERT_EQ(out_lines.size(), 4u);
  EXPECT_EQ(out_lines[1], "NA\terror");
  EXPECT_EQ(out_lines[2], "NA\terror");
  EXPECT_THAT(out_lines[3], HasSubstr("\tsame"));
}

TEST_F(NameCliTest, AnalyzeBatchWritesOneJsonObjectPerLine) {
  RunResult result =
      RunIzde(dir_, {"name", "analyze", "--batch", "-"}, "Ilham Tohti\nСерікжан Біләш\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);) {
    objects.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0]["script"], "latin");
  EXPECT_EQ(objects[1]["language"], "kazakh");
}

}  // namespace
}  // namespace izde::cli
