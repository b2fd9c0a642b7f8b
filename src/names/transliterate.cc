#include "names/transliterate.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "names/internal/han_pinyin.h"
#include "names/internal/translit_rules.h"
#include "names/normalize.h"
#include "names/script.h"

namespace izde::names {
namespace {

// How the case of the input comes back in the output. ICU rules map a capital to a title-case
// digraph ("Ж" -> "Zh"); words written entirely in capitals are upper-cased afterwards.
enum class CaseMode : uint8_t { kNone, kUpperWords, kUpperWordsTurkic };

struct TransformInfo {
  Transform transform;
  std::string_view name;
  const std::string_view* rules;
  CaseMode case_mode;
};

constexpr std::array<TransformInfo, 13> kTransforms = {{
    {Transform::kKazakhCyrillicToLatin2021, "kk-Cyrl-Latn-2021",
     &internal::kKazakhCyrillicLatin2021Rules, CaseMode::kUpperWordsTurkic},
    {Transform::kKazakhCyrillicToLatinBgn, "kk-Cyrl-Latn-bgn",
     &internal::kKazakhCyrillicLatinBgnRules, CaseMode::kUpperWords},
    {Transform::kKazakhCyrillicToLatinEnglish, "kk-Cyrl-Latn-en",
     &internal::kKazakhCyrillicLatinEnglishRules, CaseMode::kUpperWords},
    {Transform::kKazakhArabicToCyrillic, "kk-Arab-Cyrl", &internal::kKazakhArabicCyrillicRules,
     CaseMode::kNone},
    {Transform::kUyghurArabicToLatin, "ug-Arab-Latn", &internal::kUyghurArabicLatinRules,
     CaseMode::kNone},
    {Transform::kUyghurLatinToArabic, "ug-Latn-Arab", &internal::kUyghurLatinArabicRules,
     CaseMode::kNone},
    {Transform::kUyghurCyrillicToLatin, "ug-Cyrl-Latn", &internal::kUyghurCyrillicLatinRules,
     CaseMode::kUpperWords},
    {Transform::kKyrgyzCyrillicToLatinBgn, "ky-Cyrl-Latn-bgn",
     &internal::kKyrgyzCyrillicLatinBgnRules, CaseMode::kUpperWords},
    {Transform::kRussianCyrillicToLatinIcao, "ru-Cyrl-Latn-icao",
     &internal::kRussianCyrillicLatinIcaoRules, CaseMode::kUpperWords},
    {Transform::kRussianCyrillicToLatinBgn, "ru-Cyrl-Latn-bgn",
     &internal::kRussianCyrillicLatinBgnRules, CaseMode::kUpperWords},
    {Transform::kHanToPinyin, "zh-Hani-Latn", &internal::kHanLatinRules, CaseMode::kNone},
    {Transform::kHanToTurkic, "zh-Hani-Latn-turkic", &internal::kHanTurkicRules, CaseMode::kNone},
    {Transform::kLatinToAscii, "Latn-ASCII", &internal::kLatinAsciiTurkicRules, CaseMode::kNone},
}};

constexpr std::array<Transform, kTransforms.size()> kAllTransforms = [] {
  std::array<Transform, kTransforms.size()> all{};
  for (size_t index = 0; index < kTransforms.size(); ++index) {
    all[index] = kTransforms[index].transform;
  }
  return all;
}();

const TransformInfo& InfoFor(Transform transform) {
  return kTransforms[static_cast<size_t>(transform)];
}

// One compiled transliterator per transform, built on first use. ICU's Transliterator is not
// safe to share between threads (translit.h: "they must be synchronized when shared"): each
// thread clones it once (ThreadTransliterator) and `mu` guards only the cloning. A clone per
// call would copy the whole rule set each time. Measured with
// -O2 on one core, "Серікжан Біләш" through kk-Cyrl-Latn-en, 20,000 calls: lock + transliterate
// 2.3 us, clone + transliterate 108 us; the whole Transliterate() call 5.7 us. (Han transforms
// are slower, ~240 us per two-part name, because ICU's Han-Latin is large: cache their results.)
// Rule-based transliterators also serialise on a global ICU mutex internally, so per-call clones
// would not buy parallelism either.
struct Compiled {
  std::once_flag once;
  std::unique_ptr<icu::Transliterator> transliterator;
  Status status;
  std::mutex mu;
};

Compiled& CompiledFor(Transform transform) {
  static std::array<Compiled, kTransforms.size()> compiled;
  Compiled& entry = compiled[static_cast<size_t>(transform)];
  std::call_once(entry.once, [&entry, transform] {
    const TransformInfo& info = InfoFor(transform);
    const std::string_view rules = *info.rules;
    icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(rules.data(), static_cast<int32_t>(rules.size())));
    UParseError parse_error{};
    UErrorCode error = U_ZERO_ERROR;
    icu::UnicodeString id = icu::UnicodeString::fromUTF8(
        icu::StringPiece(info.name.data(), static_cast<int32_t>(info.name.size())));
    entry.transliterator.reset(
        icu::Transliterator::createFromRules(id, source, UTRANS_FORWARD, parse_error, error));
    if (U_FAILURE(error) || entry.transliterator == nullptr) {
      std::string context;
      icu::UnicodeString(parse_error.preContext).toUTF8String(context);
      entry.status = InternalError("transliteration rules " + std::string(info.name) +
                                   " do not compile: " + u_errorName(error) + " at line " +
                                   std::to_string(parse_error.line) + " near '" + context + "'");
      entry.transliterator.reset();
    }
  });
  return entry;
}

// Marks that carry no letter: tatweel, harakat, and every default-ignorable code point.
bool IsInvisible(UChar32 c) {
  return c == 0x0640 || (c >= 0x064B && c <= 0x0652) || c == 0x0670 ||
         u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

Result<icu::UnicodeString> Prepare(std::string_view utf8) {
  IZDE_RETURN_IF_ERROR(ValidateUtf8(utf8));
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(error);
  if (U_FAILURE(error)) return InternalError(std::string("ICU NFKC: ") + u_errorName(error));
  // Names are nearly always NFKC already and hold no invisible marks: checking is cheaper than
  // copying (Prepare was 15% of the analysis of a Kazakh Cyrillic name, callgrind).
  icu::UnicodeString normalized =
      nfkc->isNormalized(text, error) ? text : nfkc->normalize(text, error);
  if (U_FAILURE(error)) return InternalError(std::string("ICU NFKC: ") + u_errorName(error));
  bool clean = true;
  for (int32_t index = 0; clean && index < normalized.length();) {
    const UChar32 c = normalized.char32At(index);
    index += U16_LENGTH(c);
    clean = !IsInvisible(c);
  }
  if (clean) return normalized;
  icu::UnicodeString visible;
  for (int32_t index = 0; index < normalized.length();) {
    const UChar32 c = normalized.char32At(index);
    index += U16_LENGTH(c);
    if (!IsInvisible(c)) visible.append(c);
  }
  return visible;
}

bool IsArabicLetter(UChar32 c) {
  return ((c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D5)) && c != 0x0640;
}

// Töte marks front-vowel words once (ٴ, or ء in some converters, or inside ٵ ٶ ٷ ٸ, which NFKC
// splits into letter + ٴ); ە ك گ occur only in front words. Rewrites each front word with a
// single ٴ in front of it, which kk_arab_cyrl.txt carries through the word.
icu::UnicodeString MarkKazakhFrontWords(const icu::UnicodeString& text) {
  constexpr UChar32 kMarker = 0x0674;
  icu::UnicodeString result;
  int32_t index = 0;
  while (index < text.length()) {
    UChar32 c = text.char32At(index);
    if (!IsArabicLetter(c)) {
      result.append(c);
      index += U16_LENGTH(c);
      continue;
    }
    icu::UnicodeString word;
    bool front = false;
    while (index < text.length() && IsArabicLetter(c = text.char32At(index))) {
      index += U16_LENGTH(c);
      if (c == kMarker || c == 0x0621) {
        front = true;
        continue;
      }
      if (c == 0x06D5 || c == 0x0643 || c == 0x06A9 || c == 0x06AF) front = true;
      word.append(c);
    }
    if (front) result.append(kMarker);
    result.append(word);
  }
  return result;
}

// Upper-cases the output words whose source word was written in capitals (two or more cased
// letters, none lower case). Source and output are split at white space; rules never add or
// remove white space, so the words line up.
void RestoreCapitals(const icu::UnicodeString& source, icu::UnicodeString& output, CaseMode mode) {
  auto words = [](const icu::UnicodeString& text) {
    std::vector<std::pair<int32_t, int32_t>> spans;
    int32_t start = -1;
    for (int32_t index = 0; index <= text.length();) {
      const UChar32 c = index < text.length() ? text.char32At(index) : 0x20;
      const bool space = u_isUWhiteSpace(c);
      if (!space && start < 0) start = index;
      if (space && start >= 0) {
        spans.emplace_back(start, index);
        start = -1;
      }
      index += index < text.length() ? U16_LENGTH(c) : 1;
    }
    return spans;
  };
  const auto source_words = words(source);
  const auto output_words = words(output);
  if (source_words.size() != output_words.size()) return;
  const icu::Locale locale =
      mode == CaseMode::kUpperWordsTurkic ? icu::Locale("tr") : icu::Locale::getRoot();
  icu::UnicodeString result;
  int32_t copied = 0;
  for (size_t word_idx = 0; word_idx < source_words.size(); ++word_idx) {
    const auto [source_start, source_end] = source_words[word_idx];
    int upper = 0;
    bool lower = false;
    for (int32_t index = source_start; index < source_end;) {
      const UChar32 c = source.char32At(index);
      index += U16_LENGTH(c);
      if (u_isupper(c)) ++upper;
      if (u_islower(c)) lower = true;
    }
    const auto [output_start, output_end] = output_words[word_idx];
    result.append(output, copied, output_start - copied);
    icu::UnicodeString word(output, output_start, output_end - output_start);
    if (upper >= 2 && !lower) word.toUpper(locale);
    result.append(word);
    copied = output_end;
  }
  result.append(output, copied, output.length() - copied);
  output = std::move(result);
}

// This thread's copy of a compiled transform, cloned from the shared one on the thread's first
// use of it (~100 us, once): threads then transliterate without taking `compiled.mu`, which
// serialised every analysis of a multi-threaded server or batch. nullptr if cloning failed.
icu::Transliterator* ThreadTransliterator(Transform transform, Compiled& compiled) {
  thread_local std::array<std::unique_ptr<icu::Transliterator>, kTransforms.size()> clones;
  std::unique_ptr<icu::Transliterator>& clone = clones[static_cast<size_t>(transform)];
  if (clone == nullptr) {
    std::lock_guard<std::mutex> lock(compiled.mu);
    clone.reset(compiled.transliterator->clone());
  }
  return clone.get();
}

Result<icu::UnicodeString> Run(Transform transform, const icu::UnicodeString& text) {
  Compiled& compiled = CompiledFor(transform);
  if (!compiled.status.ok()) return compiled.status;
  icu::Transliterator* transliterator = ThreadTransliterator(transform, compiled);
  if (transliterator == nullptr) {
    return InternalError("transliterator " + std::string(InfoFor(transform).name) +
                         " could not be copied for this thread");
  }
  // Padding gives word-boundary contexts something to match at both ends.
  icu::UnicodeString padded(static_cast<UChar32>(0x20));
  padded.append(text).append(static_cast<UChar32>(0x20));
  transliterator->transliterate(padded);
  if (padded.length() >= 2 && padded.charAt(0) == 0x20 &&
      padded.charAt(padded.length() - 1) == 0x20) {
    padded.retainBetween(1, padded.length() - 1);
  }
  return padded;
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// Appends the pinyin of `utf8` to `part` without spaces, as han_latn.txt would give it: Chinese
// characters from the generated table (han_pinyin.h), ASCII lower-cased, anything else (rare
// characters, other letters) through ICU one code point at a time.
// A character the Turkic reading (zh_turkic_latn.txt) does not list is read from its pinyin,
// with a pinyin x spelled sh: it writes the s and sh of foreign names (薛 xue, 許 xu, 修 xiu),
// as the table's own 西 希 > shi, never the Turkic x (h), which the key drops. (Pinyin q read as
// ch and c as ts were measured too: no gain on the held-out queries, docs/names.md.)
std::string_view TurkicPinyin(std::string_view reading) {
  thread_local std::string spelled;
  if (reading.empty() || reading.front() != 'x') return reading;
  spelled.assign("sh");
  spelled.append(reading.substr(1));
  return spelled;
}

Status AppendPinyin(std::string_view utf8, std::string& part, bool turkic = false) {
  for (size_t index = 0; index < utf8.size();) {
    const size_t start = index;
    const char32_t c = internal::NextCodePoint(utf8, index);
    if (c == ' ') continue;
    if (c < 0x80) {
      part.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      continue;
    }
    const std::string_view reading = internal::HanPinyin(c);
    if (!reading.empty()) {
      part += turkic ? TurkicPinyin(reading) : reading;
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(icu::UnicodeString output,
                          Run(Transform::kHanToPinyin,
                              icu::UnicodeString::fromUTF8(icu::StringPiece(
                                  utf8.data() + start, static_cast<int32_t>(index - start)))));
    for (char byte : ToUtf8(output)) {
      if (byte != ' ') part.push_back(byte);
    }
  }
  return OkStatus();
}

// Han names: each part separately, syllables joined, first letter capitalised.
Result<std::string> TransliterateHan(std::string_view utf8, Transform transform) {
  IZDE_ASSIGN_OR_RETURN(NormalizedName name,
                        NormalizeName(utf8, {.fold_case = false, .reorder_comma = false}));
  std::string result;
  for (const std::string& token : name.tokens) {
    std::string part;
    if (transform == Transform::kHanToPinyin) {
      IZDE_RETURN_IF_ERROR(AppendPinyin(token, part));
    } else {
      // zh_turkic_latn.txt decodes what it lists and leaves other characters for the table.
      IZDE_ASSIGN_OR_RETURN(icu::UnicodeString text, Prepare(token));
      IZDE_ASSIGN_OR_RETURN(icu::UnicodeString output, Run(transform, text));
      IZDE_RETURN_IF_ERROR(AppendPinyin(ToUtf8(output), part, /*turkic=*/true));
    }
    if (part.empty()) continue;
    if (part[0] >= 'a' && part[0] <= 'z') part[0] = static_cast<char>(part[0] - 'a' + 'A');
    if (!result.empty()) result.push_back(' ');
    result += part;
  }
  return result;
}

// Latn-ASCII without ICU for the letters Latin readings are made of. latn_ascii_turkic.txt maps
// each lower-case letter on its own (no rule has a context), so its output for a word is the
// concatenation of its outputs for the letters, once NFC and Any-Lower have run; NFC changes
// nothing in text without combining marks, and those take the ICU path. Each letter's output is
// computed once, by ICU itself, so the two paths cannot drift apart. Profiled with callgrind on
// Kazakh Cyrillic names, ICU's Latn-ASCII (NFC, Any-Lower, Latin-ASCII) was the largest cost of
// analysis: BGN and 2021 readings ("Biläsh", "Bıläş") are never plain ASCII.
struct AsciiRange {
  char32_t first, last;
};
constexpr std::array<AsciiRange, 4> kAsciiRanges = {{
    {0x00A0, 0x024F},  // Latin-1 Supplement, Latin Extended-A and -B
    {0x02B0, 0x02FF},  // modifier letters: ʼ ʻ ʹ ʺ
    {0x1E00, 0x1EFF},  // Latin Extended Additional: ḥ ṭ ẓ
    {0x2018, 0x201F},  // quotation marks: ’ ‘ ”
}};

class LatinAsciiTable {
 public:
  static const LatinAsciiTable& Get() {
    static const LatinAsciiTable table;
    return table;
  }
  // The ASCII of one code point, or nullptr when the ICU path must run.
  const std::string* Find(char32_t c) const {
    size_t offset = 0;
    for (const AsciiRange& range : kAsciiRanges) {
      if (c >= range.first && c <= range.last) {
        const std::string& ascii = ascii_[offset + (c - range.first)];
        return ascii == "\x01" ? nullptr : &ascii;
      }
      offset += range.last - range.first + 1;
    }
    return nullptr;
  }

 private:
  LatinAsciiTable() {
    for (const AsciiRange& range : kAsciiRanges) {
      for (char32_t c = range.first; c <= range.last; ++c) {
        // "\x01" marks a letter left to ICU: a failure, or output that is not ASCII.
        std::string ascii = "\x01";
        Result<icu::UnicodeString> output =
            Run(Transform::kLatinToAscii, icu::UnicodeString(static_cast<UChar32>(c)));
        if (output.ok()) {
          std::string text = ToUtf8(*output);
          bool plain = true;
          for (char byte : text) plain = plain && static_cast<unsigned char>(byte) < 0x80;
          if (plain) ascii = std::move(text);
        }
        ascii_.push_back(std::move(ascii));
      }
    }
  }
  std::vector<std::string> ascii_;
};

// Appends the Latn-ASCII form of valid UTF-8 `utf8` to `out`; false (with `out` unspecified)
// when a code point needs ICU.
bool LatinToAsciiFast(std::string_view utf8, std::string& out) {
  out.reserve(utf8.size());
  const LatinAsciiTable* table = nullptr;
  for (size_t index = 0; index < utf8.size();) {
    const char32_t c = internal::NextCodePoint(utf8, index);
    if (c < 0x80) {
      if (c == '\'' || c == '"') continue;
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      continue;
    }
    if (table == nullptr) table = &LatinAsciiTable::Get();
    const std::string* ascii = table->Find(c);
    if (ascii == nullptr) return false;
    out += *ascii;
  }
  return true;
}

// Kazakh typists often write Latin "i" for "і" and Latin look-alikes for other Cyrillic letters
// ("Көшесi"). In a token with more Cyrillic than Latin letters, such look-alikes become Cyrillic.
std::string CyrillicHomoglyphs(std::string_view token) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(token.data(), static_cast<int32_t>(token.size())));
  int cyrillic = 0;
  int latin = 0;
  for (int32_t index = 0; index < text.length();) {
    const UChar32 c = text.char32At(index);
    index += U16_LENGTH(c);
    UErrorCode error = U_ZERO_ERROR;
    const UScriptCode code = uscript_getScript(c, &error);
    if (code == USCRIPT_CYRILLIC) ++cyrillic;
    if (code == USCRIPT_LATIN) ++latin;
  }
  if (cyrillic <= latin) return std::string(token);
  static constexpr std::pair<UChar32, UChar32> kLookAlikes[] = {
      {'a', 0x0430}, {'c', 0x0441}, {'e', 0x0435}, {'i', 0x0456}, {'o', 0x043E}, {'p', 0x0440},
      {'x', 0x0445}, {'y', 0x0443}, {'A', 0x0410}, {'B', 0x0412}, {'C', 0x0421}, {'E', 0x0415},
      {'H', 0x041D}, {'I', 0x0406}, {'K', 0x041A}, {'M', 0x041C}, {'O', 0x041E}, {'P', 0x0420},
      {'T', 0x0422}, {'X', 0x0425}, {'Y', 0x04AE}};
  icu::UnicodeString fixed;
  for (int32_t index = 0; index < text.length();) {
    UChar32 c = text.char32At(index);
    index += U16_LENGTH(c);
    for (const auto& [latin_letter, cyrillic_letter] : kLookAlikes) {
      if (c == latin_letter) c = cyrillic_letter;
    }
    fixed.append(c);
  }
  return ToUtf8(fixed);
}

// A name prepared once for several ICU transforms (LatinForms makes up to three readings of
// the same text): validated, NFKC, invisible marks removed, converted to UTF-16 once.
struct PreparedText {
  icu::UnicodeString text;
  // Some word is written in capitals (two or more upper-case letters, none lower case), so
  // RestoreCapitals has work to do; most names have none, and the check is per text, not per
  // transform.
  bool has_capital_words = false;
};

Result<PreparedText> PrepareText(std::string_view utf8) {
  PreparedText prepared;
  IZDE_ASSIGN_OR_RETURN(prepared.text, Prepare(utf8));
  int upper = 0;
  bool lower = false;
  for (int32_t index = 0; index <= prepared.text.length() && !prepared.has_capital_words;) {
    const UChar32 c = index < prepared.text.length() ? prepared.text.char32At(index) : 0x20;
    index += index < prepared.text.length() ? U16_LENGTH(c) : 1;
    if (u_isUWhiteSpace(c)) {
      prepared.has_capital_words = upper >= 2 && !lower;
      upper = 0;
      lower = false;
    } else if (u_isupper(c)) {
      ++upper;
    } else if (u_islower(c)) {
      lower = true;
    }
  }
  return prepared;
}

Result<std::string> TransliteratePrepared(const PreparedText& prepared, Transform transform) {
  const icu::UnicodeString* text = &prepared.text;
  icu::UnicodeString marked;
  if (transform == Transform::kKazakhArabicToCyrillic) {
    marked = MarkKazakhFrontWords(prepared.text);
    text = &marked;
  }
  IZDE_ASSIGN_OR_RETURN(icu::UnicodeString output, Run(transform, *text));
  const CaseMode mode = InfoFor(transform).case_mode;
  if (mode != CaseMode::kNone && prepared.has_capital_words) {
    RestoreCapitals(*text, output, mode);
  }
  return ToUtf8(output);
}

}  // namespace

std::string_view TransformName(Transform transform) { return InfoFor(transform).name; }

Result<Transform> ParseTransform(std::string_view name) {
  for (const TransformInfo& info : kTransforms) {
    if (info.name == name) return info.transform;
  }
  return InvalidArgumentError("unknown transform '" + std::string(name) + "'", "transform");
}

std::span<const Transform> AllTransforms() { return kAllTransforms; }

Result<std::string> Transliterate(std::string_view utf8, Transform transform) {
  if (transform == Transform::kLatinToAscii) {
    IZDE_RETURN_IF_ERROR(ValidateUtf8(utf8));
    std::string out;
    if (LatinToAsciiFast(utf8, out)) return out;
  }
  if (transform == Transform::kHanToPinyin || transform == Transform::kHanToTurkic) {
    return TransliterateHan(utf8, transform);
  }
  IZDE_ASSIGN_OR_RETURN(PreparedText prepared, PrepareText(utf8));
  return TransliteratePrepared(prepared, transform);
}

Result<std::vector<LatinForm>> LatinForms(std::string_view utf8, size_t max_forms) {
  IZDE_ASSIGN_OR_RETURN(Script script, DetectScript(utf8));
  IZDE_ASSIGN_OR_RETURN(LanguageHint language, GuessLanguage(utf8));
  std::vector<LatinForm> forms;
  auto add = [&forms](std::string transform, std::string text) {
    if (text.empty()) return;
    for (const LatinForm& form : forms) {
      if (form.text == text) return;
    }
    forms.push_back({std::move(transform), std::move(text)});
  };
  // Cyrillic and Uyghur Arabic readings all start from the same prepared text.
  std::optional<PreparedText> prepared;
  auto apply = [&](Transform transform) -> Status {
    if (forms.size() >= max_forms) return OkStatus();
    if (transform == Transform::kHanToPinyin || transform == Transform::kHanToTurkic) {
      IZDE_ASSIGN_OR_RETURN(std::string han, Transliterate(utf8, transform));
      add(std::string(TransformName(transform)), std::move(han));
      return OkStatus();
    }
    if (!prepared.has_value()) {
      IZDE_ASSIGN_OR_RETURN(prepared, PrepareText(utf8));
    }
    IZDE_ASSIGN_OR_RETURN(std::string text, TransliteratePrepared(*prepared, transform));
    add(std::string(TransformName(transform)), std::move(text));
    return OkStatus();
  };
  if (script == Script::kMixed) {
    // Each token on its own, by its own script; look-alike letters repaired first.
    IZDE_ASSIGN_OR_RETURN(std::vector<TokenScript> tokens, DetectTokenScripts(utf8));
    std::string joined;
    for (const TokenScript& token : tokens) {
      std::string text =
          token.script == Script::kMixed ? CyrillicHomoglyphs(token.token) : token.token;
      IZDE_ASSIGN_OR_RETURN(Script token_script, DetectScript(text));
      if (token_script != Script::kMixed) {
        IZDE_ASSIGN_OR_RETURN(std::vector<LatinForm> token_forms, LatinForms(text, 1));
        if (!token_forms.empty()) text = std::move(token_forms.front().text);
      }
      if (!joined.empty()) joined.push_back(' ');
      joined += text;
    }
    add("mixed", std::move(joined));
    return forms;
  }
  switch (script) {
    case Script::kMixed:
    case Script::kLatin:
    case Script::kUnknown: {
      IZDE_ASSIGN_OR_RETURN(NormalizedName name, NormalizeName(utf8, {.fold_case = false}));
      add("latin", std::move(name.text));
      break;
    }
    case Script::kCyrillic:
      if (language == LanguageHint::kUyghur) {
        IZDE_RETURN_IF_ERROR(apply(Transform::kUyghurCyrillicToLatin));
      } else if (language == LanguageHint::kKyrgyz) {
        IZDE_RETURN_IF_ERROR(apply(Transform::kKyrgyzCyrillicToLatinBgn));
        IZDE_RETURN_IF_ERROR(apply(Transform::kKazakhCyrillicToLatinEnglish));
      } else if (language == LanguageHint::kKazakh) {
        IZDE_RETURN_IF_ERROR(apply(Transform::kKazakhCyrillicToLatinEnglish));
        IZDE_RETURN_IF_ERROR(apply(Transform::kKazakhCyrillicToLatinBgn));
        IZDE_RETURN_IF_ERROR(apply(Transform::kKazakhCyrillicToLatin2021));
      } else {
        IZDE_RETURN_IF_ERROR(apply(Transform::kRussianCyrillicToLatinIcao));
        IZDE_RETURN_IF_ERROR(apply(Transform::kRussianCyrillicToLatinBgn));
        IZDE_RETURN_IF_ERROR(apply(Transform::kKazakhCyrillicToLatinEnglish));
      }
      break;
    case Script::kArabic:
      if (language == LanguageHint::kKazakh) {
        IZDE_ASSIGN_OR_RETURN(std::string cyrillic,
                              Transliterate(utf8, Transform::kKazakhArabicToCyrillic));
        IZDE_ASSIGN_OR_RETURN(PreparedText prepared_cyrillic, PrepareText(cyrillic));
        for (Transform next :
             {Transform::kKazakhCyrillicToLatinEnglish, Transform::kKazakhCyrillicToLatin2021}) {
          if (forms.size() >= max_forms) break;
          IZDE_ASSIGN_OR_RETURN(std::string text, TransliteratePrepared(prepared_cyrillic, next));
          add("kk-Arab-Cyrl+" + std::string(TransformName(next)), std::move(text));
        }
      } else {
        IZDE_RETURN_IF_ERROR(apply(Transform::kUyghurArabicToLatin));
      }
      break;
    case Script::kHan:
      IZDE_RETURN_IF_ERROR(apply(Transform::kHanToPinyin));
      IZDE_RETURN_IF_ERROR(apply(Transform::kHanToTurkic));
      break;
  }
  return forms;
}

}  // namespace izde::names
