// Micro-benchmarks of the names layer: analysis per script, and comparison of analysed names
// (the core of `izde name compare --batch` once each distinct name is analysed).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/chinese_variants.h"
#include "names/similarity.h"

namespace izde::names {
namespace {

// Synthetic or public-figure names, a few per script so that no single spelling dominates.
const std::vector<std::string>& Names(int script) {
  static const std::vector<std::vector<std::string>> kNames = {
      {"Serikzhan Bilash", "Ilham Tohti", "Bakhyt Nurlanuly", "Gulnar Abdullayeva",
       "Mehmet Abdurehim"},
      {"Серікжан Біләш", "Бақыт Нұрланұлы", "Гүлнар Сейітқызы", "Әсел Жұмабекова",
       "Ерлан Қайратұлы"},
      {"Ильхам Тохти", "Нурлан Абдуллаев", "Гульнара Исмаилова", "Мурат Ахметов", "Айгуль Сеитова"},
      {"ئىلھام توختى", "مەمەت ئابدۇرېھىم", "گۈلنار ئابدۇللا", "نۇرلان قادىر", "ئەخمەت تۇرسۇن"},
      {"伊力哈木·土赫提", "赛力克江·比拉什", "买买提·阿不都热依木", "古丽娜尔·阿不都拉",
       "努尔兰·卡德尔"},
  };
  return kNames[static_cast<size_t>(script)];
}

void AnalyzeScript(benchmark::State& state, int script) {
  const std::vector<std::string>& names = Names(script);
  size_t name_idx = 0;
  for (auto _ : state) {
    auto analysis = AnalyzeName(names[name_idx++ % names.size()]);
    benchmark::DoNotOptimize(analysis);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_AnalyzeNameLatin(benchmark::State& state) { AnalyzeScript(state, 0); }
void BM_AnalyzeNameKazakhCyrillic(benchmark::State& state) { AnalyzeScript(state, 1); }
void BM_AnalyzeNameRussianCyrillic(benchmark::State& state) { AnalyzeScript(state, 2); }
void BM_AnalyzeNameUyghurArabic(benchmark::State& state) { AnalyzeScript(state, 3); }
void BM_AnalyzeNameHan(benchmark::State& state) { AnalyzeScript(state, 4); }
BENCHMARK(BM_AnalyzeNameLatin);
BENCHMARK(BM_AnalyzeNameKazakhCyrillic);
BENCHMARK(BM_AnalyzeNameRussianCyrillic);
BENCHMARK(BM_AnalyzeNameUyghurArabic);
BENCHMARK(BM_AnalyzeNameHan);

// Every pair of the names above, across scripts: what a batch does after its cache is warm.
void BM_CompareAnalysesCrossScript(benchmark::State& state) {
  std::vector<NameAnalysis> analyses;
  for (int script = 0; script < 5; ++script) {
    for (const std::string& name : Names(script)) analyses.push_back(*AnalyzeName(name));
  }
  size_t left_idx = 0;
  size_t right_idx = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(CompareAnalyses(analyses[left_idx], analyses[right_idx]));
    if (++right_idx == analyses.size()) {
      right_idx = 0;
      if (++left_idx == analyses.size()) left_idx = 0;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareAnalysesCrossScript);

void BM_ChineseVariantsLatin(benchmark::State& state) {
  std::vector<NameAnalysis> analyses;
  for (const std::string& name : Names(0)) analyses.push_back(*AnalyzeName(name));
  size_t name_idx = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ChineseVariants(analyses[name_idx++ % analyses.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChineseVariantsLatin);

}  // namespace
}  // namespace izde::names

BENCHMARK_MAIN();
