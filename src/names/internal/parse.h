#ifndef IZDE_NAMES_INTERNAL_PARSE_H_
#define IZDE_NAMES_INTERNAL_PARSE_H_

#include <span>
#include <string_view>

#include "core/result.h"
#include "names/keys.h"
#include "names/name_parts.h"

namespace izde::names::internal {

// ParseName(utf8), reusing the readings of the whole name that KeyForms(utf8) made: a part
// whose script and language are the name's takes its ASCII form from its word of the first
// reading (Han parts: of the zh-Hani-Latn-turkic and zh-Hani-Latn readings) instead of being
// transliterated again. Parts that do not line up with the words are transliterated on their
// own, so the result is ParseName(utf8)'s. `forms` must be KeyForms(utf8); empty is allowed.
// AnalyzeName's way of transliterating once per reading. kInvalidArgument for invalid UTF-8.
Result<ParsedName> ParseNameWithForms(std::string_view utf8, std::span<const KeyedForm> forms);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_PARSE_H_
