// The candidate index on demo persons: build time, memory per name form, and Find latency and
// recall@10 of variant queries (cross-script, typo, reordered), at 100k and 1M persons.
//
//   build/release/bench/match_bench                                # 100k, 200k, then 1M
//   build/release/bench/match_bench --benchmark_filter=/100000      # 100k only
//   IZDE_BENCH_DUMP=top10.txt build/release/bench/match_bench --benchmark_filter=/200000/
//                                                                   # each query's top 10, to diff
//   IZDE_BENCH_REPEAT=10 perf record -g build/release/bench/match_bench --benchmark_filter=/200000/
//                                                                   # a profile mostly of Find
//   valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes (one command line with:)
//     build/release/bench/match_bench --benchmark_filter=BM_Find/200000/
//                                                                   # the queries' instructions only
//   IZDE_BENCH_UNCLUSTERED=1 build/release/bench/match_bench --benchmark_filter=/100000
//                                                                   # slots in the order added
//   IZDE_BENCH_SNAPSHOT=serve.db.index IZDE_BENCH_QUERIES=names.txt (one command line with:)
//     build/release/bench/match_bench --benchmark_filter=BM_FindFile
//                                                                   # a server's index, its queries
//
// Each size's index is built once (BM_IndexBuild) and reused by BM_Find. For 1,000 persons
// spread over the data, one name form (the last, in another script than the others, or a
// misspelt Latin alias) is held out of the index and becomes the "cross" query; "typo" is a
// Latin form with one letter changed; "reorder" is a form with its words reversed; "exact" is
// an indexed form as written. A query finds its person when the person is among the top 10.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define IZDE_BENCH_CALLGRIND 1
#endif

#include "bench/variant_corpus.h"
#include "match/candidate_index.h"
#include "names/analyze.h"
#include "names/script.h"
#include "registry/index_record.h"
#include "registry/places.h"

namespace izde {
namespace {

constexpr size_t kQueryPersons = 1000;

using bench::VariantQuery;

struct Corpus {
  std::vector<match::IndexRecord> records;
  std::vector<VariantQuery> queries;
  std::unique_ptr<match::CandidateIndex> index;
  double build_seconds = 0;
};

std::unique_ptr<Corpus> MakeCorpus(int64_t count) {
  bench::VariantCorpus variants = bench::MakeVariantCorpus(count, kQueryPersons);
  auto corpus = std::make_unique<Corpus>();
  corpus->records = std::move(variants.records);
  corpus->queries = std::move(variants.queries);
  return corpus;
}

std::map<int64_t, std::unique_ptr<Corpus>>& Corpora() {
  static std::map<int64_t, std::unique_ptr<Corpus>> corpora;
  return corpora;
}

Corpus& Built(int64_t count) {
  std::unique_ptr<Corpus>& corpus = Corpora()[count];
  if (corpus == nullptr) corpus = MakeCorpus(count);
  if (corpus->index == nullptr) {
    auto start = std::chrono::steady_clock::now();
    match::IndexOptions options;
    // Overrides for trying the index's trade-offs without rebuilding.
    if (const char* share = std::getenv("IZDE_BENCH_NEAR_MAX_SHARE")) {
      options.near_max_share = std::atof(share);
    }
    if (const char* scored = std::getenv("IZDE_BENCH_MIN_SCORED")) {
      options.min_scored = std::atoi(scored);
    }
    if (const char* quick = std::getenv("IZDE_BENCH_QUICK_PER_SCORED")) {
      options.quick_per_scored = std::atoi(quick);
    }
    corpus->index = std::make_unique<match::CandidateIndex>(match::Scorer(), options);
    // As `izde search` and `dedupe` build it: analysed on every core (IZDE_BENCH_THREADS).
    int threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (const char* env = std::getenv("IZDE_BENCH_THREADS")) threads = std::atoi(env);
    benchmark::DoNotOptimize(corpus->index->AddBatch(corpus->records, threads));
    // As io::LoadIndex leaves it (IZDE_BENCH_UNCLUSTERED=1: in the order added).
    if (std::getenv("IZDE_BENCH_UNCLUSTERED") == nullptr) corpus->index->Cluster();
    corpus->build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return *corpus;
}

void BM_IndexBuild(benchmark::State& state) {
  for (auto _ : state) {
    Corpora().erase(state.range(0));
    Built(state.range(0));
  }
  Corpus& corpus = Built(state.range(0));
  match::IndexStats stats = corpus.index->stats();
  const double forms = static_cast<double>(std::max<size_t>(stats.name_forms, 1));
  state.counters["build_s"] = corpus.build_seconds;
  state.counters["persons_per_s"] = static_cast<double>(stats.records) / corpus.build_seconds;
  state.counters["name_forms"] = static_cast<double>(stats.name_forms);
  state.counters["keys"] = static_cast<double>(stats.keys);
  state.counters["postings"] = static_cast<double>(stats.postings);
  state.counters["bytes_per_form"] = static_cast<double>(stats.bytes) / forms;
  std::fprintf(stderr,
               "index of %zu persons, %zu name forms: built in %.1f s (%.0f persons/s), %zu keys, "
               "%zu postings, %.1f MB (%.0f bytes per name form)\n",
               stats.records, stats.name_forms, corpus.build_seconds,
               static_cast<double>(stats.records) / corpus.build_seconds, stats.keys,
               stats.postings, static_cast<double>(stats.bytes) / 1e6,
               static_cast<double>(stats.bytes) / forms);
}
BENCHMARK(BM_IndexBuild)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMillisecond);

double Percentile(std::vector<double> values, double share) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(share * static_cast<double>(values.size() - 1))];
}

