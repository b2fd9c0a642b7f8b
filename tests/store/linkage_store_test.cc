// The linkage tables of every store backend: what is written reads back, survives a reopen, and
// goes with the person it refers to.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "match/scoring.h"
#include "registry/linkage.h"
#include "registry/linkage_bulk.h"
#include "registry/store.h"
#include "store/open.h"
#include "store_backends.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using ::izde::testing::StatusIs;
using registry::CandidatePair;
using registry::Judgement;
using registry::Verdict;

class LinkageStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    location_ = NewStoreLocation(GetParam(), dir_, "linkage.db");
    ASSERT_FALSE(location_.empty());
    Open(/*create=*/true);
  }

  void Open(bool create) {
    store_.reset();
    auto opened = OpenStore(location_, {.create = create});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
  }

  int64_t InsertPerson() {
    auto txn = store_->Begin().value();
    int64_t id = txn->InsertPerson(::izde::testing::SamplePerson()).value();
    EXPECT_OK(txn->Commit());
    return id;
  }

  // A second store of the same backend, in its own directory, holding the same persons (sample
  // persons with the same ids as `persons`): what a bulk write is compared against, written
  // one call at a time. Null, with a failure recorded, when it cannot be made.
  std::unique_ptr<registry::Store> SecondStoreWithSamePersons(const std::vector<int64_t>& persons) {
    const std::string other = NewStoreLocation(GetParam(), other_dir_, "other.db");
    EXPECT_FALSE(other.empty());
    auto opened = OpenStore(other, {.create = true});
    EXPECT_OK(opened);
    if (other.empty() || !opened.ok()) return nullptr;
    std::unique_ptr<registry::Store> store = std::move(opened).value();
    auto txn = store->Begin().value();
    for (int64_t person : persons) {
      Result<int64_t> id = txn->InsertPerson(::izde::testing::SamplePerson());
      EXPECT_OK(id);
      if (!id.ok() || *id != person) {
        ADD_FAILURE() << "the second store gave person " << person << " another id";
        return nullptr;
      }
    }
    EXPECT_OK(txn->Commit());
    return store;
  }

  ::izde::testing::TempDir dir_;
  ::izde::testing::TempDir other_dir_;
  std::string location_;
  std::unique_ptr<registry::Store> store_;
};

TEST_P(LinkageStoreTest, PairsAreUniqueAndUpdatedInPlace) {
  int64_t a = InsertPerson();
  int64_t b = InsertPerson();
  auto txn = store_->Begin().value();
  registry::LinkageWriter& linkage = txn->linkage_writer();
  ASSERT_OK_AND_ASSIGN(
      int64_t first,
      linkage.UpsertCandidatePair(
          {.person_a = a, .person_b = b, .score = 12.5, .explanation = R"([{"field":"name"}])"}));
  ASSERT_OK_AND_ASSIGN(int64_t second,
                       linkage.UpsertCandidatePair(
                           {.person_a = a, .person_b = b, .score = 14.25, .explanation = "[]"}));
  EXPECT_EQ(first, second);
  EXPECT_THAT(linkage.UpsertCandidatePair({.person_a = b, .person_b = a}).status(),
              StatusIs(StatusCode::kInvalidArgument));
  ASSERT_OK(txn->Commit());
  txn.reset();

  Open(/*create=*/false);
  ASSERT_OK_AND_ASSIGN(std::vector<CandidatePair> pending, store_->linkage().PendingPairs(0));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_DOUBLE_EQ(pending[0].score, 14.25);
  EXPECT_EQ(pending[0].explanation, "[]");
  EXPECT_FALSE(pending[0].created_at.empty());
}

