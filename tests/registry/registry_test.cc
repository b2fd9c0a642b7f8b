#include "registry/registry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "registry/json.h"
#include "store/open.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::registry {
namespace {

using ::izde::testing::SamplePerson;
using ::izde::testing::StatusIs;
using ::testing::HasSubstr;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore(dir_.File("registry.db"), {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
    registry_ = std::make_unique<Registry>(*store_, Gazetteer::Xinjiang());
  }

  StoreCounts Counts() { return store_->Counts().value(); }

  Event MakeEvent(int64_t person_id, EventType type, const char* date) {
    Event event;
    event.person_id = person_id;
    event.type = type;
    event.date = PartialDate::Parse(date).value();
    return event;
  }

  ::izde::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Registry> registry_;
  Actor alice_{"cli:alice"};
};

TEST_F(RegistryTest, AddPersonDetectsScriptsAndAuditsTheCreation) {
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson("e1"), alice_));
  EXPECT_EQ(person.public_id(), "P-000001");
  EXPECT_EQ(person.version, 1);
  EXPECT_EQ(person.names[0].script, names::Script::kLatin);
  EXPECT_EQ(person.names[1].script, names::Script::kCyrillic);
  EXPECT_EQ(person.names[2].script, names::Script::kHan);
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History("P-000001"));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].actor, "cli:alice");
  EXPECT_EQ(history[0].action, "person.create");
  EXPECT_TRUE(history[0].before.empty());
  ASSERT_OK_AND_ASSIGN(Person from_audit, PersonFromJson(nlohmann::json::parse(history[0].after)));
  EXPECT_EQ(from_audit, person);
}

TEST_F(RegistryTest, InvalidInputIsRejectedWithTheFieldAndNothingWritten) {
  Person nameless = SamplePerson();
  nameless.names.clear();
  EXPECT_EQ(registry_->AddPerson(nameless, alice_).status().field(), "name");
  Person bad_utf8 = SamplePerson();
  bad_utf8.names[0].text = "Ali\xff";
  EXPECT_THAT(registry_->AddPerson(bad_utf8, alice_),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
  Person bad_ethnicity = SamplePerson();
  bad_ethnicity.ethnicity = "martian";
  EXPECT_EQ(registry_->AddPerson(bad_ethnicity, alice_).status().field(), "ethnicity");
  EXPECT_EQ(Counts().persons, 0);
  EXPECT_EQ(Counts().audit_entries, 0);
}

TEST_F(RegistryTest, EthnicityIsCanonicalisedFromWhatPeopleType) {
  for (const char* typed : {"Kazakh", "қазақ", "Қазақ", "казах", "哈萨克族"}) {
    Person person = SamplePerson();
    person.ethnicity = typed;
    ASSERT_OK(registry_->NormalizePerson(person));
    EXPECT_EQ(person.ethnicity, "kazakh") << typed;
  }
}

TEST_F(RegistryTest, UpdateKeepsBeforeAndAfterAndDetectsConcurrentEdits) {
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson(), alice_));
  Person stale = person;
  person.occupation = "doctor";
  ASSERT_OK_AND_ASSIGN(Person updated, registry_->UpdatePerson(person, alice_));
  EXPECT_EQ(updated.version, 2);
  stale.occupation = "farmer";
  EXPECT_THAT(registry_->UpdatePerson(stale, alice_), StatusIs(StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(person.public_id()));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_THAT(history[1].before, HasSubstr("teacher"));
  EXPECT_THAT(history[1].after, HasSubstr("doctor"));
}

