// libFuzzer target: the name engine on arbitrary bytes. AnalyzeName must never crash or hit
// undefined behaviour (the fuzz build runs under ASan and UBSan); invalid UTF-8 must come back
// as kInvalidArgument, and valid UTF-8 must be analysed. Whatever is analysed is then compared
// with itself and given its Chinese variants, the two other entry points that take its output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "names/analyze.h"
#include "names/chinese_variants.h"
#include "names/normalize.h"
#include "names/similarity.h"

namespace {

// An independent reading of "well-formed UTF-8" (Unicode 15, table 3-7), so that the target
// does not trust the validator it exercises.
bool WellFormedUtf8(std::string_view text) {
  size_t index = 0;
  while (index < text.size()) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte < 0x80) {
      ++index;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;
      if (byte == 0xED) high = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;
      if (byte == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (index + length > text.size()) return false;
    for (size_t offset = 1; offset < length; ++offset) {
      const auto next = static_cast<unsigned char>(text[index + offset]);
      const unsigned char min = offset == 1 ? low : 0x80;
      const unsigned char max = offset == 1 ? high : 0xBF;
      if (next < min || next > max) return false;
    }
    index += length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Names are short; long inputs only slow the search down (ICU is linear in them anyway).
  if (size > 256) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = WellFormedUtf8(text);
  if (izde::names::ValidateUtf8(text).ok() != valid) std::abort();
  izde::Result<izde::names::NameAnalysis> analysis = izde::names::AnalyzeName(text);
  if (!valid) {
    if (analysis.ok() || analysis.status().code() != izde::StatusCode::kInvalidArgument) {
      std::abort();
    }
    return 0;
  }
  if (!analysis.ok()) std::abort();
  const izde::names::NameComparison self = izde::names::CompareAnalyses(*analysis, *analysis);
  if (!(self.score >= 0.0 && self.score <= 1.0)) std::abort();
  for (const izde::names::ChineseVariant& variant : izde::names::ChineseVariants(*analysis)) {
    if (variant.text.empty() || !WellFormedUtf8(variant.text)) std::abort();
  }
  return 0;
}
