#ifndef IZDE_MATCH_SCORING_H_
#define IZDE_MATCH_SCORING_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/flat_table.h"
#include "names/analyze.h"
#include "names/similarity.h"

namespace izde::match {

// The match layer's own gender, so that it need not know registry::Person.
enum class Gender : uint8_t { kUnknown, kMale, kFemale };

// A birth year as recorded: one year (first == last), a range, or unknown (first == 0). An
// "about 1974" is recorded as 1973..1975 by whoever fills this in.
struct YearRange {
  int first = 0;
  int last = 0;

  static YearRange Exactly(int year) { return {year, year}; }
  bool known() const { return first != 0; }
  // Number of years the range admits (1 for an exact year); 0 when unknown.
  int width() const { return known() ? last - first + 1 : 0; }
};

// Everything but the names that a query and a record are compared on.
struct Fields {
  YearRange birth;
  std::string hometown_code;  // an admin division code ("654002"), empty when unknown
  Gender gender = Gender::kUnknown;
};

// One line of an explanation: which field, what was seen, and how much it added (log2 of the
// likelihood ratio m/u; positive is evidence for the same person, negative against).
struct FieldWeight {
  std::string field;  // "name", "birth_year", "hometown", "gender"
  std::string value;  // human-readable: "same (0.93): Serikzhan Bilash ~ Серікжан Біләш"
  double weight = 0;
};

struct Score {
  double total = 0;       // sum of the weights
  double name_score = 0;  // the best CompareAnalyses score, in [0, 1]: breaks ties
  // How close the written forms are (WrittenCloseness of the closest query name and record
  // form), in [0, 1]: breaks ties of `total` before `name_score`, so that of two namesakes the
  // one written as the query is written comes first.
  double written = 0;
  int query_form = -1;  // which query name and record name form gave the best name pair
  int record_form = -1;
  std::vector<FieldWeight> explanation;  // name first, then birth_year, hometown, gender
};

// How close two names are as written, not as they sound: 1 for the same text; 0.9 for the same
// letters in another order or case ("Bilash Serikzhan", "SERIKZHAN BILASH"); otherwise 0.8 less
// 0.05 for each edit between the parts' ASCII forms sorted and joined (against "Serikzhan
// Bilash": "Serikzhan Bilasj" 0.75, "Serikjan Bilash" 0.7). Cross-script pairs compare their
// ASCII forms the same way. The name weight does not see this (close spellings of one name are
// one person's as often as the same spelling); it orders candidates of equal score.
double WrittenCloseness(const names::NameAnalysis& query, const names::NameAnalysis& record);

// The prefecture-level division containing an admin division code, as a code ("6540" for
// "654002"); empty when unknown. The registry passes its gazetteer; match stays pure.
using PrefectureFn = std::function<std::string(std::string_view code)>;

// Xinjiang's codes: a prefecture is the first four digits of its counties and townships.
std::string PrefectureByDigits(std::string_view code);

// What a search keeps, for one query, of its comparisons with the candidates' name forms
// where the caller has numbered the forms and their parts (names::NameAnalysis::memo_id and
// Part::memo_id: equal numbers, equal content): the scores of pairs of parts, and for each pair
// of a query name (by its index) and a record form (by its number) the name score — or a level
// it was found below — and the written closeness. Most of a query's candidates share their
// forms with others (namesakes, and one spelling in several records): at 1M, 18% of the forms
// a query's candidates unpack are distinct. Scorer::CompareUnexplainedAtLeast gives the same
// with it as without it. Not thread-safe; Clear() before another query.
class ComparisonMemo {
 public:
  struct Pair {
    double score = 0;  // the name score, where `exact`
    bool exact = false;
    double below = 2.0;   // the name score is below this (2: nothing known)
    double written = -1;  // the written closeness; -1: not yet known
  };
  // The entry of query name `query_idx` with the record form numbered `form` (not 0), made
  // empty when missing. The reference holds until the next call.
  Pair& At(uint32_t query_idx, uint32_t form);
  names::PartScoreMemo& parts() { return parts_; }
  size_t size() const { return pairs_.size(); }  // pairs of query name and record form held
  void Clear();

 private:
  FlatTable<Pair> pairs_;  // by (query_idx + 1) << 32 | form
  names::PartScoreMemo parts_;
};

// A Fellegi-Sunter-style score: each field falls into a comparison level, and the level adds
// log2(m / u), where m is how often the level occurs between two records of the same person
// and u how often between two different persons. The m and u are set by hand for now (see
// scoring.cc for the reasons behind each); estimating them by EM from the registry itself, and
// term-frequency adjustment of names, are later increments.
// Thread safety: const methods may run concurrently.
class Scorer {
 public:
  explicit Scorer(PrefectureFn prefecture_of = PrefectureByDigits);

