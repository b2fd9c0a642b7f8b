#include "auth/redaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/demo.h"
#include "io/export.h"
#include "io/import.h"
#include "registry/json.h"
#include "store/open.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/substring_finder.h"
#include "testing/temp_dir.h"

namespace izde::auth {
namespace {

using registry::Consent;
using registry::Event;
using registry::EventType;
using registry::Person;
using registry::PersonRecord;
using registry::Privacy;
using registry::Relation;
using registry::Testimony;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::array<Role, 5> kAllRoles = {Role::kAnonymous, Role::kViewer, Role::kEditor,
                                           Role::kReviewer, Role::kAdmin};

class RedactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore(dir_.File("registry.db"), {.create = true});
    ASSERT_OK(opened);
    store_ = std::move(opened).value();
    registry_ = std::make_unique<registry::Registry>(*store_, registry::Gazetteer::Xinjiang());
  }

  Person AddPerson(Privacy privacy, const std::string& external_id) {
    Person person = ::izde::testing::SamplePerson(external_id);
    person.privacy = privacy;
    person.prc_id = "654002197404120017";
    person.notes = "note on " + external_id;
    person.hometown_text = "12 Example Street, Ghulja";
    return registry_->AddPerson(person, actor_).value();
  }

  Testimony AddTestimony(Consent consent, std::vector<registry::Mention> mentions) {
    Testimony testimony;
    testimony.external_id = "t-" + std::to_string(++testimonies_);
    testimony.testifier_name = "Testifier " + testimony.external_id;
    testimony.testifier_contact = "+7 700 000 00" + std::to_string(testimonies_);
    testimony.summary = "summary " + testimony.external_id;
    testimony.transcript = "transcript " + testimony.external_id;
    testimony.link = "https://example.org/v/" + testimony.external_id;
    testimony.language = "kk";
    testimony.consent = consent;
    testimony.mentions = std::move(mentions);
    return registry_->RecordTestimony(testimony, actor_).value();
  }

  Event AddEvent(int64_t person_id, int64_t testimony_id) {
    Event event;
    event.person_id = person_id;
    event.type = EventType::kDetained;
    event.date = PartialDate::Of(2018, 3);
    event.place_text = "Ghulja";
    event.source = "letter of the family";
    event.note = "taken from home at night";
    event.source_testimony_id = testimony_id;
    return registry_->AddEvent(event, actor_).value();
  }

  ::izde::testing::TempDir dir_;
  std::unique_ptr<registry::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
  registry::Actor actor_{"test"};
  int testimonies_ = 0;
};

bool Has(const nlohmann::json& json, const char* key) { return json.contains(key); }

TEST_F(RedactionTest, PersonsAreSeenByPrivacyAndRole) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Person restricted = AddPerson(Privacy::kRestricted, "r");
  Person hidden = AddPerson(Privacy::kPrivate, "x");
  // role -> {public, restricted, private} visible
  const std::map<Role, std::array<bool, 3>> expected = {{Role::kAnonymous, {true, false, false}},
                                                        {Role::kViewer, {true, true, false}},
                                                        {Role::kEditor, {true, true, true}},
                                                        {Role::kReviewer, {true, true, true}},
                                                        {Role::kAdmin, {true, true, true}}};
  for (Role role : kAllRoles) {
    SCOPED_TRACE(RoleName(role));
    Redactor redactor(role, *store_);
    const std::array<const Person*, 3> persons = {&open, &restricted, &hidden};
    for (size_t idx = 0; idx < persons.size(); ++idx) {
      const bool visible = expected.at(role)[idx];
      EXPECT_EQ(MaySeePerson(role, *persons[idx]), visible) << idx;
      EXPECT_EQ(redactor.View(*persons[idx]).has_value(), visible) << idx;
      EXPECT_EQ(redactor.MaySeePerson(persons[idx]->id).value(), visible) << idx;
    }
  }
}

