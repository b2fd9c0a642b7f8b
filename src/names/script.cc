#include "names/script.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <string>

#include "names/normalize.h"

namespace izde::names {

std::string_view ScriptName(Script script) {
  switch (script) {
    case Script::kUnknown:
      return "unknown";
    case Script::kLatin:
      return "latin";
    case Script::kCyrillic:
      return "cyrillic";
    case Script::kArabic:
      return "arabic";
    case Script::kHan:
      return "han";
    case Script::kMixed:
      return "mixed";
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
      case USCRIPT_LATIN:
        script = Script::kLatin;
        break;
      case USCRIPT_CYRILLIC:
        script = Script::kCyrillic;
        break;
      case USCRIPT_ARABIC:
        script = Script::kArabic;
        break;
      case USCRIPT_HAN:
        script = Script::kHan;
        break;
      default:
        continue;  // combining marks and other scripts do not decide
    }
    if (found == Script::kUnknown) {
      found = script;
    } else if (found != script) {
      found = Script::kMixed;  // keep scanning: invalid UTF-8 later on must still be reported
    }
  }
  return found;
}

std::string_view LanguageHintName(LanguageHint hint) {
  switch (hint) {
    case LanguageHint::kUnknown:
      return "unknown";
    case LanguageHint::kKazakh:
      return "kazakh";
    case LanguageHint::kUyghur:
      return "uyghur";
    case LanguageHint::kRussian:
      return "russian";
    case LanguageHint::kChinese:
      return "chinese";
    case LanguageHint::kKyrgyz:
      return "kyrgyz";
  }
  return "unknown";
}

Result<std::vector<TokenScript>> DetectTokenScripts(std::string_view utf8) {
  IZDE_ASSIGN_OR_RETURN(NormalizedName name,
                        NormalizeName(utf8, {.fold_case = false, .reorder_comma = false}));
  std::vector<TokenScript> result;
  result.reserve(name.tokens.size());
  for (std::string& token : name.tokens) {
    IZDE_ASSIGN_OR_RETURN(Script script, DetectScript(token));
    result.push_back({std::move(token), script});
  }
  return result;
}

Result<LanguageHint> GuessLanguage(std::string_view utf8) {
  IZDE_RETURN_IF_ERROR(ValidateUtf8(utf8));
  int uyghur_votes = 0;
  int kazakh_votes = 0;
  int shared_turkic = 0;   // Cyrillic letters Kazakh and Uyghur share, Kyrgyz and Russian lack
  int kyrgyz_letters = 0;  // ң ө ү, in Kyrgyz as well as Kazakh and Uyghur
  int cyrillic = 0;
  int han = 0;
  int arabic = 0;
  int32_t offset = 0;
  const auto length = static_cast<int32_t>(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  while (offset < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    switch (c) {
      case 0x06D0:
      case 0x06C6:
      case 0x06C8:
      case 0x0626:  // ې ۆ ۈ ئ
      case 0x0497:
      case 0x0496:  // җ Җ
        ++uyghur_votes;
        break;
      case 0x0674:
      case 0x0621:
      case 0x0675:
      case 0x0676:
      case 0x0677:
      case 0x0678:
      case 0x0639:
      case 0x062D:  // ع ح
      case 0x0456:
      case 0x0406:
      case 0x04B1:
      case 0x04B0:  // і І ұ Ұ
        ++kazakh_votes;
        break;
      case 0x04D9:
      case 0x04D8:
      case 0x0493:
      case 0x0492:
      case 0x049B:
      case 0x049A:
      case 0x04BB:
      case 0x04BA:  // ә ғ қ һ: Kazakh and Uyghur, not Kyrgyz
        ++shared_turkic;
        break;
      case 0x04A3:
      case 0x04A2:
      case 0x04E9:
      case 0x04E8:
      case 0x04AF:
      case 0x04AE:  // ң ө ү: Kyrgyz too
        ++kyrgyz_letters;
        break;
      default:
        break;
    }
    if (c < 0 || !u_isalpha(c)) continue;
    UErrorCode error = U_ZERO_ERROR;
    switch (uscript_getScript(c, &error)) {
      case USCRIPT_CYRILLIC:
        ++cyrillic;
        break;
      case USCRIPT_HAN:
        ++han;
        break;
      case USCRIPT_ARABIC:
        ++arabic;
        break;
      default:
        break;
    }
  }
  if (uyghur_votes > kazakh_votes) return LanguageHint::kUyghur;
  if (kazakh_votes > 0 && kazakh_votes >= uyghur_votes) return LanguageHint::kKazakh;
  if (cyrillic > 0) {
    if (shared_turkic > 0) return LanguageHint::kKazakh;
    return kyrgyz_letters > 0 ? LanguageHint::kKyrgyz : LanguageHint::kRussian;
  }
  if (arabic > 0) return LanguageHint::kUyghur;  // no marker either way: Uyghur is likelier
  if (han > 0) return LanguageHint::kChinese;
  return LanguageHint::kUnknown;
}

}  // namespace izde::names
