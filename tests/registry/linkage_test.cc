#include "registry/linkage.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>

#include "registry/json.h"
#include "registry/linkage_bulk.h"
#include "registry/registry.h"
#include "store/open.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::registry {
namespace {

using ::izde::testing::SamplePerson;
using ::izde::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LinkageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore(dir_.File("registry.db"), {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
    registry_ = std::make_unique<Registry>(*store_, Gazetteer::Xinjiang());
    linkage_ = std::make_unique<Linkage>(*store_);
    for (int person_idx = 0; person_idx < 6; ++person_idx) {
      ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson(), alice_));
      ids_.push_back(person.id);
    }
  }

  // Every person as stored, to compare before and after linkage work.
  std::vector<Person> AllPersons() {
    std::vector<Person> persons;
    EXPECT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>&) {
      persons.push_back(person);
      return OkStatus();
    }));
    return persons;
  }

  std::vector<std::vector<int64_t>> Clustering() {
    std::vector<std::vector<int64_t>> groups;
    Result<std::vector<Cluster>> clusters = linkage_->Clusters();
    EXPECT_OK(clusters);
    if (!clusters.ok()) return groups;
    for (const Cluster& cluster : *clusters) groups.push_back(cluster.persons);
    return groups;
  }

  ::izde::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Linkage> linkage_;
  std::vector<int64_t> ids_;
  Actor alice_{"cli:alice"};
};

TEST_F(LinkageTest, JudgementsNeverChangePersons) {
  std::vector<Person> before = AllPersons();
  ASSERT_OK(linkage_->Judge(ids_[0], ids_[1], Verdict::kSame, "same PRC ID", alice_));
  ASSERT_OK(linkage_->Judge(ids_[2], ids_[1], Verdict::kDifferent, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[3], ids_[4], Verdict::kUnsure, "", alice_));
  ASSERT_OK(linkage_->Unmerge(ids_[1], "wrong", alice_));
  EXPECT_EQ(AllPersons(), before);
  // Still every person, and all three judgements kept (one of them undone).
  ASSERT_OK_AND_ASSIGN(std::vector<Judgement> all, store_->linkage().Judgements(true));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_FALSE(all[0].active());
  EXPECT_THAT(all[0].undone_note, HasSubstr("wrong"));
  EXPECT_TRUE(all[1].active());
  // Judgements are stored with the smaller person first, whatever order they were given in.
  EXPECT_EQ(all[1].person_a, ids_[1]);
  EXPECT_EQ(all[1].person_b, ids_[2]);
  EXPECT_EQ(all[1].verdict, Verdict::kDifferent);
  EXPECT_EQ(all[0].actor, "cli:alice");
}

TEST_F(LinkageTest, SameJudgementsFormClustersNamedByTheirSmallestPerson) {
  ASSERT_OK(linkage_->Judge(ids_[1], ids_[2], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[3], ids_[2], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[4], ids_[5], Verdict::kDifferent, "", alice_));
  EXPECT_THAT(Clustering(), ElementsAre(ElementsAre(ids_[1], ids_[2], ids_[3])));
  ASSERT_OK_AND_ASSIGN(Cluster cluster, linkage_->ClusterOf(ids_[3]));
  EXPECT_EQ(cluster.id, ids_[1]);
  EXPECT_EQ(cluster.judgements.size(), 2u);
  EXPECT_EQ(FormatClusterId(cluster.id), "C-000002");
  ASSERT_OK_AND_ASSIGN(Cluster alone, linkage_->ClusterOf(ids_[4]));
  EXPECT_THAT(alone.persons, ElementsAre(ids_[4]));
}