TEST_F(RedactionTest, PersonFieldsByRole) {
  Person person = AddPerson(Privacy::kPublic, "p");
  nlohmann::json full = registry::ToJson(person);

  Redactor anonymous(Role::kAnonymous, *store_);
  nlohmann::json shown = anonymous.View(person).value();
  for (const char* key :
       {"prc_id", "notes", "hometown_text", "external_id", "version", "created_at", "updated_at"}) {
    EXPECT_FALSE(Has(shown, key)) << key;
  }
  for (const char* key : {"id", "gender", "birth_date", "ethnicity", "hometown_code", "occupation",
                          "privacy", "grade"}) {
    EXPECT_EQ(shown[key], full[key]) << key;
  }
  for (const auto& name : shown["names"]) {
    EXPECT_FALSE(name.contains("source"));
    EXPECT_TRUE(name.contains("text"));
  }

  Redactor viewer(Role::kViewer, *store_);
  shown = viewer.View(person).value();
  EXPECT_FALSE(Has(shown, "prc_id"));
  EXPECT_FALSE(Has(shown, "notes"));
  EXPECT_EQ(shown["hometown_text"], "12 Example Street, Ghulja");
  EXPECT_EQ(shown["external_id"], "p");
  EXPECT_EQ(shown["names"], full["names"]);

  for (Role role : {Role::kEditor, Role::kReviewer, Role::kAdmin}) {
    Redactor redactor(role, *store_);
    EXPECT_EQ(redactor.View(person).value(), full) << RoleName(role);
    EXPECT_EQ(redactor.Redact(person).value(), person) << RoleName(role);
  }
}

TEST_F(RedactionTest, TestimonyByConsentAndRole) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Testimony publish = AddTestimony(Consent::kPublish, {{open.id, "son"}});
  Testimony anonymise = AddTestimony(Consent::kAnonymise, {{open.id, "daughter"}});
  Testimony kept = AddTestimony(Consent::kPrivate, {{open.id, "wife"}});

  Redactor anonymous(Role::kAnonymous, *store_);
  ASSERT_OK_AND_ASSIGN(auto view, anonymous.View(publish));
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(Has(*view, "testifier_name"));
  EXPECT_FALSE(Has(*view, "testifier_contact"));
  EXPECT_FALSE(Has(*view, "external_id"));
  EXPECT_EQ((*view)["transcript"], "transcript t-1");
  EXPECT_EQ((*view)["link"], "https://example.org/v/t-1");
  EXPECT_EQ((*view)["persons"][0]["relation"], "son");
  EXPECT_EQ((*view)["summary"], "summary t-1");

  ASSERT_OK_AND_ASSIGN(view, anonymous.View(anonymise));
  ASSERT_TRUE(view.has_value());
  for (const char* key : {"testifier_name", "testifier_contact", "transcript", "link"}) {
    EXPECT_FALSE(Has(*view, key)) << key;
  }
  EXPECT_EQ((*view)["persons"][0]["person"], open.public_id());
  EXPECT_FALSE((*view)["persons"][0].contains("relation"));
  EXPECT_EQ((*view)["summary"], "summary t-2");

  ASSERT_OK_AND_ASSIGN(view, anonymous.View(kept));
  EXPECT_FALSE(view.has_value());

  Redactor viewer(Role::kViewer, *store_);
  ASSERT_OK_AND_ASSIGN(view, viewer.View(publish));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ((*view)["testifier_name"], "Testifier t-1");
  EXPECT_FALSE(Has(*view, "testifier_contact"));
  EXPECT_EQ((*view)["external_id"], "t-1");
  ASSERT_OK_AND_ASSIGN(view, viewer.View(anonymise));
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(Has(*view, "testifier_name"));
  EXPECT_FALSE(Has(*view, "testifier_contact"));
  EXPECT_FALSE((*view)["persons"][0].contains("relation"));
  EXPECT_EQ((*view)["transcript"], "transcript t-2");
  ASSERT_OK_AND_ASSIGN(view, viewer.View(kept));
  EXPECT_FALSE(view.has_value());

  for (Role role : {Role::kEditor, Role::kReviewer, Role::kAdmin}) {
    Redactor redactor(role, *store_);
    for (const Testimony* testimony : {&publish, &anonymise, &kept}) {
      ASSERT_OK_AND_ASSIGN(view, redactor.View(*testimony));
      ASSERT_TRUE(view.has_value());
      EXPECT_EQ(*view, registry::ToJson(*testimony));
    }
  }
}

