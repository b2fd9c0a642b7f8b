// The store suite, run against every backend (SQLite and PostgreSQL).
#include "registry/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/open.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store_backends.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using ::izde::testing::StatusIs;
using registry::Event;
using registry::EventType;
using registry::Person;
using registry::Testimony;

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    location_ = NewStoreLocation(GetParam(), dir_, "store.db");
    ASSERT_FALSE(location_.empty());
    auto opened = OpenStore(location_, {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
  }

  int64_t InsertPerson(const Person& person) {
    auto txn = store_->Begin();
    EXPECT_OK(txn);
    Result<int64_t> id = (*txn)->InsertPerson(person);
    EXPECT_OK(id);
    EXPECT_OK((*txn)->Commit());
    return id.value_or(0);
  }

  ::izde::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<registry::Store> store_;
};

TEST_P(StoreTest, PersonRoundTripsWithAllFields) {
  Person person = ::izde::testing::SamplePerson("ext-1");
  person.names[0].script = names::Script::kLatin;
  person.prc_id = "65400219740412001X";
  person.grade = registry::Grade::kCorroborated;
  person.version = 1;
  int64_t id = InsertPerson(person);
  ASSERT_GT(id, 0);
  ASSERT_OK_AND_ASSIGN(Person stored, store_->GetPerson(id));
  person.id = id;
  person.created_at = stored.created_at;
  person.updated_at = stored.updated_at;
  EXPECT_EQ(stored, person);
  EXPECT_FALSE(stored.created_at.empty());
  ASSERT_OK_AND_ASSIGN(int64_t found, store_->FindPersonByExternalId("ext-1"));
  EXPECT_EQ(found, id);
  EXPECT_THAT(store_->FindPersonByExternalId("nope"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->GetPerson(id + 100), StatusIs(StatusCode::kNotFound));
}

TEST_P(StoreTest, UncommittedTransactionLeavesNothing) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK((*txn).InsertPerson(::izde::testing::SamplePerson()).status());
    // destroyed without Commit
  }
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store_->Counts());
  EXPECT_EQ(counts.persons, 0);
  EXPECT_EQ(counts.names, 0);
}

// CountPersons (what the index snapshot's check at start asks) is Counts().persons, inside a
// transaction (with its own writes and deletions) and after it commits.
TEST_P(StoreTest, CountPersonsIsThePersonsOfCounts) {
  auto count_persons = [](registry::StoreReader& reader) {
    Result<int64_t> persons = reader.CountPersons();
    EXPECT_TRUE(persons.ok()) << persons.status();
    return persons.ok() ? *persons : -1;
  };
  EXPECT_EQ(count_persons(*store_), 0);
  const int64_t first = InsertPerson(::izde::testing::SamplePerson("a"));
  ASSERT_GT(first, 0);
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("b")).status());
    ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("c")).status());
    EXPECT_EQ(count_persons(*txn), 3);
    ASSERT_OK_AND_ASSIGN(registry::StoreCounts inside, txn->Counts());
    EXPECT_EQ(inside.persons, 3);
    ASSERT_OK(txn->DeletePerson(first));
    EXPECT_EQ(count_persons(*txn), 2);
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store_->Counts());
  EXPECT_EQ(counts.persons, 2);
  EXPECT_EQ(count_persons(*store_), 2);
}