TEST_F(LinkageTest, MergeThenUnmergeRestoresTheEarlierClustering) {
  ASSERT_OK(linkage_->Judge(ids_[0], ids_[1], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[4], ids_[5], Verdict::kSame, "", alice_));
  std::vector<std::vector<int64_t>> earlier = Clustering();
  ASSERT_EQ(earlier.size(), 2u);

  ASSERT_OK(linkage_->Judge(ids_[2], ids_[3], Verdict::kSame, "", alice_));
  EXPECT_EQ(Clustering().size(), 3u);
  ASSERT_OK_AND_ASSIGN(Cluster exploded, linkage_->Unmerge(ids_[3], "", alice_));
  EXPECT_THAT(exploded.persons, ElementsAre(ids_[2], ids_[3]));
  EXPECT_EQ(Clustering(), earlier);

  // A second unmerge has nothing to explode.
  EXPECT_THAT(linkage_->Unmerge(ids_[3], "", alice_).status(),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(LinkageTest, UnmergeExplodesTheWholeClusterAndIsAudited) {
  ASSERT_OK(linkage_->Judge(ids_[0], ids_[1], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[1], ids_[2], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Unmerge(ids_[2], "two namesakes", alice_));
  EXPECT_TRUE(Clustering().empty());
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> history,
                       registry_->History(FormatClusterId(ids_[0])));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, "cluster.unmerge");
  EXPECT_EQ(history[0].note, "two namesakes");
  nlohmann::json before = nlohmann::json::parse(history[0].before);
  EXPECT_EQ(before["persons"].size(), 3u);
  // The judgement and the unmerge show in the history of the cluster's first person.
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> person_history,
                       registry_->History(FormatId(IdKind::kPerson, ids_[0])));
  std::vector<std::string> actions;
  for (const AuditEntry& entry : person_history) actions.push_back(entry.action);
  EXPECT_THAT(actions, ElementsAre("person.create", "judgement.create", "cluster.unmerge"));
}

TEST_F(LinkageTest, ANewJudgementSupersedesTheEarlierOneOfThePair) {
  ASSERT_OK(linkage_->Judge(ids_[0], ids_[1], Verdict::kUnsure, "", alice_));
  ASSERT_OK_AND_ASSIGN(Judgement later,
                       linkage_->Judge(ids_[1], ids_[0], Verdict::kSame, "", alice_));
  ASSERT_OK_AND_ASSIGN(std::vector<Judgement> active, store_->linkage().Judgements(false));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, later.id);
  ASSERT_OK_AND_ASSIGN(std::vector<Judgement> all, store_->linkage().Judgements(true));
  EXPECT_THAT(all[0].undone_note, HasSubstr("superseded"));
}

TEST_F(LinkageTest, JudgingRejectsUnknownPersonsAndSelfPairs) {
  EXPECT_THAT(linkage_->Judge(ids_[0], ids_[0], Verdict::kSame, "", alice_).status(),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(linkage_->Judge(ids_[0], 999, Verdict::kSame, "", alice_).status(),
              StatusIs(StatusCode::kNotFound));
  EXPECT_TRUE(store_->linkage().Judgements(true).value().empty());
}

TEST_F(LinkageTest, QueueLeavesOutJudgedAndMergedPairs) {
  ASSERT_OK(linkage_->Judge(ids_[0], ids_[1], Verdict::kDifferent, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[2], ids_[3], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->Judge(ids_[3], ids_[4], Verdict::kSame, "", alice_));
  std::vector<CandidatePair> pairs = {
      {.person_a = ids_[1], .person_b = ids_[0], .score = 20, .explanation = "[]"},
      {.person_a = ids_[2], .person_b = ids_[4], .score = 19, .explanation = "[]"},
      {.person_a = ids_[0], .person_b = ids_[5], .score = 12, .explanation = "[]"},
      {.person_a = ids_[1], .person_b = ids_[5], .score = 18, .explanation = "[]"},
  };
  ASSERT_OK_AND_ASSIGN(QueueSummary summary, linkage_->QueuePairs(pairs, alice_));
  EXPECT_EQ(summary.queued, 2);
  EXPECT_EQ(summary.already_judged, 1);
  EXPECT_EQ(summary.same_cluster, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<CandidatePair> queue, linkage_->Queue(0));
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].person_a, ids_[1]);  // best score first
  EXPECT_EQ(queue[1].person_a, ids_[0]);

  // Judged "different", the pair leaves the queue, and a later dedupe does not bring it back.
  ASSERT_OK(linkage_->Judge(ids_[1], ids_[5], Verdict::kDifferent, "", alice_));
  ASSERT_OK_AND_ASSIGN(queue, linkage_->Queue(0));
  ASSERT_EQ(queue.size(), 1u);
  ASSERT_OK_AND_ASSIGN(summary, linkage_->QueuePairs(pairs, alice_));
  EXPECT_EQ(summary.already_judged, 2);
  ASSERT_OK_AND_ASSIGN(queue, linkage_->Queue(0));
  EXPECT_EQ(queue.size(), 1u);
  // Queueing again updated the pair in place: no duplicate rows.
  EXPECT_EQ(queue[0].person_b, ids_[5]);
}

