#ifndef IZDE_STORE_ROW_VALUES_H_
#define IZDE_STORE_ROW_VALUES_H_

// What every backend does with the values of its rows: the time it stamps on them, and what a
// stored value that no longer parses becomes.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "registry/linkage.h"

namespace izde::store::internal {

// The current time as stored in text columns: "2024-05-01T12:00:00.123Z".
std::string NowIso();

// A stored value that does not parse means the database was edited or damaged by hand:
// kDataLoss naming the table and row.
template <typename T>
Result<T> Stored(Result<T> parsed, std::string_view table, int64_t id) {
  if (parsed.ok()) return parsed;
  return DataLossError(fmt::format("{} row {}: stored value does not parse: {}", table, id,
                                   parsed.status().message()));
}

// A stored verdict ("same", "different", "unsure"); kDataLoss naming the text otherwise.
Result<registry::Verdict> StoredVerdict(std::string_view text, std::string_view table, int64_t id);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_ROW_VALUES_H_
