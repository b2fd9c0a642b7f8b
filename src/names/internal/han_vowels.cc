#include "names/internal/han_vowels.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "names/internal/han_pinyin.h"
#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"

namespace izde::names::internal {
namespace {

constexpr char32_t kFirst = 0x4E00;
constexpr char32_t kLast = 0x9FFF;

// A character's entry: bits 0-4 the Latin vowels a e i o u its final may write, bit 5 a
// consonant carrier, bit 6 a reading known. 0 for no reading.
constexpr uint8_t kCarrier = 1U << 5;
constexpr uint8_t kKnown = 1U << 6;
constexpr uint8_t kAnyVowel = 0x1F;

uint8_t VowelBit(char c) {
  switch (c) {
    case 'a':
      return 1U << 0;
    case 'e':
      return 1U << 1;
    case 'i':
    case 'y':
      return 1U << 2;
    case 'o':
      return 1U << 3;
    case 'u':
      return 1U << 4;
    default:
      return 0;
  }
}

// The final of a toneless pinyin syllable: "zhuang" -> "uang", "yan" -> "an", "er" -> "er",
// "m" -> "".
std::string_view Final(std::string_view syllable) {
  static constexpr std::string_view kInitials[] = {"zh", "ch", "sh", "b", "p", "m", "f", "d",
                                                   "t",  "n",  "l",  "g", "k", "h", "j", "q",
                                                   "x",  "r",  "z",  "c", "s", "y", "w"};
  if (syllable == "er") return syllable;
  for (std::string_view initial : kInitials) {
    if (syllable.starts_with(initial)) {
      syllable.remove_prefix(initial.size());
      break;
    }
  }
  return syllable;
}

// The final without its closing n or ng: "uang" -> "ua", "in" -> "i".
std::string_view WithoutNasal(std::string_view final_part) {
  if (final_part.size() > 1 && final_part.ends_with("ng")) {
    final_part.remove_suffix(2);
  } else if (final_part.size() > 1 && final_part.ends_with('n')) {
    final_part.remove_suffix(1);
  }
  return final_part;
}

uint8_t LettersMask(const std::vector<std::string_view>& fields, size_t first) {
  uint8_t mask = 0;
  for (size_t idx = first; idx < fields.size(); ++idx) {
    for (char c : fields[idx]) mask = static_cast<uint8_t>(mask | VowelBit(c));
  }
  return mask;
}

struct Tables {
  std::vector<uint8_t> characters;  // one entry per code point of U+4E00-U+9FFF
  std::vector<std::pair<std::string_view, uint8_t>> latin_groups;
  std::vector<std::string_view> silent;
};

// The tables of zh_vowels.txt, the characters' entries made with the pinyin table.
Tables BuildTables() {
  Tables tables;
  std::vector<std::pair<std::string_view, uint8_t>> finals;
  std::vector<std::string_view> carriers;
  for (const std::vector<std::string_view>& fields : TableRows(kHanVowelTable, 2)) {
    if (fields[0] == "final") {
      finals.emplace_back(fields[1], LettersMask(fields, 2));
    } else if (fields[0] == "latin") {
      tables.latin_groups.emplace_back(fields[1], LettersMask(fields, 2));
    } else if (fields[0] == "silent") {
      tables.silent.insert(tables.silent.end(), fields.begin() + 1, fields.end());
    } else if (fields[0] == "carrier") {
      carriers.insert(carriers.end(), fields.begin() + 1, fields.end());
    }
  }
  std::vector<uint8_t>& entries = tables.characters;
  entries.assign(kLast - kFirst + 1, 0);
  auto find_final = [&finals](std::string_view final_part) -> int {
    for (const auto& [listed, mask] : finals) {
      if (listed == final_part) return mask;
    }
    return -1;
  };
  for (char32_t c = kFirst; c <= kLast; ++c) {
    const std::string_view reading = HanPinyin(c);
    if (reading.empty()) continue;
    const std::string_view final_part = Final(reading);
    uint8_t entry = kKnown | kAnyVowel;
    int mask = -1;
    // ü after j, q, x, y (yu, jue, xuan, qun): looked up as v first.
    if (final_part.starts_with('u') &&
        std::string_view("jqxy").find(reading.front()) != std::string_view::npos) {
      std::string umlaut(final_part);
      umlaut.front() = 'v';
      mask = find_final(umlaut);
      if (mask < 0) mask = find_final(WithoutNasal(umlaut));
    }
    if (mask < 0) mask = find_final(final_part);
    if (mask < 0) mask = find_final(WithoutNasal(final_part));
    if (mask >= 0) entry = static_cast<uint8_t>(kKnown | mask);
    if (std::find(carriers.begin(), carriers.end(), reading) != carriers.end()) {
      entry = static_cast<uint8_t>(entry | kCarrier);
    }
    entries[c - kFirst] = entry;
  }
  return tables;
}

constexpr size_t kMaxGroups = 16;

}  // namespace

double HanVowelAgreement(std::string_view han_text, std::string_view latin_ascii) {
  static const Tables tables = BuildTables();
  std::array<uint8_t, kMaxGroups> han{};
  size_t han_count = 0;
  for (size_t index = 0; index < han_text.size() && han_count < kMaxGroups;) {
    const char32_t c = NextCodePoint(han_text, index);
    if (c < kFirst || c > kLast) continue;
    const uint8_t entry = tables.characters[c - kFirst];
    if ((entry & kKnown) != 0) han[han_count++] = entry;
  }
  // The Latin vowel groups: runs of a e i o u, and y where no vowel follows it (Gary, not Yusuf).
  std::array<uint8_t, kMaxGroups> latin{};
  std::array<bool, kMaxGroups> latin_silent{};
  size_t latin_count = 0;
  size_t group_start = 0;
  bool in_group = false;
  for (size_t index = 0; index <= latin_ascii.size(); ++index) {
    const char c = index < latin_ascii.size() ? latin_ascii[index] : '\0';
    bool vowel = VowelBit(c) != 0;
    if (c == 'y' && index + 1 < latin_ascii.size() &&
        (VowelBit(latin_ascii[index + 1]) & ~VowelBit('y')) != 0) {
      vowel = false;
    }
    if (vowel && !in_group) {
      group_start = index;
      in_group = true;
    } else if (!vowel && in_group) {
      in_group = false;
      if (latin_count == kMaxGroups) continue;
      const std::string_view run = latin_ascii.substr(group_start, index - group_start);
      uint8_t mask = 0;
      if (run.size() > 1) {  // the table lists runs of two or more letters
        for (const auto& [listed, listed_mask] : tables.latin_groups) {
          if (listed == run) mask = listed_mask;
        }
      }
      if (mask == 0) {
        for (char letter : run) mask = static_cast<uint8_t>(mask | VowelBit(letter));
      }
      latin_silent[latin_count] =
          index == latin_ascii.size() && group_start > 0 &&
          std::find(tables.silent.begin(), tables.silent.end(), run) != tables.silent.end();
      latin[latin_count++] = mask;
    }
  }
  if (han_count == 0 || latin_count == 0) return 1.0;
  // Edit distance in twentieths: Latin groups against characters.
  constexpr int kUnit = 20;
  constexpr int kLeftOverCharacter = 3;
  std::array<int, kMaxGroups + 1> previous;
  std::array<int, kMaxGroups + 1> current;
  auto skip_han = [&](size_t han_idx) {
    return (han[han_idx] & kCarrier) != 0 ? 0 : kLeftOverCharacter;
  };
  previous[0] = 0;
  for (size_t han_idx = 0; han_idx < han_count; ++han_idx) {
    previous[han_idx + 1] = previous[han_idx] + skip_han(han_idx);
  }
  for (size_t latin_idx = 0; latin_idx < latin_count; ++latin_idx) {
    const int skip_latin = latin_silent[latin_idx] && latin_count > 1 ? kLeftOverCharacter : kUnit;
    current[0] = previous[0] + skip_latin;
    for (size_t han_idx = 0; han_idx < han_count; ++han_idx) {
      const int swap = (latin[latin_idx] & han[han_idx] & kAnyVowel) != 0 ? 0 : kUnit;
      current[han_idx + 1] = std::min({previous[han_idx] + swap, previous[han_idx + 1] + skip_latin,
                                       current[han_idx] + skip_han(han_idx)});
    }
    std::copy_n(current.begin(), han_count + 1, previous.begin());
  }
  const double cost = static_cast<double>(previous[han_count]) / kUnit;
  return std::max(0.0, 1.0 - cost / static_cast<double>(latin_count));
}

}  // namespace izde::names::internal
