// PostgreSQL at scale: bulk writes by COPY (store/postgres/pg_bulk.h) and the connection
// limit of the pool (store/postgres/pg_connection.h), on the tests' throwaway server.
#include "store/postgres/pg_bulk.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "registry/registry.h"
#include "store/open.h"
#include "store/postgres/pg_connection.h"
#include "testing/fixtures.h"
#include "testing/postgres_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using ::izde::testing::FreshPostgresDatabase;
using ::izde::testing::SamplePerson;
using ::izde::testing::SharedPostgres;
using ::izde::testing::StatusIs;
using ::testing::HasSubstr;

// Rows that exercise COPY's escaping and NULLs: tabs, newlines and backslashes in text, no
// external id (NULL, so that several do not collide), unknown dates (NULL days).
std::vector<registry::PersonImport> Rows(int count) {
  std::vector<registry::PersonImport> rows;
  for (int row_idx = 0; row_idx < count; ++row_idx) {
    registry::PersonImport row;
    row.person = SamplePerson(row_idx % 3 == 0 ? "" : "ext-" + std::to_string(row_idx));
    row.person.names[0].text += " " + std::to_string(row_idx);
    row.person.notes = "line one\nline\ttwo \\N back\\slash \r end " + std::to_string(row_idx);
    if (row_idx % 5 == 0) row.person.birth_date = PartialDate();
    for (int event_idx = 0; event_idx < row_idx % 3; ++event_idx) {
      registry::Event event;
      event.type = registry::EventType::kDetained;
      event.date = event_idx == 0 ? PartialDate::Of(2018, 3) : PartialDate();
      event.place_text = "a camp\tnear\\town";
      event.note = "note " + std::to_string(event_idx);
      row.events.push_back(event);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// What must agree between backends: everything but the times each one stamps.
registry::Person WithoutTimes(registry::Person person) {
  person.created_at.clear();
  person.updated_at.clear();
  return person;
}

std::vector<registry::Event> WithoutTimes(std::vector<registry::Event> events) {
  for (registry::Event& event : events) event.created_at.clear();
  return events;
}

TEST(PgBulkTest, ImportWritesTheSameRecordsAndHistoryAsSqlite) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ::izde::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto postgres, OpenStore(url, {.create = true}));
  ASSERT_OK_AND_ASSIGN(auto sqlite, OpenStore(dir.File("izde.db"), {.create = true}));
  registry::Registry on_postgres(*postgres, registry::Gazetteer::Xinjiang());
  registry::Registry on_sqlite(*sqlite, registry::Gazetteer::Xinjiang());
  registry::Actor actor{"import:test"};
  // More rows than one COPY buffer holds (8192 rows of all tables), so that it is written
  // several times before the commit.
  constexpr int kPersons = 3000;
  std::vector<registry::PersonImport> rows = Rows(kPersons);
  for (auto& row : rows) ASSERT_OK(on_sqlite.NormalizePerson(row.person));
  ASSERT_OK_AND_ASSIGN(registry::ImportSummary from_postgres,
                       on_postgres.ImportPersons(rows, actor));
  ASSERT_OK_AND_ASSIGN(registry::ImportSummary from_sqlite, on_sqlite.ImportPersons(rows, actor));
  ASSERT_EQ(from_postgres.person_ids, from_sqlite.person_ids);
  EXPECT_EQ(from_postgres.person_ids.front(), 1);
  EXPECT_EQ(from_postgres.events_created, from_sqlite.events_created);

  ASSERT_OK_AND_ASSIGN(registry::StoreCounts pg_counts, postgres->Counts());
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts sqlite_counts, sqlite->Counts());
  EXPECT_EQ(pg_counts.persons, kPersons);
  ASSERT_OK_AND_ASSIGN(int64_t pg_persons, postgres->CountPersons());
  EXPECT_EQ(pg_persons, kPersons);
  EXPECT_EQ(pg_counts.names, sqlite_counts.names);
  EXPECT_EQ(pg_counts.events, sqlite_counts.events);
  EXPECT_EQ(pg_counts.audit_entries, kPersons + pg_counts.events);
  EXPECT_EQ(pg_counts.audit_entries, sqlite_counts.audit_entries);

  for (int64_t id : {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{1500}, int64_t{kPersons}}) {
    SCOPED_TRACE(id);
    ASSERT_OK_AND_ASSIGN(registry::Person pg_person, postgres->GetPerson(id));
    ASSERT_OK_AND_ASSIGN(registry::Person sqlite_person, sqlite->GetPerson(id));
    EXPECT_EQ(WithoutTimes(pg_person), WithoutTimes(sqlite_person));
    EXPECT_THAT(pg_person.notes, HasSubstr("line one\nline\ttwo \\N back\\slash \r end"));
    EXPECT_FALSE(pg_person.created_at.empty());
    ASSERT_OK_AND_ASSIGN(auto pg_events, postgres->EventsOfPerson(id));
    ASSERT_OK_AND_ASSIGN(auto sqlite_events, sqlite->EventsOfPerson(id));
    EXPECT_EQ(WithoutTimes(pg_events), WithoutTimes(sqlite_events));
    ASSERT_OK_AND_ASSIGN(auto pg_history, postgres->History(pg_person.public_id()));
    ASSERT_OK_AND_ASSIGN(auto sqlite_history, sqlite->History(pg_person.public_id()));
    ASSERT_EQ(pg_history.size(), sqlite_history.size());
    for (size_t entry_idx = 0; entry_idx < pg_history.size(); ++entry_idx) {
      EXPECT_EQ(pg_history[entry_idx].action, sqlite_history[entry_idx].action);
      EXPECT_EQ(pg_history[entry_idx].entity, sqlite_history[entry_idx].entity);
      EXPECT_EQ(pg_history[entry_idx].actor, "import:test");
    }
  }
  // Persons without an external id (every third) are stored with none, NULL: they do not
  // collide on the unique index.
  ASSERT_OK_AND_ASSIGN(int64_t second, postgres->FindPersonByExternalId("ext-1"));
  EXPECT_EQ(second, 2);
  // The next id after the import follows the last imported one: no id is handed out twice.
  registry::Person next = SamplePerson("after");
  ASSERT_OK(on_postgres.NormalizePerson(next));
  ASSERT_OK_AND_ASSIGN(registry::Person added, on_postgres.AddPerson(next, actor));
  EXPECT_GT(added.id, kPersons);
}

