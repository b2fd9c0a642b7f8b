// The change sequence (registry/store.h, "Following changes"), run against every backend.
// A second store opened on the same location stands for another server process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "registry/store.h"
#include "store/open.h"
#include "store_backends.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using ::izde::testing::StatusIs;
using registry::Store;
using Clock = std::chrono::steady_clock;

std::vector<std::string> Actions(const Store::ChangeBatch& batch) {
  std::vector<std::string> actions;
  for (const Store::Change& change : batch.changes) actions.push_back(change.entry.action);
  return actions;
}

class ChangesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    location_ = NewStoreLocation(GetParam(), dir_, "changes.db");
    ASSERT_FALSE(location_.empty());
    ASSERT_OK_AND_ASSIGN(store_, OpenStore(location_, {.create = true}));
    ASSERT_OK_AND_ASSIGN(other_, OpenStore(location_, {}));
  }

  // Adds a person and one audit entry per action in one transaction of `store`; returns
  // the person id.
  int64_t Write(Store& store, const std::vector<std::string>& actions) {
    auto txn = store.Begin();
    EXPECT_OK(txn);
    if (!txn.ok()) return 0;
    Result<int64_t> id = (*txn)->InsertPerson(::izde::testing::SamplePerson());
    EXPECT_OK(id);
    std::string public_id = FormatId(IdKind::kPerson, id.value_or(0));
    for (const std::string& action : actions) {
      EXPECT_OK(
          (*txn)->AppendAudit({.actor = "test", .action = action, .entity = public_id}).status());
    }
    EXPECT_OK((*txn)->Commit());
    return id.value_or(0);
  }

  ::izde::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store> other_;
};

TEST_P(ChangesTest, EmptyRegistryHasNoChanges) {
  ASSERT_OK_AND_ASSIGN(int64_t position, store_->ChangePosition());
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch batch, store_->ChangesAfter(position, 10));
  EXPECT_TRUE(batch.changes.empty());
  EXPECT_EQ(batch.position, position);
  EXPECT_THAT(store_->ChangesAfter(position, 0), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(ChangesTest, CommitsOfAnotherProcessComeInCommitOrder) {
  ASSERT_OK_AND_ASSIGN(int64_t start, store_->ChangePosition());
  int64_t first = Write(*other_, {"person.create", "person.update"});
  int64_t second = Write(*other_, {"person.create"});
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch batch, store_->ChangesAfter(start, 10));
  EXPECT_THAT(Actions(batch),
              ::testing::ElementsAre("person.create", "person.update", "person.create"));
  ASSERT_EQ(batch.changes.size(), 3u);
  // The entry names its person (entity), as the follower reads it.
  EXPECT_EQ(batch.changes[0].entry.person, FormatId(IdKind::kPerson, first));
  EXPECT_EQ(batch.changes[2].entry.person, FormatId(IdKind::kPerson, second));
  EXPECT_EQ(batch.changes[0].entry.actor, "test");
  EXPECT_LT(batch.changes[0].entry.id, batch.changes[1].entry.id);
  EXPECT_GT(batch.changes[0].position, start);
  EXPECT_LT(batch.changes[1].position, batch.changes[2].position);
  EXPECT_EQ(batch.position, batch.changes[2].position);
  ASSERT_OK_AND_ASSIGN(int64_t now_at, store_->ChangePosition());
  EXPECT_EQ(now_at, batch.position);
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch after, store_->ChangesAfter(batch.position, 10));
  EXPECT_TRUE(after.changes.empty());
}

TEST_P(ChangesTest, RolledBackTransactionIsNoChange) {
  ASSERT_OK_AND_ASSIGN(int64_t start, store_->ChangePosition());
  {
    ASSERT_OK_AND_ASSIGN(auto txn, other_->Begin());
    ASSERT_OK(txn->AppendAudit({.actor = "test", .action = "person.create", .entity = "P-000001"})
                  .status());
    // destroyed without Commit
  }
  Write(*other_, {"person.update"});
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch batch, store_->ChangesAfter(start, 10));
  EXPECT_THAT(Actions(batch), ::testing::ElementsAre("person.update"));
}

