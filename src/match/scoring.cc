#include "match/scoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "match/comparison.h"
#include "names/similarity.h"

namespace izde::match {
namespace {

double Weight(double m, double u) { return std::log2(m / u); }

// Birth years of the people in the registry spread over about sixty years (1940s to 2000s), so
// a random pair of persons agrees on an exact year about once in sixty: u = width / 60.
constexpr double kBirthYearSpan = 60.0;

// A county is the first six digits of its townships' codes.
std::string_view CountyOf(std::string_view code) {
  return code.size() >= 6 ? code.substr(0, 6) : std::string_view();
}

struct NameLevel {
  std::string_view name;
  double weight;
};

// Levels on the name engine's score. Among true pairs most names come out the same or nearly
// (m), while two different persons rarely do, except for common names (u; the term frequency
// adjustment that tells "Memet" from "Serikzhan" is a later increment).
NameLevel NameLevelOf(double score) {
  if (score >= 0.95) return {"identical", Weight(0.55, 0.0005)};
  if (score >= 0.80) return {"same", Weight(0.35, 0.003)};
  if (score >= 0.55) return {"possibly", Weight(0.08, 0.03)};
  return {"different", Weight(0.02, 0.9665)};
}

FieldWeight NameWeightOf(double score, std::string_view query, std::string_view record) {
  NameLevel level = NameLevelOf(score);
  return {"name", fmt::format("{} ({:.2f}): {} ~ {}", level.name, score, query, record),
          level.weight};
}

// Years between two ranges; 0 when they overlap.
int YearGap(YearRange query, YearRange record) {
  return std::max({0, query.first - record.last, record.first - query.last});
}

// The weights of birth year, hometown and gender, as the functions below explain them.
double BirthYearValue(YearRange query, YearRange record) {
  if (!query.known() || !record.known()) return 0;
  int gap = YearGap(query, record);
  if (gap == 0) {
    int width = query.width() + record.width() - 1;
    double u = std::min(1.0, static_cast<double>(width) / kBirthYearSpan);
    return std::max(0.0, Weight(0.8, u));
  }
  if (gap <= 2) return Weight(gap == 1 ? 0.12 : 0.04, 2.0 / kBirthYearSpan);
  return Weight(0.04, 0.9);
}

double GenderValue(Gender query, Gender record) {
  if (query == Gender::kUnknown || record == Gender::kUnknown) return 0;
  return query == record ? Weight(0.98, 0.5) : Weight(0.01, 0.5);
}

// The parts' ASCII forms, lower-cased, sorted and joined by spaces, into `joined`: the letters
// of a name whatever the order of its words. `letters` is scratch space; with both kept by the
// caller, a call allocates nothing once they have grown.
void SortedAscii(const names::NameAnalysis& name, std::string& letters, std::string& joined) {
  letters.clear();
  joined.clear();
  struct Span {
    size_t begin;
    size_t size;
  };
  std::array<Span, 16> stack_spans{};
  std::vector<Span> heap_spans;
  std::span<Span> spans(stack_spans.data(), std::min(name.parts.size(), stack_spans.size()));
  if (name.parts.size() > stack_spans.size()) {
    heap_spans.resize(name.parts.size());
    spans = heap_spans;
  }
  for (size_t part_idx = 0; part_idx < name.parts.size(); ++part_idx) {
    const std::string& ascii = name.parts[part_idx].ascii;
    spans[part_idx] = {letters.size(), ascii.size()};
    for (char letter : ascii) {
      letters.push_back(letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a')
                                                       : letter);
    }
  }
  const std::string_view all = letters;
  std::sort(spans.begin(), spans.end(), [all](const Span& left, const Span& right) {
    return all.substr(left.begin, left.size) < all.substr(right.begin, right.size);
  });
  for (const Span& span : spans) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(all.substr(span.begin, span.size));
  }
}

// WrittenCloseness of two names whose letters SortedAscii has made.
double ClosenessOfLetters(std::string_view query_input, std::string_view query_letters,
                          std::string_view record_input, std::string_view record_letters) {
  if (query_input == record_input) return 1.0;
  if (query_letters.empty() || record_letters.empty()) return 0;
  if (query_letters == record_letters) return 0.9;
  // Each edit takes 0.05 from 0.8: sixteen edits or more leave nothing.
  constexpr int kMaxEdits = 16;
  const int edits = EditDistance(query_letters, record_letters, kMaxEdits);
  return 0.8 * (1.0 - static_cast<double>(std::min(edits, kMaxEdits)) / kMaxEdits);
}

// What CompareUnexplained and CompareUnexplainedAtLeast share. The best pair of name forms
// first, by number; only its line of explanation is written, by Scorer::Explain (formatting
// every pair's line was a tenth of `izde dedupe`, callgrind). A score of 1 (the most
// CompareAnalyses gives) ends the search: a later pair can only tie, and a tie keeps the first.
// With `floor` > 0 each pair is given up below it (names::CompareAnalysesScoreAtLeast): where
// the best reaches the floor, every pair at or above it has its exact score and those below
// stay below, so the first best pair is the one found without a floor; where the best is below
// it, returns false and leaves `score` as it was. A floor of 0 (or less) scores every pair in
// full and always returns true. On true, every member of `score` is set (the explanation empty).
// A record's forms, held in a vector or pointed at.
const names::NameAnalysis& FormAt(const std::vector<names::NameAnalysis>& forms, size_t idx) {
  return forms[idx];
}
const names::NameAnalysis& FormAt(std::span<const names::NameAnalysis* const> forms, size_t idx) {
  return *forms[idx];
}

template <typename Forms>
bool BestPairScore(const std::vector<names::NameAnalysis>& query_names, const Forms& record_names,
                   double floor, const Scorer::FieldWeights& fields, Score& score,
                   ComparisonMemo* memo = nullptr) {
  const bool bounded = floor > 0.0;
  // A pair's name score: where the memo knows it, or knows it below a level at or under the
  // floor (a value below the floor is all a pair below it gives: -1), read from it; else
  // compared, and what was learnt kept.
  auto pair_score = [&](size_t query_idx, const names::NameAnalysis& query_name,
                        const names::NameAnalysis& record_name) {
    if (memo == nullptr) {
      return bounded ? names::CompareAnalysesScoreAtLeast(query_name, record_name, floor)
                     : names::CompareAnalysesScore(query_name, record_name);
    }
    if (record_name.memo_id == 0) {
      return names::CompareAnalysesScoreAtLeast(query_name, record_name, bounded ? floor : 0.0,
                                                names::CompareOptions(), memo->parts());
    }
    ComparisonMemo::Pair& known = memo->At(static_cast<uint32_t>(query_idx), record_name.memo_id);
    if (known.exact) return known.score;
    if (bounded && known.below <= floor) return -1.0;
    const double compared = names::CompareAnalysesScoreAtLeast(
        query_name, record_name, bounded ? floor : 0.0, names::CompareOptions(), memo->parts());
    if (!bounded || compared >= floor) {
      known.exact = true;
      known.score = compared;
    } else {
      known.below = std::min(known.below, floor);
    }
    return compared;
  };
  double best_score = -1;
  int best_query = -1;
  int best_record = -1;
  for (size_t query_idx = 0; query_idx < query_names.size() && best_score < 1.0; ++query_idx) {
    for (size_t record_idx = 0; record_idx < record_names.size() && best_score < 1.0;
         ++record_idx) {
      const double name_score =
          pair_score(query_idx, query_names[query_idx], FormAt(record_names, record_idx));
      if (name_score > best_score) {
        best_score = name_score;
        best_query = static_cast<int>(query_idx);
        best_record = static_cast<int>(record_idx);
      }
    }
  }
  if (bounded && best_score < floor) return false;
  // The closest written pair, for ties (every pair: the best sounding is not always the best
  // written, as with a namesake's Cyrillic form beside a Latin one). Each form's letters are
  // sorted once, not once for every pair it is in (both sides sorted per pair cost 1% of Find
  // at 1M, docs/search.md), and only where the memo does not hold the pair's closeness; a pair
  // written the same (1, the most) ends it.
  double written = 0;
  thread_local std::string scratch;
  thread_local std::string query_letters;
  thread_local std::vector<std::string> record_letters;
  thread_local std::vector<char> record_sorted;
  if (record_letters.size() < record_names.size()) record_letters.resize(record_names.size());
  record_sorted.assign(record_names.size(), 0);
  for (size_t query_idx = 0; query_idx < query_names.size() && written < 1.0; ++query_idx) {
    const names::NameAnalysis& query_name = query_names[query_idx];
    bool query_sorted = false;
    for (size_t record_idx = 0; record_idx < record_names.size() && written < 1.0; ++record_idx) {
      const names::NameAnalysis& record_name = FormAt(record_names, record_idx);
      ComparisonMemo::Pair* known =
          memo == nullptr || record_name.memo_id == 0
              ? nullptr
              : &memo->At(static_cast<uint32_t>(query_idx), record_name.memo_id);
      if (known != nullptr && known->written >= 0) {
        written = std::max(written, known->written);
        continue;
      }
      if (!query_sorted) {
        SortedAscii(query_name, scratch, query_letters);
        query_sorted = true;
      }
      if (record_sorted[record_idx] == 0) {
        SortedAscii(record_name, scratch, record_letters[record_idx]);
        record_sorted[record_idx] = 1;
      }
      const double closeness = ClosenessOfLetters(query_name.input, query_letters,
                                                  record_name.input, record_letters[record_idx]);
      if (known != nullptr) known->written = closeness;
      written = std::max(written, closeness);
    }
  }
  // The weights summed in the order of the explanation's lines (name, birth year, hometown,
  // gender), so that the total is the one Explain's lines add up to, to the last bit; a field
  // unknown on either side weighs 0 and has no line.
  double total = 0;
  if (best_score >= 0) total += NameLevelOf(best_score).weight;
  total += fields.birth;
  total += fields.hometown;
  total += fields.gender;
  score.total = total;
  score.name_score = std::max(best_score, 0.0);
  score.written = written;
  score.query_form = best_query;
  score.record_form = best_record;
  score.explanation.clear();
  return true;
}

}  // namespace

