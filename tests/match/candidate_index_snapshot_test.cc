#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "match/candidate_index.h"
#include "testing/status_matchers.h"

namespace izde::match {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Synthetic persons: Latin given and family names, some also written in Cyrillic, with birth
// years, hometowns and genders drawn from a fixed seed.
std::vector<IndexRecord> MakeRecords(size_t count, uint32_t seed) {
  const std::vector<std::pair<std::string, std::string>> given = {
      {"Serikzhan", "Серікжан"}, {"Nurlan", "Нұрлан"}, {"Aigerim", "Айгерім"}, {"Erlan", "Ерлан"},
      {"Gulnara", "Гүлнара"},    {"Murat", "Мұрат"},   {"Askar", "Асқар"},     {"Dana", "Дана"},
      {"Yerzhan", "Ержан"},      {"Alim", "Әлім"},     {"Zhanar", "Жанар"},    {"Bakhyt", "Бақыт"}};
  const std::vector<std::pair<std::string, std::string>> family = {
      {"Bilash", "Біләш"},      {"Kadyrov", "Қадыров"},   {"Tursun", "Тұрсын"},
      {"Omarov", "Омаров"},     {"Seitkali", "Сейтқали"}, {"Zhaksylyk", "Жақсылық"},
      {"Akhmet", "Ахмет"},      {"Nurbek", "Нұрбек"},     {"Sadyk", "Садық"},
      {"Kurmanov", "Құрманов"}, {"Iskakov", "Ысқақов"},   {"Dauletov", "Дәулетов"}};
  std::mt19937 random(seed);
  auto pick = [&random](size_t size) {
    return static_cast<size_t>(random() % static_cast<uint32_t>(size));
  };
  std::vector<IndexRecord> records;
  for (size_t record_idx = 0; record_idx < count; ++record_idx) {
    IndexRecord record;
    record.id = static_cast<int64_t>(record_idx) * 3 + 7;
    const auto& [first_latin, first_cyrillic] = given[pick(given.size())];
    const auto& [last_latin, last_cyrillic] = family[pick(family.size())];
    record.names.push_back(first_latin + " " + last_latin);
    if (pick(2) == 0) record.names.push_back(first_cyrillic + " " + last_cyrillic);
    if (pick(5) == 0) record.names.push_back(last_latin + " " + first_latin + "ovich");
    if (pick(3) != 0) record.fields.birth = YearRange::Exactly(1950 + static_cast<int>(pick(50)));
    if (pick(2) == 0) record.fields.hometown_code = "6540" + std::to_string(21 + pick(9));
    record.fields.gender = static_cast<Gender>(pick(3));
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<Query> MakeQueries(const std::vector<IndexRecord>& records) {
  std::vector<Query> queries;
  for (size_t record_idx = 0; record_idx < records.size(); record_idx += 7) {
    const IndexRecord& record = records[record_idx];
    Query query;
    query.names = {record.names.back()};
    query.fields = record.fields;
    queries.push_back(query);
    Query typo;  // one letter changed, no other field
    typo.names = {record.names.front()};
    typo.names.front()[2] = typo.names.front()[2] == 'x' ? 'y' : 'x';
    queries.push_back(typo);
  }
  return queries;
}

void Fill(CandidateIndex& index, const std::vector<IndexRecord>& records) {
  for (const Status& added : index.AddBatch(records, 2)) ASSERT_OK(added);
}

// Every query answers the same, candidate for candidate, score for score.
void ExpectSameAnswers(const CandidateIndex& expected, const CandidateIndex& actual,
                       const std::vector<Query>& queries) {
  for (const Query& query : queries) {
    Result<std::vector<Candidate>> want = expected.Find(query, 10);
    Result<std::vector<Candidate>> got = actual.Find(query, 10);
    ASSERT_OK(want.status());
    ASSERT_OK(got.status());
    ASSERT_EQ(want->size(), got->size()) << query.names.front();
    for (size_t found_idx = 0; found_idx < want->size(); ++found_idx) {
      EXPECT_EQ((*want)[found_idx].id, (*got)[found_idx].id) << query.names.front();
      EXPECT_EQ((*want)[found_idx].matched_name, (*got)[found_idx].matched_name);
      EXPECT_DOUBLE_EQ((*want)[found_idx].score.total, (*got)[found_idx].score.total);
    }
  }
}

TEST(CandidateIndexSnapshotTest, LoadedIndexAnswersAsTheBuiltOne) {
  const std::vector<IndexRecord> records = MakeRecords(1500, 1);
  CandidateIndex built;
  Fill(built, records);
  const std::string bytes = built.SaveSnapshot();
  CandidateIndex loaded;
  ASSERT_OK(loaded.LoadSnapshot(bytes));

  const IndexStats want = built.stats();
  const IndexStats got = loaded.stats();
  EXPECT_EQ(want.records, got.records);
  EXPECT_EQ(want.name_forms, got.name_forms);
  EXPECT_EQ(want.keys, got.keys);
  EXPECT_EQ(want.postings, got.postings);
  ExpectSameAnswers(built, loaded, MakeQueries(records));
  for (size_t record_idx = 0; record_idx < records.size(); record_idx += 11) {
    Result<std::vector<Candidate>> want_similar = built.FindSimilar(records[record_idx].id, 5);
    Result<std::vector<Candidate>> got_similar = loaded.FindSimilar(records[record_idx].id, 5);
    ASSERT_OK(want_similar.status());
    ASSERT_OK(got_similar.status());
    ASSERT_EQ(want_similar->size(), got_similar->size());
    for (size_t found_idx = 0; found_idx < want_similar->size(); ++found_idx) {
      EXPECT_EQ((*want_similar)[found_idx].id, (*got_similar)[found_idx].id);
    }
  }
  EXPECT_EQ(built.BlockedPairs({}), loaded.BlockedPairs({}));
  // Saved again, the loaded index gives the same bytes.
  EXPECT_EQ(bytes, loaded.SaveSnapshot());
}

TEST(CandidateIndexSnapshotTest, LoadedIndexTakesAddsAndRemoves) {
  const std::vector<IndexRecord> records = MakeRecords(400, 2);
  CandidateIndex built;
  Fill(built, records);
  CandidateIndex loaded;
  ASSERT_OK(loaded.LoadSnapshot(built.SaveSnapshot()));

  // A record changed after the load: the old name is gone, the new one found.
  IndexRecord changed = records[10];
  changed.names = {"Tursynbek Zhumagaliev"};
  ASSERT_OK(loaded.Add(changed));
  ASSERT_OK(built.Add(changed));
  EXPECT_TRUE(loaded.Remove(records[20].id));
  EXPECT_TRUE(built.Remove(records[20].id));
  Query query;
  query.names = {"Tursynbek Zhumagaliev"};
  Result<std::vector<Candidate>> found = loaded.Find(query, 3);
  ASSERT_OK(found.status());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().id, changed.id);
  std::vector<Query> queries = MakeQueries(records);
  queries.push_back(query);
  ExpectSameAnswers(built, loaded, queries);
  EXPECT_EQ(loaded.stats().records, records.size() - 1);
}

TEST(CandidateIndexSnapshotTest, RemovedRecordsAndTheirKeysAreNotSaved) {
  std::vector<IndexRecord> records = MakeRecords(300, 3);
  IndexRecord forgotten;
  forgotten.id = 100000;
  forgotten.names = {"Qydyrbaiuly Zhetpisbaev"};
  records.push_back(forgotten);
  CandidateIndex index;
  Fill(index, records);
  ASSERT_THAT(index.SaveSnapshot(), HasSubstr("Zhetpisbaev"));
  ASSERT_TRUE(index.Remove(forgotten.id));
  ASSERT_TRUE(index.Remove(records[5].id));
  const std::string bytes = index.SaveSnapshot();
  // Neither the name nor the written keys made of it ("=zhetpisbaev") are left.
  EXPECT_THAT(bytes, Not(HasSubstr("Zhetpisbaev")));
  EXPECT_THAT(bytes, Not(HasSubstr("zhetpisbaev")));
  EXPECT_THAT(bytes, Not(HasSubstr("qydyrbaiuly")));

  // The saved index is the one built from the records left.
  std::vector<IndexRecord> left(records.begin(), records.end() - 1);
  left.erase(left.begin() + 5);
  CandidateIndex fresh;
  Fill(fresh, left);
  CandidateIndex loaded;
  ASSERT_OK(loaded.LoadSnapshot(bytes));
  EXPECT_EQ(loaded.stats().keys, fresh.stats().keys);
  EXPECT_EQ(loaded.stats().postings, fresh.stats().postings);
  ExpectSameAnswers(fresh, loaded, MakeQueries(left));
  EXPECT_EQ(loaded.FindSimilar(forgotten.id, 3).status().code(), StatusCode::kNotFound);
}

TEST(CandidateIndexSnapshotTest, TruncatedOrOtherFormatBytesAreRefused) {
  CandidateIndex built;
  Fill(built, MakeRecords(50, 4));
  const std::string bytes = built.SaveSnapshot();
  CandidateIndex target;
  Fill(target, MakeRecords(3, 5));
  const std::string before = target.SaveSnapshot();
  for (size_t length = 0; length < bytes.size(); length += 1 + length / 50) {
    Status status = target.LoadSnapshot(std::string_view(bytes).substr(0, length));
    EXPECT_EQ(status.code(), StatusCode::kDataLoss) << "length " << length;
  }
  std::string other = bytes;
  other[0] = static_cast<char>(CandidateIndex::kSnapshotFormat + 1);
  EXPECT_THAT(target.LoadSnapshot(other).message(), HasSubstr("format"));
  EXPECT_EQ(target.LoadSnapshot(bytes + "x").code(), StatusCode::kDataLoss);
  // A refused snapshot leaves the index as it was.
  EXPECT_EQ(target.SaveSnapshot(), before);
}

TEST(CandidateIndexSnapshotTest, DamagedBytesAreRefusedOrLoadedNeverACrash) {
  CandidateIndex built;
  Fill(built, MakeRecords(60, 6));
  const std::string bytes = built.SaveSnapshot();
  std::mt19937 random(7);
  int refused = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = bytes;
    const size_t at = 4 + random() % (damaged.size() - 4);
    damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(1 + random() % 255));
    CandidateIndex index;
    Status status = index.LoadSnapshot(damaged);
    if (!status.ok()) {
      EXPECT_EQ(status.code(), StatusCode::kDataLoss);
      ++refused;
      continue;
    }
    // What loads (a changed birth year, a changed letter) can be searched, saved and changed.
    Query query;
    query.names = {"Serikzhan Bilash"};
    index.Find(query, 5).status().IgnoreError();
    index.SaveSnapshot();
    for (int64_t id = 7; id < 60 * 3 + 7; id += 3) index.Remove(id);
  }
  // Most damage is caught by the checks here; the file around it adds a checksum.
  EXPECT_GT(refused, 0);
}

