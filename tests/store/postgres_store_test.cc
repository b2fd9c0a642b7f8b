// What only the PostgreSQL backend has: its test server, schema versions in a table, URLs,
// several connections at once, and a registry use case end to end on it.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "registry/registry.h"
#include "store/open.h"
#include "testing/fixtures.h"
#include "testing/postgres_server.h"
#include "testing/status_matchers.h"

namespace izde::store {
namespace {

using ::izde::testing::FreshPostgresDatabase;
using ::izde::testing::SharedPostgres;
using ::izde::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(PostgresServerTest, GivesEachTestAFreshEmptyDatabase) {
  std::string first = FreshPostgresDatabase();
  std::string second = FreshPostgresDatabase();
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_NE(first, second);
  pqxx::connection connection(first);
  pqxx::nontransaction txn(connection);
  pqxx::result tables =
      txn.exec("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
  EXPECT_EQ(tables[0][0].as<int64_t>(), 0);
  // The server listens on loopback only, on the port it chose.
  pqxx::result address = txn.exec("SELECT inet_server_addr()::text, inet_server_port()");
  EXPECT_THAT(address[0][0].c_str(), HasSubstr("127.0.0.1"));
  EXPECT_EQ(address[0][1].as<int>(), SharedPostgres()->port());
}

TEST(PostgresStoreTest, CreatesTheSchemaOnlyWhenAsked) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  EXPECT_THAT(OpenStore(url, {.create = false}),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("not an izde database")));
  {
    ASSERT_OK_AND_ASSIGN(auto store, PostgresStore::Open(url, /*create=*/true));
    ASSERT_OK_AND_ASSIGN(int version, store->SchemaVersion());
    EXPECT_EQ(version, PostgresStore::CurrentSchemaVersion());
  }
  // Migrating again is a no-op.
  ASSERT_OK_AND_ASSIGN(auto reopened, PostgresStore::Open(url, /*create=*/false));
  ASSERT_OK_AND_ASSIGN(int version, reopened->SchemaVersion());
  EXPECT_EQ(version, PostgresStore::CurrentSchemaVersion());
}

TEST(PostgresStoreTest, RefusesADatabaseFromANewerProgram) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  { ASSERT_OK(PostgresStore::Open(url, true).status()); }
  {
    pqxx::connection connection(url);
    pqxx::work txn(connection);
    txn.exec("INSERT INTO izde_schema (version) VALUES (999)");
    txn.commit();
  }
  EXPECT_THAT(PostgresStore::Open(url, false),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("newer")));
}

TEST(PostgresStoreTest, UnknownDatabaseAndUnreachableServerAreStatuses) {
  ASSERT_NE(SharedPostgres(), nullptr) << ::izde::testing::SharedPostgresError();
  EXPECT_THAT(OpenStore(SharedPostgres()->Url("no_such_database"), {.create = true}),
              StatusIs(StatusCode::kNotFound));
  // Port 1 on loopback: nothing listens there.
  EXPECT_THAT(OpenStore("postgresql://postgres@127.0.0.1:1/x?connect_timeout=2", {.create = true}),
              StatusIs(StatusCode::kUnavailable));
}

TEST(PostgresStoreTest, DescribeLeavesOutThePassword) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  // The test server trusts loopback, so any password connects.
  std::string with_password = url;
  with_password.insert(with_password.find('@'), ":s3cret");
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(with_password, {.create = true}));
  EXPECT_THAT(store->Describe(), Not(HasSubstr("s3cret")));
  EXPECT_THAT(store->Describe(), HasSubstr("postgresql://postgres@127.0.0.1:"));
}

TEST(PostgresStoreTest, ConcurrentEditsOfOnePersonConflictByVersion) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  registry::Person person = ::izde::testing::SamplePerson();
  person.version = 1;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin());
    ASSERT_OK_AND_ASSIGN(person.id, txn->InsertPerson(person));
    ASSERT_OK(txn->Commit());
  }
  // Two transactions open at once, each on its own connection, both editing version 1.
  ASSERT_OK_AND_ASSIGN(auto first, store->Begin());
  ASSERT_OK_AND_ASSIGN(auto second, store->Begin());
  registry::Person mine = person;
  mine.occupation = "teacher";
  registry::Person theirs = person;
  theirs.occupation = "driver";
  ASSERT_OK(first->UpdatePerson(mine));
  // Uncommitted writes are not seen outside their transaction.
  EXPECT_EQ(store->GetPerson(person.id).value().occupation, person.occupation);
  ASSERT_OK(first->Commit());
  EXPECT_THAT(second->UpdatePerson(theirs), StatusIs(StatusCode::kAborted, HasSubstr("version")));
  ASSERT_OK_AND_ASSIGN(registry::Person stored, store->GetPerson(person.id));
  EXPECT_EQ(stored.occupation, "teacher");
  EXPECT_EQ(stored.version, 2);
}

TEST(PostgresStoreTest, WritersOnSeveralThreadsAllLand) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int write_idx = 0; write_idx < kPerThread; ++write_idx) {
        auto txn = store->Begin();
        if (!txn.ok()) {
          ++failures[static_cast<size_t>(thread_idx)];
          continue;
        }
        Result<int64_t> id = (*txn)->InsertPerson(::izde::testing::SamplePerson());
        Status audited = (*txn)
                             ->AppendAudit({.actor = "t",
                                            .action = "person.create",
                                            .entity = FormatId(IdKind::kPerson, id.value_or(0))})
                             .status();
        if (!id.ok() || !audited.ok() || !(*txn)->Commit().ok()) {
          ++failures[static_cast<size_t>(thread_idx)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int failed : failures) EXPECT_EQ(failed, 0);
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store->Counts());
  EXPECT_EQ(counts.persons, kThreads * kPerThread);
  EXPECT_EQ(counts.audit_entries, kThreads * kPerThread);
}

TEST(PostgresRegistryTest, CreatesAPersonWithItsHistoryAndUpdatesIt) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  registry::Registry registry(*store, registry::Gazetteer::Xinjiang());
  registry::Actor alice{"cli:alice"};
  ASSERT_OK_AND_ASSIGN(registry::Person person,
                       registry.AddPerson(::izde::testing::SamplePerson("e1"), alice));
  EXPECT_EQ(person.public_id(), "P-000001");
  EXPECT_EQ(person.version, 1);
  person.occupation = "imam";
  ASSERT_OK_AND_ASSIGN(registry::Person updated, registry.UpdatePerson(person, alice));
  EXPECT_EQ(updated.version, 2);
  // The stale copy loses.
  EXPECT_THAT(registry.UpdatePerson(person, alice), StatusIs(StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(auto history, registry.History("P-000001"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].action, "person.create");
  EXPECT_EQ(history[0].actor, "cli:alice");
  EXPECT_EQ(history[1].action, "person.update");
  EXPECT_THAT(history[1].after, HasSubstr("imam"));
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store->Counts());
  EXPECT_EQ(counts.persons, 1);
  EXPECT_EQ(counts.audit_entries, 2);
}

}  // namespace
}  // namespace izde::store
