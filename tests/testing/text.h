#ifndef IZDE_TESTS_TESTING_TEXT_H_
#define IZDE_TESTS_TESTING_TEXT_H_

#include <string>
#include <vector>

namespace izde::testing {

// The word after `marker` in `text` (up to a space, newline, '/' or ')'); empty if absent.
// (No std::regex: GCC 12 warns inside <regex> under -O1 with sanitizers.)
inline std::string WordAfter(const std::string& text, const std::string& marker) {
  size_t pos = text.find(marker);
  if (pos == std::string::npos) return "";
  pos += marker.size();
  size_t end = text.find_first_of(" \n)/", pos);
  return text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

// The fields of a line of a tab-separated file (golden cases, tables).
inline std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    fields.push_back(
        line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_TEXT_H_
