#ifndef IZDE_BENCH_VARIANT_CORPUS_H_
#define IZDE_BENCH_VARIANT_CORPUS_H_

// The demo persons and variant queries that match_bench and bench/search-compare share, so that
// their figures line up: io::DemoGenerator with seed 11; for up to `query_persons` persons
// spread over the data, the last name form (in another script than the others, or a misspelt
// Latin alias) is held out of the records and becomes the "cross" query; "exact" is an indexed
// form as written; "typo" a Latin form with one letter changed; "reorder" a form with its words
// reversed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "match/candidate_index.h"

namespace izde::bench {

struct VariantQuery {
  std::string kind;  // "cross", "typo", "reorder", "exact"
  std::string name;
  int64_t id = 0;
  match::YearRange birth;  // the person's, for the "+year" runs
};

struct VariantCorpus {
  std::vector<match::IndexRecord> records;  // ids 1..persons; held-out forms removed
  std::vector<VariantQuery> queries;
};

VariantCorpus MakeVariantCorpus(int64_t persons, size_t query_persons);

}  // namespace izde::bench

#endif  // IZDE_BENCH_VARIANT_CORPUS_H_
