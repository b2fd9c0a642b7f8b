#include "bench/variant_corpus.h"

#include <algorithm>
#include <utility>

#include "io/demo.h"

namespace izde::bench {
namespace {

bool IsAscii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One letter of the longest word replaced by its neighbour in the alphabet, past the first two
// letters (as a clerk's slip or a variant spelling would).
std::string Typo(const std::string& text, size_t seed) {
  size_t best_begin = 0;
  size_t best_size = 0;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find(' ', begin);
    if (end == std::string::npos) end = text.size();
    if (end - begin > best_size) {
      best_begin = begin;
      best_size = end - begin;
    }
    begin = end + 1;
  }
  std::string typo = text;
  if (best_size < 4) return typo;
  size_t at = best_begin + 2 + seed % (best_size - 2);
  char& letter = typo[at];
  if (letter >= 'a' && letter < 'z') {
    letter = static_cast<char>(letter + 1);
  } else if (letter == 'z') {
    letter = 'y';
  } else {
    typo.erase(at, 1);
  }
  return typo;
}

// The words of `text` in reverse order; empty when it has one word.
std::string Reversed(const std::string& text) {
  std::vector<std::string> words;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(' ', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) words.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (words.size() < 2) return "";
  std::string reversed;
  for (size_t idx = words.size(); idx-- > 0;) {
    reversed += words[idx];
    if (idx > 0) reversed += ' ';
  }
  return reversed;
}

}  // namespace

VariantCorpus MakeVariantCorpus(int64_t persons, size_t query_persons) {
  VariantCorpus corpus;
  io::DemoOptions options;
  options.persons = persons;
  options.seed = 11;
  io::DemoGenerator generator(options);
  io::DemoPerson demo;
  int64_t id = 0;
  while (generator.Next(demo)) {
    match::IndexRecord record;
    record.id = ++id;
    for (const auto& name : demo.row.person.names) record.names.push_back(name.text);
    const PartialDate& birth = demo.row.person.birth_date;
    if (!birth.unknown()) record.fields.birth = {birth.start().year, birth.end().year};
    record.fields.hometown_code = demo.row.person.hometown_code;
    corpus.records.push_back(std::move(record));
  }
  const size_t total = corpus.records.size();
  for (size_t pick = 0; pick < std::min(query_persons, total); ++pick) {
    match::IndexRecord& record = corpus.records[(pick * 7919) % total];
    if (record.names.size() < 2) continue;
    const match::YearRange birth = record.fields.birth;
    corpus.queries.push_back({"cross", record.names.back(), record.id, birth});
    record.names.pop_back();
    corpus.queries.push_back({"exact", record.names.front(), record.id, birth});
    for (const std::string& name : record.names) {
      if (!IsAscii(name)) continue;
      corpus.queries.push_back({"typo", Typo(name, pick), record.id, birth});
      break;
    }
    for (const std::string& name : record.names) {
      std::string reversed = Reversed(name);
      if (reversed.empty()) continue;
      corpus.queries.push_back({"reorder", reversed, record.id, birth});
      break;
    }
  }
  return corpus;
}

}  // namespace izde::bench
