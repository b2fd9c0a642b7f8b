#include "io/records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testing/status_matchers.h"

namespace izde::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A row of `kind` from "column=value" pairs.
Row MakeRow(RecordKind kind, std::vector<std::pair<std::string, std::string>> values) {
  std::vector<std::string> names;
  std::vector<std::string> fields;
  for (auto& [name, value] : values) {
    names.push_back(name);
    fields.push_back(value);
  }
  Header header = Header::Make(kind, names);
  EXPECT_THAT(header.problems(), IsEmpty());
  Row row;
  EXPECT_OK(header.Fill(fields, row));
  return row;
}

TEST(HeaderTest, UnknownRepeatedAndMissingColumns) {
  std::vector<std::string> names = {"external_id", "birht_date", "Gender", "gender"};
  Header header = Header::Make(RecordKind::kPersons, names);
  ASSERT_THAT(header.problems(), SizeIs(3));
  EXPECT_EQ(header.problems()[0].field(), "birht_date");
  EXPECT_THAT(header.problems()[0].message(), HasSubstr("unknown column"));
  EXPECT_EQ(header.problems()[1].field(), "gender");
  EXPECT_THAT(header.problems()[1].message(), HasSubstr("twice"));
  EXPECT_EQ(header.problems()[2].field(), "name");
  EXPECT_EQ(header.problems()[2].message(), "required column missing");
}

TEST(HeaderTest, AcceptsReasonAndCurrentStatusAndChecksFieldCount) {
  std::vector<std::string> names = {" Name ", "current_status", "reason"};
  Header header = Header::Make(RecordKind::kPersons, names);
  EXPECT_THAT(header.problems(), IsEmpty());
  Row row;
  std::vector<std::string> short_record = {"a", "b"};
  EXPECT_THAT(header.Fill(short_record, row),
              testing::StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected 3 fields")));
}

TEST(PersonFromRowTest, MapsTheDocumentedColumns) {
  Row row = MakeRow(RecordKind::kPersons, {{"id", "P-000042"},
                                           {"external_id", "atajurt-17"},
                                           {"name", " Серікжан Біләш "},
                                           {"alt_names", "Serikzhan Bilash | سەرىكجان بىلاش"},
                                           {"gender", "m"},
                                           {"birth_date", "04.1974"},
                                           {"ethnicity", "Kazakh"},
                                           {"hometown", "Ghulja"},
                                           {"status", "detained"},
                                           {"privacy", "public"},
                                           {"grade", "reported"},
                                           {"notes", "line one\nline two"}});
  auto mapped = PersonFromRow(row);
  ASSERT_TRUE(mapped.ok()) << mapped.problems[0];
  const registry::Person& person = mapped.value.person;
  EXPECT_EQ(person.id, 42);
  EXPECT_EQ(person.external_id, "atajurt-17");
  ASSERT_THAT(person.names, SizeIs(3));
  EXPECT_EQ(person.names[0].text, "Серікжан Біләш");
  EXPECT_EQ(person.names[2].text, "سەرىكجان بىلاش");
  EXPECT_EQ(person.names[1].source, "import");
  EXPECT_EQ(person.gender, registry::Gender::kMale);
  EXPECT_EQ(person.birth_date, PartialDate::Of(1974, 4));
  EXPECT_EQ(person.hometown_text, "Ghulja");
  EXPECT_EQ(person.privacy, registry::Privacy::kPublic);
  EXPECT_EQ(person.grade, registry::Grade::kReported);
  EXPECT_EQ(person.notes, "line one\nline two");
  ASSERT_THAT(mapped.value.events, SizeIs(1));
  EXPECT_EQ(mapped.value.events[0].type, registry::EventType::kDetained);
  EXPECT_EQ(mapped.value.events[0].source, "import");
  EXPECT_TRUE(mapped.value.events[0].date.unknown());
}

TEST(PersonFromRowTest, ReportsEveryBadFieldWithItsColumn) {
  Row row = MakeRow(RecordKind::kPersons, {{"name", "A"},
                                           {"gender", "x"},
                                           {"birth_date", "1974-13"},
                                           {"privacy", "secret"},
                                           {"status", "vanished"}});
  auto mapped = PersonFromRow(row);
  ASSERT_THAT(mapped.problems, SizeIs(4));
  EXPECT_EQ(mapped.problems[0].field(), "gender");
  EXPECT_EQ(mapped.problems[1].field(), "birth_date");
  EXPECT_EQ(mapped.problems[1].message(), "month 13 out of range");
  EXPECT_EQ(mapped.problems[2].field(), "privacy");
  EXPECT_EQ(mapped.problems[3].field(), "status");
}

TEST(PersonFromRowTest, MissingNameIsAProblem) {
  auto mapped = PersonFromRow(MakeRow(RecordKind::kPersons, {{"name", "  "}}));
  ASSERT_THAT(mapped.problems, SizeIs(1));
  EXPECT_EQ(mapped.problems[0].field(), "name");
}

TEST(PersonFromRowTest, NamesColumnIsLosslessAndMustAgreeWithName) {
  std::vector<registry::PersonName> names = {
      {"Ilham Tohti", names::Script::kLatin, registry::NamePart::kFull, "T-000004"},
      {"伊力哈木·土赫提", names::Script::kHan, registry::NamePart::kFull, "import"},
      {"Tohti", names::Script::kLatin, registry::NamePart::kSurname, "demo"}};
  const std::string encoded = EncodeNames(names);
  ASSERT_OK_AND_ASSIGN(auto decoded, DecodeNames(encoded));
  EXPECT_EQ(decoded, names);

  auto good = PersonFromRow(MakeRow(
      RecordKind::kPersons,
      {{"name", "Ilham Tohti"}, {"alt_names", "伊力哈木·土赫提 | Tohti"}, {"names", encoded}}));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value.person.names, names);

  auto edited = PersonFromRow(MakeRow(
      RecordKind::kPersons, {{"name", "Ilham Toxti"}, {"alt_names", "Tohti"}, {"names", encoded}}));
  ASSERT_THAT(edited.problems, SizeIs(2));
  EXPECT_EQ(edited.problems[0].field(), "name");
  EXPECT_EQ(edited.problems[1].field(), "alt_names");
}