// Store::BeginRead: the reads of one reader see one committed state. A commit through
// another connection (another process's) between two of its reads is not seen by the second;
// once the reader is gone the store reads it, and a write transaction can begin (the read
// one ended).
TEST_P(StoreTest, ReadTransactionSeesOneState) {
  Person person = ::izde::testing::SamplePerson("snap");
  person.occupation = "teacher";
  const int64_t id = InsertPerson(person);
  ASSERT_GT(id, 0);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<registry::Store> other,
                       OpenStore(location_, {.create = false}));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<registry::StoreReader> reader, store_->BeginRead());
    ASSERT_OK_AND_ASSIGN(Person before, reader->GetPerson(id));
    EXPECT_EQ(before.occupation, "teacher");
    ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts_before, reader->Counts());
    {
      ASSERT_OK_AND_ASSIGN(auto txn, other->Begin());
      ASSERT_OK_AND_ASSIGN(Person stored, txn->GetPerson(id));
      stored.occupation = "farmer";
      ASSERT_OK(txn->UpdatePerson(stored));
      ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("later")).status());
      ASSERT_OK(txn->Commit());
    }
    ASSERT_OK_AND_ASSIGN(Person again, reader->GetPerson(id));
    EXPECT_EQ(again, before);
    ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts_again, reader->Counts());
    EXPECT_EQ(counts_again.persons, counts_before.persons);
    EXPECT_THAT(reader->FindPersonByExternalId("later"), StatusIs(StatusCode::kNotFound));
  }
  ASSERT_OK_AND_ASSIGN(Person after, store_->GetPerson(id));
  EXPECT_EQ(after.occupation, "farmer");
  EXPECT_OK(store_->FindPersonByExternalId("later").status());
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("after")).status());
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(int64_t persons, store_->CountPersons());
  EXPECT_EQ(persons, 3);
}

// A reader begun on a thread inside its own write transaction: SQLite reads in that
// transaction (its uncommitted person included) and ends nothing, so the transaction commits
// afterwards; PostgreSQL reads on a connection of its own, what is committed.
TEST_P(StoreTest, ReadTransactionInsideAWriteTransaction) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  ASSERT_OK_AND_ASSIGN(int64_t id, txn->InsertPerson(::izde::testing::SamplePerson("inside")));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<registry::StoreReader> reader, store_->BeginRead());
    if (GetParam() == Backend::kSqlite) {
      ASSERT_OK_AND_ASSIGN(Person seen, reader->GetPerson(id));
      EXPECT_EQ(seen.external_id, "inside");
    } else {
      EXPECT_THAT(reader->GetPerson(id), StatusIs(StatusCode::kNotFound));
    }
  }
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(Person stored, store_->GetPerson(id));
  EXPECT_EQ(stored.external_id, "inside");
}

TEST_P(StoreTest, UpdateChecksVersion) {
  Person person = ::izde::testing::SamplePerson();
  person.version = 1;
  int64_t id = InsertPerson(person);
  ASSERT_OK_AND_ASSIGN(Person stored, store_->GetPerson(id));
  stored.occupation = "farmer";
  stored.names.pop_back();
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->UpdatePerson(stored));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(Person updated, store_->GetPerson(id));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.occupation, "farmer");
  EXPECT_EQ(updated.names.size(), 2u);
  // A second writer still holding version 1 loses, and is told so.
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  EXPECT_THAT(txn->UpdatePerson(stored), StatusIs(StatusCode::kAborted));
  stored.id = id + 50;
  EXPECT_THAT(txn->UpdatePerson(stored), StatusIs(StatusCode::kNotFound));
}

TEST_P(StoreTest, ExternalIdsAndExplicitIdsAreUnique) {
  InsertPerson(::izde::testing::SamplePerson("dup"));
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  EXPECT_THAT(txn->InsertPerson(::izde::testing::SamplePerson("dup")),
              StatusIs(StatusCode::kAlreadyExists));
  // Persons without an external id do not collide with each other.
  EXPECT_OK(txn->InsertPerson(::izde::testing::SamplePerson()));
  EXPECT_OK(txn->InsertPerson(::izde::testing::SamplePerson()));
  Person explicit_id = ::izde::testing::SamplePerson();
  explicit_id.id = 500;
  ASSERT_OK_AND_ASSIGN(int64_t id, txn->InsertPerson(explicit_id));
  EXPECT_EQ(id, 500);
  EXPECT_THAT(txn->InsertPerson(explicit_id), StatusIs(StatusCode::kAlreadyExists));
  // Ids are never reused: the next one is above the highest ever given.
  ASSERT_OK_AND_ASSIGN(int64_t next, txn->InsertPerson(::izde::testing::SamplePerson()));
  EXPECT_GT(next, 500);
}

