#include "names/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <utility>

namespace izde::names {
namespace {

bool IsApostrophe(UChar32 c) {
  switch (c) {
    case 0x0027:  // '
    case 0x0060:  // `
    case 0x00B4:  // ´
    case 0x02B9:  // ʹ (ICU's soft-sign romanisation)
    case 0x02BB:  // ʻ
    case 0x02BC:  // ʼ
    case 0x2018:  // ‘
    case 0x2019:  // ’
      return true;
    default:
      return false;
  }
}

bool IsComma(UChar32 c) {
  return c == 0x002C || c == 0x060C || c == 0x3001 || c == 0xFE50 || c == 0xFE51;
}

// Marks that carry no letter of a name: Arabic tatweel and the optional short-vowel
// signs (harakat, superscript alef), which Uyghur and Kazakh writing do not use.
bool IsDroppedMark(UChar32 c) { return c == 0x0640 || (c >= 0x064B && c <= 0x0652) || c == 0x0670; }

bool IsSeparator(UChar32 c) {
  if (u_isUWhiteSpace(c) || u_iscntrl(c)) return true;
  switch (c) {
    case 0x00B7:  // · middle dot, the Chinese name joiner
    case 0x2027:  // ‧ hyphenation point
    case 0x30FB:  // ・ katakana middle dot
    case 0x2022:  // • bullet
    case 0x2219:  // ∙ bullet operator
    case 0x22C5:  // ⋅ dot operator
    case 0x0387:  // · Greek ano teleia (NFKC maps it to U+00B7 anyway)
      return true;
    default:
      break;
  }
  const auto type = static_cast<UCharCategory>(u_charType(c));
  switch (type) {
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return true;
    default:
      return false;
  }
}

bool IsMark(UChar32 c) {
  const auto type = static_cast<UCharCategory>(u_charType(c));
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

void AppendUtf8(UChar32 c, std::string& out) {
  const auto value = static_cast<uint32_t>(c);
  if (value < 0x80) {
    out.push_back(static_cast<char>(value));
  } else if (value < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (value >> 6)));
    out.push_back(static_cast<char>(0x80 | (value & 0x3F)));
  } else if (value < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (value >> 12)));
    out.push_back(static_cast<char>(0x80 | ((value >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (value & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (value >> 18)));
    out.push_back(static_cast<char>(0x80 | ((value >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((value >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (value & 0x3F)));
  }
}

// Drops leading and trailing apostrophes, which quote a name rather than spell it.
void FinishToken(std::string& token, std::vector<std::string>& tokens) {
  size_t begin = 0;
  size_t end = token.size();
  while (begin < end && token[begin] == '\'') ++begin;
  while (end > begin && token[end - 1] == '\'') --end;
  if (end > begin) tokens.push_back(token.substr(begin, end - begin));
  token.clear();
}

}  // namespace

Status ValidateUtf8(std::string_view utf8) {
  int32_t offset = 0;
  if (utf8.size() > static_cast<size_t>(INT32_MAX)) {
    return InvalidArgumentError("name too long", "name");
  }
  const auto length = static_cast<int32_t>(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  while (offset < length) {
    const int32_t start = offset;
    UChar32 code_point = 0;
    U8_NEXT(bytes, offset, length, code_point);
    if (code_point < 0) {
      return InvalidArgumentError("invalid UTF-8 at byte " + std::to_string(start), "name");
    }
  }
  return OkStatus();
}

Result<NormalizedName> NormalizeName(std::string_view utf8, const NormalizeOptions& options) {
  IZDE_RETURN_IF_ERROR(ValidateUtf8(utf8));
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = nullptr;
  if (options.fold_case) {
    // Default case folding turns "İ" into "i" + U+0307; Kazakh, Uyghur and Turkish "İ" is
    // simply the capital of "i".
    text.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x0130)),
                        icu::UnicodeString(static_cast<UChar32>(0x0069)));
    normalizer = icu::Normalizer2::getNFKCCasefoldInstance(error);
  } else {
    normalizer = icu::Normalizer2::getNFKCInstance(error);
  }
  if (U_FAILURE(error)) return InternalError(std::string("ICU normalizer: ") + u_errorName(error));
  icu::UnicodeString normalized = normalizer->normalize(text, error);
  if (U_FAILURE(error)) return InternalError(std::string("ICU normalize: ") + u_errorName(error));

  NormalizedName result;
  std::string token;
  int comma_count = 0;
  size_t tokens_before_comma = 0;
  const int32_t length = normalized.length();
  for (int32_t index = 0; index < length;) {
    const UChar32 c = normalized.char32At(index);
    index += U16_LENGTH(c);
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || IsDroppedMark(c)) continue;
    if (IsApostrophe(c)) {
      token.push_back('\'');
      continue;
    }
    if (IsComma(c)) {
      FinishToken(token, result.tokens);
      ++comma_count;
      tokens_before_comma = result.tokens.size();
      continue;
    }
    if (IsSeparator(c)) {
      FinishToken(token, result.tokens);
      continue;
    }
    if (IsMark(c) && token.empty()) continue;  // a stray mark with no letter to sit on
    AppendUtf8(c, token);
  }
  FinishToken(token, result.tokens);

  if (options.reorder_comma && comma_count == 1 && tokens_before_comma > 0 &&
      tokens_before_comma < result.tokens.size()) {
    std::vector<std::string> reordered(
        result.tokens.begin() + static_cast<std::ptrdiff_t>(tokens_before_comma),
        result.tokens.end());
    reordered.insert(reordered.end(), result.tokens.begin(),
                     result.tokens.begin() + static_cast<std::ptrdiff_t>(tokens_before_comma));
    result.tokens = std::move(reordered);
    result.reordered = true;
  }
  for (const std::string& part : result.tokens) {
    if (!result.text.empty()) result.text.push_back(' ');
    result.text += part;
  }
  return result;
}

Result<std::string> NormalizeText(std::string_view utf8) {
  IZDE_ASSIGN_OR_RETURN(NormalizedName name, NormalizeName(utf8));
  return std::move(name.text);
}

}  // namespace izde::names