double WrittenCloseness(const names::NameAnalysis& query, const names::NameAnalysis& record) {
  if (query.input == record.input) return 1.0;
  // The buffers stay with the thread: a call allocates nothing once they have grown.
  thread_local std::string scratch;
  thread_local std::string query_letters;
  thread_local std::string record_letters;
  SortedAscii(query, scratch, query_letters);
  SortedAscii(record, scratch, record_letters);
  return ClosenessOfLetters(query.input, query_letters, record.input, record_letters);
}

ComparisonMemo::Pair& ComparisonMemo::At(uint32_t query_idx, uint32_t form) {
  return pairs_.At((uint64_t{query_idx} + 1) << 32 | form);
}

void ComparisonMemo::Clear() {
  parts_.Clear();
  pairs_.Clear();
}

std::string PrefectureByDigits(std::string_view code) {
  return code.size() >= 4 ? std::string(code.substr(0, 4)) : std::string();
}

Scorer::Scorer(PrefectureFn prefecture_of) : prefecture_of_(std::move(prefecture_of)) {
  if (!prefecture_of_) prefecture_of_ = PrefectureByDigits;
}

FieldWeight Scorer::NameWeight(const names::NameAnalysis& query, const names::NameAnalysis& record,
                               double* name_score) const {
  const double score = names::CompareAnalysesScore(query, record);
  if (name_score != nullptr) *name_score = score;
  return NameWeightOf(score, query.input, record.input);
}

