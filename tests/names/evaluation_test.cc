// Evaluation on the shared data (../shared/data/names, see its README), printed, not asserted.
// Disabled by default (it needs the shared folder and takes a while under sanitizers); run:
//   ./build/ci/tests/names_test --gtest_also_run_disabled_tests --gtest_filter='*Evaluation*'
// IZDE_SHARED_DIR overrides the location of the shared folder (default: ../shared from the
// repository root). IZDE_EVAL_QUERIES sets the number of queries per file (default 300);
// IZDE_EVAL_MISSES=1 prints each query missed at 10 with the distractor that beat it.
// IZDE_EVAL_RANKS=1 prints each query's rank (distractors at least as good as its truth).
// IZDE_EVAL_OFFSET sets the first query (default 0): rules are studied on the misses of queries
// 0-999 only; queries 2000-2999 (IZDE_EVAL_OFFSET=2000 IZDE_EVAL_QUERIES=1000) are held out, and
// so are 1000-1999 and 4000-4999 (past the pool of distractors, which stays the first 3,000 rows).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/similarity.h"

namespace izde::names {
namespace {

std::filesystem::path SharedDir() {
  if (const char* shared = std::getenv("IZDE_SHARED_DIR")) return shared;
  const char* source = std::getenv("IZDE_SOURCE_DIR");
  return std::filesystem::path(source != nullptr ? source : ".") / ".." / "shared";
}

size_t FirstQuery() {
  const char* offset = std::getenv("IZDE_EVAL_OFFSET");
  return offset != nullptr ? static_cast<size_t>(std::stoul(offset)) : 0;
}

size_t Queries() {
  const char* queries = std::getenv("IZDE_EVAL_QUERIES");
  return queries != nullptr ? static_cast<size_t>(std::stoul(queries)) : 300;
}

// For each of Queries() English tokens from FirstQuery() on of a Wikidata file: is its own target
// the best (hit@1) or among the ten best (hit@10) of itself and 1,000 targets drawn from the first
// 3,000 rows? A distractor scoring the same as the truth counts against it.
void Retrieval(const std::string& file_name) {
  const std::filesystem::path path = SharedDir() / "data" / "names" / "wikidata" / file_name;
  std::ifstream in(path);
  if (!in.good()) GTEST_SKIP() << "no " << path;
  std::vector<NameAnalysis> english;
  std::vector<NameAnalysis> target;
  const bool print_misses = std::getenv("IZDE_EVAL_MISSES") != nullptr;
  // IZDE_EVAL_RANKS=1 prints, for every query, how many distractors scored at least as well as
  // its truth (to compare two versions query by query).
  const bool print_ranks = std::getenv("IZDE_EVAL_RANKS") != nullptr;
  std::string line;
  // The pool of distractors is the first 3,000 rows; queries past it (IZDE_EVAL_OFFSET=4000, a
  // second held-out slice) read as many rows as they need.
  constexpr size_t kPool = 3000;
  const size_t rows = std::max(kPool, FirstQuery() + Queries());
  while (english.size() < rows && std::getline(in, line)) {
    const size_t first_tab = line.find('\t');
    const size_t second_tab = line.find('\t', first_tab + 1);
    if (first_tab == std::string::npos || second_tab == std::string::npos) continue;
    std::string joined;
    for (char c : line.substr(first_tab + 1, second_tab - first_tab - 1)) {
      if (c != ' ') joined.push_back(c);
    }
    Result<NameAnalysis> left = AnalyzeName(line.substr(0, first_tab));
    Result<NameAnalysis> right = AnalyzeName(joined);
    if (!left.ok() || !right.ok()) continue;
    english.push_back(std::move(*left));
    target.push_back(std::move(*right));
  }
  ASSERT_GT(english.size(), 1001u);
  const size_t first_query = std::min(FirstQuery(), english.size());
  const size_t queries = std::min(Queries(), english.size() - first_query);
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, std::min(kPool, english.size()) - 1);
  size_t hit1 = 0;
  size_t hit10 = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t query_idx = first_query; query_idx < first_query + queries; ++query_idx) {
    const double truth = CompareAnalyses(english[query_idx], target[query_idx]).score;
    int at_least_as_good = 0;
    double best_other = -1;
    size_t best_other_idx = 0;
    for (int distractor = 0; distractor < 1000;) {
      const size_t other = pick(random);
      if (other == query_idx) continue;
      ++distractor;
      const double score = CompareAnalyses(english[query_idx], target[other]).score;
      if (score >= truth) ++at_least_as_good;
      if (score > best_other) {
        best_other = score;
        best_other_idx = other;
      }
    }
    if (print_ranks) {
      std::cout << "[ rank     ] " << english[query_idx].input << "\t" << target[query_idx].input
                << "\t" << at_least_as_good << "\n";
    }
    if (at_least_as_good == 0) ++hit1;
    if (at_least_as_good < 10) ++hit10;
    if (print_misses && at_least_as_good >= 10) {
      const NameAnalysis& truth_analysis = target[query_idx];
      std::string readings;
      for (const NameAnalysis::Part& part : truth_analysis.parts) {
        readings += " " + part.ascii + "/" + part.key;
        if (!part.alt_ascii.empty()) readings += " " + part.alt_ascii + "/" + part.alt_key;
      }
      const std::string english_key =
          english[query_idx].parts.empty() ? "" : english[query_idx].parts.front().key;
      std::cout << "[ miss     ] " << english[query_idx].input << "/" << english_key << "\t"
                << truth_analysis.input << " (" << readings << ")\t" << truth << "\tbeaten by "
                << at_least_as_good << ", best " << target[best_other_idx].input << " "
                << best_other << "\n";
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ eval     ] " << file_name << ": hit@1 "
            << static_cast<double>(hit1) / static_cast<double>(queries) << ", hit@10 "
            << static_cast<double>(hit10) / static_cast<double>(queries) << " over " << queries
            << " queries (from " << first_query << ") x 1000 distractors; "
            << static_cast<double>(queries) * 1000.0 / seconds << " comparisons/s\n";
}

TEST(EvaluationTest, DISABLED_WikidataChinese) { Retrieval("wd_chinese_80"); }
TEST(EvaluationTest, DISABLED_WikidataRussian) { Retrieval("wd_russian_80"); }
TEST(EvaluationTest, DISABLED_WikidataArabic) { Retrieval("wd_arabic_80"); }

}  // namespace
}  // namespace izde::names
