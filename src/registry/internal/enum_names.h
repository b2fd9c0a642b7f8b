#ifndef IZDE_REGISTRY_INTERNAL_ENUM_NAMES_H_
#define IZDE_REGISTRY_INTERNAL_ENUM_NAMES_H_

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace izde::registry::internal {

// Case-folded (any script), trimmed, spaces and dashes as underscores:
// "Passport Confiscated" -> "passport_confiscated", "Қазақ" -> "қазақ".
std::string CanonicalWord(std::string_view text);

// Looks `text` up in a table of (spelling, value) pairs after CanonicalWord; the error names
// `field` and lists the canonical spellings.
template <typename Enum>
Result<Enum> ParseEnum(std::string_view text, std::span<const std::pair<std::string_view, Enum>> table,
                       std::string_view field, std::string_view canonical_list) {
  std::string word = CanonicalWord(text);
  for (const auto& [spelling, value] : table) {
    if (spelling == word) return value;
  }
  return InvalidArgumentError("'" + std::string(text) + "' is not one of " +
                                  std::string(canonical_list),
                              std::string(field));
}

}  // namespace izde::registry::internal

#endif  // IZDE_REGISTRY_INTERNAL_ENUM_NAMES_H_
