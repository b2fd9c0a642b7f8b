#include "names/analyze.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;
using ::testing::ElementsAre;

TEST(AnalyzeTest, ChineseTranscriptionOfAUyghurName) {
  ASSERT_OK_AND_ASSIGN(NameAnalysis analysis, AnalyzeName("伊力哈木·土赫提"));
  EXPECT_EQ(analysis.script, "han");
  EXPECT_EQ(analysis.language, "chinese");
  EXPECT_EQ(analysis.normalized, "伊力哈木 土赫提");
  ASSERT_EQ(analysis.parts.size(), 2u);
  EXPECT_EQ(analysis.parts[0].role, "given");
  EXPECT_EQ(analysis.parts[1].role, "father");
  EXPECT_EQ(analysis.parts[1].key, "TT");
  ASSERT_EQ(analysis.forms.size(), 2u);
  EXPECT_EQ(analysis.forms[0].latin, "Yilihamu Tuheti");
  EXPECT_EQ(analysis.forms[1].latin, "Iliham Tuht");
  EXPECT_THAT(analysis.blocking_keys, ElementsAre("ALM", "TT"));
}

TEST(AnalyzeTest, KazakhCyrillicName) {
  ASSERT_OK_AND_ASSIGN(NameAnalysis analysis, AnalyzeName("Бақыт Нұрланұлы"));
  EXPECT_EQ(analysis.script, "cyrillic");
  EXPECT_EQ(analysis.language, "kazakh");
  ASSERT_EQ(analysis.parts.size(), 2u);
  EXPECT_EQ(analysis.parts[1].role, "patronymic");
  EXPECT_EQ(analysis.parts[1].stem, "nurlan");
  EXPECT_EQ(analysis.forms[0].latin, "Bakyt Nurlanuly");
  EXPECT_THAT(analysis.blocking_keys, ::testing::Contains("BKT"));
}

TEST(AnalyzeTest, InvalidUtf8) {
  EXPECT_THAT(AnalyzeName("\xe2\x82"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::names
