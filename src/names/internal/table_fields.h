#ifndef IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_
#define IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_

#include <string_view>
#include <utility>
#include <vector>

namespace izde::names::internal {

// Calls `visit(line)` for each line of a data/ table, without its '\n' (the last line also
// when the text does not end with one).
template <typename Visit>
void ForEachTableLine(std::string_view table, Visit visit) {
  while (!table.empty()) {
    const size_t end = table.find('\n');
    visit(table.substr(0, end));
    table = end == std::string_view::npos ? std::string_view() : table.substr(end + 1);
  }
}

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

// The rows of a data/ table: the fields (TableFields) of each line that is neither empty nor a
// comment ('#') and has at least `min_fields` fields. Tables are read once, at first use.
inline std::vector<std::vector<std::string_view>> TableRows(std::string_view table,
                                                            size_t min_fields) {
  std::vector<std::vector<std::string_view>> rows;
  ForEachTableLine(table, [&rows, min_fields](std::string_view line) {
    if (line.empty() || line.front() == '#') return;
    std::vector<std::string_view> fields = TableFields(line);
    if (fields.size() >= min_fields) rows.push_back(std::move(fields));
  });
  return rows;
}

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_TABLE_FIELDS_H_
