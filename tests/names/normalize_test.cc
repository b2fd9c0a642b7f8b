#include "names/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "names/script.h"
#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;
using ::testing::ElementsAre;

TEST(NormalizeTest, FoldsCaseAndCollapsesSpaces) {
  ASSERT_OK_AND_ASSIGN(NormalizedName name, NormalizeName("  Серікжан   БІЛӘШ "));
  EXPECT_EQ(name.text, "серікжан біләш");
  EXPECT_THAT(name.tokens, ElementsAre("серікжан", "біләш"));
  EXPECT_FALSE(name.reordered);
}

TEST(NormalizeTest, TurkicCapitalIFoldsToPlainI) {
  ASSERT_OK_AND_ASSIGN(std::string text, NormalizeText("İLHAM"));
  EXPECT_EQ(text, "ilham");
}

TEST(NormalizeTest, ChineseSeparatorsSplitTokens) {
  for (const char* input : {"赛力克江·比拉什", "赛力克江‧比拉什", "赛力克江・比拉什",
                            "赛力克江•比拉什", "赛力克江･比拉什", "赛力克江.比拉什"}) {
    ASSERT_OK_AND_ASSIGN(NormalizedName name, NormalizeName(input));
    EXPECT_THAT(name.tokens, ElementsAre("赛力克江", "比拉什")) << input;
  }
}

TEST(NormalizeTest, HyphensAndDashesSplitTokens) {
  ASSERT_OK_AND_ASSIGN(std::string text, NormalizeText("Abdu-Rahman–Ali‐Khan"));
  EXPECT_EQ(text, "abdu rahman ali khan");
}

TEST(NormalizeTest, SurnameCommaGivenIsReordered) {
  ASSERT_OK_AND_ASSIGN(NormalizedName name, NormalizeName("TOHTI, Ilham"));
  EXPECT_EQ(name.text, "ilham tohti");
  EXPECT_TRUE(name.reordered);
  ASSERT_OK_AND_ASSIGN(NormalizedName arabic_comma, NormalizeName("توختى، ئىلھام"));
  EXPECT_EQ(arabic_comma.text, "ئىلھام توختى");
  ASSERT_OK_AND_ASSIGN(NormalizedName two_commas, NormalizeName("a, b, c"));
  EXPECT_EQ(two_commas.text, "a b c");
  EXPECT_FALSE(two_commas.reordered);
  ASSERT_OK_AND_ASSIGN(NormalizedName kept,
                       NormalizeName("Tohti, Ilham", {.reorder_comma = false}));
  EXPECT_EQ(kept.text, "tohti ilham");
}

TEST(NormalizeTest, NfkcFoldsCompatibilityForms) {
  // Full-width Latin, and the Arabic presentation form of ﻻ (lam-alef ligature).
  ASSERT_OK_AND_ASSIGN(std::string text, NormalizeText("ＡＬＩ ﻻ"));
  EXPECT_EQ(text, "ali لا");
}

TEST(NormalizeTest, DropsStrayMarksAndInvisibleCharacters) {
  // RLM, ZWJ, soft hyphen, BOM, tatweel, a fatha, and a combining acute with no base.
  ASSERT_OK_AND_ASSIGN(std::string text,
                       NormalizeText("\u200Fئىلـھام\u200D \u00ADتوخ\u064Eتى\uFEFF \u0301Ali"));
  EXPECT_EQ(text, "ئىلھام توختى ali");
}

TEST(NormalizeTest, KeepsMeaningfulDiacritics) {
  ASSERT_OK_AND_ASSIGN(std::string text, NormalizeText("Öl-Farabī Äūlīeköl"));
  EXPECT_EQ(text, "öl farabī äūlīeköl");
}

TEST(NormalizeTest, ApostropheLookAlikesBecomeAscii) {
  ASSERT_OK_AND_ASSIGN(std::string text, NormalizeText("mes’ul ʼAli’ Gor`ko"));
  EXPECT_EQ(text, "mes'ul ali gor'ko");
}

