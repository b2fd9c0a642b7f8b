#include "io/demo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "names/script.h"
#include "registry/event.h"
#include "registry/places.h"
#include "registry/prc_id.h"
#include "registry/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/status_matchers.h"

namespace izde::io {
namespace {

using registry::EventType;

std::vector<DemoPerson> Generate(int64_t count, uint64_t seed) {
  DemoGenerator generator({.persons = count, .seed = seed});
  std::vector<DemoPerson> persons;
  DemoPerson person;
  while (generator.Next(person)) persons.push_back(person);
  return persons;
}

// The check digit of an 18-character PRC ID, computed here without the generator's code.
char ExpectedCheckChar(const std::string& id) {
  const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int pos = 0; pos < 17; ++pos) sum += (id[static_cast<size_t>(pos)] - '0') * weights[pos];
  return "10X98765432"[sum % 11];
}

TEST(DemoGeneratorTest, YieldsTheRequestedNumberOfPersons) {
  EXPECT_EQ(Generate(0, 1).size(), 0u);
  EXPECT_EQ(Generate(137, 1).size(), 137u);
}

TEST(DemoGeneratorTest, SameSeedGivesSameOutput) {
  std::vector<DemoPerson> first = Generate(2000, 42);
  std::vector<DemoPerson> second = Generate(2000, 42);
  ASSERT_EQ(first.size(), second.size());
  for (size_t idx = 0; idx < first.size(); ++idx) {
    EXPECT_EQ(first[idx].row.person, second[idx].row.person) << "person " << idx;
    EXPECT_EQ(first[idx].row.events, second[idx].row.events) << "person " << idx;
    EXPECT_EQ(first[idx].kin_of_previous, second[idx].kin_of_previous) << "person " << idx;
  }
}

TEST(DemoGeneratorTest, DifferentSeedsDiffer) {
  std::vector<DemoPerson> first = Generate(200, 1);
  std::vector<DemoPerson> second = Generate(200, 2);
  int same = 0;
  for (size_t idx = 0; idx < first.size(); ++idx) {
    if (first[idx].row.person == second[idx].row.person) ++same;
  }
  EXPECT_EQ(same, 0);
}

TEST(DemoGeneratorTest, FirstPersonsDoNotDependOnTheCount) {
  std::vector<DemoPerson> few = Generate(10, 7);
  std::vector<DemoPerson> many = Generate(500, 7);
  for (size_t idx = 0; idx < few.size(); ++idx) {
    EXPECT_EQ(few[idx].row.person, many[idx].row.person);
  }
}

// A fingerprint of the first persons of seed 1. It catches output that changes with the
// platform or standard library (which would break "same seed, same registry" for users
// comparing runs). When you change the generator on purpose, update the constant.
TEST(DemoGeneratorTest, OutputIsStableAcrossPlatforms) {
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  auto mix = [&hash](std::string_view text) {
    for (char byte : text) {
      hash ^= static_cast<unsigned char>(byte);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;
    hash *= 1099511628211ULL;
  };
  for (const DemoPerson& demo : Generate(500, 1)) {
    const registry::Person& person = demo.row.person;
    for (const registry::PersonName& name : person.names) mix(name.text);
    mix(person.birth_date.ToString());
    mix(person.ethnicity);
    mix(person.hometown_code);
    mix(person.hometown_text);
    mix(person.prc_id);
    mix(person.occupation);
    mix(registry::PrivacyName(person.privacy));
    mix(registry::GradeName(person.grade));
    for (const registry::Event& event : demo.row.events) {
      mix(registry::EventTypeName(event.type));
      mix(event.date.ToString());
      mix(event.place_text);
      mix(event.note);
    }
  }
  EXPECT_EQ(hash, 8973269409528859242ULL) << "fingerprint of seed 1 changed";
}

TEST(DemoGeneratorTest, PrcIdsAreValidAndConsistent) {
  int with_id = 0;
  for (const DemoPerson& demo : Generate(10'000, 3)) {
    const registry::Person& person = demo.row.person;
    if (person.prc_id.empty()) continue;
    ++with_id;
    const std::string& id = person.prc_id;
    ASSERT_EQ(id.size(), 18u) << id;
    EXPECT_EQ(id[17], ExpectedCheckChar(id)) << id;
    EXPECT_EQ(id.substr(0, 6), person.hometown_code) << id;
    const DatePoint& birth = person.birth_date.start();
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02d%02d", birth.year, birth.month, birth.day);
    EXPECT_EQ(id.substr(6, 8), date) << id;
    bool odd = (id[16] - '0') % 2 == 1;
    EXPECT_EQ(odd, person.gender == registry::Gender::kMale) << id;
  }
  EXPECT_GT(with_id, 1000);
}

TEST(DemoGeneratorTest, EventsAreInAPlausibleOrder) {
  const std::set<EventType> kHeld = {EventType::kDetained, EventType::kCamp, EventType::kPrison,
                                     EventType::kSentenced};
  int ranges = 0;
  for (const DemoPerson& demo : Generate(10'000, 4)) {
    const std::vector<registry::Event>& events = demo.row.events;
    for (const registry::Event& event : events) ranges += event.date.is_range() ? 1 : 0;
    ASSERT_FALSE(events.empty());
    int first_held = -1;
    int released = -1;
    for (size_t idx = 0; idx < events.size(); ++idx) {
      const registry::Event& event = events[idx];
      EXPECT_FALSE(event.date.unknown());
      EXPECT_GE(event.date.start().year, 2016);
      EXPECT_LE(event.date.start().year, 2025);
      // Each event may have happened no earlier than every event before it.
      for (size_t before = 0; before < idx; ++before) {
        EXPECT_LE(events[before].date.EarliestDay(), event.date.LatestDay())
            << events[before].date.ToString() << " then " << event.date.ToString();
      }
      if (kHeld.contains(event.type) && first_held < 0) first_held = static_cast<int>(idx);
      if (event.type == EventType::kReleased) released = static_cast<int>(idx);
      if (event.type == EventType::kDeceased) {
        EXPECT_EQ(idx + 1, events.size());
      }
    }
    if (released >= 0) {
      EXPECT_GE(first_held, 0) << "released without being held";
      EXPECT_LT(first_held, released);
    }
    for (const registry::Event& event : events) {
      bool abroad = event.type == EventType::kLeftChina ||
                    event.type == EventType::kArrivedAbroad ||
                    event.type == EventType::kCitizenshipApplied ||
                    event.type == EventType::kCitizenshipGranted;
      if (abroad && first_held >= 0) {
        EXPECT_GE(released, 0) << "left while still held";
      }
    }
  }
  EXPECT_GT(ranges, 100);  // "between April and June 2017"
}

TEST(DemoGeneratorTest, EveryPersonHasNamesInTwoScripts) {
  int aliases = 0;
  for (const DemoPerson& demo : Generate(10'000, 5)) {
    const std::vector<registry::PersonName>& names = demo.row.person.names;
    ASSERT_GE(names.size(), 2u);
    ASSERT_LE(names.size(), 4u);
    std::set<names::Script> scripts;
    for (const registry::PersonName& name : names) {
      ASSERT_OK_AND_ASSIGN(names::Script detected, names::DetectScript(name.text));
      EXPECT_EQ(detected, name.script) << name.text;
      EXPECT_EQ(name.source, "demo");
      if (name.part == registry::NamePart::kAlias) ++aliases;
      scripts.insert(detected);
    }
    EXPECT_GE(scripts.size(), 2u) << names[0].text;
  }
  EXPECT_GT(aliases, 100);  // misspelt variants for de-duplication to find
}

TEST(DemoGeneratorTest, HanFormsJoinGivenAndFatherWithADot) {
  int dotted = 0;
  for (const DemoPerson& demo : Generate(1000, 6)) {
    for (const registry::PersonName& name : demo.row.person.names) {
      if (name.script != names::Script::kHan) continue;
      if (demo.row.person.ethnicity == "hui") {
        EXPECT_EQ(name.text.find("·"), std::string::npos) << name.text;
      } else {
        EXPECT_NE(name.text.find("·"), std::string::npos) << name.text;
        ++dotted;
      }
    }
  }
  EXPECT_GT(dotted, 100);
}

TEST(DemoGeneratorTest, EthnicityProportionsAreRealistic) {
  std::map<std::string, int> counts;
  for (const DemoPerson& demo : Generate(10'000, 8)) ++counts[demo.row.person.ethnicity];
  EXPECT_EQ(counts.size(), 4u);
  EXPECT_THAT(counts["kazakh"], ::testing::AllOf(::testing::Ge(4500), ::testing::Le(5500)));
  EXPECT_THAT(counts["uyghur"], ::testing::AllOf(::testing::Ge(3700), ::testing::Le(4700)));
  EXPECT_THAT(counts["kyrgyz"], ::testing::AllOf(::testing::Ge(250), ::testing::Le(650)));
  EXPECT_THAT(counts["hui"], ::testing::AllOf(::testing::Ge(250), ::testing::Le(650)));
}

TEST(DemoGeneratorTest, FieldsVary) {
  std::map<std::string, int> privacy, precision, kin;
  std::set<std::string> hometowns;
  for (const DemoPerson& demo : Generate(10'000, 9)) {
    const registry::Person& person = demo.row.person;
    ++privacy[std::string(registry::PrivacyName(person.privacy))];
    ++precision[person.birth_date.about()
                    ? "about"
                    : std::to_string(static_cast<int>(person.birth_date.precision()))];
    if (demo.kin_of_previous) {
      ++kin[std::string(registry::RelationKindName(*demo.kin_of_previous))];
    }
    hometowns.insert(person.hometown_code);
  }
  EXPECT_GT(privacy["restricted"], privacy["public"]);
  EXPECT_GT(privacy["public"], privacy["private"]);
  EXPECT_EQ(precision.size(), 4u);
  EXPECT_EQ(kin.size(), 4u);
  EXPECT_GT(hometowns.size(), 40u);
}

TEST(DemoGeneratorTest, HometownCodesExistInTheGazetteer) {
  const registry::Gazetteer& places = registry::Gazetteer::Xinjiang();
  if (places.size() == 0) GTEST_SKIP() << "the gazetteer has not landed yet";
  DemoGenerator generator({.persons = 5000, .seed = 10}, &places);
  DemoPerson person;
  while (generator.Next(person)) {
    EXPECT_NE(places.Find(person.row.person.hometown_code), nullptr)
        << person.row.person.hometown_code;
  }
}

TEST(DemoGeneratorTest, TestimoniesMentionFamiliesAndUseFictionalContacts) {
  DemoGenerator generator({.persons = 3000, .seed = 11});
  std::vector<DemoGenerator::PersonFacts> facts;
  DemoPerson person;
  while (generator.Next(person)) {
    facts.push_back(FactsOf(person));
    facts.back().person_id = static_cast<int64_t>(facts.size());
  }
  std::vector<registry::Testimony> testimonies = generator.MakeTestimonies(facts);
  EXPECT_GT(testimonies.size(), facts.size() / 2);
  std::set<int64_t> mentioned;
  std::set<std::string> languages;
  for (const registry::Testimony& testimony : testimonies) {
    ASSERT_FALSE(testimony.mentions.empty());
    ASSERT_LE(testimony.mentions.size(), 3u);
    for (const registry::Mention& mention : testimony.mentions) {
      mentioned.insert(mention.person_id);
      EXPECT_FALSE(mention.relation.empty());
    }
    const std::string& contact = testimony.testifier_contact;
    bool fictional = contact.starts_with("+7 700 000 ") || contact.starts_with("+1 202 555 01") ||
                     contact.ends_with("@example.org");
    EXPECT_TRUE(fictional) << contact;
    EXPECT_FALSE(testimony.testifier_name.empty());
    EXPECT_FALSE(testimony.summary.empty());
    languages.insert(testimony.language);
  }
  size_t unmentioned = 0;
  for (const DemoGenerator::PersonFacts& fact : facts) {
    if (!mentioned.contains(fact.person_id)) {
      EXPECT_TRUE(fact.kin_of_previous) << "the first of a family is always testified about";
      ++unmentioned;
    }
  }
  EXPECT_LT(unmentioned, facts.size() / 50);
  EXPECT_EQ(languages, (std::set<std::string>{"en", "kk", "ru", "ug", "zh"}));

  // The same facts from a fresh generator with the same seed give the same testimonies.
  DemoGenerator again({.persons = 3000, .seed = 11});
  EXPECT_EQ(again.MakeTestimonies(facts), testimonies);
}

// Not a benchmark (bench/ has those): prints the rate so that a run shows it.
TEST(DemoGeneratorTest, PrintsGenerationRate) {
  const int64_t count = 50'000;
  DemoGenerator generator({.persons = count, .seed = 12});
  DemoPerson person;
  size_t names = 0;
  auto start = std::chrono::steady_clock::now();
  while (generator.Next(person)) names += person.row.person.names.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ demo     ] %lld persons (%zu names) in %.3f s: %.0f persons/s\n",
              static_cast<long long>(count), names, seconds, static_cast<double>(count) / seconds);
  EXPECT_EQ(generator.generated(), count);
}

class PopulateDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("izde_demo_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Cleanup();
  }
  void TearDown() override { Cleanup(); }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::filesystem::path path_;
};

TEST_F(PopulateDemoTest, WritesPersonsTestimoniesAndRelations) {
  ASSERT_OK_AND_ASSIGN(auto store, store::SqliteStore::Open(path_.string(), /*create=*/true));
  registry::Registry registry(*store, registry::Gazetteer::Xinjiang());
  std::vector<std::pair<int64_t, int64_t>> progress;
  ASSERT_OK_AND_ASSIGN(
      DemoSummary summary,
      PopulateDemo(registry, {.persons = 1234, .seed = 5, .batch_size = 500}, {"test:demo"},
                   [&](int64_t done, int64_t total) { progress.emplace_back(done, total); }));
  EXPECT_EQ(summary.persons, 1234);
  EXPECT_GT(summary.testimonies, 1234 / 2);
  EXPECT_GT(summary.relations, 100);
  ASSERT_OK_AND_ASSIGN(registry::StoreCounts counts, store->Counts());
  EXPECT_EQ(counts.persons, 1234);
  EXPECT_EQ(counts.testimonies, summary.testimonies);
  EXPECT_EQ(counts.events, summary.events);
  EXPECT_EQ(counts.relations, summary.relations);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(int64_t{1234}, int64_t{1234}));

  // A stored person reads back with its events and testimonies.
  ASSERT_OK_AND_ASSIGN(registry::PersonRecord record, registry.GetPersonRecord(1));
  EXPECT_GE(record.person.names.size(), 2u);
  EXPECT_FALSE(record.events.empty());
  EXPECT_FALSE(record.testimonies.empty());
  // Relations are written with their audit entries, as Registry::AddRelation writes them.
  ASSERT_OK_AND_ASSIGN(std::vector<registry::AuditEntry> history, registry.History("R-000001"));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, "relation.create");
  EXPECT_EQ(history[0].actor, "test:demo");
  EXPECT_OK(store->CheckIntegrity());
}

// PopulateDemo imports without validating (ImportPersons expects normalised rows), so the
// generator must produce what NormalizePerson/Event/Testimony would leave unchanged.
TEST_F(PopulateDemoTest, GeneratedRecordsAreAlreadyNormalised) {
  ASSERT_OK_AND_ASSIGN(auto store, store::SqliteStore::Open(path_.string(), /*create=*/true));
  const registry::Gazetteer& places = registry::Gazetteer::Xinjiang();
  registry::Registry registry(*store, places);
  DemoGenerator generator({.persons = 3000, .seed = 13}, &places);
  std::vector<DemoGenerator::PersonFacts> facts;
  DemoPerson demo;
  while (generator.Next(demo)) {
    registry::Person person = demo.row.person;
    ASSERT_OK(registry.NormalizePerson(person));
    EXPECT_EQ(person, demo.row.person) << demo.row.person.names[0].text;
    EXPECT_THAT(registry.Warnings(person), ::testing::IsEmpty()) << person.names[0].text;
    if (!person.prc_id.empty()) {
      ASSERT_OK_AND_ASSIGN(registry::PrcId id, registry::ParsePrcId(person.prc_id));
      EXPECT_THAT(registry::PrcIdWarnings(person, id, places), ::testing::IsEmpty());
    }
    for (registry::Event event : demo.row.events) {
      event.person_id = 1;
      registry::Event normalised = event;
      ASSERT_OK(registry.NormalizeEvent(normalised));
      EXPECT_EQ(normalised, event);
    }
    facts.push_back(FactsOf(demo));
    facts.back().person_id = static_cast<int64_t>(facts.size());
  }
  for (const registry::Testimony& testimony : generator.MakeTestimonies(facts)) {
    registry::Testimony normalised = testimony;
    ASSERT_OK(registry.NormalizeTestimony(normalised));
    EXPECT_EQ(normalised, testimony);
  }
}

TEST_F(PopulateDemoTest, RejectsBadOptions) {
  ASSERT_OK_AND_ASSIGN(auto store, store::SqliteStore::Open(path_.string(), /*create=*/true));
  registry::Registry registry(*store, registry::Gazetteer::Xinjiang());
  EXPECT_THAT(PopulateDemo(registry, {.persons = -1}, {"test"}),
              testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(PopulateDemo(registry, {.persons = 1, .batch_size = 0}, {"test"}),
              testing::StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::io