TEST_F(RedactionTest, TestimonyAboutAWithheldPersonIsWithheld) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Person restricted = AddPerson(Privacy::kRestricted, "r");
  Person hidden = AddPerson(Privacy::kPrivate, "x");
  Testimony both = AddTestimony(Consent::kPublish, {{open.id, "son"}, {restricted.id, "wife"}});
  Testimony with_private = AddTestimony(Consent::kPublish, {{open.id, "son"}, {hidden.id, ""}});
  Redactor anonymous(Role::kAnonymous, *store_);
  EXPECT_FALSE(anonymous.MaySeeTestimony(both).value());
  EXPECT_FALSE(anonymous.MaySeeTestimony(both.id).value());
  Redactor viewer(Role::kViewer, *store_);
  EXPECT_TRUE(viewer.MaySeeTestimony(both).value());
  EXPECT_FALSE(viewer.MaySeeTestimony(with_private).value());
  Redactor editor(Role::kEditor, *store_);
  EXPECT_TRUE(editor.MaySeeTestimony(with_private).value());
  // A testimony that does not exist is not visible (and no error).
  EXPECT_FALSE(anonymous.MaySeeTestimony(int64_t{999}).value());
}

TEST_F(RedactionTest, EventsFollowTheirPersonAndHideAWithheldTestimony) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Person restricted = AddPerson(Privacy::kRestricted, "r");
  Testimony kept = AddTestimony(Consent::kPrivate, {{open.id, "son"}});
  Testimony published = AddTestimony(Consent::kPublish, {{open.id, "son"}});
  Event from_kept = AddEvent(open.id, kept.id);
  Event from_published = AddEvent(open.id, published.id);
  Event of_restricted = AddEvent(restricted.id, 0);

  Redactor anonymous(Role::kAnonymous, *store_);
  ASSERT_OK_AND_ASSIGN(auto view, anonymous.View(from_kept));
  ASSERT_TRUE(view.has_value());
  for (const char* key : {"testimony", "place_text", "source", "note"}) {
    EXPECT_FALSE(Has(*view, key)) << key;
  }
  EXPECT_EQ((*view)["type"], "detained");
  EXPECT_EQ((*view)["date"], "2018-03");
  ASSERT_OK_AND_ASSIGN(view, anonymous.View(from_published));
  EXPECT_EQ((*view)["testimony"], published.public_id());
  ASSERT_OK_AND_ASSIGN(view, anonymous.View(of_restricted));
  EXPECT_FALSE(view.has_value());

  Redactor viewer(Role::kViewer, *store_);
  ASSERT_OK_AND_ASSIGN(view, viewer.View(from_kept));
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(Has(*view, "testimony"));  // private consent: not for viewers either
  EXPECT_EQ((*view)["note"], "taken from home at night");
  EXPECT_EQ((*view)["place_text"], "Ghulja");
  ASSERT_OK_AND_ASSIGN(view, viewer.View(of_restricted));
  EXPECT_TRUE(view.has_value());
}

