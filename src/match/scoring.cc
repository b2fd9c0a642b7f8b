#include "match/scoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

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

}  // namespace

std::string PrefectureByDigits(std::string_view code) {
  return code.size() >= 4 ? std::string(code.substr(0, 4)) : std::string();
}

Scorer::Scorer(PrefectureFn prefecture_of) : prefecture_of_(std::move(prefecture_of)) {
  if (!prefecture_of_) prefecture_of_ = PrefectureByDigits;
}

FieldWeight Scorer::NameWeight(const names::NameAnalysis& query, const names::NameAnalysis& record,
                               double* name_score) const {
  names::NameComparison comparison = names::CompareAnalyses(query, record);
  if (name_score != nullptr) *name_score = comparison.score;
  // Levels on the name engine's score. Among true pairs most names come out the same or
  // nearly (m), while two different persons rarely do, except for common names (u; the term
  // frequency adjustment that tells "Memet" from "Serikzhan" is a later increment).
  std::string_view level;
  double weight = 0;
  if (comparison.score >= 0.95) {
    level = "identical";
    weight = Weight(0.55, 0.0005);
  } else if (comparison.score >= 0.80) {
    level = "same";
    weight = Weight(0.35, 0.003);
  } else if (comparison.score >= 0.55) {
    level = "possibly";
    weight = Weight(0.08, 0.03);
  } else {
    level = "different";
    weight = Weight(0.02, 0.9665);
  }
  return {"name",
          fmt::format("{} ({:.2f}): {} ~ {}", level, comparison.score, query.input, record.input),
          weight};
}

FieldWeight Scorer::BirthYearWeight(YearRange query, YearRange record) const {
  if (!query.known() || !record.known()) return {"birth_year", "unknown", 0};
  // Years between the two ranges; 0 when they overlap.
  int gap = std::max({0, query.first - record.last, record.first - query.last});
  auto text = [](YearRange range) {
    return range.first == range.last ? fmt::format("{}", range.first)
                                     : fmt::format("{}..{}", range.first, range.last);
  };
  std::string pair = fmt::format("{} ~ {}", text(query), text(record));
  if (gap == 0) {
    // Agreement is worth as much as it is precise: the same exact year is strong evidence, an
    // overlap of two decades-wide guesses is almost none. A random pair of ranges overlaps in
    // about (w1 + w2 - 1) of the sixty years. Relatives misremember a year in perhaps one
    // testimony of five (m = 0.8).
    int width = query.width() + record.width() - 1;
    double u = std::min(1.0, static_cast<double>(width) / kBirthYearSpan);
    return {"birth_year", fmt::format("{} ({})", width == 1 ? "same year" : "ranges overlap", pair),
            std::max(0.0, Weight(0.8, u))};
  }
  if (gap <= 2) {
    // Off by one or two: a misremembered year or a lunar/solar calendar slip.
    double m = gap == 1 ? 0.12 : 0.04;
    double u = 2.0 / kBirthYearSpan;
    return {"birth_year", fmt::format("{} year{} apart ({})", gap, gap == 1 ? "" : "s", pair),
            Weight(m, u)};
  }
  return {"birth_year", fmt::format("{} years apart ({})", gap, pair), Weight(0.04, 0.9)};
}

FieldWeight Scorer::HometownWeight(std::string_view query, std::string_view record) const {
  if (query.empty() || record.empty()) return {"hometown", "unknown", 0};
  std::string pair = fmt::format("{} ~ {}", query, record);
  std::string_view query_county = CountyOf(query);
  if (!query_county.empty() && query_county == CountyOf(record)) {
    // Relatives know the county of birth; a random pair shares one of ~100 counties, weighted
    // to the populous ones (u = 0.01).
    return {"hometown", fmt::format("same county ({})", pair), Weight(0.6, 0.01)};
  }
  std::string query_prefecture = prefecture_of_(query);
  if (!query_prefecture.empty() && query_prefecture == prefecture_of_(record)) {
    // One of 14 prefectures, but Ili and Altay hold most of the Kazakhs in the registry.
    return {"hometown", fmt::format("same prefecture ({})", pair), Weight(0.3, 0.12)};
  }
  // Hometowns are often given as where the person lived last, hence m is not tiny.
  return {"hometown", fmt::format("different ({})", pair), Weight(0.1, 0.87)};
}

FieldWeight Scorer::GenderWeight(Gender query, Gender record) const {
  if (query == Gender::kUnknown || record == Gender::kUnknown) return {"gender", "unknown", 0};
  if (query == record) return {"gender", "same", Weight(0.98, 0.5)};
  // Mistakes happen (a name read as the wrong gender in translation), but seldom.
  return {"gender", "conflict", Weight(0.01, 0.5)};
}

Score Scorer::Compare(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                      const std::vector<names::NameAnalysis>& record_names,
                      const Fields& record) const {
  Score score;
  FieldWeight best_name;
  double best_score = -1;
  for (size_t query_idx = 0; query_idx < query_names.size(); ++query_idx) {
    for (size_t record_idx = 0; record_idx < record_names.size(); ++record_idx) {
      double name_score = 0;
      FieldWeight name = NameWeight(query_names[query_idx], record_names[record_idx], &name_score);
      if (name_score > best_score) {
        best_score = name_score;
        best_name = std::move(name);
        score.query_form = static_cast<int>(query_idx);
        score.record_form = static_cast<int>(record_idx);
      }
    }
  }
  if (best_score >= 0) {
    score.name_score = best_score;
    score.explanation.push_back(std::move(best_name));
  }
  for (FieldWeight field : {BirthYearWeight(query.birth, record.birth),
                            HometownWeight(query.hometown_code, record.hometown_code),
                            GenderWeight(query.gender, record.gender)}) {
    if (field.value != "unknown") score.explanation.push_back(std::move(field));
  }
  for (const FieldWeight& field : score.explanation) score.total += field.weight;
  return score;
}

}  // namespace izde::match
