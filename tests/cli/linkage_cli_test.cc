// `izde dedupe`, `review`, `merge`, `unmerge`, `clusters` and `match` through the real program,
// on a temporary database.
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

using ::izde::testing::ReadWholeFile;
using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class LinkageCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Izde({"init"}).exit_code, 0);
    // Noise, so that the persons sought are not the only ones.
    ASSERT_EQ(Izde({"demo", "--persons", "40", "--seed", "3"}).exit_code, 0);
    latin_ = AddPerson("Serikzhan Bilash");
  }

  std::string AddPerson(const std::string& name) {
    nlohmann::json added = Json({"person", "add", "--name", name, "--gender", "male",
                                 "--birth-date", "1974", "--hometown", "654002"});
    return added.is_object() ? added["person"]["id"].get<std::string>() : "";
  }

  RunResult Izde(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--db", dir_.File("linkage.db")});
    return RunIzde(dir_, args, stdin_text);
  }

  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult result = Izde(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out, nullptr, false);
  }

  nlohmann::json Pending() { return Json({"review"})["pending"]; }

  nlohmann::json PersonJson(const std::string& id) { return Json({"person", "show", id}); }

  ::izde::testing::TempDir dir_;
  std::string latin_;
};

TEST_F(LinkageCliTest, DedupeQueuesTheCrossScriptDuplicate) {
  std::string cyrillic = AddPerson("Серікжан Біләш");
  nlohmann::json summary = Json({"dedupe"});
  ASSERT_TRUE(summary.is_object());
  EXPECT_EQ(summary["persons"], 42);
  EXPECT_GE(summary["queued"].get<int>(), 1);
  bool found = false;
  for (const nlohmann::json& pair : Pending()) {
    if (pair["person_a"]["id"] == latin_ && pair["person_b"]["id"] == cyrillic) {
      found = true;
      EXPECT_GE(pair["score"].get<double>(), 15.0);
      EXPECT_EQ(pair["explanation"][0]["field"], "name");
    }
    EXPECT_LT(pair["person_a"]["id"].get<std::string>(), pair["person_b"]["id"].get<std::string>());
  }
  EXPECT_TRUE(found);
  // Run twice, the queue holds each pair once.
  size_t pending = Pending().size();
  ASSERT_EQ(Izde({"dedupe"}).exit_code, 0);
  EXPECT_EQ(Pending().size(), pending);
}

// Blocking and comparing on one thread or several, with blocks split into many groups or
// one, queue the same pairs with the same scores and explanations, in the same order.
TEST_F(LinkageCliTest, DedupeQueuesTheSamePairsOnOneThreadAndOnSeveral) {
  // Namesakes: the demo repeats names, so a few hundred persons give queued pairs.
  ASSERT_EQ(Izde({"demo", "--persons", "600", "--seed", "11"}).exit_code, 0);
  std::vector<nlohmann::json> queues;
  for (const std::vector<std::string>& flags :
       std::vector<std::vector<std::string>>{{"--threads", "1"}, {"--threads", "3"}}) {
    const std::string db = dir_.File("copy" + flags[1] + ".db");
    std::filesystem::copy_file(dir_.File("linkage.db"), db);
    std::vector<std::string> args = {"--db",        db, "--no-index-cache", "dedupe", "--json",
                                     "--threshold", "5"};
    args.insert(args.end(), flags.begin(), flags.end());
    RunResult run = RunIzde(dir_, args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    nlohmann::json summary = nlohmann::json::parse(run.out, nullptr, false);
    ASSERT_TRUE(summary.is_object());
    EXPECT_GT(summary["pairs_compared"].get<int64_t>(), summary["queued"].get<int64_t>());
    RunResult review = RunIzde(dir_, {"--db", db, "review", "--json"});
    ASSERT_EQ(review.exit_code, 0) << review.err;
    nlohmann::json pending = nlohmann::json::parse(review.out, nullptr, false)["pending"];
    ASSERT_TRUE(pending.is_array());
    EXPECT_EQ(pending.size(), summary["queued"].get<size_t>());
    queues.push_back(pending);
  }
  ASSERT_GE(queues[0].size(), 10u);
  EXPECT_EQ(queues[0], queues[1]);
}

TEST_F(LinkageCliTest, PairsJudgedDifferentInReviewAreNotQueuedAgain) {
  AddPerson("Серікжан Біләш");
  ASSERT_EQ(Izde({"dedupe"}).exit_code, 0);
  size_t pending = Pending().size();
  ASSERT_GE(pending, 1u);
  std::string answers;
  for (size_t pair_idx = 0; pair_idx < pending; ++pair_idx) answers += "d\n";
  RunResult review = Izde({"review"}, answers);
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("Serikzhan Bilash"));
  EXPECT_THAT(review.out, HasSubstr("why: name"));
  EXPECT_THAT(review.out, HasSubstr(std::to_string(pending) + " different"));
  EXPECT_TRUE(Pending().empty());

  nlohmann::json again = Json({"dedupe"});
  EXPECT_EQ(again["queued"], 0);
  EXPECT_EQ(again["already_judged"].get<size_t>(), pending);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(LinkageCliTest, ReviewRecordsSameSkipsAndQuitsFromStandardInput) {
  AddPerson("Серікжан Біләш");
  ASSERT_EQ(Izde({"dedupe"}).exit_code, 0);
  nlohmann::json pending = Pending();
  ASSERT_GE(pending.size(), 1u);
  // A wrong answer is asked again; then "same" for the first pair, and quit.
  RunResult review = Izde({"review"}, "maybe\ns\nq\n");
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("Please answer"));
  EXPECT_THAT(review.out, HasSubstr("1 same"));
  nlohmann::json clusters = Json({"clusters"})["clusters"];
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0]["persons"][0], pending[0]["person_a"]["id"]);
  EXPECT_EQ(clusters[0]["persons"][1], pending[0]["person_b"]["id"]);
  EXPECT_EQ(Pending().size(), pending.size() - 1);
}

