#include "core/flat_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace izde {
namespace {

// Against std::map over keys that are pairs of small numbers (as the memos make them) and
// random ones: every value found as set, none found that was not, through the table's growth
// past its first 256 places, and nothing left after Clear.
TEST(FlatTableTest, HoldsWhatAMapHoldsThroughGrowthAndClear) {
  FlatTable<double> table;
  std::map<uint64_t, double> expected;
  std::mt19937_64 random(20261203);
  for (uint64_t left = 1; left <= 40; ++left) {
    for (uint64_t right = 1; right <= 40; ++right) {
      const uint64_t key = left << 32 | right;
      table.At(key) = static_cast<double>(left * 100 + right);
      expected[key] = static_cast<double>(left * 100 + right);
    }
  }
  for (int idx = 0; idx < 1000; ++idx) {
    const uint64_t key = random() | 1;  // never 0
    table.At(key) += 1.0;               // a new key starts at Value{}
    expected[key] += 1.0;
  }
  ASSERT_EQ(table.size(), expected.size());
  for (const auto& [key, value] : expected) {
    const double* found = table.Find(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(*found, value) << key;
  }
  EXPECT_EQ(table.Find(uint64_t{41} << 32 | 1), nullptr);
  EXPECT_EQ(table.Find(uint64_t{1} << 32 | 41), nullptr);
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find(uint64_t{1} << 32 | 1), nullptr);
  EXPECT_EQ(table.At(uint64_t{1} << 32 | 1), 0.0);
  EXPECT_EQ(table.size(), 1u);
}

// Keyed by bytes (as Find numbers packed parts): equal bytes held anywhere find one value.
TEST(FlatTableTest, ViewsAreKeyedByTheirBytes) {
  FlatTable<int, std::string_view> table;
  std::vector<std::string> texts;
  for (int idx = 0; idx < 600; ++idx) texts.push_back("text " + std::to_string(idx));
  for (size_t idx = 0; idx < texts.size(); ++idx) table.At(texts[idx]) = static_cast<int>(idx);
  ASSERT_EQ(table.size(), texts.size());
  for (size_t idx = 0; idx < texts.size(); ++idx) {
    const std::string copy = texts[idx];  // other storage, the same bytes
    const int* found = table.Find(copy);
    ASSERT_NE(found, nullptr) << copy;
    EXPECT_EQ(*found, static_cast<int>(idx));
  }
  EXPECT_EQ(table.Find("text 600"), nullptr);
}

}  // namespace
}  // namespace izde