  // Scores a record against a query: the name pair (one query analysis, one record analysis)
  // with the highest CompareAnalyses score, then birth year, hometown and gender. Fields
  // unknown on either side add nothing and are left out of the explanation.
  Score Compare(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                const std::vector<names::NameAnalysis>& record_names, const Fields& record) const;

  // Compare's numbers without its explanation (nothing is formatted): the same total,
  // name_score, written, query_form and record_form, and `explanation` empty. For callers that
  // score many candidates and keep a few: Explain then adds the explanation Compare would give.
  Score CompareUnexplained(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
                           const std::vector<names::NameAnalysis>& record_names,
                           const Fields& record) const;
  // CompareUnexplained for a pair that only counts if it totals at least `min_total` and its
  // best name pair scores at least `min_name_score` (Find's last block: a candidate that cannot
  // enter the best found so far). True, with `score` exactly CompareUnexplained's, when the pair
  // may reach both: its best name pair reaches the lowest name level that brings its fields'
  // weight to `min_total` (LowestNameScorePassing, within `slack`) and `min_name_score`. False,
  // with `score` unspecified, when it cannot: then its total is below `min_total` or its name
  // score below `min_name_score`. The pairs of forms are compared with
  // names::CompareAnalysesScoreAtLeast, which gives up on a pair as soon as a bound shows it
  // below that level. With `memo`, what it holds of numbered names and parts is read from it,
  // and what is compared kept there (ComparisonMemo): the same result.
  bool CompareUnexplainedAtLeast(const std::vector<names::NameAnalysis>& query_names,
                                 const Fields& query,
                                 const std::vector<names::NameAnalysis>& record_names,
                                 const Fields& record, double min_total, double min_name_score,
                                 double slack, Score& score, ComparisonMemo* memo = nullptr) const;
  // The same for record forms held elsewhere (Find's, each unpacked once per query).
  bool CompareUnexplainedAtLeast(const std::vector<names::NameAnalysis>& query_names,
                                 const Fields& query,
                                 std::span<const names::NameAnalysis* const> record_names,
                                 const Fields& record, double min_total, double min_name_score,
                                 double slack, Score& score, ComparisonMemo* memo = nullptr) const;
  // Writes the explanation of `score` (CompareUnexplained's for the same arguments) as Compare
  // writes it; the total stays the same.
  void Explain(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
               const std::vector<names::NameAnalysis>& record_names, const Fields& record,
               Score& score) const;

  // Each field's weight alone, for tests and for callers that score partial records.
  FieldWeight NameWeight(const names::NameAnalysis& query, const names::NameAnalysis& record,
                         double* name_score = nullptr) const;
  FieldWeight BirthYearWeight(YearRange query, YearRange record) const;
  FieldWeight HometownWeight(std::string_view query, std::string_view record) const;
  FieldWeight GenderWeight(Gender query, Gender record) const;

  // The birth year, hometown and gender weights of a pair, each computed once (the hometown's
  // asks the gazetteer), without explanations.
  struct FieldWeights {
    double birth = 0;
    double hometown = 0;
    double gender = 0;
    // Summed in this order, the order of the explanation's lines.
    double Sum() const { return birth + hometown + gender; }
  };
  FieldWeights WeighFields(const Fields& query, const Fields& record) const;

  // The birth year, hometown and gender weights of a pair summed, without explanations: what
  // Compare adds to the name weight. Cheap: it bounds a candidate's score before its names
  // are compared.
  double FieldsWeight(const Fields& query, const Fields& record) const;

  // The most a name pair can add to a score (the "identical" level).
  static double MaxNameWeight();
  // The weight NameWeight gives a name pair whose CompareAnalyses score is `name_score`,
  // without comparing or explaining again (bulk scoring's pre-filter, candidate_index_bulk.cc).
  static double NameWeightOfScore(double name_score);
  // The lowest name score whose weight w passes `w + fields_weight + slack >= min_score`
  // (evaluated as written, level by level: 0.95, 0.80, 0.55 or 0 for any score), or 2 (above
  // any score) when none does. A pair's best name pair reaches it exactly when
  // NameWeightOfScore(best) + fields_weight + slack >= min_score: what bulk scoring's
  // pre-filter asks, without comparing every pair of forms in full.
  static double LowestNameScorePassing(double fields_weight, double slack, double min_score);

 private:
  enum class HometownLevel : uint8_t { kUnknown, kCounty, kPrefecture, kDifferent };
  HometownLevel HometownLevelOf(std::string_view query, std::string_view record) const;
  static double HometownValue(HometownLevel level);
  // Both CompareUnexplainedAtLeast: `Forms` is how the record's forms are held.
  template <typename Forms>
  bool AtLeast(const std::vector<names::NameAnalysis>& query_names, const Fields& query,
               const Forms& record_names, const Fields& record, double min_total,
               double min_name_score, double slack, Score& score, ComparisonMemo* memo) const;

  PrefectureFn prefecture_of_;
};

}  // namespace izde::match

#endif  // IZDE_MATCH_SCORING_H_
