#include "match/comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "names/normalize.h"
#include "names/similarity.h"

namespace izde::match {
namespace {

// Level names per kind and model. Level 0 is the best; the last is "different". EM learns how
// much each level weighs; the thresholds only decide which pairs share a level.
constexpr std::array<std::string_view, 7> kNameLevels = {
    "exact",           "similar >= 0.92",        "similar >= 0.80", "similar >= 0.60",
    "similar >= 0.35", "in another name column", "different"};
constexpr std::array<double, 4> kNameThresholds = {0.92, 0.80, 0.60, 0.35};
static_assert(kNameLevels.size() == kNameThresholds.size() + 3);
constexpr std::array<std::string_view, 5> kPlainNameLevels = {
    "exact", "jaro-winkler >= 0.92", "jaro-winkler >= 0.88", "jaro-winkler >= 0.70", "different"};
constexpr std::array<std::string_view, 7> kDateLevels = {
    "same date", "same to the coarser precision",
    "one typo",  "same month",
    "same year", "1-2 years apart",
    "different"};
constexpr std::array<std::string_view, 4> kPlainDateLevels = {"exact", "1 edit", "2 edits",
                                                              "different"};
constexpr std::array<std::string_view, 6> kStringLevels = {
    "exact", "1 edit", "2 edits", "jaro-winkler >= 0.88", "same first word", "different"};
constexpr std::array<std::string_view, 5> kPlainStringLevels = {
    "exact", "1 edit", "2 edits", "jaro-winkler >= 0.88", "different"};
constexpr std::array<std::string_view, 2> kExactLevels = {"exact", "different"};

constexpr int kLevelUnknown = -1;

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::span<const std::string_view> LevelNames(FieldKind kind, ModelKind model) {
  switch (kind) {
    case FieldKind::kName:
      return model == ModelKind::kIzde ? std::span<const std::string_view>(kNameLevels)
                                       : std::span<const std::string_view>(kPlainNameLevels);
    case FieldKind::kDate:
      return model == ModelKind::kIzde ? std::span<const std::string_view>(kDateLevels)
                                       : std::span<const std::string_view>(kPlainDateLevels);
    case FieldKind::kString:
      return model == ModelKind::kIzde ? std::span<const std::string_view>(kStringLevels)
                                       : std::span<const std::string_view>(kPlainStringLevels);
    case FieldKind::kExact:
      return kExactLevels;
  }
  return kExactLevels;
}

int ParseInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::string_view FirstWord(std::string_view text) { return text.substr(0, text.find(' ')); }

// Levels of a string: exact, 1 edit, 2 edits, close by Jaro-Winkler, then (izde only) the same
// first word of several (a postcode's district, a street's name), different.
int StringLevel(const std::string& left, const std::string& right, ModelKind model) {
  if (left == right) return 0;
  int distance = EditDistance(left, right, 2);
  if (distance <= 2) return distance;
  if (names::JaroWinkler(left, right) >= 0.88) return 3;
  if (model == ModelKind::kPlain) return 4;
  bool several_words = left.find(' ') != std::string::npos || right.find(' ') != std::string::npos;
  return several_words && FirstWord(left) == FirstWord(right) ? 4 : 5;
}

// The optimal-string-alignment distance of a pattern of 1 to 64 bytes and a text, a column of
// the table per bit of a word (Hyyrö 2003, "A bit-vector algorithm for computing
// Levenshtein and Damerau edit distances"): one pass over the text, a few word operations per
// byte, where the table costs a row of the pattern's length per byte.
int BitParallelDistance(std::string_view pattern, std::string_view text) {
  std::array<uint64_t, 256> positions{};  // per byte value: where the pattern holds it
  for (size_t idx = 0; idx < pattern.size(); ++idx) {
    positions[static_cast<uint8_t>(pattern[idx])] |= uint64_t{1} << idx;
  }
  const uint64_t last = uint64_t{1} << (pattern.size() - 1);
  uint64_t vertical_plus = ~uint64_t{0};
  uint64_t vertical_minus = 0;
  uint64_t diagonal_zero = 0;
  uint64_t previous_match = 0;
  int distance = static_cast<int>(pattern.size());
  for (char byte : text) {
    const uint64_t match = positions[static_cast<uint8_t>(byte)];
    const uint64_t transposed = (((~diagonal_zero) & match) << 1) & previous_match;
    diagonal_zero = (((match & vertical_plus) + vertical_plus) ^ vertical_plus) | match |
                    vertical_minus | transposed;
    uint64_t horizontal_plus = vertical_minus | ~(diagonal_zero | vertical_plus);
    const uint64_t horizontal_minus = diagonal_zero & vertical_plus;
    if ((horizontal_plus & last) != 0) ++distance;
    if ((horizontal_minus & last) != 0) --distance;
    horizontal_plus = (horizontal_plus << 1) | 1;
    vertical_plus = (horizontal_minus << 1) | ~(diagonal_zero | horizontal_plus);
    vertical_minus = horizontal_plus & diagonal_zero;
    previous_match = match;
  }
  return distance;
}

}  // namespace

int EditDistance(std::string_view left, std::string_view right, int cap) {
  size_t left_size = left.size();
  size_t right_size = right.size();
  size_t gap = left_size > right_size ? left_size - right_size : right_size - left_size;
  if (gap > static_cast<size_t>(cap)) return cap + 1;
  if (left.empty() || right.empty()) return std::min(static_cast<int>(gap), cap + 1);
  // The distance is symmetric: the shorter string is the pattern, when it fits in a word.
  constexpr size_t kWordBits = 64;
  if (std::min(left_size, right_size) <= kWordBits) {
    const int distance = left_size <= right_size ? BitParallelDistance(left, right)
                                                 : BitParallelDistance(right, left);
    return std::min(distance, cap + 1);
  }
  // Longer strings: three rows of the optimal-string-alignment table, stopped once a whole row
  // exceeds the cap (on the stack up to 63 bytes on the right; only reached beyond 64 now).
  constexpr size_t kStackRow = 64;
  std::array<int, 3 * kStackRow> stack_rows{};
  std::vector<int> heap_rows;
  int* rows = stack_rows.data();
  if (right_size + 1 > kStackRow) {
    heap_rows.resize(3 * (right_size + 1));
    rows = heap_rows.data();
  }
  int* before = rows;
  int* previous = rows + (right_size + 1);
  int* current = rows + 2 * (right_size + 1);
  for (size_t right_idx = 0; right_idx <= right_size; ++right_idx) {
    previous[right_idx] = static_cast<int>(right_idx);
  }
  for (size_t left_idx = 1; left_idx <= left_size; ++left_idx) {
    current[0] = static_cast<int>(left_idx);
    int row_min = current[0];
    for (size_t right_idx = 1; right_idx <= right_size; ++right_idx) {
      int cost = left[left_idx - 1] == right[right_idx - 1] ? 0 : 1;
      int value = std::min(
          {previous[right_idx] + 1, current[right_idx - 1] + 1, previous[right_idx - 1] + cost});
      if (left_idx > 1 && right_idx > 1 && left[left_idx - 1] == right[right_idx - 2] &&
          left[left_idx - 2] == right[right_idx - 1]) {
        value = std::min(value, before[right_idx - 2] + 1);
      }
      current[right_idx] = value;
      row_min = std::min(row_min, value);
    }
    if (row_min > cap) return cap + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[right_size], cap + 1);
}

DateValue ParseDate(std::string_view text) {
  std::vector<std::string_view> groups;
  std::string all_digits;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] < '0' || text[pos] > '9') {
      ++pos;
      continue;
    }
    size_t begin = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    groups.push_back(text.substr(begin, pos - begin));
    all_digits += text.substr(begin, pos - begin);
  }
  DateValue date;
  date.digits = all_digits;
  auto set = [&date](std::string_view year, std::string_view month, std::string_view day) {
    date.year = ParseInt(year);
    date.month = month.empty() ? 0 : ParseInt(month);
    date.day = day.empty() ? 0 : ParseInt(day);
    date.precision = day.empty() ? (month.empty() ? 1 : 2) : 3;
    date.digits = fmt::format("{:04d}", date.year);
    if (date.precision >= 2) date.digits += fmt::format("{:02d}", date.month);
    if (date.precision >= 3) date.digits += fmt::format("{:02d}", date.day);
  };
  auto short_group = [](std::string_view group) { return !group.empty() && group.size() <= 2; };
  if (groups.size() == 1) {
    std::string_view group = groups[0];
    if (group.size() == 8) set(group.substr(0, 4), group.substr(4, 2), group.substr(6, 2));
    if (group.size() == 6) set(group.substr(0, 4), group.substr(4, 2), {});
    if (group.size() == 4) set(group, {}, {});
  } else if (groups.size() == 2) {
    if (groups[0].size() == 4 && short_group(groups[1])) set(groups[0], groups[1], {});
    if (short_group(groups[0]) && groups[1].size() == 4) set(groups[1], groups[0], {});
  } else if (groups.size() == 3) {
    if (groups[0].size() == 4 && short_group(groups[1]) && short_group(groups[2])) {
      set(groups[0], groups[1], groups[2]);
    } else if (short_group(groups[0]) && short_group(groups[1]) && groups[2].size() == 4) {
      set(groups[2], groups[1], groups[0]);  // day first, as written outside North America
    }
  }
  return date;
}

