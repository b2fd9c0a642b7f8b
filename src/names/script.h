#ifndef IZDE_NAMES_SCRIPT_H_
#define IZDE_NAMES_SCRIPT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::names {

// The writing system of a name or a token. kArabic covers the Arabic-based Uyghur and
// Kazakh (Töte) scripts; kMixed is text whose letters come from more than one script.
enum class Script : uint8_t { kUnknown, kLatin, kCyrillic, kArabic, kHan, kMixed };

// "latin", "cyrillic", "arabic", "han", "mixed", "unknown".
std::string_view ScriptName(Script script);
// Inverse of ScriptName; kInvalidArgument for anything else.
Result<Script> ParseScript(std::string_view name);

// The script of the letters in `utf8`, ignoring digits, spaces and punctuation.
// "Серікжан Біләш" -> kCyrillic, "赛力克江·比拉什" -> kHan, "Ali Әli" -> kMixed.
// Returns kInvalidArgument for invalid UTF-8.
Result<Script> DetectScript(std::string_view utf8);

// The language whose alphabet a name's letters point to. Only letters that some alphabets have
// and others lack decide; kUnknown when nothing does (plain Latin, or Cyrillic letters common
// to every alphabet are read as kRussian only when no Turkic letter occurs).
enum class LanguageHint : uint8_t { kUnknown, kKazakh, kUyghur, kRussian, kChinese, kKyrgyz };

// "unknown", "kazakh", "uyghur", "russian", "chinese", "kyrgyz".
std::string_view LanguageHintName(LanguageHint hint);

// The script of each token of a name (tokens as NormalizeName splits them, case kept).
struct TokenScript {
  std::string token;
  Script script = Script::kUnknown;
};

// "Ilham ئىلھام" -> [{"Ilham", kLatin}, {"ئىلھام", kArabic}].
// Returns kInvalidArgument for invalid UTF-8.
Result<std::vector<TokenScript>> DetectTokenScripts(std::string_view utf8);

// Guesses the language from letters specific to one alphabet:
//  Arabic script: ې ۆ ۈ and the vowel carrier ئ -> kUyghur; the front-vowel markers ٴ (U+0674),
//    ء (U+0621) and ٵ ٶ ٷ ٸ, or ع / ح used as letters -> kKazakh (Töte); most votes wins;
//  Cyrillic: җ -> kUyghur; і ұ -> kKazakh; ә ғ қ һ -> kKazakh; only ң ө ү -> kKyrgyz;
//    none of these -> kRussian;
//  Han -> kChinese. "Серікжан" -> kKazakh, "ئىلھام" -> kUyghur, "Ильхам" -> kRussian.
// Returns kInvalidArgument for invalid UTF-8.
Result<LanguageHint> GuessLanguage(std::string_view utf8);

}  // namespace izde::names

#endif  // IZDE_NAMES_SCRIPT_H_
