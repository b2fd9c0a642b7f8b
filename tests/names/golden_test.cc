// Runs the name cases in tests/golden/names/*.tsv. A failing row is reported as file:line.
// Row format: transform<TAB>source<TAB>expected[<TAB>known miss: reason]. A row with a
// reason is a documented miss: it must keep failing (else the list is stale); any other
// failing row fails the test.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/similarity.h"
#include "names/transliterate.h"
#include "testing/text.h"

namespace izde::names {
namespace {

using ::izde::testing::SplitTabs;

std::filesystem::path GoldenDir() {
  const char* source_dir = std::getenv("IZDE_SOURCE_DIR");
  std::filesystem::path root = source_dir != nullptr ? source_dir : ".";
  return root / "tests" / "golden" / "names";
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t index = 0; index < text.size(); ++index) {
    if (text[index] != '\\' || index + 1 == text.size()) {
      out.push_back(text[index]);
      continue;
    }
    const char next = text[++index];
    switch (next) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      default:
        out.push_back(next);
        break;  // \\ and \"
    }
  }
  return out;
}

struct Tally {
  int passed = 0;
  int total = 0;
  int known_misses = 0;
};

void RunTransliterationFile(const std::string& file_name) {
  const std::filesystem::path path = GoldenDir() / file_name;
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot open " << path << " (set IZDE_SOURCE_DIR or run from the "
                         << "repository root)";
  std::map<std::string, Tally> tallies;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = file_name + ":" + std::to_string(line_number);
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 3) {
      ADD_FAILURE() << where << ": expected 3 or 4 tab-separated fields";
      continue;
    }
    Result<Transform> transform = ParseTransform(fields[0]);
    if (!transform.ok()) {
      ADD_FAILURE() << where << ": " << transform.status();
      continue;
    }
    const std::string source = Unescape(fields[1]);
    const std::string expected = Unescape(fields[2]);
    const bool known_miss = fields.size() >= 4 && !fields[3].empty();
    Result<std::string> actual = Transliterate(source, *transform);
    const bool pass = actual.ok() && *actual == expected;
    Tally& tally = tallies[fields[0]];
    ++tally.total;
    if (pass) ++tally.passed;
    if (known_miss) ++tally.known_misses;
    if (pass && known_miss) {
      ADD_FAILURE() << where << ": listed as a known miss but now passes; remove the reason";
    } else if (!pass && !known_miss) {
      ADD_FAILURE() << where << ": " << fields[0] << "(\"" << fields[1]
                    << "\")\n  expected: " << expected
                    << "\n    actual: " << (actual.ok() ? *actual : actual.status().ToString());
    }
  }
  for (const auto& [name, tally] : tallies) {
    std::cout << "[ golden   ] " << file_name << " " << name << ": " << tally.passed << "/"
              << tally.total << " exact (" << tally.known_misses << " documented misses)\n";
  }
}

// Row format: left<TAB>right<TAB>share|disjoint[<TAB>known miss: reason].
void RunKeysFile(const std::string& file_name) {
  const std::filesystem::path path = GoldenDir() / file_name;
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot open " << path;
  int passed = 0;
  int total = 0;
  int known_misses = 0;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = file_name + ":" + std::to_string(line_number);
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 3 || (fields[2] != "share" && fields[2] != "disjoint")) {
      ADD_FAILURE() << where << ": expected left, right, share|disjoint";
      continue;
    }
    Result<NameAnalysis> left = AnalyzeName(fields[0]);
    Result<NameAnalysis> right = AnalyzeName(fields[1]);
    if (!left.ok() || !right.ok()) {
      ADD_FAILURE() << where << ": " << (left.ok() ? right.status() : left.status());
      continue;
    }
    bool share = false;
    for (const std::string& key : left->blocking_keys) {
      for (const std::string& other : right->blocking_keys) share = share || key == other;
    }
    const bool pass = share == (fields[2] == "share");
    const bool known_miss = fields.size() >= 4 && !fields[3].empty();
    ++total;
    if (pass) ++passed;
    if (known_miss) ++known_misses;
    auto keys = [](const NameAnalysis& analysis) {
      std::string joined;
      for (const std::string& key : analysis.blocking_keys) joined += key + " ";
      return joined;
    };
    if (pass && known_miss) {
      ADD_FAILURE() << where << ": listed as a known miss but now passes; remove the reason";
    } else if (!pass && !known_miss) {
      ADD_FAILURE() << where << ": expected " << fields[2] << "\n  left:  " << fields[0] << " -> "
                    << keys(*left) << "\n  right: " << fields[1] << " -> " << keys(*right);
    }
  }
  std::cout << "[ golden   ] " << file_name << ": " << passed << "/" << total << " as expected ("
            << known_misses << " documented misses)\n";
}

// Row format: left<TAB>right<TAB>same|possibly|different[<TAB>known miss: reason].
void RunCompareFile(const std::string& file_name) {
  const std::filesystem::path path = GoldenDir() / file_name;
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot open " << path;
  std::map<std::string, Tally> tallies;
  std::map<std::string, NameAnalysis> analyses;  // each name is analysed once
  auto analyse = [&analyses](const std::string& name) -> Result<NameAnalysis> {
    auto found = analyses.find(name);
    if (found != analyses.end()) return found->second;
    IZDE_ASSIGN_OR_RETURN(NameAnalysis analysis, AnalyzeName(name));
    analyses.emplace(name, analysis);
    return analysis;
  };
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = file_name + ":" + std::to_string(line_number);
    const std::vector<std::string> fields = SplitTabs(line);
    if (fields.size() < 3) {
      ADD_FAILURE() << where << ": expected left, right, verdict";
      continue;
    }
    Result<NameAnalysis> left = analyse(fields[0]);
    Result<NameAnalysis> right = analyse(fields[1]);
    if (!left.ok() || !right.ok()) {
      ADD_FAILURE() << where << ": " << (left.ok() ? right.status() : left.status());
      continue;
    }
    const NameComparison comparison = CompareAnalyses(*left, *right);
    const bool pass = comparison.verdict == fields[2];
    const bool known_miss = fields.size() >= 4 && !fields[3].empty();
    Tally& tally = tallies[fields[2]];
    ++tally.total;
    if (pass) ++tally.passed;
    if (known_miss) ++tally.known_misses;
    if (pass && known_miss) {
      ADD_FAILURE() << where << ": listed as a known miss but now passes; remove the reason";
    } else if (!pass && !known_miss) {
      ADD_FAILURE() << where << ": " << fields[0] << " ~ " << fields[1] << ": expected "
                    << fields[2] << ", got " << comparison.verdict << " (" << comparison.score
                    << ")";
    }
  }
  for (const auto& [verdict, tally] : tallies) {
    std::cout << "[ golden   ] " << file_name << " expect " << verdict << ": " << tally.passed
              << "/" << tally.total << " (" << tally.known_misses << " documented misses)\n";
  }
}

TEST(GoldenTest, InterscriptStandardsExamples) {
  RunTransliterationFile("transliterate_interscript.tsv");
}

TEST(GoldenTest, UyghurScriptPairs) { RunTransliterationFile("transliterate_uyghur_scripts.tsv"); }

TEST(GoldenTest, NameTransliterations) { RunTransliterationFile("transliterate_names.tsv"); }

TEST(GoldenTest, KeysAcrossScripts) { RunKeysFile("keys_cross_script.tsv"); }

TEST(GoldenTest, NameComparisons) { RunCompareFile("compare.tsv"); }

}  // namespace
}  // namespace izde::names
