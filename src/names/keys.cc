#include "names/keys.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "names/internal/custom_keys.h"
#include "names/internal/table_fields.h"
#include "names/internal/translit_rules.h"
#include "names/transliterate.h"

namespace izde::names {
namespace {

bool IsVowelLike(char c) {
  switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
    case 'w':
    case 'v':
      return true;
    default:
      return false;
  }
}

bool IsVowelLetter(char c) { return std::string_view("aeiouy").find(c) != std::string_view::npos; }

// A rule of data/translit/key_spellings.txt.
struct SpellingRule {
  std::string_view spelling;
  char sound_class = '\0';  // '\0' for a dropped sound, 'V' for a vowel
  char second_class = '\0';  // a second consonant class (x as KS), or '\0'
  std::string_view then;    // the rest of the word must be this (with `has_then`)
  bool has_then = false;
  std::string_view before;  // the next letter must be one of these, when not empty
  bool before_consonant = false;
  bool after_vowel = false;
  std::string_view after;  // the letter before must be one of these, when not empty
  bool at_start = false;   // the spelling must begin the word
  uint8_t cost = 1;        // what a custom counts for in CustomRulesToKey (cost=N)
  bool custom = false;     // a Chinese transcription custom: only in CustomRulesToKey
};

// The rules by their first letter, in the table's order: most letters have none, and a word's
// key is made at every analysis (trying every rule at every letter halved the analyses per
// second of Latin names, names_bench).
using RulesByLetter = std::array<std::vector<SpellingRule>, 128>;

RulesByLetter ParseSpellingRules() {
  RulesByLetter rules;
  for (const std::vector<std::string_view>& fields : internal::TableRows(internal::kKeySpellingRules, 2)) {
    SpellingRule rule;
    rule.spelling = fields[0];
    rule.sound_class = fields[1] == "-" ? '\0' : fields[1].front();
    if (fields[1].size() > 1) rule.second_class = fields[1][1];
    for (size_t idx = 2; idx < fields.size(); ++idx) {
      const std::string_view condition = fields[idx];
      if (condition.starts_with("then=")) {
        rule.then = condition.substr(5);
        rule.has_then = true;
      } else if (condition == "before=consonant") {
        rule.before_consonant = true;
      } else if (condition.starts_with("before=")) {
        rule.before = condition.substr(7);
      } else if (condition == "after=vowel") {
        rule.after_vowel = true;
      } else if (condition.starts_with("after=")) {
        rule.after = condition.substr(6);
      } else if (condition.starts_with("cost=") && condition.size() == 6) {
        rule.cost = static_cast<uint8_t>(condition[5] - '0');
      } else if (condition == "start") {
        rule.at_start = true;
      } else if (condition == "custom") {
        rule.custom = true;
      }
    }
    const auto first = static_cast<unsigned char>(rule.spelling.front());
    if (first < rules.size()) rules[first].push_back(rule);
  }
  return rules;
}

bool Applies(const SpellingRule& rule, std::string_view word, size_t index) {
  // Letter by letter: spellings are a few letters, and memcmp's call cost more (callgrind).
  if (index + rule.spelling.size() > word.size()) return false;
  for (size_t idx = 0; idx < rule.spelling.size(); ++idx) {
    if (word[index + idx] != rule.spelling[idx]) return false;
  }
  const size_t next = index + rule.spelling.size();
  if (rule.has_then && word.substr(next) != rule.then) return false;
  if (!rule.before.empty() &&
      (next >= word.size() || rule.before.find(word[next]) == std::string_view::npos)) {
    return false;
  }
  if (rule.before_consonant && next < word.size() && IsVowelLetter(word[next])) return false;
  if (rule.at_start && index != 0) return false;
  if (rule.after_vowel && (index == 0 || !IsVowelLetter(word[index - 1]))) return false;
  if (!rule.after.empty() &&
      (index == 0 || rule.after.find(word[index - 1]) == std::string_view::npos)) {
    return false;
  }
  return true;
}

const RulesByLetter& SpellingRules() {
  static const RulesByLetter rules = ParseSpellingRules();
  return rules;
}

// The rules not marked `custom`: what the plain key reads (TurkicKey runs at every analysis).
const RulesByLetter& PlainSpellingRules() {
  static const RulesByLetter rules = [] {
    RulesByLetter plain;
    const RulesByLetter& all = SpellingRules();
    for (size_t letter = 0; letter < all.size(); ++letter) {
      for (const SpellingRule& rule : all[letter]) {
        if (!rule.custom) plain[letter].push_back(rule);
      }
    }
    return plain;
  }();
  return rules;
}

// The class of the letter at `word[index]` when no spelling rule takes it: 'V' for a vowel,
// '\0' for a letter the key drops.
// Inlined: TurkicKey's loop calls it at every letter of every analysis (callgrind).
[[gnu::always_inline]] inline char LetterClass(std::string_view word, size_t index) {
  const char c = word[index];
  if (IsVowelLike(c)) return 'V';
  switch (c) {
    case 'b':
    case 'p':
    case 'f':
      return 'B';
    case 'd':
    case 't':
      return 'T';
    case 'c': {
      // Western spellings: c is k before a back vowel or a consonant (Carew, Clara), else s
      // (Cicero) or the Slavic ts (Pjanic).
      const char next = index + 1 < word.size() ? word[index + 1] : '\0';
      return std::string_view("aoulrt").find(next) != std::string_view::npos && next != '\0' ? 'K'
                                                                                             : 'S';
    }
    case 's':
    case 'z':
      return 'S';
    case 'j':
      return 'J';
    case 'k':
    case 'q':
    case 'g':
      return 'K';
    case 'l':
    case 'r':
      return 'L';
    case 'm':
      return 'M';
    case 'n':
      return 'N';
    default:
      return '\0';  // h, x, apostrophes, digits, anything else
  }
}

// The consonant class of the sound at `word[index]`, its length in `length`; '\0' for a sound
// that the key drops, 'V' for a vowel. The plain spelling rules of
// data/translit/key_spellings.txt first (not those marked `custom`), then the letter's own class.
[[gnu::always_inline]] inline char ClassAt(std::string_view word, size_t index, size_t& length) {
  static const RulesByLetter& rules = PlainSpellingRules();
  const auto letter = static_cast<unsigned char>(word[index]);
  for (const SpellingRule& rule : letter < rules.size() ? rules[letter] : rules[0]) {
    if (Applies(rule, word, index)) {
      length = rule.spelling.size();
      return rule.sound_class;
    }
  }
  length = 1;
  return LetterClass(word, index);
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// For each letter, the first classes of the custom rules that begin with it (bit c - 'A', 'A'
// for a vowel), all bits where one drops its sound: what a custom can make a word's key start
// with, whatever its conditions (a bound, for CustomRulesToKey's early exit).
std::array<uint32_t, 128> CustomFirstClasses() {
  std::array<uint32_t, 128> classes{};
  const RulesByLetter& rules = SpellingRules();
  for (size_t letter = 0; letter < rules.size(); ++letter) {
    for (const SpellingRule& rule : rules[letter]) {
      if (!rule.custom) continue;
      if (rule.sound_class == '\0') {
        classes[letter] = ~uint32_t{0};
      } else {
        const char first = rule.sound_class == 'V' ? 'A' : rule.sound_class;
        classes[letter] |= uint32_t{1} << (first - 'A');
      }
    }
  }
  return classes;
}

// Whether some reading of the word, plain or with customs, may make a key starting with
// `first_class`: the plain reading's first sound, or a custom at a letter before it.
bool MayStartWith(std::string_view ascii_word, char first_class) {
  static const std::array<uint32_t, 128> custom_first = CustomFirstClasses();
  if (first_class < 'A' || first_class > 'Z') return false;
  const uint32_t wanted = uint32_t{1} << (first_class - 'A');
  for (size_t index = 0; index < ascii_word.size();) {
    const auto letter = static_cast<unsigned char>(ascii_word[index]);
    if (letter < custom_first.size() && (custom_first[letter] & wanted) != 0) return true;
    size_t length = 1;
    const char sound_class = ClassAt(ascii_word, index, length);
    if (sound_class != '\0') return (sound_class == 'V' ? 'A' : sound_class) == first_class;
    index += length;
  }
  return false;
}

// One sound class of a word into its key, as TurkicKey makes it: a vowel counts only as the
// key's leading 'A' (and ends a run of consonants), a consonant only when it is not the class
// pushed just before it; '\0' (a silent letter) changes nothing. `seen` (a kept consonant or
// the leading vowel) and `previous` (the class last pushed, '\0' after a vowel) are the key's
// state; `push(class)` adds a class to the key and returns false to stop (CustomRulesToKey's
// readings end where the key leaves their target). Returns false where `push` did.
template <typename Push>
bool KeyStep(char sound_class, bool& seen, char& previous, Push push) {
  if (sound_class == '\0') return true;
  if (sound_class == 'V') {
    if (!seen && !push('A')) return false;
    seen = true;
    previous = '\0';
    return true;
  }
  seen = true;
  if (sound_class != previous && !push(sound_class)) return false;
  previous = sound_class;
  return true;
}

}  // namespace

std::string TurkicKey(std::string_view ascii_word) {
  std::string key;
  bool seen_sound = false;  // a kept consonant or the leading vowel
  char previous = '\0';     // class of the last consonant, reset by a vowel
  for (size_t index = 0; index < ascii_word.size();) {
    size_t length = 1;
    const char sound_class = ClassAt(ascii_word, index, length);
    index += length;
    KeyStep(sound_class, seen_sound, previous, [&key](char pushed) {
      key.push_back(pushed);
      return true;
    });
  }
  return key;
}

std::string PinyinKey(std::string_view pinyin) {
  std::string spelled;
  spelled.reserve(pinyin.size() + 4);
  for (size_t idx = 0; idx < pinyin.size(); ++idx) {
    const char c = pinyin[idx];
    if (c == 'x') {
      spelled.push_back('s');
    } else if (c == 'q') {
      spelled += "ch";
    } else if (c == 'c' && (idx + 1 == pinyin.size() || pinyin[idx + 1] != 'h')) {
      spelled += "ts";  // pinyin c is ts (翠 cui); TurkicKey reads c before u, a, o as k
    } else {
      spelled.push_back(c);
    }
  }
  return TurkicKey(spelled);
}

Result<std::string> AsciiForm(std::string_view utf8) {
  IZDE_ASSIGN_OR_RETURN(std::vector<LatinForm> forms, LatinForms(utf8, 1));
  if (forms.empty()) return std::string();
  return Transliterate(forms.front().text, Transform::kLatinToAscii);
}

Result<std::vector<KeyedForm>> KeyForms(std::string_view utf8) {
  IZDE_ASSIGN_OR_RETURN(std::vector<LatinForm> forms, LatinForms(utf8));
  std::vector<KeyedForm> result;
  result.reserve(forms.size());
  for (LatinForm& form : forms) {
    KeyedForm keyed;
    keyed.transform = std::move(form.transform);
    keyed.latin = std::move(form.text);
    IZDE_ASSIGN_OR_RETURN(keyed.ascii, Transliterate(keyed.latin, Transform::kLatinToAscii));
    for (const std::string& word : SplitWords(keyed.ascii)) {
      std::string key = TurkicKey(word);
      if (!key.empty()) keyed.keys.push_back(std::move(key));
    }
    result.push_back(std::move(keyed));
  }
  return result;
}

Result<std::vector<std::string>> BlockingKeys(std::string_view utf8) {
  IZDE_ASSIGN_OR_RETURN(std::vector<KeyedForm> forms, KeyForms(utf8));
  std::vector<std::string> keys;
  for (const KeyedForm& form : forms) keys.insert(keys.end(), form.keys.begin(), form.keys.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

namespace internal {

std::string KeyWithoutCodaR(std::string_view ascii_word) {
  auto is_coda_r = [ascii_word](size_t idx) {
    return ascii_word[idx] == 'r' && idx > 0 && IsVowelLetter(ascii_word[idx - 1]) &&
           (idx + 1 == ascii_word.size() || !IsVowelLetter(ascii_word[idx + 1]));
  };
  size_t first = 0;
  while (first < ascii_word.size() && !is_coda_r(first)) ++first;
  if (first == ascii_word.size()) return std::string();
  std::string without(ascii_word.substr(0, first));
  for (size_t idx = first + 1; idx < ascii_word.size(); ++idx) {
    if (!is_coda_r(idx)) without.push_back(ascii_word[idx]);
  }
  return TurkicKey(without);
}

int CustomRulesToKey(std::string_view ascii_word, std::string_view target, int max_customs) {
  // The key is made letter by letter (KeyOf); here each letter may be read by any custom rule
  // that applies above the first plain rule that does (the table's order), and the readings
  // are followed together, as states: how much of `target` they have made, the class they
  // last pushed, whether a sound was seen, and how many customs they used. A reading whose key
  // leaves `target` ends there, so most words end within a letter or two.
  constexpr size_t kMaxWord = 32;
  constexpr size_t kMaxStates = 12;
  if (ascii_word.empty() || ascii_word.size() > kMaxWord || target.empty() ||
      target.size() > 24) {
    return -1;
  }
  struct State {
    uint8_t made;      // classes of `target` made
    char previous;     // the class last pushed, '\0' after a vowel
    bool seen;         // a kept consonant or the leading vowel
    uint8_t customs;   // custom rules used
  };
  // Most Han keys start with a class no reading of the word can start with: a table lookup
  // settles them before the lattice is set up.
  if (!MayStartWith(ascii_word, target.front())) return -1;
  std::array<std::array<State, kMaxStates>, kMaxWord + 1> states;
  std::array<uint8_t, kMaxWord + 1> counts{};
  size_t reached = 0;  // the furthest index a state reached: past it, every reading has ended
  auto add = [&](size_t index, State state) {
    std::array<State, kMaxStates>& at = states[index];
    for (size_t idx = 0; idx < counts[index]; ++idx) {
      State& old = at[idx];
      if (old.made == state.made && old.previous == state.previous && old.seen == state.seen) {
        old.customs = std::min(old.customs, state.customs);
        return;
      }
    }
    if (counts[index] < kMaxStates) at[counts[index]++] = state;
    reached = std::max(reached, index);
  };
  // The state after one class, false where the key leaves `target`.
  auto advance = [&target](State& state, char sound_class) {
    return KeyStep(sound_class, state.seen, state.previous, [&](char pushed) {
      if (state.made >= target.size() || target[state.made] != pushed) return false;
      ++state.made;
      return true;
    });
  };
  auto step = [&](const State& from, size_t next, char sound_class, char second_class,
                  int cost) {
    State to = from;
    if (cost > 0) {
      if (from.customs + cost > max_customs) return;
      to.customs = static_cast<uint8_t>(from.customs + cost);
    }
    if (!advance(to, sound_class)) return;
    if (second_class != '\0' && !advance(to, second_class)) return;
    add(next, to);
  };
  const RulesByLetter& rules = SpellingRules();
  add(0, State{0, '\0', false, 0});
  for (size_t index = 0; index < ascii_word.size() && index <= reached; ++index) {
    if (counts[index] == 0) continue;
    const auto letter = static_cast<unsigned char>(ascii_word[index]);
    bool plain_found = false;
    for (const SpellingRule& rule : letter < rules.size() ? rules[letter] : rules[0]) {
      if (!Applies(rule, ascii_word, index)) continue;
      for (size_t idx = 0; idx < counts[index]; ++idx) {
        step(states[index][idx], index + rule.spelling.size(), rule.sound_class,
             rule.second_class, rule.custom ? rule.cost : 0);
      }
      if (!rule.custom) {
        plain_found = true;
        break;
      }
    }
    if (!plain_found) {
      const char sound_class = LetterClass(ascii_word, index);
      for (size_t idx = 0; idx < counts[index]; ++idx) {
        step(states[index][idx], index + 1, sound_class, '\0', 0);
      }
    }
  }
  int best = -1;
  const size_t end = ascii_word.size();
  for (size_t idx = 0; idx < counts[end]; ++idx) {
    const State& state = states[end][idx];
    if (state.made == target.size() && state.customs > 0 && (best < 0 || state.customs < best)) {
      best = state.customs;
    }
  }
  return best;
}

std::string WesternPinyinKey(std::string_view pinyin) {
  if (pinyin.find_first_of("jq") == std::string_view::npos) return std::string();
  std::string spelled(pinyin);
  for (char& c : spelled) {
    if (c == 'j' || c == 'q') {
      c = 'k';
    } else if (c == 'x') {
      c = 's';
    }
  }
  return TurkicKey(spelled);
}

}  // namespace internal
}  // namespace izde::names