TEST_F(RegistryTest, RevertUndoesAnUpdateAndRefusesToLoseLaterChanges) {
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson(), alice_));
  person.occupation = "doctor";
  ASSERT_OK_AND_ASSIGN(person, registry_->UpdatePerson(person, alice_));
  person.notes = "second edit";
  ASSERT_OK_AND_ASSIGN(person, registry_->UpdatePerson(person, alice_));
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(person.public_id()));
  ASSERT_EQ(history.size(), 3u);
  // The first update is buried under the second: reverting it would lose "second edit".
  EXPECT_THAT(registry_->Revert(history[1].id, alice_), StatusIs(StatusCode::kAborted));
  ASSERT_OK(registry_->Revert(history[2].id, alice_).status());
  ASSERT_OK_AND_ASSIGN(Person reverted, store_->GetPerson(person.id));
  EXPECT_EQ(reverted.notes, "private note");
  EXPECT_EQ(reverted.occupation, "doctor");
  ASSERT_OK_AND_ASSIGN(history, registry_->History(person.public_id()));
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[3].action, "person.update");
  EXPECT_THAT(history[3].note, HasSubstr("revert"));
  // Now the first update can be reverted too.
  ASSERT_OK(registry_->Revert(history[1].id, alice_).status());
  ASSERT_OK_AND_ASSIGN(reverted, store_->GetPerson(person.id));
  EXPECT_EQ(reverted.occupation, "teacher");
}

TEST_F(RegistryTest, RevertOfCreateDeletesAndRevertOfThatRestoresTheSameId) {
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson("keep"), alice_));
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(person.public_id()));
  ASSERT_OK_AND_ASSIGN(int64_t delete_entry, registry_->Revert(history[0].id, alice_));
  EXPECT_THAT(store_->GetPerson(person.id), StatusIs(StatusCode::kNotFound));
  ASSERT_OK(registry_->Revert(delete_entry, alice_).status());
  ASSERT_OK_AND_ASSIGN(Person restored, store_->GetPerson(person.id));
  EXPECT_EQ(restored.names, person.names);
  EXPECT_EQ(restored.external_id, "keep");
}

TEST_F(RegistryTest, EventsNeedAnExistingPersonAndShowInItsHistory) {
  EXPECT_THAT(registry_->AddEvent(MakeEvent(99, EventType::kDetained, "2017"), alice_),
              StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson(), alice_));
  ASSERT_OK(
      registry_->AddEvent(MakeEvent(person.id, EventType::kDetained, "2017-04"), alice_).status());
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(person.public_id()));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action, "event.create");
  EXPECT_EQ(history[1].entity, "E-000001");
}

TEST_F(RegistryTest, CurrentStatusIsDerivedFromEventDates) {
  ASSERT_OK_AND_ASSIGN(Person person, registry_->AddPerson(SamplePerson(), alice_));
  ASSERT_OK_AND_ASSIGN(PersonRecord empty, registry_->GetPersonRecord(person.id));
  EXPECT_EQ(empty.status, "unknown");
  // Recorded out of order: the release in 2019 is later than the camp in 2018.
  ASSERT_OK(
      registry_->AddEvent(MakeEvent(person.id, EventType::kReleased, "2019-06"), alice_).status());
  ASSERT_OK(registry_->AddEvent(MakeEvent(person.id, EventType::kCamp, "2018"), alice_).status());
  ASSERT_OK_AND_ASSIGN(PersonRecord record, registry_->GetPersonRecord(person.id));
  EXPECT_EQ(record.status, "released");
  EXPECT_EQ(record.events.size(), 2u);
  // "other" carries no status.
  ASSERT_OK(registry_->AddEvent(MakeEvent(person.id, EventType::kOther, "2020"), alice_).status());
  ASSERT_OK_AND_ASSIGN(record, registry_->GetPersonRecord(person.id));
  EXPECT_EQ(record.status, "released");
  // An undated event recorded later counts after what was recorded before it.
  ASSERT_OK(
      registry_->AddEvent(MakeEvent(person.id, EventType::kArrivedAbroad, ""), alice_).status());
  ASSERT_OK_AND_ASSIGN(record, registry_->GetPersonRecord(person.id));
  EXPECT_EQ(record.status, "arrived_abroad");
}

