#ifndef IZDE_NAMES_CHINESE_VARIANTS_H_
#define IZDE_NAMES_CHINESE_VARIANTS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "names/analyze.h"

namespace izde::names {

// One likely Chinese-character transcription of a name. JSON-friendly.
struct ChineseVariant {
  std::string text;  // parts joined by "·", given name first ("努尔兰")
  double score = 0;  // in (0, 1]: how customary the characters chosen are; best first
};

// The likely Chinese-character spellings of a Turkic name written in Latin, Cyrillic or Arabic
// script ("potential Chinese variants"), best first, at most `max_variants`. Each part's ASCII
// form is cut into syllables, and each syllable takes the characters customary for it in
// Uyghur and Kazakh names (data/translit/zh_turkic_variants.txt, the inverse of the decoding
// table zh_turkic_latn.txt); whole names and prefixes listed there come first.
// "Nurlan" -> 努尔兰, "Mehmet" -> 买买提, "Gulnar" -> 古丽娜尔.
// A Han name gives none, and so does a name with a part the table cannot read (digits only).
// Thread safety: may run concurrently.
std::vector<ChineseVariant> ChineseVariants(const NameAnalysis& analysis, size_t max_variants = 5);

}  // namespace izde::names

#endif  // IZDE_NAMES_CHINESE_VARIANTS_H_
