// End-to-end import and export on real SQLite files in a temporary directory.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "io/csv.h"
#include "io/export.h"
#include "io/import.h"
#include "io/jsonl.h"
#include "registry/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::io {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::izde::testing::StatusIs;

// One division, so that hometown resolution and code checks are exercised without the
// real reference data.
class TestGazetteer : public registry::Gazetteer {
 public:
  TestGazetteer() {
    yining_.code = "654002";
    yining_.level = registry::DivisionLevel::kCounty;
    yining_.name_zh = "伊宁市";
    yining_.name_latin = "Yining";
    yining_.aliases = {"Ghulja", "Кульджа"};
  }
  const registry::Division* Find(std::string_view code) const override {
    return code == yining_.code ? &yining_ : nullptr;
  }
  const registry::Division* Resolve(std::string_view text) const override {
    if (text == "Yining" || text == "Ghulja" || text == "伊宁" || text == "Кульджа") {
      return &yining_;
    }
    return nullptr;
  }
  const registry::Division* PrefectureOf(std::string_view) const override { return nullptr; }
  size_t size() const override { return 1; }

 private:
  registry::Division yining_;
};

fs::path TestData(std::string_view name) {
  return izde::testing::SourceDir() / "tests/io/testdata" / name;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A registry on a fresh SQLite file.
struct Db {
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<registry::Registry> registry;
};

class ImportExportTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.empty()); }

  Db OpenDb(const std::string& name) {
    Db db;
    auto store = store::SqliteStore::Open((dir_ / name).string(), /*create=*/true);
    EXPECT_OK(store);
    if (!store.ok()) return db;
    db.store = *std::move(store);
    db.registry = std::make_unique<registry::Registry>(*db.store, places_);
    return db;
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
  }

  Result<ImportReport> ImportFile(Db& db, RecordKind kind, const fs::path& path,
                                  ImportOptions options = {}) {
    options.kind = kind;
    options.path = path.string();
    return Import(*db.registry, options, registry::Actor{"test"});
  }

  // Imports the rich fixture: persons, testimonies, events.
  void Populate(Db& db) {
    for (auto [kind, file] : {std::pair{RecordKind::kPersons, "persons.csv"},
                              std::pair{RecordKind::kTestimonies, "testimonies.csv"},
                              std::pair{RecordKind::kEvents, "events.csv"}}) {
      auto report = ImportFile(db, kind, TestData(file));
      ASSERT_OK(report);
      ASSERT_TRUE(report->clean()) << file << ": " << report->problems[0];
    }
  }

  std::string ExportText(Db& db, RecordKind kind, Format format,
                         std::optional<RecordFilter> filter = std::nullopt) {
    std::ostringstream out;
    auto report = Export(*db.store, {.kind = kind, .format = format, .filter = filter}, out);
    EXPECT_OK(report);
    return out.str();
  }

  registry::StoreCounts Counts(Db& db) {
    auto counts = db.store->Counts();
    EXPECT_OK(counts);
    return counts.ok() ? *counts : registry::StoreCounts{};
  }

  // Imports `text` as a file named `name` and returns the report, which must exist.
  ImportReport ImportText(Db& db, RecordKind kind, const std::string& name, const std::string& text,
                          ImportOptions options = {}) {
    auto report = ImportFile(db, kind, Write(name, text), std::move(options));
    EXPECT_OK(report);
    return report.ok() ? *report : ImportReport{};
  }

  std::string PathOf(const std::string& name) { return (dir_ / name).string(); }

  TestGazetteer places_;
  izde::testing::TempDir temp_;
  const fs::path dir_ = temp_.path();
};

