#include "names/internal/han_pinyin.h"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <memory>
#include <string>

#include "names/transliterate.h"
#include "testing/status_matchers.h"

namespace izde::names {
namespace {

TEST(HanPinyinTest, ReadsNameCharacters) {
  EXPECT_EQ(internal::HanPinyin(U'买'), "mai");
  EXPECT_EQ(internal::HanPinyin(U'提'), "ti");
  EXPECT_EQ(internal::HanPinyin(U'单'), "shan");  // the surname reading, as Han-Latin/Names
  EXPECT_EQ(internal::HanPinyin(U'a'), "");
  EXPECT_EQ(internal::HanPinyin(0x20000), "");  // Extension B: left to ICU
}

// The generated table must say what the linked ICU says, character by character: otherwise
// the table and the fallback would read names differently.
TEST(HanPinyinTest, TableAgreesWithIcu) {
  UErrorCode error = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::Transliterator> icu_pinyin(
      icu::Transliterator::createFromRules("test", "::Han-Latin/Names; ::Latin-ASCII; ::Any-Lower;",
                                           UTRANS_FORWARD, parse_error, error));
  ASSERT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  int checked = 0;
  int differing = 0;
  for (char32_t code_point = 0x4E00; code_point <= 0x9FFF; code_point += 7) {
    const std::string_view table = internal::HanPinyin(code_point);
    if (table.empty()) continue;
    icu::UnicodeString text(static_cast<UChar32>(code_point));
    icu_pinyin->transliterate(text);
    std::string reading;
    text.toUTF8String(reading);
    ++checked;
    if (reading != table) {
      ++differing;
      ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(code_point) << ": table " << table
                    << ", ICU " << reading;
      if (differing > 10) break;
    }
  }
  EXPECT_GT(checked, 2500);
}

TEST(HanPinyinTest, RareCharactersFallBackToIcu) {
  // 𠀋 (U+2000B, Extension B) is outside the table; the result must still be Latin.
  ASSERT_OK_AND_ASSIGN(std::string pinyin,
                       Transliterate("买\U0002000B提", Transform::kHanToPinyin));
  EXPECT_EQ(pinyin.substr(0, 3), "Mai");
  ASSERT_OK_AND_ASSIGN(std::string mixed, Transliterate("买 Ali", Transform::kHanToPinyin));
  EXPECT_EQ(mixed, "Mai Ali");
}

TEST(HanPinyinTest, TurkicDecodingReadsUnlistedCharactersAsPinyin) {
  ASSERT_OK_AND_ASSIGN(std::string turkic, Transliterate("买买提·王", Transform::kHanToTurkic));
  EXPECT_EQ(turkic, "Memet Wang");
}

}  // namespace
}  // namespace izde::names
