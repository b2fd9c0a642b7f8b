#include "core/utf8.h"

#include <cstdint>
#include <cstring>

namespace izde {

size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t pos = 0;
  while (pos < size) {
    // Most of what we read is ASCII: skip it eight bytes at a time.
    while (pos + 8 <= size) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes + pos, 8);
      if ((chunk & 0x8080808080808080ULL) != 0) break;
      pos += 8;
    }
    if (pos >= size) break;
    const unsigned char lead = bytes[pos];
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    size_t length = 0;
    // The bounds of the second byte exclude overlong forms, surrogates and > U+10FFFF
    // (Unicode table 3-7).
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;
      if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;
      if (lead == 0xF4) second_max = 0x8F;
    } else {
      return pos;
    }
    if (pos + length > size) return pos;
    if (bytes[pos + 1] < second_min || bytes[pos + 1] > second_max) return pos;
    for (size_t follow = 2; follow < length; ++follow) {
      if ((bytes[pos + follow] & 0xC0) != 0x80) return pos;
    }
    pos += length;
  }
  return std::string_view::npos;
}

}  // namespace izde