TEST_F(ImportExportTest, ImportsTheRichFixture) {
  Db db = OpenDb("a.db");
  Populate(db);
  registry::StoreCounts counts = Counts(db);
  EXPECT_EQ(counts.persons, 4);
  EXPECT_EQ(counts.testimonies, 3);
  EXPECT_EQ(counts.events, 3 + 5);  // three `status` columns, five rows of events.csv

  ASSERT_OK_AND_ASSIGN(registry::PersonRecord first, db.registry->GetPersonRecord(1));
  EXPECT_EQ(first.person.external_id, "atj-001");
  ASSERT_THAT(first.person.names, SizeIs(3));
  EXPECT_EQ(first.person.names[2].text, "باقىت نۇرلانۇلى");
  EXPECT_EQ(first.person.names[2].script, names::Script::kArabic);
  EXPECT_EQ(first.person.hometown_code, "654002");  // resolved from "Ghulja"
  EXPECT_EQ(first.person.ethnicity, "kazakh");
  EXPECT_EQ(first.person.birth_date, PartialDate::Of(1974, 10, 12));
  EXPECT_EQ(first.status, "released");
  ASSERT_THAT(first.events, SizeIs(3));
  EXPECT_EQ(first.events[0].source, "import");  // from the status column
  EXPECT_EQ(first.events[1].source_testimony_id, 1);

  ASSERT_OK_AND_ASSIGN(registry::Person second, db.store->GetPerson(2));
  EXPECT_EQ(second.notes, "Sentenced, says his sister.\nSecond line of the notes.");
  ASSERT_OK_AND_ASSIGN(registry::Testimony brother, db.store->GetTestimony(2));
  ASSERT_THAT(brother.mentions, SizeIs(2));
  EXPECT_EQ(brother.mentions[1].person_id, 3);
  EXPECT_EQ(brother.mentions[1].relation, "cousin");
}

TEST_F(ImportExportTest, ByteOrderMarkCrLfAndEmbeddedNewline) {
  Db db = OpenDb("a.db");
  auto report = ImportFile(db, RecordKind::kPersons, TestData("persons_bom_crlf.csv"));
  ASSERT_OK(report);
  ASSERT_TRUE(report->clean()) << report->problems[0];
  EXPECT_EQ(report->imported, 2);
  ASSERT_OK_AND_ASSIGN(registry::Person first, db.store->GetPerson(1));
  EXPECT_EQ(first.external_id, "b-1");  // the BOM is not part of the first column's name
  EXPECT_EQ(first.notes, "first line\r\nsecond, line");
  ASSERT_OK_AND_ASSIGN(registry::Person second, db.store->GetPerson(2));
  EXPECT_EQ(second.birth_date, PartialDate::Of(1991, 2, 3));
}

// Round trip: import the fixture, export, import the export into a fresh file, export again.
TEST_F(ImportExportTest, ExportReimportsLosslesslyCsvAndJsonl) {
  Db original = OpenDb("original.db");
  Populate(original);
  for (Format format : {Format::kCsv, Format::kJsonl}) {
    SCOPED_TRACE(FormatName(format));
    const std::string ext = format == Format::kCsv ? ".csv" : ".jsonl";
    Db copy = OpenDb(std::string("copy") + ext + ".db");
    std::vector<std::string> first;
    for (RecordKind kind : {RecordKind::kPersons, RecordKind::kTestimonies, RecordKind::kEvents}) {
      first.push_back(ExportText(original, kind, format));
      const std::string name = std::string(RecordKindName(kind)) + "-export" + ext;
      ImportReport report = ImportText(copy, kind, name, first.back());
      ASSERT_TRUE(report.clean()) << report.problems[0];
    }
    std::vector<std::string> second;
    for (RecordKind kind : {RecordKind::kPersons, RecordKind::kTestimonies, RecordKind::kEvents}) {
      second.push_back(ExportText(copy, kind, format));
    }
    EXPECT_EQ(first, second);
    // The same records, not only the same text: compare what the store holds.
    for (int64_t id = 1; id <= 4; ++id) {
      ASSERT_OK_AND_ASSIGN(registry::Person a, original.store->GetPerson(id));
      ASSERT_OK_AND_ASSIGN(registry::Person b, copy.store->GetPerson(id));
      a.created_at = b.created_at;
      a.updated_at = b.updated_at;
      EXPECT_EQ(a, b) << id;
    }
    EXPECT_EQ(Counts(original).events, Counts(copy).events);
  }
  // CSV is what people open in spreadsheets: the status column is left empty, so that a
  // re-import adds no event; current_status says it for readers.
  const std::string persons = ExportText(original, RecordKind::kPersons, Format::kCsv);
  EXPECT_THAT(persons, HasSubstr("id,external_id,name,alt_names,gender,birth_date"));
  EXPECT_THAT(persons, HasSubstr(",released,"));
}

