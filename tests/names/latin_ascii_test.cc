// Transliterate(..., kLatinToAscii) reads most letters from a table instead of running ICU;
// the table must give what the rules in latn_ascii_turkic.txt give.
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <string>

#include "names/internal/translit_rules.h"
#include "names/transliterate.h"
#include "testing/status_matchers.h"

namespace izde::names {
namespace {

class LatinAsciiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    UErrorCode error = U_ZERO_ERROR;
    UParseError parse_error{};
    const std::string_view rules = internal::kLatinAsciiTurkicRules;
    icu_.reset(
        icu::Transliterator::createFromRules("test",
                                             icu::UnicodeString::fromUTF8(icu::StringPiece(
                                                 rules.data(), static_cast<int32_t>(rules.size()))),
                                             UTRANS_FORWARD, parse_error, error));
    ASSERT_TRUE(U_SUCCESS(error)) << u_errorName(error);
  }

  std::string Icu(const std::string& text) {
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
    icu_->transliterate(unicode);
    std::string out;
    unicode.toUTF8String(out);
    return out;
  }

  std::unique_ptr<icu::Transliterator> icu_;
};

TEST_F(LatinAsciiTest, TableAgreesWithTheRulesOnEveryLetter) {
  for (char32_t c = 0x00C0; c <= 0x024F; ++c) {
    std::string text;
    icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(text);
    ASSERT_OK_AND_ASSIGN(std::string fast, Transliterate(text, Transform::kLatinToAscii));
    EXPECT_EQ(fast, Icu(text)) << "U+" << std::hex << static_cast<uint32_t>(c);
  }
}

TEST_F(LatinAsciiTest, TableAgreesWithTheRulesOnNames) {
  for (const std::string name :
       {"Serıkjan Bıläş", "Qūanyş Ūlı", "Ilʹkham Tokhti", "Gül’nar Şäkir", "İlham Tohti", "Ǵalym",
        "Žaneta Čolak", "Ñuñez", "Ahmet Ə", "Müller", "e\u0301mile", "ŞÄKIR"}) {
    ASSERT_OK_AND_ASSIGN(std::string fast, Transliterate(name, Transform::kLatinToAscii));
    EXPECT_EQ(fast, Icu(name)) << name;
  }
}

}  // namespace
}  // namespace izde::names
