// The walk of long postings (IndexOptions::long_posting): once enough candidates are certain
// to outrank anyone met later, the rest of the postings only credit the candidates already
// found. Near keys (a typo or a variant spelling) must credit them too, or the person whose
// other part is misspelt ranks level with everyone who shares only the common part.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "match/candidate_index.h"

namespace izde::match {
namespace {

IndexRecord Record(int64_t id, std::string name) {
  IndexRecord record;
  record.id = id;
  record.names = {std::move(name)};
  return record;
}

std::vector<int64_t> Ids(const std::vector<Candidate>& candidates) {
  std::vector<int64_t> ids;
  for (const Candidate& candidate : candidates) ids.push_back(candidate.id);
  return ids;
}

// Twenty persons named "Ilyas <other>" and twenty "<other> Nurmuhammet": both parts are common,
// so both postings are long, and the one of "Ilyas" (shared exactly) is walked first.
std::vector<IndexRecord> Crowd() {
  const std::vector<std::string> others = {"Serik",     "Bolat",   "Daulet", "Askar", "Marat",
                                           "Erlan",     "Aidos",   "Kairat", "Timur", "Ruslan",
                                           "Yerbol",    "Sanzhar", "Dias",   "Galym", "Olzhas",
                                           "Bauyrzhan", "Talgat",  "Adil",   "Berik", "Gani"};
  std::vector<IndexRecord> records;
  int64_t id = 0;
  for (const std::string& other : others) records.push_back(Record(++id, "Ilyas " + other));
  for (const std::string& other : others) records.push_back(Record(++id, other + " Nurmuhammet"));
  return records;
}

IndexOptions SmallWalk() {
  IndexOptions options;
  options.long_posting = 4;  // as 4,096 is among a million persons
  options.min_scored = 3;    // a pre-ranking that keeps few, as 50 of thousands
  options.scored_per_result = 1;
  options.near_max_share = 1.0;  // near keys of common parts are looked up, as at 1M (1/64)
  return options;
}

TEST(CandidateIndexWalkTest, AMisspeltPartStillCreditsThePersonAfterTheWalkCloses) {
  std::vector<IndexRecord> records = Crowd();
  const int64_t person = static_cast<int64_t>(records.size()) + 1;  // last: a tie would lose it
  records.push_back(Record(person, "Ilyas Nurmuhammet"));
  CandidateIndex index(Scorer(), SmallWalk());
  for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());

  // "Nurmuhfmmet" has another key than "Nurmuhammet"; only its near key (one consonant class
  // dropped) and its written neighbour (one letter changed) meet the person's.
  Query query;
  query.names = {"Ilyas Nurmuhfmmet"};
  Result<std::vector<Candidate>> found = index.Find(query, 1);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ::testing::ElementsAre(person));

  // The same with the typo on the other side: the common part shared exactly is "Nurmuhammet".
  query.names = {"Ilyaz Nurmuhammet"};
  found = index.Find(query, 1);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ::testing::ElementsAre(person));
}

TEST(CandidateIndexWalkTest, ClosingTheWalkEarlyRanksAsWalkingEverything) {
  // With postings never long, every posting is walked in full: the closed walk must rank the
  // person first as the full walk does.
  std::vector<IndexRecord> records = Crowd();
  const int64_t person = static_cast<int64_t>(records.size()) + 1;
  records.push_back(Record(person, "Ilyas Nurmuhammet"));
  IndexOptions full = SmallWalk();
  full.long_posting = 1'000'000;
  CandidateIndex closed(Scorer(), SmallWalk());
  CandidateIndex walked(Scorer(), full);
  for (const IndexRecord& record : records) {
    ASSERT_TRUE(closed.Add(record).ok());
    ASSERT_TRUE(walked.Add(record).ok());
  }
  for (const char* name : {"Ilyas Nurmuhfmmet", "Ilyaz Nurmuhammet", "Nurmuhammet Ilyas"}) {
    Query query;
    query.names = {name};
    Result<std::vector<Candidate>> left = closed.Find(query, 1);
    Result<std::vector<Candidate>> right = walked.Find(query, 1);
    ASSERT_TRUE(left.ok() && right.ok()) << name;
    EXPECT_EQ(Ids(*left), Ids(*right)) << name;
  }
}

// The person holds the rarer part with every `rare_every`-th decoy and the common part with the
// others, last by id so that it is the last entry of the common part's posting (thousands of
// slots); with one candidate scored in full, it is found only if that posting credits it
// (else it ties with the decoys holding the rarer part, and the lowest id wins). With the
// rarer part held by a third of the persons and a birth year asked, the walk is still open at
// the common part (new candidates and credits mixed); held by a seventh, or without the year,
// it has closed before it (only credits, entry by entry).
std::vector<IndexRecord> LongPostings(int rare_every) {
  const std::vector<std::string> others = {"Serik", "Bolat",  "Daulet", "Askar",
                                           "Marat", "Erlan",  "Aidos",  "Kairat",
                                           "Timur", "Ruslan", "Yerbol", "Sanzhar"};
  std::vector<IndexRecord> records;
  for (int64_t id = 1; id <= 3000; ++id) {
    const std::string& other = others[static_cast<size_t>(id) % others.size()];
    IndexRecord record =
        Record(id, id % rare_every == 0 ? other + " Nurmuhammet" : "Ilyas " + other);
    record.fields.birth = YearRange::Exactly(1961);
    records.push_back(std::move(record));
  }
  return records;
}