// Reads an export back into rows of column -> value, whatever its format.
std::vector<std::map<std::string, std::string>> ParseExport(const std::string& text,
                                                            Format format) {
  std::vector<std::map<std::string, std::string>> rows;
  std::istringstream in(text);
  if (format == Format::kCsv) {
    CsvReader reader(in);
    EXPECT_TRUE(*reader.Next());
    std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
    for (;;) {
      Result<bool> more = reader.Next();
      EXPECT_OK(more);
      if (!more.ok() || !*more) break;
      std::map<std::string, std::string> row;
      for (size_t idx = 0; idx < header.size(); ++idx) row[header[idx]] = reader.fields()[idx];
      rows.push_back(row);
    }
  } else {
    JsonlReader reader(in);
    for (;;) {
      Result<bool> more = reader.Next();
      EXPECT_OK(more);
      if (!more.ok() || !*more) break;
      std::map<std::string, std::string> row;
      for (const auto& [key, value] : reader.object().items()) {
        row[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
      rows.push_back(row);
    }
  }
  return rows;
}

// The public export's rules live in auth (tests/auth/redaction_test.cc); io only applies the
// filter it is given, to every record of every kind.
TEST_F(ImportExportTest, FilterDecidesWhatIsWrittenAndHowItIsShown) {
  Db db = OpenDb("a.db");
  Populate(db);
  RecordFilter filter;
  filter.person = [](const registry::Person& person) -> Result<std::optional<registry::Person>> {
    if (person.id % 2 == 0) return std::optional<registry::Person>();
    registry::Person shown = person;
    shown.notes = "FILTERED";
    return std::optional<registry::Person>(shown);
  };
  filter.testimony =
      [](const registry::Testimony& testimony) -> Result<std::optional<registry::Testimony>> {
    registry::Testimony shown = testimony;
    shown.testifier_contact.clear();
    return std::optional<registry::Testimony>(shown);
  };
  filter.event = [](const registry::Event&) -> Result<std::optional<registry::Event>> {
    return std::optional<registry::Event>();
  };
  const registry::StoreCounts counts = Counts(db);
  for (Format format : {Format::kCsv, Format::kJsonl}) {
    SCOPED_TRACE(FormatName(format));
    auto persons = ParseExport(ExportText(db, RecordKind::kPersons, format, filter), format);
    ASSERT_THAT(persons, SizeIs((counts.persons + 1) / 2));
    for (const auto& row : persons) {
      EXPECT_EQ(row.at("notes"), "FILTERED");
      ASSERT_OK_AND_ASSIGN(int64_t id, ParseId(IdKind::kPerson, row.at("id")));
      EXPECT_EQ(id % 2, 1);
    }
    auto testimonies =
        ParseExport(ExportText(db, RecordKind::kTestimonies, format, filter), format);
    ASSERT_THAT(testimonies, SizeIs(counts.testimonies));
    for (const auto& row : testimonies) EXPECT_EQ(row.at("testifier_contact"), "");
    EXPECT_THAT(ParseExport(ExportText(db, RecordKind::kEvents, format, filter), format),
                IsEmpty());
  }
  std::ostringstream out;
  ASSERT_OK_AND_ASSIGN(ExportReport report,
                       Export(*db.store, {.kind = RecordKind::kPersons, .filter = filter}, out));
  EXPECT_EQ(report.records + report.withheld, counts.persons);
  EXPECT_EQ(report.withheld, counts.persons / 2);
}

TEST_F(ImportExportTest, FilterErrorStopsTheExport) {
  Db db = OpenDb("a.db");
  Populate(db);
  RecordFilter filter;
  filter.person = [](const registry::Person&) -> Result<std::optional<registry::Person>> {
    return UnavailableError("lookup failed");
  };
  std::ostringstream out;
  EXPECT_THAT(Export(*db.store, {.kind = RecordKind::kPersons, .filter = filter}, out),
              StatusIs(StatusCode::kUnavailable));
}

TEST_F(ImportExportTest, ResolvesHometownsWithTheRealGazetteer) {
  auto store = store::SqliteStore::Open(PathOf("real.db"), /*create=*/true);
  ASSERT_OK(store);
  registry::Registry registry(**store, registry::Gazetteer::Xinjiang());
  ImportOptions options;
  options.path = Write("p.csv", "name,hometown\nAlma,Ghulja\nBota,伊宁\nAsel,Somewhere else\n");
  ASSERT_OK_AND_ASSIGN(ImportReport report, Import(registry, options, {"test"}));
  ASSERT_TRUE(report.clean()) << report.problems[0];
  ASSERT_OK_AND_ASSIGN(registry::Person alma, (*store)->GetPerson(1));
  ASSERT_OK_AND_ASSIGN(registry::Person bota, (*store)->GetPerson(2));
  ASSERT_OK_AND_ASSIGN(registry::Person asel, (*store)->GetPerson(3));
  EXPECT_FALSE(alma.hometown_code.empty());
  EXPECT_EQ(alma.hometown_code, bota.hometown_code);
  EXPECT_EQ(asel.hometown_code, "");  // stays free text
  EXPECT_EQ(asel.hometown_text, "Somewhere else");
}

// --- Every import error path. -----------------------------------------------------------

TEST_F(ImportExportTest, MonthThirteen) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "external_id,name,birth_date\nx-1,Alma,1974-13\n");
  EXPECT_THAT(report.problems,
              ElementsAre(PathOf("p.csv") + ":2: field 'birth_date': month 13 out of range"));
  EXPECT_EQ(report.imported, 0);
  EXPECT_EQ(Counts(db).persons, 0);
}