TEST_P(ChangesTest, LimitPagesThroughTheSequence) {
  ASSERT_OK_AND_ASSIGN(int64_t position, store_->ChangePosition());
  for (int write_idx = 0; write_idx < 5; ++write_idx) {
    Write(*other_, {"write." + std::to_string(write_idx)});
  }
  std::vector<std::string> seen;
  int rounds = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(Store::ChangeBatch batch, store_->ChangesAfter(position, 2));
    if (batch.changes.empty()) break;
    EXPECT_LE(batch.changes.size(), 2u);
    EXPECT_GT(batch.position, position);
    for (const std::string& action : Actions(batch)) seen.push_back(action);
    position = batch.position;
    ASSERT_LT(++rounds, 10);
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("write.0", "write.1", "write.2", "write.3", "write.4"));
}

TEST_P(ChangesTest, WatchReturnsAtOnceWhenBehind) {
  ASSERT_OK_AND_ASSIGN(int64_t start, store_->ChangePosition());
  Write(*other_, {"person.create"});
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store::ChangeWatch> watch, store_->WatchChanges());
  auto began = Clock::now();
  ASSERT_OK(watch->Wait(start, std::chrono::seconds(60)));
  EXPECT_LT(Clock::now() - began, std::chrono::seconds(30));
}

TEST_P(ChangesTest, WatchTimesOutWithoutChanges) {
  ASSERT_OK_AND_ASSIGN(int64_t start, store_->ChangePosition());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store::ChangeWatch> watch, store_->WatchChanges());
  auto began = Clock::now();
  ASSERT_OK(watch->Wait(start, std::chrono::milliseconds(300)));
  EXPECT_GE(Clock::now() - began, std::chrono::milliseconds(250));
}

// The wait ends when another process commits, long before its timeout.
TEST_P(ChangesTest, WatchWakesOnAnotherProcessCommit) {
  ASSERT_OK_AND_ASSIGN(int64_t start, store_->ChangePosition());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store::ChangeWatch> watch, store_->WatchChanges());
  // The first wait opens the listening connection (PostgreSQL); nothing has changed yet.
  ASSERT_OK(watch->Wait(start, std::chrono::milliseconds(10)));
  std::future<Clock::time_point> woke = std::async(std::launch::async, [&] {
    EXPECT_OK(watch->Wait(start, std::chrono::seconds(120)));
    return Clock::now();
  });
  // Let the wait begin, then commit from the other store.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Write(*other_, {"person.create"});
  auto committed = Clock::now();
  ASSERT_EQ(woke.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "the wait did not end on the commit";
  EXPECT_LT(woke.get() - committed, std::chrono::seconds(30));
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch batch, store_->ChangesAfter(start, 10));
  EXPECT_THAT(Actions(batch), ::testing::ElementsAre("person.create"));
}

INSTANTIATE_STORE_BACKENDS(ChangesTest);

// PostgreSQL writers run side by side: a transaction that wrote its audit entry first (the
// lower audit id) may commit last. Its change must still come after the position a reader
// had reached, or a follower that reads up to the later commit would never see it.
TEST(PostgresChangesTest, LateCommitOfAnEarlierAuditIdIsNotSkipped) {
  std::string url = ::izde::testing::FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenStore(url, {.create = true}));
  ASSERT_OK_AND_ASSIGN(int64_t start, store->ChangePosition());

  ASSERT_OK_AND_ASSIGN(auto slow, store->Begin());
  ASSERT_OK_AND_ASSIGN(int64_t slow_audit,
                       slow->AppendAudit({.actor = "test", .action = "slow", .entity = "P-1"}));
  ASSERT_OK_AND_ASSIGN(auto fast, store->Begin());
  ASSERT_OK_AND_ASSIGN(int64_t fast_audit,
                       fast->AppendAudit({.actor = "test", .action = "fast", .entity = "P-2"}));
  ASSERT_LT(slow_audit, fast_audit) << "the case needs the later commit to hold the higher id";
  ASSERT_OK(fast->Commit());

  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch first, store->ChangesAfter(start, 10));
  EXPECT_THAT(Actions(first), ::testing::ElementsAre("fast"));
  ASSERT_OK(slow->Commit());
  ASSERT_OK_AND_ASSIGN(Store::ChangeBatch second, store->ChangesAfter(first.position, 10));
  ASSERT_EQ(second.changes.size(), 1u) << "the late commit was skipped";
  EXPECT_EQ(second.changes[0].entry.action, "slow");
  EXPECT_EQ(second.changes[0].entry.id, slow_audit);
  EXPECT_GT(second.position, first.position);
}

}  // namespace
}  // namespace izde::store