TEST_F(RegistryTest, TestimonyAboutTwoPersons) {
  ASSERT_OK_AND_ASSIGN(Person first, registry_->AddPerson(SamplePerson(), alice_));
  ASSERT_OK_AND_ASSIGN(Person second, registry_->AddPerson(SamplePerson(), alice_));
  Testimony testimony;
  testimony.testifier_name = "Relative";
  testimony.language = "kk";
  testimony.mentions = {{first.id, "father"}, {second.id, "uncle"}};
  ASSERT_OK_AND_ASSIGN(Testimony stored, registry_->RecordTestimony(testimony, alice_));
  EXPECT_EQ(stored.public_id(), "T-000001");
  ASSERT_OK_AND_ASSIGN(PersonRecord record, registry_->GetPersonRecord(second.id));
  ASSERT_EQ(record.testimonies.size(), 1u);
  testimony.mentions.push_back({first.id, "again"});
  EXPECT_EQ(registry_->RecordTestimony(testimony, alice_).status().field(), "persons");
  testimony.mentions = {{12345, "ghost"}};
  EXPECT_THAT(registry_->RecordTestimony(testimony, alice_), StatusIs(StatusCode::kNotFound));
  testimony.mentions = {};
  testimony.language = "kk; DROP";
  EXPECT_EQ(registry_->RecordTestimony(testimony, alice_).status().field(), "language");
}

TEST_F(RegistryTest, ImportIsAllOrNothing) {
  std::vector<PersonImport> rows;
  for (int row_idx = 0; row_idx < 10; ++row_idx) {
    PersonImport row{SamplePerson("imp-" + std::to_string(row_idx)), {}};
    row.events.push_back(MakeEvent(0, EventType::kDetained, "2018"));
    rows.push_back(row);
  }
  rows[7].person.external_id = "imp-2";  // collides with row 2: the whole import fails
  EXPECT_THAT(registry_->ImportPersons(rows, alice_), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(Counts().persons, 0);
  EXPECT_EQ(Counts().events, 0);
  EXPECT_EQ(Counts().audit_entries, 0);

  rows[7].person.external_id = "imp-7";
  int64_t last_done = 0;
  ASSERT_OK_AND_ASSIGN(ImportSummary summary,
                       registry_->ImportPersons(rows, alice_, [&](int64_t done, int64_t total) {
                         EXPECT_EQ(total, 10);
                         last_done = done;
                       }));
  EXPECT_EQ(last_done, 10);
  EXPECT_EQ(summary.person_ids.size(), 10u);
  EXPECT_EQ(summary.events_created, 10);
  EXPECT_EQ(Counts().persons, 10);
  EXPECT_EQ(Counts().audit_entries, 20);  // one per person, one per event
}

TEST_F(RegistryTest, BulkWriterSeesItsOwnRowsAndRollsBackUnlessCommitted) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<BulkWriter> writer, registry_->BeginBulk(alice_));
    PersonImport row{SamplePerson("bulk-1"), {}};
    row.events.push_back(MakeEvent(0, EventType::kDetained, "2018"));
    ASSERT_OK_AND_ASSIGN(int64_t id, writer->AddPerson(row));
    EXPECT_EQ(row.person.id, id);
    EXPECT_EQ(row.events[0].person_id, id);
    ASSERT_OK_AND_ASSIGN(int64_t found, writer->reader().FindPersonByExternalId("bulk-1"));
    EXPECT_EQ(found, id);
    EXPECT_EQ(writer->persons(), 1);
    EXPECT_EQ(writer->events(), 1);
  }  // destroyed without Commit
  EXPECT_EQ(Counts().persons, 0);
  EXPECT_EQ(Counts().events, 0);
  EXPECT_EQ(Counts().audit_entries, 0);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<BulkWriter> writer, registry_->BeginBulk(alice_));
  PersonImport row{SamplePerson("bulk-2"), {}};
  ASSERT_OK_AND_ASSIGN(int64_t id, writer->AddPerson(row));
  Event event = MakeEvent(id, EventType::kReleased, "2020-03");
  ASSERT_OK(writer->AddEvent(event).status());
  ASSERT_OK(writer->Commit());
  EXPECT_EQ(Counts().persons, 1);
  EXPECT_EQ(Counts().events, 1);
  ASSERT_OK_AND_ASSIGN(auto history, registry_->History(FormatId(IdKind::kPerson, id)));
  ASSERT_EQ(history.size(), 2u);  // the person's create and its event's
  EXPECT_EQ(history[0].actor, "cli:alice");
  EXPECT_EQ(history[1].action, "event.create");
}

