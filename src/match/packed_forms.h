#ifndef IZDE_MATCH_PACKED_FORMS_H_
#define IZDE_MATCH_PACKED_FORMS_H_

// Inside the match layer only: the packed name forms CandidateIndex keeps per record
// (candidate_index.cc writes them), read by the index and by its bulk pairing
// (candidate_index_bulk.cc).

#include <string_view>
#include <vector>

#include "names/analyze.h"

namespace izde::match::internal {

// The name forms of a packed slot as analyses holding what CompareAnalyses and the scorer read:
// `input` and each part's role, ASCII form, key, stem and pinyin reading (not the part's text,
// the readings or the blocking keys). Only the index's own packing is ever read: it is trusted.
void UnpackForms(std::string_view packed, std::vector<names::NameAnalysis>& forms);

}  // namespace izde::match::internal

#endif  // IZDE_MATCH_PACKED_FORMS_H_