// CPU time of this thread: on a shared machine, what a query costs on a core of its own (wall
// time is printed beside it).
double ThreadCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// All variant queries once per iteration, top 10 each, by name alone and again with the
// person's birth year (as a relative would give it); counters per kind and overall.
// IZDE_BENCH_DUMP's line for one query: its label, then each hit's id and total score, so that
// two builds' answers can be compared with cmp.
void DumpTop(std::ostream& out, const std::string& label,
             const Result<std::vector<match::Candidate>>& found) {
  out << label << ':';
  if (found.ok()) {
    for (const match::Candidate& hit : *found) {
      char score[32];
      std::snprintf(score, sizeof score, "%.6f", hit.score.total);
      out << ' ' << hit.id << '=' << score;
    }
  }
  out << '\n';
}

void BM_Find(benchmark::State& state) {
  Corpus& corpus = Built(state.range(0));
  struct Tally {
    std::vector<double> cpu;
    std::vector<double> wall;
    int64_t top1 = 0;
    int64_t top10 = 0;
  };
  std::map<std::string, Tally> tallies;
  std::vector<std::pair<double, std::string>> slowest;
  // IZDE_BENCH_DUMP=FILE: each query's top-10 ids and scores, one line per query, so that two
  // builds' results can be compared line by line (diff).
  std::unique_ptr<std::ofstream> dump;
  if (const char* path = std::getenv("IZDE_BENCH_DUMP"))
    dump = std::make_unique<std::ofstream>(path);
  auto run = [&](const VariantQuery& variant, bool with_year) {
    match::Query query;
    query.names = {variant.name};
    if (with_year) query.fields.birth = variant.birth;
    const double cpu_start = ThreadCpuMicros();
    auto start = std::chrono::steady_clock::now();
    auto found = corpus.index->Find(query, 10);
    const double wall =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    const double cpu = ThreadCpuMicros() - cpu_start;
    slowest.emplace_back(cpu, variant.name);
    if (dump != nullptr) {
      DumpTop(*dump, (with_year ? "year " : "name ") + variant.kind + ' ' + variant.name, found);
    }
    const std::string kind = with_year ? variant.kind + "+year" : variant.kind;
    // "all" by name alone and with a birth year apart too: `izde serve`'s searches are names
    // alone, which cost more than the mean.
    for (Tally* tally :
         {&tallies[kind], &tallies["all"], &tallies[with_year ? "all+year" : "all-name"]}) {
      tally->cpu.push_back(cpu);
      tally->wall.push_back(wall);
      if (!found.ok()) continue;
      if (!found->empty() && (*found)[0].id == variant.id) ++tally->top1;
      // Demo names repeat (a few hundred given names), so namesakes without other fields tie
      // with the person: top10 is the fairer figure.
      if (std::any_of(found->begin(), found->end(),
                      [&](const match::Candidate& hit) { return hit.id == variant.id; })) {
        ++tally->top10;
      }
    }
  };
  // The first queries pay for tables built on first use; they are run once unmeasured.
  for (size_t idx = 0; idx < std::min<size_t>(corpus.queries.size(), 20); ++idx) {
    match::Query query;
    query.names = {corpus.queries[idx].name};
    benchmark::DoNotOptimize(corpus.index->Find(query, 10));
  }
  // IZDE_BENCH_REPEAT=N: every query N more times first, unmeasured, so that a profile
  // (perf record) of the run is mostly Find's, not the index build's.
  if (const char* repeat = std::getenv("IZDE_BENCH_REPEAT")) {
    for (int pass = 0; pass < std::atoi(repeat); ++pass) {
      for (bool with_year : {false, true}) {
        for (const VariantQuery& variant : corpus.queries) {
          match::Query query;
          query.names = {variant.name};
          if (with_year) query.fields.birth = variant.birth;
          benchmark::DoNotOptimize(corpus.index->Find(query, 10));
        }
      }
    }
  }
  // Under `valgrind --tool=callgrind --instr-atstart=no`, only the measured queries are
  // instrumented (the index build runs at near native speed), so that two builds' instruction
  // counts (and simulated cache misses, --cache-sim=yes) compare exactly.
#ifdef IZDE_BENCH_CALLGRIND
  CALLGRIND_START_INSTRUMENTATION;
#endif
  for (auto _ : state) {
    for (bool with_year : {false, true}) {
      for (const VariantQuery& variant : corpus.queries) run(variant, with_year);
    }
  }
#ifdef IZDE_BENCH_CALLGRIND
  CALLGRIND_STOP_INSTRUMENTATION;
#endif
  dump.reset();
  // IZDE_BENCH_DIAGNOSE=1: why queries by name alone miss their person. Each is run again with
  // a limit of 200: the person is then "not reached" (blocking or the bounded pre-ranking cut
  // it), "tied" (ranked past 10th with the same score as the 10th) or "below" (a lower score).
  if (std::getenv("IZDE_BENCH_DIAGNOSE") != nullptr) {
    std::map<std::string, std::map<std::string, int>> causes;
    for (const VariantQuery& variant : corpus.queries) {
      match::Query query;
      query.names = {variant.name};
      auto found = corpus.index->Find(query, 200);
      if (!found.ok()) {
        ++causes[variant.kind]["error"];
        continue;
      }
      size_t rank = found->size();
      for (size_t idx = 0; idx < found->size(); ++idx) {
        if ((*found)[idx].id == variant.id) {
          rank = idx;
          break;
        }
      }
      std::string cause;
      if (rank < 10) {
        cause = "found";
      } else if (rank == found->size()) {
        cause = "not reached";
      } else if ((*found)[rank].score.total >= (*found)[9].score.total) {
        cause = (*found)[rank].score.name_score >= (*found)[9].score.name_score
                    ? "tied (total and name score)"
                    : "tied (total)";
      } else {
        cause = "below";
      }
      ++causes[variant.kind][cause];
      // IZDE_BENCH_DIAGNOSE=list: each miss, with the person's indexed forms and the 10th's.
      if (cause != "found" && std::string_view(std::getenv("IZDE_BENCH_DIAGNOSE")) == "list") {
        auto forms_of = [&corpus](int64_t id) {
          std::string joined;
          const match::IndexRecord& record = corpus.records[static_cast<size_t>(id - 1)];
          for (const std::string& form : record.names)
            joined += (joined.empty() ? "" : " | ") + form;
          return joined;
        };
        const double own = rank < found->size() ? (*found)[rank].score.name_score : -1.0;
        const bool tenth = found->size() >= 10;
        std::fprintf(stderr, "  miss %s [%s] %s\t%s (name %.3f, rank %zu)\t10th: %s (name %.3f)\n",
                     variant.kind.c_str(), cause.c_str(), variant.name.c_str(),
                     forms_of(variant.id).c_str(), own, rank,
                     tenth ? forms_of((*found)[9].id).c_str() : "",
                     tenth ? (*found)[9].score.name_score : -1.0);
      }
    }
    for (const auto& [kind, counts] : causes) {
      std::fprintf(stderr, "  diagnose %-8s", kind.c_str());
      for (const auto& [cause, count] : counts)
        std::fprintf(stderr, "  %s %d", cause.c_str(), count);
      std::fprintf(stderr, "\n");
    }
    // How many persons share a name: distinct first name forms and distinct sets of forms.
    std::set<std::string> firsts;
    std::set<std::vector<std::string>> sets;
    for (const match::IndexRecord& record : corpus.records) {
      if (record.names.empty()) continue;
      firsts.insert(record.names.front());
      std::vector<std::string> forms = record.names;
      std::sort(forms.begin(), forms.end());
      sets.insert(std::move(forms));
    }
    std::fprintf(stderr,
                 "  %zu persons: %zu distinct first name forms (%.1f persons each), %zu distinct "
                 "sets of forms\n",
                 corpus.records.size(), firsts.size(),
                 static_cast<double>(corpus.records.size()) /
                     static_cast<double>(std::max<size_t>(firsts.size(), 1)),
                 sets.size());
  }
  std::sort(slowest.begin(), slowest.end(), std::greater<>());
  slowest.resize(std::min<size_t>(slowest.size(), 5));
  for (const auto& [cpu, name] : slowest) {
    std::fprintf(stderr, "slow query: %8.0f us  %s\n", cpu, name.c_str());
  }
  std::fprintf(stderr, "Find top-10 over %ld persons (CPU time of the thread; wall beside):\n",
               static_cast<long>(state.range(0)));
  for (const auto& [kind, tally] : tallies) {
    const double queries = static_cast<double>(tally.cpu.size());
    const double p50 = Percentile(tally.cpu, 0.50);
    const double p99 = Percentile(tally.cpu, 0.99);
    double mean = 0;
    for (double cpu : tally.cpu) mean += cpu;
    mean /= std::max(queries, 1.0);
    const double recall = static_cast<double>(tally.top10) / queries;
    std::fprintf(stderr,
                 "  %-13s %5zu queries  p50 %6.0f us  p99 %6.0f us  mean %6.0f us"
                 "  (wall %6.0f / %6.0f)  top1 %.3f  top10 %.3f\n",
                 kind.c_str(), tally.cpu.size(), p50, p99, mean, Percentile(tally.wall, 0.50),
                 Percentile(tally.wall, 0.99), static_cast<double>(tally.top1) / queries, recall);
    state.counters[kind + "_p50_us"] = p50;
    state.counters[kind + "_p99_us"] = p99;
    state.counters[kind + "_mean_us"] = mean;
    state.counters[kind + "_top10"] = recall;
  }
}
BENCHMARK(BM_Find)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMillisecond);

