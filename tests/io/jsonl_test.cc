#include "io/jsonl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "testing/status_matchers.h"

namespace izde::io {
namespace {

using ::izde::testing::StatusIs;
using ::testing::HasSubstr;

TEST(JsonlReaderTest, ReadsObjectsSkippingBlankLinesAndBom) {
  std::istringstream in("\xEF\xBB\xBF{\"name\":\"Алма\"}\r\n\n  \n{\"name\":\"b\",\"n\":2}\n");
  JsonlReader reader(in);
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.object()["name"], "Алма");
  EXPECT_EQ(reader.line(), 1);
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.object()["n"], 2);
  EXPECT_EQ(reader.line(), 4);
  Result<bool> end = reader.Next();
  ASSERT_OK(end);
  EXPECT_FALSE(*end);
}

TEST(JsonlReaderTest, BadLinesAreReportedAndReadingGoesOn) {
  std::istringstream in("{\"a\":1}\n{\"a\":\n[1,2]\n{\"a\":\"\xFF\"}\n{\"a\":3}\n");
  JsonlReader reader(in);
  ASSERT_TRUE(*reader.Next());
  EXPECT_THAT(reader.Next(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid JSON")));
  EXPECT_EQ(reader.line(), 2);
  EXPECT_THAT(reader.Next(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(reader.Next(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid UTF-8")));
  EXPECT_EQ(reader.line(), 4);
  ASSERT_TRUE(*reader.Next());
  EXPECT_EQ(reader.object()["a"], 3);
  EXPECT_EQ(reader.line(), 5);
}

TEST(JsonlWriterTest, WritesOneCompactObjectPerLineInKeyOrder) {
  std::ostringstream out;
  JsonlWriter writer(out);
  nlohmann::ordered_json object;
  object["z"] = "Біләш";
  object["a"] = "x\ny";
  writer.Write(object);
  writer.Write(nlohmann::ordered_json{{"bad", std::string("\xFF")}});
  EXPECT_EQ(out.str(), "{\"z\":\"Біләш\",\"a\":\"x\\ny\"}\n{\"bad\":\"\xEF\xBF\xBD\"}\n");
}

}  // namespace
}  // namespace izde::io
