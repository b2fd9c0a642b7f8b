#include "names/analyze.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "names/name_parts.h"
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

// AnalyzeName takes each part's reading from the whole name's readings instead of
// transliterating the part again; the parts must be those ParseName makes on its own.
TEST(AnalyzeTest, PartsAreParseNamesWhateverTheScript) {
  for (const char* name : {"Серікжан Біләш",
                           "Ерлан Қайратұлы",
                           "Нурлан  Абдуллаев",
                           "Ильхам Тохти",
                           "ИЛЬХАМ Тохти",
                           "Айбек Өмүрбеков",
                           "Илһам Турсунҗан",
                           "Бақыт Нұрлан ұлы",
                           "Тохти, Ильхам",
                           "Серікжан-Біләш",
                           "ئىلھام توختى",
                           "سەرىكجان ٴابەنۇلى",
                           "伊力哈木·土赫提",
                           "买买提依明·阿不都热依木",
                           "努尔兰 阿合买提",
                           "李·123",
                           "Erkin 吐尔逊 Турсун ئەركىن",
                           "Abdu Rehim Tursun",
                           "Көшесi Нұрлан",
                           "Bakhyt Nurlan uly",
                           ""}) {
    ASSERT_OK_AND_ASSIGN(NameAnalysis analysis, AnalyzeName(name));
    ASSERT_OK_AND_ASSIGN(ParsedName parsed, ParseName(name));
    ASSERT_EQ(analysis.parts.size(), parsed.parts.size()) << name;
    for (size_t part_idx = 0; part_idx < parsed.parts.size(); ++part_idx) {
      const NameAnalysis::Part& part = analysis.parts[part_idx];
      const NamePart& expected = parsed.parts[part_idx];
      EXPECT_EQ(part.text, expected.text) << name;
      EXPECT_EQ(part.role, PartRoleName(expected.role)) << name;
      EXPECT_EQ(part.ascii, expected.ascii) << name;
      EXPECT_EQ(part.key, expected.key) << name;
      EXPECT_EQ(part.stem, expected.stem) << name;
      EXPECT_EQ(part.alt_ascii, expected.alt_ascii) << name;
      EXPECT_EQ(part.alt_key, expected.alt_key) << name;
    }
  }
}

TEST(AnalyzeTest, InvalidUtf8) {
  EXPECT_THAT(AnalyzeName("\xe2\x82"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::names
