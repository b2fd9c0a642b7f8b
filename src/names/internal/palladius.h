#ifndef IZDE_NAMES_INTERNAL_PALLADIUS_H_
#define IZDE_NAMES_INTERNAL_PALLADIUS_H_

#include <string>
#include <string_view>
#include <vector>

namespace izde::names::internal {

// Chinese names written in Cyrillic by the Palladius system, as Russian and Kazakh texts write
// them (张金花 Чжан Цзиньхуа, 陈全国 Чэнь Цюаньго), read back as toneless pinyin
// (data/translit/palladius_pinyin.txt, made by scripts/gen-palladius).

// The pinyin of one word when the whole of it is Palladius syllables, in any case ("Цзиньхуа"
// -> "jinhua"; the fewest syllables where two splits exist); empty otherwise ("Марат").
// `syllables`, when given, receives their number. Thread safety: may run concurrently.
std::string PalladiusPinyin(std::string_view word, size_t* syllables = nullptr);

// The pinyin of each word when the words read as a Chinese name in Palladius: every word
// decodes, and either one of them holds a sequence Russian and Kazakh names do not (цз, чж,
// юй, юэ, эй, энь, эн, ань, инь, янь, унь, ао, оу, уа, уй) or there are two or three words of
// at most two syllables each ("Ли Мин", "Ян Лили"). Empty otherwise: "Марат Асан" (Марат does
// not decode), "Асан" (one word, no such sequence).
std::vector<std::string> PalladiusName(const std::vector<std::string_view>& words);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_PALLADIUS_H_
