// The catalog's filter rows kept in the index snapshot (http/catalog.h, docs/server.md
// "Start-up"): a catalog that takes them from the snapshot, refreshed for the changes made
// since, answers every filter as one that scanned every person, and shows each search result
// (Catalog::ResultPersons) as the person read from the database shows it, for every role.
// SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "auth/redaction.h"
#include "core/ids.h"
#include "http/catalog.h"
#include "http/name_forms.h"
#include "http/views.h"
#include "io/demo.h"
#include "io/index_snapshot.h"
#include "registry/index_record.h"
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

const registry::Actor kActor{"cli:test"};

class CatalogRowsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string location = GetParam() == Backend::kSqlite
                               ? dir_.File("rows.db")
                               : ::izde::testing::FreshPostgresDatabase();
    ASSERT_FALSE(location.empty());
    ASSERT_OK_AND_ASSIGN(store_, store::OpenStore(location, {.create = true}));
    registry_ = std::make_unique<registry::Registry>(*store_, places_);
    ASSERT_OK(io::PopulateDemo(*registry_, {.persons = 300, .seed = 7}, kActor).status());
  }

  std::unique_ptr<Catalog> Load(const std::string& path) {
    auto catalog = std::make_unique<Catalog>(places_);
    EXPECT_OK(catalog->Load(*store_, path));
    return catalog;
  }

  // Every filter the API offers, over the values the store holds now (and one it does not).
  std::vector<PersonFilter> Filters() {
    std::set<std::string> ethnicities{"nobody's"};
    std::set<std::string> prefectures;
    EXPECT_OK(store_->ScanPersons(
        [&](const registry::Person& person, const std::vector<registry::Event>&) -> Status {
          ethnicities.insert(person.ethnicity);
          prefectures.insert(registry::HometownCode(places_, person));
          return OkStatus();
        }));
    std::vector<PersonFilter> filters(1);  // no filter at all
    for (registry::EventType type : registry::AllEventTypes()) {
      filters.push_back({.status = std::string(registry::EventTypeName(type))});
    }
    filters.push_back({.status = "unknown"});
    for (const std::string& ethnicity : ethnicities) filters.push_back({.ethnicity = ethnicity});
    for (const std::string& code : prefectures) {
      const registry::Division* prefecture = places_.PrefectureOf(code);
      if (prefecture != nullptr) filters.push_back({.prefecture = prefecture->code});
    }
    for (int grade = 0; grade <= static_cast<int>(registry::Grade::kDocumented); ++grade) {
      filters.push_back({.grade = static_cast<registry::Grade>(grade)});
    }
    for (int from = 1930; from <= 2010; from += 8) {
      filters.push_back({.born_from = from, .born_to = from + 7});
      filters.push_back({.born_from = from});
      filters.push_back({.born_to = from});
    }
    filters.push_back({.public_only = true});
    filters.push_back({.status = "detained", .born_from = 1960, .public_only = true});
    return filters;
  }

  // Both catalogs answer every filter alike; returns how many filters matched some persons
  // but not all, so that a test can see the filters told persons apart.
  int ExpectSameAnswers(const Catalog& loaded, const Catalog& scanned) {
    int telling = 0;
    EXPECT_EQ(loaded.size(), scanned.size());
    for (const PersonFilter& filter : Filters()) {
      const PersonPage want = scanned.Page(filter, 0, 0, 1'000'000);
      const PersonPage got = loaded.Page(filter, 0, 0, 1'000'000);
      EXPECT_EQ(got.ids, want.ids)
          << "status " << filter.status << " ethnicity " << filter.ethnicity << " prefecture "
          << filter.prefecture << " born " << filter.born_from.value_or(0) << "-"
          << filter.born_to.value_or(0);
      EXPECT_EQ(got.total, want.total);
      if (want.total > 0 && want.total < static_cast<int64_t>(scanned.size())) ++telling;
    }
    for (int64_t person_id = 1; person_id <= 320; ++person_id) {
      EXPECT_EQ(loaded.StatusOf(person_id), scanned.StatusOf(person_id)) << person_id;
    }
    return telling;
  }

  // A search result row from the catalog's memory is the row of the person read from the
  // store (Search before it kept them: GetPersons, then the same redaction and JSON), for every
  // role, every person (and ids the store lacks), with name_in_script for a query in each
  // script and the generated Chinese names. Returns how many rows a role saw, summed.
  int ExpectResultRowsAsStored(const Catalog& catalog) {
    std::vector<int64_t> ids;
    for (int64_t person_id = 1; person_id <= 320; ++person_id) ids.push_back(person_id);
    ids.push_back(999'999);
    const std::vector<std::optional<Catalog::ResultPerson>> held = catalog.ResultPersons(ids);
    EXPECT_EQ(held.size(), ids.size());
    Result<std::vector<registry::Person>> stored_persons = store_->GetPersons(ids);
    EXPECT_OK(stored_persons.status());
    if (!stored_persons.ok() || held.size() != ids.size()) return 0;
    const std::vector<std::string> queries = {"Serik Bilash", "Серік", "سەرىك", "赛力克", "1974"};
    int shown_rows = 0;
    size_t next = 0;
    for (size_t id_idx = 0; id_idx < ids.size(); ++id_idx) {
      const bool in_store =
          next < stored_persons->size() && (*stored_persons)[next].id == ids[id_idx];
      EXPECT_EQ(held[id_idx].has_value(), in_store) << ids[id_idx];
      if (!in_store) continue;
      const registry::Person& stored = (*stored_persons)[next++];
      if (!held[id_idx]) continue;
      Result<std::vector<registry::Event>> events = store_->EventsOfPerson(stored.id);
      EXPECT_OK(events.status());
      if (!events.ok()) continue;
      EXPECT_EQ(held[id_idx]->status, registry::CurrentStatusName(*events)) << stored.id;
      for (auth::Role role : {auth::Role::kAnonymous, auth::Role::kViewer, auth::Role::kEditor,
                              auth::Role::kReviewer, auth::Role::kAdmin}) {
        const auth::Redactor redactor(role, *store_);
        std::optional<registry::Person> want = redactor.Redact(stored);
        std::optional<registry::Person> got = redactor.Redact(held[id_idx]->person);
        EXPECT_EQ(got.has_value(), want.has_value()) << stored.id;
        if (!got || !want) continue;
        ++shown_rows;
        EXPECT_EQ(RedactedSummaryJson(*got, held[id_idx]->status, role),
                  RedactedSummaryJson(*want, registry::CurrentStatusName(*events), role))
            << stored.id << " as " << auth::RoleName(role);
        const std::string matched = want->names.size() > 1 ? want->names[1].text : "";
        for (const std::string& query : queries) {
          EXPECT_EQ(NameInQueryScript(*got, query, matched),
                    NameInQueryScript(*want, query, matched))
              << stored.id << " for " << query;
        }
        EXPECT_EQ(GeneratedChineseNames(*got), GeneratedChineseNames(*want)) << stored.id;
      }
    }
    return shown_rows;
  }

  ::izde::testing::TempDir dir_;
  const registry::Gazetteer& places_ = registry::Gazetteer::Xinjiang();
  std::unique_ptr<registry::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
  std::string snapshot_ = dir_.File("catalog.index");
};

