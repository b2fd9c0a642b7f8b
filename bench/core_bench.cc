// Micro-benchmarks of core parsing on the import path.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/ids.h"
#include "core/partial_date.h"

namespace izde {
namespace {

void BM_PartialDateParse(benchmark::State& state) {
  const std::vector<std::string> inputs = {"1974", "1974-04", "1974-04-12", "12 April 1974",
                                           "04.1974", "about 1974", "2017-04..2017-06"};
  size_t input_idx = 0;
  for (auto _ : state) {
    auto date = PartialDate::Parse(inputs[input_idx++ % inputs.size()]);
    benchmark::DoNotOptimize(date);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PartialDateParse);

void BM_IdFormatAndParse(benchmark::State& state) {
  int64_t number = 1;
  for (auto _ : state) {
    auto parsed = ParseId(IdKind::kPerson, FormatId(IdKind::kPerson, number++));
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IdFormatAndParse);

}  // namespace
}  // namespace izde

BENCHMARK_MAIN();
