#include "match/linkage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "match/comparison.h"
#include "testing/status_matchers.h"

namespace izde::match {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Comparator> MakeComparator(std::vector<FieldSpec> fields, ModelKind model,
                                           std::vector<std::vector<std::string>> rows) {
  Result<std::unique_ptr<Comparator>> comparator =
      Comparator::Create(std::move(fields), model, std::move(rows));
  EXPECT_TRUE(comparator.ok()) << comparator.status().ToString();
  return comparator.ok() ? std::move(*comparator) : nullptr;
}

TEST(EditDistanceTest, CountsEditsAndTranspositionsUpToCap) {
  EXPECT_EQ(EditDistance("1974", "1974", 2), 0);
  EXPECT_EQ(EditDistance("1974", "1947", 2), 1);  // adjacent transposition
  EXPECT_EQ(EditDistance("smith", "smyth", 2), 1);
  EXPECT_EQ(EditDistance("smith", "smythe", 2), 2);
  EXPECT_EQ(EditDistance("smith", "jones", 2), 3);  // capped
  EXPECT_EQ(EditDistance("", "abcd", 2), 3);
}

// The table's rows live on the stack up to 63 letters on the right and on the heap beyond:
// both give the same distances, for every cap.
TEST(EditDistanceTest, LongStringsCountAsShortOnes) {
  const std::string base = "serikzhan bilash nurmuhammet tursun gulbahar jalilova memet";
  std::string longer = base;
  while (longer.size() < 200) longer += " " + base;
  std::string typo = longer;
  typo[10] = 'x';                   // changed
  std::swap(typo[100], typo[101]);  // swapped
  typo.erase(150, 1);               // deleted
  EXPECT_EQ(EditDistance(longer, longer, 5), 0);
  EXPECT_EQ(EditDistance(longer, typo, 5), 3);
  EXPECT_EQ(EditDistance(typo, longer, 5), 3);
  EXPECT_EQ(EditDistance(longer, typo, 2), 3);  // capped
  EXPECT_EQ(EditDistance(base + "x", base, 3), 1);
  EXPECT_EQ(EditDistance(base, base + "xy", 3), 2);
  // Across the boundary: 63 letters on the stack, 64 and 65 on the heap.
  const std::string sixty_three(63, 'a');
  EXPECT_EQ(EditDistance(sixty_three, sixty_three + "b", 2), 1);
  EXPECT_EQ(EditDistance(sixty_three + "b", sixty_three + "bc", 2), 1);
  EXPECT_EQ(EditDistance("ab" + sixty_three, "ba" + sixty_three, 2), 1);
}

// The optimal-string-alignment table in full, as a reference.
int TableDistance(const std::string& left, const std::string& right) {
  std::vector<std::vector<int>> table(left.size() + 1, std::vector<int>(right.size() + 1));
  for (size_t row = 0; row <= left.size(); ++row) table[row][0] = static_cast<int>(row);
  for (size_t col = 0; col <= right.size(); ++col) table[0][col] = static_cast<int>(col);
  for (size_t row = 1; row <= left.size(); ++row) {
    for (size_t col = 1; col <= right.size(); ++col) {
      const int cost = left[row - 1] == right[col - 1] ? 0 : 1;
      table[row][col] = std::min(
          {table[row - 1][col] + 1, table[row][col - 1] + 1, table[row - 1][col - 1] + cost});
      if (row > 1 && col > 1 && left[row - 1] == right[col - 2] &&
          left[row - 2] == right[col - 1]) {
        table[row][col] = std::min(table[row][col], table[row - 2][col - 2] + 1);
      }
    }
  }
  return table[left.size()][right.size()];
}

// Random strings over small alphabets (so that repeats and transpositions are common), of
// every length from empty to past one word (64), both ways round, for several caps: always the
// table's distance, or cap + 1 beyond the cap.
TEST(EditDistanceTest, AgreesWithTheFullTableOnRandomStrings) {
  std::mt19937 random(20261130);
  for (int round = 0; round < 4000; ++round) {
    const uint32_t letters = 2 + static_cast<uint32_t>(round % 4);
    auto make = [&](size_t size) {
      std::string text;
      for (size_t idx = 0; idx < size; ++idx) {
        text.push_back(static_cast<char>('a' + static_cast<int>(random() % letters)));
      }
      return text;
    };
    const size_t left_size = random() % 80;
    const size_t right_size = round % 3 == 0 ? left_size + random() % 3 : random() % 80;
    const std::string left = make(left_size);
    const std::string right = make(right_size);
    const int expected = TableDistance(left, right);
    for (int cap : {1, 2, 4, 16, 100}) {
      EXPECT_EQ(EditDistance(left, right, cap), std::min(expected, cap + 1))
          << left << " / " << right << " cap " << cap;
      EXPECT_EQ(EditDistance(right, left, cap), std::min(expected, cap + 1));
    }
  }
}

TEST(ParseDateTest, ReadsCommonFormatsWithPrecision) {
  DateValue iso = ParseDate("1974-03-12");
  EXPECT_EQ(iso.year, 1974);
  EXPECT_EQ(iso.month, 3);
  EXPECT_EQ(iso.day, 12);
  EXPECT_EQ(iso.precision, 3);
  EXPECT_EQ(iso.digits, "19740312");
  EXPECT_EQ(ParseDate("19740312").digits, "19740312");
  EXPECT_EQ(ParseDate("12/03/1974").digits, "19740312");
  DateValue month = ParseDate("1974-3");
  EXPECT_EQ(month.precision, 2);
  EXPECT_EQ(month.digits, "197403");
  EXPECT_EQ(ParseDate("1974").precision, 1);
  EXPECT_EQ(ParseDate("about then").precision, 0);
}

TEST(ComparatorTest, DateLevelsFollowPrecision) {
  auto comparator = MakeComparator({{"dob", FieldKind::kDate}}, ModelKind::kIzde,
                                   {{"1974-03-12"},
                                    {"1974-03-12"},
                                    {"1974-03-21"},
                                    {"1974"},
                                    {"1974-03-02"},
                                    {"1975-06-01"},
                                    {"1990-01-01"},
                                    {""}});
  ASSERT_NE(comparator, nullptr);
  auto level = [&](uint32_t left, uint32_t right) {
    std::vector<int8_t> levels(1);
    comparator->Compare(left, right, levels);
    return std::string(comparator->LevelName(0, levels[0]));
  };
  EXPECT_EQ(level(0, 1), "same date");
  EXPECT_EQ(level(0, 2), "one typo");  // day digits swapped
  EXPECT_EQ(level(0, 3), "same to the coarser precision");
  EXPECT_EQ(level(0, 4), "one typo");
  EXPECT_EQ(level(0, 5), "1-2 years apart");
  EXPECT_EQ(level(0, 6), "different");
  EXPECT_EQ(level(0, 7), "unknown");
}

TEST(ComparatorTest, NamesMatchAcrossScriptsAndOrder) {
  auto comparator = MakeComparator(
      {{"name", FieldKind::kName}}, ModelKind::kIzde,
      {{"Serikzhan Bilash"}, {"Серікжан Біләш"}, {"Bilash Serikzhan"}, {"Ilham Tohti"}});
  ASSERT_NE(comparator, nullptr);
  std::vector<int8_t> levels(1);
  comparator->Compare(0, 1, levels);
  EXPECT_LE(levels[0], 1);
  comparator->Compare(0, 2, levels);
  EXPECT_LE(levels[0], 1);
  comparator->Compare(0, 3, levels);
  EXPECT_EQ(comparator->LevelName(0, levels[0]), "different");
  // The name parts of all three spellings share keys, so they block together.
  std::vector<std::string> keys = comparator->BlockingKeys(0);
  std::vector<std::string> cyrillic_keys = comparator->BlockingKeys(1);
  std::vector<std::string> shared;
  std::sort(keys.begin(), keys.end());
  std::sort(cyrillic_keys.begin(), cyrillic_keys.end());
  std::set_intersection(keys.begin(), keys.end(), cyrillic_keys.begin(), cyrillic_keys.end(),
                        std::back_inserter(shared));
  EXPECT_THAT(shared, ::testing::Contains(HasSubstr("nn:")));
}

TEST(ComparatorTest, RejectsInvalidUtf8NamingTheField) {
  Result<std::unique_ptr<Comparator>> comparator = Comparator::Create(
      {{"city", FieldKind::kString}}, ModelKind::kIzde, {{"Almaty"}, {"Alm\xff"}});
  ASSERT_FALSE(comparator.ok());
  EXPECT_THAT(comparator.status().ToString(), HasSubstr("record 2, field city"));
}

// Synthetic people: many share a few common given names and surnames, a few have rare ones.
struct Synthetic {
  std::vector<std::vector<std::string>> rows;  // name, dob, city
  std::vector<int> entity;
};

std::string Typo(std::mt19937_64& random, std::string text) {
  if (text.size() < 3) return text;
  size_t pos = 1 + random() % (text.size() - 2);
  switch (random() % 3) {
    case 0:
      text.erase(pos, 1);
      break;
    case 1:
      std::swap(text[pos], text[pos + 1 < text.size() ? pos + 1 : pos - 1]);
      break;
    default:
      text[pos] = static_cast<char>('a' + random() % 26);
  }
  return text;
}

Synthetic MakePeople(uint64_t seed, int entities) {
  const std::vector<std::string> given = {"john",  "mary",   "james",   "anna",   "peter",
                                          "susan", "robert", "helen",   "thomas", "laura",
                                          "david", "grace",  "michael", "ruth",   "george"};
  const std::vector<std::string> surname = {"smith",  "jones",  "brown",   "taylor", "wilson",
                                            "evans",  "walker", "roberts", "wright", "hughes",
                                            "turner", "hill",   "cooper",  "ward",   "morris"};
  const std::vector<std::string> city = {"leeds", "york", "bath", "hull", "derby", "truro"};
  std::mt19937_64 random(seed);
  Synthetic people;
  for (int entity = 0; entity < entities; ++entity) {
    std::string first = given[random() % given.size()];
    std::string last = surname[random() % surname.size()];
    std::string dob = std::to_string(1930 + random() % 60) + "-0" +
                      std::to_string(1 + random() % 9) + "-1" + std::to_string(random() % 9);
    std::string town = city[random() % city.size()];
    int copies = 1 + static_cast<int>(random() % 3);
    for (int copy = 0; copy < copies; ++copy) {
      std::string name_first = copy > 0 && random() % 3 == 0 ? Typo(random, first) : first;
      std::string name_last = copy > 0 && random() % 3 == 0 ? Typo(random, last) : last;
      std::string copy_dob = copy > 0 && random() % 4 == 0 ? Typo(random, dob) : dob;
      people.rows.push_back({name_first + " " + name_last, copy_dob, town});
      people.entity.push_back(entity);
    }
  }
  return people;
}

TEST(LinkerTest, DeduplicatesSyntheticPeopleWithoutLabels) {
  Synthetic people = MakePeople(7, 400);
  auto comparator = MakeComparator(
      {{"name", FieldKind::kName}, {"dob", FieldKind::kDate}, {"city", FieldKind::kString}},
      ModelKind::kIzde, people.rows);
  ASSERT_NE(comparator, nullptr);
  LinkOptions options;
  options.u_pairs = 50000;  // enough for three fields, and quick under the sanitizers
  Linker linker(*comparator, comparator->size(), options);
  linker.Train();
  EXPECT_GT(linker.stats().candidates, 0U);
  std::vector<ScoredPair> pairs = linker.Pairs(0.0);
  size_t true_positives = 0;
  for (const ScoredPair& pair : pairs) {
    if (people.entity[pair.left] == people.entity[pair.right]) ++true_positives;
  }
  size_t true_pairs = 0;
  for (size_t first = 0; first < people.entity.size(); ++first) {
    for (size_t second = first + 1; second < people.entity.size(); ++second) {
      if (people.entity[first] == people.entity[second]) ++true_pairs;
    }
  }
  ASSERT_GT(true_pairs, 100U);
  double precision = static_cast<double>(true_positives) / static_cast<double>(pairs.size());
  double recall = static_cast<double>(true_positives) / static_cast<double>(true_pairs);
  EXPECT_GT(precision, 0.9);
  EXPECT_GT(recall, 0.9);
  // The date's exact level is evidence for a match, its "different" level against.
  EXPECT_GT(linker.LevelWeight(1, 0), 3.0);
  EXPECT_LT(linker.LevelWeight(1, 6), 0.0);

  // The explanation adds up to the score.
  const ScoredPair& first = pairs.front();
  double sum = 0;
  for (const FieldWeight& field : linker.Explain(first.left, first.right)) sum += field.weight;
  EXPECT_NEAR(sum, linker.Score(first.left, first.right), 1e-6);
  EXPECT_NEAR(first.score, linker.Score(first.left, first.right), 1e-4);
}

TEST(LinkerTest, SameSeedSameModel) {
  Synthetic people = MakePeople(11, 150);
  auto comparator = MakeComparator(
      {{"name", FieldKind::kName}, {"dob", FieldKind::kDate}, {"city", FieldKind::kString}},
      ModelKind::kIzde, people.rows);
  ASSERT_NE(comparator, nullptr);
  Linker first(*comparator, comparator->size(), {});
  first.Train();
  Linker second(*comparator, comparator->size(), {});
  second.Train();
  EXPECT_EQ(first.parameters().m, second.parameters().m);
  EXPECT_EQ(first.parameters().u, second.parameters().u);
}

TEST(LinkerTest, RareSharedNameOutweighsCommonSharedName) {
  // Many Muhammads and Alis, one pair of Serikzhan Bilash; every pair below agrees on the whole
  // name and nothing else is known, so only the names' frequencies can tell them apart.
  std::vector<std::vector<std::string>> rows;
  const std::vector<std::string> others = {"Nurlan", "Bakhyt", "Aigerim", "Dana",  "Erlan",
                                           "Gulnar", "Askar",  "Saule",   "Timur", "Zhanna"};
  for (int copy = 0; copy < 30; ++copy) rows.push_back({"Muhammad Ali"});
  for (const std::string& other : others) {
    rows.push_back({other + " Ali"});
    rows.push_back({"Muhammad " + other});
  }
  rows.push_back({"Serikzhan Bilash"});
  rows.push_back({"Serikzhan Bilash"});
  auto comparator = MakeComparator({{"name", FieldKind::kName}}, ModelKind::kIzde, rows);
  ASSERT_NE(comparator, nullptr);
  uint32_t rare_left = static_cast<uint32_t>(rows.size() - 2);
  uint32_t rare_right = static_cast<uint32_t>(rows.size() - 1);
  std::vector<int8_t> common_levels(1);
  std::vector<int8_t> rare_levels(1);
  double common = comparator->Compare(0, 1, common_levels);
  double rare = comparator->Compare(rare_left, rare_right, rare_levels);
  EXPECT_EQ(common_levels[0], rare_levels[0]);  // both exact
  EXPECT_GT(rare, 0.0);
  EXPECT_LT(common, 0.0);

  Linker linker(*comparator, comparator->size(), {});
  linker.Train();
  EXPECT_GT(linker.Score(rare_left, rare_right), linker.Score(0, 1) + 3.0);
  std::vector<FieldWeight> explanation = linker.Explain(rare_left, rare_right);
  ASSERT_EQ(explanation.size(), 2U);
  EXPECT_THAT(explanation[1].value, HasSubstr("term frequency +"));

  // The plain model has no such adjustment: the two pairs score the same.
  auto plain = MakeComparator({{"name", FieldKind::kName}}, ModelKind::kPlain, rows);
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->Compare(rare_left, rare_right, rare_levels), 0.0);
}