FieldWeight Scorer::BirthYearWeight(YearRange query, YearRange record) const {
  if (!query.known() || !record.known()) return {"birth_year", "unknown", 0};
  int gap = YearGap(query, record);
  auto text = [](YearRange range) {
    return range.first == range.last ? fmt::format("{}", range.first)
                                     : fmt::format("{}..{}", range.first, range.last);
  };
  std::string pair = fmt::format("{} ~ {}", text(query), text(record));
  const double weight = BirthYearValue(query, record);
  if (gap == 0) {
    // Agreement is worth as much as it is precise: the same exact year is strong evidence, an
    // overlap of two decades-wide guesses is almost none. A random pair of ranges overlaps in
    // about (w1 + w2 - 1) of the sixty years (u = width / 60). Relatives misremember a year in
    // perhaps one testimony of five (m = 0.8).
    int width = query.width() + record.width() - 1;
    return {"birth_year", fmt::format("{} ({})", width == 1 ? "same year" : "ranges overlap", pair),
            weight};
  }
  if (gap <= 2) {
    // Off by one or two: a misremembered year or a lunar/solar calendar slip (m 0.12 or 0.04).
    return {"birth_year", fmt::format("{} year{} apart ({})", gap, gap == 1 ? "" : "s", pair),
            weight};
  }
  return {"birth_year", fmt::format("{} years apart ({})", gap, pair), weight};
}

