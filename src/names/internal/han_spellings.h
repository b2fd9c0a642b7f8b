#ifndef IZDE_NAMES_INTERNAL_HAN_SPELLINGS_H_
#define IZDE_NAMES_INTERNAL_HAN_SPELLINGS_H_

#include <string_view>

namespace izde::names::internal {

// How well a Latin word (lower-case ASCII) reads as the Latin spelling of a Han part, in [0, 1],
// by the learned table data/translit/zh_latn_spellings.txt (scripts/learn-han-spellings: per
// character, its common Latin spellings with probabilities, learned from Wikidata token pairs):
// the cheapest segmentation of the word into one spelling per character (cost -ln p; the
// character's pinyin reading, where the table lacks it, at a fixed cost; a Latin letter written
// by no character at a fixed cost), and the similarity exp(-cost / letters / 8): the
// geometric mean probability per letter, softened. 0 where either side is empty or longer than
// it handles (24 characters, 48 letters); a character with neither row nor reading writes nothing.
// "schmidt" ~ 施密特 = 0.925, ~ 马丁 = 0.617; "marcella" ~ 瑪賽拉 = 0.901.
// `at_least`: a caller that needs only scores of at least this gets 0 for any lower one, sooner
// (the dynamic programming stops once every way so far costs more than the score allows).
// Thread safety: may run concurrently.
double HanSpellingSimilarity(std::string_view han_text, std::string_view latin_ascii,
                             double at_least = 0.0);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_HAN_SPELLINGS_H_