TEST_P(CatalogRowsTest, RowsFromTheSnapshotAnswerAsAFullScan) {
  std::unique_ptr<Catalog> first = Load(snapshot_);
  EXPECT_FALSE(first->load_report().from_snapshot);
  EXPECT_FALSE(first->rows_from_snapshot());
  ASSERT_TRUE(std::filesystem::exists(snapshot_));

  std::unique_ptr<Catalog> loaded = Load(snapshot_);
  EXPECT_TRUE(loaded->load_report().from_snapshot) << loaded->load_report().rebuilt_because;
  EXPECT_TRUE(loaded->rows_from_snapshot());
  EXPECT_EQ(loaded->size(), 300u);
  EXPECT_GT(ExpectSameAnswers(*loaded, *Load("")), 20);
  // 300 persons, five roles, the demo's private and restricted ones hidden from some.
  EXPECT_GT(ExpectResultRowsAsStored(*loaded), 900);
  EXPECT_LT(ExpectResultRowsAsStored(*loaded), 1500);
  EXPECT_EQ(ExpectResultRowsAsStored(*first), ExpectResultRowsAsStored(*loaded));
}

// A write refreshes the person's result row (the server after its own writes, and its
// follower after another process's: both call Refresh).
TEST_P(CatalogRowsTest, ResultRowsFollowAnEdit) {
  std::unique_ptr<Catalog> catalog = Load("");
  ASSERT_OK_AND_ASSIGN(registry::Person changed, store_->GetPerson(9));
  changed.names.insert(
      changed.names.begin(),
      {.text = "Гүлнар Омарқызы", .script = names::Script::kCyrillic, .source = "T-000001"});
  changed.names.push_back({.text = "古丽娜尔", .script = names::Script::kHan});
  changed.gender = registry::Gender::kFemale;
  changed.birth_date = PartialDate::Of(1966, 3, 0, true);
  changed.ethnicity = "kyrgyz";
  for (int64_t other_id = 10; other_id < 60; ++other_id) {  // another hometown on record
    ASSERT_OK_AND_ASSIGN(registry::Person other, store_->GetPerson(other_id));
    if (!other.hometown_code.empty() && other.hometown_code != changed.hometown_code) {
      changed.hometown_code = other.hometown_code;
      break;
    }
  }
  changed.privacy = registry::Privacy::kPublic;
  changed.grade = registry::Grade::kCorroborated;
  ASSERT_OK_AND_ASSIGN(registry::Person updated, registry_->UpdatePerson(changed, kActor));
  registry::Event released;
  released.person_id = 9;
  released.type = registry::EventType::kReleased;
  released.date = PartialDate::Of(2025);
  ASSERT_OK(registry_->AddEvent(released, kActor).status());
  ASSERT_OK(catalog->Refresh(*store_, 9));

  const std::vector<std::optional<Catalog::ResultPerson>> held = catalog->ResultPersons({9});
  ASSERT_TRUE(held[0].has_value());
  EXPECT_EQ(held[0]->person.display_name(), "Гүлнар Омарқызы");
  EXPECT_EQ(held[0]->person.version, updated.version);
  EXPECT_EQ(held[0]->status, "released");
  EXPECT_GT(ExpectResultRowsAsStored(*catalog), 900);
}

