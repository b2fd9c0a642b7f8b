#include "match/candidate_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "match/packed_forms.h"
#include "names/analyze.h"
#include "testing/status_matchers.h"

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

// Namesakes and near namesakes with varied years, places and genders: many candidates per query.
std::vector<IndexRecord> Crowd() {
  const std::vector<std::string> given = {"Memet", "Mamet", "Ilham", "Nurlan", "Serik"};
  const std::vector<std::string> father = {"Abdulla", "Abdullah", "Tohti", "Qabdesh"};
  const std::vector<std::string> places = {"654002", "654021", "650102", ""};
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (size_t given_idx = 0; given_idx < given.size(); ++given_idx) {
    for (size_t father_idx = 0; father_idx < father.size(); ++father_idx) {
      for (int copy = 0; copy < 6; ++copy) {
        ++id;
        const int year = copy == 5 ? 0 : 1970 + static_cast<int>((id * 7) % 5);
        const Gender gender = copy % 3 == 0 ? Gender::kMale : Gender::kUnknown;
        std::vector<std::string> names = {given[given_idx] + " " + father[father_idx]};
        if (copy % 2 == 0) names.push_back(father[father_idx] + " " + given[given_idx]);
        records.push_back(
            Record(id, names, year, places[static_cast<size_t>(id) % places.size()], gender));
      }
    }
  }
  return records;
}

TEST(CandidateIndexBatchTest, AddBatchBuildsWhatAddBuilds) {
  std::vector<IndexRecord> records = Crowd();
  records.push_back(Record(1000, {""}));  // no name to index: rejected, as by Add
  CandidateIndex one_by_one;
  CandidateIndex batched;
  for (const IndexRecord& record : records) {
    EXPECT_EQ(one_by_one.Add(record).ok(), record.id != 1000);
  }
  std::vector<Status> added = batched.AddBatch(records, 3);
  ASSERT_EQ(added.size(), records.size());
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    EXPECT_EQ(added[record_idx].ok(), records[record_idx].id != 1000) << record_idx;
  }
  EXPECT_EQ(batched.stats().records, one_by_one.stats().records);
  EXPECT_EQ(batched.stats().postings, one_by_one.stats().postings);
  for (const char* name : {"Memet Abdulla", "Ilham Tohti", "Serik Qabdesh"}) {
    Result<std::vector<Candidate>> left = one_by_one.Find(NameQuery(name, 1972), 10);
    Result<std::vector<Candidate>> right = batched.Find(NameQuery(name, 1972), 10);
    ASSERT_TRUE(left.ok() && right.ok());
    EXPECT_EQ(Ids(*left), Ids(*right)) << name;
  }
}

TEST(CandidateIndexBoundTest, ComparingBestBoundFirstReturnsWhatComparingAllWould) {
  // A pool of every candidate for every limit, so that a short result differs from a long one
  // only by where it stops comparing.
  IndexOptions options;
  options.min_scored = 1000;
  options.scored_per_result = 1;
  CandidateIndex index(Scorer(), options);
  for (const IndexRecord& record : Crowd()) ASSERT_TRUE(index.Add(record).ok());
  for (const char* name : {"Memet Abdulla", "Mamet Abdullah", "Tohti Ilham"}) {
    Query query = NameQuery(name, 1971);
    query.fields.hometown_code = "654021";
    query.fields.gender = Gender::kMale;
    Result<std::vector<Candidate>> all = index.Find(query, 1000);
    ASSERT_TRUE(all.ok());
    ASSERT_GT(all->size(), 10u);
    for (int limit : {1, 3, 10}) {
      Result<std::vector<Candidate>> top = index.Find(query, limit);
      ASSERT_TRUE(top.ok());
      ASSERT_EQ(top->size(), static_cast<size_t>(limit));
      for (size_t rank = 0; rank < top->size(); ++rank) {
        EXPECT_EQ((*top)[rank].id, (*all)[rank].id) << name << " limit " << limit;
        EXPECT_EQ((*top)[rank].score.total, (*all)[rank].score.total);
      }
    }
    // A floor keeps exactly the candidates that reach it.
    const double floor = (*all)[5].score.total;
    query.min_score = floor;
    Result<std::vector<Candidate>> above = index.Find(query, 1000);
    ASSERT_TRUE(above.ok());
    size_t expected = 0;
    for (const Candidate& candidate : *all) expected += candidate.score.total >= floor ? 1 : 0;
    EXPECT_EQ(above->size(), expected);
    for (const Candidate& candidate : *above) EXPECT_GE(candidate.score.total, floor);
  }
}

