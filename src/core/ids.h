#ifndef IZDE_CORE_IDS_H_
#define IZDE_CORE_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace izde {

// Public ids are a letter, a dash and a zero-padded number: P-000123. They are stable: the
// number is the row id in the store and is never reused.
enum class IdKind : char {
  kPerson = 'P',
  kTestimony = 'T',
  kEvent = 'E',
  kEvidence = 'V',
  kRelation = 'R',
  kList = 'L',
  kUser = 'U',
};

// FormatId(IdKind::kPerson, 123) -> "P-000123"
std::string FormatId(IdKind kind, int64_t number);

// Accepts "P-000123", "p-123" and a bare "123". Returns kInvalidArgument for anything else,
// including an id of another kind ("T-000001" when a person is asked for).
Result<int64_t> ParseId(IdKind kind, std::string_view text);

}  // namespace izde

#endif  // IZDE_CORE_IDS_H_
