#include "names/analyze.h"

#include <algorithm>
#include <utility>

#include "names/internal/parse.h"
#include "names/normalize.h"
#include "names/script.h"

namespace izde::names {

Result<NameAnalysis> AnalyzeName(std::string_view utf8) {
  NameAnalysis analysis;
  analysis.input = std::string(utf8);
  IZDE_ASSIGN_OR_RETURN(NormalizedName normalized, NormalizeName(utf8));
  analysis.normalized = std::move(normalized.text);
  analysis.reordered = normalized.reordered;
  // The readings first: parsing takes each part's ASCII form from them (one transliteration
  // of each kind per analysis).
  IZDE_ASSIGN_OR_RETURN(analysis.forms, KeyForms(utf8));
  IZDE_ASSIGN_OR_RETURN(ParsedName parsed, internal::ParseNameWithForms(utf8, analysis.forms));
  analysis.script = std::string(ScriptName(parsed.script));
  analysis.language = std::string(LanguageHintName(parsed.language));
  for (NamePart& part : parsed.parts) {
    analysis.parts.push_back({std::move(part.text), std::string(PartRoleName(part.role)),
                              std::move(part.ascii), std::move(part.key), std::move(part.stem),
                              std::move(part.stem_key), std::move(part.alt_ascii),
                              std::move(part.alt_key), std::string(), 0});
    NameAnalysis::Part& added = analysis.parts.back();
    if (added.alt_ascii.find_first_of("xqc") != std::string::npos) {
      added.pinyin_key = PinyinKey(added.alt_ascii);
    }
  }
  for (const KeyedForm& form : analysis.forms) {
    analysis.blocking_keys.insert(analysis.blocking_keys.end(), form.keys.begin(), form.keys.end());
  }
  // Part keys too: for Han names they come from the Turkic decoder, which reads 买买提 as
  // "memet" where whole-name pinyin gives "maimaiti".
  for (const NameAnalysis::Part& part : analysis.parts) {
    if (!part.key.empty()) analysis.blocking_keys.push_back(part.key);
    if (!part.alt_key.empty()) analysis.blocking_keys.push_back(part.alt_key);
  }
  std::sort(analysis.blocking_keys.begin(), analysis.blocking_keys.end());
  analysis.blocking_keys.erase(
      std::unique(analysis.blocking_keys.begin(), analysis.blocking_keys.end()),
      analysis.blocking_keys.end());
  return analysis;
}

}  // namespace izde::names