Scorer::HometownLevel Scorer::HometownLevelOf(std::string_view query,
                                              std::string_view record) const {
  if (query.empty() || record.empty()) return HometownLevel::kUnknown;
  std::string_view query_county = CountyOf(query);
  if (!query_county.empty() && query_county == CountyOf(record)) return HometownLevel::kCounty;
  std::string query_prefecture = prefecture_of_(query);
  if (!query_prefecture.empty() && query_prefecture == prefecture_of_(record)) {
    return HometownLevel::kPrefecture;
  }
  return HometownLevel::kDifferent;
}

double Scorer::HometownValue(HometownLevel level) {
  switch (level) {
    case HometownLevel::kUnknown:
      return 0;
    case HometownLevel::kCounty:
      // Relatives know the county of birth; a random pair shares one of ~100 counties,
      // weighted to the populous ones (u = 0.01).
      return Weight(0.6, 0.01);
    case HometownLevel::kPrefecture:
      // One of 14 prefectures, but Ili and Altay hold most of the Kazakhs in the registry.
      return Weight(0.3, 0.12);
    case HometownLevel::kDifferent:
      // Hometowns are often given as where the person lived last, hence m is not tiny.
      return Weight(0.1, 0.87);
  }
  return 0;
}

FieldWeight Scorer::HometownWeight(std::string_view query, std::string_view record) const {
  HometownLevel level = HometownLevelOf(query, record);
  const double weight = HometownValue(level);
  switch (level) {
    case HometownLevel::kUnknown:
      return {"hometown", "unknown", 0};
    case HometownLevel::kCounty:
      return {"hometown", fmt::format("same county ({} ~ {})", query, record), weight};
    case HometownLevel::kPrefecture:
      return {"hometown", fmt::format("same prefecture ({} ~ {})", query, record), weight};
    case HometownLevel::kDifferent:
      return {"hometown", fmt::format("different ({} ~ {})", query, record), weight};
  }
  return {"hometown", "unknown", 0};
}

FieldWeight Scorer::GenderWeight(Gender query, Gender record) const {
  if (query == Gender::kUnknown || record == Gender::kUnknown) return {"gender", "unknown", 0};
  // Mistakes happen (a name read as the wrong gender in translation), but seldom.
  return {"gender", query == record ? "same" : "conflict", GenderValue(query, record)};
}