TEST(PgBulkTest, ReadsInsideTheTransactionSeeBufferedWrites) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  ASSERT_OK_AND_ASSIGN(auto txn, store->BeginBulk());
  ASSERT_OK_AND_ASSIGN(int64_t id, txn->InsertPerson(SamplePerson("x1")));
  ASSERT_OK_AND_ASSIGN(int64_t found, txn->FindPersonByExternalId("x1"));
  EXPECT_EQ(found, id);
  ASSERT_OK_AND_ASSIGN(registry::Person person, txn->GetPerson(id));
  EXPECT_EQ(person.names.size(), 3u);
  // Not committed: invisible outside, and gone when the transaction is dropped.
  EXPECT_THAT(store->GetPerson(id), StatusIs(StatusCode::kNotFound));
  txn.reset();
  EXPECT_THAT(store->GetPerson(id), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store->Counts());
  EXPECT_EQ(counts.persons, 0);
}

TEST(PgBulkTest, ARefusedRowFailsTheCommitAndNothingIsWritten) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store->Begin());
    ASSERT_OK(txn->InsertPerson(SamplePerson("taken")).status());
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto txn, store->BeginBulk());
  ASSERT_OK(txn->InsertPerson(SamplePerson("new-1")).status());
  // Buffered: the conflict shows when the buffer is written.
  ASSERT_OK(txn->InsertPerson(SamplePerson("taken")).status());
  ASSERT_OK(txn->InsertPerson(SamplePerson("new-2")).status());
  EXPECT_THAT(txn->Commit(), StatusIs(StatusCode::kAlreadyExists, HasSubstr("persons")));
  // The transaction stays failed.
  EXPECT_THAT(txn->InsertPerson(SamplePerson("new-3")), StatusIs(StatusCode::kAlreadyExists));
  txn.reset();
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store->Counts());
  EXPECT_EQ(counts.persons, 1);
  EXPECT_THAT(store->FindPersonByExternalId("new-1"), StatusIs(StatusCode::kNotFound));
}

TEST(PgBulkTest, ExplicitIdsAreKeptAndMoveTheSequence) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(url, {.create = true}));
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store->BeginBulk());
    ASSERT_OK_AND_ASSIGN(int64_t first, txn->InsertPerson(SamplePerson()));
    EXPECT_EQ(first, 1);
    registry::Person restored = SamplePerson();
    restored.id = 500;
    ASSERT_OK_AND_ASSIGN(int64_t kept, txn->InsertPerson(restored));
    EXPECT_EQ(kept, 500);
    // Ids reserved below the explicit one are dropped, not handed out after it.
    ASSERT_OK_AND_ASSIGN(int64_t after, txn->InsertPerson(SamplePerson()));
    EXPECT_GT(after, 500);
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin());
  ASSERT_OK_AND_ASSIGN(int64_t next, txn->InsertPerson(SamplePerson()));
  EXPECT_GT(next, 501);
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(registry::Person kept, store->GetPerson(500));
  EXPECT_EQ(kept.id, 500);
}

