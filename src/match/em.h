#ifndef IZDE_MATCH_EM_H_
#define IZDE_MATCH_EM_H_

#include <cstdint>
#include <span>
#include <vector>

namespace izde::match {

// The comparison levels of one pair of records, one per field (0 is the best level, -1 means
// the field is unknown on either side), and how many pairs showed exactly these levels. EM and
// u estimation work on such patterns, so that a million pairs cost as much as the few thousand
// distinct patterns among them.
struct ComparisonPattern {
  std::vector<int8_t> levels;
  double count = 0;
};

// The Fellegi-Sunter parameters: per field and level, m = P(level | same entity) and
// u = P(level | different entities); lambda = the share of pairs that are matches.
struct FsParameters {
  std::vector<std::vector<double>> m;
  std::vector<std::vector<double>> u;
  double lambda = 0;
  int iterations = 0;
  bool converged = false;
};

struct EmOptions {
  int max_iterations = 200;
  double tolerance = 1e-7;  // stop when no m, u or lambda moves by more than this
  // Added to every level's expected count in the M step (pseudo-counts), so that a level never
  // seen in one class keeps a small probability instead of a weight of minus infinity.
  double smoothing = 0.01;
  bool fix_u = false;  // keep `start.u` (Splink's default); false lets EM estimate u as well
};

// Relative frequencies of each field's levels over `patterns` (unknown levels left out), with
// `smoothing` pseudo-counts per level: what u is when the patterns come from random pairs.
// `levels_per_field[f]` is the number of levels of field f.
std::vector<std::vector<double>> LevelFrequencies(std::span<const ComparisonPattern> patterns,
                                                  std::span<const int> levels_per_field,
                                                  double smoothing = 1.0);

// Expectation-maximisation of the two-class mixture (matches, non-matches) with conditionally
// independent fields, from `start` (which must hold m and u for every level of every field and
// a lambda in (0, 1)). No labels: the classes are told apart only by how the levels co-occur.
// Deterministic: the same patterns in the same order give the same result.
FsParameters EstimateByEm(std::span<const ComparisonPattern> patterns,
                          std::span<const int> levels_per_field, const FsParameters& start,
                          const EmOptions& options = {});

// A starting point for EM: m falls off from the best level (0.7 on the first, a few per cent on
// the last), u as given, lambda as given.
FsParameters StartingParameters(std::span<const int> levels_per_field,
                                std::vector<std::vector<double>> u, double lambda);

// Aggregates per-pair levels (`field_count` per pair, pair after pair) into patterns, in the
// order each pattern first occurs.
std::vector<ComparisonPattern> AggregatePatterns(std::span<const int8_t> levels,
                                                 size_t field_count);

}  // namespace izde::match

#endif  // IZDE_MATCH_EM_H_
