#ifndef IZDE_NAMES_NAME_PARTS_H_
#define IZDE_NAMES_NAME_PARTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "names/script.h"

namespace izde::names {

// What a part of a name is. Roles are guesses from the form of the part; kUnknown means "a name
// part whose role the text does not show" (in Latin, Uyghur and Kazakh names come in any order).
enum class PartRole : uint8_t {
  kUnknown,
  kGiven,    // the first part that is not a title, patronymic or surname
  kSurname,  // a Russian-style family name: -ov -ev -ova -eva -skiy -skaya
  kPatronymic,  // -uly -ulı -ұлы -ovich -evich, -qyzy -kyzy -қызы -ovna -evna, or "uly" after a
                // name
  kFatherName,  // the father's given name used as a second name (the Chinese "given·father" form)
  kHonorific,   // haji, hajim, qari, molla, damolla, imam, axun
  kInitial,     // a single letter
};

// "unknown", "given", "surname", "patronymic", "father", "honorific", "initial".
std::string_view PartRoleName(PartRole role);

// One part of a name. JSON-friendly.
struct NamePart {
  std::string text;   // as written after normalisation, case kept ("Нұрланұлы")
  std::string ascii;  // AsciiForm of the part ("nurlanuly")
  std::string key;    // TurkicKey of `ascii` ("NLNL")
  PartRole role = PartRole::kUnknown;
  // For patronymics and suffixed surnames: the name they are built on, in ASCII ("nurlan" for
  // "Nurlanuly" and "Nurlanovich", "tokay" for "Tokayev"); empty otherwise.
  std::string stem;
  std::string stem_key;  // TurkicKey of `stem`
  // A second reading, for Han parts only: toneless pinyin ("maimaiti" for 买买提, whose `ascii`
  // is the Turkic reading "memet"); empty otherwise.
  std::string alt_ascii;
  std::string alt_key;  // TurkicKey of `alt_ascii`
};

struct ParsedName {
  Script script = Script::kUnknown;
  LanguageHint language = LanguageHint::kUnknown;
  std::vector<NamePart> parts;
  bool reordered = false;  // "Surname, Given" was turned around
};

// Splits a name into parts and guesses each part's role:
//  - separators and "Surname, Given" as NormalizeName;
//  - "Abdu"/"Abdul"/"Abd" followed by another part is joined to it ("Abdu Rehim" -> "AbduRehim",
//    one given part), as are "uly"/"ulı"/"ұлы"/"qyzy"/"kyzy"/"қызы" to the part before them;
//  - Han names written with a separator are "given·father" (伊力哈木·土赫提: given 伊力哈木,
//    father 土赫提);
//  - otherwise the first part that is not a title, initial, patronymic or surname is kGiven,
//    and a later plain part is kFatherName when the name has no surname and no patronymic
//    (Uyghur practice: "Ilham Tohti"), else kUnknown.
// "Бақыт Нұрланұлы" -> [Бақыт given, Нұрланұлы patronymic (stem "nurlan")];
// "Hajim Ilham Tohti" -> [Hajim honorific, Ilham given, Tohti father].
// Returns kInvalidArgument for invalid UTF-8.
Result<ParsedName> ParseName(std::string_view utf8);

}  // namespace izde::names

#endif  // IZDE_NAMES_NAME_PARTS_H_
