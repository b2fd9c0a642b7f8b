#include "registry/internal/enum_names.h"

#include <unicode/unistr.h>

namespace izde::registry::internal {

std::string CanonicalWord(std::string_view text) {
  // Most values are already canonical ASCII ("full", "latin", "passport_confiscated"):
  // only those need no ICU.
  bool ascii_canonical = !text.empty() && text.front() != ' ' && text.back() != ' ';
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      ascii_canonical = false;
      break;
    }
  }
  if (ascii_canonical) return std::string(text);
  icu::UnicodeString folded =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
          .foldCase()
          .trim();
  std::string utf8;
  folded.toUTF8String(utf8);
  for (char& c : utf8) {
    if (c == ' ' || c == '-') c = '_';
  }
  return utf8;
}

}  // namespace izde::registry::internal
