// How the walk of postings closes (candidate_index.cc, FindAnalysed): a long posting of a later
// key group first credits the candidates already found, and admits the ones it meets for the
// first time only if the walk cannot close then; once closed, the candidates that can no
// longer pass the pre-ranking's floor are dropped. Neither may change whom Find returns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "match/candidate_index.h"

namespace izde::match {
namespace {

IndexRecord Record(int64_t id, std::string name, int birth_year) {
  IndexRecord record;
  record.id = id;
  record.names = {std::move(name)};
  record.fields.birth = YearRange::Exactly(birth_year);
  return record;
}

std::vector<int64_t> Ids(const std::vector<Candidate>& candidates) {
  std::vector<int64_t> ids;
  for (const Candidate& candidate : candidates) ids.push_back(candidate.id);
  return ids;
}

const std::vector<std::string>& Others() {
  static const std::vector<std::string> others = {"Serik", "Bolat",  "Daulet", "Askar",
                                                  "Marat", "Erlan",  "Aidos",  "Kairat",
                                                  "Timur", "Ruslan", "Yerbol", "Sanzhar"};
  return others;
}

// One scored in full: the pre-ranking alone decides who is returned.
IndexOptions OneScored() {
  IndexOptions options;
  options.min_scored = 1;
  options.scored_per_result = 1;
  return options;
}

// Whom Find returns first for "Ilyas Nurmuhammet" born in 1961, among `rarer` persons holding
// "Nurmuhammet" alone and 1,200 holding "Ilyas" alone, all born in 1930, and the person, an
// "Ilyas" born in 1961 (last by id); one scored in full.
std::vector<int64_t> FindTheIlyasBornIn1961(size_t rarer, int64_t& person) {
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (size_t count = 0; count < rarer; ++count) {
    ++id;
    records.push_back(Record(id, Others()[count % Others().size()] + " Nurmuhammet", 1930));
  }
  for (size_t count = 0; count < 1200; ++count) {
    ++id;
    records.push_back(Record(id, "Ilyas " + Others()[count % Others().size()], 1930));
  }
  person = ++id;
  records.push_back(Record(person, "Ilyas Serik", 1961));
  CandidateIndex index(Scorer(), OneScored());
  for (const IndexRecord& record : records) EXPECT_TRUE(index.Add(record).ok());

  Query query;
  query.names = {"Ilyas Nurmuhammet"};
  query.fields.birth = YearRange::Exactly(1961);
  Result<std::vector<Candidate>> found = index.Find(query, 1);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  return found.ok() ? Ids(*found) : std::vector<int64_t>{};
}

TEST(CandidateIndexCloseTest, APersonMetFirstInALaterLongPostingIsAdmitted) {
  // 400 persons share the rarer part "Nurmuhammet", 1,200 the common part "Ilyas". Asked with
  // 1961, the birth year outweighs the rarer part: the walk cannot close at the long posting of
  // "Ilyas" (the holders of "Nurmuhammet" alone do not outrank its newcomers), so its
  // newcomers must be admitted after the posting has credited the candidates already found.
  int64_t person = 0;
  const std::vector<int64_t> found = FindTheIlyasBornIn1961(400, person);
  EXPECT_THAT(found, ::testing::ElementsAre(person));
}

TEST(CandidateIndexCloseTest, ThePersonHoldingBothPartsWinsWhenTheWalkClosesInsideAPosting) {
  // The person holds the rarer and the common part; 300 others hold the rarer part alone (lower
  // ids: a tie goes to them) and 1,500 the common part alone. The long posting of the common
  // part credits the person first; the walk then closes there, and its 1,500 newcomers are
  // never admitted. By name alone, and with a birth year all share.
  for (bool with_year : {false, true}) {
    std::vector<IndexRecord> records;
    int64_t id = 0;
    for (size_t count = 0; count < 300; ++count) {
      ++id;
      records.push_back(Record(id, Others()[count % Others().size()] + " Nurmuhammet", 1961));
    }
    for (size_t count = 0; count < 1500; ++count) {
      ++id;
      records.push_back(Record(id, "Ilyas " + Others()[count % Others().size()], 1961));
    }
    const int64_t person = ++id;
    records.push_back(Record(person, "Ilyas Nurmuhammet", 1961));
    CandidateIndex index(Scorer(), OneScored());
    for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());

    Query query;
    query.names = {"Ilyas Nurmuhammet"};
    if (with_year) query.fields.birth = YearRange::Exactly(1961);
    Result<std::vector<Candidate>> found = index.Find(query, 1);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_THAT(Ids(*found), ::testing::ElementsAre(person)) << (with_year ? "with the year" : "");
  }
}

TEST(CandidateIndexCloseTest, TheWalkStaysOpenForANewcomerWhoseBirthYearCanLiftItPastOthers) {
  // 200 persons hold "Nurmuhammet" (about 3 bits among 1,401), 1,200 "Ilyas" (under half a
  // bit). The holders of "Nurmuhammet" hold more than a newcomer of "Ilyas" could gather with
  // the most a birth year adds (+2), but not with the bonuses' whole spread: they lose 2 for
  // their year as the person gains 2. The walk must not close at the posting of "Ilyas" (and
  // the pre-ranking's floor must not leave the person out): the person outranks them all.
  int64_t person = 0;
  const std::vector<int64_t> found = FindTheIlyasBornIn1961(200, person);
  EXPECT_THAT(found, ::testing::ElementsAre(person));
}

}  // namespace
}  // namespace izde::match
