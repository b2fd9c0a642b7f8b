// Find keeps scratch between queries (a bit per slot reached, the candidates' numbers), in a
// pool per index that any thread's query takes one from: a query must answer the same whatever
// was asked before it, on this index or on another of another size, and whatever other queries
// run at the same time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "match/candidate_index.h"
#include "testing/status_matchers.h"

namespace izde::match {
namespace {

struct Answer {
  std::vector<int64_t> ids;
  std::vector<double> totals;
  bool operator==(const Answer&) const = default;
};

Answer Ask(const CandidateIndex& index, const Query& query) {
  Answer answer;
  Result<std::vector<Candidate>> found = index.Find(query, 10);
  EXPECT_TRUE(found.ok());
  if (!found.ok()) return answer;
  for (const Candidate& candidate : *found) {
    answer.ids.push_back(candidate.id);
    answer.totals.push_back(candidate.score.total);
  }
  return answer;
}

// The same query, asked on a thread that has asked nothing before.
Answer AskOnFreshThread(const CandidateIndex& index, const Query& query) {
  Answer answer;
  std::thread([&] { answer = Ask(index, query); }).join();
  return answer;
}

// Persons from a few common parts (long postings: many candidates, the bits cleared all at
// once) and a few rare ones (few candidates, cleared one by one), with birth years.
void Fill(CandidateIndex& index, size_t count, int64_t first_id) {
  const std::vector<std::string> given = {"Ilyas",   "Nurlan", "Serikzhan",
                                          "Gulnara", "Murat",  "Aigerim"};
  const std::vector<std::string> family = {"Tursun", "Bilash", "Kadyrov", "Omarov", "Akhmet"};
  for (size_t idx = 0; idx < count; ++idx) {
    IndexRecord record;
    record.id = first_id + static_cast<int64_t>(idx);
    std::string name = given[idx % given.size()] + " " + family[(idx / 7) % family.size()];
    if (idx % 97 == 0) name = "Zhanbolat Qyzyrbek" + std::string(idx % 2 == 0 ? "" : "ov");
    record.names = {name};
    record.fields.birth = YearRange::Exactly(1950 + static_cast<int>(idx % 40));
    ASSERT_OK(index.Add(record));
  }
}

// Each name asked alone, then with a birth year.
std::vector<Query> ByNameAndWithAYear(std::initializer_list<const char*> names) {
  std::vector<Query> queries;
  for (const char* name : names) {
    Query query;
    query.names = {name};
    queries.push_back(query);
    query.fields.birth = YearRange::Exactly(1961);
    queries.push_back(query);
  }
  return queries;
}

TEST(CandidateIndexScratchTest, AnswersDoNotDependOnEarlierQueriesOfTheThread) {
  CandidateIndex large;
  Fill(large, 3000, 1);
  CandidateIndex small;
  Fill(small, 150, 100000);
  const std::vector<Query> queries =
      ByNameAndWithAYear({"Ilyas Tursun", "Zhanbolat Qyzyrbekov", "Serikzhan Bilach",
                          "Tursun Gulnara", "Nurlan Omarov"});
  std::vector<Answer> fresh_large;
  std::vector<Answer> fresh_small;
  for (const Query& query : queries) {
    fresh_large.push_back(AskOnFreshThread(large, query));
    fresh_small.push_back(AskOnFreshThread(small, query));
    ASSERT_FALSE(fresh_large.back().ids.empty()) << query.names.front();
    ASSERT_FALSE(fresh_small.back().ids.empty()) << query.names.front();
  }
  // This thread asks them all, three times over, alternating the indexes and the order.
  for (int round = 0; round < 3; ++round) {
    for (size_t at = 0; at < queries.size(); ++at) {
      const size_t query_idx = round == 1 ? queries.size() - 1 - at : at;
      EXPECT_EQ(Ask(large, queries[query_idx]), fresh_large[query_idx])
          << "round " << round << ", " << queries[query_idx].names.front();
      EXPECT_EQ(Ask(small, queries[query_idx]), fresh_small[query_idx])
          << "round " << round << ", " << queries[query_idx].names.front();
    }
  }
}

TEST(CandidateIndexScratchTest, QueriesRunningAtOnceEachHaveTheirOwnScratch) {
  // Four threads ask the same queries at once, each in its own order, twenty times over: a
  // scratch space handed to two queries at once would mix their candidates.
  CandidateIndex index;
  Fill(index, 3000, 1);
  const std::vector<Query> queries =
      ByNameAndWithAYear({"Ilyas Tursun", "Zhanbolat Qyzyrbekov", "Serikzhan Bilach",
                          "Tursun Gulnara", "Nurlan Omarov", "Aigerim Kadyrov"});
  std::vector<Answer> alone;
  for (const Query& query : queries) alone.push_back(Ask(index, query));
  constexpr size_t kThreads = 4;
  std::vector<size_t> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (size_t thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (size_t round = 0; round < 20; ++round) {
        for (size_t at = 0; at < queries.size(); ++at) {
          const size_t query_idx = (at * (2 * thread_idx + 1) + round) % queries.size();
          if (!(Ask(index, queries[query_idx]) == alone[query_idx])) ++mismatches[thread_idx];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0U));
}

// A thread's first query makes room for its candidates posting by posting: the first
// (rarest) posting makes a little, the long ones after it much more. Persons met in the first
// and credited again after the room has grown (the arrays moved) must keep every credit; the
// ci build's address sanitizer flags any write through the old arrays.
TEST(CandidateIndexScratchTest, CandidatesKeepTheirCreditsWhenTheRoomGrowsInAQuery) {
  CandidateIndex index;
  Fill(index, 3000, 1);
  for (int64_t id : {900001, 900002, 900003}) {
    IndexRecord record;
    record.id = id;
    record.names = {"Zhanbolat Tursun"};
    ASSERT_OK(index.Add(record));
  }
  Query query;
  query.names = {"Zhanbolat Tursun"};
  const Answer answer = AskOnFreshThread(index, query);
  ASSERT_GE(answer.ids.size(), 4U);
  EXPECT_THAT(std::vector<int64_t>(answer.ids.begin(), answer.ids.begin() + 3),
              ::testing::UnorderedElementsAre(900001, 900002, 900003));
  EXPECT_GT(answer.totals[2], answer.totals[3]);
  // Asked again on this thread (room already made), the same answer.
  EXPECT_EQ(Ask(index, query), answer);
}

}  // namespace
}  // namespace izde::match
