// CandidateIndex's bulk linkage: BlockedPairs, ScorePairs and BlockAndScore
// (candidate_index_bulk.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "match/candidate_index.h"

namespace izde::match {
namespace {

using Pair = std::pair<int64_t, int64_t>;
using ::testing::Contains;
using ::testing::Not;

IndexRecord Record(int64_t id, std::vector<std::string> names, int birth_year = 0,
                   std::string hometown = "", Gender gender = Gender::kUnknown) {
  IndexRecord record;
  record.id = id;
  record.names = std::move(names);
  if (birth_year != 0) record.fields.birth = YearRange::Exactly(birth_year);
  record.fields.hometown_code = std::move(hometown);
  record.fields.gender = gender;
  return record;
}

// Namesakes and near namesakes, some with a second form in another order, some without a
// birth year.
std::vector<IndexRecord> Crowd() {
  const std::vector<std::string> given = {"Memet", "Mamet", "Ilham", "Nurlan", "Serik"};
  const std::vector<std::string> father = {"Abdulla", "Abdullah", "Tohti", "Qabdesh"};
  const std::vector<std::string> places = {"654002", "654021", "650102", ""};
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (const std::string& first : given) {
    for (const std::string& second : father) {
      for (int copy = 0; copy < 4; ++copy) {
        ++id;
        const int year = copy == 3 ? 0 : 1970 + static_cast<int>((id * 7) % 5);
        std::vector<std::string> names = {first + " " + second};
        if (copy % 2 == 0) names.push_back(second + " " + first);
        records.push_back(Record(id, names, year, places[static_cast<size_t>(id) % places.size()],
                                 copy == 0 ? Gender::kMale : Gender::kUnknown));
      }
    }
  }
  return records;
}

TEST(CandidateIndexBulkTest, ScorePairsScoresAsFindSimilarDoes) {
  // A pool large enough that FindSimilar scores every candidate in full.
  CandidateIndex index(Scorer(), {.scored_per_result = 1, .min_scored = 1000});
  std::vector<IndexRecord> records = Crowd();
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  size_t compared = 0;
  for (const IndexRecord& record : records) {
    Result<std::vector<Candidate>> similar = index.FindSimilar(record.id, 1000);
    ASSERT_TRUE(similar.ok());
    std::vector<Pair> pairs;
    for (const Candidate& candidate : *similar) pairs.emplace_back(record.id, candidate.id);
    std::vector<CandidateIndex::ScoredPair> scored = index.ScorePairs(pairs, -1000.0, 1);
    ASSERT_EQ(scored.size(), similar->size());
    for (size_t pair_idx = 0; pair_idx < scored.size(); ++pair_idx) {
      const Candidate& expected = (*similar)[pair_idx];
      EXPECT_EQ(scored[pair_idx].a, record.id);
      EXPECT_EQ(scored[pair_idx].b, expected.id);
      EXPECT_DOUBLE_EQ(scored[pair_idx].score.total, expected.score.total);
      EXPECT_DOUBLE_EQ(scored[pair_idx].score.name_score, expected.score.name_score);
      ASSERT_EQ(scored[pair_idx].score.explanation.size(), expected.score.explanation.size());
      for (size_t line = 0; line < expected.score.explanation.size(); ++line) {
        EXPECT_EQ(scored[pair_idx].score.explanation[line].value,
                  expected.score.explanation[line].value);
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, records.size() * 5);
}

TEST(CandidateIndexBulkTest, ScorePairsKeepsOnlyPairsReachingTheFloorOnAnyThreadCount) {
  CandidateIndex index;
  std::vector<IndexRecord> records = Crowd();
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  std::vector<Pair> pairs;
  for (int64_t left = 1; left <= 80; ++left) {
    for (int64_t right = left + 1; right <= 80; ++right) pairs.emplace_back(left, right);
  }
  pairs.emplace_back(5, 5000);  // not in the index: left out
  std::vector<CandidateIndex::ScoredPair> all = index.ScorePairs(pairs, -1000.0, 1);
  ASSERT_EQ(all.size(), pairs.size() - 1);
  std::vector<double> totals;
  for (const auto& pair : all) totals.push_back(pair.score.total);
  std::sort(totals.begin(), totals.end());
  const double floor = totals[totals.size() * 3 / 4];
  size_t expected = 0;
  for (double total : totals) expected += total >= floor ? 1 : 0;
  for (int threads : {1, 3}) {
    std::vector<int64_t> progress;
    std::vector<CandidateIndex::ScoredPair> above =
        index.ScorePairs(pairs, floor, threads, [&](int64_t done, int64_t total) {
          EXPECT_EQ(total, static_cast<int64_t>(pairs.size()));
          progress.push_back(done);
        });
    ASSERT_EQ(above.size(), expected) << threads << " threads";
    for (const auto& pair : above) EXPECT_GE(pair.score.total, floor);
    // In the order of the pairs given.
    EXPECT_TRUE(std::is_sorted(above.begin(), above.end(), [](const auto& left, const auto& right) {
      return std::make_pair(left.a, left.b) < std::make_pair(right.a, right.b);
    }));
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back(), static_cast<int64_t>(pairs.size()));
  }
}

// BlockAndScore against its two steps: the same pairs, scored the same, in the same order.
void ExpectBlockAndScoreAsTwoSteps(const CandidateIndex& index, double floor) {
  std::vector<Pair> blocked = index.BlockedPairs({.max_block = 8});
  ASSERT_FALSE(blocked.empty());
  std::vector<CandidateIndex::ScoredPair> expected = index.ScorePairs(blocked, floor, 1);
  ASSERT_FALSE(expected.empty());
  for (int threads : {1, 2}) {
    size_t count = 0;
    std::vector<int64_t> progress;
    std::vector<CandidateIndex::ScoredPair> scored = index.BlockAndScore(
        {.max_block = 8}, floor, threads,
        [&](int64_t done, int64_t total) {
          EXPECT_EQ(total, static_cast<int64_t>(blocked.size()));
          progress.push_back(done);
        },
        &count);
    EXPECT_EQ(count, blocked.size());
    ASSERT_EQ(scored.size(), expected.size()) << threads << " threads";
    for (size_t pair_idx = 0; pair_idx < scored.size(); ++pair_idx) {
      EXPECT_EQ(scored[pair_idx].a, expected[pair_idx].a);
      EXPECT_EQ(scored[pair_idx].b, expected[pair_idx].b);
      EXPECT_LT(scored[pair_idx].a, scored[pair_idx].b);
      EXPECT_DOUBLE_EQ(scored[pair_idx].score.total, expected[pair_idx].score.total);
      ASSERT_EQ(scored[pair_idx].score.explanation.size(),
                expected[pair_idx].score.explanation.size());
      for (size_t line = 0; line < scored[pair_idx].score.explanation.size(); ++line) {
        EXPECT_EQ(scored[pair_idx].score.explanation[line].value,
                  expected[pair_idx].score.explanation[line].value);
      }
    }
    // First (0, pairs) once blocked, last (pairs, pairs).
    ASSERT_GE(progress.size(), 2u);
    EXPECT_EQ(progress.front(), 0);
    EXPECT_EQ(progress.back(), static_cast<int64_t>(blocked.size()));
  }
}

TEST(CandidateIndexBulkTest, BlockAndScoreIsBlockedPairsThenScorePairs) {
  CandidateIndex index;
  std::vector<IndexRecord> records = Crowd();
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  ExpectBlockAndScoreAsTwoSteps(index, 0.0);
  // Records removed and added again under new, smaller ids take the freed slots: slots no
  // longer ascend with ids, and each pair must still be scored smaller id first.
  for (int64_t id : {3, 17, 42}) {
    ASSERT_TRUE(index.Remove(id));
    IndexRecord again = records[static_cast<size_t>(id - 1)];
    again.id = -id;
    ASSERT_TRUE(index.Add(again).ok());
  }
  ExpectBlockAndScoreAsTwoSteps(index, 0.0);
  ExpectBlockAndScoreAsTwoSteps(index, 12.0);
}

// Blocking splits the blocks into groups by hash, shared out among the threads, and merges
// the threads' pairs: any number of threads and any group size give the pairs of one thread
// and one group, in the same order; so does BlockAndScore's scoring of them.
TEST(CandidateIndexBulkTest, BlockingOnSeveralThreadsGivesThePairsOfOne) {
  CandidateIndex index;
  std::vector<IndexRecord> records = Crowd();
  // A second crowd under other ids, so that blocks run past max_block below.
  for (IndexRecord record : Crowd()) {
    record.id += 1000;
    records.push_back(std::move(record));
  }
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  // Slots no longer ascending with ids, as after removals.
  ASSERT_TRUE(index.Remove(5));
  IndexRecord again = records[4];
  again.id = -5;
  ASSERT_TRUE(index.Add(again).ok());

  for (size_t max_block : {size_t{6}, size_t{64}}) {
    SCOPED_TRACE(max_block);
    const std::vector<Pair> one = index.BlockedPairs({.max_block = max_block});
    ASSERT_GT(one.size(), 100u);
    for (int threads : {1, 2, 3, 4}) {
      for (size_t entries : {size_t{1}, size_t{50}, size_t{1000}, size_t{1} << 24}) {
        SCOPED_TRACE(::testing::Message() << threads << " threads, " << entries << " entries");
        EXPECT_EQ(index.BlockedPairs(
                      {.max_block = max_block, .threads = threads, .entries_per_pass = entries}),
                  one);
      }
    }
  }
  const std::vector<Pair> blocked = index.BlockedPairs({});
  const std::vector<CandidateIndex::ScoredPair> expected = index.ScorePairs(blocked, 10.0, 1);
  ASSERT_FALSE(expected.empty());
  for (int threads : {1, 2, 3}) {
    size_t compared = 0;
    const std::vector<CandidateIndex::ScoredPair> scored =
        index.BlockAndScore({.entries_per_pass = 64}, 10.0, threads, nullptr, &compared);
    EXPECT_EQ(compared, blocked.size());
    ASSERT_EQ(scored.size(), expected.size());
    for (size_t pair_idx = 0; pair_idx < scored.size(); ++pair_idx) {
      EXPECT_EQ(scored[pair_idx].a, expected[pair_idx].a);
      EXPECT_EQ(scored[pair_idx].b, expected[pair_idx].b);
      EXPECT_DOUBLE_EQ(scored[pair_idx].score.total, expected[pair_idx].score.total);
    }
  }
}

TEST(CandidateIndexBulkTest, BlockedPairsMeetAcrossScriptsAndSkipLargeBlocks) {
  CandidateIndex index;
  ASSERT_TRUE(index.Add(Record(1, {"Serikzhan Bilash"}, 1974)).ok());
  ASSERT_TRUE(index.Add(Record(2, {"Ilham Tohti"}, 1969)).ok());
  ASSERT_TRUE(index.Add(Record(3, {"Серікжан Біләш"})).ok());  // no birth year
  ASSERT_TRUE(index.Add(Record(4, {"Gulbahar Jalilova"}, 1974)).ok());
  // Five "Memet Abdulla" born the same year: one block of five for their two keys.
  for (int64_t id = 10; id < 15; ++id) {
    ASSERT_TRUE(index.Add(Record(id, {"Memet Abdulla"}, 1980)).ok());
  }
  std::vector<Pair> pairs = index.BlockedPairs({.max_block = 5});
  EXPECT_THAT(pairs, Contains(Pair{1, 3}));
  EXPECT_THAT(pairs, Contains(Pair{10, 14}));
  EXPECT_THAT(pairs, Not(Contains(Pair{1, 2})));
  EXPECT_THAT(pairs, Not(Contains(Pair{1, 4})));  // the same year alone is no block
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(std::adjacent_find(pairs.begin(), pairs.end()), pairs.end());
  for (const Pair& pair : pairs) EXPECT_LT(pair.first, pair.second);

  // Every block of the five is now too large; the others are not.
  std::vector<Pair> small = index.BlockedPairs({.max_block = 4});
  EXPECT_THAT(small, Contains(Pair{1, 3}));
  EXPECT_THAT(small, Not(Contains(Pair{10, 14})));

  // A removed record is in no block.
  ASSERT_TRUE(index.Remove(3));
  EXPECT_THAT(index.BlockedPairs({}), Not(Contains(Pair{1, 3})));
}

TEST(CandidateIndexBulkTest, BlockedPairsFindEveryNamesakeBornTheSameYear) {
  // Against FindSimilar with a pool of everyone: each pair of records with the same two name
  // keys and birth year that FindSimilar scores is blocked.
  CandidateIndex index(Scorer(), {.scored_per_result = 1, .min_scored = 1000});
  std::vector<IndexRecord> records = Crowd();
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  std::vector<Pair> pairs = index.BlockedPairs({});
  size_t checked = 0;
  for (const IndexRecord& record : records) {
    Result<std::vector<Candidate>> similar = index.FindSimilar(record.id, 1000, 15.0);
    ASSERT_TRUE(similar.ok());
    for (const Candidate& candidate : *similar) {
      Pair pair{std::min(record.id, candidate.id), std::max(record.id, candidate.id)};
      EXPECT_TRUE(std::binary_search(pairs.begin(), pairs.end(), pair))
          << pair.first << "-" << pair.second << " score " << candidate.score.total;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace izde::match