TEST(CandidateIndexSimilarTest, FindSimilarIsFindWithTheRecordLessItself) {
  IndexOptions options;
  options.min_scored = 8;
  options.scored_per_result = 2;
  CandidateIndex index(Scorer(), options);
  std::vector<IndexRecord> records = Crowd();
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  for (const IndexRecord& record : records) {
    Result<std::vector<Candidate>> similar = index.FindSimilar(record.id, 4, 5.0);
    Result<std::vector<Candidate>> found =
        index.Find({.names = record.names, .fields = record.fields}, 5);
    ASSERT_TRUE(similar.ok() && found.ok());
    std::vector<int64_t> expected;
    for (const Candidate& candidate : *found) {
      if (candidate.id != record.id && candidate.score.total >= 5.0) {
        expected.push_back(candidate.id);
      }
    }
    if (expected.size() > 4) expected.resize(4);
    EXPECT_EQ(Ids(*similar), expected) << "record " << record.id;
  }
  EXPECT_EQ(index.FindSimilar(5000, 4).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(index.FindSimilar(1, 0).ok());
  // Removing a record takes it out of the postings its stored keys name.
  ASSERT_TRUE(index.Remove(2));
  Result<std::vector<Candidate>> after = index.FindSimilar(1, 100);
  ASSERT_TRUE(after.ok());
  for (const Candidate& candidate : *after) EXPECT_NE(candidate.id, 2);
  EXPECT_EQ(index.stats().records, records.size() - 1);
}

TEST(CandidateIndexRankingTest, TheSameWrittenFormOutranksANamesakeSpeltOtherwise) {
  CandidateIndex index;
  // The namesake has the lower id, which would win a plain tie.
  ASSERT_TRUE(index.Add(Record(1, {"Serikjan Bilash"})).ok());
  ASSERT_TRUE(index.Add(Record(2, {"Serikzhan Bilash"})).ok());
  Result<std::vector<Candidate>> found = index.Find(NameQuery("Serikzhan Bilash"), 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, 2);
  EXPECT_EQ((*found)[1].id, 1);
  // Level on score: only the written form tells them apart.
  EXPECT_DOUBLE_EQ((*found)[0].score.total, (*found)[1].score.total);
  EXPECT_GT((*found)[0].score.written, (*found)[1].score.written);
  // Written in reverse order, the same letters still come first.
  found = index.Find(NameQuery("Bilash Serikzhan"), 10);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].id, 2);
}

// A Chinese form writes the father's name without the patronymic's ending (吐尔逊 for
// Тұрсынқызы). The record is posted under the stem's key too, so that among namesakes who share
// only the given name's key the person is pre-ranked first and scored in full; without it all
// of them tie and the lower ids fill the pool.
TEST(CandidateIndexRankingTest, APatronymicsStemMeetsTheFathersNameWrittenAlone) {
  IndexOptions options;
  options.min_scored = 1;
  options.scored_per_result = 1;
  options.quick_per_scored = 2;
  CandidateIndex index(Scorer(), options);
  int64_t id = 0;
  for (const char* father : {"Серік", "Болат",    "Асқар", "Ержан",  "Нұрлан", "Қайрат", "Дәурен",
                             "Марат", "Бақыт",    "Ерлан", "Жанат",  "Самат",  "Талғат", "Мұрат",
                             "Арман", "Бекболат", "Ғалым", "Дастан", "Қанат",  "Сәкен"}) {
    ASSERT_TRUE(index.Add(Record(++id, {std::string("Гүлнара ") + father + "қызы"})).ok());
  }
  const size_t decoys_postings = index.stats().postings;
  const int64_t person = ++id;  // the highest id: a tie broken by id would lose it
  ASSERT_TRUE(index.Add(Record(person, {"Гүлнара Тұрсынқызы"})).ok());
  for (const std::string query : {"古丽娜拉·吐尔逊", "Gulnara Tursyn", "Tursyn Gulnara"}) {
    Result<std::vector<Candidate>> found = index.Find(NameQuery(query), 1);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_THAT(Ids(*found), ElementsAre(person)) << query;
  }
  // Removed, the record leaves every posting, its stem's too.
  ASSERT_TRUE(index.Remove(person));
  EXPECT_EQ(index.stats().postings, decoys_postings);
}

