#ifndef IZDE_NAMES_NORMALIZE_H_
#define IZDE_NAMES_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::names {

struct NormalizeOptions {
  // Unicode case folding (full, with "İ" -> "i" so Turkic capitals fold to one letter).
  bool fold_case = true;
  // "Bilash, Serikzhan" -> "Serikzhan Bilash" when the text holds exactly one comma.
  bool reorder_comma = true;
};

// A name reduced to comparable tokens. JSON-friendly: plain strings and a flag.
struct NormalizedName {
  std::string text;                 // the tokens joined by single spaces
  std::vector<std::string> tokens;  // never empty strings
  bool reordered = false;           // the input was "Surname, Given" and was swapped
};

// Normalises a name for comparison and transliteration:
//  - NFKC (full-width letters, Arabic presentation forms, ligatures);
//  - removes default-ignorable code points (bidi controls, ZWJ/ZWNJ, soft hyphen, BOM,
//    variation selectors), Arabic tatweel and harakat, and combining marks with no base;
//  - separators become token boundaries: white space, "·" U+00B7, "‧" U+2027, "・" U+30FB,
//    "•" U+2022, hyphens and dashes, dots, slashes, brackets and other punctuation;
//  - apostrophe look-alikes (’ ‘ ʼ ʻ ` ´) become "'" (kept: ULY uses it inside words);
//  - "Surname, Given" is reordered when options.reorder_comma is set;
//  - case folding when options.fold_case is set.
// "Серікжан  Біләш" -> "серікжан біләш"; "赛力克江·比拉什" -> "赛力克江 比拉什";
// "TOHTI, Ilham" -> "ilham tohti" (reordered).
// Returns kInvalidArgument for invalid UTF-8; an empty or all-punctuation name yields no tokens.
Result<NormalizedName> NormalizeName(std::string_view utf8, const NormalizeOptions& options = {});

// NormalizeName(utf8).text: the folded, single-spaced form. "  ALI-Khan " -> "ali khan".
Result<std::string> NormalizeText(std::string_view utf8);

// Returns kInvalidArgument unless `utf8` is well-formed UTF-8 (no surrogates, no overlongs).
Status ValidateUtf8(std::string_view utf8);

}  // namespace izde::names

#endif  // IZDE_NAMES_NORMALIZE_H_
