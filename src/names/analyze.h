#ifndef IZDE_NAMES_ANALYZE_H_
#define IZDE_NAMES_ANALYZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "names/keys.h"
#include "names/name_parts.h"

namespace izde::names {

// Everything the names layer knows about one name: what `izde name analyze --json` prints.
// Plain strings and vectors only, so that a JSON writer can walk it field by field.
struct NameAnalysis {
  std::string input;       // the text as given
  std::string normalized;  // NormalizeName(input).text: folded, single-spaced, reordered
  std::string script;      // ScriptName(DetectScript(input))
  std::string language;    // LanguageHintName(GuessLanguage(input))
  bool reordered = false;  // "Surname, Given" was turned around
  struct Part {
    std::string text;
    std::string role;  // PartRoleName
    std::string ascii;
    std::string key;
    std::string stem;  // empty unless a patronymic or suffixed surname
    std::string stem_key;
    std::string alt_ascii;  // Han parts: the pinyin reading
    std::string alt_key;
    // Han parts whose pinyin has x, q or c: PinyinKey(alt_ascii), made once for comparisons.
    // Empty otherwise, and where a caller rebuilt the part without it (CompareAnalyses then
    // makes it per comparison).
    std::string pinyin_key;
    // A caller's number for this part's content, for PartScoreMemo (names/similarity.h): parts
    // with the same number must be equal in every member above. 0 (AnalyzeName's): none.
    uint32_t memo_id = 0;
  };
  std::vector<Part> parts;
  std::vector<KeyedForm> forms;            // each Latin reading with its ASCII form and keys
  std::vector<std::string> blocking_keys;  // distinct keys of all readings, sorted
  // A caller's number for this name's input and parts (the match layer's per-query memo of
  // comparisons): names with the same number must have the same `input` and parts. 0
  // (AnalyzeName's): none. The names layer does not read it.
  uint32_t memo_id = 0;
};

// Analyses one name. "伊力哈木·土赫提" -> script "han", language "chinese", parts
// [{伊力哈木, given, key ALM}, {土赫提, father, key TT}], forms zh-Hani-Latn "Yilihamu Tuheti" and
// zh-Hani-Latn-turkic "Iliham Tuht", blocking keys ["ALM", "TT"].
// Returns kInvalidArgument for invalid UTF-8. Thread safety: may run concurrently.
Result<NameAnalysis> AnalyzeName(std::string_view utf8);

}  // namespace izde::names

#endif  // IZDE_NAMES_ANALYZE_H_