TEST_F(ImportExportTest, BadDateAndUnknownGenderOnOneLineAreTwoProblems) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "name,gender,birth_date\nAlma,Alma,sometime\nBota,f,1990\n");
  ASSERT_THAT(report.problems, SizeIs(2));
  EXPECT_THAT(report.problems[0], HasSubstr("p.csv:2: field 'gender': 'Alma' is not one of"));
  EXPECT_THAT(report.problems[1], HasSubstr("p.csv:2: field 'birth_date': "));
  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(Counts(db).persons, 0);  // the good row is not written either
}

TEST_F(ImportExportTest, UnknownColumnAndMissingName) {
  Db db = OpenDb("a.db");
  ImportReport report =
      ImportText(db, RecordKind::kPersons, "p.csv", "external_id,birht_date\nx,1974\n");
  ASSERT_THAT(report.problems, SizeIs(2));
  EXPECT_THAT(report.problems[0], HasSubstr("p.csv:1: field 'birht_date': unknown column"));
  EXPECT_EQ(report.problems[1], PathOf("p.csv") + ":1: field 'name': required column missing");
  EXPECT_EQ(report.records, 0);  // a bad header stops before any record
  EXPECT_TRUE(report.refused);
  ImportOptions skip;
  skip.skip_bad = true;
  ImportReport skipping = ImportText(db, RecordKind::kPersons, "q.csv", "name,nmae\nA,B\n", skip);
  EXPECT_TRUE(skipping.refused);  // skip_bad cannot skip a bad header
  EXPECT_EQ(Counts(db).persons, 0);
}

TEST_F(ImportExportTest, EmptyNameOnARecord) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv", "name,gender\n,m\n");
  EXPECT_THAT(report.problems, ElementsAre(PathOf("p.csv") + ":2: field 'name': required"));
}

TEST_F(ImportExportTest, UnterminatedQuote) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "name,notes\nAlma,fine\nBota,\"never closed\nAsel,x\n");
  ASSERT_THAT(report.problems, SizeIs(1));
  EXPECT_THAT(report.problems[0], HasSubstr("p.csv:3: unterminated quoted field"));
  EXPECT_EQ(Counts(db).persons, 0);
}

TEST_F(ImportExportTest, InvalidUtf8) {
  Db db = OpenDb("a.db");
  ImportReport report =
      ImportText(db, RecordKind::kPersons, "p.csv", "name,notes\nAlma,ok\nB\xC3\x28ta,x\n");
  ASSERT_THAT(report.problems, SizeIs(1));
  EXPECT_THAT(report.problems[0], HasSubstr("p.csv:3: invalid UTF-8 in field 1"));
  ImportReport jsonl = ImportText(db, RecordKind::kPersons, "p.jsonl",
                                  "{\"name\":\"Alma\"}\n{\"name\":\"B\xFFta\"}\n");
  ASSERT_THAT(jsonl.problems, SizeIs(1));
  EXPECT_THAT(jsonl.problems[0], HasSubstr("p.jsonl:2: invalid UTF-8"));
  EXPECT_EQ(Counts(db).persons, 0);
}

