// Instructions per name analysis and per comparison, counted by callgrind outside the one-time
// work (rule compilation, tables): the firm figure on a shared machine where wall time is noise.
// Not part of the CMake build (it needs valgrind's header); after the release build of izde_names:
//   g++ -std=c++20 -O2 -I src bench/names_bench_instructions.cc -o /tmp/names_instructions \
//     build/release/src/names/libizde_names.a build/release/src/core/libizde_core.a \
//     $(pkg-config --libs icu-i18n icu-uc) -lfmt -lspdlog
//   for set in 0 1 2 3 4 5; do SET=$set valgrind --tool=callgrind --instr-atstart=no \
//     --callgrind-out-file=/tmp/cg.$set /tmp/names_instructions 2>&1 | grep Collected; done
// SET 0-4: 1,000 analyses of the Latin, Kazakh Cyrillic, Russian Cyrillic, Uyghur Arabic and Han
// names of names_bench.cc; SET 5: 1,000 comparisons of pairs of those 25 names.
// Divide "Collected" by 1,000.
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/similarity.h"
int main() {
  const std::vector<std::vector<std::string>> sets = {
      {"Serikzhan Bilash", "Ilham Tohti", "Bakhyt Nurlanuly", "Gulnar Abdullayeva",
       "Mehmet Abdurehim"},
      {"Серікжан Біләш", "Бақыт Нұрланұлы", "Гүлнар Сейітқызы", "Әсел Жұмабекова",
       "Ерлан Қайратұлы"},
      {"Ильхам Тохти", "Нурлан Абдуллаев", "Гульнара Исмаилова", "Мурат Ахметов", "Айгуль Сеитова"},
      {"ئىلھام توختى", "مەمەت ئابدۇرېھىم", "گۈلنار ئابدۇللا", "نۇرلان قادىر", "ئەخمەت تۇرسۇن"},
      {"伊力哈木·土赫提", "赛力克江·比拉什", "买买提·阿不都热依木", "古丽娜尔·阿不都拉",
       "努尔兰·卡德尔"}};
  const char* set_name = getenv("SET");
  const size_t set = set_name ? std::stoul(set_name) : 1;
  std::vector<izde::names::NameAnalysis> all;
  for (const auto& names : sets)
    for (const auto& name : names) all.push_back(*izde::names::AnalyzeName(name));
  const int n = 1000;
  size_t sink = 0;
  if (set < 5) {
    CALLGRIND_START_INSTRUMENTATION;
    for (int i = 0; i < n; ++i) sink += izde::names::AnalyzeName(sets[set][i % 5])->parts.size();
    CALLGRIND_STOP_INSTRUMENTATION;
  } else {
    // One-time work out of the count: the vowel table of Han parts is built at the first
    // comparison of a Han part with another script's.
    for (const auto& left : all) sink += izde::names::CompareAnalyses(left, all[0]).matches.size();
    CALLGRIND_START_INSTRUMENTATION;
    for (int i = 0; i < n; ++i)
      sink += izde::names::CompareAnalyses(all[i % 25], all[(i / 25 + i * 7) % 25]).matches.size();
    CALLGRIND_STOP_INSTRUMENTATION;
  }
  printf("%zu\n", sink);
}
