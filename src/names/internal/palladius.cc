#include "names/internal/palladius.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>

#include "names/internal/han_pinyin.h"
#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"

namespace izde::names::internal {
namespace {

// The longest syllable in code points ("чжуань").
constexpr size_t kMaxSyllable = 6;
// Words longer than this are no Chinese given name (at most a few syllables).
constexpr size_t kMaxLetters = 24;

// A syllable's letters, 6 bits each (а..я 1..32, ё 33), as one number: lookups allocate
// nothing. 0 for a letter no syllable has.
uint64_t LetterCode(char32_t c) {
  if (c >= U'а' && c <= U'я') return static_cast<uint64_t>(c - U'а') + 1;
  if (c >= U'А' && c <= U'Я') return static_cast<uint64_t>(c - U'А') + 1;
  if (c == U'ё' || c == U'Ё') return 33;
  return 0;
}

// Syllable code -> pinyin.
using Table = std::unordered_map<uint64_t, std::string_view>;

Table ParseTable() {
  Table table;
  for (const std::vector<std::string_view>& row : TableRows(kPalladiusPinyinTable, 2)) {
    uint64_t code = 0;
    for (size_t index = 0; index < row[0].size();) {
      code = (code << 6) | LetterCode(NextCodePoint(row[0], index));
    }
    table.emplace(code, row[1]);
  }
  return table;
}

char32_t LowerCyrillic(char32_t c) {
  if (c >= U'А' && c <= U'Я') return c + (U'а' - U'А');
  if (c == U'Ё') return U'ё';
  return c;
}

bool Contains(std::string_view word, std::string_view part) {
  return word.find(part) != std::string_view::npos;
}

}  // namespace

std::string PalladiusPinyin(std::string_view word, size_t* syllables) {
  static const Table table = ParseTable();
  std::array<uint64_t, kMaxLetters> letters;
  size_t count = 0;
  for (size_t index = 0; index < word.size();) {
    if (count == kMaxLetters) return {};
    const uint64_t code = LetterCode(NextCodePoint(word, index));
    if (code == 0) return {};
    letters[count++] = code;
  }
  if (count == 0) return {};
  // fewest[i]: the fewest syllables that spell the first i letters, with the last one's length.
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::array<size_t, kMaxLetters + 1> fewest;
  std::array<size_t, kMaxLetters + 1> last{};
  std::array<std::string_view, kMaxLetters + 1> reading;
  fewest.fill(kNone);
  fewest[0] = 0;
  for (size_t start = 0; start < count; ++start) {
    if (fewest[start] == kNone) continue;
    uint64_t code = 0;
    for (size_t length = 1; length <= kMaxSyllable && start + length <= count; ++length) {
      code = (code << 6) | letters[start + length - 1];
      auto found = table.find(code);
      if (found == table.end()) continue;
      const size_t end = start + length;
      if (fewest[start] + 1 < fewest[end]) {
        fewest[end] = fewest[start] + 1;
        last[end] = length;
        reading[end] = found->second;
      }
    }
  }
  if (fewest[count] == kNone) return {};
  std::vector<std::string_view> pieces;
  for (size_t end = count; end > 0; end -= last[end]) pieces.push_back(reading[end]);
  std::string pinyin;
  for (auto piece = pieces.rbegin(); piece != pieces.rend(); ++piece) pinyin += *piece;
  if (syllables != nullptr) *syllables = pieces.size();
  return pinyin;
}

std::vector<std::string> PalladiusName(const std::vector<std::string_view>& words) {
  static constexpr std::array<std::string_view, 15> kMarks = {"цз",  "чж", "юй",  "юэ",  "эй",
                                                              "энь", "эн", "ань", "инь", "янь",
                                                              "унь", "ао", "оу",  "уа",  "уй"};
  if (words.empty()) return {};
  std::vector<std::string> pinyin;
  bool marked = false;
  bool short_words = words.size() >= 2 && words.size() <= 3;
  for (std::string_view word : words) {
    size_t syllables = 0;
    pinyin.push_back(PalladiusPinyin(word, &syllables));
    if (pinyin.back().empty()) return {};
    short_words = short_words && syllables <= 2;
    std::string lower;
    for (size_t index = 0; index < word.size();) {
      const char32_t c = LowerCyrillic(NextCodePoint(word, index));
      // Back to UTF-8: every letter here is Cyrillic, two bytes.
      lower.push_back(static_cast<char>(0xC0 | (c >> 6)));
      lower.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
    marked = marked || std::any_of(kMarks.begin(), kMarks.end(), [&lower](std::string_view mark) {
               return Contains(lower, mark);
             });
  }
  if (!marked && !short_words) return {};
  return pinyin;
}

}  // namespace izde::names::internal