TEST_F(RedactionTest, RelationsNeedBothPersons) {
  Person a = AddPerson(Privacy::kPublic, "a");
  Person b = AddPerson(Privacy::kPublic, "b");
  Person c = AddPerson(Privacy::kRestricted, "c");
  Relation ab =
      registry_->AddRelation({0, a.id, b.id, registry::RelationKind::kSibling, "n1"}, actor_)
          .value();
  Relation ac =
      registry_->AddRelation({0, a.id, c.id, registry::RelationKind::kSpouse, "n2"}, actor_)
          .value();
  Redactor anonymous(Role::kAnonymous, *store_);
  ASSERT_OK_AND_ASSIGN(auto view, anonymous.View(ab));
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(Has(*view, "note"));
  EXPECT_EQ((*view)["kind"], "sibling");
  ASSERT_OK_AND_ASSIGN(view, anonymous.View(ac));
  EXPECT_FALSE(view.has_value());
  Redactor viewer(Role::kViewer, *store_);
  ASSERT_OK_AND_ASSIGN(view, viewer.View(ac));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ((*view)["note"], "n2");
}

// The redacted record and the JSON view are two forms of one decision: reading the view back
// gives the redacted record, for every role and kind.
TEST_F(RedactionTest, RedactedRecordAndViewAgree) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Person restricted = AddPerson(Privacy::kRestricted, "r");
  Testimony anonymise = AddTestimony(Consent::kAnonymise, {{open.id, "son"}});
  Testimony publish = AddTestimony(Consent::kPublish, {{open.id, "son"}, {restricted.id, "x"}});
  Event event = AddEvent(open.id, publish.id);
  for (Role role : kAllRoles) {
    SCOPED_TRACE(RoleName(role));
    Redactor redactor(role, *store_);
    for (const Person* person : {&open, &restricted}) {
      auto view = redactor.View(*person);
      auto redacted = redactor.Redact(*person);
      ASSERT_EQ(view.has_value(), redacted.has_value());
      if (view) {
        EXPECT_EQ(registry::PersonFromJson(*view).value(), *redacted);
      }
    }
    for (const Testimony* testimony : {&anonymise, &publish}) {
      ASSERT_OK_AND_ASSIGN(auto view, redactor.View(*testimony));
      ASSERT_OK_AND_ASSIGN(auto redacted, redactor.Redact(*testimony));
      ASSERT_EQ(view.has_value(), redacted.has_value());
      if (view) {
        EXPECT_EQ(registry::TestimonyFromJson(*view).value(), *redacted);
      }
    }
    ASSERT_OK_AND_ASSIGN(auto view, redactor.View(event));
    ASSERT_OK_AND_ASSIGN(auto redacted, redactor.Redact(event));
    ASSERT_TRUE(view.has_value() && redacted.has_value());
    EXPECT_EQ(registry::EventFromJson(*view).value(), *redacted);
  }
}

TEST_F(RedactionTest, PersonRecordViewLeavesOutWithheldPartsAndWarnings) {
  Person open = AddPerson(Privacy::kPublic, "p");
  Person restricted = AddPerson(Privacy::kRestricted, "r");
  AddTestimony(Consent::kPublish, {{open.id, "son"}});
  AddTestimony(Consent::kPrivate, {{open.id, "son"}});
  AddEvent(open.id, 0);
  ASSERT_OK(registry_->AddRelation(
      {0, open.id, restricted.id, registry::RelationKind::kSibling, ""}, actor_));
  ASSERT_OK_AND_ASSIGN(PersonRecord record, registry_->GetPersonRecord(open.id));
  ASSERT_FALSE(record.warnings.empty());  // the hometown did not resolve
  ASSERT_EQ(record.testimonies.size(), 2u);

  Redactor anonymous(Role::kAnonymous, *store_);
  ASSERT_OK_AND_ASSIGN(auto view, anonymous.View(record));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ((*view)["testimonies"].size(), 1u);
  EXPECT_EQ((*view)["events"].size(), 1u);
  EXPECT_THAT((*view)["relations"], IsEmpty());
  EXPECT_FALSE(Has(*view, "warnings"));
  EXPECT_EQ((*view)["status"], "detained");

  Redactor viewer(Role::kViewer, *store_);
  ASSERT_OK_AND_ASSIGN(view, viewer.View(record));
  EXPECT_EQ((*view)["relations"].size(), 1u);
  EXPECT_FALSE(Has(*view, "warnings"));
  Redactor editor(Role::kEditor, *store_);
  ASSERT_OK_AND_ASSIGN(view, editor.View(record));
  EXPECT_EQ((*view)["testimonies"].size(), 2u);
  EXPECT_EQ((*view)["warnings"], nlohmann::json(record.warnings));

  ASSERT_OK_AND_ASSIGN(PersonRecord restricted_record, registry_->GetPersonRecord(restricted.id));
  ASSERT_OK_AND_ASSIGN(view, anonymous.View(restricted_record));
  EXPECT_FALSE(view.has_value());
}