// Where each record of SaveSnapshot's bytes starts, then where its keys start (the layout
// of candidate_index_snapshot.cc: a 20-byte header, then per record 13 fixed bytes and two
// strings with varint lengths).
std::vector<size_t> RecordStarts(const std::string& bytes) {
  uint64_t records = 0;
  std::memcpy(&records, bytes.data() + 4, sizeof(records));
  size_t at = 20;
  auto skip_string = [&] {
    uint64_t length = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<uint8_t>(bytes[at++]);
      length |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) break;
    }
    at += length;
  };
  std::vector<size_t> starts;
  for (uint64_t record_idx = 0; record_idx < records; ++record_idx) {
    starts.push_back(at);
    at += 13;
    skip_string();
    skip_string();
  }
  starts.push_back(at);
  return starts;
}

// Cluster numbers the slots anew (and drops removed records' slots): no answer changes,
// before or after later adds and removes, and the snapshot is the same bytes.
TEST(CandidateIndexSnapshotTest, ClusteredIndexAnswersAsBefore) {
  const std::vector<IndexRecord> records = MakeRecords(1500, 4);
  CandidateIndex plain;
  CandidateIndex clustered;
  Fill(plain, records);
  Fill(clustered, records);
  for (size_t record_idx : {size_t{3}, size_t{100}, size_t{777}}) {
    ASSERT_TRUE(plain.Remove(records[record_idx].id));
    ASSERT_TRUE(clustered.Remove(records[record_idx].id));
  }
  clustered.Cluster();
  EXPECT_EQ(plain.stats().records, clustered.stats().records);
  EXPECT_EQ(plain.stats().postings, clustered.stats().postings);
  ExpectSameAnswers(plain, clustered, MakeQueries(records));
  for (size_t record_idx = 0; record_idx < records.size(); record_idx += 13) {
    Result<std::vector<Candidate>> want = plain.FindSimilar(records[record_idx].id, 5);
    Result<std::vector<Candidate>> got = clustered.FindSimilar(records[record_idx].id, 5);
    ASSERT_EQ(want.ok(), got.ok());
    if (!want.ok()) continue;
    ASSERT_EQ(want->size(), got->size());
    for (size_t found_idx = 0; found_idx < want->size(); ++found_idx) {
      EXPECT_EQ((*want)[found_idx].id, (*got)[found_idx].id);
    }
  }
  EXPECT_EQ(plain.BlockedPairs({}), clustered.BlockedPairs({}));
  EXPECT_EQ(plain.SaveSnapshot(), clustered.SaveSnapshot());

  IndexRecord added;
  added.id = 500000;
  added.names = {"Tursynbek Zhumagaliev"};
  ASSERT_OK(plain.Add(added));
  ASSERT_OK(clustered.Add(added));
  ASSERT_TRUE(plain.Remove(records[40].id));
  ASSERT_TRUE(clustered.Remove(records[40].id));
  std::vector<Query> queries = MakeQueries(records);
  Query query;
  query.names = {"Tursynbek Zhumagaliev"};
  queries.push_back(query);
  ExpectSameAnswers(plain, clustered, queries);
  Result<std::vector<Candidate>> found = clustered.Find(query, 3);
  ASSERT_OK(found.status());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().id, added.id);
}

