#include "names/internal/han_spellings.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "names/internal/han_pinyin.h"
#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"

namespace izde::names::internal {
namespace {

constexpr char32_t kFirst = 0x4E00;
constexpr char32_t kLast = 0x9FFF;
constexpr size_t kMaxSpelling = 6;  // the table's spellings have 0-5 letters; pinyin up to 6
constexpr size_t kMaxCharacters = 24;
constexpr size_t kMaxLetters = 48;

// What a spelling the table does not list costs, as -ln p: the character's pinyin reading
// where its row lacks it, a character writing nothing where its row has no '-', and a Latin
// letter that no character writes. Wikidata Chinese hit@10 on queries 0-999 with both at 2.5, 3
// and 4: 0.943, 0.944, 0.944 (first table: min count 1.5, top 8; even blend; docs/names.md).
constexpr double kPinyinCost = 3.0;
constexpr double kSkipCost = 3.0;
// The softening of the per-letter mean cost: similarity exp(-cost / letters / kScale). Hit@10
// on queries 0-999 with 5, 8 and 12: 0.938, 0.944, 0.940 (the same).
constexpr double kScale = 8.0;

struct Spelling {
  std::array<char, kMaxSpelling> letters{};  // 1 to kMaxSpelling letters
  uint8_t size = 0;
  float cost = 0;
};

// One character's spellings, sorted by their first letter; rows of more than a few spellings
// (the learned ones) have a bucket per first letter, so that a letter of the word meets only the
// spellings that start with it (a scan of every spelling at every letter ran names_bench's
// cross-script comparisons at 0.78M/s, from 1.6M/s without the learned score).
struct Row {
  uint32_t first = 0;  // into Table::spellings
  uint32_t count = 0;
  float nothing = static_cast<float>(kPinyinCost);  // what writing no letter costs
  int32_t bucket = -1;  // into Table::buckets (27 offsets from `first`: letters a-z, then end)
};

constexpr size_t kBucketed = 4;  // rows with more spellings than this have buckets

struct Table {
  std::vector<Row> rows = std::vector<Row>(kLast - kFirst + 1);
  std::vector<Spelling> spellings;
  std::vector<uint8_t> buckets;
};

Table ParseTable() {
  std::vector<std::vector<Spelling>> parsed(kLast - kFirst + 1);
  Table result;
  for (const std::vector<std::string_view>& fields : TableRows(kHanSpellingTable, 2)) {
    size_t index = 0;
    const char32_t c = NextCodePoint(fields[0], index);
    if (c < kFirst || c > kLast) continue;
    for (size_t field_idx = 1; field_idx < fields.size(); ++field_idx) {
      const std::string_view field = fields[field_idx];
      const size_t colon = field.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon > kMaxSpelling) continue;
      double probability = 0;
      const auto [ptr, error] =
          std::from_chars(field.data() + colon + 1, field.data() + field.size(), probability);
      if (error != std::errc() || probability <= 0) continue;
      const auto cost = static_cast<float>(-std::log(probability));
      const std::string_view letters = field.substr(0, colon);
      if (letters == "-") {
        Row& row = result.rows[c - kFirst];
        row.nothing = std::min(row.nothing, cost);
        continue;
      }
      if (!std::all_of(letters.begin(), letters.end(),
                       [](char letter) { return letter >= 'a' && letter <= 'z'; })) {
        continue;
      }
      Spelling spelling;
      std::copy(letters.begin(), letters.end(), spelling.letters.begin());
      spelling.size = static_cast<uint8_t>(letters.size());
      spelling.cost = cost;
      parsed[c - kFirst].push_back(spelling);
    }
  }
  for (size_t row_idx = 0; row_idx < parsed.size(); ++row_idx) {
    std::vector<Spelling>& spellings = parsed[row_idx];
    const std::string_view reading = HanPinyin(static_cast<char32_t>(kFirst + row_idx));
    const bool plain = !reading.empty() && reading.size() <= kMaxSpelling &&
                       std::all_of(reading.begin(), reading.end(),
                                   [](char letter) { return letter >= 'a' && letter <= 'z'; });
    if (plain && std::none_of(spellings.begin(), spellings.end(), [&](const Spelling& spelling) {
          return std::string_view(spelling.letters.data(), spelling.size) == reading;
        })) {
      Spelling spelling;
      std::copy(reading.begin(), reading.end(), spelling.letters.begin());
      spelling.size = static_cast<uint8_t>(reading.size());
      spelling.cost = static_cast<float>(kPinyinCost);
      spellings.push_back(spelling);
    }
    std::stable_sort(spellings.begin(), spellings.end(), [](const Spelling& a, const Spelling& b) {
      return a.letters[0] < b.letters[0];
    });
    Row& row = result.rows[row_idx];
    row.first = static_cast<uint32_t>(result.spellings.size());
    row.count = static_cast<uint32_t>(spellings.size());
    result.spellings.insert(result.spellings.end(), spellings.begin(), spellings.end());
    if (spellings.size() > kBucketed) {
      row.bucket = static_cast<int32_t>(result.buckets.size());
      size_t spelling_idx = 0;
      for (char letter = 'a'; letter <= 'z'; ++letter) {
        while (spelling_idx < spellings.size() && spellings[spelling_idx].letters[0] < letter) {
          ++spelling_idx;
        }
        result.buckets.push_back(static_cast<uint8_t>(spelling_idx));
      }
      result.buckets.push_back(static_cast<uint8_t>(spellings.size()));
    }
  }
  return result;
}

// The characters of the engine's two Turkic tables: those the Turkic reading's rules name
// (zh_turkic_latn.txt: a variable's set, a rule's left side, the characters in its braces) and
// those the customary transcriptions of Uyghur and Kazakh names use (zh_turkic_variants.txt,
// the characters after the Latin key).
std::vector<bool> ParseTurkicCharacters() {
  std::vector<bool> result(kLast - kFirst + 1);
  auto add = [&result](std::string_view text) {
    for (size_t index = 0; index < text.size();) {
      const char32_t c = NextCodePoint(text, index);
      if (c >= kFirst && c <= kLast) result[c - kFirst] = true;
    }
  };
  ForEachTableLine(kHanTurkicRules, [&add](std::string_view line) {
    line = line.substr(0, line.find('#'));
    const size_t equals = line.find('=');
    const size_t arrow = line.find('>');
    if (equals != std::string_view::npos) {
      add(line.substr(equals + 1));
    } else if (arrow != std::string_view::npos) {
      line = line.substr(0, arrow);
      const size_t open = line.find('{');
      if (open != std::string_view::npos) line = line.substr(open + 1, line.find('}') - open - 1);
      add(line);
    }
  });
  for (const std::vector<std::string_view>& fields : TableRows(kTurkicChineseVariants, 3)) {
    for (size_t field_idx = 2; field_idx < fields.size(); ++field_idx) add(fields[field_idx]);
  }
  return result;
}

}  // namespace

