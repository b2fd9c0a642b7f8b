// The catalog's filter rows kept in the index snapshot (http/catalog.h, docs/server.md
// "Start-up"): a catalog that takes them from the snapshot, refreshed for the changes made
// since, answers every filter as one that scanned every person. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/ids.h"
#include "http/catalog.h"
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