TEST(DecodeNamesTest, RejectsMalformedNames) {
  EXPECT_FALSE(DecodeNames("not json").ok());
  EXPECT_FALSE(DecodeNames("{}").ok());
  EXPECT_FALSE(DecodeNames(R"([{"txt":"a"}])").ok());
  EXPECT_FALSE(DecodeNames(R"([{"text":"a","script":"klingon"}])").ok());
  EXPECT_FALSE(DecodeNames(R"([{"text":" "}])").ok());
  ASSERT_OK_AND_ASSIGN(auto names, DecodeNames(R"([{"text":"a"}])"));
  EXPECT_EQ(names[0].source, "import");
}

TEST(TestimonyFromRowTest, ParsesPersonsReferences) {
  auto mapped = TestimonyFromRow(MakeRow(
      RecordKind::kTestimonies,
      {{"persons", "P-000123:son | ext:77: wife|P-9"}, {"medium", "video"}, {"date", "2019"}}));
  ASSERT_TRUE(mapped.ok());
  ASSERT_THAT(mapped.value.persons, SizeIs(3));
  EXPECT_EQ(mapped.value.persons[0].text, "P-000123");
  EXPECT_EQ(mapped.value.persons[0].relation, "son");
  EXPECT_EQ(mapped.value.persons[1].text, "ext:77");
  EXPECT_EQ(mapped.value.persons[1].relation, "wife");
  EXPECT_EQ(mapped.value.persons[2].text, "P-9");
  EXPECT_EQ(mapped.value.persons[2].relation, "");
  EXPECT_EQ(mapped.value.testimony.medium, registry::Medium::kVideo);
  EXPECT_EQ(mapped.value.testimony.consent, registry::Consent::kPrivate);  // the safe default
}

