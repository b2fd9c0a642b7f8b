#ifndef IZDE_TESTS_TESTING_TEXT_H_
#define IZDE_TESTS_TESTING_TEXT_H_

#include <string>

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

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_TEXT_H_
