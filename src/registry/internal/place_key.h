#ifndef IZDE_REGISTRY_INTERNAL_PLACE_KEY_H_
#define IZDE_REGISTRY_INTERNAL_PLACE_KEY_H_

#include <optional>
#include <string>
#include <string_view>

namespace izde::registry::internal {

// The form under which a place name is looked up: NFKC, case folded, without spaces,
// punctuation, symbols or format characters, and Latin letters without diacritics, so that
// the spellings people type for one name meet.
//   "Ürümchi" -> "urumchi", "Ghulja City" -> "ghuljacity", "伊宁 市" -> "伊宁市",
//   "Құлжа" -> "құлжа", "Yan'erwo" -> "yanerwo".
// Invalid UTF-8 bytes become U+FFFD. Thread safe.
std::string PlaceKey(std::string_view text);

// `key` (a PlaceKey) without a word for the kind of place ("city", "县", "ауданы",
// "ناھىيىسى", a leading "город"...), longest first, when what is left still looks like a
// name (two characters, three if all ASCII):
//   "ghuljacity" -> "ghulja", "кульджагород" -> "кульджа", "伊犁哈萨克自治州" -> "伊犁".
// std::nullopt when `key` carries no such word.
std::optional<std::string> StripPlaceKind(std::string_view key);

}  // namespace izde::registry::internal

#endif  // IZDE_REGISTRY_INTERNAL_PLACE_KEY_H_