void Comparator::TermFrequencies::Finish() {
  expected = 0;
  for (const auto& [value, count] : counts) {
    double share = static_cast<double>(count) / total;
    expected += share * share;
  }
}

double Comparator::TermFrequencies::Adjustment(const std::string& value) const {
  auto found = counts.find(value);
  if (found == counts.end() || total <= 0 || expected <= 0) return 0;
  return std::log2(expected * total / static_cast<double>(found->second));
}

Result<std::unique_ptr<Comparator>> Comparator::Create(
    std::vector<FieldSpec> fields, ModelKind model, std::vector<std::vector<std::string>> rows,
    const std::function<void(int64_t, int64_t)>& progress) {
  if (fields.empty()) return InvalidArgumentError("a linkage needs at least one field");
  auto comparator = std::make_unique<Comparator>(PrivateTag{});
  Comparator& self = *comparator;
  self.fields_ = std::move(fields);
  self.model_ = model;
  self.record_count_ = rows.size();
  size_t field_count = self.fields_.size();
  size_t cells = rows.size() * field_count;
  self.raw_.resize(cells);
  self.text_.resize(cells);
  self.block_text_.resize(cells);
  self.dates_.resize(cells);
  self.analyses_.resize(cells);
  self.name_keys_.resize(rows.size());
  self.years_.assign(rows.size(), 0);
  self.values_tf_.resize(field_count);
  self.parts_tf_.resize(field_count);
  self.keys_tf_.resize(field_count);
  for (size_t record = 0; record < rows.size(); ++record) {
    if (rows[record].size() != field_count) {
      return InvalidArgumentError(fmt::format("record {} has {} values for {} fields", record + 1,
                                              rows[record].size(), field_count));
    }
    if (progress && record % 1000 == 0) {
      progress(static_cast<int64_t>(record), static_cast<int64_t>(rows.size()));
    }
    std::vector<std::string>& keys = self.name_keys_[record];
    for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
      const FieldSpec& field = self.fields_[field_idx];
      size_t cell = record * field_count + field_idx;
      std::string_view raw = Trim(rows[record][field_idx]);
      if (Status valid = names::ValidateUtf8(raw); !valid.ok()) {
        return InvalidArgumentError(
            fmt::format("record {}, field {}: {}", record + 1, field.name, valid.message()),
            field.name);
      }
      self.raw_[cell] = std::string(raw);
      if (raw.empty()) continue;
      IZDE_ASSIGN_OR_RETURN(std::string normalized, names::NormalizeText(raw));
      self.block_text_[cell] = normalized;
      self.text_[cell] = model == ModelKind::kIzde ? normalized : std::string(raw);
      switch (field.kind) {
        case FieldKind::kName: {
          IZDE_ASSIGN_OR_RETURN(names::NameAnalysis analysis, names::AnalyzeName(raw));
          keys.insert(keys.end(), analysis.blocking_keys.begin(), analysis.blocking_keys.end());
          if (model == ModelKind::kIzde) {
            for (const names::NameAnalysis::Part& part : analysis.parts) {
              if (!part.ascii.empty()) {
                ++self.parts_tf_[field_idx].counts[part.ascii];
                ++self.parts_tf_[field_idx].total;
              }
              if (!part.key.empty()) {
                ++self.keys_tf_[field_idx].counts[part.key];
                ++self.keys_tf_[field_idx].total;
              }
            }
            self.analyses_[cell] = std::move(analysis);
          }
          break;
        }
        case FieldKind::kDate:
          self.dates_[cell] = ParseDate(raw);
          if (self.years_[record] == 0) self.years_[record] = self.dates_[cell].year;
          break;
        case FieldKind::kString:
        case FieldKind::kExact:
          ++self.values_tf_[field_idx].counts[self.text_[cell]];
          ++self.values_tf_[field_idx].total;
          break;
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  }
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    self.values_tf_[field_idx].Finish();
    self.parts_tf_[field_idx].Finish();
    self.keys_tf_[field_idx].Finish();
  }
  if (progress) progress(static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows.size()));
  return comparator;
}