// Every "S?r?kzh?n B?l?sh" but the person's, then
// the person (the highest id).
std::vector<IndexRecord> VowelDecoysAndPerson(int64_t& person) {
  const std::string vowels = "aeiou";
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (char first : vowels) {
    for (char second : vowels) {
      for (char third : vowels) {
        for (char fourth : vowels) {
          for (char fifth : vowels) {
            std::string given = std::string("S") + first + "r" + second + "kzh" + third + "n";
            std::string father = std::string("B") + fourth + "l" + fifth + "sh";
            if (given == "Serikzhan" && father == "Bilash") continue;
            records.push_back(Record(++id, {given + " " + father}));
          }
        }
      }
    }
  }
  person = ++id;
  records.push_back(Record(person, {"Serikzhan Bilash", "Серікжан Біләш"}));
  return records;
}

// Every spelling of "S?r?kzh?n B?l?sh" with other vowels shares the person's phonetic keys
// (SRKJN, BLX), so all of them are candidates of a query for the person, far more than the
// index scores in full (IndexOptions::min_scored). A typo in one word must still find the
// person, who writes the other word as the query does.
TEST(CandidateIndexRankingTest, ATypoIsFoundAmongThousandsOfDecoysSharingItsKeys) {
  int64_t person = 0;  // the highest id: a tie broken by id would lose it
  const std::vector<IndexRecord> records = VowelDecoysAndPerson(person);
  CandidateIndex index;
  for (const Status& status : index.AddBatch(records, 2)) ASSERT_TRUE(status.ok());
  ASSERT_GT(records.size(), 3000u);
  // A decoy one edit from the typo ("Serakzhan Bilash" from "Serjkzhan Bilash") is as close as
  // the person, so the person is asked among the top 10, not first.
  for (const std::string typo : {"Serikzhan Bilasj", "Serikzhan Bilssh", "Serjkzhan Bilash"}) {
    Result<std::vector<Candidate>> found = index.Find(NameQuery(typo), 10);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_THAT(Ids(*found), ::testing::Contains(person)) << typo;
  }
}

// A written part with one letter changed gets the credit of a written neighbour: among the
// thousands sharing its keys, only the few written one letter from the query are scored in
// full (with min_scored 8: the person and the four decoys one vowel away), whether the index
// was built in one batch, one record at a time (its table of written keys' deletions growing
// as it goes), or loaded from a snapshot (the table rebuilt). Without the credit, the 625
// decoys writing "Bilash" would tie the person, and the lower ids would be scored.
TEST(CandidateIndexRankingTest, AWrittenPartWithOneLetterChangedGetsItsCredit) {
  int64_t person = 0;
  const std::vector<IndexRecord> records = VowelDecoysAndPerson(person);
  IndexOptions options;
  options.min_scored = 8;
  options.scored_per_result = 1;
  CandidateIndex batch(Scorer(), options);
  for (const Status& status : batch.AddBatch(records, 2)) ASSERT_TRUE(status.ok());
  CandidateIndex one_by_one(Scorer(), options);
  for (const IndexRecord& record : records) ASSERT_TRUE(one_by_one.Add(record).ok());
  CandidateIndex loaded(Scorer(), options);
  ASSERT_TRUE(loaded.LoadSnapshot(batch.SaveSnapshot()).ok());
  // One letter changed in either part, at the start, inside or at the end of it.
  for (const std::string typo : {"Serjkzhan Bilash", "Terikzhan Bilash", "Serikzhan Bilasj",
                                 "Serikzhan Bilssh", "Serikzhaq Bilash"}) {
    for (const CandidateIndex* index : {&batch, &one_by_one, &loaded}) {
      Result<std::vector<Candidate>> found = index->Find(NameQuery(typo), 8);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      EXPECT_THAT(Ids(*found), ::testing::Contains(person)) << typo;
    }
  }
  // The same answers from all three, candidate by candidate.
  for (const std::string query : {"Serjkzhan Bilash", "Sarukzhen Bolish", "Bilash Serikzhan"}) {
    Result<std::vector<Candidate>> expected = batch.Find(NameQuery(query), 8);
    ASSERT_TRUE(expected.ok());
    for (const CandidateIndex* index : {&one_by_one, &loaded}) {
      Result<std::vector<Candidate>> found = index->Find(NameQuery(query), 8);
      ASSERT_TRUE(found.ok());
      EXPECT_EQ(Ids(*found), Ids(*expected)) << query;
    }
  }
}

