#ifndef IZDE_NAMES_SCRIPT_H_
#define IZDE_NAMES_SCRIPT_H_

#include <cstdint>
#include <string_view>

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

}  // namespace izde::names

#endif  // IZDE_NAMES_SCRIPT_H_