TEST_F(RedactionTest, StatisticsCountOnlyWhatTheRoleMaySee) {
  AddPerson(Privacy::kPublic, "p1");
  AddPerson(Privacy::kPublic, "p2");
  AddPerson(Privacy::kRestricted, "r");
  AddPerson(Privacy::kPrivate, "x");
  EXPECT_EQ(registry_->ComputeStats(StatsFilter(Role::kAnonymous)).value().persons, 2);
  EXPECT_EQ(registry_->ComputeStats(StatsFilter(Role::kViewer)).value().persons, 3);
  EXPECT_EQ(registry_->ComputeStats(StatsFilter(Role::kEditor)).value().persons, 4);
  EXPECT_EQ(registry_->ComputeStats().value().persons, 4);
}

TEST(EvidencePolicyTest, OnlyEditorsAndAboveDownloadFiles) {
  EXPECT_FALSE(MayDownloadEvidence(Role::kAnonymous));
  EXPECT_FALSE(MayDownloadEvidence(Role::kViewer));
  EXPECT_TRUE(MayDownloadEvidence(Role::kEditor));
  EXPECT_TRUE(MayDownloadEvidence(Role::kReviewer));
  EXPECT_TRUE(MayDownloadEvidence(Role::kAdmin));
}

// ---------------------------------------------------------------------------------------
// The whole demo database: no public view and no public export holds a private value.

class DemoRedactionTest : public RedactionTest {
 protected:
  static constexpr int64_t kPersons = 2000;

  // The demo has no private notes, transcripts or external ids: give every record some,
  // each unique, so that every kind of private field is exercised.
  void Enrich() {
    auto txn = store_->Begin().value();
    std::vector<Person> persons;
    ASSERT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>&) {
      persons.push_back(person);
      return OkStatus();
    }));
    for (Person& person : persons) {
      person.notes = "private note on person " + std::to_string(person.id) + " #qz";
      person.external_id = "source-row-" + std::to_string(person.id * 7919);
      ASSERT_OK(txn->UpdatePerson(person));
    }
    std::vector<Testimony> testimonies;
    ASSERT_OK(store_->ScanTestimonies([&](const Testimony& testimony) {
      testimonies.push_back(testimony);
      return OkStatus();
    }));
    for (Testimony& testimony : testimonies) {
      testimony.transcript = "word for word, testimony " + std::to_string(testimony.id) + " #qz";
      testimony.external_id = "intake-" + std::to_string(testimony.id * 104729);
      ASSERT_OK(txn->UpdateTestimony(testimony));
    }
    std::vector<Event> events;
    ASSERT_OK(store_->ScanEvents([&](const Event& event) {
      events.push_back(event);
      return OkStatus();
    }));
    for (size_t idx = 0; idx < events.size(); idx += 3) {
      events[idx].note = "told by a neighbour, event " + std::to_string(events[idx].id) + " #qz";
      ASSERT_OK(txn->UpdateEvent(events[idx]));
    }
    ASSERT_OK(txn->Commit());
  }

  // Everything the public may see, in every form: views of every record and exports of
  // every kind in both formats.
  std::string PublicOutput(Role role) {
    std::string out;
    Redactor redactor(role, *store_);
    for (int64_t id = 1; id <= kPersons; ++id) {
      auto record = registry_->GetPersonRecord(id);
      EXPECT_OK(record);
      if (!record.ok()) continue;
      auto view = redactor.View(*record);
      EXPECT_OK(view);
      if (view.ok() && view->has_value()) out += (*view)->dump() + "\n";
    }
    EXPECT_OK(store_->ScanTestimonies([&](const Testimony& testimony) -> Status {
      IZDE_ASSIGN_OR_RETURN(auto view, redactor.View(testimony));
      if (view) out += view->dump() + "\n";
      return OkStatus();
    }));
    EXPECT_OK(store_->ScanEvents([&](const Event& event) -> Status {
      IZDE_ASSIGN_OR_RETURN(auto view, redactor.View(event));
      if (view) out += view->dump() + "\n";
      return OkStatus();
    }));
    Redactor exporter(role, *store_);
    EXPECT_OK(exporter.Preload(*store_));
    for (io::RecordKind kind :
         {io::RecordKind::kPersons, io::RecordKind::kTestimonies, io::RecordKind::kEvents}) {
      for (io::Format format : {io::Format::kCsv, io::Format::kJsonl}) {
        std::ostringstream text;
        EXPECT_OK(io::Export(
            *store_, {.kind = kind, .format = format, .filter = exporter.ExportFilter()}, text));
        out += text.str();
      }
    }
    return out;
  }
};