// What `izde dedupe` writes: the batch leaves the queue as one upsert per pair would, in
// the same order (ids), with updates of waiting pairs and a pair given twice ending as its
// last; a pair out of order writes nothing.
TEST_P(LinkageStoreTest, UpsertCandidatePairsQueuesAsOneUpsertPerPairDoes) {
  std::vector<int64_t> persons;
  for (int person = 0; person < 50; ++person) persons.push_back(InsertPerson());
  // More pairs than one PostgreSQL statement holds (1,000), each with its own explanation.
  std::vector<CandidatePair> pairs;
  for (size_t left = 0; left < persons.size(); ++left) {
    for (size_t right = left + 1; right < persons.size(); ++right) {
      const double score = static_cast<double>((left * 7 + right * 13) % 50) / 4.0;
      pairs.push_back({.person_a = persons[left],
                       .person_b = persons[right],
                       .score = score,
                       .explanation = fmt::format(R"([{{"field":"name","value":"{}-{} \"q\""}}])",
                                                  left, right)});
    }
  }
  ASSERT_GT(pairs.size(), 1000u);
  // One pair waiting already (its score and explanation are replaced), and one given twice.
  {
    auto txn = store_->Begin().value();
    ASSERT_OK(txn->linkage_writer().UpsertCandidatePair(
        {.person_a = persons[3], .person_b = persons[9], .score = 1, .explanation = "old"}));
    ASSERT_OK(txn->Commit());
  }
  std::vector<CandidatePair> batch = pairs;
  batch.insert(batch.begin() + 10, CandidatePair{.person_a = persons[0],
                                                 .person_b = persons[30],
                                                 .score = 99,
                                                 .explanation = "first of two"});
  {
    auto txn = store_->Begin().value();
    // Both backends write the queue in bulk (registry/linkage_bulk.h).
    auto* bulk = dynamic_cast<registry::CandidatePairsWriter*>(&txn->linkage_writer());
    ASSERT_NE(bulk, nullptr);
    EXPECT_THAT(
        bulk->UpsertCandidatePairs({pairs[0], {.person_a = persons[2], .person_b = persons[1]}}),
        StatusIs(StatusCode::kInvalidArgument));
    ASSERT_OK(bulk->UpsertCandidatePairs(batch));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(std::vector<CandidatePair> batched, store_->linkage().PendingPairs(0));

  // The same, one upsert per pair, in a second store of the same backend.
  std::unique_ptr<registry::Store> one_by_one = SecondStoreWithSamePersons(persons);
  ASSERT_NE(one_by_one, nullptr);
  {
    auto txn = one_by_one->Begin().value();
    ASSERT_OK(txn->linkage_writer().UpsertCandidatePair(
        {.person_a = persons[3], .person_b = persons[9], .score = 1, .explanation = "old"}));
    ASSERT_OK(txn->Commit());
  }
  {
    auto txn = one_by_one->Begin().value();
    for (const CandidatePair& pair : batch) {
      ASSERT_OK(txn->linkage_writer().UpsertCandidatePair(pair));
    }
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(std::vector<CandidatePair> expected, one_by_one->linkage().PendingPairs(0));

  ASSERT_EQ(batched.size(), pairs.size());
  ASSERT_EQ(batched.size(), expected.size());
  for (size_t pair_idx = 0; pair_idx < expected.size(); ++pair_idx) {
    SCOPED_TRACE(pair_idx);
    EXPECT_EQ(batched[pair_idx].id, expected[pair_idx].id);
    EXPECT_EQ(batched[pair_idx].person_a, expected[pair_idx].person_a);
    EXPECT_EQ(batched[pair_idx].person_b, expected[pair_idx].person_b);
    EXPECT_DOUBLE_EQ(batched[pair_idx].score, expected[pair_idx].score);
    EXPECT_EQ(batched[pair_idx].explanation, expected[pair_idx].explanation);
    EXPECT_FALSE(batched[pair_idx].created_at.empty());
  }
  // The pair given twice holds its last; the one waiting before holds the new score.
  auto find = [&](int64_t a, int64_t b) {
    return std::find_if(batched.begin(), batched.end(), [&](const CandidatePair& pair) {
      return pair.person_a == a && pair.person_b == b;
    });
  };
  ASSERT_NE(find(persons[0], persons[30]), batched.end());
  EXPECT_NE(find(persons[0], persons[30])->explanation, "first of two");
  ASSERT_NE(find(persons[3], persons[9]), batched.end());
  EXPECT_NE(find(persons[3], persons[9])->explanation, "old");
}

// What `izde match` writes: a list's rows and candidates in bulk are what one insert per row
// and per candidate gives (ids, ranks, scores, explanations), in a list longer than one
// PostgreSQL statement holds and with two rows of one line (written one by one there).
TEST_P(LinkageStoreTest, InsertListRowsWritesAsOneInsertPerRowDoes) {
  std::vector<int64_t> persons;
  for (int person = 0; person < 5; ++person) persons.push_back(InsertPerson());
  std::vector<registry::ListRowInput> rows;
  for (int64_t row_idx = 0; row_idx < 1500; ++row_idx) {
    registry::ListRowInput input;
    input.row.line = row_idx == 700 ? 703 : row_idx + 2;  // rows 700 and 701: line 703
    input.row.values = fmt::format(R"({{"name":"row {} \"q\" Серік"}})", row_idx);
    const int64_t count = row_idx % 4;  // 0 to 3 candidates
    for (int64_t rank = 1; rank <= count; ++rank) {
      input.candidates.push_back(
          {.rank = static_cast<int>(rank),
           .person_id = persons[static_cast<size_t>((row_idx + rank) % 5)],
           .score = static_cast<double>(row_idx % 97) / 4.0 - static_cast<double>(rank),
           .explanation = fmt::format(R"([{{"field":"name","value":"{}-{}"}}])", row_idx, rank)});
    }
    rows.push_back(std::move(input));
  }
  auto write =
      [&](registry::Store& store, bool bulk_write,
          std::vector<registry::ListRowInput> inputs) -> std::vector<registry::ListRowInput> {
    auto txn = store.Begin().value();
    registry::LinkageWriter& writer = txn->linkage_writer();
    const int64_t list_id = writer.InsertList({.title = "roster", .column_map = "{}"}).value();
    for (registry::ListRowInput& input : inputs) input.row.list_id = list_id;
    if (bulk_write) {
      auto* bulk = dynamic_cast<registry::ListRowsWriter*>(&writer);
      EXPECT_NE(bulk, nullptr);  // both backends write a list's rows in bulk
      if (bulk != nullptr) EXPECT_OK(bulk->InsertListRows(inputs));
    } else {
      for (registry::ListRowInput& input : inputs) {
        input.row.id = writer.InsertListRow(input.row).value();
        for (registry::RowCandidate& candidate : input.candidates) {
          candidate.row_id = input.row.id;
          EXPECT_OK(writer.InsertRowCandidate(candidate));
        }
      }
    }
    EXPECT_OK(txn->Commit());
    return inputs;
  };
  const std::vector<registry::ListRowInput> bulk_inputs = write(*store_, true, rows);

  std::unique_ptr<registry::Store> one_by_one = SecondStoreWithSamePersons(persons);
  ASSERT_NE(one_by_one, nullptr);
  const std::vector<registry::ListRowInput> single_inputs = write(*one_by_one, false, rows);
  ASSERT_EQ(bulk_inputs.size(), rows.size());
  const int64_t list_id = bulk_inputs[0].row.list_id;
  ASSERT_EQ(single_inputs[0].row.list_id, list_id);

  ASSERT_OK_AND_ASSIGN(std::vector<registry::ListRow> bulk_rows,
                       store_->linkage().ListRows(list_id));
  ASSERT_OK_AND_ASSIGN(std::vector<registry::ListRow> single_rows,
                       one_by_one->linkage().ListRows(list_id));
  ASSERT_EQ(bulk_rows.size(), rows.size());
  ASSERT_EQ(single_rows.size(), rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    SCOPED_TRACE(row_idx);
    EXPECT_EQ(bulk_rows[row_idx].id, single_rows[row_idx].id);
    EXPECT_EQ(bulk_rows[row_idx].line, single_rows[row_idx].line);
    EXPECT_EQ(bulk_rows[row_idx].values, single_rows[row_idx].values);
    // The ids set on the inputs are the stored ones, row for row.
    EXPECT_EQ(bulk_inputs[row_idx].row.id, single_inputs[row_idx].row.id);
    EXPECT_EQ(bulk_inputs[row_idx].row.values, rows[row_idx].row.values);
    for (const registry::RowCandidate& candidate : bulk_inputs[row_idx].candidates) {
      EXPECT_EQ(candidate.row_id, bulk_inputs[row_idx].row.id);
    }
  }
  ASSERT_OK_AND_ASSIGN(std::vector<registry::RowCandidate> bulk_candidates,
                       store_->linkage().RowCandidates(list_id));
  ASSERT_OK_AND_ASSIGN(std::vector<registry::RowCandidate> single_candidates,
                       one_by_one->linkage().RowCandidates(list_id));
  ASSERT_EQ(bulk_candidates.size(), 1500u / 4 * (0 + 1 + 2 + 3));
  ASSERT_EQ(bulk_candidates.size(), single_candidates.size());
  for (size_t candidate_idx = 0; candidate_idx < bulk_candidates.size(); ++candidate_idx) {
    SCOPED_TRACE(candidate_idx);
    const registry::RowCandidate& bulk = bulk_candidates[candidate_idx];
    const registry::RowCandidate& single = single_candidates[candidate_idx];
    EXPECT_EQ(bulk.row_id, single.row_id);
    EXPECT_EQ(bulk.rank, single.rank);
    EXPECT_EQ(bulk.person_id, single.person_id);
    EXPECT_DOUBLE_EQ(bulk.score, single.score);
    EXPECT_EQ(bulk.explanation, single.explanation);
  }
}