// The records sharing a rare surname, added far apart, are written next to each other (and a
// loaded index numbers them so).
TEST(CandidateIndexSnapshotTest, RecordsSharingARareKeyAreWrittenTogether) {
  std::vector<IndexRecord> records = MakeRecords(600, 5);
  std::vector<int64_t> rare_ids;
  for (size_t spread = 0; spread < 5; ++spread) {
    IndexRecord record;
    record.id = 200000 + static_cast<int64_t>(spread);
    record.names = {records[spread * 100].names.front().substr(
                        0, records[spread * 100].names.front().find(' ')) +
                    " Zhetpisbaev"};
    records.insert(records.begin() + static_cast<std::ptrdiff_t>(spread * 120), record);
    rare_ids.push_back(record.id);
  }
  CandidateIndex index;
  Fill(index, records);
  const std::string bytes = index.SaveSnapshot();
  const std::vector<size_t> starts = RecordStarts(bytes);
  std::vector<size_t> places;
  for (size_t record_idx = 0; record_idx + 1 < starts.size(); ++record_idx) {
    int64_t id = 0;
    std::memcpy(&id, bytes.data() + starts[record_idx], 8);
    if (std::find(rare_ids.begin(), rare_ids.end(), id) != rare_ids.end()) {
      places.push_back(record_idx);
    }
  }
  ASSERT_EQ(places.size(), rare_ids.size());
  EXPECT_EQ(places.back() - places.front(), rare_ids.size() - 1);
}