bool ReadsAsTurkic(std::string_view han_text) {
  static const std::vector<bool> turkic = ParseTurkicCharacters();
  if (han_text.empty()) return false;
  for (size_t index = 0; index < han_text.size();) {
    const char32_t c = NextCodePoint(han_text, index);
    if (c < kFirst || c > kLast || !turkic[c - kFirst]) return false;
  }
  return true;
}

double HanSpellingSimilarity(std::string_view han_text, std::string_view latin_ascii,
                             double at_least) {
  static const Table table = ParseTable();
  const size_t letters = latin_ascii.size();
  if (letters == 0 || letters > kMaxLetters || han_text.empty()) return 0.0;
  const auto skip = static_cast<float>(kSkipCost);
  // Costs only grow: once every entry of a row costs more than this, no score reaches at_least.
  const float budget =
      at_least > 0.0
          ? static_cast<float>(-std::log(at_least) * kScale * static_cast<double>(letters)) + 1e-3F
          : std::numeric_limits<float>::infinity();
  // cost[j]: the cheapest way for the characters so far to write the first j letters (a letter
  // written by no character costs kSkipCost, a character writing nothing its row's `nothing`).
  std::array<float, kMaxLetters + 1> cost_row;
  std::array<float, kMaxLetters + 1> next_row;
  float* cost = cost_row.data();
  float* next = next_row.data();
  for (size_t letter_idx = 0; letter_idx <= letters; ++letter_idx) {
    cost[letter_idx] = skip * static_cast<float>(letter_idx);
  }
  static const Row kUnknown;
  size_t characters = 0;
  for (size_t index = 0; index < han_text.size();) {
    const char32_t c = NextCodePoint(han_text, index);
    if (++characters > kMaxCharacters) return 0.0;
    const Row& row = c >= kFirst && c <= kLast ? table.rows[c - kFirst] : kUnknown;
    for (size_t letter_idx = 0; letter_idx <= letters; ++letter_idx) {
      next[letter_idx] = cost[letter_idx] + row.nothing;
    }
    const Spelling* spellings = table.spellings.data() + row.first;
    const uint8_t* buckets = row.bucket >= 0 ? table.buckets.data() + row.bucket : nullptr;
    for (size_t letter_idx = 0; letter_idx < letters && row.count > 0; ++letter_idx) {
      const char* at = latin_ascii.data() + letter_idx;
      const int letter = *at - 'a';
      if (letter < 0 || letter >= 26) continue;
      const Spelling* begin = spellings;
      const Spelling* end = spellings + row.count;
      if (buckets != nullptr) {
        begin = spellings + buckets[letter];
        end = spellings + buckets[letter + 1];
      }
      const float so_far = cost[letter_idx];
      const size_t room = letters - letter_idx;
      for (const Spelling* spelling = begin; spelling != end; ++spelling) {
        const size_t size = spelling->size;
        if (size > room || spelling->letters[0] != at[0]) continue;
        size_t same = 1;
        while (same < size && spelling->letters[same] == at[same]) ++same;
        if (same < size) continue;
        next[letter_idx + size] = std::min(next[letter_idx + size], so_far + spelling->cost);
      }
    }
    float cheapest = next[0];
    for (size_t letter_idx = 0; letter_idx < letters; ++letter_idx) {
      next[letter_idx + 1] = std::min(next[letter_idx + 1], next[letter_idx] + skip);
      cheapest = std::min(cheapest, next[letter_idx + 1]);
    }
    if (cheapest > budget) return 0.0;
    std::swap(cost, next);
  }
  if (characters == 0) return 0.0;
  const double similarity =
      std::exp(-static_cast<double>(cost[letters]) / static_cast<double>(letters) / kScale);
  return similarity >= at_least ? similarity : 0.0;
}

}  // namespace izde::names::internal