// Between the two: where a change to Find is tried before the one run at 1M.
BENCHMARK(BM_IndexBuild)->Arg(200'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Find)->Arg(200'000)->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_IndexBuild)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Find)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

// --- BM_FindFile: the queries of a file against the index of a server's snapshot ---------
// `izde serve` keeps its index in DB.index (io/index_snapshot.h); bench/serve-wrk's searches
// are every name form of 500 persons of the seed-1 demo registry, in every script. This loads
// that index (the snapshot's index section, as the server does; its engine fingerprint is not
// checked: the names must have been analysed by this build's names/ code) with the server's
// scorer, and runs each query of IZDE_BENCH_QUERIES (one name a line, as written) with limit
// 10, as GET /api/search?q=NAME&limit=10 does, reporting Find's CPU time per query script and
// the query's own analysis (names::AnalyzeName, which Find runs first) apart. IZDE_BENCH_DUMP
// writes each query's top 10 as BM_Find does; IZDE_BENCH_REPEAT=N runs the queries N more times
// first, unmeasured; IZDE_BENCH_PER_QUERY=FILE writes "script<TAB>find_us<TAB>analyse_us<TAB>
// name" a query.

// The index section of an io index snapshot file: kMagic, u32 format, u32 length and bytes of
// the fingerprint, i64 position, u64 digest, u64 count and i64 ids left out, u64 length and
// bytes of the index, (format 2) u64 length and bytes of an extra section, u64 checksum.
std::string_view SnapshotIndexBytes(std::string_view file) {
  size_t at = 8;  // "IZDEINDX"
  auto fixed = [&](size_t size) {
    uint64_t value = 0;
    if (at + size > file.size()) return value;
    std::memcpy(&value, file.data() + at, size);
    at += size;
    return value;
  };
  if (file.substr(0, 8) != "IZDEINDX") return {};
  fixed(4);           // format
  at += fixed(4);     // fingerprint
  fixed(8);           // position
  fixed(8);           // digest
  at += 8 * fixed(8);  // persons left out
  const uint64_t size = fixed(8);
  if (at + size > file.size()) return {};
  return file.substr(at, size);
}