TEST(LinkerTest, LinksTwoFilesOnlyAcross) {
  std::vector<std::vector<std::string>> rows = {
      {"Serikzhan Bilash", "1974-03-12"},
      {"Ilham Tohti", "1969-10-25"},
      {"Serikzhan Bilash", "1974-03-12"},  // left 0..1, right 2..4
      {"Ilham Tohti", "1969-10-25"},
      {"Bakhyt Nurlanuly", "1980-01-01"}};
  auto comparator = MakeComparator({{"name", FieldKind::kName}, {"dob", FieldKind::kDate}},
                                   ModelKind::kIzde, rows);
  ASSERT_NE(comparator, nullptr);
  Linker linker(*comparator, 2, {});
  linker.Train();
  EXPECT_EQ(linker.stats().all_pairs, 6U);
  for (const ScoredPair& pair : linker.Pairs(-1e9)) {
    EXPECT_LT(pair.left, 2U);
    EXPECT_GE(pair.right, 2U);
  }
}

TEST(ConnectedComponentsTest, NumbersComponentsByFirstRecord) {
  std::vector<ScoredPair> pairs = {{3, 4, 1}, {0, 2, 1}, {2, 5, 1}};
  EXPECT_THAT(ConnectedComponents(7, pairs), ::testing::ElementsAre(0, 1, 0, 2, 2, 0, 3));
}

}  // namespace
}  // namespace izde::match
