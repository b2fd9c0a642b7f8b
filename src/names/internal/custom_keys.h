#ifndef IZDE_NAMES_INTERNAL_CUSTOM_KEYS_H_
#define IZDE_NAMES_INTERNAL_CUSTOM_KEYS_H_

#include <string>
#include <string_view>

// Keys of the transcription customs that a Han part's comparison with a part in another script
// reads into the keys (similarity.cc, ScoreCustomKeys). Implemented in keys.cc.

namespace izde::names::internal {

// The key of a Latin word with each r that follows a vowel and precedes a consonant or ends the
// word left out, as Chinese often leaves it unwritten (Auber = 奥柏 aobo, Harty = 哈蒂 hadi,
// Verdú = 維杜): "auber" -> "AB", "harty" -> "AT". Empty when the word has no such r.
// Compared only with Han parts (similarity.h, made per comparison); not a blocking key.
std::string KeyWithoutCodaR(std::string_view ascii_word);

// The fewest customs (rules of data/translit/key_spellings.txt marked `custom`) that, each read where it
// applies (in place of the plain reading, or of another custom), make the key of a Latin word
// equal to `target`; -1 when none up to `max_customs` does, or when `target` is the word's plain
// key (no custom needed). The ways Chinese transcribers hear Western spellings: j as y (Jan =
// 扬 yang), v as f (Yvon = 伊馮), an initial s as shi (Smith = 史密斯)... Each custom applies
// where the word needs it and not elsewhere (Jogis = 約吉斯: j as y, the final s written), and a
// spelling may have several (ch as ch or as sh). A rule may count for more than one custom
// (cost=N: j as y counts for two). "jan", "AN" -> 2; "smith", "XMS" -> 2 (s as shi,
// th as s); "maria", "ML" -> -1 (the plain key). Compared only with Han parts (similarity.h,
// made per comparison); not a blocking key.
int CustomRulesToKey(std::string_view ascii_word, std::string_view target, int max_customs);

// The key of a toneless pinyin word with j and q read as the g and k they write in Western
// names before i and ü (吉达 jida = Gita, 加爾 jiaer = Gál, 琦 qi = Ki) and x as s: "jida" ->
// "KT". Empty when the word has no j or q. Compared only with parts in other scripts
// (similarity.h, made per comparison); not a blocking key.
std::string WesternPinyinKey(std::string_view pinyin);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_CUSTOM_KEYS_H_
