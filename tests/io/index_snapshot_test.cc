#include "io/index_snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "io/demo.h"
#include "registry/index_record.h"
#include "registry/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::io {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const registry::Actor kActor{"cli:test"};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A SQLite registry of demo persons, with its snapshot path beside it.
class IndexSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(dir_.File("izde.db"), 1); }

  void Open(const std::string& path, uint64_t seed) {
    registry_.reset();
    Result<std::unique_ptr<store::SqliteStore>> opened = store::SqliteStore::Open(path, true);
    ASSERT_OK(opened.status());
    store_ = std::move(opened).value();
    registry_ = std::make_unique<registry::Registry>(*store_, places());
    ASSERT_OK(PopulateDemo(*registry_, {.persons = 240, .seed = seed}, kActor).status());
    snapshot_ = DefaultIndexSnapshotPath(*store_);
  }

  const registry::Gazetteer& places() { return registry::Gazetteer::Xinjiang(); }

  IndexSnapshotOptions Options(std::string fingerprint = "engine-1") {
    return {.path = snapshot_, .fingerprint = std::move(fingerprint), .threads = 2};
  }

  // Loads a fresh index as a command would.
  std::unique_ptr<match::CandidateIndex> Load(const IndexSnapshotOptions& options,
                                              IndexLoadReport& report) {
    auto index = std::make_unique<match::CandidateIndex>(registry::MakeScorer(places()));
    Result<IndexLoadReport> loaded = LoadIndex(*store_, places(), *index, options);
    EXPECT_OK(loaded.status());
    if (loaded.ok()) report = *loaded;
    return index;
  }

  // An index built from the store with no snapshot at all: what every load must answer like.
  std::unique_ptr<match::CandidateIndex> Fresh() {
    IndexLoadReport report;
    IndexSnapshotOptions options = Options();
    options.path.clear();
    auto index = Load(options, report);
    EXPECT_FALSE(report.from_snapshot);
    EXPECT_FALSE(report.written);
    return index;
  }

  // Queries by every fifth person's names (each form alone) and birth year.
  std::vector<match::Query> Queries() {
    std::vector<match::Query> queries;
    int64_t seen = 0;
    EXPECT_OK(store_->ScanPersons(
        [&](const registry::Person& person, const std::vector<registry::Event>&) -> Status {
          if (seen++ % 5 != 0) return OkStatus();
          match::IndexRecord record = registry::IndexRecordOf(places(), person);
          for (const std::string& name : record.names) {
            match::Query query;
            query.names = {name};
            query.fields.birth = record.fields.birth;
            queries.push_back(query);
          }
          return OkStatus();
        }));
    return queries;
  }

  void ExpectSameAnswers(const match::CandidateIndex& expected,
                         const match::CandidateIndex& actual) {
    const std::vector<match::Query> queries = Queries();
    ASSERT_GT(queries.size(), 40u);
    EXPECT_EQ(expected.stats().records, actual.stats().records);
    EXPECT_EQ(expected.stats().postings, actual.stats().postings);
    for (const match::Query& query : queries) {
      Result<std::vector<match::Candidate>> want = expected.Find(query, 5);
      Result<std::vector<match::Candidate>> got = actual.Find(query, 5);
      ASSERT_EQ(want.ok(), got.ok());
      if (!want.ok()) continue;
      ASSERT_EQ(want->size(), got->size()) << query.names.front();
      for (size_t found_idx = 0; found_idx < want->size(); ++found_idx) {
        EXPECT_EQ((*want)[found_idx].id, (*got)[found_idx].id) << query.names.front();
        EXPECT_DOUBLE_EQ((*want)[found_idx].score.total, (*got)[found_idx].score.total);
      }
    }
  }

  std::vector<int64_t> FindIds(const match::CandidateIndex& index, const std::string& name) {
    match::Query query;
    query.names = {name};
    Result<std::vector<match::Candidate>> found = index.Find(query, 5);
    EXPECT_OK(found.status());
    std::vector<int64_t> ids;
    if (found.ok()) {
      for (const match::Candidate& candidate : *found) ids.push_back(candidate.id);
    }
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<registry::Registry> registry_;
  std::string snapshot_;
};