int Comparator::levels(size_t field) const {
  return static_cast<int>(LevelNames(fields_[field].kind, model_).size());
}

std::string_view Comparator::LevelName(size_t field, int level) const {
  if (level < 0) return "unknown";
  return LevelNames(fields_[field].kind, model_)[static_cast<size_t>(level)];
}

int Comparator::CompareName(uint32_t left, uint32_t right, size_t field, double* adjustment,
                            double* similarity) const {
  const std::string& left_text = Text(left, field);
  const std::string& right_text = Text(right, field);
  if (model_ == ModelKind::kPlain) {
    if (left_text == right_text) return 0;
    double score = names::JaroWinkler(left_text, right_text);
    if (similarity != nullptr) *similarity = score;
    return score >= 0.92 ? 1 : score >= 0.88 ? 2 : score >= 0.70 ? 3 : 4;
  }
  size_t field_count = fields_.size();
  const names::NameAnalysis& left_name = analyses_[left * field_count + field];
  const names::NameAnalysis& right_name = analyses_[right * field_count + field];
  names::NameComparison comparison = names::CompareAnalyses(left_name, right_name);
  if (similarity != nullptr) *similarity = comparison.score;
  const int different = static_cast<int>(kNameThresholds.size()) + 2;
  int level = different;
  if (left_text == right_text) {
    level = 0;
  } else {
    for (size_t threshold_idx = 0; threshold_idx < kNameThresholds.size(); ++threshold_idx) {
      if (comparison.score >= kNameThresholds[threshold_idx]) {
        level = static_cast<int>(threshold_idx) + 1;
        break;
      }
    }
  }
  if (level == different && MovedName(left, right, field)) return different - 1;
  if (adjustment != nullptr && level < different - 1) {
    // Each pair of aligned parts that agree adds how rare the part is.
    double total = 0;
    for (const names::PartMatch& match : comparison.matches) {
      if (match.left < 0 || match.right < 0) continue;
      const auto& left_part = left_name.parts[static_cast<size_t>(match.left)];
      const auto& right_part = right_name.parts[static_cast<size_t>(match.right)];
      if (!left_part.ascii.empty() && left_part.ascii == right_part.ascii) {
        total += parts_tf_[field].Adjustment(left_part.ascii);
      } else if (!left_part.key.empty() && left_part.key == right_part.key) {
        total += keys_tf_[field].Adjustment(left_part.key);
      }
    }
    *adjustment = total;
  }
  return level;
}