struct FileCorpus {
  std::unique_ptr<match::CandidateIndex> index;
  std::vector<std::string> queries;
};

FileCorpus* LoadFileCorpus() {
  static std::unique_ptr<FileCorpus> corpus;
  if (corpus != nullptr) return corpus.get();
  const char* snapshot_path = std::getenv("IZDE_BENCH_SNAPSHOT");
  const char* queries_path = std::getenv("IZDE_BENCH_QUERIES");
  if (snapshot_path == nullptr || queries_path == nullptr) return nullptr;
  std::ifstream snapshot_in(snapshot_path, std::ios::binary);
  std::stringstream file;
  file << snapshot_in.rdbuf();
  const std::string bytes = file.str();
  auto loaded = std::make_unique<FileCorpus>();
  loaded->index = std::make_unique<match::CandidateIndex>(
      registry::MakeScorer(registry::Gazetteer::Xinjiang()));
  const Status status = loaded->index->LoadSnapshot(SnapshotIndexBytes(bytes));
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", snapshot_path, status.message().c_str());
    return nullptr;
  }
  std::ifstream queries_in(queries_path);
  for (std::string line; std::getline(queries_in, line);) {
    if (!line.empty()) loaded->queries.push_back(line);
  }
  corpus = std::move(loaded);
  return corpus.get();
}

