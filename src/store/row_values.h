#ifndef IZDE_STORE_ROW_VALUES_H_
#define IZDE_STORE_ROW_VALUES_H_

// What every backend does with the values of its rows: the time it stamps on them, and what a
// stored value that no longer parses becomes.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "registry/linkage.h"
#include "registry/person.h"

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

// GetPersons' answer from the persons read, keyed by id: in the order of `ids`, an id asked
// twice given twice, an id not read left out.
inline std::vector<registry::Person> InOrderAsked(
    const std::vector<int64_t>& ids, const std::unordered_map<int64_t, registry::Person>& found) {
  std::vector<registry::Person> persons;
  persons.reserve(found.size());
  for (int64_t id : ids) {
    auto person = found.find(id);
    if (person != found.end()) persons.push_back(person->second);
  }
  return persons;
}

}  // namespace izde::store::internal

#endif  // IZDE_STORE_ROW_VALUES_H_