TEST_F(DemoRedactionTest, NoPublicViewOrExportHoldsAPrivateValue) {
  ASSERT_OK_AND_ASSIGN(io::DemoSummary summary,
                       io::PopulateDemo(*registry_, {.persons = kPersons, .seed = 5}, actor_));
  ASSERT_EQ(summary.persons, kPersons);
  ASSERT_GT(summary.testimonies, 1000);
  Enrich();

  // The test's own reading of the rules, from the raw records: public persons, and the
  // testimonies the public may see at all.
  std::set<int64_t> public_persons;
  ASSERT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>&) {
    if (person.privacy == Privacy::kPublic) public_persons.insert(person.id);
    return OkStatus();
  }));
  auto testimony_public = [&](const Testimony& testimony) {
    if (testimony.consent == Consent::kPrivate) return false;
    for (const auto& mention : testimony.mentions) {
      if (!public_persons.contains(mention.person_id)) return false;
    }
    return true;
  };

  // Every private value, and the text the public may legitimately see (to tell a leak
  // from a coincidence: a testifier may share a name with a public person).
  std::vector<std::string> secrets;
  std::string legit;
  auto secret = [&](const std::string& value) {
    if (value.size() >= 4) secrets.push_back(value);
  };
  ASSERT_OK(store_->ScanPersons([&](const Person& person, const std::vector<Event>&) {
    secret(person.prc_id);
    secret(person.notes);
    secret(person.hometown_text);
    secret(person.external_id);
    const bool open = public_persons.contains(person.id);
    for (const auto& name : person.names) {
      if (open) {
        legit += name.text + '\x1f';
      } else {
        secret(name.text);
      }
    }
    if (open) legit += person.occupation + '\x1f';
    if (!open) secret(person.public_id());
    return OkStatus();
  }));
  ASSERT_OK(store_->ScanTestimonies([&](const Testimony& testimony) {
    secret(testimony.testifier_name);
    secret(testimony.testifier_contact);
    secret(testimony.external_id);
    const bool open = testimony_public(testimony);
    if (open) legit += testimony.summary + '\x1f';
    if (open && testimony.consent == Consent::kPublish) {
      legit += testimony.transcript + '\x1f' + testimony.link + '\x1f';
    } else {
      secret(testimony.transcript);
      secret(testimony.link);
    }
    if (!open) secret(testimony.public_id());
    return OkStatus();
  }));
  ASSERT_OK(store_->ScanEvents([&](const Event& event) {
    secret(event.note);
    secret(event.place_text);
    if (!public_persons.contains(event.person_id)) secret(event.public_id());
    return OkStatus();
  }));
  std::sort(secrets.begin(), secrets.end());
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  std::vector<std::string> checked;
  size_t coincidences = 0;
  for (std::string& value : secrets) {
    if (legit.find(value) != std::string::npos) {
      ++coincidences;
    } else {
      checked.push_back(std::move(value));
    }
  }
  ASSERT_GT(checked.size(), 5000u);
  EXPECT_LT(coincidences * 50, checked.size()) << "too many private values also public";
  ::izde::testing::SubstringFinder finder(checked);

  const std::string shown = PublicOutput(Role::kAnonymous);
  ASSERT_GT(shown.size(), 100'000u);
  std::vector<size_t> leaks = finder.FindIn(shown);
  for (size_t idx = 0; idx < leaks.size() && idx < 20; ++idx) {
    ADD_FAILURE() << "private value in public output: " << finder.needle(leaks[idx]);
  }
  EXPECT_THAT(leaks, IsEmpty());

  // The same search over what an editor sees finds every one of them: the check above can
  // fail, and the secrets are really in the database.
  EXPECT_EQ(finder.FindIn(PublicOutput(Role::kEditor)).size(), checked.size());
  // A viewer sees no testifier contact either.
  std::vector<std::string> contacts;
  ASSERT_OK(store_->ScanTestimonies([&](const Testimony& testimony) {
    contacts.push_back(testimony.testifier_contact);
    return OkStatus();
  }));
  EXPECT_THAT(::izde::testing::SubstringFinder(contacts).FindIn(PublicOutput(Role::kViewer)),
              IsEmpty());

  // Public statistics count the public persons only.
  ASSERT_OK_AND_ASSIGN(registry::Stats stats,
                       registry_->ComputeStats(StatsFilter(Role::kAnonymous)));
  EXPECT_EQ(stats.persons, static_cast<int64_t>(public_persons.size()));
  EXPECT_GT(stats.persons, 0);
  EXPECT_LT(stats.persons, kPersons);
}