TEST_F(LinkageCliTest, MergeAndUnmergeLeaveThePersonsAsTheyWere) {
  std::string cyrillic = AddPerson("Серікжан Біләш");
  nlohmann::json latin_before = PersonJson(latin_);
  nlohmann::json cyrillic_before = PersonJson(cyrillic);

  RunResult merged = Izde({"merge", latin_, cyrillic, "--note", "same family"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_THAT(merged.out, HasSubstr("Merged into cluster C-"));
  EXPECT_THAT(merged.out, HasSubstr("Серікжан Біләш"));
  nlohmann::json clusters = Json({"clusters"})["clusters"];
  ASSERT_EQ(clusters.size(), 1u);
  std::string cluster = clusters[0]["cluster"];
  EXPECT_EQ(PersonJson(latin_), latin_before);

  RunResult unmerged = Izde({"unmerge", cluster});
  ASSERT_EQ(unmerged.exit_code, 0) << unmerged.err;
  EXPECT_TRUE(Json({"clusters"})["clusters"].empty());
  EXPECT_EQ(PersonJson(latin_), latin_before);
  EXPECT_EQ(PersonJson(cyrillic), cyrillic_before);

  RunResult again = Izde({"unmerge", cluster});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("not merged"));
  EXPECT_EQ(Izde({"merge", latin_, latin_}).exit_code, 1);
}

TEST_F(LinkageCliTest, MatchStoresTheListAndFindsALatinRecordFromACyrillicRow) {
  std::ofstream(dir_.File("roster.csv")) << "№,ФИО,Год рождения,Место\n"
                                         << "1,Серікжан Біләш,1974,Кульджа\n"
                                         << "2,Zzyzx Qwrtp,1950,\n";
  RunResult matched =
      Izde({"match", "roster.csv", "--map", "name=ФИО,birth=Год рождения,place=Место", "--list",
            "Roster 2019", "--out", "results.csv", "--json"});
  ASSERT_EQ(matched.exit_code, 0) << matched.err;
  nlohmann::json summary = nlohmann::json::parse(matched.out);
  EXPECT_EQ(summary["rows"], 2);
  std::string list = summary["list"];
  EXPECT_EQ(list, "L-000001");

  std::string results = ReadWholeFile(dir_.File("results.csv"));
  EXPECT_THAT(results, HasSubstr("row,line,rank,person_id,matched_name,score,explanation\n"));
  EXPECT_THAT(results, HasSubstr("1,2,1," + latin_ + ",Serikzhan Bilash,"));

  nlohmann::json review = Json({"review", "--list", list});
  ASSERT_GE(review["pending"].size(), 1u);
  const nlohmann::json& first = review["pending"][0];
  EXPECT_EQ(first["line"], 2);
  EXPECT_EQ(first["values"]["ФИО"], "Серікжан Біләш");
  EXPECT_EQ(first["candidates"][0]["person"], latin_);

  // "1": the row is its first candidate; then every other row has no match.
  RunResult answered = Izde({"review", "--list", list}, "1\nn\nn\nn\n");
  ASSERT_EQ(answered.exit_code, 0) << answered.err;
  EXPECT_THAT(answered.out, HasSubstr("1 matched"));
  EXPECT_TRUE(Json({"review", "--list", list})["pending"].empty());
}

// A results CSV that cannot be written is an error naming the file, and leaves no file behind.
TEST_F(LinkageCliTest, MatchWithAResultsFileItCannotWriteSaysSoAndLeavesNoFile) {
  {
    std::ofstream roster(dir_.File("short.csv"));
    roster << "Name,Year\nSerikzhan Bilash,1974\n";
  }
  RunResult matched = Izde({"match", "short.csv", "--map", "name=Name,birth=Year", "--list",
                            "Short", "--out", "no-such-dir/results.csv"});
  EXPECT_NE(matched.exit_code, 0);
  EXPECT_THAT(matched.err, HasSubstr("no-such-dir/results.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("no-such-dir")));
}

// A list of several chunks, stored while its last rows are matched on two threads: every row
// is stored once, in line order, with the candidates the results CSV gives it, rank by rank.
TEST_F(LinkageCliTest, MatchStoresEveryRowOfALongListWithTheCandidatesOfTheCsv) {
  constexpr int kRows = 700;
  {
    std::ofstream roster(dir_.File("long.csv"));
    roster << "Name,Year\n";
    for (int row = 0; row < kRows; ++row) {
      if (row % 7 == 0) {
        roster << "Serikzhan Bilash,1974\n";
      } else {
        roster << "Serik" << static_cast<char>('a' + row % 26) << " Bilash,19" << 40 + row % 50
               << "\n";
      }
    }
  }
  RunResult matched =
      Izde({"match", "long.csv", "--map", "name=Name,birth=Year", "--list", "Long", "--threads",
            "2", "--limit", "3", "--out", "long-results.csv", "--json"});
  ASSERT_EQ(matched.exit_code, 0) << matched.err;
  // The CSV, written beside the store's commit into a temporary file, is in place and the
  // temporary file gone.
  EXPECT_FALSE(std::filesystem::exists(dir_.File("long-results.csv.partial")));
  nlohmann::json summary = nlohmann::json::parse(matched.out);
  EXPECT_EQ(summary["rows"], kRows);
  // The candidates of each line as the CSV gives them, by rank.
  std::vector<std::vector<std::string>> csv_persons(kRows + 2);
  std::istringstream results(ReadWholeFile(dir_.File("long-results.csv")));
  std::string line;
  std::getline(results, line);  // the header
  int csv_lines = 0;
  while (std::getline(results, line)) {
    ++csv_lines;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; cells.size() < 4 && std::getline(fields, cell, ',');) {
      cells.push_back(cell);
    }
    ASSERT_EQ(cells.size(), 4u) << line;
    const size_t file_line = std::stoul(cells[1]);
    ASSERT_LT(file_line, csv_persons.size());
    if (!cells[3].empty()) csv_persons[file_line].push_back(cells[3]);
  }
  EXPECT_GE(csv_lines, kRows);
  // The review walks the rows with candidates, in line order: those of the CSV, each once.
  nlohmann::json review =
      Json({"review", "--list", summary["list"].get<std::string>(), "--limit", "0"});
  std::vector<std::vector<std::string>> stored_persons(kRows + 2);
  int64_t previous_line = 0;
  int found = 0;
  for (const nlohmann::json& stored : review["pending"]) {
    const int64_t stored_line = stored["line"].get<int64_t>();
    SCOPED_TRACE(stored_line);
    ASSERT_GT(stored_line, previous_line);
    ASSERT_LT(stored_line, kRows + 2);
    previous_line = stored_line;
    for (const nlohmann::json& candidate : stored["candidates"]) {
      stored_persons[static_cast<size_t>(stored_line)].push_back(
          candidate["person"].get<std::string>());
    }
    if ((stored_line - 2) % 7 == 0 && !stored_persons[static_cast<size_t>(stored_line)].empty() &&
        stored_persons[static_cast<size_t>(stored_line)].front() == latin_) {
      ++found;
    }
  }
  EXPECT_GT(review["pending"].size(), static_cast<size_t>(kRows / 7));
  EXPECT_EQ(stored_persons, csv_persons);
  EXPECT_EQ(found, (kRows + 6) / 7);
}

TEST_F(LinkageCliTest, MatchNamesAnUnknownColumnAndListsTheHeader) {
  std::ofstream(dir_.File("roster.csv")) << "Name,Year\nSerikzhan Bilash,1974\n";
  RunResult result =
      Izde({"match", "roster.csv", "--map", "name=Name,birth=Born", "--list", "Roster"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no column \"Born\""));
  EXPECT_THAT(result.err, HasSubstr("\"Name\", \"Year\""));
  result = Izde({"match", "roster.csv", "--map", "name=Name,age=Year", "--list", "Roster"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("unknown field 'age'"));
}

TEST_F(LinkageCliTest, MatchNamesTheLineOfABadRowAndStoresNothing) {
  std::ofstream(dir_.File("roster.csv"))
      << "Name,Year\nSerikzhan Bilash,1974\nAsqar Azatbek,19x4\n";
  RunResult result =
      Izde({"match", "roster.csv", "--map", "name=Name,birth=Year", "--list", "Roster"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("roster.csv line 3"));
  EXPECT_THAT(result.err, HasSubstr("19x4"));
  std::ofstream(dir_.File("short.csv")) << "Name,Year\nSerikzhan Bilash\n";
  result = Izde({"match", "short.csv", "--map", "name=Name", "--list", "Roster"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("short.csv line 2: 1 fields, but the header has 2"));
  RunResult lists = Izde({"review", "--list", "L-000001"});
  EXPECT_EQ(lists.exit_code, 1);
}

}  // namespace
}  // namespace izde::cli
