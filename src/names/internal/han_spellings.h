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

// Whether every character of a Han part is one of the engine's Turkic tables: read by the rules
// of data/translit/zh_turkic_latn.txt or used by the customary transcriptions of
// data/translit/zh_turkic_variants.txt (买买提, 吐尔逊, 古丽, 艾散): a transcription of a Uyghur or
// Kazakh name, most likely. False for an empty part. Thread safety: may run concurrently.
bool ReadsAsTurkic(std::string_view han_text);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_HAN_SPELLINGS_H_
