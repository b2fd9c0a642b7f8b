#include "names/chinese_variants.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"

namespace izde::names {
namespace {

// The weight of the n-th alternative of a unit: the first is what most registries write, the
// later ones are still common. A variant scores the product of its units' weights.
constexpr std::array<double, 4> kRankWeight = {1.0, 0.7, 0.5, 0.4};
// The weight of reading an h between vowels as not written at all.
constexpr double kDroppedH = 0.6;
// Candidates kept per part and per name while combining units (beam search).
constexpr size_t kBeam = 12;

struct Candidate {
  std::string text;
  double score = 1.0;
};
using Candidates = std::vector<Candidate>;

struct Table {
  std::unordered_map<std::string, Candidates> words, prefixes, suffixes, syllables, codas;
  size_t longest_prefix = 0;
  size_t longest_suffix = 0;
};

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The ASCII word in the spelling the table uses: one letter or digraph per sound, as the
// table's header describes ("serikzhan" -> "serikjan", "toxti" -> "tohti", "abbas" -> "abas").
std::string Canonical(std::string_view ascii) {
  std::string out;
  for (size_t index = 0; index < ascii.size(); ++index) {
    const char c = ascii[index];
    const char next = index + 1 < ascii.size() ? ascii[index + 1] : '\0';
    if (c < 'a' || c > 'z') continue;
    char mapped = c;
    if ((c == 'z' && next == 'h') || (c == 'k' && next == 'h') || (c == 'g' && next == 'h')) {
      mapped = c == 'z' ? 'j' : c == 'k' ? 'h' : 'g';
      ++index;
    } else if (c == 'x') {
      mapped = 'h';
    } else if (c == 'c' && next != 'h') {
      mapped = 'j';
    } else if (c == 'v') {
      mapped = 'w';
    } else if (c == 'y' && !out.empty() && !IsVowel(out.back()) && !IsVowel(next)) {
      mapped = 'i';  // Kazakh ы in English spelling: Kasym, Bakhyt
    }
    // A doubled consonant is written once in Chinese (Abbas -> 阿巴斯).
    if (!out.empty() && out.back() == mapped && !IsVowel(mapped)) continue;
    out.push_back(mapped);
  }
  return out;
}

Candidates ParseAlternatives(std::string_view field) {
  Candidates alternatives;
  while (!field.empty()) {
    const size_t space = field.find(' ');
    std::string_view item = field.substr(0, space);
    field = space == std::string_view::npos ? std::string_view() : field.substr(space + 1);
    if (item.empty()) continue;
    if (item == "\"\"") item = {};
    const size_t rank = std::min(alternatives.size(), kRankWeight.size() - 1);
    alternatives.push_back({std::string(item), kRankWeight[rank]});
  }
  return alternatives;
}

Table ParseTable() {
  Table table;
  internal::ForEachTableLine(internal::kTurkicChineseVariants, [&table](std::string_view line) {
    if (line.empty() || line.front() == '#') return;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = line.find('\t', tab1 + 1);
    if (tab1 == std::string_view::npos || tab2 == std::string_view::npos) return;
    const std::string_view kind = line.substr(0, tab1);
    // Keys in the spelling words are looked up in (doubled consonants once, zh -> j...).
    std::string latin = Canonical(line.substr(tab1 + 1, tab2 - tab1 - 1));
    Candidates alternatives = ParseAlternatives(line.substr(tab2 + 1));
    if (kind == "word") {
      table.words[latin] = std::move(alternatives);
    } else if (kind == "prefix") {
      table.longest_prefix = std::max(table.longest_prefix, latin.size());
      table.prefixes[latin] = std::move(alternatives);
    } else if (kind == "suffix") {
      table.longest_suffix = std::max(table.longest_suffix, latin.size());
      table.suffixes[latin] = std::move(alternatives);
    } else if (kind == "syllable") {
      table.syllables[latin] = std::move(alternatives);
    } else if (kind == "coda") {
      table.codas[latin] = std::move(alternatives);
    }
  });
  return table;
}

const Table& GetTable() {
  static const Table table = ParseTable();
  return table;
}

// Splits a canonical word into sounds: vowels, consonants and the digraphs sh ch ng.
std::vector<std::string> Sounds(std::string_view word) {
  std::vector<std::string> sounds;
  for (size_t index = 0; index < word.size(); ++index) {
    if (index + 1 < word.size() && (word[index] == 's' || word[index] == 'c') &&
        word[index + 1] == 'h') {
      sounds.emplace_back(word.substr(index, 2));
      ++index;
    } else {
      sounds.emplace_back(1, word[index]);
    }
  }
  return sounds;
}

bool IsVowelSound(const std::string& sound) { return sound.size() == 1 && IsVowel(sound[0]); }

// Appends the alternatives of one unit to every candidate, keeping the kBeam best.
void Extend(Candidates& candidates, const Candidates& unit) {
  Candidates next;
  for (const Candidate& candidate : candidates) {
    for (const Candidate& alternative : unit) {
      next.push_back({candidate.text + alternative.text, candidate.score * alternative.score});
    }
  }
  std::stable_sort(next.begin(), next.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (next.size() > kBeam) next.resize(kBeam);
  candidates = std::move(next);
}

// Syllable by syllable: onset + vowel (+ n or ng when no vowel follows) is one character; a
// consonant with no vowel after it is a character of its own (Nurlan: nu-r-lan -> 努尔兰).
// Returns false when a sound has no entry (a letter the table does not know).
bool Syllabify(std::string_view word, Candidates& candidates) {
  const Table& table = GetTable();
  const std::vector<std::string> sounds = Sounds(word);
  size_t index = 0;
  while (index < sounds.size()) {
    std::string syllable;
    size_t end = index;
    if (IsVowelSound(sounds[index])) {
      syllable = sounds[index];
      end = index + 1;
    } else if (index + 1 < sounds.size() && IsVowelSound(sounds[index + 1])) {
      syllable = sounds[index] + sounds[index + 1];
      end = index + 2;
    }
    if (syllable.empty()) {
      auto coda = table.codas.find(sounds[index]);
      if (coda == table.codas.end()) return false;
      Extend(candidates, coda->second);
      ++index;
      continue;
    }
    // A closing n (or ng) joins the syllable when the table has it: lan 兰, jan 江.
    if (end < sounds.size() && sounds[end] == "n" &&
        (end + 1 == sounds.size() || !IsVowelSound(sounds[end + 1]))) {
      const bool ng = end + 1 < sounds.size() && sounds[end + 1] == "g" &&
                      (end + 2 == sounds.size() || !IsVowelSound(sounds[end + 2]));
      auto closed = table.syllables.find(syllable + "n");
      if (closed != table.syllables.end()) {
        Extend(candidates, closed->second);
        index = end + (ng ? 2 : 1);
        continue;
      }
    }
    auto open_syllable = table.syllables.find(syllable);
    if (open_syllable == table.syllables.end()) {
      // An onset the table lacks before this vowel: the onset alone, then the vowel.
      auto coda = table.codas.find(sounds[index]);
      if (coda == table.codas.end() || syllable.size() == 1) return false;
      Extend(candidates, coda->second);
      ++index;
      continue;
    }
    Candidates unit = open_syllable->second;
    // Between vowels h is often not written (Rehim -> 热依木, Mahinur -> 玛依努尔): the bare vowel,
    // written with its second character (依, not the word-initial 伊), is a lesser alternative.
    if (sounds[index] == "h" && index > 0 && IsVowelSound(sounds[index - 1])) {
      // Here end == index + 2: sounds[index + 1] is the vowel.
      auto bare = table.syllables.find(sounds[index + 1]);
      if (bare != table.syllables.end()) {
        const Candidate& vowel = bare->second.size() > 1 ? bare->second[1] : bare->second[0];
        unit.push_back({vowel.text, kDroppedH});
      }
    }
    Extend(candidates, unit);
    index = end;
  }
  return true;
}

// The candidates of one name part, best first; empty when the part cannot be read.
Candidates PartVariants(std::string_view ascii) {
  const Table& table = GetTable();
  const std::string word = Canonical(ascii);
  if (word.empty()) return {};
  if (auto found = table.words.find(word); found != table.words.end()) return found->second;
  Candidates candidates = {{"", 1.0}};
  std::string_view rest = word;
  // The longest listed prefix followed by a consonant (gul-nar, abdu-rehim; not gul-am).
  for (size_t length = std::min(table.longest_prefix, rest.size() - 1); length > 0; --length) {
    auto found = table.prefixes.find(std::string(rest.substr(0, length)));
    if (found != table.prefixes.end() && !IsVowel(rest[length])) {
      Extend(candidates, found->second);
      rest.remove_prefix(length);
      break;
    }
  }
  Candidates suffix;
  for (size_t length = std::min(table.longest_suffix, rest.size() - 1); length > 0; --length) {
    auto found = table.suffixes.find(std::string(rest.substr(rest.size() - length)));
    if (found != table.suffixes.end()) {
      suffix = found->second;
      rest.remove_suffix(length);
      break;
    }
  }
  if (auto found = table.words.find(std::string(rest)); found != table.words.end()) {
    Extend(candidates, found->second);
  } else if (!Syllabify(rest, candidates)) {
    return {};
  }
  if (!suffix.empty()) Extend(candidates, suffix);
  return candidates;
}

}  // namespace

std::vector<ChineseVariant> ChineseVariants(const NameAnalysis& analysis, size_t max_variants) {
  if (analysis.script == "han" || max_variants == 0) return {};
  Candidates whole = {{"", 1.0}};
  bool any = false;
  for (const NameAnalysis::Part& part : analysis.parts) {
    if (part.role == "initial" || part.role == "honorific") continue;
    // A patronymic or a Russian-style surname is written in China as the father's name itself
    // (Nurlanuly -> 努尔兰, Abdullayev -> 阿不都拉).
    Candidates variants = PartVariants(part.stem.empty() ? part.ascii : part.stem);
    // A part made only of droppable sounds ("h") would vanish; it cannot be written.
    std::erase_if(variants, [](const Candidate& variant) { return variant.text.empty(); });
    if (variants.empty()) return {};
    if (any) {
      for (Candidate& variant : variants) variant.text.insert(0, "·");
    }
    Extend(whole, variants);
    any = true;
  }
  if (!any) return {};
  std::vector<ChineseVariant> result;
  for (Candidate& name : whole) {
    if (result.size() >= max_variants) break;
    const bool seen = std::any_of(result.begin(), result.end(),
                                  [&](const ChineseVariant& v) { return v.text == name.text; });
    if (!seen) result.push_back({std::move(name.text), name.score});
  }
  return result;
}

}  // namespace izde::names