bool Comparator::MovedName(uint32_t left, uint32_t right, size_t field) const {
  // "Benbow" as a given name against "Joan" "Benbow": the part was written in another column.
  size_t field_count = fields_.size();
  const names::NameAnalysis& left_name = analyses_[left * field_count + field];
  const names::NameAnalysis& right_name = analyses_[right * field_count + field];
  for (size_t other = 0; other < field_count; ++other) {
    if (other == field || fields_[other].kind != FieldKind::kName) continue;
    const names::NameAnalysis& right_other = analyses_[right * field_count + other];
    const names::NameAnalysis& left_other = analyses_[left * field_count + other];
    if (!right_other.parts.empty() &&
        names::CompareAnalysesScore(left_name, right_other) >= kNameThresholds[1]) {
      return true;
    }
    if (!left_other.parts.empty() &&
        names::CompareAnalysesScore(left_other, right_name) >= kNameThresholds[1]) {
      return true;
    }
  }
  return false;
}

int Comparator::CompareDate(uint32_t left, uint32_t right, size_t field) const {
  if (model_ == ModelKind::kPlain) {
    const std::string& left_text = Text(left, field);
    const std::string& right_text = Text(right, field);
    if (left_text == right_text) return 0;
    int distance = EditDistance(left_text, right_text, 2);
    return distance <= 2 ? distance : 3;
  }
  size_t field_count = fields_.size();
  const DateValue& a = dates_[left * field_count + field];
  const DateValue& b = dates_[right * field_count + field];
  if (a.precision == 0 || b.precision == 0) {
    if (a.digits == b.digits) return 0;
    return EditDistance(a.digits, b.digits, 1) <= 1 ? 2 : 6;
  }
  int precision = std::min(a.precision, b.precision);
  int year_gap = std::abs(a.year - b.year);
  if (precision == 3) {
    if (a.digits == b.digits) return 0;
    bool swapped = a.year == b.year && a.month == b.day && a.day == b.month;
    if (swapped || EditDistance(a.digits, b.digits, 1) <= 1) return 2;
    if (a.year == b.year && a.month == b.month) return 3;
    if (year_gap == 0) return 4;
    return year_gap <= 2 ? 5 : 6;
  }
  bool same = a.year == b.year && (precision < 2 || a.month == b.month);
  if (same) return 1;
  if (year_gap == 0) return 4;
  return year_gap <= 2 ? 5 : 6;
}

