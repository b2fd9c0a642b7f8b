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

TEST(CompareNamesTest, InvalidUtf8) {
  EXPECT_THAT(CompareNames("\xff", "Ali"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde::names
