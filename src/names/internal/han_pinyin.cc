#include "names/internal/han_pinyin.h"

#include <vector>

#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"

namespace izde::names::internal {
namespace {

constexpr char32_t kFirst = 0x4E00;
constexpr char32_t kLast = 0x9FFF;

// One view into the embedded table per code point of the block: a lookup is an index.
// ICU's Han-Latin searches its very large rule set at every character: it held the analysis of
// Han names to ~2,000 a second (figures before and after in docs/names.md).
std::vector<std::string_view> ParseTable() {
  std::vector<std::string_view> readings(kLast - kFirst + 1);
  ForEachTableLine(kHanPinyinTable, [&readings](std::string_view line) {
    const size_t tab = line.find('\t');
    if (line.empty() || line.front() == '#' || tab == std::string_view::npos) return;
    const std::string_view reading = line.substr(0, tab);
    const std::string_view chars = line.substr(tab + 1);
    for (size_t index = 0; index < chars.size();) {
      const char32_t c = NextCodePoint(chars, index);
      if (c >= kFirst && c <= kLast) readings[c - kFirst] = reading;
    }
  });
  return readings;
}

}  // namespace

char32_t NextCodePoint(std::string_view text, size_t& index) {
  const auto lead = static_cast<unsigned char>(text[index++]);
  int trail = 0;
  char32_t c = lead;
  if (lead >= 0xF0) {
    trail = 3;
    c = lead & 0x07u;
  } else if (lead >= 0xE0) {
    trail = 2;
    c = lead & 0x0Fu;
  } else if (lead >= 0xC0) {
    trail = 1;
    c = lead & 0x1Fu;
  } else if (lead >= 0x80) {
    return 0xFFFD;
  }
  for (; trail > 0; --trail) {
    if (index >= text.size()) return 0xFFFD;
    c = (c << 6) | (static_cast<unsigned char>(text[index++]) & 0x3Fu);
  }
  return c;
}

std::string_view HanPinyin(char32_t code_point) {
  static const std::vector<std::string_view> readings = ParseTable();
  if (code_point < kFirst || code_point > kLast) return {};
  return readings[code_point - kFirst];
}

}  // namespace izde::names::internal
