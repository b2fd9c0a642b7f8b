#include "registry/linkage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "registry/json.h"
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

TEST(VerdictTest, NamesRoundTrip) {
  for (Verdict verdict : {Verdict::kSame, Verdict::kDifferent, Verdict::kUnsure}) {
    EXPECT_EQ(ParseVerdict(VerdictName(verdict)).value(), verdict);
  }
  EXPECT_THAT(ParseVerdict("maybe").status(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::registry