Scorer::FieldWeights Scorer::WeighFields(const Fields& query, const Fields& record) const {
  return {.birth = BirthYearValue(query.birth, record.birth),
          .hometown = HometownValue(HometownLevelOf(query.hometown_code, record.hometown_code)),
          .gender = GenderValue(query.gender, record.gender)};
}

double Scorer::FieldsWeight(const Fields& query, const Fields& record) const {
  return WeighFields(query, record).Sum();
}

double Scorer::MaxNameWeight() { return NameLevelOf(1.0).weight; }

double Scorer::NameWeightOfScore(double name_score) { return NameLevelOf(name_score).weight; }

double Scorer::LowestNameScorePassing(double fields_weight, double slack, double min_score) {
  // NameLevelOf's lower bounds, lowest first: the weight grows with the level.
  for (double level_floor : {0.0, 0.55, 0.80, 0.95}) {
    if (NameLevelOf(level_floor).weight + fields_weight + slack >= min_score) return level_floor;
  }
  return 2.0;
}

Score Scorer::Compare(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                      const std::vector<names::NameAnalysis>& record_names,
                      const Fields& record) const {
  Score score = CompareUnexplained(query_names, query, record_names, record);
  Explain(query_names, query, record_names, record, score);
  return score;
}

Score Scorer::CompareUnexplained(const std::vector<names::NameAnalysis>& query_names,
                                 const Fields& query,
                                 const std::vector<names::NameAnalysis>& record_names,
                                 const Fields& record) const {
  Score score;
  BestPairScore(query_names, record_names, /*floor=*/0, WeighFields(query, record), score);
  return score;
}

template <typename Forms>
bool Scorer::AtLeast(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                     const Forms& record_names, const Fields& record, double min_total,
                     double min_name_score, double slack, Score& score,
                     ComparisonMemo* memo) const {
  // Each field's weight once: their sum is FieldsWeight's.
  const FieldWeights fields = WeighFields(query, record);
  double floor = std::max(LowestNameScorePassing(fields.Sum(), slack, min_total), min_name_score);
  if (floor > 1.0) return false;
  // Nothing to bound where any name score passes or no name pair is compared.
  if (query_names.empty() || record_names.empty()) floor = 0;
  return BestPairScore(query_names, record_names, floor, fields, score, memo);
}

bool Scorer::CompareUnexplainedAtLeast(const std::vector<names::NameAnalysis>& query_names,
                                       const Fields& query,
                                       const std::vector<names::NameAnalysis>& record_names,
                                       const Fields& record, double min_total,
                                       double min_name_score, double slack, Score& score,
                                       ComparisonMemo* memo) const {
  return AtLeast(query_names, query, record_names, record, min_total, min_name_score, slack, score,
                 memo);
}

bool Scorer::CompareUnexplainedAtLeast(const std::vector<names::NameAnalysis>& query_names,
                                       const Fields& query,
                                       std::span<const names::NameAnalysis* const> record_names,
                                       const Fields& record, double min_total,
                                       double min_name_score, double slack, Score& score,
                                       ComparisonMemo* memo) const {
  return AtLeast(query_names, query, record_names, record, min_total, min_name_score, slack, score,
                 memo);
}

void Scorer::Explain(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                     const std::vector<names::NameAnalysis>& record_names, const Fields& record,
                     Score& score) const {
  score.explanation.clear();
  if (score.query_form >= 0 && score.record_form >= 0) {
    score.explanation.push_back(
        NameWeightOf(score.name_score, query_names[static_cast<size_t>(score.query_form)].input,
                     record_names[static_cast<size_t>(score.record_form)].input));
  }
  for (FieldWeight field : {BirthYearWeight(query.birth, record.birth),
                            HometownWeight(query.hometown_code, record.hometown_code),
                            GenderWeight(query.gender, record.gender)}) {
    if (field.value != "unknown") score.explanation.push_back(std::move(field));
  }
}

}  // namespace izde::match
