#include "registry/internal/enum_names.h"

#include <unicode/unistr.h>

namespace izde::registry::internal {

std::string CanonicalWord(std::string_view text) {
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
