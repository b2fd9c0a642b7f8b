#include "io/list_match.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace izde::io {
namespace {

match::Candidate MakeCandidate(int64_t id, double total, std::string matched_name) {
  match::Candidate candidate;
  candidate.id = id;
  candidate.matched_name = std::move(matched_name);
  candidate.score.total = total;
  candidate.score.explanation = {{"name", "same (0.93): Serikzhan Bilash ~ Серікжан Біләш", total},
                                 {"birth_year", "1974 = 1974", 0.0}};
  return candidate;
}

MatchedListRow Match(bool csv_columns) {
  ParsedListRow row{.line = 7, .values = R"({"name":"Serikzhan Bilash"})", .query = {}};
  const CandidateFinder find = [](const match::Query& query, int limit) {
    EXPECT_EQ(query.min_score, 10.0);  // the threshold goes to the finder
    EXPECT_EQ(limit, 3);
    return Result<std::vector<match::Candidate>>(std::vector<match::Candidate>{
        MakeCandidate(42, 20.456, "Серікжан Біләш"), MakeCandidate(43, 5.0, "Serik Bilov")});
  };
  return MatchListRow(std::move(row), find,
                      {.limit = 3, .threshold = 10.0, .csv_columns = csv_columns});
}

// The rows' candidates are the same whether or not the results CSV's columns are made; only
// with them are the matched names and explanation lines given, one per kept candidate.
TEST(ListMatchTest, MatchListRowMakesTheCsvColumnsOnlyWhenAsked) {
  const MatchedListRow with = Match(true);
  const MatchedListRow without = Match(false);
  for (const MatchedListRow* matched : {&with, &without}) {
    EXPECT_EQ(matched->input.row.line, 7);
    ASSERT_EQ(matched->input.candidates.size(), 1u);  // 5.0 is under the threshold
    EXPECT_EQ(matched->input.candidates[0].person_id, 42);
    EXPECT_DOUBLE_EQ(matched->input.candidates[0].score, 20.46);
    EXPECT_FALSE(matched->no_key);
  }
  EXPECT_EQ(without.input.candidates[0].explanation, with.input.candidates[0].explanation);
  EXPECT_EQ(with.matched_names, std::vector<std::string>{"Серікжан Біләш"});
  ASSERT_EQ(with.explanation_lines.size(), 1u);
  EXPECT_EQ(with.explanation_lines[0],
            ExplanationLine(with.input.candidates[0].explanation));  // as read back
  EXPECT_TRUE(without.matched_names.empty());
  EXPECT_TRUE(without.explanation_lines.empty());
}

// MatchListRow gives each candidate its explanation in the compact form, which reads back as
// the JSON StoredExplanation writes of the same score (what every reader of a stored list saw
// before), and whose explanation line is the one the results CSV writes.
TEST(ListMatchTest, MatchListRowStoresTheExplanationCompactly) {
  const MatchedListRow with = Match(true);
  ASSERT_EQ(with.input.candidates.size(), 1u);
  const std::string& stored = with.input.candidates[0].explanation;
  const match::Candidate original = MakeCandidate(42, 20.456, "Серікжан Біләш");
  EXPECT_NE(stored, StoredExplanation(original.score));
  EXPECT_LT(stored.size(), StoredExplanation(original.score).size());
  EXPECT_EQ(registry::ExpandExplanation(stored), StoredExplanation(original.score));
  EXPECT_EQ(ExplanationLine(stored), ExplanationLine(original.score));
  EXPECT_EQ(ExplanationLine(stored), ExplanationLine(StoredExplanation(original.score)));
}

}  // namespace
}  // namespace izde::io