TEST_P(LinkageStoreTest, AnActiveJudgementTakesThePairOutOfTheQueueUntilUndone) {
  int64_t a = InsertPerson();
  int64_t b = InsertPerson();
  auto txn = store_->Begin().value();
  registry::LinkageWriter& linkage = txn->linkage_writer();
  ASSERT_OK(linkage.UpsertCandidatePair({.person_a = a, .person_b = b, .score = 1}));
  ASSERT_OK_AND_ASSIGN(int64_t judgement, linkage.InsertJudgement({.person_a = a,
                                                                   .person_b = b,
                                                                   .verdict = Verdict::kDifferent,
                                                                   .actor = "test",
                                                                   .note = "n"}));
  EXPECT_TRUE(linkage.PendingPairs(0).value().empty());
  ASSERT_OK(linkage.MarkJudgementUndone(judgement, "oops"));
  EXPECT_THAT(linkage.MarkJudgementUndone(judgement, "again"),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(linkage.PendingPairs(0).value().size(), 1u);
  ASSERT_OK(txn->Commit());
  txn.reset();
  ASSERT_OK_AND_ASSIGN(Judgement stored, store_->linkage().GetJudgement(judgement));
  EXPECT_EQ(stored.verdict, Verdict::kDifferent);
  EXPECT_EQ(stored.undone_note, "oops");
  EXPECT_FALSE(stored.active());
  EXPECT_TRUE(store_->linkage().Judgements(false).value().empty());
  EXPECT_EQ(store_->linkage().Judgements(true).value().size(), 1u);
}

TEST_P(LinkageStoreTest, UncommittedLinkageWritesRollBack) {
  int64_t a = InsertPerson();
  int64_t b = InsertPerson();
  {
    auto txn = store_->Begin().value();
    ASSERT_OK(txn->linkage_writer().InsertJudgement(
        {.person_a = a, .person_b = b, .verdict = Verdict::kSame}));
    ASSERT_OK(txn->linkage_writer().InsertList({.title = "t"}));
  }
  EXPECT_TRUE(store_->linkage().Judgements(true).value().empty());
  EXPECT_TRUE(store_->linkage().Lists().value().empty());
}

TEST_P(LinkageStoreTest, ListRowsAndCandidatesReadBackInOrder) {
  int64_t a = InsertPerson();
  auto txn = store_->Begin().value();
  registry::LinkageWriter& linkage = txn->linkage_writer();
  ASSERT_OK_AND_ASSIGN(
      int64_t list,
      linkage.InsertList(
          {.title = "Roster", .source_file = "r.csv", .column_map = "{}", .created_by = "test"}));
  ASSERT_OK_AND_ASSIGN(int64_t later, linkage.InsertListRow({.list_id = list, .line = 7}));
  ASSERT_OK_AND_ASSIGN(int64_t earlier, linkage.InsertListRow({.list_id = list, .line = 3}));
  ASSERT_OK(linkage.InsertRowCandidate({.row_id = later, .rank = 1, .person_id = a, .score = 2}));
  ASSERT_OK(linkage.InsertRowCandidate({.row_id = earlier, .rank = 1, .person_id = a}));
  EXPECT_FALSE(linkage.InsertRowCandidate({.row_id = earlier, .rank = 1, .person_id = a}).ok());
  ASSERT_OK(linkage.InsertRowJudgement(
      {.row_id = earlier, .person_id = 0, .verdict = Verdict::kDifferent, .actor = "test"}));
  ASSERT_OK(txn->Commit());
  txn.reset();

  registry::LinkageReader& reader = store_->linkage();
  ASSERT_OK_AND_ASSIGN(registry::ExternalList stored, reader.GetList(list));
  EXPECT_EQ(stored.rows, 2);
  EXPECT_EQ(stored.title, "Roster");
  ASSERT_OK_AND_ASSIGN(auto rows, reader.ListRows(list));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, earlier);
  ASSERT_OK_AND_ASSIGN(auto candidates, reader.RowCandidates(list));
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].row_id, earlier);
  EXPECT_DOUBLE_EQ(candidates[1].score, 2);
  ASSERT_OK_AND_ASSIGN(auto judgements, reader.RowJudgements(list));
  ASSERT_EQ(judgements.size(), 1u);
  EXPECT_EQ(judgements[0].person_id, 0);
  EXPECT_THAT(reader.GetList(list + 1).status(), StatusIs(StatusCode::kNotFound));
}