int Comparator::CompareString(uint32_t left, uint32_t right, size_t field,
                              double* adjustment) const {
  const std::string& left_text = Text(left, field);
  const std::string& right_text = Text(right, field);
  int level = 0;
  if (fields_[field].kind == FieldKind::kExact) {
    level = left_text == right_text ? 0 : 1;
  } else {
    level = StringLevel(left_text, right_text, model_);
  }
  if (level == 0 && adjustment != nullptr && model_ == ModelKind::kIzde) {
    *adjustment = values_tf_[field].Adjustment(left_text);
  }
  return level;
}

double Comparator::Compare(uint32_t left, uint32_t right, std::span<int8_t> levels,
                           std::span<double> adjustments) const {
  double total = 0;
  for (size_t field_idx = 0; field_idx < fields_.size(); ++field_idx) {
    if (Text(left, field_idx).empty() || Text(right, field_idx).empty()) {
      levels[field_idx] = kLevelUnknown;
      if (!adjustments.empty()) adjustments[field_idx] = 0;
      continue;
    }
    double adjustment = 0;
    int level = 0;
    switch (fields_[field_idx].kind) {
      case FieldKind::kName:
        level = CompareName(left, right, field_idx, &adjustment, nullptr);
        break;
      case FieldKind::kDate:
        level = CompareDate(left, right, field_idx);
        break;
      case FieldKind::kString:
      case FieldKind::kExact:
        level = CompareString(left, right, field_idx, &adjustment);
        break;
    }
    levels[field_idx] = static_cast<int8_t>(level);
    if (!adjustments.empty()) adjustments[field_idx] = adjustment;
    total += adjustment;
  }
  return total;
}

std::string Comparator::Describe(uint32_t left, uint32_t right, size_t field, int level) const {
  std::string_view left_value = Value(left, field);
  std::string_view right_value = Value(right, field);
  if (level < 0) return fmt::format("unknown: {} ~ {}", left_value, right_value);
  if (fields_[field].kind == FieldKind::kName && level > 0) {
    double similarity = 0;
    CompareName(left, right, field, nullptr, &similarity);
    return fmt::format("{} ({:.2f}): {} ~ {}", LevelName(field, level), similarity, left_value,
                       right_value);
  }
  return fmt::format("{}: {} ~ {}", LevelName(field, level), left_value, right_value);
}

std::vector<std::string> Comparator::BlockingKeys(uint32_t record) const {
  std::vector<std::string> keys;
  const std::vector<std::string>& name_keys = name_keys_[record];
  // A record with many name parts would give many pairs: the first eight keys are enough.
  size_t name_count = std::min<size_t>(name_keys.size(), 8);
  int year = years_[record];
  for (size_t first = 0; first < name_count; ++first) {
    keys.push_back("n:" + name_keys[first]);
    if (year != 0) keys.push_back(fmt::format("ny:{}:{}", name_keys[first], year));
    for (size_t second = first + 1; second < name_count; ++second) {
      keys.push_back(fmt::format("nn:{}:{}", name_keys[first], name_keys[second]));
    }
  }
  size_t field_count = fields_.size();
  for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
    size_t cell = record * field_count + field_idx;
    switch (fields_[field_idx].kind) {
      case FieldKind::kName:
        break;
      case FieldKind::kDate:
        if (!dates_[cell].digits.empty()) {
          keys.push_back(fmt::format("d{}:{}", field_idx, dates_[cell].digits));
        }
        break;
      case FieldKind::kString:
      case FieldKind::kExact:
        if (!block_text_[cell].empty()) {
          keys.push_back(fmt::format("f{}:{}", field_idx, block_text_[cell]));
        }
        break;
    }
  }
  return keys;
}

}  // namespace izde::match
