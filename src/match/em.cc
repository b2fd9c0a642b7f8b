#include "match/em.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

namespace izde::match {
namespace {

using Table = std::vector<std::vector<double>>;

Table ZeroTable(std::span<const int> levels_per_field) {
  Table table;
  for (int levels : levels_per_field) table.emplace_back(static_cast<size_t>(levels), 0.0);
  return table;
}

// Normalises each field's counts plus `smoothing` per level into probabilities.
void Normalise(Table& counts, double smoothing) {
  for (std::vector<double>& field : counts) {
    double total = 0;
    for (double& count : field) {
      count += smoothing;
      total += count;
    }
    for (double& count : field)
      count = total > 0 ? count / total : 1.0 / static_cast<double>(field.size());
  }
}

double MaxChange(const Table& before, const Table& after) {
  double change = 0;
  for (size_t field_idx = 0; field_idx < before.size(); ++field_idx) {
    for (size_t level = 0; level < before[field_idx].size(); ++level) {
      change = std::max(change, std::abs(before[field_idx][level] - after[field_idx][level]));
    }
  }
  return change;
}

}  // namespace

std::vector<ComparisonPattern> AggregatePatterns(std::span<const int8_t> levels,
                                                 size_t field_count) {
  std::vector<ComparisonPattern> patterns;
  if (field_count == 0) return patterns;
  std::map<std::vector<int8_t>, size_t> index;
  for (size_t offset = 0; offset + field_count <= levels.size(); offset += field_count) {
    std::vector<int8_t> key(levels.begin() + static_cast<std::ptrdiff_t>(offset),
                            levels.begin() + static_cast<std::ptrdiff_t>(offset + field_count));
    auto [slot, inserted] = index.try_emplace(key, patterns.size());
    if (inserted) patterns.push_back({std::move(key), 0});
    patterns[slot->second].count += 1;
  }
  return patterns;
}

std::vector<std::vector<double>> LevelFrequencies(std::span<const ComparisonPattern> patterns,
                                                  std::span<const int> levels_per_field,
                                                  double smoothing) {
  Table counts = ZeroTable(levels_per_field);
  for (const ComparisonPattern& pattern : patterns) {
    for (size_t field_idx = 0; field_idx < counts.size(); ++field_idx) {
      int level = pattern.levels[field_idx];
      if (level >= 0) counts[field_idx][static_cast<size_t>(level)] += pattern.count;
    }
  }
  Normalise(counts, smoothing);
  return counts;
}

FsParameters StartingParameters(std::span<const int> levels_per_field,
                                std::vector<std::vector<double>> u, double lambda) {
  FsParameters start;
  for (int levels : levels_per_field) {
    // Matches mostly agree: 0.7 on the best level, then halving, and a small share disagreeing.
    std::vector<double> m(static_cast<size_t>(levels), 0.0);
    double weight = 0.7;
    for (size_t level = 0; level + 1 < m.size(); ++level) {
      m[level] = weight;
      weight /= 2;
    }
    m.back() = levels > 1 ? 0.05 : 1.0;
    double total = 0;
    for (double value : m) total += value;
    for (double& value : m) value /= total;
    start.m.push_back(std::move(m));
  }
  start.u = std::move(u);
  start.lambda = lambda;
  return start;
}

FsParameters EstimateByEm(std::span<const ComparisonPattern> patterns,
                          std::span<const int> levels_per_field, const FsParameters& start,
                          const EmOptions& options) {
  FsParameters current = start;
  size_t field_count = levels_per_field.size();
  assert(current.m.size() == field_count && current.u.size() == field_count);
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    Table m_counts = ZeroTable(levels_per_field);
    Table u_counts = ZeroTable(levels_per_field);
    double match_total = 0;
    double total = 0;
    for (const ComparisonPattern& pattern : patterns) {
      // E step: the posterior that a pair with these levels is a match.
      double match = current.lambda;
      double non_match = 1.0 - current.lambda;
      for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
        int level = pattern.levels[field_idx];
        if (level < 0) continue;
        match *= current.m[field_idx][static_cast<size_t>(level)];
        non_match *= current.u[field_idx][static_cast<size_t>(level)];
      }
      double posterior = match + non_match > 0 ? match / (match + non_match) : 0.0;
      match_total += posterior * pattern.count;
      total += pattern.count;
      for (size_t field_idx = 0; field_idx < field_count; ++field_idx) {
        int level = pattern.levels[field_idx];
        if (level < 0) continue;
        m_counts[field_idx][static_cast<size_t>(level)] += posterior * pattern.count;
        u_counts[field_idx][static_cast<size_t>(level)] += (1.0 - posterior) * pattern.count;
      }
    }
    // M step.
    Normalise(m_counts, options.smoothing);
    Normalise(u_counts, options.smoothing);
    double lambda = total > 0 ? match_total / total : current.lambda;
    lambda = std::clamp(lambda, 1e-9, 1.0 - 1e-9);
    double change = std::max(MaxChange(current.m, m_counts), std::abs(lambda - current.lambda));
    if (!options.fix_u) change = std::max(change, MaxChange(current.u, u_counts));
    current.m = std::move(m_counts);
    if (!options.fix_u) current.u = std::move(u_counts);
    current.lambda = lambda;
    current.iterations = iteration;
    if (change < options.tolerance) {
      current.converged = true;
      break;
    }
  }
  return current;
}

}  // namespace izde::match