// Every position of a written part counts: each record writes "Nurmuhammet" with one letter
// changed to 'x' (one record per position), among a crowd of decoys that share its other part
// and, mostly, its keys, but write the given name two letters otherwise. With a pool the size of
// the limit, only what the pre-ranking puts first is scored: exactly the records one letter
// from the query, whichever letter, which the written neighbours' credit alone sets apart.
TEST(CandidateIndexRankingTest, EveryLetterChangedIsAWrittenNeighbour) {
  const std::string given = "Nurmuhammet";
  std::vector<IndexRecord> records;
  int64_t id = 0;
  // Decoys first (lower ids win ties): the same keys, written with other vowels.
  for (const char* decoy : {"Nurmuhemmat", "Nirmuhammit", "Nurmohemmet", "Normuhammat",
                            "Nurmuhommit", "Nermahammet", "Nurmihammot", "Narmuhemmet"}) {
    for (int copy = 0; copy < 40; ++copy) {
      records.push_back(Record(++id, {std::string(decoy) + " Tursun"}));
    }
  }
  std::vector<int64_t> neighbours;
  for (size_t at = 1; at < given.size(); ++at) {
    std::string variant = given;
    variant[at] = given[at] == 'x' ? 'y' : 'x';
    records.push_back(Record(++id, {variant + " Tursun"}));
    neighbours.push_back(id);
  }
  IndexOptions options;
  options.min_scored = static_cast<int>(neighbours.size());
  options.scored_per_result = 1;
  CandidateIndex index(Scorer(), options);
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
  Result<std::vector<Candidate>> found =
      index.Find(NameQuery(given + " Tursun"), static_cast<int>(neighbours.size()));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ::testing::UnorderedElementsAreArray(neighbours));
}

TEST(CandidateIndexScratchTest, FindGivesTheSameOnOneThreadAndOnTwoReusingTheirScratch) {
  // Each thread keeps its scratch marks between queries: a query must leave none behind that
  // changes the next one's ranking, whichever thread runs it and in whatever order.
  const std::vector<std::string> given = {"Memet", "Mamet", "Ilham", "Nurlan", "Serik", "Aygul"};
  const std::vector<std::string> father = {"Abdulla", "Abdullah", "Tohti", "Qabdesh", "Bilash"};
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (const std::string& first : given) {
    for (const std::string& second : father) {
      for (int copy = 0; copy < 6; ++copy) {
        ++id;
        records.push_back(Record(id, {first + " " + second}, 1960 + static_cast<int>(id % 9),
                                 copy % 2 == 0 ? "654002" : "650102"));
      }
    }
  }
  CandidateIndex index;
  for (const Status& status : index.AddBatch(records, 2)) ASSERT_TRUE(status.ok());
  std::vector<Query> queries;
  for (const std::string& first : given) {
    for (const std::string& second : father) {
      queries.push_back(NameQuery(first + " " + second, 1963));
      queries.push_back(NameQuery(second + " " + first));   // reordered
      queries.push_back(NameQuery(first + "x " + second));  // a typo
    }
  }
  auto find_all = [&](size_t begin, size_t step, std::vector<std::vector<int64_t>>& out) {
    for (size_t query_idx = begin; query_idx < queries.size(); query_idx += step) {
      Result<std::vector<Candidate>> found = index.Find(queries[query_idx], 5);
      if (found.ok()) out[query_idx] = Ids(*found);
    }
  };
  std::vector<std::vector<int64_t>> one(queries.size());
  find_all(0, 1, one);
  std::vector<std::vector<int64_t>> two(queries.size());
  std::vector<std::vector<int64_t>> two_other(queries.size());
  {
    std::thread other([&] { find_all(1, 2, two_other); });
    find_all(0, 2, two);
    other.join();
  }
  size_t found = 0;
  for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
    const auto& got = query_idx % 2 == 0 ? two[query_idx] : two_other[query_idx];
    EXPECT_EQ(got, one[query_idx]) << "query " << query_idx;
    if (!one[query_idx].empty()) ++found;
  }
  EXPECT_EQ(found, queries.size());
}

