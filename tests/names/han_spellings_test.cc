#include "names/internal/han_spellings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace izde::names {
namespace {

using internal::HanSpellingSimilarity;
using internal::ReadsAsTurkic;

// The similarity is exp(-cost / letters / 8), cost the sum of -ln p of the spellings used: the
// cost of a word can be read back from its similarity.
double CostOf(double similarity, size_t letters) {
  return -std::log(similarity) * static_cast<double>(letters) * 8.0;
}

// The customary transcription reads better than a name of other sounds, and better than the
// right characters against another word.
TEST(HanSpellingSimilarityTest, CustomarySpellingsReadBest) {
  EXPECT_GT(HanSpellingSimilarity("施密特", "schmidt"), HanSpellingSimilarity("马丁", "schmidt"));
  EXPECT_GT(HanSpellingSimilarity("施密特", "schmidt"), HanSpellingSimilarity("施密特", "martin"));
  EXPECT_GT(HanSpellingSimilarity("瑪賽拉", "marcella"), HanSpellingSimilarity("马丁", "marcella"));
  // 史 writes s far more often than its pinyin shi, and 斯 th now and then: Smith is 史密斯 at
  // under two nats a character, where the pinyin readings alone cannot write it.
  EXPECT_LT(CostOf(HanSpellingSimilarity("史密斯", "smith"), 5), 3 * 2.0);
}

// Traditional and simplified forms are both in the table, each learned as it occurs.
TEST(HanSpellingSimilarityTest, TraditionalAndSimplifiedForms) {
  EXPECT_GT(HanSpellingSimilarity("爾", "r"), 0.85);
  EXPECT_GT(HanSpellingSimilarity("尔", "r"), 0.85);
  EXPECT_GT(HanSpellingSimilarity("瑪", "ma"), 0.95);
  EXPECT_GT(HanSpellingSimilarity("玛", "ma"), 0.95);
}

// The table keeps a character's rarer spellings too (down to p 0.002, the 24 best): 歌 writes
// goeth in a few training pairs (p 0.05, its 16th spelling), so Goethe reads as 歌德 where the
// 8 best alone left -the to no character (0.71).
TEST(HanSpellingSimilarityTest, RarerSpellingsAreKept) {
  EXPECT_GT(HanSpellingSimilarity("歌德", "goethe"), 0.8);
  EXPECT_GT(HanSpellingSimilarity("歌德", "goethe"), HanSpellingSimilarity("马丁", "goethe") + 0.1);
}

// A Latin letter no character writes costs 3 nats (kSkipCost): "sx" costs what "s" does and 3.
TEST(HanSpellingSimilarityTest, LetterWrittenByNoCharacterCostsThree) {
  const double plain = CostOf(HanSpellingSimilarity("斯", "s"), 1);
  const double with_x = CostOf(HanSpellingSimilarity("斯", "sqx"), 3);
  EXPECT_NEAR(with_x, plain + 2 * 3.0, 1e-4);
}

// A character outside the table and the pinyin block writes nothing at 3 nats (kPinyinCost);
// its letters are then each written by no character.
TEST(HanSpellingSimilarityTest, UnknownCharacterWritesNothing) {
  EXPECT_NEAR(CostOf(HanSpellingSimilarity("\xF0\xA0\x80\x8B", "ab"), 2), 3.0 + 2 * 3.0, 1e-4);
  // A rare character that the table lacks still writes its pinyin reading, at 3 nats: 鼹 yan.
  EXPECT_NEAR(CostOf(HanSpellingSimilarity("鼹", "yan"), 3), 3.0, 1e-4);
}

TEST(HanSpellingSimilarityTest, NothingToCompare) {
  EXPECT_EQ(HanSpellingSimilarity("", "schmidt"), 0.0);
  EXPECT_EQ(HanSpellingSimilarity("施密特", ""), 0.0);
  EXPECT_EQ(HanSpellingSimilarity("施密特", std::string(49, 'a')), 0.0);  // more than 48 letters
  EXPECT_EQ(HanSpellingSimilarity(std::string(25 * 3, 'x'), "ab"), 0.0);  // 75 ASCII "characters"
  // Letters outside a-z are written by no character, never read out of bounds.
  EXPECT_GT(HanSpellingSimilarity("斯", "s-"), 0.0);
}

// With `at_least`, a score at least that is the same as without; a lower one is 0 (the dynamic
// programming may stop before the last character).
TEST(HanSpellingSimilarityTest, AtLeastKeepsHighScoresAndZeroesLowOnes) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"施密特", "schmidt"}, {"马丁", "schmidt"},   {"瑪賽拉", "marcella"},
      {"马丁", "marcella"},  {"施密特", "martin"}, {"阿合买提", "bakhyt"}};
  for (const auto& [han, latin] : pairs) {
    const double full = HanSpellingSimilarity(han, latin);
    for (const double at_least : {0.5, 0.7, 0.76, 0.84, 0.9}) {
      EXPECT_EQ(HanSpellingSimilarity(han, latin, at_least), full >= at_least ? full : 0.0)
          << han << " ~ " << latin << " at least " << at_least;
    }
  }
  // Unrelated sounds are cut off early, the customary transcription is kept.
  EXPECT_EQ(HanSpellingSimilarity("马丁", "schmidt", 0.84), 0.0);
  EXPECT_GT(HanSpellingSimilarity("施密特", "schmidt", 0.84), 0.84);
}

// The characters of the Turkic tables: the rules of zh_turkic_latn.txt (买买提 a word, 提 a coda,
// 恩 in the $vowelInitial set, 夫 in braces) and the customary transcriptions of
// zh_turkic_variants.txt (散 of 艾散 Hesen); Western names use others too.
TEST(ReadsAsTurkicTest, CharactersOfTheTurkicTables) {
  EXPECT_TRUE(ReadsAsTurkic("买买提"));
  EXPECT_TRUE(ReadsAsTurkic("加克斯勒克"));
  EXPECT_TRUE(ReadsAsTurkic("杰恩斯"));
  EXPECT_TRUE(ReadsAsTurkic("艾散"));
  EXPECT_TRUE(ReadsAsTurkic("热合曼"));
  // 妮 is in neither table: Nigare ~ 妮尕热 is lowered like a Western name.
  EXPECT_FALSE(ReadsAsTurkic("妮尕热"));
  EXPECT_FALSE(ReadsAsTurkic("施密特"));  // 施 and 密 are no Turkic table's
  EXPECT_FALSE(ReadsAsTurkic("瑪賽拉"));  // traditional forms
  EXPECT_FALSE(ReadsAsTurkic("歌德"));
  EXPECT_FALSE(ReadsAsTurkic("买买提x"));  // not Han
  EXPECT_FALSE(ReadsAsTurkic(""));
  // Characters of the tables' comments are not read: 少 (少数民族...) is in a comment only.
  EXPECT_FALSE(ReadsAsTurkic("少"));
}

}  // namespace
}  // namespace izde::names