TEST_P(StoreTest, EventsTestimoniesAndRelationsOfAPerson) {
  int64_t first = InsertPerson(::izde::testing::SamplePerson());
  int64_t second = InsertPerson(::izde::testing::SamplePerson());
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  Testimony testimony;
  testimony.testifier_name = "A relative";
  testimony.testifier_contact = "+7 700 000 0000";
  testimony.consent = registry::Consent::kAnonymise;
  testimony.mentions = {{first, "son"}, {second, "brother"}};
  ASSERT_OK_AND_ASSIGN(int64_t testimony_id, txn->InsertTestimony(testimony));
  Event event;
  event.person_id = first;
  event.type = EventType::kDetained;
  event.date = PartialDate::Of(2017, 4);
  event.source_testimony_id = testimony_id;
  ASSERT_OK_AND_ASSIGN(int64_t event_id, txn->InsertEvent(event));
  ASSERT_OK(txn->InsertRelation({0, first, second, registry::RelationKind::kSibling, ""}).status());
  // A person with events cannot be deleted; a testimony that sources events cannot either.
  EXPECT_THAT(txn->DeletePerson(first), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(txn->DeleteTestimony(testimony_id), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto events, store_->EventsOfPerson(first));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, event_id);
  EXPECT_EQ(events[0].date.ToString(), "2017-04");
  ASSERT_OK_AND_ASSIGN(auto testimonies, store_->TestimoniesOfPerson(second));
  ASSERT_EQ(testimonies.size(), 1u);
  EXPECT_EQ(testimonies[0].mentions, testimony.mentions);
  EXPECT_EQ(testimonies[0].testifier_contact, "+7 700 000 0000");
  ASSERT_OK_AND_ASSIGN(auto relations, store_->RelationsOfPerson(second));
  EXPECT_EQ(relations.size(), 1u);
}

TEST_P(StoreTest, ScanPersonsVisitsEachPersonWithItsNamesAndEvents) {
  std::vector<int64_t> ids;
  for (int person_idx = 0; person_idx < 5; ++person_idx) {
    ids.push_back(InsertPerson(::izde::testing::SamplePerson()));
  }
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    for (int event_idx = 0; event_idx < 3; ++event_idx) {
      Event event;
      event.person_id = ids[3];
      event.type = EventType::kCamp;
      ASSERT_OK(txn->InsertEvent(event).status());
    }
    ASSERT_OK(txn->Commit());
  }
  std::vector<int64_t> seen;
  ASSERT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>& events) {
    seen.push_back(person.id);
    EXPECT_EQ(person.names.size(), 3u);
    EXPECT_EQ(events.size(), person.id == ids[3] ? 3u : 0u);
    return OkStatus();
  }));
  EXPECT_EQ(seen, ids);
  // A visitor's error stops the scan and comes back.
  int visited = 0;
  EXPECT_THAT(store_->ScanPersons([&](const Person&, const std::vector<Event>&) {
    ++visited;
    return AbortedError("stop");
  }),
              StatusIs(StatusCode::kAborted));
  EXPECT_EQ(visited, 1);
}

