#include "names/name_parts.h"

#include <array>
#include <utility>

#include "names/internal/palladius.h"
#include "names/internal/parse.h"
#include "names/keys.h"
#include "names/normalize.h"
#include "names/transliterate.h"

namespace izde::names {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Patronymic endings, as they read in the ASCII form of any script ("ұлы" -> "uly",
// "ulı" -> "uli", "қызы" -> "kyzy", "qyzy" -> "qyzy"). Longest first.
constexpr std::array<std::string_view, 14> kPatronymicEndings = {
    "ovich", "evich", "ovna", "evna", "ichna", "uly",  "uli",
    "ulu",   "ogly",  "oglu", "kyzy", "qyzy",  "kizi", "qizi"};
// Words that form a patronymic with the name before them ("Nurlan uly").
constexpr std::array<std::string_view, 8> kPatronymicWords = {"uly",  "uli",  "ulu",  "ogly",
                                                              "kyzy", "qyzy", "kizi", "qizi"};
// Russian-style family names. "-in"/"-ina" are left out: Imin, Amin, Amina are given names.
constexpr std::array<std::string_view, 7> kSurnameEndings = {"skaya", "skiy", "sky", "ova",
                                                             "eva",   "ov",   "ev"};
constexpr std::array<std::string_view, 12> kHonorifics = {"haji",    "hajim", "hajji", "haj",
                                                          "qari",    "kari",  "molla", "mulla",
                                                          "damolla", "imam",  "axun",  "akhun"};
constexpr std::array<std::string_view, 4> kAbduPrefixes = {"abdu", "abdul", "abd", "abdi"};

template <size_t N>
bool IsOneOf(std::string_view word, const std::array<std::string_view, N>& list) {
  for (std::string_view entry : list) {
    if (word == entry) return true;
  }
  return false;
}

// The ending of `ascii` in `endings` that leaves a stem of at least three letters, or "".
template <size_t N>
std::string_view EndingOf(std::string_view ascii, const std::array<std::string_view, N>& endings) {
  for (std::string_view ending : endings) {
    if (EndsWith(ascii, ending) && ascii.size() >= ending.size() + 3) return ending;
  }
  return {};
}

NamePart MakePart(std::string text, std::string ascii) {
  NamePart part;
  part.text = std::move(text);
  part.ascii = std::move(ascii);
  part.key = TurkicKey(part.ascii);
  return part;
}

void SetStem(NamePart& part, std::string_view ending) {
  part.stem = part.ascii.substr(0, part.ascii.size() - ending.size());
  // Russian -ev after a vowel spells a final -y of the base name (Tokay -> Tokayev / Tokaev).
  if ((ending == "ev" || ending == "eva") && !part.stem.empty() &&
      std::string_view("aeiou").find(part.stem.back()) != std::string_view::npos) {
    part.stem.push_back('y');
  }
  part.stem_key = TurkicKey(part.stem);
}

}  // namespace

std::string_view PartRoleName(PartRole role) {
  switch (role) {
    case PartRole::kUnknown:
      return "unknown";
    case PartRole::kGiven:
      return "given";
    case PartRole::kSurname:
      return "surname";
    case PartRole::kPatronymic:
      return "patronymic";
    case PartRole::kFatherName:
      return "father";
    case PartRole::kHonorific:
      return "honorific";
    case PartRole::kInitial:
      return "initial";
  }
  return "unknown";
}

Result<ParsedName> ParseName(std::string_view utf8) {
  return internal::ParseNameWithForms(utf8, {});
}

namespace internal {

Result<ParsedName> ParseNameWithForms(std::string_view utf8, std::span<const KeyedForm> forms) {
  IZDE_ASSIGN_OR_RETURN(NormalizedName name, NormalizeName(utf8, {.fold_case = false}));
  ParsedName parsed;
  parsed.reordered = name.reordered;
  IZDE_ASSIGN_OR_RETURN(parsed.script, DetectScript(name.text));
  IZDE_ASSIGN_OR_RETURN(parsed.language, GuessLanguage(name.text));

  // The words of the whole name's readings, when they line up with the tokens one to one.
  // Transliterating each part again was two of the five ICU calls of a two-part Kazakh name
  // (callgrind); rules see the same word boundaries in both, so the words are the same. Non-Han
  // readings are of `utf8` itself: they line up when it is already its tokens joined by spaces.
  // Han readings (TransliterateHan) are made part by part from the unreordered tokens.
  const bool han = parsed.script == Script::kHan;
  auto words_of = [&](std::string_view transform) -> std::vector<std::string_view> {
    for (const KeyedForm& form : forms) {
      if (form.transform != transform) continue;
      std::vector<std::string_view> words;
      std::string_view ascii = form.ascii;
      while (!ascii.empty()) {
        const size_t space = ascii.find(' ');
        if (space != 0) words.push_back(ascii.substr(0, space));
        if (space == std::string_view::npos) break;
        ascii.remove_prefix(space + 1);
      }
      if (words.size() == name.tokens.size()) return words;
      return {};
    }
    return {};
  };
  std::vector<std::string_view> primary;
  std::vector<std::string_view> turkic;
  if (!forms.empty() && !name.reordered && parsed.script != Script::kMixed &&
      (han || name.text == utf8)) {
    if (han) {
      primary = words_of(TransformName(Transform::kHanToPinyin));
      turkic = words_of(TransformName(Transform::kHanToTurkic));
      // LatinForms leaves out a reading equal to an earlier one: the pinyin then.
      if (turkic.empty() && forms.size() == 1) turkic = primary;
    } else {
      primary = words_of(forms.front().transform);
    }
  }

  // Each part through the reading of its own script, so that suffixes can be matched once.
  std::vector<NamePart> parts;
  for (size_t token_idx = 0; token_idx < name.tokens.size(); ++token_idx) {
    std::string& token = name.tokens[token_idx];
    IZDE_ASSIGN_OR_RETURN(Script script, DetectScript(token));
    std::string ascii;
    if (script == Script::kHan && !primary.empty() && !turkic.empty()) {
      parts.push_back(MakePart(std::move(token), std::string(turkic[token_idx])));
      parts.back().alt_ascii = std::string(primary[token_idx]);
      parts.back().alt_key = TurkicKey(parts.back().alt_ascii);
      continue;
    }
    if (script == parsed.script && !han && !primary.empty()) {
      IZDE_ASSIGN_OR_RETURN(LanguageHint language, GuessLanguage(token));
      if (language == parsed.language) {
        parts.push_back(MakePart(std::move(token), std::string(primary[token_idx])));
        continue;
      }
    }
    if (script == Script::kHan) {
      // Han parts are read through the Turkic decoder: "买买提" -> "memet", not "maimaiti".
      IZDE_ASSIGN_OR_RETURN(std::string decoded, Transliterate(token, Transform::kHanToTurkic));
      IZDE_ASSIGN_OR_RETURN(ascii, Transliterate(decoded, Transform::kLatinToAscii));
      IZDE_ASSIGN_OR_RETURN(std::string pinyin, Transliterate(token, Transform::kHanToPinyin));
      IZDE_ASSIGN_OR_RETURN(std::string alt_ascii, Transliterate(pinyin, Transform::kLatinToAscii));
      parts.push_back(MakePart(std::move(token), std::move(ascii)));
      parts.back().alt_key = TurkicKey(alt_ascii);
      parts.back().alt_ascii = std::move(alt_ascii);
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(ascii, AsciiForm(token));
    parts.push_back(MakePart(std::move(token), std::move(ascii)));
  }

  // Joins: "Abdu Rehim" -> one part; "Nurlan uly" -> one patronymic.
  std::vector<NamePart> joined;
  for (size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    NamePart& part = parts[part_idx];
    if (IsOneOf(part.ascii, kAbduPrefixes) && part_idx + 1 < parts.size()) {
      NamePart& next = parts[++part_idx];
      joined.push_back(MakePart(part.text + next.text, part.ascii + next.ascii));
      continue;
    }
    if (IsOneOf(part.ascii, kPatronymicWords) && !joined.empty() &&
        joined.back().role == PartRole::kUnknown) {
      NamePart& previous = joined.back();
      previous = MakePart(previous.text + " " + part.text, previous.ascii + part.ascii);
      previous.role = PartRole::kPatronymic;
      SetStem(previous, part.ascii);
      continue;
    }
    joined.push_back(std::move(part));
  }

  const bool chinese_order = parsed.script == Script::kHan && joined.size() >= 2;
  bool has_family_name = false;
  for (NamePart& part : joined) {
    if (part.role != PartRole::kUnknown) {
      has_family_name = true;
      continue;
    }
    if (IsOneOf(part.ascii, kHonorifics)) {
      part.role = PartRole::kHonorific;
    } else if (part.ascii.size() == 1) {
      part.role = PartRole::kInitial;
    } else if (std::string_view ending = EndingOf(part.ascii, kPatronymicEndings);
               !ending.empty()) {
      part.role = PartRole::kPatronymic;
      SetStem(part, ending);
      has_family_name = true;
    } else if (std::string_view surname_ending = EndingOf(part.ascii, kSurnameEndings);
               !surname_ending.empty() && !chinese_order) {
      part.role = PartRole::kSurname;
      SetStem(part, surname_ending);
      has_family_name = true;
    }
  }
  bool given_seen = false;
  for (NamePart& part : joined) {
    if (part.role != PartRole::kUnknown) continue;
    if (!given_seen) {
      part.role = PartRole::kGiven;
      given_seen = true;
    } else if (chinese_order || !has_family_name) {
      part.role = PartRole::kFatherName;
    }
  }
  // A Chinese name in Palladius Cyrillic (Чжан Цзиньхуа) also reads as pinyin, kept as a Han
  // part keeps its pinyin reading (alt_ascii): "Цзиньхуа" is "tszinkhua" by Russian rules.
  if (parsed.script == Script::kCyrillic) {
    std::vector<std::string_view> words;
    for (const NamePart& part : joined) words.push_back(part.text);
    std::vector<std::string> pinyin = PalladiusName(words);
    for (size_t part_idx = 0; part_idx < pinyin.size(); ++part_idx) {
      joined[part_idx].alt_key = TurkicKey(pinyin[part_idx]);
      joined[part_idx].alt_ascii = std::move(pinyin[part_idx]);
    }
  }
  parsed.parts = std::move(joined);
  return parsed;
}

}  // namespace internal

}  // namespace izde::names
