#include "names/similarity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;

NameComparison Compare(std::string_view left, std::string_view right) {
  Result<NameComparison> result = CompareNames(left, right);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : NameComparison{};
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", ""), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("ilham", "ilham"), 1.0);
}

TEST(CompareNamesTest, OnePersonAcrossScripts) {
  for (const char* other : {"ئىلھام توختى", "伊力哈木·土赫提", "Ильхам Тохти", "TOHTI, Ilham"}) {
    NameComparison comparison = Compare("Ilham Tohti", other);
    EXPECT_EQ(comparison.verdict, "same") << other << " score " << comparison.score;
  }
  EXPECT_EQ(Compare("Serikzhan Bilash", "Серікжан Біләш").verdict, "same");
  EXPECT_EQ(Compare("Serikzhan Bilash", "赛力克江·比拉什").verdict, "same");
  EXPECT_EQ(Compare("Bakhyt Nurlanuly", "Бақыт Нұрланұлы").verdict, "same");
}

TEST(CompareNamesTest, OrderDoesNotMatter) {
  NameComparison comparison = Compare("Tohti Ilham", "Ilham Tohti");
  EXPECT_EQ(comparison.verdict, "same");
  ASSERT_EQ(comparison.matches.size(), 2u);
  EXPECT_EQ(comparison.matches[0].right, 1);
  EXPECT_EQ(comparison.matches[1].right, 0);
}

TEST(CompareNamesTest, MissingPartCostsLessThanConflictingOne) {
  NameComparison missing = Compare("Ilham Tohti", "Ilham");
  NameComparison conflicting = Compare("Ilham Tohti", "Ilham Memet");
  EXPECT_GT(missing.score, conflicting.score);
  EXPECT_EQ(missing.verdict, "possibly");
  EXPECT_EQ(missing.matches.back().basis, "missing");
}

TEST(CompareNamesTest, DifferentPeople) {
  EXPECT_EQ(Compare("Rahile Dawut", "Ilham Tohti").verdict, "different");
  EXPECT_EQ(Compare("Bakhyt Nurlanuly", "Бауыржан Нұрланұлы").verdict, "different");
  EXPECT_EQ(Compare("Serikzhan Bilash", "Gulbahar Haitiwaji").verdict, "different");
}

TEST(CompareNamesTest, PatronymicAgainstFatherName) {
  NameComparison comparison = Compare("Bakhyt Nurlanuly", "Bakhyt Nurlan");
  EXPECT_EQ(comparison.verdict, "same") << comparison.score;
  EXPECT_EQ(comparison.matches[1].basis, "patronymic stem");
}

TEST(CompareNamesTest, HonorificsWeighLittle) {
  EXPECT_EQ(Compare("Hajim Ilham Tohti", "Ilham Tohti").verdict, "same");
}

// Pinyin's x and q read as s and ch, and keys that differ in a dropped r or a class that
// Chinese characters blur still count: 切尔西 (qieerxi) is Chelsy, 西塞羅 (xisailuo) Cicero.
TEST(CompareNamesTest, ChineseTranscriptionsOfWesternNames) {
  EXPECT_GE(Compare("Chelsy", "切尔西").score, 0.55);
  EXPECT_LT(Compare("Chelsy", "谢林").score, 0.55);
  EXPECT_GE(Compare("Cicero", "西塞羅").score, 0.55);
  EXPECT_LT(Compare("Cicero", "迪耳").score, 0.55);
  EXPECT_GT(Compare("Reuter", "罗伊特").score, Compare("Reuter", "谢林").score);
  // 夫 ending a word is the Russian -ov: the Turkic reading keeps no f.
  EXPECT_EQ(Compare("Matrosov", "马特洛索夫").verdict, "same");
}

TEST(CompareNamesTest, InvalidUtf8) {
  EXPECT_THAT(CompareNames("\xff", "Ali"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::names
