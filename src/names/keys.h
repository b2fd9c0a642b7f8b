#ifndef IZDE_NAMES_KEYS_H_
#define IZDE_NAMES_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::names {

// The Turkic phonetic key of one word already in lower-case ASCII (see AsciiForm). Built to
// survive the round trip through Chinese characters and the spelling habits of each script:
//  - vowels, y, w and v are dropped (pinyin adds vowels: Ilham -> Yilihamu; Dawut -> Daut);
//    a word that starts with a vowel gets a leading "A" (Ilham, Yilihamu -> "ALM");
//  - h, kh and x are dropped (Tohti / Toxti / Tokhti / 土赫提; Ahmet / Akhmet / Ehmet);
//  - consonant classes: B = b p f ph, T = d t, S = s z c ts tz, X = sh shch, J = j zh ch dzh,
//    K = k q g gh ck and c before a, o, u, l, r, t (Carew, Clara), L = l r, M = m, N = n ng;
//    the c of a word ending in -cki or -cka is S (Potocki, Potocka = Потоцкий, Потоцкая);
//  - the same class twice in a row counts once (Abbas -> "ABS", Nurlan / Nuerlan -> "NLN");
//  - an apostrophe only keeps letters apart (is'haq: s and h, not sh).
// "serikzhan" -> "SLKJN" (= "sailikejiang"), "tohti" -> "TT", "memet" -> "MMT" (= "maimaiti").
std::string TurkicKey(std::string_view ascii_word);

// The key of a toneless pinyin word, its letters read as the sounds they transcribe in foreign
// names: x is s or sh (西塞罗 xisailuo = Cicero; TurkicKey drops x, the ULY kh), q is ch
// (切尔西 qieerxi = Chelsea; TurkicKey reads q as k), c is ts (翠 cui). "xieerdun" -> "SLTN".
// Equal to TurkicKey for words without x, q and c (and for c before h or e, i).
std::string PinyinKey(std::string_view pinyin);

// A name in any script as lower-case ASCII words: its first Latin reading (LatinForms), folded
// by the Latn-ASCII transform. "Серікжан Біләш" -> "serikzhan bilash",
// "Serıkjan Bıläş" -> "serikjan bilash", "ئىلھام توختى" -> "ilham toxti".
// Returns kInvalidArgument for invalid UTF-8.
Result<std::string> AsciiForm(std::string_view utf8);

// One Latin reading of a name with its comparison keys. JSON-friendly.
struct KeyedForm {
  std::string transform;          // LatinForm::transform ("kk-Cyrl-Latn-en", "latin", ...)
  std::string latin;              // the reading ("Serikzhan Bilash")
  std::string ascii;              // "serikzhan bilash"
  std::vector<std::string> keys;  // TurkicKey of each ASCII word: {"SLKJN", "BLX"}
};

// Every Latin reading of the name (LatinForms) with its ASCII form and keys.
// Returns kInvalidArgument for invalid UTF-8.
Result<std::vector<KeyedForm>> KeyForms(std::string_view utf8);

// The distinct word keys of all readings, sorted: what a candidate index blocks on.
// "伊力哈木·土赫提" -> {"ALM", "TT"}, the same as "Ilham Tohti" and "Ильхам Тохти".
Result<std::vector<std::string>> BlockingKeys(std::string_view utf8);

}  // namespace izde::names

#endif  // IZDE_NAMES_KEYS_H_
