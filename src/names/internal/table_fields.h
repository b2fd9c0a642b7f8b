#ifndef IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_
#define IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_

#include <string_view>
#include <vector>

namespace izde::names::internal {

// The fields of one line of a data/ table: runs of characters between spaces and tabs.
inline std::vector<std::string_view> TableFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t index = 0;
  while (index < line.size()) {
    while (index < line.size() && (line[index] == ' ' || line[index] == '\t')) ++index;
    const size_t start = index;
    while (index < line.size() && line[index] != ' ' && line[index] != '\t') ++index;
    if (index > start) fields.push_back(line.substr(start, index - start));
  }
  return fields;
}

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_
