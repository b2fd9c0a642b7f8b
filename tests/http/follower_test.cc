// The follower (http/follower.h) keeps a catalog in step with writes made through another
// store on the same database, as a second server would make them. SQLite and PostgreSQL.
#include "http/follower.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <thread>

#include "core/ids.h"
#include "registry/registry.h"
#include "store/open.h"
#include "testing/fixtures.h"
#include "testing/postgres_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::http {
namespace {

enum class Backend { kSqlite, kPostgres };

void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

class FollowerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string location = GetParam() == Backend::kSqlite
                               ? dir_.File("follow.db")
                               : ::izde::testing::FreshPostgresDatabase();
    ASSERT_FALSE(location.empty());
    ASSERT_OK_AND_ASSIGN(mine_, store::OpenStore(location, {.create = true}));
    ASSERT_OK_AND_ASSIGN(theirs_, store::OpenStore(location, {}));
    other_server_ = std::make_unique<registry::Registry>(*theirs_, places_);
    // As the server starts: position first, then the load.
    ASSERT_OK_AND_ASSIGN(
        follower_, Follower::Create(*mine_, catalog_, {.poll = std::chrono::milliseconds(50)}));
    ASSERT_OK(catalog_.Load(*mine_, ""));
  }

  bool Found(int64_t person_id, const std::string& name) const {
    match::Query query;
    query.names = {name};
    Result<std::vector<match::Candidate>> found = catalog_.Find(query, 20);
    if (!found.ok()) return false;
    return std::any_of(found->begin(), found->end(),
                       [&](const match::Candidate& each) { return each.id == person_id; });
  }

  int64_t AddElsewhere(const std::string& name) {
    registry::Person person = ::izde::testing::SamplePerson();
    person.names = {{name, names::Script::kUnknown, registry::NamePart::kFull, "test"}};
    Result<registry::Person> added = other_server_->AddPerson(person, {"test:other"});
    EXPECT_OK(added);
    return added.ok() ? added->id : 0;
  }

  ::izde::testing::TempDir dir_;
  const registry::Gazetteer& places_ = registry::Gazetteer::Xinjiang();
  std::unique_ptr<registry::Store> mine_;
  std::unique_ptr<registry::Store> theirs_;
  std::unique_ptr<registry::Registry> other_server_;
  Catalog catalog_{places_};
  std::unique_ptr<Follower> follower_;
};

TEST_P(FollowerTest, CatchUpAppliesCreatesEventsAndReverts) {
  int64_t kept = AddElsewhere("Serikzhan Bilash");
  int64_t reverted = AddElsewhere("Nurlan Kokteubaev");
  EXPECT_EQ(catalog_.size(), 0u);
  EXPECT_FALSE(Found(kept, "Serikzhan Bilash"));

  ASSERT_OK(follower_->CatchUp());
  EXPECT_EQ(catalog_.size(), 2u);
  EXPECT_TRUE(Found(kept, "Серікжан Біләш"));
  EXPECT_TRUE(Found(reverted, "Nurlan Kokteubaev"));
  EXPECT_EQ(catalog_.StatusOf(kept), "unknown");

  registry::Event detained;
  detained.person_id = kept;
  detained.type = registry::EventType::kDetained;
  detained.date = PartialDate::Of(2018, 3);
  ASSERT_OK(other_server_->AddEvent(detained, {"test:other"}).status());
  ASSERT_OK_AND_ASSIGN(std::vector<registry::AuditEntry> history,
                       other_server_->History(FormatId(IdKind::kPerson, reverted)));
  ASSERT_FALSE(history.empty());
  ASSERT_OK(other_server_->Revert(history.front().id, {"test:other"}).status());
  EXPECT_EQ(catalog_.StatusOf(kept), "unknown");  // not applied yet

  int64_t before = follower_->position();
  ASSERT_OK(follower_->CatchUp());
  EXPECT_GT(follower_->position(), before);
  EXPECT_EQ(catalog_.StatusOf(kept), "detained");
  EXPECT_EQ(catalog_.size(), 1u);
  EXPECT_FALSE(Found(reverted, "Nurlan Kokteubaev"));
  EXPECT_TRUE(Found(kept, "Serikzhan Bilash"));
}

TEST_P(FollowerTest, BackgroundThreadFollowsUntilStopped) {
  follower_->Start();
  int64_t person = AddElsewhere("Gulzira Auelkhan");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  // The person is findable inside the refresh, a moment before the follower counts it.
  while ((!Found(person, "Gulzira Auelkhan") || follower_->refreshed() < 1) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(Found(person, "Gulzira Auelkhan"));
  EXPECT_GE(follower_->refreshed(), 1);

  follower_->Stop();
  follower_->Stop();  // idempotent
  int64_t after_stop = AddElsewhere("Baqytali Nur");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(Found(after_stop, "Baqytali Nur")) << "a stopped follower applied a change";
  ASSERT_OK(follower_->CatchUp());
  EXPECT_TRUE(Found(after_stop, "Baqytali Nur"));
}

// A write committed after the position was read but before the load ends is applied once
// more, harmlessly: the catalog holds it once.
TEST_P(FollowerTest, WritesBetweenPositionAndLoadAreNotLost) {
  ASSERT_OK_AND_ASSIGN(auto follower, Follower::Create(*mine_, catalog_));
  int64_t person = AddElsewhere("Serikzhan Bilash");
  ASSERT_OK(catalog_.Load(*mine_, ""));
  EXPECT_EQ(catalog_.size(), 1u);
  ASSERT_OK(follower->CatchUp());
  EXPECT_EQ(catalog_.size(), 1u);
  EXPECT_TRUE(Found(person, "Serikzhan Bilash"));
  EXPECT_EQ(follower->refreshed(), 1);
}

// A person refreshed again and again (this server's own refresh, then the follower's for the
// same change) stays findable throughout: a search never falls between removal and re-adding.
TEST_P(FollowerTest, ASearchDuringRefreshesAlwaysFindsThePerson) {
  int64_t person = AddElsewhere("Serikzhan Bilash");
  ASSERT_OK(follower_->CatchUp());
  ASSERT_TRUE(Found(person, "Serikzhan Bilash"));
  std::atomic<bool> done{false};
  std::thread refresher([&] {
    for (int round = 0; round < 300; ++round) EXPECT_OK(catalog_.Refresh(*mine_, person));
    done = true;
  });
  int searches = 0;
  int missed = 0;
  while (!done) {
    ++searches;
    if (!Found(person, "Serikzhan Bilash")) ++missed;
  }
  refresher.join();
  EXPECT_EQ(missed, 0) << "of " << searches << " searches";
  EXPECT_GT(searches, 0);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, FollowerTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, FollowerTest, ::testing::Values(Backend::kPostgres));

}  // namespace
}  // namespace izde::http