// A record's forms as the index keeps them (Pack, UnpackForms): the text as given and each
// part's role, ASCII form, keys, stem and pinyin reading; not the part's characters.
std::vector<names::NameAnalysis> AsIndexed(const std::vector<std::string>& names) {
  std::vector<names::NameAnalysis> forms;
  for (const std::string& name : names) {
    Result<names::NameAnalysis> analysis = names::AnalyzeName(name);
    EXPECT_TRUE(analysis.ok()) << name;
    if (!analysis.ok()) continue;
    names::NameAnalysis kept;
    kept.input = analysis->input;
    for (names::NameAnalysis::Part part : analysis->parts) {
      part.text.clear();
      part.pinyin_key.clear();
      kept.parts.push_back(std::move(part));
    }
    forms.push_back(std::move(kept));
  }
  return forms;
}

// Find keeps the scores of pairs of parts per query (names::PartScoreMemo: its fifty candidates
// share most of their parts): every candidate it returns must score exactly as its record
// compared alone, without a memo, in every script and with parts shared across records.
TEST(CandidateIndexMemoTest, EveryCandidateScoresAsItsRecordComparedAlone) {
  struct Person {
    std::vector<std::string> names;
  };
  const std::vector<Person> people = {
      {{"Memet Tursun", "Мемет Турсун", "买买提·吐尔逊"}},
      {{"Tursun Memet", "吐尔逊·买买提"}},
      {{"Memet Abdulla", "Мемет Абдулла"}},
      {{"Ilham Tohti", "ئىلھام توختى", "伊力哈木·土赫提"}},
      {{"Ilham Tursun", "Ильхам Турсун"}},
      {{"Gulnar Abdukerim", "古丽娜尔·阿不都克力木"}},
      {{"Abdukerimova Gulnar"}},
      {{"Bakhyt Nurlanuly", "Бақыт Нұрланұлы"}},
      {{"Nurlan Memet"}},
      {{"Chen Quanguo", "陈全国"}},
  };
  CandidateIndex index;
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (int copy = 0; copy < 4; ++copy) {
    for (const Person& person : people) {
      ++id;
      records.push_back(Record(id, person.names, 1965 + static_cast<int>(id % 6),
                               id % 2 == 0 ? "654002" : "650102"));
      ASSERT_TRUE(index.Add(records.back()).ok());
    }
  }
  const Scorer scorer;
  size_t compared = 0;
  for (const char* name : {"Memet Tursun", "买买提·吐尔逊", "Мемет Абдулла", "Tohti Ilham",
                           "古丽娜尔", "Nurlanuly Bakhyt", "陈全国", "Tursun"}) {
    Query query = NameQuery(name, 1967);
    query.fields.hometown_code = "654002";
    ASSERT_OK_AND_ASSIGN(std::vector<Candidate> found, index.Find(query, 40));
    ASSERT_FALSE(found.empty()) << name;
    ASSERT_OK_AND_ASSIGN(names::NameAnalysis query_name, names::AnalyzeName(name));
    for (const Candidate& candidate : found) {
      const IndexRecord& record = records[static_cast<size_t>(candidate.id - 1)];
      const Score alone = scorer.CompareUnexplained({query_name}, query.fields,
                                                    AsIndexed(record.names), record.fields);
      EXPECT_EQ(candidate.score.total, alone.total) << name << " ~ " << record.names[0];
      EXPECT_EQ(candidate.score.name_score, alone.name_score) << name << " ~ " << record.names[0];
      EXPECT_EQ(candidate.score.written, alone.written) << name << " ~ " << record.names[0];
      ++compared;
    }
  }
  EXPECT_GT(compared, 80u);
}

// The numbers Find gives the candidates' packed parts for the memo: equal bytes, equal number;
// other bytes, another; kept as the table grows, and given anew after Clear.
TEST(PartNumbersTest, EqualBytesTakeEqualNumbers) {
  std::vector<std::string> texts;
  for (int idx = 0; idx < 1000; ++idx) texts.push_back("part " + std::to_string(idx));
  internal::PartNumbers numbers;
  std::vector<uint32_t> first;
  for (const std::string& text : texts) first.push_back(numbers.Of(text));
  for (size_t idx = 0; idx < texts.size(); ++idx) {
    EXPECT_EQ(first[idx], idx + 1) << texts[idx];  // from 1, in the order first met
    const std::string copy = texts[idx];           // equal bytes elsewhere
    EXPECT_EQ(numbers.Of(copy), first[idx]);
  }
  EXPECT_LT(numbers.Of("part 1000"), internal::kQueryPartNumbers);
  EXPECT_EQ(numbers.Of("part 1000"), 1001u);
  numbers.Clear();
  EXPECT_EQ(numbers.Of(texts[500]), 1u);
}

