#ifndef IZDE_TESTS_TESTING_MEMO_NUMBERS_H_
#define IZDE_TESTS_TESTING_MEMO_NUMBERS_H_

#include <cstdint>
#include <map>
#include <string>

#include "names/analyze.h"

namespace izde::testing {

// Numbers names and their parts by their content, as Find numbers the packed ones for its
// per-query memos (NameAnalysis::memo_id, Part::memo_id): equal content, equal number, from 1.
class MemoNumbers {
 public:
  void Number(names::NameAnalysis& name) {
    std::string whole = name.input;
    for (names::NameAnalysis::Part& part : name.parts) {
      std::string content;
      for (const std::string* text :
           {&part.text, &part.role, &part.ascii, &part.key, &part.stem, &part.stem_key,
            &part.alt_ascii, &part.alt_key, &part.pinyin_key}) {
        content += *text;
        content += '\0';
      }
      part.memo_id = NumberOf(parts_, content);
      whole += '\1' + content;
    }
    name.memo_id = NumberOf(names_, whole);
  }

 private:
  static uint32_t NumberOf(std::map<std::string, uint32_t>& numbers, const std::string& content) {
    return numbers.emplace(content, static_cast<uint32_t>(numbers.size() + 1)).first->second;
  }

  std::map<std::string, uint32_t> parts_;
  std::map<std::string, uint32_t> names_;
};

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_MEMO_NUMBERS_H_