TEST(EventFromRowTest, RequiresPersonAndType) {
  auto mapped = EventFromRow(MakeRow(RecordKind::kEvents, {{"person", ""}, {"type", ""}}));
  ASSERT_THAT(mapped.problems, SizeIs(2));
  EXPECT_EQ(mapped.problems[0].field(), "person");
  EXPECT_EQ(mapped.problems[1].field(), "type");
}

TEST(PersonToRowTest, WritesEveryFieldAsItIs) {
  // What an export may show is the RecordFilter's business, not the row mapping's.
  registry::Person person;
  person.id = 7;
  person.names = {{"Алма", names::Script::kCyrillic, registry::NamePart::kFull, "import"}};
  person.prc_id = "65400219740412001X";
  person.notes = "a note";
  person.hometown_text = "Ghulja, Dadamtu";
  person.hometown_code = "654002";
  Row row = PersonToRow(person, {});
  const auto& columns = Columns(RecordKind::kPersons);
  auto value = [&](std::string_view column) {
    return row.values[static_cast<size_t>(
        std::find(columns.begin(), columns.end(), column) - columns.begin())];
  };
  EXPECT_EQ(value("id"), "P-000007");
  EXPECT_EQ(value("prc_id"), "65400219740412001X");
  EXPECT_EQ(value("notes"), "a note");
  EXPECT_EQ(value("hometown"), "Ghulja, Dadamtu");
  EXPECT_EQ(value("hometown_code"), "654002");
}

TEST(TestimonyToRowTest, WritesAMentionWithoutRelationAsTheBareId) {
  registry::Testimony testimony;
  testimony.id = 3;
  testimony.mentions = {{1, "son"}, {2, ""}};
  Row row = TestimonyToRow(testimony);
  EXPECT_THAT(row.values, ::testing::Contains("P-000001:son | P-000002"));
  auto mapped = TestimonyFromRow(row);
  ASSERT_TRUE(mapped.ok());
  ASSERT_THAT(mapped.value.persons, SizeIs(2));
  EXPECT_EQ(mapped.value.persons[1].text, "P-000002");
  EXPECT_EQ(mapped.value.persons[1].relation, "");
}

TEST(RowJsonTest, NamesAreAnArrayAndListsMayBeArrays) {
  registry::Person person;
  person.id = 1;
  person.names = {{"A", names::Script::kLatin, registry::NamePart::kFull, "import"}};
  Row row = PersonToRow(person, {});
  nlohmann::ordered_json json = RowToJson(RecordKind::kPersons, row);
  EXPECT_TRUE(json["names"].is_array());
  EXPECT_EQ(json.begin().key(), "id");
  Row back;
  EXPECT_THAT(RowFromJson(RecordKind::kPersons, json, back), IsEmpty());
  EXPECT_EQ(back.values, row.values);

  nlohmann::ordered_json typed = {{"name", "A"}, {"alt_names", {"B", "C"}}, {"external_id", 12}};
  EXPECT_THAT(RowFromJson(RecordKind::kPersons, typed, back), IsEmpty());
  auto mapped = PersonFromRow(back);
  ASSERT_TRUE(mapped.ok());
  EXPECT_THAT(mapped.value.person.names, SizeIs(3));
  EXPECT_EQ(mapped.value.person.external_id, "12");

  nlohmann::ordered_json bad = {{"name", "A"}, {"nmae", "B"}, {"gender", {{"x", 1}}}};
  auto problems = RowFromJson(RecordKind::kPersons, bad, back);
  ASSERT_THAT(problems, SizeIs(2));
  EXPECT_EQ(problems[0].field(), "nmae");
  EXPECT_EQ(problems[1].field(), "gender");
}

TEST(FormatTest, FromPathAndName) {
  EXPECT_EQ(*FormatFromPath("a/b.CSV"), Format::kCsv);
  EXPECT_EQ(*FormatFromPath("x.ndjson"), Format::kJsonl);
  EXPECT_FALSE(FormatFromPath("dir.csv/file").ok());
  EXPECT_EQ(*ParseFormat("jsonl"), Format::kJsonl);
  EXPECT_EQ(*ParseRecordKind("events"), RecordKind::kEvents);
  EXPECT_FALSE(ParseRecordKind("people").ok());
}

}  // namespace
}  // namespace izde::io