void BM_FindFile(benchmark::State& state) {
  FileCorpus* corpus = LoadFileCorpus();
  if (corpus == nullptr || corpus->queries.empty()) {
    state.SkipWithError("IZDE_BENCH_SNAPSHOT and IZDE_BENCH_QUERIES must name a snapshot and "
                        "a file of queries");
    return;
  }
  const match::CandidateIndex& index = *corpus->index;
  std::vector<std::string> scripts;
  for (const std::string& name : corpus->queries) {
    Result<names::Script> script = names::DetectScript(name);
    scripts.emplace_back(script.ok() ? names::ScriptName(*script) : "invalid");
  }
  auto find = [&index](const std::string& name) {
    match::Query query;
    query.names = {name};
    return index.Find(query, 10);
  };
  for (size_t idx = 0; idx < std::min<size_t>(corpus->queries.size(), 20); ++idx) {
    benchmark::DoNotOptimize(find(corpus->queries[idx]));
  }
  if (const char* repeat = std::getenv("IZDE_BENCH_REPEAT")) {
    for (int pass = 0; pass < std::atoi(repeat); ++pass) {
      for (const std::string& name : corpus->queries) benchmark::DoNotOptimize(find(name));
    }
  }
  std::unique_ptr<std::ofstream> dump;
  if (const char* path = std::getenv("IZDE_BENCH_DUMP"))
    dump = std::make_unique<std::ofstream>(path);
  std::unique_ptr<std::ofstream> per_query;
  if (const char* path = std::getenv("IZDE_BENCH_PER_QUERY"))
    per_query = std::make_unique<std::ofstream>(path);
  struct Tally {
    std::vector<double> find;
    std::vector<double> analyse;
  };
  std::map<std::string, Tally> tallies;
#ifdef IZDE_BENCH_CALLGRIND
  CALLGRIND_START_INSTRUMENTATION;
#endif
  for (auto _ : state) {
    for (size_t query_idx = 0; query_idx < corpus->queries.size(); ++query_idx) {
      const std::string& name = corpus->queries[query_idx];
      const double find_start = ThreadCpuMicros();
      auto found = find(name);
      const double find_cpu = ThreadCpuMicros() - find_start;
      const double analyse_start = ThreadCpuMicros();
      benchmark::DoNotOptimize(names::AnalyzeName(name));
      const double analyse_cpu = ThreadCpuMicros() - analyse_start;
      for (const std::string& kind : {scripts[query_idx], std::string("all")}) {
        tallies[kind].find.push_back(find_cpu);
        tallies[kind].analyse.push_back(analyse_cpu);
      }
      if (per_query != nullptr) {
        *per_query << scripts[query_idx] << '\t' << find_cpu << '\t' << analyse_cpu << '\t'
                   << name << '\n';
      }
      if (dump != nullptr) DumpTop(*dump, name, found);
    }
  }
#ifdef IZDE_BENCH_CALLGRIND
  CALLGRIND_STOP_INSTRUMENTATION;
#endif
  const match::IndexStats stats = index.stats();
  std::fprintf(stderr,
               "Find top-10 of %zu queries over %zu persons (a snapshot's index), CPU time of "
               "the thread; the query's analysis (part of Find) apart:\n",
               corpus->queries.size(), stats.records);
  for (const auto& [kind, tally] : tallies) {
    const double queries = static_cast<double>(tally.find.size());
    double mean = 0;
    double analyse = 0;
    for (double cpu : tally.find) mean += cpu;
    for (double cpu : tally.analyse) analyse += cpu;
    mean /= std::max(queries, 1.0);
    analyse /= std::max(queries, 1.0);
    std::fprintf(stderr,
                 "  %-9s %5zu queries  p50 %6.0f us  p99 %6.0f us  mean %6.0f us  analysis mean "
                 "%5.0f us\n",
                 kind.c_str(), tally.find.size(), Percentile(tally.find, 0.50),
                 Percentile(tally.find, 0.99), mean, analyse);
    state.counters[kind + "_mean_us"] = mean;
    state.counters[kind + "_analysis_us"] = analyse;
  }
}

// Only when asked for: it needs a snapshot and a file of queries.
[[maybe_unused]] const bool kFindFileRegistered = [] {
  if (std::getenv("IZDE_BENCH_QUERIES") != nullptr) {
    benchmark::RegisterBenchmark("BM_FindFile", BM_FindFile)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
}  // namespace izde

BENCHMARK_MAIN();
