#include "names/script.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <string>

namespace izde::names {

std::string_view ScriptName(Script script) {
  switch (script) {
    case Script::kUnknown: return "unknown";
    case Script::kLatin: return "latin";
    case Script::kCyrillic: return "cyrillic";
    case Script::kArabic: return "arabic";
    case Script::kHan: return "han";
    case Script::kMixed: return "mixed";
  }
  return "unknown";
}

Result<Script> ParseScript(std::string_view name) {
  for (Script script : {Script::kUnknown, Script::kLatin, Script::kCyrillic, Script::kArabic,
                        Script::kHan, Script::kMixed}) {
    if (ScriptName(script) == name) return script;
  }
  return InvalidArgumentError("unknown script '" + std::string(name) + "'", "script");
}

Result<Script> DetectScript(std::string_view utf8) {
  Script found = Script::kUnknown;
  int32_t offset = 0;
  const auto length = static_cast<int32_t>(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  while (offset < length) {
    UChar32 code_point = 0;
    U8_NEXT(bytes, offset, length, code_point);
    if (code_point < 0) return InvalidArgumentError("invalid UTF-8 in name", "name");
    if (!u_isalpha(code_point)) continue;
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode code = uscript_getScript(code_point, &error);
    Script script = Script::kUnknown;
    switch (code) {
      case USCRIPT_LATIN: script = Script::kLatin; break;
      case USCRIPT_CYRILLIC: script = Script::kCyrillic; break;
      case USCRIPT_ARABIC: script = Script::kArabic; break;
      case USCRIPT_HAN: script = Script::kHan; break;
      default: continue;  // combining marks and other scripts do not decide
    }
    if (found == Script::kUnknown) {
      found = script;
    } else if (found != script) {
      return Script::kMixed;
    }
  }
  return found;
}

}  // namespace izde::names