TEST_F(LinkageTest, ListsKeepRowsCandidatesAndRowJudgements) {
  std::vector<ListRowInput> rows(3);
  rows[0].row = {.line = 2, .values = R"({"name":"Серікжан Біләш"})"};
  rows[0].candidates = {{.person_id = ids_[0], .score = 21.5, .explanation = "[]"},
                        {.person_id = ids_[1], .score = 10.25, .explanation = "[]"}};
  rows[1].row = {.line = 3, .values = R"({"name":"Nobody"})"};
  rows[2].row = {.line = 5, .values = R"({"name":"Serik"})"};
  rows[2].candidates = {{.person_id = ids_[2], .score = 3, .explanation = "[]"}};
  ASSERT_OK_AND_ASSIGN(
      ExternalList list,
      linkage_->CreateList(
          {.title = "Roster", .source_file = "roster.csv", .column_map = R"({"name":["ФИО"]})"},
          rows, alice_));
  EXPECT_EQ(list.rows, 3);
  EXPECT_EQ(list.created_by, "cli:alice");
  ASSERT_OK_AND_ASSIGN(std::vector<RowReview> review, linkage_->ListReview(list.id));
  ASSERT_EQ(review.size(), 3u);
  EXPECT_EQ(review[0].row.line, 2);
  EXPECT_EQ(review[0].row.values, R"({"name":"Серікжан Біләш"})");
  ASSERT_EQ(review[0].candidates.size(), 2u);
  EXPECT_EQ(review[0].candidates[0].rank, 1);
  EXPECT_EQ(review[0].candidates[1].person_id, ids_[1]);
  EXPECT_DOUBLE_EQ(review[0].candidates[1].score, 10.25);
  EXPECT_TRUE(review[1].candidates.empty());

  ASSERT_OK(linkage_->JudgeRow(review[0].row.id, ids_[0], Verdict::kSame, "", alice_));
  ASSERT_OK(linkage_->JudgeRow(review[2].row.id, 0, Verdict::kDifferent, "", alice_));
  EXPECT_THAT(
      linkage_->JudgeRow(review[2].row.id, ids_[0], Verdict::kDifferent, "", alice_).status(),
      StatusIs(StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(review, linkage_->ListReview(list.id));
  EXPECT_TRUE(review[0].judged);
  EXPECT_EQ(review[0].judgement.person_id, ids_[0]);
  EXPECT_FALSE(review[1].judged);
  EXPECT_EQ(review[2].judgement.verdict, Verdict::kDifferent);
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> history,
                       registry_->History(FormatId(IdKind::kList, list.id)));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].action, "list.create");
  EXPECT_EQ(history[1].action, "list.row.judgement");
}

TEST_F(LinkageTest, AFailedListLeavesNothingBehind) {
  std::vector<ListRowInput> rows(1);
  rows[0].row = {.line = 2, .values = "{}"};
  rows[0].candidates = {{.person_id = 999, .score = 1, .explanation = "[]"}};
  EXPECT_FALSE(linkage_->CreateList({.title = "Roster"}, rows, alice_).ok());
  EXPECT_TRUE(store_->linkage().Lists().value().empty());
  EXPECT_THAT(linkage_->CreateList({.title = ""}, {}, alice_).status(),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("title")));
}

