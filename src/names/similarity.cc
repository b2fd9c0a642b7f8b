#include "names/similarity.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "names/internal/custom_keys.h"
#include "names/internal/han_pinyin.h"
#include "names/internal/han_spellings.h"
#include "names/internal/han_vowels.h"
#include "names/keys.h"

namespace izde::names {
namespace {

// Whether a part's text is Chinese characters. A part with a pinyin reading (alt_ascii) is a
// Han part or a Chinese name in Palladius Cyrillic; the index rebuilds both without their text.
bool IsHanText(std::string_view text) {
  if (text.empty()) return false;
  size_t index = 0;
  return internal::NextCodePoint(text, index) >= 0x2E80;  // CJK radicals onwards
}

// A part read as Han: a pinyin reading and Chinese characters, or no text at all (the index
// rebuilds parts without it). A Chinese name in Palladius Cyrillic with its text is read both
// as Cyrillic (its Russian reading, against a Han part as any other script) and by its pinyin.
bool IsHan(const NameAnalysis::Part& part) {
  return !part.alt_ascii.empty() && (part.text.empty() || IsHanText(part.text));
}

// The last keys this thread made from a text with Make. In a search the query's parts meet
// the parts of fifty candidates, many of them namesakes: the same words are respelled again
// and again, and each respelling allocates. The reference stays valid until eight more
// texts have been respelled by the same Make.
template <std::string (*Make)(std::string_view)>
const std::string& Respelled(std::string_view text) {
  struct Entry {
    std::string text;
    std::string key;
    bool set = false;
  };
  thread_local std::array<Entry, 8> entries;
  thread_local size_t next = 0;
  for (const Entry& entry : entries) {
    if (entry.set && entry.text == text) return entry.key;
  }
  Entry& entry = entries[next];
  next = (next + 1) % entries.size();
  entry.text.assign(text);
  entry.key = Make(text);
  entry.set = true;
  return entry.key;
}

// Alignment is exact (dynamic programming over subsets of right parts) up to this many parts;
// longer names keep their first parts.
constexpr size_t kMaxAlignedParts = 8;

struct PartScore {
  double score = 0;
  const char* basis = "spelling";
};

double KeyConfidence(std::string_view key) {
  // Equal keys say more the longer they are: "TT" is shared by Tohti and Dawut.
  return 0.9 + 0.025 * static_cast<double>(std::min<size_t>(key.size(), 4));
}

PartScore ScoreReadings(std::string_view left_ascii, const std::string& left_key,
                        std::string_view right_ascii, const std::string& right_key) {
  PartScore best{JaroWinkler(left_ascii, right_ascii), "spelling"};
  if (!left_key.empty() && left_key == right_key) {
    // The spelling still counts a little, so that equal keys do not tie.
    const double keyed = KeyConfidence(left_key) - 0.05 * (1.0 - best.score);
    if (keyed > best.score) best = {keyed, "same key"};
  }
  return best;
}

// Chinese transcription blurs some consonant classes into each other: pinyin j and q stand for
// k and g before i (基 ji = ki), ch and j; x for s and sh; s for th (凯瑟琳 = Kathleen); m and n
// close syllables alike.
bool Confusable(char left, char right) {
  auto is_pair = [&](char first, char second) {
    return (left == first && right == second) || (left == second && right == first);
  };
  return is_pair('J', 'K') || is_pair('J', 'S') || is_pair('J', 'X') || is_pair('S', 'X') ||
         is_pair('S', 'T') || is_pair('M', 'N');
}

// Edit costs in twentieths, so that the table is of integers. What leaving a class out costs:
// syllable-final r and l are often not written (Reuter -> 罗伊特, 0.4), and a leading vowel
// comes and goes with pinyin's y and w (Odette -> 歐黛, 0.5).
constexpr int kCostUnits = 20;
int IndelCost(char sound_class) {
  if (sound_class == 'L') return 8;
  if (sound_class == 'A') return 10;
  return kCostUnits;
}

// What writing one class for another costs: the confusable classes above 0.35; a leading vowel
// for J 0.5, because pinyin y writes the j of German, Dutch and Latin names (Josephus ->
// 约瑟夫斯 yuesefusi, key ASBS against JSBS); anything else a whole class.
int SwapCost(char a, char b) {
  if (a == b) return 0;
  if (Confusable(a, b)) return 7;
  if ((a == 'A' && b == 'J') || (a == 'J' && b == 'A')) return 10;
  return kCostUnits;
}

// Similarity of two keys in [0, 1]: one minus a weighted edit distance (confusable classes cost
// 0.35 to swap, see above) over the longer key's length. "SLTN" ~ "XLTN" = 0.91.
// Returns 0 as soon as the distance is sure to reach `cost_limit` (in twentieths): the rows'
// minima never decrease, so a row all at or above it ends the search.
double FuzzyKeySimilarity(std::string_view left, std::string_view right, int cost_limit) {
  constexpr size_t kMaxKey = 24;
  if (left.empty() || right.empty() || cost_limit <= 0) return 0.0;
  left = left.substr(0, kMaxKey);
  right = right.substr(0, kMaxKey);
  std::array<int, kMaxKey + 1> previous;
  std::array<int, kMaxKey + 1> current;
  previous[0] = 0;
  for (size_t right_idx = 0; right_idx < right.size(); ++right_idx) {
    previous[right_idx + 1] = previous[right_idx] + IndelCost(right[right_idx]);
  }
  for (size_t left_idx = 0; left_idx < left.size(); ++left_idx) {
    const char a = left[left_idx];
    const int delete_a = IndelCost(a);
    current[0] = previous[0] + delete_a;
    int row_min = current[0];
    for (size_t right_idx = 0; right_idx < right.size(); ++right_idx) {
      const char b = right[right_idx];
      const int swap = SwapCost(a, b);
      current[right_idx + 1] =
          std::min({previous[right_idx] + swap, previous[right_idx + 1] + delete_a,
                    current[right_idx] + IndelCost(b)});
      row_min = std::min(row_min, current[right_idx + 1]);
    }
    if (row_min >= cost_limit) return 0.0;
    std::copy_n(current.begin(), right.size() + 1, previous.begin());
  }
  const double longer = static_cast<double>(std::max(left.size(), right.size()));
  const double cost = static_cast<double>(previous[right.size()]) / kCostUnits;
  return std::max(0.0, 1.0 - cost / longer);
}

// A Han part against a part in another script, by fuzzy keys: its pinyin read as pinyin, and
// its Turkic reading, against the other part's key.
constexpr double kSimilarKeyWeight = 0.87;

// A Han part against a part in another script loses up to this much where the vowels of its
// characters' readings disagree with the other part's (internal/han_vowels.h): among the many
// Chinese names whose consonant keys equal a short Latin key, the vowels tell the right one.
// Hit@10 on Wikidata queries 0-999 by weight: 0 -> 0.861, 0.1 -> 0.879, 0.2 -> 0.881,
// 0.3 -> 0.879, 0.4 -> 0.878 (docs/names.md).
constexpr double kVowelWeight = 0.2;

// Part similarities at or below this are no evidence (Evidence below): fuzzy keys that cannot
// beat it are not computed, which spares most cross-script pairs of unrelated parts.
constexpr double kEvidenceFloor = 0.65;

// The edit cost (twentieths) below which keys of these lengths score more than `to_beat` once
// weighted by kSimilarKeyWeight.
int CostLimit(size_t left, size_t right, double to_beat) {
  const double longer = static_cast<double>(std::max(left, right));
  const double limit = (1.0 - to_beat / kSimilarKeyWeight) * longer * kCostUnits;
  return limit <= 0 ? 0 : static_cast<int>(std::ceil(limit));
}

PartScore ScoreHanKeys(const NameAnalysis::Part& han, const NameAnalysis::Part& other,
                       double to_beat) {
  if (other.key.empty() || IsHan(other)) return {0.0, "spelling"};
  to_beat = std::max(to_beat, kEvidenceFloor);
  if (kSimilarKeyWeight <= to_beat) return {0.0, "spelling"};
  double similarity =
      FuzzyKeySimilarity(han.key, other.key, CostLimit(han.key.size(), other.key.size(), to_beat));
  if (similarity < 1.0) {
    // Without x or q the pinyin key is alt_key, already made; with them, pinyin_key (made by
    // AnalyzeName; a part rebuilt without it gets it here).
    std::string_view pinyin_key = han.alt_key;
    if (!han.pinyin_key.empty()) {
      pinyin_key = han.pinyin_key;
    } else if (han.alt_ascii.find_first_of("xqc") != std::string::npos) {
      pinyin_key = Respelled<PinyinKey>(han.alt_ascii);
    }
    const double beat = std::max(to_beat, kSimilarKeyWeight * similarity);
    if (pinyin_key != han.key) {
      similarity = std::max(
          similarity, FuzzyKeySimilarity(pinyin_key, other.key,
                                         CostLimit(pinyin_key.size(), other.key.size(), beat)));
    }
  }
  // Equal keys under the pinyin reading count a little less than equal Turkic keys.
  return {kSimilarKeyWeight * similarity, "similar key"};
}

// What reading a Han part's customs into a Latin part costs where its keys then agree: a
// Latin r after a vowel left unwritten (KeyWithoutCodaR: Auber = 奥柏), pinyin j and q read as
// g and k (WesternPinyinKey: Gita = 吉达), each 0.05 off the equal-key score, so that an equal
// key read plainly still ranks first. Chinese hit@10 on Wikidata queries 0-999 by the r cost:
// 0.02 -> 0.898, 0.05 -> 0.899, 0.1 -> 0.899 (from 0.893); by the j cost after it: 0.02 ->
// 0.903, 0.05 -> 0.903, 0.1 -> 0.901 (docs/names.md).
constexpr double kCustomKeyCost = 0.05;

// The most customs (rules of data/translit/key_spellings.txt, most counting for one, j as y
// for two) one Latin word may need to agree with a Han key, each costing kCustomKeyCost.
// Chinese hit@10 on Wikidata queries 0-999, 1000-1999, 2000-2999, 4000-4999, 5000-5999 with
// two: 0.913, 0.897, 0.890, 0.889, 0.886; three: 0.914, 0.897, 0.892, 0.890, 0.887 (with pinyin
// j as g and two more: 0.914, 0.898, 0.892, 0.891, 0.887; docs/names.md).
constexpr int kMaxCustoms = 3;

// Whether two keys are equal once their L classes are left out: what leaving out an r after a
// vowel can change (the vowel before it already ends a run of one class).
bool EqualWithoutL(std::string_view left, std::string_view right) {
  size_t left_idx = 0;
  size_t right_idx = 0;
  while (true) {
    while (left_idx < left.size() && left[left_idx] == 'L') ++left_idx;
    while (right_idx < right.size() && right[right_idx] == 'L') ++right_idx;
    if (left_idx == left.size() || right_idx == right.size()) {
      return left_idx == left.size() && right_idx == right.size();
    }
    if (left[left_idx++] != right[right_idx++]) return false;
  }
}

// A Han part against a part in another script by the keys of those customs (see above), made
// here, and only where they can agree: the Latin part's without its r only where the keys are
// equal once their L classes are left out; the Han part's with j as g only where its pinyin has
// j or q and the other key has a K (most pairs make neither: 7,463 instructions per comparison
// of names_bench_instructions SET 5 when both were always made, against 6,659 before them).
PartScore ScoreCustomKeys(const NameAnalysis::Part& han, const NameAnalysis::Part& other) {
  if (IsHan(other) || other.key.empty()) return {0.0, "spelling"};
  const bool has_r = other.ascii.find('r') != std::string::npos;
  int costs = 4;  // the fewest customs that make the keys agree; 4 for none
  std::string agreed;
  if (has_r && (EqualWithoutL(other.key, han.key) || EqualWithoutL(other.key, han.alt_key))) {
    std::string coda_r = Respelled<internal::KeyWithoutCodaR>(other.ascii);
    if (!coda_r.empty() && (coda_r == han.key || coda_r == han.alt_key)) {
      costs = 1;
      agreed = std::move(coda_r);
    }
  }
  // The pinyin read as pinyin (x as s, q as ch, c as ts: 裘德 qiude = Jude), equal to the other
  // key: as good a reading as the Turkic one, less a custom, where it differs from both keys.
  // (A loop of comparisons: find_first_of calls memchr per letter, a tenth of a comparison.)
  auto has_letter = [&han](char first_letter, char second_letter, char third_letter) {
    for (char c : han.alt_ascii) {
      if (c == first_letter || c == second_letter || c == third_letter) return true;
    }
    return false;
  };
  if (costs == 4 && (!han.pinyin_key.empty() || has_letter('x', 'q', 'c'))) {
    std::string_view pinyin_key = han.pinyin_key;
    if (pinyin_key.empty()) pinyin_key = Respelled<PinyinKey>(han.alt_ascii);
    if (pinyin_key == other.key) {
      costs = 1;
      agreed = other.key;
    }
  }
  const bool has_jq = has_letter('j', 'q', 'q');
  std::string western;
  if (costs == 4 && other.key.find('K') != std::string::npos && has_jq) {
    western = Respelled<internal::WesternPinyinKey>(han.alt_ascii);
    if (western == other.key) {
      costs = 1;
      agreed = western;
    } else if (has_r && EqualWithoutL(other.key, western) &&
               western == Respelled<internal::KeyWithoutCodaR>(other.ascii)) {
      costs = 2;
      agreed = western;
    }
  }
  // The Latin part read with the custom spelling rules (data/translit/key_spellings.txt: j as
  // y, Jan = 扬; v as f, Yvon = 伊馮...), each where the word needs it, against the Han part's
  // keys (kCustomKeyCost a custom), and against its pinyin j as g (one custom more).
  // internal::CustomRulesToKey follows the word's readings along the Han key and stops where
  // they leave it, most pairs within a letter or two.
  if (costs == 4) {
    // Each Han key at most once; one class (Joi read as y: A) is shared by too many Chinese
    // names to be evidence. Keys longer by more than two classes are not followed (a custom
    // adds at most one class: x as ks, kh as k, v as f).
    std::array<std::string_view, 4> targets;
    size_t target_count = 0;
    auto add_target = [&](std::string_view key) {
      // A key equal to the plain one already scores as equal keys (ScoreReadings).
      if (key.size() < 2 || key.size() > other.key.size() + 2 || key == other.key) return;
      for (size_t idx = 0; idx < target_count; ++idx) {
        if (targets[idx] == key) return;
      }
      targets[target_count++] = key;
    };
    add_target(han.key);
    add_target(han.alt_key);
    add_target(han.pinyin_key);
    for (size_t idx = 0; idx < target_count && costs > 1; ++idx) {
      const int customs = internal::CustomRulesToKey(other.ascii, targets[idx], kMaxCustoms);
      if (customs > 0 && customs < costs) {
        costs = customs;
        agreed = std::string(targets[idx]);
      }
    }
    if (costs > 2 && has_jq) {
      if (western.empty()) western = Respelled<internal::WesternPinyinKey>(han.alt_ascii);
      if (western.size() >= 2) {
        const int customs = internal::CustomRulesToKey(other.ascii, western, kMaxCustoms - 1);
        if (customs > 0 && 1 + customs < costs) {
          costs = 1 + customs;
          agreed = western;
        }
      }
    }
  }
  if (costs == 4) return {0.0, "spelling"};
  return {KeyConfidence(agreed) - kCustomKeyCost * costs, "same key by custom"};
}

// How the learned spelling similarity of a Han part and a part in another script
// (internal::HanSpellingSimilarity, `learned`) moves their score: `learned` + kLearnedOffset
// (the learned similarity of true pairs runs 0.75-0.9 where the hand rules' equal keys give
// 0.95-1) pulls the score kLearnedRaise of the way up where it is higher; it raises nothing
// below kLearnedRaiseFloor (an alignment that leaves most letters to no character: Bakhyt ~
// 阿合买提 0.75). Where it is lower it pulls the score kLearnedLower of the way down, unless every
// character is one of the Turkic tables' (internal::ReadsAsTurkic): the table is learned from
// Western names, and reads a Uyghur or Kazakh transcription (加克斯勒克 Zhaksylyk, 买买提) as a
// Western one. Fitted on Wikidata Chinese queries 0-999 with the golden comparisons kept
// (docs/names.md): hit@1/@10 0.659/0.914 before; raise = lower = 0.5 with no offset and no floor
// 0.812/0.946, but five golden verdicts lost (Coolidge ~ 柯立芝, Rahile Dawut ~ 热依拉·达吾提...);
// raise 0.5, lower 0.3, offset 0.16, floor 0.76: 0.807/0.943. Raise only (1 December): 0.799/0.943;
// lower 0.2/0.3/0.4/0.5 outside Turkic characters: 0.811, 0.813, 0.811, 0.810 / 0.943 (0.4 and 0.5
// lose Voegele ~ 芙格麗; all four Goethe ~ 歌德); lowering Turkic transcriptions too 0.830/0.943.
constexpr double kLearnedOffset = 0.16;
constexpr double kLearnedRaise = 0.5;
constexpr double kLearnedLower = 0.3;
constexpr double kLearnedRaiseFloor = 0.76;
// The score at or below which even a whole raise stays at or below kEvidenceFloor (0.3).
constexpr double kLearnedUseless = (kEvidenceFloor - kLearnedRaise) / (1.0 - kLearnedRaise);
// A part of at least kLearnedAloneLetters letters that reads as the Han part's learned spellings
// at kLearnedAlone or better scores at least learned + kLearnedAloneOffset, whatever the hand
// rules said (deutsch ~ 多伊奇: no key agrees). Random pairs of names rarely read above 0.8
// (schmidt ~ 马丁 0.62). Wikidata Chinese queries 0-999, hit@1/@10 (docs/names.md): 0.807/0.943
// without; floor 0.80/0.84/0.88 with no offset 0.812/0.943, 0.813/0.943, 0.812/0.943; floor 0.84
// with offset 0.05/0.1 0.830/0.943, 0.826/0.943; 6 letters 0.826/0.943; floor 0.78 with offset
// 0.05 0.825/0.942. No golden "different" verdict changes.
constexpr double kLearnedAlone = 0.84;
constexpr double kLearnedAloneOffset = 0.05;
constexpr size_t kLearnedAloneLetters = 4;

double BlendLearned(double score, double learned, std::string_view han_text) {
  score = std::max(score, 0.0);
  const double target = std::min(1.0, learned + kLearnedOffset);
  if (target > score) {
    return learned < kLearnedRaiseFloor ? score : score + kLearnedRaise * (target - score);
  }
  if (target == score || internal::ReadsAsTurkic(han_text)) return score;
  return score + kLearnedLower * (target - score);
}

PartScore ScoreParts(const NameAnalysis::Part& left, const NameAnalysis::Part& right) {
  if (left.role == "initial" || right.role == "initial") {
    const bool same =
        !left.ascii.empty() && !right.ascii.empty() && left.ascii.front() == right.ascii.front();
    return {same ? 0.9 : 0.0, "initial"};
  }
  PartScore best = ScoreReadings(left.ascii, left.key, right.ascii, right.key);
  // Han parts carry a pinyin reading besides the Turkic one; the better reading counts.
  auto consider = [&best](PartScore candidate) {
    if (candidate.score > best.score) best = candidate;
  };
  if (!left.alt_ascii.empty()) {
    consider(ScoreReadings(left.alt_ascii, left.alt_key, right.ascii, right.key));
  }
  if (!right.alt_ascii.empty()) {
    consider(ScoreReadings(left.ascii, left.key, right.alt_ascii, right.alt_key));
  }
  // A Chinese name in Palladius Cyrillic carries its pinyin too (internal/palladius.h): against
  // a Han part the two pinyin readings meet (Цзюнь ~ 俊: jun ~ jun, where the Russian and the
  // Turkic readings are tszyun and jun, and 学 reads shue by the Turkic rules).
  if (!left.alt_ascii.empty() && !right.alt_ascii.empty() &&
      !(IsHanText(left.text) && IsHanText(right.text))) {
    consider(ScoreReadings(left.alt_ascii, left.alt_key, right.alt_ascii, right.alt_key));
  }
  const bool left_han = IsHan(left);
  const bool right_han = IsHan(right);
  if (left_han != right_han) {
    consider(left_han ? ScoreCustomKeys(left, right) : ScoreCustomKeys(right, left));
  }
  if (best.score < kSimilarKeyWeight) {
    if (left_han) consider(ScoreHanKeys(left, right, best.score));
    if (right_han) consider(ScoreHanKeys(right, left, best.score));
  }
  // A Han part against a part in another script.
  if (left_han != right_han) {
    const NameAnalysis::Part& han = left_han ? left : right;
    const NameAnalysis::Part& other = left_han ? right : left;
    // Vowels that disagree with the characters' readings cost up to kVowelWeight
    // (data/translit/zh_vowels.txt).
    if (best.score > kEvidenceFloor) {
      best.score -= kVowelWeight * (1.0 - internal::HanVowelAgreement(han.text, other.ascii));
    }
    // The learned spellings of its characters (data/translit/zh_latn_spellings.txt) move the
    // score towards how well the other part reads as them (BlendLearned); a high learned score
    // counts on its own (kLearnedAlone), also where no hand rule agreed. Below kLearnedUseless
    // no blend reaches kEvidenceFloor, so only scores of kLearnedAlone and more are asked for
    // there, and the dynamic programming stops early. A Han part rebuilt without its characters
    // (the match layer's candidate index keeps readings and keys, not the text) has no learned
    // score: its 0 would read as "the other part spells none of them" and, once any blend
    // lowers, pull every such part down (the demo's cross-script queries, docs/names.md).
    double learned = 0;
    if (han.text.empty()) {
      // No characters to read: the hand rules' score stands.
    } else if (best.score > kLearnedUseless) {
      learned = internal::HanSpellingSimilarity(han.text, other.ascii);
      const double blended = BlendLearned(best.score, learned, han.text);
      if (blended > best.score) best.basis = "learned spelling";
      best.score = blended;
    } else if (other.ascii.size() >= kLearnedAloneLetters) {
      learned = internal::HanSpellingSimilarity(han.text, other.ascii, kLearnedAlone);
    }
    if (other.ascii.size() >= kLearnedAloneLetters && learned >= kLearnedAlone &&
        learned + kLearnedAloneOffset > best.score) {
      best = {std::min(1.0, learned + kLearnedAloneOffset), "learned spelling"};
    }
  }
  // "Nurlanuly" against the father's name "Nurlan".
  auto stem_score = [](const NameAnalysis::Part& with_stem, const NameAnalysis::Part& plain) {
    if (with_stem.stem.empty()) return 0.0;
    double score = 0.95 * JaroWinkler(with_stem.stem, plain.ascii);
    if (!with_stem.stem_key.empty() && with_stem.stem_key == plain.key) {
      score = std::max(score, 0.95 * KeyConfidence(with_stem.stem_key));
    }
    return score;
  };
  if (left.stem.empty() != right.stem.empty()) {
    const double stem = left.stem.empty() ? stem_score(right, left) : stem_score(left, right);
    if (stem > best.score) best = {stem, "patronymic stem"};
  }
  return best;
}

// ScoreParts, read from `memo` where both parts are numbered and it has them, else kept there.
PartScore ScorePartsWith(const NameAnalysis::Part& left, const NameAnalysis::Part& right,
                         PartScoreMemo* memo) {
  if (memo == nullptr || left.memo_id == 0 || right.memo_id == 0) {
    return ScoreParts(left, right);
  }
  PartScore score;
  if (memo->Get(left.memo_id, right.memo_id, score.score, score.basis)) return score;
  score = ScoreParts(left, right);
  memo->Put(left.memo_id, right.memo_id, score.score, score.basis);
  return score;
}

// Siblings share a father's name and a surname: those parts weigh less than a given name.
// Roles are PartRoleName()s, which differ in their first letter: "honorific", "initial",
// "patronymic", "father", "surname", "given", "unknown" (comparing whole strings was an eighth
// of a comparison, callgrind).
double Weight(const NameAnalysis::Part& part) {
  switch (part.role.empty() ? '\0' : part.role.front()) {
    case 'h':
      return 0.2;
    case 'i':
      return 0.5;
    case 'p':
    case 'f':
      return 0.7;
    case 's':
      return 0.8;
    default:
      return 1.0;
  }
}

// Similarity below 0.65 is no evidence at all (unrelated names sharing a first letter or two
// reach 0.6-0.7 on Jaro-Winkler: bakhyt ~ bauyrzhan 0.70); above it, rescaled to [0, 1].
// Hand-set on a few cases: to be fitted on labelled pairs (match layer, EM).
double Evidence(double similarity) {
  return std::max(0.0, (similarity - kEvidenceFloor) / (1.0 - kEvidenceFloor));
}

}  // namespace

double JaroWinkler(std::string_view left, std::string_view right) {
  if (left.empty() && right.empty()) return 1.0;
  if (left.empty() || right.empty()) return 0.0;
  // Bit-parallel, with the matches of the classic loop (each left letter takes the first
  // unmatched equal right letter in its window, left to right): `positions[c]` has bit i set
  // where right[i] == c, so a left letter finds its partner with a mask and a count of
  // trailing zeros instead of a scan of its window. The table stays with the thread and only
  // the right string's letters are set and cleared (no 2 KB cleared per call). Jaro-Winkler
  // was a fifth of the samples of `izde dedupe` (docs/dedupe.md).
  const size_t window = std::max(left.size(), right.size()) / 2;
  const size_t match_window = window > 0 ? window - 1 : 0;
  const size_t left_size = std::min<size_t>(left.size(), 64);
  const size_t right_size = std::min<size_t>(right.size(), 64);
  thread_local std::array<uint64_t, 256> positions{};
  for (size_t right_idx = 0; right_idx < right_size; ++right_idx) {
    positions[static_cast<uint8_t>(right[right_idx])] |= uint64_t{1} << right_idx;
  }
  uint64_t left_matched = 0;
  uint64_t right_matched = 0;
  size_t matches = 0;
  for (size_t left_idx = 0; left_idx < left_size; ++left_idx) {
    const size_t begin = left_idx > match_window ? left_idx - match_window : 0;
    const size_t end = std::min(right_size, left_idx + match_window + 1);
    if (end <= begin) continue;
    const size_t width = end - begin;
    const uint64_t in_window = (width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1) << begin;
    const uint64_t free_equal =
        positions[static_cast<uint8_t>(left[left_idx])] & in_window & ~right_matched;
    if (free_equal == 0) continue;
    right_matched |= free_equal & (~free_equal + 1);  // the lowest: the first in the window
    left_matched |= uint64_t{1} << left_idx;
    ++matches;
  }
  for (size_t right_idx = 0; right_idx < right_size; ++right_idx) {
    positions[static_cast<uint8_t>(right[right_idx])] = 0;
  }
  if (matches == 0) return 0.0;
  // The matched letters of each side in order, pairwise: a differing pair is half a
  // transposition.
  size_t transpositions = 0;
  for (uint64_t left_bits = left_matched, right_bits = right_matched; left_bits != 0;
       left_bits &= left_bits - 1, right_bits &= right_bits - 1) {
    const auto left_idx = static_cast<size_t>(std::countr_zero(left_bits));
    const auto right_idx = static_cast<size_t>(std::countr_zero(right_bits));
    if (left[left_idx] != right[right_idx]) ++transpositions;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(left_size) + m / static_cast<double>(right_size) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < left_size && prefix < right_size && left[prefix] == right[prefix]) {
    ++prefix;
  }
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

namespace {

// CompareAnalyses' score; with `result`, also its part matches (in `result->matches`). Without
// it nothing is allocated: bulk scoring compares millions of pairs and reads the score alone.
// Below this score CompareAnalysesInto may stop early (a bound shows the score cannot reach
// `floor`, see there); the slack leaves the edge, where the bound's sums and the score's are
// rounded in another order, to the full comparison.
constexpr double kFloorSlack = 1e-9;

// CompareAnalyses' score; with `result`, also its part matches (in `result->matches`). Without
// it nothing is allocated: bulk scoring compares millions of pairs and reads the score alone.
// With `floor` above 0 (and no `result`), returns -1 as soon as the score is sure to stay
// below `floor`: after each part's scores against the other name's parts, the evidence is
// bounded by the best of each scored part and a whole part's for each part left, and the
// total weight from below by each part's lightest pairing and the lightest parts that must
// go missing.
double AlignParts(const NameAnalysis& left, const NameAnalysis& right,
                  const CompareOptions& options, NameComparison* result, double floor,
                  PartScoreMemo* memo) {
  if (result != nullptr) result->matches.reserve(left.parts.size() + right.parts.size());
  // Every part of the name with fewer parts is paired with one of the other's (a pair of unlike
  // parts is a conflict and costs a whole part); the other's leftover parts are missing.
  const bool left_shorter = left.parts.size() <= right.parts.size();
  const NameAnalysis& few = left_shorter ? left : right;
  const NameAnalysis& many = left_shorter ? right : left;
  const size_t few_count = std::min(few.parts.size(), kMaxAlignedParts);
  const size_t many_count = std::min(many.parts.size(), kMaxAlignedParts);
  // Weights and weighted evidence once per pair: the assignment below visits each pair up to
  // 2^8 times, and Weight() compares role strings (it was half the time of `izde name compare
  // --batch` on Wikidata names, callgrind).
  std::array<double, kMaxAlignedParts> few_weights;
  std::array<double, kMaxAlignedParts> many_weights;
  for (size_t few_idx = 0; few_idx < few_count; ++few_idx) {
    few_weights[few_idx] = Weight(few.parts[few_idx]);
  }
  for (size_t many_idx = 0; many_idx < many_count; ++many_idx) {
    many_weights[many_idx] = Weight(many.parts[many_idx]);
  }
  // The bound (see above): `evidence_bound` starts with a whole part's evidence for every few
  // part, each replaced by its best once its row is scored.
  const bool bounded = floor > 0 && result == nullptr && few_count > 0 && many_count > 0;
  double evidence_bound = 0;
  double weight_floor = 0;
  if (bounded) {
    std::array<double, kMaxAlignedParts> sorted_many = many_weights;
    std::sort(sorted_many.begin(), sorted_many.begin() + static_cast<std::ptrdiff_t>(many_count));
    const double lightest = sorted_many[0];
    const double heaviest = sorted_many[many_count - 1];
    for (size_t few_idx = 0; few_idx < few_count; ++few_idx) {
      evidence_bound += std::min(few_weights[few_idx], heaviest);
      weight_floor += std::min(few_weights[few_idx], lightest);
    }
    for (size_t missing_idx = 0; missing_idx < many_count - few_count; ++missing_idx) {
      weight_floor += options.missing_weight * sorted_many[missing_idx];
    }
    for (size_t part_idx = kMaxAlignedParts; part_idx < left.parts.size(); ++part_idx) {
      weight_floor += options.missing_weight * Weight(left.parts[part_idx]);
    }
    for (size_t part_idx = kMaxAlignedParts; part_idx < right.parts.size(); ++part_idx) {
      weight_floor += options.missing_weight * Weight(right.parts[part_idx]);
    }
  }
  std::array<std::array<PartScore, kMaxAlignedParts>, kMaxAlignedParts> scores;
  std::array<std::array<double, kMaxAlignedParts>, kMaxAlignedParts> pair_weights;
  std::array<std::array<double, kMaxAlignedParts>, kMaxAlignedParts> pair_evidence;
  for (size_t few_idx = 0; few_idx < few_count; ++few_idx) {
    double row_best = 0;
    double row_heaviest = 0;
    for (size_t many_idx = 0; many_idx < many_count; ++many_idx) {
      scores[few_idx][many_idx] =
          left_shorter ? ScorePartsWith(few.parts[few_idx], many.parts[many_idx], memo)
                       : ScorePartsWith(many.parts[many_idx], few.parts[few_idx], memo);
      pair_weights[few_idx][many_idx] = std::min(few_weights[few_idx], many_weights[many_idx]);
      pair_evidence[few_idx][many_idx] =
          pair_weights[few_idx][many_idx] * Evidence(scores[few_idx][many_idx].score);
      row_best = std::max(row_best, pair_evidence[few_idx][many_idx]);
      row_heaviest = std::max(row_heaviest, pair_weights[few_idx][many_idx]);
    }
    if (bounded) {
      evidence_bound += row_best - row_heaviest;
      if (evidence_bound < (floor - kFloorSlack) * weight_floor) return -1.0;
    }
  }
  auto pair_weight = [&](size_t few_idx, size_t many_idx) {
    return pair_weights[few_idx][many_idx];
  };
  // best[i * masks + mask]: the most weighted evidence from pairing few parts i.. with the many
  // parts not in mask (exact assignment, at most 8 x 2^8 states).
  // On the stack, only the rows in use initialised: two heap vectors were a third of the
  // instructions of a comparison (callgrind).
  const size_t masks = size_t{1} << many_count;
  std::array<double, (kMaxAlignedParts + 1) << kMaxAlignedParts> best;
  std::array<int, (kMaxAlignedParts + 1) << kMaxAlignedParts> choice;
  std::fill_n(best.begin(), (few_count + 1) * masks, 0.0);
  std::fill_n(choice.begin(), (few_count + 1) * masks, -1);
  for (size_t few_idx = few_count; few_idx-- > 0;) {
    for (size_t mask = 0; mask < masks; ++mask) {
      // Only states where each earlier few part took one many part are reached from mask 0.
      if (static_cast<size_t>(std::popcount(mask)) != few_idx) continue;
      double value = -1.0;
      int picked = -1;
      for (size_t many_idx = 0; many_idx < many_count; ++many_idx) {
        if ((mask >> many_idx) & 1U) continue;
        const double candidate = pair_evidence[few_idx][many_idx] +
                                 best[(few_idx + 1) * masks + (mask | (size_t{1} << many_idx))];
        if (candidate > value) {
          value = candidate;
          picked = static_cast<int>(many_idx);
        }
      }
      best[few_idx * masks + mask] = std::max(value, 0.0);
      choice[few_idx * masks + mask] = picked;
    }
  }
  // Partners on the stack (a comparison allocates only its result): parts past
  // kMaxAlignedParts have none.
  double evidence = 0;
  double total_weight = 0;
  std::array<int, kMaxAlignedParts> partner_of_few;
  std::array<int, kMaxAlignedParts> partner_of_many;
  partner_of_few.fill(-1);
  partner_of_many.fill(-1);
  size_t mask = 0;
  for (size_t few_idx = 0; few_idx < few_count; ++few_idx) {
    const int picked = choice[few_idx * masks + mask];
    if (picked < 0) continue;
    const auto many_idx = static_cast<size_t>(picked);
    mask |= size_t{1} << many_idx;
    partner_of_few[few_idx] = picked;
    partner_of_many[many_idx] = static_cast<int>(few_idx);
    const double weight = pair_weight(few_idx, many_idx);
    evidence += weight * Evidence(scores[few_idx][many_idx].score);
    total_weight += weight;
  }
  auto partner = [](const std::array<int, kMaxAlignedParts>& partners, size_t idx) {
    return idx < kMaxAlignedParts ? partners[idx] : -1;
  };
  auto add_missing = [&](int left_idx, int right_idx, double weight) {
    if (result != nullptr) result->matches.push_back({left_idx, right_idx, 0.0, "missing"});
    total_weight += options.missing_weight * weight;
  };
  // Left parts in order (with their partners), then the right parts left over.
  const std::array<int, kMaxAlignedParts>& partner_of_left =
      left_shorter ? partner_of_few : partner_of_many;
  const std::array<int, kMaxAlignedParts>& partner_of_right =
      left_shorter ? partner_of_many : partner_of_few;
  for (size_t left_idx = 0; left_idx < left.parts.size(); ++left_idx) {
    const int right_idx = partner(partner_of_left, left_idx);
    if (right_idx < 0) {
      add_missing(static_cast<int>(left_idx), -1, Weight(left.parts[left_idx]));
      continue;
    }
    if (result == nullptr) continue;
    const PartScore& score = left_shorter ? scores[left_idx][static_cast<size_t>(right_idx)]
                                          : scores[static_cast<size_t>(right_idx)][left_idx];
    result->matches.push_back({static_cast<int>(left_idx), right_idx, score.score, score.basis});
  }
  for (size_t right_idx = 0; right_idx < right.parts.size(); ++right_idx) {
    if (partner(partner_of_right, right_idx) < 0) {
      add_missing(-1, static_cast<int>(right_idx), Weight(right.parts[right_idx]));
    }
  }
  return total_weight > 0 ? std::clamp(evidence / total_weight, 0.0, 1.0) : 0.0;
}

// Chinese writes a Han name's surname and given name as one word (陈全国), which is one part;
// against the two parts of Chen Quanguo or Чэнь Цюаньго one of them then goes missing (0.57).
// So a name of one Han part is also compared with the other name's two or three parts joined
// as one part (in their order, and two of them also the other way round: Quanguo Chen). The
// joined part has no text: its characters, where it had any, are read as a Han part's are
// in the index. 0 where the names are not of that shape.
double JoinedScore(const NameAnalysis& one, const NameAnalysis& many, bool one_is_left) {
  if (one.parts.size() != 1 || many.parts.size() < 2 || many.parts.size() > 3 ||
      !IsHan(one.parts[0])) {
    return 0.0;
  }
  const NameAnalysis::Part& han = one.parts[0];
  double best = 0.0;
  const size_t orders = many.parts.size() == 2 ? 2 : 1;
  for (size_t order = 0; order < orders; ++order) {
    NameAnalysis::Part joined;
    joined.role = "given";
    bool all_pinyin = true;
    for (size_t idx = 0; idx < many.parts.size(); ++idx) {
      const NameAnalysis::Part& part = many.parts[order == 0 ? idx : many.parts.size() - 1 - idx];
      joined.ascii += part.ascii;
      joined.alt_ascii += part.alt_ascii;
      all_pinyin = all_pinyin && !part.alt_ascii.empty();
    }
    if (!all_pinyin) joined.alt_ascii.clear();
    // Only where a reading is spelt the same, letter for letter: read against a longer name a
    // one-part name is otherwise too easily a prefix of it (Zhang Wei ~ 张为民, Eli Hesen ~
    // 艾力), and keys, without vowels, join too loosely (jin + jinhua and 金俊 jinjun: JNJN).
    auto same = [](const std::string& a, const std::string& b) { return !a.empty() && a == b; };
    if (!same(joined.ascii, han.ascii) && !same(joined.ascii, han.alt_ascii) &&
        !same(joined.alt_ascii, han.alt_ascii) && !same(joined.alt_ascii, han.ascii)) {
      continue;
    }
    joined.key = TurkicKey(joined.ascii);
    if (!joined.alt_ascii.empty()) joined.alt_key = TurkicKey(joined.alt_ascii);
    const PartScore score = one_is_left ? ScoreParts(han, joined) : ScoreParts(joined, han);
    best = std::max(best, score.score);
  }
  return best;
}

double CompareAnalysesInto(const NameAnalysis& left, const NameAnalysis& right,
                           const CompareOptions& options, NameComparison* result,
                           double floor = 0.0, PartScoreMemo* memo = nullptr) {
  if (left.parts.size() != 1 && right.parts.size() != 1) {
    return AlignParts(left, right, options, result, floor, memo);
  }
  const double joined = std::max(JoinedScore(left, right, true), JoinedScore(right, left, false));
  if (joined == 0.0) return AlignParts(left, right, options, result, floor, memo);
  const double aligned =
      AlignParts(left, right, options, result, joined >= floor ? 0.0 : floor, memo);
  if (aligned >= joined) return aligned;
  if (aligned < 0 && joined < floor) return aligned;
  if (result != nullptr) {
    // The Han part with the longer name's first part, then its other parts, which have no
    // partner of their own (each part listed once, left parts first).
    result->matches.clear();
    const bool left_one = left.parts.size() == 1;
    const size_t many = left_one ? right.parts.size() : left.parts.size();
    for (size_t idx = 0; idx < many; ++idx) {
      const int other = static_cast<int>(idx);
      const int one = idx == 0 ? 0 : -1;
      result->matches.push_back({left_one ? one : other, left_one ? other : one, joined, "joined"});
    }
  }
  return joined;
}

}  // namespace

NameComparison CompareAnalyses(const NameAnalysis& left, const NameAnalysis& right,
                               const CompareOptions& options) {
  NameComparison result;
  result.score = CompareAnalysesInto(left, right, options, &result);
  result.verdict = result.score >= options.same_threshold       ? "same"
                   : result.score >= options.possibly_threshold ? "possibly"
                                                                : "different";
  return result;
}

double CompareAnalysesScore(const NameAnalysis& left, const NameAnalysis& right,
                            const CompareOptions& options) {
  return CompareAnalysesInto(left, right, options, nullptr);
}

double CompareAnalysesScoreAtLeast(const NameAnalysis& left, const NameAnalysis& right,
                                   double floor, const CompareOptions& options) {
  return CompareAnalysesInto(left, right, options, nullptr, floor);
}

double CompareAnalysesScoreAtLeast(const NameAnalysis& left, const NameAnalysis& right,
                                   double floor, const CompareOptions& options,
                                   PartScoreMemo& memo) {
  return CompareAnalysesInto(left, right, options, nullptr, floor, &memo);
}

bool PartScoreMemo::Get(uint32_t left, uint32_t right, double& score, const char*& basis) const {
  const Kept* kept = scores_.Find(uint64_t{left} << 32 | right);
  if (kept == nullptr) return false;
  score = kept->score;
  basis = kept->basis;
  return true;
}

void PartScoreMemo::Put(uint32_t left, uint32_t right, double score, const char* basis) {
  scores_.At(uint64_t{left} << 32 | right) = {score, basis};
}

Result<NameComparison> CompareNames(std::string_view left, std::string_view right,
                                    const CompareOptions& options) {
  IZDE_ASSIGN_OR_RETURN(NameAnalysis left_analysis, AnalyzeName(left));
  IZDE_ASSIGN_OR_RETURN(NameAnalysis right_analysis, AnalyzeName(right));
  return CompareAnalyses(left_analysis, right_analysis, options);
}

}  // namespace izde::names