TEST_F(IndexSnapshotTest, BuildsAndWritesItThenReadsItBack) {
  EXPECT_EQ(snapshot_, dir_.File("izde.db") + ".index");
  IndexLoadReport first;
  auto built = Load(Options(), first);
  EXPECT_FALSE(first.from_snapshot);
  EXPECT_EQ(first.rebuilt_because, "no snapshot");
  EXPECT_TRUE(first.written) << first.write_error;
  EXPECT_EQ(first.indexed + first.skipped, 240);

  // Only its owner may read it, whatever the umask.
  struct stat info {};
  ASSERT_EQ(::stat(snapshot_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.path().string().find(".index") != std::string::npos) ++files;
  }
  EXPECT_EQ(files, 1);

  IndexLoadReport second;
  auto loaded = Load(Options(), second);
  EXPECT_TRUE(second.from_snapshot) << second.rebuilt_because;
  EXPECT_EQ(second.refreshed, 0);
  EXPECT_FALSE(second.written);
  EXPECT_EQ(second.indexed, first.indexed);
  EXPECT_EQ(second.skipped, first.skipped);
  ExpectSameAnswers(*Fresh(), *loaded);
  ExpectSameAnswers(*built, *loaded);
}

TEST_F(IndexSnapshotTest, ChangedAndNewPersonsAreReadAgain) {
  IndexLoadReport report;
  Load(Options(), report);
  ASSERT_TRUE(report.written);

  // A person renamed, one added, after the snapshot.
  ASSERT_OK_AND_ASSIGN(registry::Person renamed, store_->GetPerson(17));
  const std::string old_name = renamed.names.front().text;
  renamed.names = {
      {"Qydyrbai Zhetpisbaev", names::Script::kUnknown, registry::NamePart::kFull, "test"}};
  ASSERT_OK(registry_->UpdatePerson(renamed, kActor).status());
  registry::Person added = testing::SamplePerson();
  added.names = {
      {"Tursynbek Zhumagaliev", names::Script::kUnknown, registry::NamePart::kFull, "test"}};
  ASSERT_OK_AND_ASSIGN(registry::Person stored, registry_->AddPerson(added, kActor));

  IndexLoadReport after;
  auto loaded = Load(Options(), after);
  EXPECT_TRUE(after.from_snapshot) << after.rebuilt_because;
  EXPECT_EQ(after.refreshed, 2);
  EXPECT_TRUE(after.written);  // rewritten at the new position
  EXPECT_THAT(FindIds(*loaded, "Qydyrbai Zhetpisbaev"), ::testing::Contains(17));
  EXPECT_THAT(FindIds(*loaded, "Tursynbek Zhumagaliev"), ::testing::Contains(stored.id));
  auto fresh = Fresh();
  EXPECT_EQ(FindIds(*loaded, old_name), FindIds(*fresh, old_name));
  ExpectSameAnswers(*fresh, *loaded);

  IndexLoadReport again;
  Load(Options(), again);
  EXPECT_TRUE(again.from_snapshot);
  EXPECT_EQ(again.refreshed, 0);
}

TEST_F(IndexSnapshotTest, DeletedPersonsAreGoneFromTheIndexAndTheFile) {
  registry::Person person = testing::SamplePerson();
  person.names = {
      {"Zhetpisbaev Qydyrbaiuly", names::Script::kUnknown, registry::NamePart::kFull, "test"}};
  ASSERT_OK_AND_ASSIGN(registry::Person stored, registry_->AddPerson(person, kActor));
  IndexLoadReport report;
  auto with = Load(Options(), report);
  ASSERT_THAT(FindIds(*with, "Zhetpisbaev Qydyrbaiuly"), ::testing::Contains(stored.id));
  ASSERT_THAT(ReadAll(snapshot_), HasSubstr("Zhetpisbaev"));

  // Deleted: its creation reverted.
  ASSERT_OK_AND_ASSIGN(std::vector<registry::AuditEntry> history,
                       registry_->History(stored.public_id()));
  ASSERT_FALSE(history.empty());
  ASSERT_OK(registry_->Revert(history.front().id, kActor).status());

  IndexLoadReport after;
  auto loaded = Load(Options(), after);
  EXPECT_TRUE(after.from_snapshot) << after.rebuilt_because;
  EXPECT_EQ(after.refreshed, 1);
  EXPECT_THAT(FindIds(*loaded, "Zhetpisbaev Qydyrbaiuly"), Not(::testing::Contains(stored.id)));
  EXPECT_FALSE(loaded->RecordOf(stored.id).has_value());
  // The rewritten file holds neither the name nor the keys written from it.
  const std::string bytes = ReadAll(snapshot_);
  EXPECT_THAT(bytes, Not(HasSubstr("Zhetpisbaev")));
  EXPECT_THAT(bytes, Not(HasSubstr("zhetpisbaev")));
  ExpectSameAnswers(*Fresh(), *loaded);
}

