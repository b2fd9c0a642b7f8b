// The izde side of bench/search-compare: generates the demo persons and variant queries that
// every peer loads, and measures izde's own search on them.
//
//   compare_izde OUT_DIR [PERSONS] [QUERY_PERSONS]     (defaults 1000000 and 1000)
//
// Writes, in OUT_DIR:
//   names.tsv    person_id, birth_year (0 unknown), hometown_code, name, latin
//                one row per indexed name form; `latin` is izde's ASCII form of the name
//                (names::AsciiForm: its first Latin reading, folded to ASCII), what the peers'
//                "transliterated column" variants index.
//   queries.tsv  query_id, kind, person_id, birth_year, query, query_latin
//   izde.tsv     query_id, wall_us, cpu_us, rank (1-10; 0 when the person is not in the top 10)
//   izde-year.tsv  the same queries with the person's birth year (izde only: a reference)
//   izde-build.txt  build time and the index's size
//
// The persons and queries are match_bench's (io::DemoGenerator, seed 11; 1,000 query persons
// spread over the data; the last name form of each is held out of the index and becomes the
// "cross" query), so that the figures line up with docs/search.md.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "bench/variant_corpus.h"
#include "match/candidate_index.h"
#include "names/keys.h"

namespace izde {
namespace {

using bench::VariantQuery;

// Tabs and line breaks would break the TSV files; demo names have none, but be safe.
std::string Clean(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
  return text;
}

std::string Latin(const std::string& name) {
  Result<std::string> ascii = names::AsciiForm(name);
  return ascii.ok() ? Clean(*ascii) : std::string();
}

double ThreadCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

int Run(const std::string& dir, int64_t persons, size_t query_persons) {
  bench::VariantCorpus corpus = bench::MakeVariantCorpus(persons, query_persons);
  std::vector<match::IndexRecord>& records = corpus.records;
  const std::vector<VariantQuery>& queries = corpus.queries;

  auto year_of = [](const match::YearRange& birth) {
    // The middle of an "about" range; 0 when unknown.
    return birth.known() ? (birth.first + birth.last) / 2 : 0;
  };
  {
    std::ofstream names_out(dir + "/names.tsv", std::ios::binary | std::ios::trunc);
    for (const match::IndexRecord& record : records) {
      for (const std::string& name : record.names) {
        names_out << record.id << '\t' << year_of(record.fields.birth) << '\t'
                  << Clean(record.fields.hometown_code) << '\t' << Clean(name) << '\t'
                  << Latin(name) << '\n';
      }
    }
    std::ofstream queries_out(dir + "/queries.tsv", std::ios::binary | std::ios::trunc);
    for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
      const VariantQuery& query = queries[query_idx];
      queries_out << query_idx + 1 << '\t' << query.kind << '\t' << query.id << '\t'
                  << year_of(query.birth) << '\t' << Clean(query.name) << '\t' << Latin(query.name)
                  << '\n';
    }
    if (!names_out || !queries_out) {
      std::fprintf(stderr, "compare_izde: cannot write names.tsv or queries.tsv in %s\n",
                   dir.c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "compare_izde: %zu persons, %zu queries written to %s\n", records.size(),
               queries.size(), dir.c_str());

  auto start = std::chrono::steady_clock::now();
  match::CandidateIndex index;
  for (const match::IndexRecord& record : records) {
    Status added = index.Add(record);
    if (!added.ok()) {
      std::fprintf(stderr, "compare_izde: person %ld not indexed: %s\n",
                   static_cast<long>(record.id), added.ToString().c_str());
    }
  }
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const match::IndexStats stats = index.stats();
  {
    std::ofstream build_out(dir + "/izde-build.txt", std::ios::binary | std::ios::trunc);
    build_out << "persons " << stats.records << "\nname_forms " << stats.name_forms << "\nbuild_s "
              << build_s << "\nbytes " << stats.bytes << '\n';
  }
  std::fprintf(stderr, "compare_izde: index of %zu name forms built in %.1f s\n", stats.name_forms,
               build_s);

  // The first queries pay for tables built on first use; run a few unmeasured.
  for (size_t idx = 0; idx < std::min<size_t>(queries.size(), 20); ++idx) {
    match::Query query;
    query.names = {queries[idx].name};
    (void)index.Find(query, 10);
  }
  for (bool with_year : {false, true}) {
    std::ofstream out(dir + (with_year ? "/izde-year.tsv" : "/izde.tsv"),
                      std::ios::binary | std::ios::trunc);
    for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx) {
      const VariantQuery& variant = queries[query_idx];
      match::Query query;
      query.names = {variant.name};
      if (with_year) query.fields.birth = variant.birth;
      const double cpu_start = ThreadCpuMicros();
      auto query_start = std::chrono::steady_clock::now();
      Result<std::vector<match::Candidate>> found = index.Find(query, 10);
      const double wall =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - query_start)
              .count();
      const double cpu = ThreadCpuMicros() - cpu_start;
      size_t rank = 0;
      if (found.ok()) {
        for (size_t hit_idx = 0; hit_idx < found->size(); ++hit_idx) {
          if ((*found)[hit_idx].id == variant.id) {
            rank = hit_idx + 1;
            break;
          }
        }
      }
      out << query_idx + 1 << '\t' << wall << '\t' << cpu << '\t' << rank << '\n';
    }
  }
  return 0;
}

}  // namespace
}  // namespace izde

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: compare_izde OUT_DIR [PERSONS] [QUERY_PERSONS]\n");
    return 2;
  }
  const int64_t persons = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
  const size_t query_persons = argc > 3 ? static_cast<size_t>(std::atoll(argv[3])) : 1000;
  if (persons <= 0) {
    std::fprintf(stderr, "compare_izde: PERSONS must be a positive number\n");
    return 2;
  }
  return izde::Run(argv[1], persons, query_persons);
}
