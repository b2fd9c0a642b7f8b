// The catalog's filter rows kept in the index snapshot (http/catalog.h, docs/server.md
// "Start-up"): a catalog that takes them from the snapshot, refreshed for the changes made
// since, answers every filter as one that scanned every person, and shows each search result
// (Catalog::ResultPersons) as the person read from the database shows it, for every role; and
// the server's list page (GET /api/persons), made from those rows, is the page of the stored
// persons for every role. SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "auth/redaction.h"
#include "auth/users.h"
#include "core/ids.h"
#include "http/catalog.h"
#include "http/name_forms.h"
#include "http/server.h"
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

// A row is looked up first where its id would be with no gap before it (Catalog::RowOf):
// persons deleted among others, before and after the catalog was loaded, leave every other
// person's row and status as stored, and no row of their own.
TEST_P(CatalogRowsTest, ResultRowsAroundDeletedPersons) {
  std::vector<int64_t> added;
  for (int count = 0; count < 6; ++count) {
    ASSERT_OK_AND_ASSIGN(registry::Person person,
                         registry_->AddPerson(::izde::testing::SamplePerson(), kActor));
    added.push_back(person.id);
  }
  std::unique_ptr<Catalog> before = Load("");
  // Deleted: the first two and the fourth of the six, and the last; kept: the third, fifth.
  const std::vector<int64_t> gone = {added[0], added[1], added[3], added[5]};
  for (int64_t doomed : gone) {
    ASSERT_OK_AND_ASSIGN(std::vector<registry::AuditEntry> history,
                         registry_->History(FormatId(IdKind::kPerson, doomed)));
    ASSERT_FALSE(history.empty());
    ASSERT_OK(registry_->Revert(history.front().id, kActor).status());
    ASSERT_OK(before->Refresh(*store_, doomed));
  }
  std::unique_ptr<Catalog> after = Load("");
  for (const Catalog* catalog : {before.get(), after.get()}) {
    EXPECT_EQ(catalog->size(), 302u);
    EXPECT_GT(ExpectResultRowsAsStored(*catalog), 900);
    for (int64_t id : {added[0], added[1], added[3], added[5], int64_t{0}, int64_t{-5}}) {
      EXPECT_FALSE(catalog->ResultPersons({id}).front().has_value()) << id;
      EXPECT_EQ(catalog->StatusOf(id), "unknown") << id;
    }
    const std::vector<std::optional<Catalog::ResultPerson>> kept =
        catalog->ResultPersons({added[2], added[4], 1, 300});
    for (size_t kept_idx = 0; kept_idx < kept.size(); ++kept_idx) {
      ASSERT_TRUE(kept[kept_idx].has_value()) << kept_idx;
    }
    EXPECT_EQ(kept[0]->person.id, added[2]);
    EXPECT_EQ(kept[1]->person.id, added[4]);
    EXPECT_EQ(kept[2]->person.id, 1);
    EXPECT_EQ(kept[3]->person.id, 300);
  }
  ExpectSameAnswers(*before, *after);
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

// GET /api/persons takes its page from the catalog's rows (Catalog::ResultPersons), not the
// database: every page, for every role (anonymous with the public view on), filtered or not,
// paged by cursor, is the page of stored persons read afresh, redacted and rendered as before
// (Store::GetPersons, auth::Redactor, RedactedSummaryJson), including after an edit made by
// another writer on the same database, once the server's follower has applied it.
TEST_P(CatalogRowsTest, ListPagesAreThePagesOfTheStoredPersons) {
  auth::Users users(*store_, auth::HashCost::kMinimum);
  const std::vector<std::pair<auth::Role, std::string>> roles = {
      {auth::Role::kAnonymous, ""},
      {auth::Role::kViewer, "viewer"},
      {auth::Role::kEditor, "editor"},
      {auth::Role::kReviewer, "reviewer"},
      {auth::Role::kAdmin, "admin"}};
  for (const auto& [role, name] : roles) {
    if (!name.empty()) ASSERT_OK(users.Add(name, name, name + "-password", "test").status());
  }
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ApiServer> server,
      ApiServer::Create(*registry_, {.public_read = true, .hash_cost = auth::HashCost::kMinimum}));
  ASSERT_OK_AND_ASSIGN(int port, server->Bind("127.0.0.1", 0));
  std::thread runner([&] { EXPECT_OK(server->Run()); });
  while (!server->running()) std::this_thread::yield();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20);
  std::vector<std::string> cookies;
  for (const auto& [role, name] : roles) {
    std::string cookie;
    if (!name.empty()) {
      nlohmann::json login = {{"name", name}, {"password", name + "-password"}};
      httplib::Result res = client.Post("/api/login", login.dump(), "application/json");
      ASSERT_TRUE(res && res->status == 200);
      const std::string set_cookie = res->get_header_value("Set-Cookie");
      cookie = set_cookie.substr(0, set_cookie.find(';'));
    }
    cookies.push_back(cookie);
  }

  // The rows of every stored person the role may see, in id order, keyed by id; the filter
  // picks persons by their stored fields, as the catalog's Page does.
  auto stored_rows = [&](auth::Role role, const std::string& ethnicity) {
    std::vector<std::pair<std::string, nlohmann::json>> rows;
    const auth::Redactor redactor(role, *store_);
    const Status scanned = store_->ScanPersons([&](const registry::Person& person,
                                                   const std::vector<registry::Event>& events) {
      if (!ethnicity.empty() && person.ethnicity != ethnicity) return OkStatus();
      if (role == auth::Role::kAnonymous && person.privacy != registry::Privacy::kPublic) {
        return OkStatus();
      }
      Result<std::vector<registry::Person>> read = store_->GetPersons({person.id});
      EXPECT_OK(read.status());
      if (!read.ok() || read->size() != 1) return OkStatus();
      std::optional<registry::Person> shown = redactor.Redact(read->front());
      if (shown) {
        rows.emplace_back(person.public_id(),
                          RedactedSummaryJson(*shown, registry::CurrentStatusName(events), role));
      }
      return OkStatus();
    });
    EXPECT_OK(scanned);
    return rows;
  };
  // Every row the server lists for the role, page by page along the cursor.
  auto listed_rows = [&](size_t role_idx, const std::string& query) {
    std::vector<nlohmann::json> rows;
    std::string after;
    for (int page = 0; page < 100; ++page) {
      const std::string path =
          "/api/persons?limit=37" + query + (after.empty() ? "" : "&after=" + after);
      httplib::Headers headers;
      if (!cookies[role_idx].empty()) headers.emplace("Cookie", cookies[role_idx]);
      httplib::Result res = client.Get(path.c_str(), headers);
      EXPECT_TRUE(res && res->status == 200) << path;
      if (!res || res->status != 200) break;
      const nlohmann::json body = nlohmann::json::parse(res->body);
      for (const nlohmann::json& row : body["persons"]) rows.push_back(row);
      if (body["next"].is_null()) break;
      after = body["next"].get<std::string>();
    }
    return rows;
  };
  auto expect_lists_as_stored = [&](const std::string& ethnicity) {
    int rows_seen = 0;
    for (size_t role_idx = 0; role_idx < roles.size(); ++role_idx) {
      const auth::Role role = roles[role_idx].first;
      const std::vector<std::pair<std::string, nlohmann::json>> want = stored_rows(role, ethnicity);
      const std::vector<nlohmann::json> got =
          listed_rows(role_idx, ethnicity.empty() ? "" : "&ethnicity=" + ethnicity);
      EXPECT_EQ(got.size(), want.size()) << auth::RoleName(role) << " " << ethnicity;
      for (size_t row_idx = 0; row_idx < std::min(got.size(), want.size()); ++row_idx) {
        EXPECT_EQ(got[row_idx], want[row_idx].second)
            << want[row_idx].first << " as " << auth::RoleName(role);
      }
      rows_seen += static_cast<int>(got.size());
    }
    return rows_seen;
  };

  // 300 persons, five roles, the demo's private and restricted ones hidden from some.
  const int all_rows = expect_lists_as_stored("");
  EXPECT_GT(all_rows, 900);
  EXPECT_LT(all_rows, 1500);
  EXPECT_GT(expect_lists_as_stored("kazakh"), 100);

  // Another writer on the same database changes what a list row shows: the server's follower
  // refreshes the row, and the list shows the stored person again.
  ASSERT_OK_AND_ASSIGN(registry::Person changed, store_->GetPerson(12));
  changed.names.insert(changed.names.begin(),
                       {.text = "Айгүл Сериккызы", .script = names::Script::kCyrillic});
  changed.ethnicity = "kazakh";
  changed.privacy = registry::Privacy::kPublic;
  changed.birth_date = PartialDate::Of(1971, 5);
  ASSERT_OK(registry_->UpdatePerson(changed, kActor).status());
  registry::Event detained;
  detained.person_id = 12;
  detained.type = registry::EventType::kDetained;
  detained.date = PartialDate::Of(2026, 10);
  ASSERT_OK(registry_->AddEvent(detained, kActor).status());
  bool seen = false;
  for (int attempt = 0; attempt < 500 && !seen; ++attempt) {
    httplib::Result res = client.Get("/api/persons?limit=1&after=P-000011");
    if (res && res->status == 200) {
      const nlohmann::json row = nlohmann::json::parse(res->body)["persons"][0];
      seen = row["name"] == "Айгүл Сериккызы" && row["status"] == "detained";
    }
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(seen) << "the follower did not apply the edit";
  EXPECT_GT(expect_lists_as_stored(""), 900);
  EXPECT_GT(expect_lists_as_stored("kazakh"), 100);

  server->Stop();
  runner.join();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogRowsTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, CatalogRowsTest, ::testing::Values(Backend::kPostgres));

}  // namespace
}  // namespace izde::http
