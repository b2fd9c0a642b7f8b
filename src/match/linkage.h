#ifndef IZDE_MATCH_LINKAGE_H_
#define IZDE_MATCH_LINKAGE_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "match/comparison.h"
#include "match/em.h"
#include "match/scoring.h"

namespace izde::match {

struct LinkOptions {
  uint64_t seed = 1;  // for the random pairs that estimate u
  // Blocks (records sharing one blocking key) larger than this are skipped: a key held by a
  // thousand records ("smith", a state, a gender) finds its pairs through other keys.
  size_t max_block = 500;
  size_t u_pairs = 300000;  // random pairs that estimate u
  EmOptions em;
  // Called now and then with a stage ("blocking", "comparing", "sampling", "scoring") and
  // progress within it.
  std::function<void(std::string_view stage, int64_t done, int64_t total)> progress;
};

struct LinkStats {
  size_t left = 0;            // records of the left file
  size_t right = 0;           // records of the right file; 0 when one file is deduplicated
  size_t blocks = 0;          // blocking keys held by two records or more
  size_t blocks_skipped = 0;  // of which larger than max_block
  uint64_t candidates = 0;    // distinct candidate pairs
  uint64_t all_pairs = 0;     // pairs there are: n(n-1)/2, or left * right
  size_t patterns = 0;        // distinct comparison vectors among the candidates
};

struct ScoredPair {
  uint32_t left = 0;   // record index; in a linkage of two files the right index counts from
  uint32_t right = 0;  // the first right record, as LinkStats::left + its row
  double score = 0;
};

// A Fellegi-Sunter linkage of one file with itself (deduplication) or of two files, with no
// labels:
//  1. candidate pairs: records that share a blocking key (Comparator::BlockingKeys) in a
//     block of at most max_block records;
//  2. u: level frequencies among `u_pairs` random pairs (seeded);
//  3. m and the share of matches: EM over the candidates' comparison vectors, with u free
//     (the non-matches among candidates agree more often than random pairs, since they share a
//     key); the match share is then rescaled from the candidates to all pairs;
//  4. a pair's score = log2(prior odds) + sum over fields of log2(m / u) at its level + the
//     term-frequency adjustments: the log2 posterior odds that the two are one entity.
//     0 is a probability of 1/2.
// Records [0, left) are the left file, [left, size) the right one; left == size dedupes.
class Linker {
 public:
  Linker(const Comparator& comparator, size_t left, LinkOptions options);

  // Runs steps 1 to 3. Deterministic for the same records, options and seed.
  void Train();

  // The candidate pairs whose score is at least `threshold`, in record order.
  std::vector<ScoredPair> Pairs(double threshold) const;

  // The score of any two records, and its explanation: the prior, then one line per field.
  double Score(uint32_t left, uint32_t right) const;
  std::vector<FieldWeight> Explain(uint32_t left, uint32_t right) const;

  // m from EM and u from random pairs, as scored; lambda is the prior share among all pairs.
  const FsParameters& parameters() const { return parameters_; }
  // EM's own result over the candidates (lambda there is the share of candidates).
  const FsParameters& em_result() const { return em_result_; }
  const LinkStats& stats() const { return stats_; }
  double prior_weight() const;
  // log2(m / u) of a field at a level.
  double LevelWeight(size_t field, int level) const;

 private:
  void FindCandidates();
  void Progress(std::string_view stage, int64_t done, int64_t total) const;

  const Comparator& comparator_;
  size_t left_;
  LinkOptions options_;
  LinkStats stats_;
  std::vector<uint64_t> candidates_;  // left << 32 | right, sorted
  std::vector<int8_t> levels_;        // per candidate, one per field
  std::vector<float> adjustments_;    // per candidate, summed term-frequency adjustments
  FsParameters em_result_;
  FsParameters parameters_;
  std::vector<std::vector<double>> weights_;  // log2(m / u) by field and level
};

// The connected components of the graph whose edges are `pairs`: for each of `count` records
// the index of its component, numbered from 0 in the order of each component's first record.
std::vector<uint32_t> ConnectedComponents(size_t count, std::span<const ScoredPair> pairs);

}  // namespace izde::match

#endif  // IZDE_MATCH_LINKAGE_H_