TEST_F(ImportExportTest, WrongNumberOfFields) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv", "name,notes\nAlma\n");
  EXPECT_THAT(report.problems,
              ElementsAre(PathOf("p.csv") + ":2: expected 2 fields as in the header, found 1"));
}

TEST_F(ImportExportTest, DuplicateExternalIdInTheFileAndInTheStore) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "external_id,name\nx-1,Alma\nx-2,Bota\nx-1,Asel\n");
  EXPECT_THAT(report.problems,
              ElementsAre(PathOf("p.csv") + ":4: field 'external_id': 'x-1' is also on line 2"));
  EXPECT_EQ(Counts(db).persons, 0);

  ImportReport first = ImportText(db, RecordKind::kPersons, "q.csv", "external_id,name\nx-1,A\n");
  ASSERT_TRUE(first.clean());
  ImportReport again = ImportText(db, RecordKind::kPersons, "r.csv", "external_id,name\nx-1,B\n");
  EXPECT_THAT(again.problems,
              ElementsAre(PathOf("r.csv") +
                          ":2: field 'external_id': 'x-1' already exists in the registry as "
                          "P-000001"));
  ImportReport same_id = ImportText(db, RecordKind::kPersons, "s.csv", "id,name\nP-000001,C\n");
  EXPECT_THAT(same_id.problems, ElementsAre(HasSubstr("field 'id': P-000001 already exists")));
  EXPECT_EQ(Counts(db).persons, 1);
}

TEST_F(ImportExportTest, UnknownPersonInEventsAndTestimonies) {
  Db db = OpenDb("a.db");
  Populate(db);
  const registry::StoreCounts before = Counts(db);
  ImportReport events = ImportText(db, RecordKind::kEvents, "e.csv",
                                   "person,type,date\natj-001,released,2020\nnobody-9,camp,2018\n"
                                   "P-000099,camp,2018\natj-002,vanished,\n");
  EXPECT_THAT(
      events.problems,
      ElementsAre(
          PathOf("e.csv") + ":3: field 'person': no person with id or external id 'nobody-9'",
          PathOf("e.csv") + ":4: field 'person': no person with id or external id 'P-000099'",
          HasSubstr("e.csv:5: field 'type': 'vanished' is not one of")));
  ImportReport testimonies = ImportText(db, RecordKind::kTestimonies, "t.csv",
                                        "summary,persons\nx,atj-001:son | ghost:wife\n");
  EXPECT_THAT(testimonies.problems,
              ElementsAre(PathOf("t.csv") +
                          ":2: field 'persons': no person with id or external id 'ghost'"));
  ImportReport bad_testimony =
      ImportText(db, RecordKind::kEvents, "e2.csv", "person,type,testimony\natj-001,camp,t-99\n");
  EXPECT_THAT(bad_testimony.problems,
              ElementsAre(HasSubstr("field 'testimony': no testimony with id or external id")));
  const registry::StoreCounts after = Counts(db);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.testimonies, before.testimonies);
}

TEST_F(ImportExportTest, NormalizeErrorsNameTheColumn) {
  Db db = OpenDb("a.db");
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "name,ethnicity,hometown_code\nAlma,martian,\nBota,,999999\n");
  ASSERT_THAT(report.problems, SizeIs(2));
  EXPECT_THAT(report.problems[0], HasSubstr("p.csv:2: field 'ethnicity': 'martian'"));
  EXPECT_THAT(report.problems[1], HasSubstr("p.csv:3: field 'hometown_code': '999999'"));
}

