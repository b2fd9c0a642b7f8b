#include "match/em.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace izde::match {
namespace {

// A uniform double in [0, 1) from the generator's bits (std::uniform_real_distribution's
// sequence differs between standard libraries; mt19937_64's does not).
double Uniform(std::mt19937_64& random) {
  return static_cast<double>(random() >> 11) * (1.0 / 9007199254740992.0);
}

int Draw(std::mt19937_64& random, const std::vector<double>& probabilities) {
  double point = Uniform(random);
  for (size_t level = 0; level < probabilities.size(); ++level) {
    point -= probabilities[level];
    if (point < 0) return static_cast<int>(level);
  }
  return static_cast<int>(probabilities.size()) - 1;
}

TEST(EmTest, RecoversKnownParametersWithoutLabels) {
  const std::vector<std::vector<double>> true_m = {
      {0.80, 0.15, 0.05}, {0.70, 0.20, 0.10}, {0.90, 0.05, 0.05}, {0.60, 0.30, 0.10}};
  const std::vector<std::vector<double>> true_u = {
      {0.05, 0.15, 0.80}, {0.10, 0.30, 0.60}, {0.02, 0.08, 0.90}, {0.20, 0.30, 0.50}};
  const double true_lambda = 0.2;
  std::mt19937_64 random(20261130);
  std::vector<int8_t> levels;
  const int pair_count = 60000;
  for (int pair_idx = 0; pair_idx < pair_count; ++pair_idx) {
    bool match = Uniform(random) < true_lambda;
    for (size_t field_idx = 0; field_idx < true_m.size(); ++field_idx) {
      // Some fields are unknown on some pairs: EM must leave them out, not count them.
      if (Uniform(random) < 0.05) {
        levels.push_back(-1);
        continue;
      }
      levels.push_back(
          static_cast<int8_t>(Draw(random, match ? true_m[field_idx] : true_u[field_idx])));
    }
  }
  std::vector<ComparisonPattern> patterns = AggregatePatterns(levels, true_m.size());
  double total = 0;
  for (const ComparisonPattern& pattern : patterns) total += pattern.count;
  EXPECT_EQ(total, pair_count);

  std::vector<int> levels_per_field = {3, 3, 3, 3};
  // Start far from the truth: u uniform, lambda 0.5.
  std::vector<std::vector<double>> flat_u(4, std::vector<double>(3, 1.0 / 3));
  FsParameters start = StartingParameters(levels_per_field, flat_u, 0.5);
  FsParameters fitted = EstimateByEm(patterns, levels_per_field, start);
  EXPECT_TRUE(fitted.converged);
  EXPECT_NEAR(fitted.lambda, true_lambda, 0.01);
  for (size_t field_idx = 0; field_idx < true_m.size(); ++field_idx) {
    for (size_t level = 0; level < 3; ++level) {
      EXPECT_NEAR(fitted.m[field_idx][level], true_m[field_idx][level], 0.02)
          << "m of field " << field_idx << " level " << level;
      EXPECT_NEAR(fitted.u[field_idx][level], true_u[field_idx][level], 0.02)
          << "u of field " << field_idx << " level " << level;
    }
  }
}

TEST(EmTest, FixedUStaysFixed) {
  std::vector<int8_t> levels = {0, 0, 1, 1, 0, 1, 1, 0};
  std::vector<ComparisonPattern> patterns = AggregatePatterns(levels, 2);
  std::vector<int> levels_per_field = {2, 2};
  std::vector<std::vector<double>> u = {{0.1, 0.9}, {0.2, 0.8}};
  EmOptions options;
  options.fix_u = true;
  FsParameters fitted = EstimateByEm(patterns, levels_per_field,
                                     StartingParameters(levels_per_field, u, 0.3), options);
  EXPECT_EQ(fitted.u, u);
  EXPECT_GT(fitted.m[0][0], fitted.u[0][0]);
}

TEST(EmTest, LevelFrequenciesSkipUnknownAndSmooth) {
  std::vector<int8_t> levels = {0, -1, 1, 1, 1, -1, 1, 0};
  std::vector<ComparisonPattern> patterns = AggregatePatterns(levels, 2);
  ASSERT_EQ(patterns.size(), 4U);
  std::vector<int> levels_per_field = {2, 2};
  std::vector<std::vector<double>> frequencies = LevelFrequencies(patterns, levels_per_field, 0.0);
  EXPECT_DOUBLE_EQ(frequencies[0][0], 0.25);
  EXPECT_DOUBLE_EQ(frequencies[0][1], 0.75);
  EXPECT_DOUBLE_EQ(frequencies[1][0], 0.5);  // two known: one 1, one 0
  std::vector<std::vector<double>> smoothed = LevelFrequencies(patterns, levels_per_field, 1.0);
  EXPECT_DOUBLE_EQ(smoothed[0][0], 2.0 / 6.0);
}

}  // namespace
}  // namespace izde::match
