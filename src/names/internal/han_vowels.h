#ifndef IZDE_NAMES_INTERNAL_HAN_VOWELS_H_
#define IZDE_NAMES_INTERNAL_HAN_VOWELS_H_

#include <string_view>

namespace izde::names::internal {

// How well the vowels of a Han part agree with those of a Latin word in lower-case ASCII, in
// [0, 1], by the table data/translit/zh_vowels.txt: each character's pinyin final says which
// Latin vowels it may write (奥 ao: o, a, u; 比 bi: i, e), and the Latin word's vowel groups
// (au, e, y...) are aligned in order with the characters. A Latin vowel group written by an
// agreeing character costs nothing, by another character 1, left out 1; a character left over
// costs 0.15, or nothing where it is a customary consonant carrier (斯 si, 特 te, 木 mu, 尔 er).
// The agreement is 1 minus the cost over the number of Latin vowel groups (at least one).
// "auber" ~ 奥柏 = 1, "auber" ~ 阿比尔 = 0.5. 1 where either side gives nothing to compare
// (no Han character with a reading, no Latin vowel). Thread safety: may run concurrently.
double HanVowelAgreement(std::string_view han_text, std::string_view latin_ascii);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_HAN_VOWELS_H_