TEST_F(IndexSnapshotTest, DamagedTruncatedOrForeignFilesAreRebuilt) {
  IndexLoadReport report;
  Load(Options(), report);
  const std::string good = ReadAll(snapshot_);
  ASSERT_GT(good.size(), 1000u);
  auto fresh = Fresh();

  struct Case {
    std::string name;
    std::string bytes;
    std::string fingerprint;
    std::string reason;
  };
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x20);
  const std::vector<Case> cases = {
      {"truncated", good.substr(0, good.size() / 2), "engine-1", "checksum"},
      {"one byte changed", flipped, "engine-1", "checksum"},
      {"last byte gone", good.substr(0, good.size() - 1), "engine-1", "checksum"},
      {"empty", "", "engine-1", "not an izde index snapshot"},
      {"not a snapshot", std::string(5000, 'x'), "engine-1", "not an izde index snapshot"},
      {"another engine", good, "engine-2", "another build"},
  };
  for (const Case& each : cases) {
    SCOPED_TRACE(each.name);
    WriteAll(snapshot_, each.bytes);
    IndexLoadReport rebuilt;
    auto index = Load(Options(each.fingerprint), rebuilt);
    EXPECT_FALSE(rebuilt.from_snapshot);
    EXPECT_THAT(rebuilt.rebuilt_because, HasSubstr(each.reason));
    EXPECT_TRUE(rebuilt.written);
    ExpectSameAnswers(*fresh, *index);
    // Rewritten, it serves the next start.
    IndexLoadReport next;
    Load(Options(each.fingerprint), next);
    EXPECT_TRUE(next.from_snapshot) << next.rebuilt_because;
  }
}

TEST_F(IndexSnapshotTest, AnotherDatabasesSnapshotIsNotUsed) {
  IndexLoadReport report;
  Load(Options(), report);
  const std::string first = ReadAll(snapshot_);

  // Another database of as many persons, made the same way, with its own snapshot there.
  Open(dir_.File("other.db"), 2);
  WriteAll(snapshot_, first);
  IndexLoadReport other;
  auto index = Load(Options(), other);
  EXPECT_FALSE(other.from_snapshot);
  EXPECT_THAT(other.rebuilt_because, HasSubstr("another database"));
  ExpectSameAnswers(*Fresh(), *index);
}

TEST_F(IndexSnapshotTest, WithoutAPathNothingIsWritten) {
  IndexSnapshotOptions options = Options();
  options.path.clear();
  IndexLoadReport report;
  Load(options, report);
  EXPECT_FALSE(report.written);
  EXPECT_FALSE(std::filesystem::exists(snapshot_));
}

TEST_F(IndexSnapshotTest, AnUnwritablePlaceIsReportedNotFatal) {
  IndexSnapshotOptions options = Options();
  options.path = dir_.File("no-such-dir/izde.db.index");
  IndexLoadReport report;
  auto index = Load(options, report);
  EXPECT_FALSE(report.written);
  EXPECT_THAT(report.write_error, HasSubstr("no-such-dir"));
  EXPECT_EQ(index->stats().records, static_cast<size_t>(report.indexed));
}

TEST(EngineFingerprintTest, IsTheSameWithinAProcessAndNamesIcu) {
  EXPECT_FALSE(EngineFingerprint().empty());
  EXPECT_EQ(&EngineFingerprint(), &EngineFingerprint());
  EXPECT_THAT(EngineFingerprint(), HasSubstr(" icu "));
}

}  // namespace
}  // namespace izde::io