TEST(CandidateIndexSnapshotTest, AnyNumberOfRecordsLoadsAsSaved) {
  // The load splits the records in two halves, read on two threads: none, one, odd counts.
  for (size_t count : {0u, 1u, 2u, 3u, 4u, 5u, 9u, 33u}) {
    CandidateIndex built;
    Fill(built, MakeRecords(count, static_cast<uint32_t>(count) + 11));
    const std::string bytes = built.SaveSnapshot();
    CandidateIndex loaded;
    ASSERT_OK(loaded.LoadSnapshot(bytes));
    EXPECT_EQ(loaded.stats().records, count);
    EXPECT_EQ(loaded.stats().name_forms, built.stats().name_forms) << count;
    EXPECT_EQ(loaded.stats().postings, built.stats().postings) << count;
    EXPECT_EQ(loaded.SaveSnapshot(), bytes) << count;
  }
}

TEST(CandidateIndexSnapshotTest, DamageInEitherHalfIsNamed) {
  CandidateIndex built;
  Fill(built, MakeRecords(10, 8));
  const std::string bytes = built.SaveSnapshot();
  const std::vector<size_t> starts = RecordStarts(bytes);
  ASSERT_EQ(starts.size(), 11u);
  CandidateIndex target;
  Fill(target, MakeRecords(3, 5));
  const std::string before = target.SaveSnapshot();
  // The id of the record written `record_idx`th (records are written in Cluster's order).
  auto id_at = [&](size_t record_idx) {
    int64_t id = 0;
    std::memcpy(&id, bytes.data() + starts[record_idx], 8);
    return id;
  };
  auto with_id_of = [&](size_t record_idx, size_t other_idx) {
    std::string damaged = bytes;
    damaged.replace(starts[record_idx], 8, bytes.substr(starts[other_idx], 8));
    return damaged;
  };
  // Ids repeated: both in the first half, across the halves, both in the second.
  for (auto [record_idx, other_idx] : {std::pair<size_t, size_t>{3, 1}, {9, 0}, {8, 6}, {5, 4}}) {
    Status status = target.LoadSnapshot(with_id_of(record_idx, other_idx));
    EXPECT_EQ(status.code(), StatusCode::kDataLoss);
    EXPECT_THAT(status.message(),
                HasSubstr("record " + std::to_string(id_at(other_idx)) + " appears twice"))
        << record_idx << " " << other_idx;
  }
  // A gender out of range in the second half, a key cut short after it.
  std::string bad_gender = bytes;
  bad_gender[starts[7] + 12] = 9;
  EXPECT_THAT(target.LoadSnapshot(bad_gender).message(),
              HasSubstr("record " + std::to_string(id_at(7)) + " has gender 9"));
  EXPECT_THAT(target.LoadSnapshot(bytes.substr(0, starts[10] + 2)).message(),
              HasSubstr("key 0 is cut short"));
  // Damage in the first half is named before damage in the second.
  std::string both = with_id_of(8, 6);
  both[starts[2] + 12] = 7;
  EXPECT_THAT(target.LoadSnapshot(both).message(),
              HasSubstr("record " + std::to_string(id_at(2)) + " has gender 7"));
  EXPECT_EQ(target.SaveSnapshot(), before);
}

}  // namespace
}  // namespace izde::match