TEST_P(StoreTest, AuditHistoryIncludesThePersonsEvents) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  ASSERT_OK(txn->AppendAudit({.actor = "t",
                              .action = "person.create",
                              .entity = "P-000001",
                              .person = "P-000001",
                              .after = "{}"})
                .status());
  ASSERT_OK(txn->AppendAudit({.actor = "t",
                              .action = "event.create",
                              .entity = "E-000001",
                              .person = "P-000001",
                              .after = "{}"})
                .status());
  ASSERT_OK(txn->AppendAudit({.actor = "t",
                              .action = "person.create",
                              .entity = "P-000002",
                              .person = "P-000002",
                              .after = "{}"})
                .status());
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(auto history, store_->History("P-000001"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action, "event.create");
  EXPECT_FALSE(history[0].at.empty());
  // Every entry reads back with the person it is about, its own creation included.
  EXPECT_EQ(history[0].person, "P-000001");
  EXPECT_EQ(history[1].person, "P-000001");
  ASSERT_OK_AND_ASSIGN(registry::AuditEntry first, store_->GetAuditEntry(history[0].id));
  EXPECT_EQ(first.person, "P-000001");
  EXPECT_EQ(first.entity, "P-000001");
}

TEST_P(StoreTest, AFailedWriteIsUndoneAndTheTransactionGoesOn) {
  InsertPerson(::izde::testing::SamplePerson("taken"));
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("first")).status());
    EXPECT_THAT(txn->InsertPerson(::izde::testing::SamplePerson("taken")),
                StatusIs(StatusCode::kAlreadyExists));
    Event orphan;
    orphan.person_id = 9999;
    orphan.type = EventType::kDetained;
    EXPECT_THAT(txn->InsertEvent(orphan), StatusIs(StatusCode::kFailedPrecondition));
    EXPECT_THAT(txn->DeleteEvent(12345), StatusIs(StatusCode::kNotFound));
    ASSERT_OK(txn->InsertPerson(::izde::testing::SamplePerson("second")).status());
    ASSERT_OK(txn->Commit());
    EXPECT_THAT(txn->Commit(), StatusIs(StatusCode::kFailedPrecondition));
  }
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store_->Counts());
  EXPECT_EQ(counts.persons, 3);
  EXPECT_EQ(counts.names, 9);
  EXPECT_EQ(counts.events, 0);
  EXPECT_OK(store_->FindPersonByExternalId("second"));
}

TEST_P(StoreTest, ATransactionReadsItsOwnWritesAndOthersSeeThemAfterCommit) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
  ASSERT_OK_AND_ASSIGN(int64_t id, txn->InsertPerson(::izde::testing::SamplePerson("mine")));
  ASSERT_OK_AND_ASSIGN(Person inside, txn->GetPerson(id));
  EXPECT_EQ(inside.external_id, "mine");
  ASSERT_OK(
      txn->AppendAudit({.actor = "t", .action = "person.create", .entity = "P-000001"}).status());
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, txn->Counts());
  EXPECT_EQ(counts.persons, 1);
  EXPECT_EQ(counts.audit_entries, 1);
  ASSERT_OK(txn->Commit());
  txn.reset();
  ASSERT_OK_AND_ASSIGN(Person outside, store_->GetPerson(id));
  EXPECT_EQ(outside, inside);
}

