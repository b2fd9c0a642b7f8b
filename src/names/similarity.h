#ifndef IZDE_NAMES_SIMILARITY_H_
#define IZDE_NAMES_SIMILARITY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/flat_table.h"
#include "core/result.h"
#include "names/analyze.h"

namespace izde::names {

// Jaro-Winkler similarity of two byte strings (ASCII forms), in [0, 1]; 1 for two empty strings.
// "martha" ~ "marhta" = 0.961.
double JaroWinkler(std::string_view left, std::string_view right);

// How one part of the left name lines up with one of the right name. JSON-friendly.
struct PartMatch {
  int left = -1;      // index into the left name's parts; -1 when the right part has no partner
  int right = -1;     // index into the right name's parts; -1 when the left part has no partner
  double score = 0;   // similarity of the two parts in [0, 1]; 0 for a missing part
  std::string basis;  // "same key", "spelling", "patronymic stem", "initial", "missing",
                      // "joined": a one-part Han name read against the other's parts as one
                      // word; it pairs with the first, the others have no partner of their own
};

struct NameComparison {
  double score = 0;                // in [0, 1]
  std::string verdict;             // "same", "possibly" or "different"
  std::vector<PartMatch> matches;  // left parts in order, then right parts left over
};

struct CompareOptions {
  double same_threshold = 0.80;      // score >= this -> "same"
  double possibly_threshold = 0.55;  // score >= this -> "possibly"
  double missing_weight = 0.4;       // a part with no partner counts this much against the score
};

// Compares two analysed names: each part's similarity (the Turkic keys first, then Jaro-Winkler
// on the ASCII forms, patronymic stems against plain names), the best one-to-one alignment of
// parts whatever their order, and a score where a missing part costs `missing_weight` of a part
// and a conflicting part a whole one. Parts weigh by role: given and unknown 1, surname 0.8,
// patronymic and father's name 0.7 (siblings share them), initial 0.5, honorific 0.2.
// A name of one Han part (陈全国, written without a separator) against one of two or three
// parts also scores as that part against the others joined (chenquanguo, quanguochen); the
// better score counts.
// "Ilham Tohti" ~ "伊力哈木·土赫提" -> same; "Ilham Tohti" ~ "Ilham" -> possibly.
// Thread safety: pure function.
NameComparison CompareAnalyses(const NameAnalysis& left, const NameAnalysis& right,
                               const CompareOptions& options = {});

// CompareAnalyses(left, right, options).score, to the last bit, without the part matches:
// nothing is allocated (but the joined part of a one-part Han name against a longer one).
// For callers that score many pairs (dedupe, match).
// Thread safety: pure function.
double CompareAnalysesScore(const NameAnalysis& left, const NameAnalysis& right,
                            const CompareOptions& options = {});

// CompareAnalysesScore(left, right, options) where it is at least `floor`; where it is below,
// some value below `floor` (-1 when a bound showed it before every pair of parts was scored:
// after each part's row of similarities, the best evidence the rest could give). For callers
// that only keep pairs reaching a level (bulk scoring's pre-filter, match/). Pure function.
double CompareAnalysesScoreAtLeast(const NameAnalysis& left, const NameAnalysis& right,
                                   double floor, const CompareOptions& options = {});

// The scores of pairs of parts, kept for a caller that compares the same parts again and
// again: a search scores its query against fifty candidates that share most of their parts (at
// 1M, of the ~400 pairs of parts one of serve-wrk's queries compares, ~40 are distinct). Only
// parts their caller has numbered (NameAnalysis::Part::memo_id not 0) are kept; equal numbers
// must mean equal parts. The scores are the comparisons' own, so a comparison with a memo
// gives what it gives without one, to the last bit. Not thread-safe: one per thread or per query.
class PartScoreMemo {
 public:
  // The score and basis (a string literal) of the parts numbered `left` and `right`, compared
  // in that order, where kept.
  bool Get(uint32_t left, uint32_t right, double& score, const char*& basis) const;
  void Put(uint32_t left, uint32_t right, double score, const char* basis);
  // Forgets every score, for numbers that will mean other parts.
  void Clear() { scores_.Clear(); }
  size_t size() const { return scores_.size(); }

 private:
  struct Kept {
    double score = 0;
    const char* basis = nullptr;
  };
  FlatTable<Kept> scores_;  // by left << 32 | right
};

// CompareAnalysesScoreAtLeast, reading and keeping the scores of numbered parts in `memo`.
double CompareAnalysesScoreAtLeast(const NameAnalysis& left, const NameAnalysis& right,
                                   double floor, const CompareOptions& options,
                                   PartScoreMemo& memo);

// AnalyzeName on both, then CompareAnalyses. Returns kInvalidArgument for invalid UTF-8.
Result<NameComparison> CompareNames(std::string_view left, std::string_view right,
                                    const CompareOptions& options = {});

}  // namespace izde::names

#endif  // IZDE_NAMES_SIMILARITY_H_
