#ifndef IZDE_NAMES_TRANSLITERATE_H_
#define IZDE_NAMES_TRANSLITERATE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::names {

// The transliterations izde knows. Each is an ICU rule-based transliterator whose rules live in
// data/translit/<file>.txt and are compiled into the library.
enum class Transform : uint8_t {
  // "kk-Cyrl-Latn-2021" Серікжан -> Serıkjan (2021 alphabet)
  kKazakhCyrillicToLatin2021,
  // "kk-Cyrl-Latn-bgn" Серікжан -> Serikzhan, Ү -> Ü, И -> Ī
  kKazakhCyrillicToLatinBgn,
  // "kk-Cyrl-Latn-en" Серікжан Біләш -> Serikzhan Bilash
  kKazakhCyrillicToLatinEnglish,
  // "kk-Arab-Cyrl" Töte -> Cyrillic, ٴ and ء both markers
  kKazakhArabicToCyrillic,
  // "ug-Arab-Latn" ئىلھام -> ilham (ULY)
  kUyghurArabicToLatin,
  // "ug-Latn-Arab" ilham -> ئىلھام
  kUyghurLatinToArabic,
  // "ug-Cyrl-Latn" Шинҗаң -> Shinjang (ULY)
  kUyghurCyrillicToLatin,
  // "ky-Cyrl-Latn-bgn" Ысык-Көл -> Ysyk-Köl, Жалал-Абад -> Jalal-Abad
  kKyrgyzCyrillicToLatinBgn,
  // "ru-Cyrl-Latn-icao" Ильхам -> Ilkham (passports)
  kRussianCyrillicToLatinIcao,
  // "ru-Cyrl-Latn-bgn" Ёж -> Yëzh
  kRussianCyrillicToLatinBgn,
  // "zh-Hani-Latn" 伊力哈木·土赫提 -> Yilihamu Tuheti
  kHanToPinyin,
  // "zh-Hani-Latn-turkic" 买买提 -> Memet (decoded transcription)
  kHanToTurkic,
  // "Latn-ASCII" Serıkjan Bıläş -> serikjan bilash (Turkic letters as sh ch gh ng)
  kLatinToAscii,
};

// The stable id of a transform, as listed above; used in JSON and on the command line.
std::string_view TransformName(Transform transform);
// Inverse of TransformName; kInvalidArgument for an unknown id.
Result<Transform> ParseTransform(std::string_view name);
// Every transform, in declaration order.
std::span<const Transform> AllTransforms();

// Transliterates `utf8` with `transform`. The text is NFKC-normalised and stripped of invisible
// characters first; letters of other scripts pass through unchanged. Case follows the input:
// "Серікжан" -> "Serikzhan", "СЕРІКЖАН" -> "SERIKZHAN" (Arabic and Han output is lower case for
// ULY and title case for pinyin). Han transforms join the syllables of each part and separate
// parts with one space ("伊力哈木·土赫提" -> "Yilihamu Tuheti").
// Returns kInvalidArgument for invalid UTF-8, kInternal if the embedded rules fail to compile.
// Thread safety: may be called concurrently from any thread. Each transform is compiled once,
// on first use, and copied once into each thread that uses it (ICU transliterators are not safe
// to share; a per-call copy costs ~45 times more: figures in the .cc), so threads do not wait
// for each other.
Result<std::string> Transliterate(std::string_view utf8, Transform transform);

// One Latin (or, for kKazakhArabicToCyrillic chains, Latin-after-Cyrillic) reading of a name.
struct LatinForm {
  std::string transform;  // TransformName(...) ids joined with "+" for chains
  std::string text;
};

// The Latin readings worth comparing for a name, chosen from its script and language hint:
//  Latin    -> the text itself ("latin");
//  Cyrillic -> Kazakh: en, bgn, 2021; Uyghur: ug-Cyrl-Latn; Kyrgyz: ky bgn, kk en;
//              Russian: icao, bgn, kk en;
//  Arabic   -> Uyghur: ug-Arab-Latn; Kazakh (Töte): kk-Arab-Cyrl then kk-Cyrl-Latn-en / 2021;
//  Han      -> zh-Hani-Latn (pinyin) and zh-Hani-Latn-turkic;
//  mixed    -> one form "mixed": each token by its own first reading, after Latin look-alikes
//              in mostly-Cyrillic tokens became Cyrillic ("Көшесi" with a Latin i -> "Koshesi").
// Duplicates are removed, first occurrence kept. "Біләш" -> [{"kk-Cyrl-Latn-en","Bilash"},
// {"kk-Cyrl-Latn-bgn","Biläsh"}, {"kk-Cyrl-Latn-2021","Bıläş"}].
// At most `max_forms` readings are made (1: only the primary reading, the cheapest call).
// Returns kInvalidArgument for invalid UTF-8. Thread safety as Transliterate().
Result<std::vector<LatinForm>> LatinForms(std::string_view utf8, size_t max_forms = SIZE_MAX);

}  // namespace izde::names

#endif  // IZDE_NAMES_TRANSLITERATE_H_
