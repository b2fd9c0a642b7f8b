#include "names/keys.h"

#include <algorithm>
#include <string>
#include <utility>

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

// The consonant class of the sound at `word[index]`, its length in `length`; '\0' for a sound
// that the key drops, 'V' for a vowel.
char ClassAt(std::string_view word, size_t index, size_t& length) {
  auto starts = [&](std::string_view prefix) {
    return word.substr(index, prefix.size()) == prefix;
  };
  static constexpr std::pair<std::string_view, char> kDigraphs[] = {
      {"shch", 'X'}, {"dzh", 'J'}, {"sh", 'X'}, {"ch", 'J'}, {"zh", 'J'}, {"kh", '\0'},
      {"gh", 'K'},   {"ng", 'N'},  {"ts", 'S'}, {"tz", 'S'}, {"ph", 'B'}, {"ck", 'K'}};
  // The Polish and Czech -cki / -cka surname ending is ts + k (Potocki = Потоцкий), not the
  // English ck of Mackail.
  if (word.substr(index) == "cki" || word.substr(index) == "cka") {
    length = 1;
    return 'S';
  }
  for (const auto& [digraph, sound_class] : kDigraphs) {
    if (starts(digraph)) {
      length = digraph.size();
      return sound_class;
    }
  }
  length = 1;
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

}  // namespace

std::string TurkicKey(std::string_view ascii_word) {
  std::string key;
  bool seen_sound = false;  // a kept consonant or the leading vowel
  char previous = '\0';     // class of the last consonant, reset by a vowel
  for (size_t index = 0; index < ascii_word.size();) {
    size_t length = 1;
    const char sound_class = ClassAt(ascii_word, index, length);
    index += length;
    if (sound_class == '\0') continue;
    if (sound_class == 'V') {
      if (!seen_sound) key.push_back('A');
      seen_sound = true;
      previous = '\0';
      continue;
    }
    seen_sound = true;
    if (sound_class != previous) key.push_back(sound_class);
    previous = sound_class;
  }
  return key;
}

std::string PinyinKey(std::string_view pinyin) {
  std::string spelled;
  spelled.reserve(pinyin.size() + 4);
  for (char c : pinyin) {
    if (c == 'x') {
      spelled.push_back('s');
    } else if (c == 'q') {
      spelled += "ch";
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

}  // namespace izde::names