// `izde match` stores a list chunk by chunk while its later rows are matched: the rows, their
// candidates and the ids set on them are those of one CreateList, and an error from a later
// chunk leaves nothing behind, not even the chunks written before it.
TEST_F(LinkageTest, AListStoredInChunksIsTheListStoredAtOnce) {
  std::vector<ListRowInput> rows(7);
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    rows[row_idx].row = {.line = static_cast<int64_t>(row_idx) + 2,
                         .values = fmt::format(R"({{"name":"row {}"}})", row_idx)};
    for (size_t candidate = 0; candidate < row_idx % 3; ++candidate) {
      rows[row_idx].candidates.push_back({.person_id = ids_[(row_idx + candidate) % ids_.size()],
                                          .score = static_cast<double>(row_idx) - 0.5,
                                          .explanation = fmt::format("[{}]", candidate)});
    }
  }
  ASSERT_OK_AND_ASSIGN(ExternalList at_once,
                       linkage_->CreateList({.title = "At once"}, rows, alice_));
  // Chunks of 1, 2, 3 and 1 rows.
  std::vector<ListRowInput> chunked = rows;
  size_t given = 0;
  size_t chunk = 1;
  ASSERT_OK_AND_ASSIGN(ExternalList in_chunks,
                       CreateListInChunks(
                           *store_, {.title = "In chunks"},
                           [&]() -> Result<std::span<ListRowInput>> {
                             const size_t size = std::min(chunk, chunked.size() - given);
                             std::span<ListRowInput> next(chunked.data() + given, size);
                             given += size;
                             chunk = chunk % 3 + 1;
                             return next;
                           },
                           alice_));
  EXPECT_EQ(given, rows.size());
  EXPECT_EQ(in_chunks.rows, at_once.rows);
  ASSERT_OK_AND_ASSIGN(std::vector<RowReview> expected, linkage_->ListReview(at_once.id));
  ASSERT_OK_AND_ASSIGN(std::vector<RowReview> got, linkage_->ListReview(in_chunks.id));
  ASSERT_EQ(got.size(), rows.size());
  ASSERT_EQ(expected.size(), rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    SCOPED_TRACE(row_idx);
    EXPECT_EQ(got[row_idx].row.line, expected[row_idx].row.line);
    EXPECT_EQ(got[row_idx].row.values, expected[row_idx].row.values);
    // The chunks keep the ids and ranks set on them.
    EXPECT_EQ(chunked[row_idx].row.id, got[row_idx].row.id);
    EXPECT_EQ(chunked[row_idx].row.list_id, in_chunks.id);
    ASSERT_EQ(got[row_idx].candidates.size(), expected[row_idx].candidates.size());
    for (size_t rank = 0; rank < got[row_idx].candidates.size(); ++rank) {
      EXPECT_EQ(got[row_idx].candidates[rank].rank, expected[row_idx].candidates[rank].rank);
      EXPECT_EQ(got[row_idx].candidates[rank].person_id,
                expected[row_idx].candidates[rank].person_id);
      EXPECT_EQ(got[row_idx].candidates[rank].explanation,
                expected[row_idx].candidates[rank].explanation);
      EXPECT_EQ(chunked[row_idx].candidates[rank].row_id, got[row_idx].row.id);
      EXPECT_EQ(chunked[row_idx].candidates[rank].rank, static_cast<int>(rank) + 1);
    }
  }

  // A second chunk that fails: the first, written, goes too.
  std::vector<ListRowInput> failing = rows;
  int calls = 0;
  EXPECT_THAT(CreateListInChunks(
                  *store_, {.title = "Failing"},
                  [&]() -> Result<std::span<ListRowInput>> {
                    if (++calls == 2) return UnavailableError("matching stopped");
                    return std::span<ListRowInput>(failing.data(), 3);
                  },
                  alice_)
                  .status(),
              StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(calls, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<ExternalList> lists, store_->linkage().Lists());
  EXPECT_EQ(lists.size(), 2u);
}

TEST(VerdictTest, NamesRoundTrip) {
  for (Verdict verdict : {Verdict::kSame, Verdict::kDifferent, Verdict::kUnsure}) {
    EXPECT_EQ(ParseVerdict(VerdictName(verdict)).value(), verdict);
  }
  EXPECT_THAT(ParseVerdict("maybe").status(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::registry
