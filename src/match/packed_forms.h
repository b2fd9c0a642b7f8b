#ifndef IZDE_MATCH_PACKED_FORMS_H_
#define IZDE_MATCH_PACKED_FORMS_H_

// Inside the match layer only: the packed name forms CandidateIndex keeps per record
// (candidate_index.cc writes them), read by the index and by its bulk pairing
// (candidate_index_bulk.cc).

#include <cstdint>
#include <span>
#include <string>
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
std::string PackForms(const std::vector<names::NameAnalysis>& forms);  // what UnpackForms reads
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

// The forms of a query's candidates, each unpacked once (at 1M, 18% of the forms a query's
// candidates hold are distinct): Of(packed) gives a record's forms as UnpackForms with numbers
// would unpack them, numbered the same way (equal bytes, equal number), but a form whose bytes
// were met before in this query is the analysis unpacked then, not a copy. Keeps views of the
// bytes it is given: Clear() before they go. Its analyses are kept for the next query, with
// their room.
class UnpackedForms {
 public:
  // The forms of packed slot `packed`, valid until the next call of Of or Clear.
  std::span<const names::NameAnalysis* const> Of(std::string_view packed);
  void Clear();

 private:
  PartNumbers numbers_;
  std::vector<uint32_t> place_of_;          // by form number: 1 + its place in forms_, or 0
  std::vector<names::NameAnalysis> forms_;  // [0, used_) this query's
  size_t used_ = 0;
  std::vector<uint32_t> places_;                // the last Of's forms, by place
  std::vector<const names::NameAnalysis*> of_;  // and as pointers
};

// The query's parts are numbered from here (a search's query parts are not packed; they are
// never equal to a record's part by number).
constexpr uint32_t kQueryPartNumbers = 0x80000000U;

}  // namespace izde::match::internal

#endif  // IZDE_MATCH_PACKED_FORMS_H_
