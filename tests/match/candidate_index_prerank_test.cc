// Find's pre-ranking reads a compact copy of each record's birth years and hometown (not the
// record itself), and looks keys up in its own open-addressing table. These tests keep the
// pre-ranking so narrow (one candidate scored in full) that the person is found only when the
// copy agrees with the record: a wrong bonus, a stale copy or a key lost by the table leaves
// a decoy, or nothing, in the person's place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "match/candidate_index.h"

namespace izde::match {
namespace {

IndexRecord Record(int64_t id, std::string name, std::string hometown, int birth_year = 0) {
  IndexRecord record;
  record.id = id;
  record.names = {std::move(name)};
  record.fields.hometown_code = std::move(hometown);
  if (birth_year != 0) record.fields.birth = YearRange::Exactly(birth_year);
  return record;
}

// One candidate scored in full: the pre-ranking alone decides who it is.
IndexOptions OneScored() {
  IndexOptions options;
  options.min_scored = 1;
  options.scored_per_result = 1;
  return options;
}

std::vector<int64_t> FindIds(const CandidateIndex& index, const Query& query, int limit) {
  Result<std::vector<Candidate>> found = index.Find(query, limit);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  std::vector<int64_t> ids;
  if (found.ok()) {
    for (const Candidate& candidate : *found) ids.push_back(candidate.id);
  }
  return ids;
}

Query NameAndPlace(std::string name, std::string hometown) {
  Query query;
  query.names = {std::move(name)};
  query.fields.hometown_code = std::move(hometown);
  return query;
}

// Namesakes with lower ids (a tie goes to the lower id) and hometowns of every length: a
// county is the first six characters, a prefecture the first four.
TEST(CandidateIndexPreRankTest, TheSameCountyOutranksAShorterHometownSharingItsPrefix) {
  CandidateIndex index(Scorer(), OneScored());
  int64_t id = 0;
  for (const char* hometown : {"65400", "6540", "659001", "65", "", "6540021", "65900"}) {
    for (int copy = 0; copy < 5; ++copy) {
      ASSERT_TRUE(index.Add(Record(++id, "Serik Bolatuly", hometown)).ok());
    }
  }
  // "6540021" shares the county "654002" too: the person must come before it only by the
  // full score, which is the same; so it is left out of this query's county.
  const int64_t person = ++id;
  ASSERT_TRUE(index.Add(Record(person, "Serik Bolatuly", "654003")).ok());
  // "65400" and "6540" share the prefecture "6540" with "654003" (+1); only the person shares
  // its county (+2). Five characters are not a county.
  EXPECT_THAT(FindIds(index, NameAndPlace("Serik Bolatuly", "654003"), 1),
              ::testing::ElementsAre(person));
  // A query of five characters names no county: everyone in prefecture "6540" ties, and the
  // lowest id ("65400") comes first.
  EXPECT_THAT(FindIds(index, NameAndPlace("Serik Bolatuly", "65400"), 1),
              ::testing::ElementsAre(1));
  // The longer hometown "6540021" is in county "654002": its first holder (ids 26..30) wins
  // over the prefecture's.
  EXPECT_THAT(FindIds(index, NameAndPlace("Serik Bolatuly", "654002"), 1),
              ::testing::ElementsAre(26));
}

TEST(CandidateIndexPreRankTest, ABirthYearInRangeOutranksNamesakesBornElsewhen) {
  CandidateIndex index(Scorer(), OneScored());
  int64_t id = 0;
  for (int year : {1960, 1972, 1976, 1990, 0}) {  // 1972 and 1976: two years off, no bonus
    for (int copy = 0; copy < 5; ++copy) {
      ASSERT_TRUE(index.Add(Record(++id, "Gulnar Tursun", "", year)).ok());
    }
  }
  const int64_t person = ++id;
  ASSERT_TRUE(index.Add(Record(person, "Gulnar Tursun", "", 1974)).ok());
  Query query;
  query.names = {"Gulnar Tursun"};
  query.fields.birth = YearRange::Exactly(1974);
  EXPECT_THAT(FindIds(index, query, 1), ::testing::ElementsAre(person));
}

TEST(CandidateIndexPreRankTest, AReaddedRecordIsPreRankedByItsNewFields) {
  CandidateIndex index(Scorer(), OneScored());
  for (int64_t id = 1; id <= 10; ++id) {
    ASSERT_TRUE(index.Add(Record(id, "Aidos Kairatuly", "659001")).ok());
  }
  const int64_t person = 11;
  ASSERT_TRUE(index.Add(Record(person, "Aidos Kairatuly", "659001")).ok());
  EXPECT_THAT(FindIds(index, NameAndPlace("Aidos Kairatuly", "654002"), 1),
              ::testing::ElementsAre(1));
  // Replaced in place with another hometown, then removed and added again (its slot reused).
  ASSERT_TRUE(index.Add(Record(person, "Aidos Kairatuly", "654002")).ok());
  EXPECT_THAT(FindIds(index, NameAndPlace("Aidos Kairatuly", "654002"), 1),
              ::testing::ElementsAre(person));
  ASSERT_TRUE(index.Remove(person));
  ASSERT_TRUE(index.Remove(3));
  ASSERT_TRUE(index.Add(Record(person, "Aidos Kairatuly", "654002")).ok());
  EXPECT_THAT(FindIds(index, NameAndPlace("Aidos Kairatuly", "654002"), 1),
              ::testing::ElementsAre(person));
  // The removed record's place is not kept: a query of its hometown finds the others.
  EXPECT_THAT(FindIds(index, NameAndPlace("Aidos Kairatuly", "659001"), 1),
              ::testing::ElementsAre(1));
}

TEST(CandidateIndexPreRankTest, ABirthYearCanLiftAPersonPastNamesakesBornFarFromIt) {
  // 20 namesakes of the query, born in 1930, hold both its parts; the person holds only the
  // rarer one, "Nurmuhammet", and was born in the year asked. The part it lacks, "Ilyas" (held
  // by 100 of 501 records), is worth about 2.5 bits with its written form. The namesakes lose 2
  // for their year, the person gains 2: it passes them by about 1.5, though its rarity is below
  // theirs by more than the +2 a year can add. The pre-ranking's floor must allow for the whole
  // spread of the bonuses.
  CandidateIndex index(Scorer(), OneScored());
  int64_t id = 0;
  for (int copy = 0; copy < 20; ++copy) {
    ASSERT_TRUE(index.Add(Record(++id, "Ilyas Nurmuhammet", "", 1930)).ok());
  }
  const std::vector<std::string> others = {"Serik",  "Bolat",   "Daulet", "Askar",  "Marat",
                                           "Erlan",  "Aidos",   "Kairat", "Timur",  "Ruslan",
                                           "Yerbol", "Sanzhar", "Berik",  "Nurlan", "Dias",
                                           "Azamat", "Ermek",   "Zhanat", "Olzhas", "Arman"};
  for (size_t copy = 0; copy < 80; ++copy) {
    ASSERT_TRUE(index.Add(Record(++id, "Ilyas " + others[copy % others.size()], "", 1930)).ok());
  }
  for (size_t copy = 0; copy < 400; ++copy) {
    const std::string name =
        others[copy % others.size()] + " " + others[(copy / 20 + 1 + copy) % others.size()];
    ASSERT_TRUE(index.Add(Record(++id, name, "", 1930)).ok());
  }
  const int64_t person = ++id;
  ASSERT_TRUE(index.Add(Record(person, "Nurmuhammet", "", 1961)).ok());
  Query query;
  query.names = {"Ilyas Nurmuhammet"};
  query.fields.birth = YearRange::Exactly(1961);
  EXPECT_THAT(FindIds(index, query, 1), ::testing::ElementsAre(person));
  // Without the year the namesakes come first.
  query.fields.birth = YearRange();
  EXPECT_THAT(FindIds(index, query, 1), ::testing::ElementsAre(1));
}

// Invented names, each distinct: "Bakorimu Dasetulo"... from syllables, so that the index holds
// far more keys than the first 1,024 places of its key table take (512: it grows at half full).
std::string Invented(int number) {
  static const std::vector<std::string> syllables = {"ba", "ko", "ri", "mu", "da", "se",
                                                     "tu", "lo", "ne", "ga", "zi", "po"};
  std::string first;
  std::string second;
  int rest = number;
  for (int idx = 0; idx < 3; ++idx) {
    first += syllables[static_cast<size_t>(rest % 12)];
    rest /= 12;
  }
  rest = number * 7 + 3;
  for (int idx = 0; idx < 3; ++idx) {
    second += syllables[static_cast<size_t>(rest % 12)];
    rest /= 12;
  }
  first[0] = static_cast<char>(first[0] - 'a' + 'A');
  second[0] = static_cast<char>(second[0] - 'a' + 'A');
  return first + " " + second;
}

TEST(CandidateIndexPreRankTest, EveryKeyIsFoundAfterTheKeyTableGrows) {
  CandidateIndex index;
  constexpr int kPersons = 600;
  for (int number = 0; number < kPersons; ++number) {
    ASSERT_TRUE(index.Add(Record(number + 1, Invented(number), "")).ok()) << Invented(number);
  }
  ASSERT_GT(index.stats().keys, 1024U);
  for (int number = 0; number < kPersons; ++number) {
    Query query;
    query.names = {Invented(number)};
    std::vector<int64_t> ids = FindIds(index, query, 1);
    ASSERT_FALSE(ids.empty()) << Invented(number);
    EXPECT_EQ(ids.front(), number + 1) << Invented(number);
  }
  // The same after a snapshot round trip, whose load rebuilds the table.
  CandidateIndex loaded;
  ASSERT_TRUE(loaded.LoadSnapshot(index.SaveSnapshot()).ok());
  for (int number = 0; number < kPersons; number += 7) {
    Query query;
    query.names = {Invented(number)};
    std::vector<int64_t> ids = FindIds(loaded, query, 1);
    ASSERT_FALSE(ids.empty()) << Invented(number);
    EXPECT_EQ(ids.front(), number + 1) << Invented(number);
  }
}

}  // namespace
}  // namespace izde::match
