#include "names/internal/han_vowels.h"

#include <gtest/gtest.h>

namespace izde::names {
namespace {

using internal::HanVowelAgreement;

TEST(HanVowelAgreementTest, AgreeingVowelsScoreOne) {
  EXPECT_DOUBLE_EQ(HanVowelAgreement("帕里斯", "paris"), 1.0);    // pa li si: a, i; si carries s
  EXPECT_DOUBLE_EQ(HanVowelAgreement("奥柏", "auber"), 1.0);      // German au = 奥 ao; 柏 bai: e
  EXPECT_DOUBLE_EQ(HanVowelAgreement("伊力哈木", "ilham"), 1.0);  // 力 li and 木 mu carry l, m
  EXPECT_DOUBLE_EQ(HanVowelAgreement("买买提", "mamat"), 1.0);    // 买 mai writes a and e
  EXPECT_DOUBLE_EQ(HanVowelAgreement("买买提", "memet"), 1.0);
}

TEST(HanVowelAgreementTest, DisagreeingVowelsCost) {
  // pu lu si: nothing for a (1 of 2 Latin vowels); the i may be 斯 si's.
  EXPECT_DOUBLE_EQ(HanVowelAgreement("普鲁斯", "paris"), 0.5);
  EXPECT_DOUBLE_EQ(HanVowelAgreement("普鲁", "paris"), 0.0);
  EXPECT_DOUBLE_EQ(HanVowelAgreement("阿比尔", "auber"), 0.5);  // 阿 a is not au
  // ü (吕 lu, 于 yu) is u or i; plain u is not i.
  EXPECT_DOUBLE_EQ(HanVowelAgreement("于", "i"), 1.0);
  EXPECT_DOUBLE_EQ(HanVowelAgreement("鲁", "i"), 0.0);
  // A character that is neither matched nor a carrier costs 0.15 of a vowel: 伯 bo between 奥 ao
  // (au) and 尔 er (e).
  EXPECT_NEAR(HanVowelAgreement("奥伯尔", "auber"), 1.0 - 0.15 / 2, 1e-9);
}

TEST(HanVowelAgreementTest, SilentFinalE) {
  // Valene = 瓦伦 wa lun: the final e may go unwritten at the cost of a character left over.
  EXPECT_NEAR(HanVowelAgreement("瓦伦", "valene"), 1.0 - 0.15 / 3, 1e-9);
}

TEST(HanVowelAgreementTest, NothingToCompareIsNoEvidence) {
  EXPECT_DOUBLE_EQ(HanVowelAgreement("", "paris"), 1.0);
  EXPECT_DOUBLE_EQ(HanVowelAgreement("帕里斯", "prst"), 1.0);
  EXPECT_DOUBLE_EQ(HanVowelAgreement("Paris", "paris"), 1.0);  // no Han character
}

}  // namespace
}  // namespace izde::names