TEST(CandidateIndexWalkTest, APersonAtTheEndOfALongPostingIsCredited) {
  for (int rare_every : {3, 7}) {
    std::vector<IndexRecord> records = LongPostings(rare_every);
    const int64_t person = static_cast<int64_t>(records.size()) + 1;
    records.push_back(Record(person, "Ilyas Nurmuhammet"));
    records.back().fields.birth = YearRange::Exactly(1961);
    IndexOptions options;
    options.min_scored = 1;
    options.scored_per_result = 1;
    CandidateIndex index(Scorer(), options);
    for (const IndexRecord& record : records) ASSERT_TRUE(index.Add(record).ok());
    for (bool with_year : {false, true}) {
      Query query;
      query.names = {"Ilyas Nurmuhammet"};
      if (with_year) query.fields.birth = YearRange::Exactly(1961);
      Result<std::vector<Candidate>> found = index.Find(query, 1);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      EXPECT_THAT(Ids(*found), ::testing::ElementsAre(person))
          << "rarer part every " << rare_every << (with_year ? ", with the year" : "");
    }
  }
}

// A near key's posting is walked as the postings of the keys under it, less the query's own
// key. "Serikzhan" (SLKJN), "Serikshan" (SLKXN) and "Seriktan" (SLKTN) meet under "~SLKN"; written,
// "Seriktan" is two letters from "Serikzhan", so only that near key finds it. It must be found
// whether its key came before the others under "~SLKN", after them, or came back after its
// record was removed, and from an index loaded from a snapshot.
TEST(CandidateIndexWalkTest, ARecordOneClassAwayIsFoundWhicheverKeyCameFirst) {
  const std::vector<std::string> others = {"Serikzhan Bolat", "Serikzhan Daulet",
                                           "Serikshan Askar"};
  constexpr int64_t kPerson = 100;
  auto expect_found = [](const CandidateIndex& index, const std::string& how) {
    Query query;
    query.names = {"Serikzhan"};
    Result<std::vector<Candidate>> found = index.Find(query, 10);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_THAT(Ids(*found), ::testing::Contains(kPerson)) << how;
    EXPECT_THAT(Ids(*found), ::testing::IsSupersetOf({1, 2})) << how;
  };
  for (bool person_first : {true, false}) {
    CandidateIndex index;
    if (person_first) {
      ASSERT_TRUE(index.Add(Record(kPerson, "Seriktan")).ok());
    }
    int64_t id = 0;
    for (const std::string& other : others) ASSERT_TRUE(index.Add(Record(++id, other)).ok());
    if (!person_first) {
      ASSERT_TRUE(index.Add(Record(kPerson, "Seriktan")).ok());
    }
    const std::string how = person_first ? "added first" : "added last";
    expect_found(index, how);

    CandidateIndex loaded;
    ASSERT_TRUE(loaded.LoadSnapshot(index.SaveSnapshot()).ok());
    expect_found(loaded, how + ", loaded from a snapshot");

    // Removed, its key is left without records (a snapshot drops such keys); added again,
    // under another id, it is found again.
    ASSERT_TRUE(loaded.Remove(kPerson));
    CandidateIndex reloaded;
    ASSERT_TRUE(reloaded.LoadSnapshot(loaded.SaveSnapshot()).ok());
    ASSERT_TRUE(reloaded.Add(Record(kPerson, "Seriktan")).ok());
    expect_found(reloaded, how + ", removed, saved, loaded and added again");
  }
}

// Find keeps 16 bits of a candidate's number per slot (match/slot_numbers.h); past 65,536
// candidates the numbers sharing them are told apart. The query's three parts are held by
// 40,000 ("Ilyas"), 45,000 ("Nurmuhammet", the person last) and 50,001 ("Serikbay", the person
// among them) records, and no one else holds two: 85,000 candidates are found before
// "Serikbay", the commonest, is walked, once the walk has closed (anyone holding "Ilyas"
// outranks anyone met there first). The person, numbered 84,999, leads only if "Serikbay"
// credits it; credited in its place, the candidate numbered 84,999 - 65,536 (an "Ilyas") would.
TEST(CandidateIndexWalkTest, ThePersonNumberedPast65536IsCreditedAsItself) {
  const std::vector<std::string> fillers = {"Bolat", "Daulet", "Askar", "Marat",
                                            "Erlan", "Aidos",  "Timur", "Ruslan"};
  std::vector<IndexRecord> records;
  int64_t id = 0;
  auto add = [&](int count, auto&& name_of) {
    for (int idx = 0; idx < count; ++idx) {
      records.push_back(Record(++id, name_of(fillers[static_cast<size_t>(idx) % fillers.size()])));
    }
  };
  add(40'000, [](const std::string& filler) { return "Ilyas " + filler; });
  add(50'000, [](const std::string& filler) { return filler + " Serikbay"; });
  add(44'999, [](const std::string& filler) { return filler + " Nurmuhammet"; });
  const int64_t person = ++id;
  records.push_back(Record(person, "Serikbay Nurmuhammet"));
  IndexOptions options;
  options.min_scored = 1;  // only the best of the pre-ranking is compared in full
  options.scored_per_result = 1;
  CandidateIndex index(Scorer(), options);
  for (const Status& status : index.AddBatch(records, 2)) ASSERT_TRUE(status.ok()) << status;

  Query query;
  query.names = {"Ilyas Nurmuhammet Serikbay"};
  Result<std::vector<Candidate>> found = index.Find(query, 1);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_THAT(Ids(*found), ::testing::ElementsAre(person));
}

}  // namespace
}  // namespace izde::match