// The public export is still a registry: it imports into an empty one, persons, then
// testimonies, then events, holding exactly what the public sees.
TEST_F(RedactionTest, PublicExportImportsIntoAnEmptyRegistry) {
  ASSERT_OK(io::PopulateDemo(*registry_, {.persons = 300, .seed = 9}, actor_));
  Redactor redactor(Role::kAnonymous, *store_);
  ASSERT_OK(redactor.Preload(*store_));
  auto copy_store = store::OpenStore(dir_.File("copy.db"), {.create = true}).value();
  registry::Registry copy(*copy_store, registry::Gazetteer::Xinjiang());
  std::map<io::RecordKind, int64_t> exported;
  for (io::RecordKind kind :
       {io::RecordKind::kPersons, io::RecordKind::kTestimonies, io::RecordKind::kEvents}) {
    std::stringstream text;
    ASSERT_OK_AND_ASSIGN(
        io::ExportReport report,
        io::Export(*store_, {.kind = kind, .filter = redactor.ExportFilter()}, text));
    exported[kind] = report.records;
    io::ImportOptions options;
    options.kind = kind;
    options.format = io::Format::kCsv;
    options.path = std::string(io::RecordKindName(kind)) + ".csv";
    ASSERT_OK_AND_ASSIGN(io::ImportReport imported, io::ImportStream(copy, text, options, actor_));
    ASSERT_TRUE(imported.clean()) << imported.problems[0];
  }
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, copy_store->Counts());
  EXPECT_EQ(counts.persons, exported[io::RecordKind::kPersons]);
  EXPECT_EQ(counts.testimonies, exported[io::RecordKind::kTestimonies]);
  EXPECT_EQ(counts.events, exported[io::RecordKind::kEvents]);
  EXPECT_GT(counts.persons, 20);
  EXPECT_LT(counts.persons, 300);
  EXPECT_GT(counts.testimonies, 0);
}

}  // namespace
}  // namespace izde::auth