TEST_F(ImportExportTest, JsonlErrors) {
  Db db = OpenDb("a.db");
  ImportReport report =
      ImportText(db, RecordKind::kPersons, "p.jsonl",
                 "{\"name\":\"Alma\"}\n{\"name\":\n[1]\n{\"nmae\":\"B\"}\n{\"name\":\"C\","
                 "\"birth_date\":\"1974-13\"}\n");
  ASSERT_THAT(report.problems, SizeIs(4));
  EXPECT_THAT(report.problems[0], HasSubstr("p.jsonl:2: invalid JSON"));
  EXPECT_THAT(report.problems[1], HasSubstr("p.jsonl:3: expected a JSON object"));
  EXPECT_THAT(report.problems[2], HasSubstr("p.jsonl:4: field 'nmae': unknown field"));
  EXPECT_EQ(report.problems[3],
            PathOf("p.jsonl") + ":5: field 'birth_date': month 13 out of range");
  EXPECT_EQ(Counts(db).persons, 0);
}

TEST_F(ImportExportTest, AllOrNothingLeavesCountsUnchanged) {
  Db db = OpenDb("a.db");
  Populate(db);
  const registry::StoreCounts before = Counts(db);
  std::string text = "external_id,name,status\n";
  for (int row = 0; row < 500; ++row) text += "n-" + std::to_string(row) + ",Name,detained\n";
  text += "n-last,Last,1974-13\n";  // a bad status on the very last line
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv", text);
  EXPECT_FALSE(report.clean());
  EXPECT_TRUE(report.refused);
  EXPECT_EQ(report.imported, 0);
  const registry::StoreCounts after = Counts(db);
  EXPECT_EQ(after.persons, before.persons);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.names, before.names);
  EXPECT_EQ(after.audit_entries, before.audit_entries);
}

TEST_F(ImportExportTest, ProblemListIsCapped) {
  Db db = OpenDb("a.db");
  std::string text = "name,birth_date\n";
  for (int row = 0; row < 30; ++row) text += "A,1974-13\n";
  ImportOptions options;
  options.max_problems = 10;
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv", text, options);
  EXPECT_THAT(report.problems, SizeIs(10));
  EXPECT_EQ(report.problems_omitted, 20);
  EXPECT_EQ(report.rejected, 30);
}

TEST_F(ImportExportTest, SkipBadImportsTheGoodRowsAndWritesRejects) {
  Db db = OpenDb("a.db");
  ImportOptions options;
  options.skip_bad = true;
  ImportReport report = ImportText(
      db, RecordKind::kPersons, "p.csv",
      "external_id,name,birth_date\nx-1,Alma,1974\nx-2,\"Bota, B\",1974-13\nx-3,Asel,\nx-1,Dup,\n",
      options);
  EXPECT_EQ(report.imported, 2);
  EXPECT_EQ(report.rejected, 2);
  EXPECT_FALSE(report.refused);
  EXPECT_THAT(report.problems, SizeIs(2));
  EXPECT_EQ(report.rejects_path, PathOf("p.rejects.csv"));
  EXPECT_EQ(ReadFile(report.rejects_path),
            "external_id,name,birth_date,reason\n"
            "x-2,\"Bota, B\",1974-13,line 3: field 'birth_date': month 13 out of range\n"
            "x-1,Dup,,line 5: field 'external_id': 'x-1' is also on line 2\n");
  EXPECT_EQ(Counts(db).persons, 2);

  // Fixed, the rejects file imports as it is: its reason column is ignored.
  std::string fixed = ReadFile(report.rejects_path);
  fixed.replace(fixed.find("1974-13"), 7, "1974-12");
  fixed.replace(fixed.find("x-1,Dup"), 7, "x-4,Dup");
  ImportReport again = ImportText(db, RecordKind::kPersons, "fixed.csv", fixed);
  EXPECT_TRUE(again.clean()) << again.problems[0];
  EXPECT_EQ(Counts(db).persons, 4);
}

TEST_F(ImportExportTest, SkipBadKeepsEveryFieldOfAMisshapenRecord) {
  Db db = OpenDb("a.db");
  ImportOptions options;
  options.skip_bad = true;
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "name,notes\nAlma,a,surplus\nBota\nAsel,ok\n", options);
  EXPECT_EQ(report.imported, 1);
  EXPECT_EQ(ReadFile(report.rejects_path),
            "name,notes,reason\n"
            "Alma,a,surplus,\"line 2: expected 2 fields as in the header, found 3\"\n"
            "Bota,,\"line 3: expected 2 fields as in the header, found 1\"\n");
}

