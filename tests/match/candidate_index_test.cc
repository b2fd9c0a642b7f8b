#include "match/candidate_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace izde::match {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

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

Query NameQuery(std::string name, int birth_year = 0) {
  Query query;
  query.names = {std::move(name)};
  if (birth_year != 0) query.fields.birth = YearRange::Exactly(birth_year);
  return query;
}

std::vector<int64_t> Ids(const std::vector<Candidate>& candidates) {
  std::vector<int64_t> ids;
  for (const Candidate& candidate : candidates) ids.push_back(candidate.id);
  return ids;
}

class CandidateIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(index_.Add(Record(1, {"Серікжан Біләш"}, 1974, "654002", Gender::kMale)).ok());
    ASSERT_TRUE(index_.Add(Record(2, {"Ilham Tohti", "ئىلھام توختى"}, 1969)).ok());
    ASSERT_TRUE(index_.Add(Record(3, {"Gulbahar Jalilova"}, 1964)).ok());
    ASSERT_TRUE(index_.Add(Record(4, {"Memet Abdulla"}, 1980)).ok());
  }

  std::vector<int64_t> FindIds(const Query& query, int limit = 10) {
    Result<std::vector<Candidate>> found = index_.Find(query, limit);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? Ids(*found) : std::vector<int64_t>{};
  }

  CandidateIndex index_;
};

TEST_F(CandidateIndexTest, FindsACyrillicRecordFromLatinAndChineseQueries) {
  EXPECT_EQ(FindIds(NameQuery("Serikzhan Bilash")).front(), 1);
  EXPECT_EQ(FindIds(NameQuery("Serikjan Bilaş")).front(), 1);
  EXPECT_EQ(FindIds(NameQuery("赛力克江·比拉什")).front(), 1);
  EXPECT_EQ(FindIds(NameQuery("Серікжан Біләш")).front(), 1);
}

TEST_F(CandidateIndexTest, FindsAnArabicScriptFormFromCyrillic) {
  std::vector<int64_t> ids = FindIds(NameQuery("Ильхам Тохти"));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.front(), 2);
  EXPECT_EQ(FindIds(NameQuery("伊力哈木·土赫提")).front(), 2);
}

TEST_F(CandidateIndexTest, ReportsTheRecordFormThatMatched) {
  Result<std::vector<Candidate>> found = index_.Find(NameQuery("ئىلھام توختى"), 1);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, 2);
  EXPECT_EQ((*found)[0].matched_name, "ئىلھام توختى");
}

TEST_F(CandidateIndexTest, RemoveTakesARecordOutOfEveryPosting) {
  EXPECT_TRUE(index_.Remove(1));
  EXPECT_FALSE(index_.Remove(1));
  EXPECT_THAT(FindIds(NameQuery("Serikzhan Bilash")), IsEmpty());
  EXPECT_EQ(index_.stats().records, 3u);
  // The freed slot is reused and found again.
  ASSERT_TRUE(index_.Add(Record(9, {"Serikzhan Bilash"})).ok());
  EXPECT_THAT(FindIds(NameQuery("Серікжан Біләш")), ElementsAre(9));
}

TEST_F(CandidateIndexTest, AddingAnIdAgainReplacesTheRecord) {
  ASSERT_TRUE(index_.Add(Record(4, {"Gulnar Omirzaq"})).ok());
  EXPECT_THAT(FindIds(NameQuery("Memet Abdulla")), IsEmpty());
  EXPECT_THAT(FindIds(NameQuery("Gulnar Omirzaq")), ElementsAre(4));
  EXPECT_EQ(index_.stats().records, 4u);
  EXPECT_EQ(index_.stats().name_forms, 5u);
}

TEST_F(CandidateIndexTest, RejectsEmptyQueriesRecordsAndLimits) {
  EXPECT_FALSE(index_.Find(NameQuery(""), 10).ok());
  EXPECT_FALSE(index_.Find(NameQuery("Ilham"), 0).ok());
  EXPECT_FALSE(index_.Add(Record(7, {""})).ok());
  EXPECT_FALSE(index_.Add(Record(8, {"bad \xff utf-8"})).ok());
  EXPECT_EQ(index_.stats().records, 4u);
}

TEST_F(CandidateIndexTest, BirthYearRanksNamesakes) {
  ASSERT_TRUE(index_.Add(Record(10, {"Memet Abdulla"}, 1955)).ok());
  ASSERT_TRUE(index_.Add(Record(11, {"Memet Abdulla"}, 1981)).ok());
  // Same name three times: the exact year first, one year apart next, 25 years apart last.
  EXPECT_THAT(FindIds(NameQuery("Memet Abdulla", 1980)), ElementsAre(4, 11, 10));
  EXPECT_THAT(FindIds(NameQuery("Memet Abdulla", 1955)).front(), 10);
  EXPECT_THAT(FindIds(NameQuery("Memet Abdulla"), 2), ElementsAre(4, 10));  // then by id
}

TEST_F(CandidateIndexTest, StatsCountFormsKeysAndBytes) {
  IndexStats stats = index_.stats();
  EXPECT_EQ(stats.records, 4u);
  EXPECT_EQ(stats.name_forms, 5u);
  EXPECT_GT(stats.keys, 4u);
  EXPECT_GE(stats.postings, stats.keys);
  EXPECT_GT(stats.bytes, 0u);
}

TEST(CandidateIndexOptionsTest, QuickComparisonPicksWhatIsScoredInFull) {
  // One candidate scored in full out of a pool of eight ranked by the quick name comparison.
  IndexOptions options;
  options.min_scored = 1;
  options.scored_per_result = 1;
  options.quick_per_scored = 8;
  CandidateIndex index(Scorer(), options);
  ASSERT_TRUE(index.Add(Record(1, {"Memet Tursun"}, 1980)).ok());
  ASSERT_TRUE(index.Add(Record(2, {"Ali Abdulla"}, 1980)).ok());
  ASSERT_TRUE(index.Add(Record(3, {"Memet Abdulla", "买买提·阿不都拉"}, 1975)).ok());
  ASSERT_TRUE(index.Add(Record(4, {"Memet Abdulla"}, 1990)).ok());
  Result<std::vector<Candidate>> found = index.Find(NameQuery("Мемет Абдулла", 1975), 1);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ElementsAre(3));
  // The birth year counts in the quick ranking too.
  found = index.Find(NameQuery("Memet Abdulla", 1990), 1);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ElementsAre(4));
}

TEST_F(CandidateIndexTest, ReadersRunWhileAWriterAdds) {
  std::thread writer([&] {
    for (int64_t id = 100; id < 140; ++id) {
      EXPECT_TRUE(index_.Add(Record(id, {"Nurlan Qabdesh"})).ok());
    }
  });
  for (int round = 0; round < 10; ++round) {
    EXPECT_EQ(FindIds(NameQuery("Serikzhan Bilash"), 1).front(), 1);
  }
  writer.join();
  EXPECT_EQ(index_.stats().records, 44u);
}

}  // namespace
}  // namespace izde::match
