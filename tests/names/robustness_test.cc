// Every public names function on arbitrary bytes and on random text from the scripts names are
// written in: no crash, no sanitizer report, and invalid UTF-8 is always kInvalidArgument.

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "names/keys.h"
#include "names/name_parts.h"
#include "names/normalize.h"
#include "names/script.h"
#include "names/transliterate.h"

namespace izde::names {
namespace {

void AppendUtf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Code points from the ranges that matter: ASCII, Latin-1 and Extended-A, combining marks,
// Cyrillic, Arabic (with the Töte markers and presentation forms), CJK, separators.
std::string RandomName(std::mt19937& random) {
  static constexpr std::pair<uint32_t, uint32_t> kRanges[] = {
      {0x20, 0x7E},     {0xA0, 0x17F},    {0x300, 0x36F},   {0x400, 0x4FF},
      {0x600, 0x6FF},   {0x4E00, 0x4FFF}, {0x2010, 0x2030}, {0xFB50, 0xFDFF},
      {0xFE70, 0xFEFC}, {0x200B, 0x200F}, {0x3000, 0x30FF}};
  std::uniform_int_distribution<size_t> length_dist(0, 12);
  std::uniform_int_distribution<size_t> range_dist(0, std::size(kRanges) - 1);
  std::string out;
  const size_t length = length_dist(random);
  for (size_t char_idx = 0; char_idx < length; ++char_idx) {
    const auto [low, high] = kRanges[range_dist(random)];
    std::uniform_int_distribution<uint32_t> code_dist(low, high);
    AppendUtf8(code_dist(random), out);
  }
  return out;
}

void Exercise(const std::string& text) {
  const bool valid = ValidateUtf8(text).ok();
  auto check = [valid, &text](const Status& status, std::string_view what = "") {
    if (valid) {
      EXPECT_TRUE(status.ok()) << status.ToString() << " for '" << text << "'";
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << what;
    }
  };
  check(NormalizeName(text).status(), "NormalizeName");
  check(DetectScript(text).status(), "DetectScript");
  check(DetectTokenScripts(text).status(), "DetectTokenScripts");
  check(GuessLanguage(text).status(), "GuessLanguage");
  for (Transform transform : AllTransforms()) {
    check(Transliterate(text, transform).status(), TransformName(transform));
  }
  check(LatinForms(text).status(), "LatinForms");
  check(KeyForms(text).status(), "KeyForms");
  check(ParseName(text).status(), "ParseName");
}

TEST(RobustnessTest, ArbitraryBytes) {
  std::mt19937 random(20261129);
  std::uniform_int_distribution<int> byte_dist(0, 255);
  for (int round = 0; round < 1000; ++round) {
    std::string bytes;
    for (int byte_idx = 0; byte_idx < round % 17; ++byte_idx) {
      bytes.push_back(static_cast<char>(byte_dist(random)));
    }
    Exercise(bytes);
  }
}

TEST(RobustnessTest, RandomTextInNameScripts) {
  std::mt19937 random(42);
  for (int round = 0; round < 1000; ++round) Exercise(RandomName(random));
}

}  // namespace
}  // namespace izde::names
