#include "io/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "testing/status_matchers.h"

namespace izde::io {
namespace {

using ::izde::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Record {
  int64_t line;
  std::vector<std::string> fields;
};

// Reads every record; stops at the first error and returns it in `error`.
std::vector<Record> ReadAll(const std::string& text, Status* error = nullptr,
                            int64_t* error_line = nullptr, size_t buffer_size = 1 << 16) {
  std::istringstream in(text);
  CsvReader reader(in, buffer_size);
  std::vector<Record> records;
  for (;;) {
    Result<bool> more = reader.Next();
    if (!more.ok()) {
      if (error != nullptr) *error = more.status();
      if (error_line != nullptr) *error_line = reader.error_line();
      break;
    }
    if (!*more) break;
    records.push_back({reader.line(), {reader.fields().begin(), reader.fields().end()}});
  }
  return records;
}

TEST(CsvReaderTest, ReadsPlainRecordsWithLines) {
  auto records = ReadAll("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2", "3"));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 2);
}

TEST(CsvReaderTest, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto records =
      ReadAll("name,note\n\"Bilash, Serikzhan\",\"said \"\"hello\"\"\nthen left\"\nx,y\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[1].fields, ElementsAre("Bilash, Serikzhan", "said \"hello\"\nthen left"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].line, 4);  // the physical line, after the embedded newline
}

TEST(CsvReaderTest, CrLfAndLoneCr) {
  auto records = ReadAll("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r6,7");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
  EXPECT_THAT(records[2].fields, ElementsAre("x\r\ny", "3"));  // kept as written
  EXPECT_EQ(records[3].line, 5);
  EXPECT_THAT(records[4].fields, ElementsAre("6", "7"));
  EXPECT_EQ(records[4].line, 6);
}

TEST(CsvReaderTest, SkipsByteOrderMarkAndBlankLines) {
  auto records = ReadAll("\xEF\xBB\xBFname\n\nАлма\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("name"));
  EXPECT_THAT(records[1].fields, ElementsAre("Алма"));
  EXPECT_EQ(records[1].line, 3);
}

TEST(CsvReaderTest, EmptyFieldsAndTrailingComma) {
  auto records = ReadAll(",,\n\"\",a,\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("", "", ""));
  EXPECT_THAT(records[1].fields, ElementsAre("", "a", ""));
}

TEST(CsvReaderTest, LastRecordWithoutNewline) {
  auto records = ReadAll("a\nb");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("b"));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItStarts) {
  Status error;
  int64_t line = 0;
  auto records = ReadAll("a,b\n1,2\n3,\"open\nmore\n", &error, &line);
  EXPECT_EQ(records.size(), 2u);
  EXPECT_THAT(error, StatusIs(StatusCode::kInvalidArgument, HasSubstr("unterminated")));
  EXPECT_EQ(line, 3);
}

TEST(CsvReaderTest, InvalidUtf8NamesThePhysicalLineAndGoesOn) {
  std::istringstream in("a,b\n\"x\ny\xFFz\",2\nok,3\n");
  CsvReader reader(in);
  ASSERT_TRUE(*reader.Next());
  Result<bool> bad = reader.Next();
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid UTF-8")));
  EXPECT_EQ(reader.line(), 2);
  EXPECT_EQ(reader.error_line(), 3);
  EXPECT_EQ(reader.fields().size(), 2u);
  Result<bool> next = reader.Next();
  ASSERT_OK(next);
  EXPECT_TRUE(*next);
  EXPECT_EQ(reader.fields()[0], "ok");
  EXPECT_EQ(reader.line(), 4);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAnError) {
  Status error;
  ReadAll("\"ab\"c,d\n", &error);
  EXPECT_THAT(error, StatusIs(StatusCode::kInvalidArgument, HasSubstr("closing quote")));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsText) {
  auto records = ReadAll("5\" floppy,x\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("5\" floppy", "x"));
}

TEST(CsvReaderTest, TinyBufferGivesTheSameRecords) {
  const std::string text =
      "\xEF\xBB\xBFid,name\r\n1,\"Серікжан \"\"Біләш\"\"\r\nline\"\r\n2,سەرىكجان\r\n";
  auto expected = ReadAll(text);
  for (size_t size : {16u, 17u, 19u, 23u}) {
    auto records = ReadAll(text, nullptr, nullptr, size);
    ASSERT_EQ(records.size(), expected.size()) << size;
    for (size_t idx = 0; idx < records.size(); ++idx) {
      EXPECT_EQ(records[idx].fields, expected[idx].fields) << size;
      EXPECT_EQ(records[idx].line, expected[idx].line) << size;
    }
  }
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  std::ostringstream out;
  CsvWriter writer(out);
  std::vector<std::string> row = {"plain", "a,b", "say \"hi\"", "two\nlines", "", " space "};
  writer.WriteRow(row);
  std::vector<std::string> lone = {""};
  writer.WriteRow(lone);
  EXPECT_EQ(out.str(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",, space \n"
            "\"\"\n");
}

TEST(CsvWriterTest, ReaderReadsBackWhatWriterWrote) {
  std::vector<std::vector<std::string>> rows = {
      {"id", "text"}, {"1", "\"quoted\""}, {"2", "a\r\nb"}, {"3", ""}, {"", ",,"}};
  std::ostringstream out;
  CsvWriter writer(out);
  for (const auto& row : rows) writer.WriteRow(row);
  auto records = ReadAll(out.str());
  ASSERT_EQ(records.size(), rows.size());
  for (size_t idx = 0; idx < rows.size(); ++idx) EXPECT_EQ(records[idx].fields, rows[idx]);
}

}  // namespace
}  // namespace izde::io