// A candidate's explanation given compactly (registry::CompactExplanation, as izde match gives
// it) reads back as the JSON of the same fields; one given as JSON (as every row stored before
// the compact form was) reads back as it was; both by one insert per candidate and in bulk.
TEST_P(LinkageStoreTest, CompactExplanationsReadBackAsTheirJson) {
  const int64_t person = InsertPerson();
  const std::vector<match::FieldWeight> fields = {
      {"name", R"(same (0.93): "Serikzhan" Bilash ~ Серікжан Біләш)", 8.126},
      {"birth_year", "1 year apart (1974 ~ 1975)", 1.85},
      {"hometown", "different (650103 ~ 652902)", -3.12}};
  const std::string json = registry::StoredExplanationJson(fields);
  const std::string compact = registry::CompactExplanation(fields);
  ASSERT_NE(compact, json);
  const std::string old_json = R"([{"field":"name","value":"written before","weight":2.5}])";
  auto txn = store_->Begin().value();
  registry::LinkageWriter& writer = txn->linkage_writer();
  ASSERT_OK_AND_ASSIGN(int64_t list, writer.InsertList({.title = "Roster",
                                                        .source_file = "r.csv",
                                                        .column_map = "{}",
                                                        .created_by = "test"}));
  ASSERT_OK_AND_ASSIGN(int64_t row, writer.InsertListRow({.list_id = list, .line = 2}));
  ASSERT_OK(writer.InsertRowCandidate(
      {.row_id = row, .rank = 1, .person_id = person, .score = 8, .explanation = compact}));
  ASSERT_OK(writer.InsertRowCandidate(
      {.row_id = row, .rank = 2, .person_id = person, .score = 2, .explanation = old_json}));
  std::vector<registry::ListRowInput> inputs(1);
  inputs[0].row = {.list_id = list, .line = 3};
  inputs[0].candidates = {
      {.rank = 1, .person_id = person, .score = 8, .explanation = compact},
      {.rank = 2, .person_id = person, .score = 2, .explanation = old_json}};
  ASSERT_OK(registry::InsertListRows(writer, inputs));
  ASSERT_OK(txn->Commit());
  txn.reset();
  Open(/*create=*/false);
  ASSERT_OK_AND_ASSIGN(std::vector<registry::RowCandidate> candidates,
                       store_->linkage().RowCandidates(list));
  ASSERT_EQ(candidates.size(), 4u);
  for (size_t row_idx = 0; row_idx < 2; ++row_idx) {
    EXPECT_EQ(candidates[row_idx * 2].explanation, json);
    EXPECT_EQ(candidates[row_idx * 2 + 1].explanation, old_json);
  }
}

TEST_P(LinkageStoreTest, DeletingAPersonTakesItsLinkageRowsAlong) {
  int64_t a = InsertPerson();
  int64_t b = InsertPerson();
  auto txn = store_->Begin().value();
  ASSERT_OK(txn->linkage_writer().UpsertCandidatePair({.person_a = a, .person_b = b}));
  ASSERT_OK(txn->linkage_writer().InsertJudgement(
      {.person_a = a, .person_b = b, .verdict = Verdict::kUnsure}));
  ASSERT_OK(txn->DeletePerson(b));
  ASSERT_OK(txn->Commit());
  txn.reset();
  EXPECT_TRUE(store_->linkage().PendingPairs(0).value().empty());
  EXPECT_TRUE(store_->linkage().Judgements(true).value().empty());
}

INSTANTIATE_STORE_BACKENDS(LinkageStoreTest);

}  // namespace
}  // namespace izde::store