TEST_P(StoreTest, TestimoniesAndEventsUpdateWithVersionsAndScan) {
  int64_t person = InsertPerson(::izde::testing::SamplePerson());
  Testimony testimony;
  testimony.external_id = "t-1";
  testimony.testifier_name = "A neighbour";
  testimony.date = PartialDate::Of(2019);
  testimony.mentions = {{person, "neighbour"}};
  testimony.version = 1;
  Event event;
  event.person_id = person;
  event.type = EventType::kReleased;
  event.date = PartialDate::Of(2019, 3, 2);
  event.version = 1;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK_AND_ASSIGN(testimony.id, txn->InsertTestimony(testimony));
    ASSERT_OK_AND_ASSIGN(event.id, txn->InsertEvent(event));
    ASSERT_OK(txn->Commit());
  }
  testimony.summary = "changed";
  testimony.mentions.push_back({person, "again"});
  event.note = "confirmed";
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->UpdateTestimony(testimony));
    ASSERT_OK(txn->UpdateEvent(event));
    EXPECT_THAT(txn->UpdateEvent(event), StatusIs(StatusCode::kAborted));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(Testimony stored, store_->GetTestimony(testimony.id));
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.summary, "changed");
  EXPECT_EQ(stored.mentions, testimony.mentions);
  ASSERT_OK_AND_ASSIGN(int64_t found, store_->FindTestimonyByExternalId("t-1"));
  EXPECT_EQ(found, testimony.id);
  ASSERT_OK_AND_ASSIGN(Event stored_event, store_->GetEvent(event.id));
  EXPECT_EQ(stored_event.note, "confirmed");
  EXPECT_EQ(stored_event.date.ToString(), "2019-03-02");
  std::vector<int64_t> testimonies;
  ASSERT_OK(store_->ScanTestimonies([&](const Testimony& visited) {
    testimonies.push_back(visited.id);
    EXPECT_EQ(visited.mentions.size(), 2u);
    return OkStatus();
  }));
  EXPECT_EQ(testimonies, std::vector<int64_t>{testimony.id});
  std::vector<int64_t> events;
  ASSERT_OK(store_->ScanEvents([&](const Event& visited) {
    events.push_back(visited.id);
    return OkStatus();
  }));
  EXPECT_EQ(events, std::vector<int64_t>{event.id});
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->DeleteEvent(event.id));
    ASSERT_OK(txn->DeleteTestimony(testimony.id));
    ASSERT_OK(txn->DeletePerson(person));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store_->Counts());
  EXPECT_EQ(counts.persons + counts.names + counts.testimonies + counts.events, 0);
}

TEST_P(StoreTest, ReopensWithoutCreatingAndKeepsTheRecords) {
  int64_t id = InsertPerson(::izde::testing::SamplePerson("kept"));
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, OpenStore(location_, {.create = false}));
  ASSERT_OK_AND_ASSIGN(Person person, store_->GetPerson(id));
  EXPECT_EQ(person.external_id, "kept");
  // The id sequence carries on above what was given before the reopen.
  EXPECT_GT(InsertPerson(::izde::testing::SamplePerson()), id);
}

TEST_P(StoreTest, ScanPersonsCrossesBatchBoundaries) {
  // More persons than one batch of the PostgreSQL scan (2000), with gaps in the ids.
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    for (int person_idx = 0; person_idx < 2100; ++person_idx) {
      Person person = ::izde::testing::SamplePerson();
      person.id = 1 + 2 * person_idx;
      ASSERT_OK(txn->InsertPerson(person).status());
    }
    Event event;
    event.person_id = 4001;  // the first person of the second batch
    event.type = EventType::kCamp;
    ASSERT_OK(txn->InsertEvent(event).status());
    ASSERT_OK(txn->Commit());
  }
  int64_t visited = 0;
  int64_t previous = 0;
  int64_t events = 0;
  ASSERT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>& person_events) {
    ++visited;
    EXPECT_GT(person.id, previous);
    previous = person.id;
    EXPECT_EQ(person.names.size(), 3u);
    events += static_cast<int64_t>(person_events.size());
    if (!person_events.empty()) {
      EXPECT_EQ(person.id, 4001);
    }
    return OkStatus();
  }));
  EXPECT_EQ(visited, 2100);
  EXPECT_EQ(events, 1);
}