TEST_F(RegistryTest, ImportedRecordsAreAuditedAndRevertableWithoutACopy) {
  std::vector<PersonImport> rows = {{SamplePerson("a"), {}}, {SamplePerson("b"), {}}};
  ASSERT_OK_AND_ASSIGN(ImportSummary summary, registry_->ImportPersons(rows, alice_));
  ASSERT_OK_AND_ASSIGN(auto first_history,
                       registry_->History(FormatId(IdKind::kPerson, summary.person_ids[0])));
  ASSERT_EQ(first_history.size(), 1u);
  EXPECT_EQ(first_history[0].action, "person.create");
  EXPECT_EQ(first_history[0].note, "import");
  // Untouched since the import: the create can be undone.
  ASSERT_OK(registry_->Revert(first_history[0].id, alice_).status());
  EXPECT_THAT(store_->GetPerson(summary.person_ids[0]), StatusIs(StatusCode::kNotFound));
  // Edited since the import: undoing the create would lose the edit.
  ASSERT_OK_AND_ASSIGN(Person second, store_->GetPerson(summary.person_ids[1]));
  second.occupation = "edited";
  ASSERT_OK(registry_->UpdatePerson(second, alice_).status());
  ASSERT_OK_AND_ASSIGN(auto second_history, registry_->History(second.public_id()));
  EXPECT_THAT(registry_->Revert(second_history[0].id, alice_), StatusIs(StatusCode::kAborted));
}

TEST_F(RegistryTest, StatsCountCurrentStatusAndDetentionYear) {
  ASSERT_OK_AND_ASSIGN(Person first, registry_->AddPerson(SamplePerson(), alice_));
  Person uyghur = SamplePerson();
  uyghur.ethnicity = "uyghur";
  ASSERT_OK_AND_ASSIGN(Person second, registry_->AddPerson(uyghur, alice_));
  ASSERT_OK(
      registry_->AddEvent(MakeEvent(first.id, EventType::kDetained, "2017-05"), alice_).status());
  ASSERT_OK(registry_->AddEvent(MakeEvent(first.id, EventType::kCamp, "2018"), alice_).status());
  ASSERT_OK(registry_->AddEvent(MakeEvent(second.id, EventType::kPrison, "2019"), alice_).status());
  ASSERT_OK_AND_ASSIGN(Stats stats, registry_->ComputeStats());
  EXPECT_EQ(stats.persons, 2);
  EXPECT_EQ(stats.by_status["camp"], 1);
  EXPECT_EQ(stats.by_status["prison"], 1);
  EXPECT_EQ(stats.by_ethnicity["kazakh"], 1);
  EXPECT_EQ(stats.by_ethnicity["uyghur"], 1);
  EXPECT_EQ(stats.by_detention_year[2017], 1);  // first detention, not the camp year
  EXPECT_EQ(stats.by_detention_year[2019], 1);
  EXPECT_EQ(stats.by_detention_year.count(2018), 0u);
}

TEST(RegistryJsonTest, EveryRecordRoundTripsThroughJson) {
  Person person = SamplePerson("x");
  person.id = 7;
  person.birth_date = PartialDate::Parse("~1974").value();
  ASSERT_OK_AND_ASSIGN(Person back, PersonFromJson(ToJson(person)));
  EXPECT_EQ(back, person);
  Event event;
  event.id = 3;
  event.person_id = 7;
  event.type = EventType::kSentenced;
  event.date = PartialDate::Parse("2017-04..2017-06").value();
  event.source_testimony_id = 2;
  ASSERT_OK_AND_ASSIGN(Event event_back, EventFromJson(ToJson(event)));
  EXPECT_EQ(event_back, event);
  Testimony testimony;
  testimony.id = 2;
  testimony.mentions = {{7, "son"}};
  testimony.consent = Consent::kAnonymise;
  ASSERT_OK_AND_ASSIGN(Testimony testimony_back, TestimonyFromJson(ToJson(testimony)));
  EXPECT_EQ(testimony_back, testimony);
  EXPECT_EQ(PersonFromJson(nlohmann::json{{"gender", 3}}).status().field(), "gender");
  EXPECT_EQ(PersonFromJson(nlohmann::json{{"birth_date", "1974-13"}}).status().field(),
            "birth_date");
}

}  // namespace
}  // namespace izde::registry