// Find unpacks each distinct form of its candidates once per query (UnpackedForms): a record's
// forms must be those UnpackForms gives, a form met again (in the same record or another) the
// same analysis under the same number, and parts numbered as their bytes are.
TEST(UnpackedFormsTest, EachFormIsUnpackedOnceAsUnpackFormsUnpacksIt) {
  const std::vector<std::vector<std::string>> records = {
      {"Ilham Tohti", "ئىلھام توختى", "伊力哈木·土赫提"},
      {"Ilham Tursun", "Ильхам Турсун"},
      {"Ilham Tohti", "Gulnar Abdukerim"},
      {"Gulnar Abdukerim", "Gulnar Abdukerim"},  // one form twice
      {"Tohti Ilham"},
      {"Serikzhan Bilash", "Серікжан Біләш", "赛力克江·比拉什"},
  };
  std::vector<std::string> packed;
  for (const std::vector<std::string>& names : records) {
    packed.push_back(internal::PackForms(AsIndexed(names)));
  }
  auto same_parts = [](const names::NameAnalysis::Part& left,
                       const names::NameAnalysis::Part& right) {
    return left.role == right.role && left.ascii == right.ascii && left.key == right.key &&
           left.stem == right.stem && left.stem_key == right.stem_key &&
           left.alt_ascii == right.alt_ascii && left.alt_key == right.alt_key;
  };
  internal::UnpackedForms unpacked;
  std::map<std::string, uint32_t> form_numbers;  // by input
  std::map<std::string, uint32_t> part_numbers;  // by every member packed
  for (int round = 0; round < 3; ++round) {      // records met again, after the forms grew
    for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
      std::vector<names::NameAnalysis> expected;
      internal::UnpackForms(packed[record_idx], expected);
      const std::span<const names::NameAnalysis* const> forms = unpacked.Of(packed[record_idx]);
      ASSERT_EQ(forms.size(), expected.size()) << records[record_idx][0];
      for (size_t form_idx = 0; form_idx < forms.size(); ++form_idx) {
        const names::NameAnalysis& form = *forms[form_idx];
        const names::NameAnalysis& want = expected[form_idx];
        EXPECT_EQ(form.input, want.input);
        ASSERT_EQ(form.parts.size(), want.parts.size()) << want.input;
        EXPECT_NE(form.memo_id, 0u);
        // Equal forms (the inputs here differ where the forms do), equal numbers.
        auto [known, added] = form_numbers.emplace(form.input, form.memo_id);
        EXPECT_EQ(known->second, form.memo_id) << form.input;
        for (size_t part_idx = 0; part_idx < form.parts.size(); ++part_idx) {
          const names::NameAnalysis::Part& part = form.parts[part_idx];
          EXPECT_TRUE(same_parts(part, want.parts[part_idx])) << want.input << " " << part.ascii;
          EXPECT_NE(part.memo_id, 0u);
          EXPECT_NE(part.memo_id, form.memo_id);
          const std::string content = part.role + "|" + part.ascii + "|" + part.key + "|" +
                                      part.stem + "|" + part.stem_key + "|" + part.alt_ascii + "|" +
                                      part.alt_key;
          auto [part_known, part_added] = part_numbers.emplace(content, part.memo_id);
          EXPECT_EQ(part_known->second, part.memo_id) << part.ascii;
        }
      }
      if (record_idx == 3) {
        EXPECT_EQ(forms[0], forms[1]);  // one analysis for the form twice
      }
    }
  }
  // Different forms, different numbers; different parts too.
  std::set<uint32_t> distinct;
  for (const auto& [input, number] : form_numbers) distinct.insert(number);
  EXPECT_EQ(distinct.size(), form_numbers.size());
  EXPECT_EQ(form_numbers.size(), 10u);
  std::set<uint32_t> distinct_parts;
  for (const auto& [text, number] : part_numbers) distinct_parts.insert(number);
  EXPECT_EQ(distinct_parts.size(), part_numbers.size());
  // After Clear, numbered anew from 1 (the first form's number comes first).
  unpacked.Clear();
  EXPECT_EQ(unpacked.Of(packed[4])[0]->memo_id, 1u);
}

}  // namespace
}  // namespace izde::match