// Changes committed after the snapshot (a status event, changed fields, a person added and
// one removed) reach the rows as they reach the index.
TEST_P(CatalogRowsTest, ChangesAfterTheSnapshotAreReRead) {
  registry::Person doomed = ::izde::testing::SamplePerson();
  ASSERT_OK_AND_ASSIGN(doomed, registry_->AddPerson(doomed, kActor));
  Load(snapshot_);  // writes the snapshot
  std::unique_ptr<Catalog> before = Load(snapshot_);
  ASSERT_TRUE(before->rows_from_snapshot());

  ASSERT_OK_AND_ASSIGN(registry::Person changed, store_->GetPerson(5));
  changed.ethnicity = "uzbek";
  changed.birth_date = PartialDate::Of(1931);
  changed.privacy = registry::Privacy::kPublic;
  changed.hometown_code.clear();
  changed.hometown_text = "Kashgar";
  ASSERT_OK(registry_->UpdatePerson(changed, kActor).status());
  registry::Event died;
  died.person_id = 7;
  died.type = registry::EventType::kDeceased;
  died.date = PartialDate::Of(2026, 11);
  ASSERT_OK(registry_->AddEvent(died, kActor).status());
  ASSERT_OK(registry_->AddPerson(::izde::testing::SamplePerson(), kActor).status());
  ASSERT_OK_AND_ASSIGN(std::vector<registry::AuditEntry> history,
                       registry_->History(FormatId(IdKind::kPerson, doomed.id)));
  ASSERT_FALSE(history.empty());
  ASSERT_OK(registry_->Revert(history.front().id, kActor).status());

  std::unique_ptr<Catalog> loaded = Load(snapshot_);
  EXPECT_TRUE(loaded->load_report().from_snapshot) << loaded->load_report().rebuilt_because;
  EXPECT_TRUE(loaded->rows_from_snapshot());
  EXPECT_EQ(loaded->load_report().refreshed, 4);
  EXPECT_EQ(loaded->StatusOf(7), "deceased");
  EXPECT_NE(before->StatusOf(7), "deceased") << "the event must change person 7's status";
  EXPECT_EQ(loaded->Page({.ethnicity = "uzbek", .born_to = 1932}, 0, 0, 10).ids,
            std::vector<int64_t>{5});
  EXPECT_EQ(loaded->size(), 301u);
  std::unique_ptr<Catalog> scanned = Load("");
  EXPECT_GT(ExpectSameAnswers(*loaded, *scanned), 20);
  EXPECT_GT(ExpectResultRowsAsStored(*loaded), 900);

  // The next load reads the snapshot that load wrote, with the changes in it.
  std::unique_ptr<Catalog> again = Load(snapshot_);
  EXPECT_TRUE(again->rows_from_snapshot());
  EXPECT_EQ(again->load_report().refreshed, 0);
  ExpectSameAnswers(*again, *scanned);
}

// A snapshot written by another command (`izde search`: no rows in it) still gives the index;
// the rows then come from a scan, and the server writes them at its next snapshot.
TEST_P(CatalogRowsTest, ASnapshotWithoutRowsFallsBackToTheScan) {
  match::CandidateIndex index(registry::MakeScorer(places_));
  ASSERT_OK(io::LoadIndex(*store_, places_, index,
                          {.path = snapshot_, .fingerprint = io::EngineFingerprint()})
                .status());
  std::unique_ptr<Catalog> loaded = Load(snapshot_);
  EXPECT_TRUE(loaded->load_report().from_snapshot) << loaded->load_report().rebuilt_because;
  EXPECT_FALSE(loaded->rows_from_snapshot());
  EXPECT_GT(ExpectSameAnswers(*loaded, *Load("")), 20);

  ASSERT_OK_AND_ASSIGN(int64_t position, store_->ChangePosition());
  ASSERT_OK_AND_ASSIGN(bool written, loaded->SaveSnapshot(*store_, position));
  EXPECT_TRUE(written) << "the rows were missing from the file";
  EXPECT_TRUE(Load(snapshot_)->rows_from_snapshot());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogRowsTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, CatalogRowsTest, ::testing::Values(Backend::kPostgres));

}  // namespace
}  // namespace izde::http
