#ifndef IZDE_MATCH_PACKED_FORMS_H_
#define IZDE_MATCH_PACKED_FORMS_H_

// Inside the match layer only: the packed name forms CandidateIndex keeps per record
// (candidate_index.cc writes them), read by the index and by its bulk pairing
// (candidate_index_bulk.cc).

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/flat_table.h"
#include "names/analyze.h"

namespace izde::match::internal {

// The name forms of a packed slot as analyses holding what CompareAnalyses and the scorer read:
// `input` and each part's role, ASCII form, key, stem and pinyin reading (not the part's text,
// the readings or the blocking keys). Only the index's own packing is ever read: it is trusted.
// With `numbers`, each form and each part is also numbered by its packed bytes (memo_id, for
// the per-query memo of comparisons, match::ComparisonMemo): equal bytes, equal number.
class PartNumbers;
void UnpackForms(std::string_view packed, std::vector<names::NameAnalysis>& forms,
                 PartNumbers* numbers = nullptr);

// Numbers for packed forms and parts, from 1 (below kQueryPartNumbers): equal bytes, equal
// number. Keeps views of the bytes it is given: Clear() before they go.
class PartNumbers {
 public:
  uint32_t Of(std::string_view bytes);
  void Clear() { numbers_.Clear(); }

 private:
  FlatTable<uint32_t, std::string_view> numbers_;  // 0: not yet numbered
};

// The query's parts are numbered from here (a search's query parts are not packed; they are
// never equal to a record's part by number).
constexpr uint32_t kQueryPartNumbers = 0x80000000U;

}  // namespace izde::match::internal

#endif  // IZDE_MATCH_PACKED_FORMS_H_