TEST_P(StoreTest, EvidenceRecordsBelongToAPersonOrItsTestimonies) {
  int64_t person = InsertPerson(::izde::testing::SamplePerson());
  int64_t other = InsertPerson(::izde::testing::SamplePerson());
  registry::Evidence photo{.person_id = person,
                           .kind = registry::EvidenceKind::kPhoto,
                           .media_type = "image/jpeg",
                           .original_name = "p.jpg",
                           .size = 1234,
                           .sha256 = std::string(64, 'a'),
                           .blob = "ab/cdef",
                           .added_by = "t",
                           .note = "n"};
  int64_t testimony_id = 0;
  int64_t photo_id = 0;
  int64_t letter_id = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    Testimony testimony;
    testimony.mentions = {{person, "son"}};
    ASSERT_OK_AND_ASSIGN(testimony_id, txn->InsertTestimony(testimony));
    ASSERT_OK_AND_ASSIGN(photo_id, txn->InsertEvidence(photo));
    registry::Evidence letter = photo;
    letter.person_id = 0;
    letter.testimony_id = testimony_id;
    letter.kind = registry::EvidenceKind::kDocument;
    letter.blob = "cd/ef01";
    ASSERT_OK_AND_ASSIGN(letter_id, txn->InsertEvidence(letter));
    registry::Evidence nobody = photo;
    nobody.person_id = 0;
    nobody.blob = "ee/ff";
    EXPECT_THAT(txn->InsertEvidence(nobody), StatusIs(StatusCode::kInvalidArgument));
    nobody.person_id = 9999;
    EXPECT_THAT(txn->InsertEvidence(nobody), StatusIs(StatusCode::kNotFound));
    // One vault file, one record.
    EXPECT_THAT(txn->InsertEvidence(photo), StatusIs(StatusCode::kAlreadyExists));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(registry::Evidence stored, store_->GetEvidence(photo_id));
  photo.id = photo_id;
  photo.created_at = stored.created_at;
  EXPECT_EQ(stored, photo);
  EXPECT_FALSE(stored.created_at.empty());
  ASSERT_OK_AND_ASSIGN(auto of_person, store_->EvidenceOfPerson(person));
  ASSERT_EQ(of_person.size(), 2u);
  EXPECT_EQ(of_person[0].id, photo_id);
  EXPECT_EQ(of_person[1].id, letter_id);
  EXPECT_TRUE(store_->EvidenceOfPerson(other).value().empty());
  EXPECT_EQ(store_->CountEvidence().value(), 2);
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->DeleteEvidence(photo_id));
    EXPECT_THAT(txn->DeleteEvidence(photo_id), StatusIs(StatusCode::kNotFound));
    ASSERT_OK(txn->Commit());
  }
  EXPECT_THAT(store_->GetEvidence(photo_id), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(store_->CountEvidence().value(), 1);
}

INSTANTIATE_STORE_BACKENDS(StoreTest);

TEST(SqliteStoreTest, MissingFileIsNotCreatedWithoutAsking) {
  ::izde::testing::TempDir dir;
  EXPECT_THAT(OpenStore(dir.File("typo.db"), {.create = false}), StatusIs(StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(dir.File("typo.db")));
}

TEST(SqliteStoreTest, MigratesAnEmptyFileAndReopens) {
  ::izde::testing::TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(dir.File("a.db"), true));
    ASSERT_OK_AND_ASSIGN(int version, store->SchemaVersion());
    EXPECT_EQ(version, SqliteStore::CurrentSchemaVersion());
    EXPECT_OK(store->CheckIntegrity());
  }
  ASSERT_OK_AND_ASSIGN(auto reopened, SqliteStore::Open(dir.File("a.db"), false));
  ASSERT_OK_AND_ASSIGN(int version, reopened->SchemaVersion());
  EXPECT_EQ(version, SqliteStore::CurrentSchemaVersion());
}

TEST(SqliteStoreTest, RefusesADatabaseFromANewerProgramOrNotIzde) {
  ::izde::testing::TempDir dir;
  { ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(dir.File("a.db"), true)); }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir.File("a.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    ASSERT_EQ(sqlite3_open(dir.File("other.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_THAT(SqliteStore::Open(dir.File("a.db"), false),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("newer")));
  EXPECT_THAT(SqliteStore::Open(dir.File("other.db"), false),
              StatusIs(StatusCode::kFailedPrecondition, ::testing::HasSubstr("not an izde")));
}

}  // namespace
}  // namespace izde::store
