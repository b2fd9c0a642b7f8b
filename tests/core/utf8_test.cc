#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace izde {
namespace {

TEST(Utf8Test, FindsInvalidBytes) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("Біләш 伊宁 سەرىكجان 😀"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("abc\xC0\xAF"), 3u);              // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xED\xA0\x80"), 10u);  // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);         // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xE4\xBC"), 2u);               // truncated
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);
  // Past the eight-byte ASCII skip: the bad byte after a long ASCII run is still found.
  EXPECT_EQ(FindInvalidUtf8(std::string(17, 'a') + "\xFF"), 17u);
}

TEST(Utf8Test, IsValidUtf8AgreesWithFindInvalidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Серікжан Біләш 赛力克江"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong, four bytes
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // cut short
}

}  // namespace
}  // namespace izde
