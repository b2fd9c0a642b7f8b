#ifndef IZDE_CORE_UTF8_H_
#define IZDE_CORE_UTF8_H_

// Well-formed UTF-8 as Unicode's table 3-7 defines it: no overlong form, no surrogate, nothing
// above U+10FFFF. One check for every layer that takes text from outside (CSV and JSON Lines
// files, request bodies and parameters, stored explanations, the search page's strings).

#include <cstddef>
#include <string_view>

namespace izde {

// The offset of the first byte of `text` that is not part of well-formed UTF-8, or
// std::string_view::npos.
size_t FindInvalidUtf8(std::string_view text);

// True when `text` is well-formed UTF-8.
inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

}  // namespace izde

#endif  // IZDE_CORE_UTF8_H_
