#include "registry/internal/place_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cassert>
#include <span>
#include <vector>

namespace izde::registry::internal {
namespace {

// Words that say what kind of place a name is, in the languages hometowns are written in.
// Typed as people write them; they pass through PlaceKey before use. Longest wins, so the
// nationality in "哈萨克自治州" goes with the suffix.
constexpr std::string_view kKindSuffixes[] = {
    // English and Chinese-in-pinyin.
    "autonomous prefecture",
    "autonomous county",
    "prefecture",
    "county",
    "city",
    "district",
    "region",
    "subdistrict",
    "township",
    "town",
    "diqu",
    "zizhizhou",
    "zizhixian",
    "shi",
    "xian",
    "qu",
    "zhen",
    "xiang",
    "jiedao",
    // Uyghur in ULY and its common English spellings.
    "shehiri",
    "shehri",
    "sheher",
    "nahiyisi",
    "nahiyesi",
    "nahiye",
    "wilayiti",
    "wilayet",
    "rayoni",
    "oblasti",
    "yezisi",
    "baziri",
    // Kazakh in Latin letters.
    "qalasy",
    "kalasy",
    "audany",
    "audani",
    "aimagy",
    "oblysy",
    // Chinese.
    "柯尔克孜自治州",
    "哈萨克自治州",
    "蒙古自治州",
    "回族自治州",
    "自治州",
    "哈萨克自治县",
    "锡伯自治县",
    "塔吉克自治县",
    "蒙古自治县",
    "回族自治县",
    "自治县",
    "地区",
    "市",
    "县",
    "区",
    "州",
    "镇",
    "乡",
    "街道",
    // Kazakh, Kyrgyz, Uyghur and Russian in Cyrillic.
    "қаласы",
    "ауданы",
    "аймағы",
    "облысы",
    "шаары",
    "району",
    "шәһири",
    "наһийиси",
    "вилайити",
    "город",
    "район",
    "уезд",
    "область",
    "округ",
    "автономный округ",
    // Uyghur and Kazakh in Arabic script.
    "شەھىرى",
    "ناھىيىسى",
    "ۋىلايىتى",
    "وىلايىتى",
    "رايونى",
    "ئوبلاستى",
    "قالاسى",
    "اۋدانى",
    "ايماعى",
    "وبلىسى",
};
// Russian puts the kind first: "город Кульджа", "г. Кульджа".
constexpr std::string_view kKindPrefixes[] = {"город", "г"};

icu::UnicodeString ToUnicode(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

// Characters that separate or decorate a name without changing it: spaces, punctuation
// (the "·" of Chinese transcriptions, ULY's apostrophe), symbols, ZWNJ and other format
// characters in Arabic script, the tatweel that stretches Arabic letters.
bool IsIgnorable(UChar32 c) {
  const uint32_t mask = U_GET_GC_MASK(c);
  if ((mask & (U_GC_P_MASK | U_GC_S_MASK | U_GC_Z_MASK | U_GC_C_MASK)) != 0) return true;
  return c == 0x0640 /* tatweel */ || c == 0x02BB || c == 0x02BC || c == 0x02BF ||
         u_isUWhiteSpace(c);
}

// Latin letters lose their marks ("Ürümchi" = "Urumchi", "Dörbiljin" = "Dorbiljin"), since
// people type what their keyboard has. Other scripts keep theirs: in Cyrillic "й" and "и",
// in Kazakh "ұ" and "у" are different letters.
void AppendLatinBase(UChar32 c, const icu::Normalizer2& nfd, icu::UnicodeString& out) {
  if (c == 0x0131) {  // dotless ı of Turkic Latin alphabets
    out.append(static_cast<UChar32>(u'i'));
    return;
  }
  icu::UnicodeString decomposition;
  if (!nfd.getDecomposition(c, decomposition)) {
    out.append(c);
    return;
  }
  for (int32_t idx = 0; idx < decomposition.length();) {
    const UChar32 part = decomposition.char32At(idx);
    if (u_charType(part) != U_NON_SPACING_MARK) out.append(part);
    idx += U16_LENGTH(part);
  }
}

size_t CodePointCount(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  }));
}

// What is left after cutting a kind word must still look like a name: two characters in
// Chinese ("和静"), three in Latin letters ("Lop"). Less is more likely a wrong cut: "kashi"
// is not "ka" + "shi".
bool IsPlausibleName(std::string_view rest) {
  const bool ascii = std::all_of(rest.begin(), rest.end(), [](char byte) {
    return (static_cast<unsigned char>(byte) & 0x80) == 0;
  });
  return CodePointCount(rest) >= (ascii ? 3U : 2U);
}

std::vector<std::string> KeysOf(std::span<const std::string_view> words) {
  std::vector<std::string> keys;
  keys.reserve(words.size());
  for (std::string_view word : words) keys.push_back(PlaceKey(word));
  std::sort(keys.begin(), keys.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return keys;
}

}  // namespace

std::string PlaceKey(std::string_view text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(error);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(error);
  // Both are ICU's built-in data; failing to load them means a broken ICU install.
  assert(U_SUCCESS(error));
  if (U_FAILURE(error)) return std::string(text);

  const icu::UnicodeString folded = nfkc_cf->normalize(ToUnicode(text), error);
  if (U_FAILURE(error)) return std::string(text);

  icu::UnicodeString key;
  bool after_latin = false;
  for (int32_t idx = 0; idx < folded.length();) {
    const UChar32 c = folded.char32At(idx);
    idx += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      // A mark NFKC could not compose onto its Latin letter is still a diacritic.
      if (!after_latin) key.append(c);
      continue;
    }
    if (IsIgnorable(c)) continue;
    UErrorCode script_error = U_ZERO_ERROR;
    after_latin = uscript_getScript(c, &script_error) == USCRIPT_LATIN;
    if (after_latin) {
      AppendLatinBase(c, *nfd, key);
    } else {
      key.append(c);
    }
  }
  std::string out;
  key.toUTF8String(out);
  return out;
}

std::optional<std::string> StripPlaceKind(std::string_view key) {
  static const std::vector<std::string> suffixes = KeysOf(kKindSuffixes);
  static const std::vector<std::string> prefixes = KeysOf(kKindPrefixes);
  for (const std::string& suffix : suffixes) {
    if (key.size() > suffix.size() && key.ends_with(suffix)) {
      std::string_view rest = key.substr(0, key.size() - suffix.size());
      if (IsPlausibleName(rest)) return std::string(rest);
    }
  }
  for (const std::string& prefix : prefixes) {
    if (key.size() > prefix.size() && key.starts_with(prefix)) {
      std::string_view rest = key.substr(prefix.size());
      if (IsPlausibleName(rest)) return std::string(rest);
    }
  }
  return std::nullopt;
}

}  // namespace izde::registry::internal