TEST_F(ImportExportTest, SkipBadJsonlRejects) {
  Db db = OpenDb("a.db");
  ImportOptions options;
  options.skip_bad = true;
  options.rejects_path = PathOf("bad.jsonl");
  ImportReport report =
      ImportText(db, RecordKind::kPersons, "p.jsonl",
                 "{\"name\":\"A\"}\nnot json\n{\"name\":\"B\",\"gender\":\"x\"}\n", options);
  EXPECT_EQ(report.imported, 1);
  std::istringstream rejects(ReadFile(options.rejects_path));
  JsonlReader reader(rejects);
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.object()["text"], "not json");
  EXPECT_THAT(reader.object()["reason"].get<std::string>(), HasSubstr("line 2: invalid JSON"));
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.object()["name"], "B");
  EXPECT_THAT(reader.object()["reason"].get<std::string>(), HasSubstr("field 'gender'"));
}

TEST_F(ImportExportTest, DryRunWritesNothing) {
  Db db = OpenDb("a.db");
  ImportOptions options;
  options.dry_run = true;
  options.skip_bad = true;
  ImportReport report = ImportText(db, RecordKind::kPersons, "p.csv",
                                   "name,status\nAlma,detained\nBota,vanished\n", options);
  EXPECT_TRUE(report.dry_run);
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.valid(), 1);
  EXPECT_EQ(report.imported, 0);
  EXPECT_THAT(report.problems, SizeIs(1));
  EXPECT_EQ(report.rejects_path, "");
  EXPECT_FALSE(fs::exists(PathOf("p.rejects.csv")));
  const registry::StoreCounts counts = Counts(db);
  EXPECT_EQ(counts.persons, 0);
  EXPECT_EQ(counts.events, 0);
  EXPECT_EQ(counts.audit_entries, 0);
}

TEST_F(ImportExportTest, ProgressAndUnreadableFiles) {
  Db db = OpenDb("a.db");
  std::vector<ImportPhase> phases;
  ImportOptions options;
  options.progress = [&](ImportPhase phase, int64_t, int64_t) { phases.push_back(phase); };
  ImportReport report =
      ImportText(db, RecordKind::kPersons, "p.csv", "name\nAlma\nBota\n", options);
  EXPECT_EQ(report.imported, 2);
  EXPECT_THAT(phases, ::testing::Contains(ImportPhase::kWriting));

  EXPECT_THAT(ImportFile(db, RecordKind::kPersons, dir_ / "missing.csv"),
              testing::StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(ImportFile(db, RecordKind::kPersons, Write("p.txt", "name\nA\n")),
              testing::StatusIs(StatusCode::kInvalidArgument, HasSubstr("--format")));
  ImportOptions csv;
  csv.format = Format::kCsv;
  EXPECT_TRUE(ImportFile(db, RecordKind::kPersons, Write("q.txt", "name\nA\n"), csv)->clean());
  std::istringstream piped("{\"name\":\"Piped\"}\n");
  ImportOptions stream_options;
  stream_options.kind = RecordKind::kPersons;
  stream_options.path = "-";
  EXPECT_THAT(ImportStream(*db.registry, piped, stream_options, {"test"}),
              testing::StatusIs(StatusCode::kInvalidArgument));
  stream_options.format = Format::kJsonl;
  ASSERT_OK_AND_ASSIGN(ImportReport from_stream,
                       ImportStream(*db.registry, piped, stream_options, {"test"}));
  EXPECT_EQ(from_stream.imported, 1);
  ImportReport empty = ImportText(db, RecordKind::kPersons, "empty.csv", "");
  EXPECT_THAT(empty.problems, ElementsAre(HasSubstr("empty.csv:1: empty file")));
}

TEST(DefaultRejectsPathTest, PutsRejectsBeforeTheExtension) {
  EXPECT_EQ(DefaultRejectsPath("dir/persons.csv"), "dir/persons.rejects.csv");
  EXPECT_EQ(DefaultRejectsPath("persons"), "persons.rejects");
  EXPECT_EQ(DefaultRejectsPath("a.b/persons"), "a.b/persons.rejects");
}

}  // namespace
}  // namespace izde::io