TEST(PgPoolTest, ParsesIzdeOptionsAndLeavesLibpqOnesInTheUrl) {
  std::string libpq_url;
  ASSERT_OK_AND_ASSIGN(
      internal::PoolOptions options,
      internal::ParsePoolOptions(
          "postgresql://u@h:5/db?connect_timeout=3&izde_pool=4&izde_pool_wait_ms=250&sslmode=off",
          libpq_url));
  EXPECT_EQ(options.max_connections, 4u);
  EXPECT_EQ(options.wait_ms, 250);
  EXPECT_EQ(libpq_url, "postgresql://u@h:5/db?connect_timeout=3&sslmode=off");
  ASSERT_OK_AND_ASSIGN(options,
                       internal::ParsePoolOptions("postgresql://u@h/db?izde_pool=2", libpq_url));
  EXPECT_EQ(libpq_url, "postgresql://u@h/db");
  ASSERT_OK_AND_ASSIGN(options, internal::ParsePoolOptions("postgresql://u@h/db", libpq_url));
  EXPECT_EQ(options.max_connections, internal::PoolOptions().max_connections);
  Status zero = internal::ParsePoolOptions("postgresql://u@h/db?izde_pool=0", libpq_url).status();
  EXPECT_EQ(zero.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(zero.ToString(), HasSubstr("'izde_pool'"));
  Status text =
      internal::ParsePoolOptions("postgresql://u@h/db?izde_pool_wait_ms=x", libpq_url).status();
  EXPECT_EQ(text.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(text.ToString(), HasSubstr("'izde_pool_wait_ms'"));
}

TEST(PgPoolTest, WaitsForAFreeConnectionThenAnswersUnavailable) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  ASSERT_OK_AND_ASSIGN(auto store,
                       OpenStore(url + "?izde_pool=2&izde_pool_wait_ms=300", {.create = true}));
  ASSERT_OK_AND_ASSIGN(auto first, store->Begin());
  ASSERT_OK_AND_ASSIGN(auto second, store->Begin());
  EXPECT_THAT(store->Begin(), StatusIs(StatusCode::kUnavailable, HasSubstr("izde_pool")));
  EXPECT_THAT(store->Counts(), StatusIs(StatusCode::kUnavailable));
  // A connection that comes back is lent again.
  first.reset();
  ASSERT_OK_AND_ASSIGN(auto third, store->Begin());
  ASSERT_OK(third->Commit());
  ASSERT_OK(second->Commit());
  second.reset();
  third.reset();
  EXPECT_OK(store->Counts().status());
  // The server saw at most two connections from this store at any time.
  pqxx::connection admin(url);
  pqxx::nontransaction check(admin);
  pqxx::result open = check.exec(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
      "pg_backend_pid()");
  EXPECT_LE(open[0][0].as<int64_t>(), 2);
}

TEST(PgPoolTest, AServerThatRefusesConnectionsIsUnavailableWithAClearMessage) {
  std::string url = FreshPostgresDatabase();
  ASSERT_FALSE(url.empty());
  { ASSERT_OK(OpenStore(url, {.create = true}).status()); }
  // A role allowed one connection stands for a server at max_connections (superusers are
  // exempt from both limits).
  std::string role = "izde_limited_" + std::to_string(getpid());
  {
    pqxx::connection admin(url);
    pqxx::work txn(admin);
    txn.exec("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
    txn.exec("GRANT ALL ON ALL TABLES IN SCHEMA public TO " + role);
    txn.exec("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + role);
    txn.commit();
  }
  std::string limited = url;
  limited.replace(limited.find("postgres@"), 9, role + "@");
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(limited + "?izde_pool=4", {.create = false}));
  ASSERT_OK_AND_ASSIGN(auto txn, store->Begin());  // the one connection allowed
  EXPECT_THAT(store->Begin(),
              StatusIs(StatusCode::kUnavailable, HasSubstr("refuses more connections")));
  ASSERT_OK(txn->Commit());
}

}  // namespace
}  // namespace izde::store