TEST(NormalizeTest, CaseIsKeptWhenAsked) {
  ASSERT_OK_AND_ASSIGN(NormalizedName name,
                       NormalizeName("Bilash,Serikzhan", {.fold_case = false}));
  EXPECT_EQ(name.text, "Serikzhan Bilash");
}

TEST(NormalizeTest, EmptyAndPunctuationOnlyGiveNoTokens) {
  ASSERT_OK_AND_ASSIGN(NormalizedName empty, NormalizeName(""));
  EXPECT_TRUE(empty.tokens.empty());
  ASSERT_OK_AND_ASSIGN(NormalizedName dots, NormalizeName(" ·-, ;"));
  EXPECT_TRUE(dots.tokens.empty());
  EXPECT_EQ(dots.text, "");
}

TEST(NormalizeTest, InvalidUtf8IsAnError) {
  for (std::string bad : {std::string("\xff"), std::string("Ali\xc3"), std::string("\xed\xa0\x80"),
                          std::string("\xc0\xaf"), std::string("a\x80z")}) {
    EXPECT_THAT(NormalizeName(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
    EXPECT_THAT(ValidateUtf8(bad), StatusIs(StatusCode::kInvalidArgument));
  }
  EXPECT_OK(ValidateUtf8("Ali \xe2\x80\xa2 \xf0\x9f\x98\x80"));
}

TEST(NormalizeTest, ArbitraryBytesNeverCrash) {
  std::string bytes;
  for (int value = 0; value < 256; ++value) bytes.push_back(static_cast<char>(value));
  for (size_t start = 0; start < bytes.size(); start += 7) {
    auto result = NormalizeName(std::string_view(bytes).substr(start, 13));
    if (result.ok()) {
      EXPECT_EQ(result->text.find("  "), std::string::npos);
    }
  }
}

TEST(ScriptTest, DetectsScriptPerToken) {
  ASSERT_OK_AND_ASSIGN(auto tokens, DetectTokenScripts("Ilham ئىلھام·Ильхам 伊力哈木 42"));
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].script, Script::kLatin);
  EXPECT_EQ(tokens[1].script, Script::kArabic);
  EXPECT_EQ(tokens[2].script, Script::kCyrillic);
  EXPECT_EQ(tokens[2].token, "Ильхам");
  EXPECT_EQ(tokens[3].script, Script::kHan);
  EXPECT_EQ(tokens[4].script, Script::kUnknown);
  EXPECT_THAT(DetectTokenScripts("\xff"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ScriptTest, GuessesLanguageFromDistinctiveLetters) {
  auto guess = [](std::string_view text) { return GuessLanguage(text).value(); };
  EXPECT_EQ(guess("Серікжан Біләш"), LanguageHint::kKazakh);
  EXPECT_EQ(guess("Қайрат"), LanguageHint::kKazakh);
  EXPECT_EQ(guess("Ильхам Тохти"), LanguageHint::kRussian);
  EXPECT_EQ(guess("шинҗаң"), LanguageHint::kUyghur);
  EXPECT_EQ(guess("ئىلھام توختى"), LanguageHint::kUyghur);
  EXPECT_EQ(guess("ٴبىلاش"), LanguageHint::kKazakh);
  EXPECT_EQ(guess("ءبىلاش"), LanguageHint::kKazakh);
  EXPECT_EQ(guess("伊力哈木"), LanguageHint::kChinese);
  EXPECT_EQ(guess("Ilham"), LanguageHint::kUnknown);
  EXPECT_EQ(guess("Ысык-Көл"), LanguageHint::kKyrgyz);
  EXPECT_EQ(guess("Гүлнара Өмүрова"), LanguageHint::kKyrgyz);
  EXPECT_EQ(LanguageHintName(LanguageHint::kUyghur), "uyghur");
}

}  // namespace
}  // namespace izde::names
